#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod jsonrpc;
pub mod meta;
pub mod method;
pub mod revision;
pub mod types;
pub mod version;

pub use jsonrpc::{ErrorCode, ErrorObject, Message, RequestId};
pub use meta::{Meta, ProgressToken};
pub use revision::ForRevision;
pub use version::{Era, ProtocolVersion};
