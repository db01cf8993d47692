//! The crate's error type.

use http::StatusCode;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong while serving or calling MCP over HTTP.
///
/// Server-side problems caused by a peer (bad headers, unknown sessions) never surface here:
/// they become HTTP answers. This type is for the operator (binding a socket) and for the
/// client side, where the caller needs to tell a dead network from a refusing server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The socket could not be bound, accepted or read.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The HTTP request could not be sent or its answer not read.
    #[error("HTTP request failed: {0}")]
    Http(#[from] reqwest::Error),
    /// The server answered with a status the transport cannot continue from.
    #[error("the server answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the answer's body, for diagnosis.
        body: String,
    },
    /// The server sent something that is not Streamable HTTP (wrong content type, bad SSE).
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// A header value given in the configuration is not a valid HTTP header.
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    /// The MCP engine reported an error.
    #[error(transparent)]
    Mcp(#[from] mcp_protocol::Error),
}

impl Error {
    /// True when the server rejected our credentials (401) or their scope (403), so the
    /// caller knows a new token, not a retry, is needed.
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::Status { status, .. }
            if *status == StatusCode::UNAUTHORIZED || *status == StatusCode::FORBIDDEN)
    }

    /// True when the failure happened below HTTP (connect, reset, timeout): a retry may help.
    pub fn is_network(&self) -> bool {
        match self {
            Self::Http(e) => e.is_connect() || e.is_timeout() || e.is_request(),
            Self::Io(_) => true,
            _ => false,
        }
    }
}
