//! The audit log: one JSON line per tool call, with argument names but never their values
//! (they may hold secrets or file contents) and never tokens.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

/// Where audit lines go.
pub struct AuditLog {
    out: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").finish_non_exhaustive()
    }
}

/// One tool call.
#[derive(Debug, Serialize)]
pub struct AuditRecord<'a> {
    /// When the call finished (RFC 3339, UTC).
    pub time: String,
    /// The Coder username of the caller.
    pub user: &'a str,
    /// The tool.
    pub tool: &'a str,
    /// `ok`, `tool_error` (a result with `isError`) or `protocol_error`.
    pub outcome: &'a str,
    /// How long the call took, in milliseconds.
    pub duration_ms: u128,
    /// The JSON-RPC request id.
    pub request_id: String,
    /// The names of the arguments given.
    pub arguments: Vec<&'a str>,
}

impl AuditLog {
    /// Appends to `path`, or writes to stderr when `path` is `-`.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let out: Box<dyn Write + Send> = if path == Path::new("-") {
            Box::new(std::io::stderr())
        } else {
            Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            )
        };
        Ok(Self::to_writer(out))
    }

    /// Writes to any writer (tests use a buffer).
    pub fn to_writer(out: Box<dyn Write + Send>) -> Self {
        Self {
            out: Mutex::new(out),
        }
    }

    /// Writes one record. Failures are logged, never returned: auditing must not break calls.
    pub fn record(&self, record: &AuditRecord<'_>) {
        let Ok(mut line) = serde_json::to_vec(record) else {
            return;
        };
        line.push(b'\n');
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = out.write_all(&line).and_then(|()| out.flush()) {
            tracing::error!("could not write the audit log: {e}");
        }
    }
}

/// The current time as RFC 3339.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
