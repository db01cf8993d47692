//! The Streamable HTTP client: moves the messages of an `mcp_protocol` [`Client`] over HTTP.
//!
//! [`Client`]: mcp_protocol::client::Client

mod options;
mod transport;

pub use options::HttpClientOptions;
pub use transport::{HttpClientTransport, connect};
