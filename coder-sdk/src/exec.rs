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
pub use wrapper::{
    ScriptSpec, StdinSource, build_script, is_valid_env_name, pty_command, shell_quote,
};

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
    /// Bytes given to the command on stdin (default: none, stdin is `/dev/null`). Small input
    /// travels base64-encoded inside the command; larger input is typed into the terminal
    /// (base64, echo off) once the wrapper is ready, so any size works.
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
///
/// When the script reads stdin from the terminal, it first prints a ready token on its own
/// line; [`with_ready`](Self::with_ready) makes the collector recognise and drop it.
#[derive(Debug)]
pub struct OutputCollector {
    stripper: EscapeStripper,
    sentinel: Vec<u8>,
    ready: Option<Vec<u8>>,
    ready_seen: bool,
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
            ready: None,
            ready_seen: false,
            pending: Vec::new(),
            out: HeadTail::new(max_output),
            status: None,
        }
    }

    /// Also watches for the line `\n<ready>\n`, which is removed from the output.
    ///
    /// The token must not be longer than the sentinel, so the bytes held back while waiting
    /// for a status line also cover a partly received ready line.
    #[must_use]
    pub fn with_ready(mut self, ready: &str) -> Self {
        let mut token = Vec::with_capacity(ready.len() + 2);
        token.push(b'\n');
        token.extend_from_slice(ready.as_bytes());
        token.push(b'\n');
        self.ready = Some(token);
        self
    }

    /// Whether the ready line has been seen.
    pub fn is_ready(&self) -> bool {
        self.ready_seen
    }

    /// Feeds raw PTY bytes; returns `true` once the status line has been seen (later bytes
    /// are ignored).
    pub fn feed(&mut self, raw: &[u8]) -> bool {
        if self.status.is_some() {
            return true;
        }
        self.stripper.feed(raw, &mut self.pending);
        if let Some(token) = self.ready.as_ref().filter(|_| !self.ready_seen)
            && let Some(at) = find(&self.pending, token)
        {
            self.pending.drain(at..at + token.len());
            self.ready_seen = true;
        }
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

/// Finds `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Base64 of `bytes` as lines of 76 characters, each ending in `\n`, as typed into the
/// terminal (short lines stay far below the terminal's line-length limit).
fn base64_lines(bytes: &[u8]) -> (String, usize) {
    let encoded = STANDARD.encode(bytes);
    let mut text = String::with_capacity(encoded.len() + encoded.len() / 76 + 1);
    let mut lines = 0;
    for line in encoded.as_bytes().chunks(76) {
        // Base64 is ASCII, so every chunk is valid UTF-8.
        text.push_str(&String::from_utf8_lossy(line));
        text.push('\n');
        lines += 1;
    }
    (text, lines)
}

/// How much of the typed input goes into one WebSocket frame.
const INPUT_FRAME_BYTES: usize = 32 * 1024;

impl crate::Client {
    /// Runs `command` on an agent and waits for it, returning its output and exit status.
    ///
    /// The command runs under `bash` when the workspace has it, else `sh`, in a new
    /// reconnecting-PTY session (`backend_type=buffered`). When it runs longer than
    /// `options.timeout`, its process group is killed and the result has `exit_code` 124
    /// and `timed_out` set. Small stdin travels inside the command; larger stdin is typed
    /// into the terminal (echo off, base64) once the wrapper is ready. Dropping the future
    /// closes the connection; the command still ends at its timeout. Needs a POSIX shell in
    /// the workspace (not Windows).
    pub async fn exec(
        &self,
        agent: WorkspaceAgentId,
        command: &str,
        options: &ExecOptions,
    ) -> Result<ExecOutput> {
        let sentinel = new_sentinel();
        let ready = new_sentinel();
        let timeout_secs = options.timeout.as_millis().div_ceil(1000).max(1);
        let timeout_secs = u64::try_from(timeout_secs).unwrap_or(u64::MAX);
        let spec = |stdin| ScriptSpec {
            command,
            sentinel: &sentinel,
            timeout_secs,
            workdir: options.workdir.as_deref(),
            env: &options.env,
            stdin,
        };
        let mut typed_input = None;
        let mut pty_command = match options.stdin.as_deref() {
            None => pty_command(&build_script(&spec(StdinSource::Null))?),
            Some(bytes) => pty_command(&build_script(&spec(StdinSource::Inline(bytes)))?),
        };
        if pty_command.len() > MAX_COMMAND_BYTES
            && let Some(bytes) = options.stdin.as_deref()
        {
            let (text, lines) = base64_lines(bytes);
            let script = build_script(&spec(StdinSource::Terminal {
                lines,
                ready: &ready,
            }))?;
            pty_command = self::pty_command(&script);
            typed_input = Some(text);
        }
        if pty_command.len() > MAX_COMMAND_BYTES {
            return Err(Error::config(format!(
                "the command takes {} bytes once encoded, more than the {MAX_COMMAND_BYTES} a terminal URL can carry",
                pty_command.len()
            )));
        }
        let pty_options = PtyOptions::new()
            .with_command(pty_command)
            .with_size(512, 64)
            .with_backend_type("buffered");
        // Typed input takes time too: allow about 64 KiB per second on top of the timeout.
        let transfer = Duration::from_secs(
            typed_input
                .as_ref()
                .map_or(0, |t| (t.len() / (64 * 1024)) as u64),
        );
        let deadline = tokio::time::Instant::now()
            + Duration::from_secs(timeout_secs)
            + CLIENT_GRACE
            + transfer;
        let mut pty = tokio::time::timeout_at(
            deadline,
            self.workspace_agent_reconnecting_pty(agent, &pty_options),
        )
        .await
        .map_err(|_| Error::Timeout { source: None })??;
        let mut collector = OutputCollector::new(&sentinel, options.max_output);
        if typed_input.is_some() {
            collector = collector.with_ready(&ready);
        }
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
                    if collector.is_ready()
                        && let Some(text) = typed_input.take()
                    {
                        for frame in text.as_bytes().chunks(INPUT_FRAME_BYTES) {
                            // Whole ASCII lines: every frame is valid UTF-8.
                            pty.write(&String::from_utf8_lossy(frame)).await?;
                        }
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
    pub async fn exec_write_file(
        &self,
        agent: WorkspaceAgentId,
        path: &str,
        content: &[u8],
    ) -> Result<()> {
        let quoted = shell_quote(path);
        let command = format!("d=$(dirname -- {quoted}) && mkdir -p -- \"$d\" && cat > {quoted}");
        let out = self
            .exec(agent, &command, &ExecOptions::new().with_stdin(content))
            .await?;
        if out.exit_code != 0 {
            return Err(Error::protocol(format!(
                "writing {path} failed (exit {}): {}",
                out.exit_code,
                out.output.trim()
            )));
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
    fn ready_line_is_recognised_across_chunks_and_removed() {
        let sentinel = "0123456789abcdef0123456789abcdef";
        let ready = "fedcba9876543210fedcba9876543210";
        let raw = format!("\r\n{ready}\r\nout\r\n\r\n{sentinel}:0\r\n");
        for size in 1..raw.len() {
            let mut c = OutputCollector::new(sentinel, 1024).with_ready(ready);
            let mut ready_at = None;
            for (i, chunk) in raw.as_bytes().chunks(size).enumerate() {
                c.feed(chunk);
                if c.is_ready() && ready_at.is_none() {
                    ready_at = Some(i);
                }
            }
            assert!(ready_at.is_some(), "size {size}");
            let (out, _, status) = c.finish();
            assert_eq!(out, "out\n", "size {size}");
            assert_eq!(status.map(|s| s.exit_code), Some(0));
        }
    }

    #[test]
    fn early_failure_before_ready_still_reports() {
        let sentinel = "0123456789abcdef0123456789abcdef";
        let mut c = OutputCollector::new(sentinel, 1024).with_ready("r");
        assert!(c.feed(format!("cd: no such dir\r\n\r\n{sentinel}:1\r\n").as_bytes()));
        assert!(!c.is_ready());
        let (out, _, status) = c.finish();
        assert_eq!(out, "cd: no such dir\n");
        assert_eq!(status.map(|s| s.exit_code), Some(1));
    }

    #[test]
    fn base64_lines_are_short_and_counted() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i % 256) as u8).collect();
        let (text, lines) = base64_lines(&data);
        assert_eq!(text.lines().count(), lines);
        assert!(text.lines().all(|l| l.len() <= 76));
        let joined: String = text.lines().collect();
        assert_eq!(STANDARD.decode(joined).unwrap_or_default(), data);
        assert_eq!(base64_lines(b""), (String::new(), 0));
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
