#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod client;
pub mod context;
pub mod error;
pub mod extensions;
mod json;
pub mod jsonrpc;
pub mod memory;
pub mod meta;
pub mod method;
pub mod revision;
pub mod server;
pub mod state;
pub mod types;
pub mod version;

/// Re-exported so implementing [`Handler`] or [`ClientHandler`] needs no extra dependency.
pub use async_trait::async_trait;
pub use client::{Client, ClientHandler, ClientOptions};
pub use context::{RequestContext, TransportContext};
pub use error::{Error, PendingInput, Result};
pub use extensions::Extensions;
pub use jsonrpc::{ErrorCode, ErrorObject, Message, RequestId};
pub use meta::{Meta, ProgressToken};
pub use revision::ForRevision;
pub use server::{Connection, Handler, Server};
pub use state::{SealingKey, StateBinding};
pub use version::{Era, ProtocolVersion};
