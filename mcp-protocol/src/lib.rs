#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod jsonrpc;
pub mod version;

pub use jsonrpc::{ErrorCode, ErrorObject, Message, RequestId};
pub use version::{Era, ProtocolVersion};
