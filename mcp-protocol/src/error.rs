//! The crate's error type.

use serde_json::{Map, Value};

use crate::jsonrpc::{ErrorCode, ErrorObject};

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while serving or calling MCP.
///
/// Handlers return it too: [`Error::Rpc`] is the protocol error the peer will see, and
/// [`Error::InputRequired`] asks a 2026-07-28 client for more input (the engine turns it into
/// an `input_required` result), which is why handlers simply propagate the errors of
/// [`RequestContext::elicit`](crate::context::RequestContext::elicit) with `?`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A JSON-RPC error: sent to the peer by a server, received from the peer by a client.
    #[error(transparent)]
    Rpc(ErrorObject),
    /// A 2026-07-28 handler needs input from the client before it can finish.
    #[error("the request needs more input from the client")]
    InputRequired(PendingInput),
    /// The request was cancelled (by the peer, the transport or the caller).
    #[error("the request was cancelled")]
    Cancelled,
    /// The peer did not answer in time.
    #[error("the request timed out")]
    Timeout,
    /// The peer or the connection is gone.
    #[error("the connection is closed")]
    Closed,
    /// A message could not be encoded or decoded.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The peer broke the protocol (for example, an unexpected result shape).
    #[error("protocol violation: {0}")]
    Protocol(String),
}

impl Error {
    /// An [`Error::Rpc`] with code -32602, for handlers rejecting their parameters.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::Rpc(ErrorObject::invalid_params(message))
    }

    /// An [`Error::Rpc`] with code -32603, for failures that are the server's own fault.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Rpc(ErrorObject::internal(message))
    }

    /// An [`Error::InputRequired`] with no extra requests: the asks recorded on the
    /// request context (see `RequestContext::elicit_as`) are what the client receives.
    pub fn input_required() -> Self {
        Self::InputRequired(PendingInput::default())
    }

    /// The JSON-RPC error object, when this is [`Error::Rpc`].
    pub fn rpc(&self) -> Option<&ErrorObject> {
        match self {
            Self::Rpc(e) => Some(e),
            _ => None,
        }
    }

    /// True when the peer answered with this JSON-RPC error code.
    pub fn is_code(&self, code: ErrorCode) -> bool {
        self.rpc().is_some_and(|e| e.code == code)
    }
}

impl From<ErrorObject> for Error {
    fn from(e: ErrorObject) -> Self {
        Self::Rpc(e)
    }
}

impl From<Error> for ErrorObject {
    fn from(e: Error) -> Self {
        match e {
            Error::Rpc(e) => e,
            Error::InputRequired(_) => Self::new(
                ErrorCode::INVALID_REQUEST,
                "this request needs client input, which only 2026-07-28 tools/call, \
                 prompts/get and resources/read can ask for",
            ),
            Error::Cancelled => Self::new(ErrorCode::REQUEST_CANCELLED, "request cancelled"),
            Error::Timeout => Self::new(ErrorCode::REQUEST_CANCELLED, "request timed out"),
            Error::Closed => Self::new(ErrorCode::REQUEST_CANCELLED, "connection closed"),
            Error::Json(e) => Self::internal(format!("invalid JSON: {e}")),
            Error::Protocol(m) => Self::internal(m),
        }
    }
}

/// Input requests a handler returns directly with [`Error::InputRequired`].
///
/// Most handlers never build one: asking through the request context records the request
/// for them. It exists for handlers that compute their input requests by hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PendingInput {
    /// Input requests by key: each value is `{"method": ..., "params": ...}`.
    pub requests: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_to_error_objects() {
        let e: ErrorObject = Error::invalid_params("bad name").into();
        assert_eq!(e.code, ErrorCode::INVALID_PARAMS);
        assert_eq!(e.message, "bad name");
        let e: ErrorObject = Error::Cancelled.into();
        assert_eq!(e.code, ErrorCode::REQUEST_CANCELLED);
        assert!(
            Error::from(ErrorObject::method_not_found("x")).is_code(ErrorCode::METHOD_NOT_FOUND)
        );
        assert!(
            matches!(Error::input_required(), Error::InputRequired(p) if p.requests.is_empty())
        );
    }
}
