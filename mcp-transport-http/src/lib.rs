#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
pub mod config;
pub mod error;
mod header_timer;
pub mod headers;
mod serve;
mod server;
pub mod sse;
mod stream_log;

pub use auth::{
    AuthRejection, Authenticator, Principal, ProtectedResourceMetadata, bearer_token,
    protected_resource_metadata_router,
};

pub use client::{HttpClientOptions, HttpClientTransport, connect};
pub use config::{HostPolicy, HttpConfig, ResponseMode};
pub use error::{Error, Result};
pub use serve::{ServeOptions, serve, serve_with};
pub use server::{StreamControl, router};
