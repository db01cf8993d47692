//! The one error type of the conformance fixtures' client side.

use std::fmt;

/// Why a conformance client scenario could not run to its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// `MCP_CONFORMANCE_SCENARIO` is missing.
    NoScenario,
    /// `MCP_CONFORMANCE_CONTEXT` or `MCP_CONFORMANCE_PROTOCOL_VERSION` is malformed.
    BadEnvironment(&'static str),
    /// The MCP exchange failed.
    Mcp(mcp_protocol::Error),
    /// The HTTP transport failed.
    Http(mcp_transport_http::Error),
    /// The OAuth flow failed; says at which step and why.
    Auth(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoScenario => f.write_str("MCP_CONFORMANCE_SCENARIO is not set"),
            Self::BadEnvironment(var) => write!(f, "invalid {var}"),
            Self::Mcp(e) => write!(f, "{e}"),
            Self::Http(e) => write!(f, "{e}"),
            Self::Auth(why) => write!(f, "authorization failed: {why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Mcp(e) => Some(e),
            Self::Http(e) => Some(e),
            _ => None,
        }
    }
}

impl From<mcp_protocol::Error> for Error {
    fn from(e: mcp_protocol::Error) -> Self {
        Self::Mcp(e)
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Self::Auth(format!("HTTP: {e}"))
    }
}

impl From<mcp_transport_http::Error> for Error {
    fn from(e: mcp_transport_http::Error) -> Self {
        Self::Http(e)
    }
}
