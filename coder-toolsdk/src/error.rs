//! The crate's error type, shared by the registry and by every tool.

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a tool returns when it fails. An alias of [`Error`] so tool code reads naturally.
pub type ToolError = Error;

/// Everything that can go wrong while looking up, validating or running a tool.
///
/// Most variants become a `tools/call` result with `isError: true` (the model can read the
/// message and try again); only [`Error::UnknownTool`], [`Error::InvalidCursor`] and the
/// engine's signals carried by [`Error::Mcp`] are protocol errors (see
/// [`Error::is_protocol_error`]), because they are about the request itself rather than the
/// work the tool tried to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The arguments do not match the tool's input schema or could not be decoded.
    #[error("invalid arguments: {0}")]
    InvalidArguments(String),
    /// Something the caller named does not exist; the message says how to find what does.
    #[error("{0}")]
    NotFound(String),
    /// Coder answered with an error or could not be reached.
    #[error("Coder API error: {0}")]
    Coder(#[from] coder_sdk::Error),
    /// The work took longer than allowed.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The request was cancelled by the client.
    #[error("the request was cancelled")]
    Cancelled,
    /// The target is in a state that does not allow the operation (for example a failed
    /// workspace).
    #[error("{0}")]
    BadState(String),
    /// The user declined the confirmation asked for a destructive operation.
    #[error("the user did not confirm the operation: {0}")]
    Declined(String),
    /// Any other failure of a tool, with a message for the model.
    #[error("{0}")]
    Failed(String),
    /// No tool of this name is registered (a protocol error: -32602).
    #[error("unknown tool: {0}")]
    UnknownTool(String),
    /// A `tools/list` cursor this registry did not issue (a protocol error: -32602).
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// A tool's types produced a schema the registry cannot use (a bug in the tool).
    #[error("invalid schema for tool {tool}: {message}")]
    Schema {
        /// The tool's name.
        tool: String,
        /// What is wrong.
        message: String,
    },
    /// An error of the MCP engine that must reach it unchanged, such as the 2026-07-28
    /// `input_required` signal raised while asking the user for confirmation.
    #[error(transparent)]
    Mcp(#[from] mcp_protocol::Error),
}

impl Error {
    /// A [`Error::Failed`] with the given message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed(message.into())
    }

    /// A [`Error::InvalidArguments`] with the given message.
    pub fn invalid_arguments(message: impl Into<String>) -> Self {
        Self::InvalidArguments(message.into())
    }

    /// A [`Error::NotFound`] with the given message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(message.into())
    }

    /// A [`Error::BadState`] with the given message.
    pub fn bad_state(message: impl Into<String>) -> Self {
        Self::BadState(message.into())
    }

    /// True when this error must become a JSON-RPC error rather than an `isError` result:
    /// an unknown tool, a bad cursor, and the engine's own signals (`input_required`,
    /// cancellation). Other engine errors met inside a tool (the client failed to answer
    /// an elicitation, for example) are tool failures the model should hear about.
    pub fn is_protocol_error(&self) -> bool {
        match self {
            Self::UnknownTool(_) | Self::InvalidCursor(_) => true,
            Self::Mcp(e) => matches!(
                e,
                mcp_protocol::Error::InputRequired(_) | mcp_protocol::Error::Cancelled
            ),
            _ => false,
        }
    }

    /// True when Coder answered 404.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::NotFound(_) => true,
            Self::Coder(e) => e.is_not_found(),
            _ => false,
        }
    }
}
