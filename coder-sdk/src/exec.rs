//! Running a command in a workspace over the reconnecting PTY, with its exit status.
//!
//! A PTY merges stdout and stderr, echoes, adds escapes and reports no exit status. `exec`
//! runs the command under a small POSIX `sh` wrapper (see [`build_script`]) that prints a
//! random sentinel followed by `$?`; the output stream is stripped of escapes
//! ([`strip_escapes`]), scanned for the sentinel ([`scan`]) and bounded by keeping its head and
//! tail ([`HeadTail`]). These pieces are pure and public so they can be tested and fuzzed on
//! their own.

mod escapes;
mod head_tail;
mod sentinel;
mod wrapper;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use serde::{Deserialize, Serialize};

pub use escapes::{EscapeStripper, strip_escapes};
pub use head_tail::HeadTail;
pub use sentinel::{Scan, SentinelStatus, max_line_len, scan};
pub use wrapper::{ScriptSpec, build_script, is_valid_env_name, pty_command, shell_quote};

use crate::error::{Error, Result};
use crate::ids::WorkspaceAgentId;
use crate::pty::PtyOptions;

/// The exit status reported when the command was killed for running too long (as `timeout(1)`).
pub const TIMEOUT_EXIT_CODE: i32 = 124;

/// How long the client waits past the timeout for the wrapper to report before giving up.
const CLIENT_GRACE: Duration = Duration::from_secs(10);

/// Largest encoded command sent in the terminal URL: the `http` crate refuses URIs over 64 KiB,
/// and percent-encoding still grows base64 a little.
const MAX_COMMAND_BYTES: usize = 48 * 1024;

/// Bytes written per command by [`Client::exec_write_file`](crate::Client::exec_write_file).
const WRITE_CHUNK_BYTES: usize = 16 * 1024;

/// Options of [`Client::exec`](crate::Client::exec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOptions {
    /// How long the command may run before its process group is killed (default 60 s;
    /// rounded up to whole seconds).
    pub timeout: Duration,
    /// Most bytes of output kept (default 64 KiB); beyond that the head and the tail are kept
    /// with a marker saying how much was cut.
    pub max_output: usize,
    /// Working directory (default: the agent's).
    pub workdir: Option<String>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Bytes given to the command on stdin (default: none, stdin is `/dev/null`). They travel
    /// base64-encoded inside the terminal URL, so they are limited to about 24 KiB; larger
    /// input is refused (see [`Client::exec_write_file`](crate::Client::exec_write_file),
    /// which splits files).
    pub stdin: Option<Vec<u8>>,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            max_output: 64 * 1024,
            workdir: None,
            env: Vec::new(),
            stdin: None,
        }
    }
}

impl ExecOptions {
    /// Defaults: 60 s timeout, 64 KiB of output, no stdin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the output bound.
    #[must_use]
    pub fn with_max_output(mut self, max_output: usize) -> Self {
        self.max_output = max_output;
        self
    }

    /// Sets the working directory.
    #[must_use]
    pub fn with_workdir(mut self, workdir: impl Into<String>) -> Self {
        self.workdir = Some(workdir.into());
        self
    }

    /// Adds an environment variable.
    #[must_use]
    pub fn with_env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Gives the command these bytes on stdin.
    #[must_use]
    pub fn with_stdin(mut self, stdin: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(stdin.into());
        self
    }
}

/// What a command did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecOutput {
    /// stdout and stderr merged, escapes and `\r` removed, invalid UTF-8 replaced.
    pub output: String,
    /// The exit status; 124 when it timed out; 128+n when a signal ended it.
    pub exit_code: i32,
    /// Whether the middle of the output was cut to respect `max_output`.
    pub truncated: bool,
    /// Whether the command was killed for running too long.
    pub timed_out: bool,
}

/// Turns the raw PTY byte stream into output and a status: strips escapes, finds the
/// sentinel, bounds the output.
#[derive(Debug)]
pub struct OutputCollector {
    stripper: EscapeStripper,
    sentinel: Vec<u8>,
    pending: Vec<u8>,
    out: HeadTail,
    status: Option<SentinelStatus>,
}

impl OutputCollector {
    /// A collector looking for `sentinel`, keeping at most `max_output` bytes.
    pub fn new(sentinel: &str, max_output: usize) -> Self {
        Self {
            stripper: EscapeStripper::new(),
            sentinel: sentinel.as_bytes().to_vec(),
            pending: Vec::new(),
            out: HeadTail::new(max_output),
            status: None,
        }
    }

    /// Feeds raw PTY bytes; returns `true` once the status line has been seen (later bytes
    /// are ignored).
    pub fn feed(&mut self, raw: &[u8]) -> bool {
        if self.status.is_some() {
            return true;
        }
        self.stripper.feed(raw, &mut self.pending);
        match scan(&self.pending, &self.sentinel) {
            Scan::Found { output_end, status } => {
                self.out.push(&self.pending[..output_end]);
                self.pending.clear();
                self.status = Some(status);
                true
            }
            Scan::Pending { safe_len } => {
                self.out.push(&self.pending[..safe_len]);
                self.pending.drain(..safe_len);
                false
            }
        }
    }

    /// The status, once seen.
    pub fn status(&self) -> Option<SentinelStatus> {
        self.status
    }

    /// The result. Without a status line, the held-back bytes count as output and
    /// `exit_code` is `None`.
    pub fn finish(mut self) -> (String, bool, Option<SentinelStatus>) {
        let pending = std::mem::take(&mut self.pending);
        self.out.push(&pending);
        let (output, truncated) = self.out.finish();
        (output, truncated, self.status)
    }
}

/// A fresh random sentinel: 32 hex characters.
fn new_sentinel() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl crate::Client {
    /// Runs `command` on an agent and waits for it, returning its output and exit status.
    ///
    /// The command runs under `bash` when the workspace has it, else `sh`, in a new
    /// reconnecting-PTY session (`backend_type=buffered`). When it runs longer than
    /// `options.timeout`, its process group is killed and the result has `exit_code` 124
    /// and `timed_out` set. Dropping the future closes the connection.
    pub async fn exec(
        &self,
        agent: WorkspaceAgentId,
        command: &str,
        options: &ExecOptions,
    ) -> Result<ExecOutput> {
        let sentinel = new_sentinel();
        let timeout_secs = options.timeout.as_millis().div_ceil(1000).max(1);
        let timeout_secs = u64::try_from(timeout_secs).unwrap_or(u64::MAX);
        let script = build_script(&ScriptSpec {
            command,
            sentinel: &sentinel,
            timeout_secs,
            workdir: options.workdir.as_deref(),
            env: &options.env,
            stdin: options.stdin.as_deref(),
        })?;
        let pty_command = pty_command(&script);
        if pty_command.len() > MAX_COMMAND_BYTES {
            return Err(Error::config(format!(
                "the command and its stdin take {} bytes once encoded, more than the {MAX_COMMAND_BYTES} a terminal URL can carry; send the input in parts",
                pty_command.len()
            )));
        }
        let pty_options = PtyOptions::new()
            .with_command(pty_command)
            .with_size(512, 64)
            .with_backend_type("buffered");
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(timeout_secs) + CLIENT_GRACE;
        let mut pty = tokio::time::timeout_at(
            deadline,
            self.workspace_agent_reconnecting_pty(agent, &pty_options),
        )
        .await
        .map_err(|_| Error::Timeout { source: None })??;
        let mut collector = OutputCollector::new(&sentinel, options.max_output);
        let mut client_timed_out = false;
        loop {
            match tokio::time::timeout_at(deadline, pty.read()).await {
                Err(_) => {
                    client_timed_out = true;
                    // Best effort: interrupt whatever still runs.
                    let _ = pty.write("\u{3}").await;
                    break;
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => return Err(e),
                Ok(Some(Ok(chunk))) => {
                    if collector.feed(&chunk) {
                        break;
                    }
                }
            }
        }
        let _ = pty.close().await;
        let (output, truncated, status) = collector.finish();
        match status {
            Some(status) => Ok(ExecOutput {
                output,
                exit_code: status.exit_code,
                truncated,
                timed_out: status.timed_out,
            }),
            None if client_timed_out => Ok(ExecOutput {
                output,
                exit_code: TIMEOUT_EXIT_CODE,
                truncated,
                timed_out: true,
            }),
            None => Err(Error::protocol(
                "the terminal closed before the command reported its exit status",
            )),
        }
    }

    /// Reads up to `limit` bytes of a file from `offset`, through [`exec`](Self::exec) and
    /// base64 (so binary files survive the terminal).
    pub async fn exec_read_file(
        &self,
        agent: WorkspaceAgentId,
        path: &str,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<u8>> {
        let command = format!(
            "f={}; [ -f \"$f\" ] || {{ echo \"not a regular file: $f\" >&2; exit 2; }}; tail -c +{} -- \"$f\" | head -c {} | base64",
            shell_quote(path),
            offset.saturating_add(1),
            limit
        );
        let encoded_len = usize::try_from(limit.div_ceil(3).saturating_mul(4))
            .unwrap_or(usize::MAX)
            .saturating_add(usize::try_from(limit / 57 + 1024).unwrap_or(usize::MAX));
        let out = self
            .exec(
                agent,
                &command,
                &ExecOptions::new().with_max_output(encoded_len),
            )
            .await?;
        if out.exit_code != 0 || out.truncated {
            return Err(Error::protocol(format!(
                "reading {path} failed (exit {}): {}",
                out.exit_code,
                out.output.trim()
            )));
        }
        let clean: String = out.output.chars().filter(|c| !c.is_whitespace()).collect();
        STANDARD
            .decode(clean)
            .map_err(|e| Error::protocol(format!("the file content was not valid base64: {e}")))
    }

    /// Writes `content` to a file (creating or replacing it, and creating missing parent
    /// directories), through [`exec`](Self::exec) with the bytes on stdin.
    ///
    /// Content of any size works: it is sent in parts of 16 KiB, one command each (the first
    /// creates the file, the others append), because each command travels in a URL.
    pub async fn exec_write_file(
        &self,
        agent: WorkspaceAgentId,
        path: &str,
        content: &[u8],
    ) -> Result<()> {
        // Large contents go in several commands so each stays well under URL limits.
        let quoted = shell_quote(path);
        let mut chunks = content.chunks(WRITE_CHUNK_BYTES);
        let first = chunks.next().unwrap_or_default();
        let create = format!("d=$(dirname -- {quoted}) && mkdir -p -- \"$d\" && cat > {quoted}");
        let parts =
            std::iter::once((create, first)).chain(chunks.map(|c| (format!("cat >> {quoted}"), c)));
        for (command, chunk) in parts {
            let out = self
                .exec(agent, &command, &ExecOptions::new().with_stdin(chunk))
                .await?;
            if out.exit_code != 0 {
                return Err(Error::protocol(format!(
                    "writing {path} failed (exit {}): {}",
                    out.exit_code,
                    out.output.trim()
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collector_splits_output_and_status_across_chunks() {
        let sentinel = "0123456789abcdef0123456789abcdef";
        let raw = format!("\x1b[32mok\x1b[0m\r\nsecond\r\n\r\n{sentinel}:3\r\n");
        let mut c = OutputCollector::new(sentinel, 1024);
        let mut done = false;
        for chunk in raw.as_bytes().chunks(5) {
            done = c.feed(chunk);
        }
        assert!(done);
        let (out, truncated, status) = c.finish();
        assert_eq!(out, "ok\nsecond\n");
        assert!(!truncated);
        assert_eq!(status.map(|s| s.exit_code), Some(3));
    }

    #[test]
    fn collector_bounds_output() {
        let sentinel = "0123456789abcdef0123456789abcdef";
        let mut c = OutputCollector::new(sentinel, 100);
        let line = "x".repeat(99) + "\r\n";
        for _ in 0..1000 {
            assert!(!c.feed(line.as_bytes()));
        }
        c.feed(format!("\r\n{sentinel}:0\r\n").as_bytes());
        let (out, truncated, status) = c.finish();
        assert!(truncated);
        assert!(out.contains("bytes of output omitted"));
        assert!(out.len() < 200);
        assert_eq!(status.map(|s| s.exit_code), Some(0));
    }

    #[test]
    fn collector_without_status_keeps_everything() {
        let mut c = OutputCollector::new("abcdabcdabcdabcd", 1024);
        c.feed(b"partial\r\n");
        let (out, _, status) = c.finish();
        assert_eq!(out, "partial\n");
        assert!(status.is_none());
    }

    /// Feeds `raw` in pseudo-random chunk sizes.
    fn collect_chunked(
        raw: &[u8],
        sentinel: &str,
        limit: usize,
        mut seed: u32,
    ) -> (String, bool, Option<SentinelStatus>) {
        let mut c = OutputCollector::new(sentinel, limit);
        let mut rest = raw;
        while !rest.is_empty() {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let n = (seed as usize % 97 + 1).min(rest.len());
            let (chunk, tail) = rest.split_at(n);
            rest = tail;
            if c.feed(chunk) {
                break;
            }
        }
        c.finish()
    }

    #[test]
    fn chunking_never_changes_the_result() {
        let sentinel = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let mut raw = Vec::new();
        for i in 0..200u32 {
            raw.extend_from_slice(format!("\x1b[1;3{}mline {i}\x1b[0m\r\n", i % 8).as_bytes());
            if i % 17 == 0 {
                raw.extend_from_slice(b"\x1b]0;title\x07");
                raw.extend((0..64u8).map(|b| b.wrapping_mul(37)));
                raw.extend_from_slice(b"\r\n");
            }
        }
        raw.extend_from_slice(format!("\r\n{sentinel}:9\r\nafter the status\r\n").as_bytes());
        for limit in [64, 4096, 1 << 20] {
            let whole = {
                let mut c = OutputCollector::new(sentinel, limit);
                c.feed(&raw);
                c.finish()
            };
            assert_eq!(whole.2.map(|s| s.exit_code), Some(9));
            assert!(!whole.0.contains("after the status"));
            for seed in 1..40 {
                assert_eq!(
                    collect_chunked(&raw, sentinel, limit, seed),
                    whole,
                    "seed {seed} limit {limit}"
                );
            }
        }
    }

    #[test]
    fn sentinels_are_random_hex() {
        let a = new_sentinel();
        let b = new_sentinel();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
