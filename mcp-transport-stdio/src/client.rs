//! Spawning an MCP server as a child process and talking to it over its pipes.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use mcp_protocol::client::{Client, ClientOptions};
use mcp_protocol::jsonrpc::Message;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, BufReader};
use tokio::process::{Child, ChildStderr};
use tokio::task::JoinHandle;

use crate::lines::{Frame, LineReader};
use crate::server::{DEFAULT_MAX_LINE_BYTES, write_messages};
use crate::{Error, Result};

/// How long each shutdown step waits for the child before escalating, by default.
pub const DEFAULT_SHUTDOWN_STEP: Duration = Duration::from_secs(2);

/// What to run: the server's program, arguments, environment and working directory.
#[derive(Debug, Clone)]
pub struct ServerCommand {
    program: OsString,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    env_clear: bool,
    current_dir: Option<PathBuf>,
    shutdown_step: Duration,
}

impl ServerCommand {
    /// A command running `program` (looked up in `PATH` like a shell would).
    pub fn new(program: impl Into<OsString>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            env_clear: false,
            current_dir: None,
            shutdown_step: DEFAULT_SHUTDOWN_STEP,
        }
    }

    /// Adds one argument.
    #[must_use]
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds several arguments.
    #[must_use]
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets an environment variable for the server.
    #[must_use]
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Starts the server with an empty environment (plus the variables set with [`env`]).
    ///
    /// [`env`]: Self::env
    #[must_use]
    pub fn env_clear(mut self) -> Self {
        self.env_clear = true;
        self
    }

    /// Runs the server in this directory.
    #[must_use]
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = Some(dir.into());
        self
    }

    /// How long [`StdioClient::shutdown`] waits after closing stdin, and again after
    /// SIGTERM, before escalating.
    #[must_use]
    pub fn shutdown_step(mut self, step: Duration) -> Self {
        self.shutdown_step = step;
        self
    }

    fn to_tokio(&self) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(&self.program);
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if self.env_clear {
            cmd.env_clear();
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        if let Some(dir) = &self.current_dir {
            cmd.current_dir(dir);
        }
        cmd
    }
}

/// A running MCP server process and the client engine talking to it.
///
/// Use [`client`](Self::client) for requests. [`shutdown`](Self::shutdown) ends the
/// process the way the spec asks: close its stdin, wait, then terminate, then kill. Dropping
/// without `shutdown` kills the process at once and reaps it in the background.
#[derive(Debug)]
pub struct StdioClient {
    pipes: IoClient,
    child: Option<Child>,
    stderr: JoinHandle<()>,
    shutdown_step: Duration,
}

/// A client engine wired to any reader/writer pair (for embedding and tests).
///
/// The background tasks stop when this is dropped.
#[derive(Debug)]
pub struct IoClient {
    client: Client,
    writer: JoinHandle<std::io::Result<()>>,
    reader: JoinHandle<()>,
}

impl IoClient {
    /// Wires a client engine to `reader` (the server's output) and `writer` (its input).
    pub fn new<R, W>(reader: R, writer: W, options: ClientOptions) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (client, outbound) = Client::new(options);
        Self {
            writer: tokio::spawn(write_messages(writer, outbound)),
            reader: tokio::spawn(read_messages(reader, client.clone())),
            client,
        }
    }

    /// The client engine: send requests through it.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Closes the writing side, so the server sees end of input.
    pub fn close_input(&self) {
        self.writer.abort();
    }
}

impl Drop for IoClient {
    fn drop(&mut self) {
        self.writer.abort();
        self.reader.abort();
    }
}

impl StdioClient {
    /// Starts the server and wires it to a client engine (not yet negotiated: call
    /// [`Client::connect`] next, or use [`connect`](Self::connect)).
    pub fn spawn(command: &ServerCommand, options: ClientOptions) -> Result<Self> {
        let mut child = command.to_tokio().spawn().map_err(|source| Error::Spawn {
            program: command.program.to_string_lossy().into_owned(),
            source,
        })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Error::Io(std::io::Error::other("child pipes missing")));
        };
        Ok(Self {
            pipes: IoClient::new(stdout, stdin, options),
            stderr: tokio::spawn(forward_stderr(stderr)),
            child: Some(child),
            shutdown_step: command.shutdown_step,
        })
    }

    /// Starts the server and negotiates the protocol (2026-07-28 first, then `initialize`).
    pub async fn connect(command: &ServerCommand, options: ClientOptions) -> Result<Self> {
        let this = Self::spawn(command, options)?;
        this.client().connect().await?;
        Ok(this)
    }

    /// The client engine: send requests through it.
    pub fn client(&self) -> &Client {
        self.pipes.client()
    }

    /// The server's process id, while it runs.
    pub fn id(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    /// Ends the server: closes its stdin and waits, then sends SIGTERM and waits, then kills
    /// it. Always reaps the process.
    pub async fn shutdown(mut self) -> Result<ExitStatus> {
        self.pipes.close_input(); // drops the child's stdin: the server sees end of input
        let Some(mut child) = self.child.take() else {
            return Err(Error::Io(std::io::Error::other("already shut down")));
        };
        if let Ok(status) = tokio::time::timeout(self.shutdown_step, child.wait()).await {
            return Ok(status?);
        }
        terminate(&child);
        if let Ok(status) = tokio::time::timeout(self.shutdown_step, child.wait()).await {
            return Ok(status?);
        }
        child.kill().await?;
        Ok(child.wait().await?)
    }
}

impl Drop for StdioClient {
    fn drop(&mut self) {
        self.stderr.abort();
        if let Some(mut child) = self.child.take() {
            let _ = child.start_kill();
            // Reap it so no zombie is left behind, when a runtime is there to do it.
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(async move {
                    let _ = child.wait().await;
                });
            }
        }
    }
}

#[cfg(unix)]
fn terminate(child: &Child) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    if let Some(pid) = child.id().and_then(|id| i32::try_from(id).ok()) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    }
}

#[cfg(not(unix))]
fn terminate(_child: &Child) {}

async fn read_messages<R: AsyncRead + Unpin>(stdout: R, client: Client) {
    let mut lines = LineReader::new(BufReader::new(stdout), DEFAULT_MAX_LINE_BYTES);
    loop {
        match lines.next().await {
            Ok(Some(Frame::Line(line))) => match Message::parse(&line) {
                Ok(message) => client.handle_incoming(message).await,
                Err(e) => tracing::warn!("MCP server sent an invalid message: {}", e.error),
            },
            Ok(Some(Frame::TooLong(len))) => {
                tracing::warn!("MCP server sent a {len}-byte message over the limit; skipped");
            }
            Ok(None) => break,
            Err(e) => {
                tracing::warn!("reading from the MCP server failed: {e}");
                break;
            }
        }
    }
    // The server is gone: fail what is still waiting instead of letting it time out.
    client.close();
}

async fn forward_stderr(stderr: ChildStderr) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tracing::info!(target: "mcp_transport_stdio::server_stderr", "{line}");
    }
}
