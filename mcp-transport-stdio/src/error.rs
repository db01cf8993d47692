//! The crate's error type.

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong while moving MCP messages over pipes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading from or writing to a pipe failed.
    #[error("stdio transport I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The server process could not be started.
    #[error("could not start MCP server {program:?}: {source}")]
    Spawn {
        /// The program that was run.
        program: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// A protocol-level failure reported by the engine (for example during negotiation).
    #[error(transparent)]
    Protocol(#[from] mcp_protocol::Error),
}
