//! Serving an MCP server over a pair of byte streams (stdin/stdout by default).

use std::future::Future;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use mcp_protocol::context::TransportContext;
use mcp_protocol::jsonrpc::{ErrorObject, ErrorResponse, Message};
use mcp_protocol::server::{Connection, Outgoing, Server};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::Result;
use crate::lines::{Frame, LineReader};

/// The default limit on one message: 16 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// How long in-flight requests may run after the client closes its end, by default.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// An MCP server speaking newline-delimited JSON-RPC over two byte streams.
///
/// A message whose handling must wait for anything (I/O, a timer, a client answer) goes on
/// its own task, so a slow tool never holds up a `ping` or another call; one that finishes
/// at once is answered without a task. Responses are written as they complete, in any
/// order. (A tool that computes for a long time before its first await delays reading the
/// next message until then.)
#[derive(Debug, Clone)]
pub struct StdioServer {
    server: Server,
    max_line_bytes: usize,
    shutdown_grace: Duration,
}

impl StdioServer {
    /// Wraps an engine with the default limits.
    pub fn new(server: Server) -> Self {
        Self {
            server,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }

    /// The largest message accepted, in bytes. Longer lines are answered with an error and
    /// skipped; reading continues with the next line.
    #[must_use]
    pub fn max_line_bytes(mut self, bytes: usize) -> Self {
        self.max_line_bytes = bytes;
        self
    }

    /// How long requests still running at end of input may take before they are cancelled.
    #[must_use]
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Serves on the process's stdin and stdout ([`stdin`](crate::stdin),
    /// [`stdout`](crate::stdout)) until stdin closes.
    ///
    /// Stdout carries protocol messages only: send logs to stderr.
    pub async fn serve(self) -> Result<()> {
        self.serve_io(crate::stdin(), crate::stdout()).await
    }

    /// Serves on any pair of streams until `reader` reaches end of input, then lets
    /// in-flight requests finish (within the grace period) and flushes `writer`.
    pub async fn serve_io<R, W>(self, reader: R, writer: W) -> Result<()>
    where
        R: AsyncRead + Unpin + Send,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let connection = self.server.connect();
        let (out_tx, out_rx) = mpsc::unbounded_channel::<Message>();
        let (reply_tx, reply_rx) = mpsc::unbounded_channel::<Outgoing>();
        let writer_task = tokio::spawn(write_messages(
            writer,
            ServerOutbound {
                messages: out_rx,
                replies: reply_rx,
            },
        ));
        let unsolicited_task = connection
            .unsolicited()
            .map(|rx| tokio::spawn(forward(rx, out_tx.clone())));

        let mut in_flight = JoinSet::new();
        let mut lines = LineReader::new(BufReader::new(reader), self.max_line_bytes);
        let read_result = loop {
            let frame = match lines.next().await {
                Ok(Some(frame)) => frame,
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            };
            // Reap finished tasks so the set does not grow with the connection's lifetime.
            while in_flight.try_join_next().is_some() {}
            match frame {
                Frame::TooLong(len) => {
                    let error = ErrorObject::invalid_request(format!(
                        "message of {len} bytes exceeds the limit of {} bytes",
                        self.max_line_bytes
                    ));
                    let reply = ErrorResponse::new(None, error).into();
                    if out_tx.send(reply).is_err() {
                        break Ok(());
                    }
                }
                Frame::Line(line) => match Message::parse(&line) {
                    Ok(message) => {
                        let work = handle(
                            connection.clone(),
                            message,
                            out_tx.clone(),
                            reply_tx.clone(),
                        );
                        if let Some(pending) = run_ready(work) {
                            in_flight.spawn(pending);
                        }
                    }
                    Err(reply) => {
                        if out_tx.send(reply.into()).is_err() {
                            break Ok(());
                        }
                    }
                },
            }
        };

        // End of input: give running requests their grace period, then cancel the rest.
        let drained = tokio::time::timeout(self.shutdown_grace, async {
            while in_flight.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                "stdin closed; cancelling {} request(s) still running after {:?}",
                in_flight.len(),
                self.shutdown_grace
            );
            in_flight.abort_all();
        }
        connection.close();
        if let Some(task) = unsolicited_task {
            task.abort();
        }
        drop(out_tx);
        drop(reply_tx);
        let written = writer_task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        read_result?;
        written?;
        Ok(())
    }
}

/// Serves `server` on stdin/stdout with the default limits. See [`StdioServer`].
pub async fn serve(server: Server) -> Result<()> {
    StdioServer::new(server).serve().await
}

/// Serves `server` on any reader/writer pair with the default limits. See [`StdioServer`].
pub async fn serve_io<R, W>(server: Server, reader: R, writer: W) -> Result<()>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    StdioServer::new(server).serve_io(reader, writer).await
}

/// Runs `work` here if it completes without waiting (most requests: a tool answering from
/// memory, a list, a ping), which saves a task spawn and a cross-thread wake-up per message;
/// returns it, to go on its own task, as soon as it has to wait for anything.
fn run_ready<F: Future<Output = ()>>(work: F) -> Option<std::pin::Pin<Box<F>>> {
    let mut work = Box::pin(work);
    // Whatever the first poll waits on is registered again with the task's own waker when
    // the task polls it next, so the no-op waker loses no wake-up.
    match work.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(()) => None,
        Poll::Pending => Some(work),
    }
}

async fn handle(
    connection: Connection,
    message: Message,
    related: mpsc::UnboundedSender<Message>,
    replies: mpsc::UnboundedSender<Outgoing>,
) {
    let ctx = TransportContext::new().with_related(related);
    if let Some(reply) = connection.respond(message, ctx).await {
        // A closed writer means the client is gone; nobody is left to tell.
        let _ = replies.send(reply);
    }
}

async fn forward(mut rx: mpsc::UnboundedReceiver<Message>, out: mpsc::UnboundedSender<Message>) {
    while let Some(message) = rx.recv().await {
        if out.send(message).is_err() {
            break;
        }
    }
}

/// Writes messages one per line, flushing only when no more are queued, so bursts of small
/// messages cost one write system call instead of one each.
///
/// Each message is serialized into one line buffer that lives as long as the writer, so a
/// large result costs no fresh allocation per message once the buffer has grown.
pub(crate) async fn write_messages<W>(writer: W, mut rx: impl Outbound) -> std::io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let mut writer = BufWriter::with_capacity(64 * 1024, writer);
    let mut line = Vec::with_capacity(1024);
    while let Some(message) = rx.recv().await {
        let mut next = Some(message);
        while let Some(message) = next {
            line.clear();
            if let Err(e) = message.write_json(&mut line) {
                tracing::error!("dropping an outbound message that failed to serialize: {e}");
            } else {
                line.push(b'\n');
                writer.write_all(&line).await?;
            }
            next = rx.try_recv();
        }
        writer.flush().await?;
    }
    writer.flush().await?;
    writer.shutdown().await
}

/// What the writer drains: the engine's client uses one bounded channel of messages, the
/// server one channel of replies plus one of everything else.
pub(crate) trait Outbound: Send {
    fn recv(&mut self) -> impl std::future::Future<Output = Option<Outgoing>> + Send;
    fn try_recv(&mut self) -> Option<Outgoing>;
}

impl Outbound for mpsc::Receiver<Message> {
    async fn recv(&mut self) -> Option<Outgoing> {
        Self::recv(self).await.map(Outgoing::from)
    }
    fn try_recv(&mut self) -> Option<Outgoing> {
        Self::try_recv(self).ok().map(Outgoing::from)
    }
}

/// The server's two channels: replies with their results still typed (serialized straight
/// into the line buffer), and every other message (notifications and requests related to a
/// request, messages related to none, parse errors).
///
/// Other messages are taken first: a request's progress notifications are sent before its
/// reply, so they stay ahead of it on the wire.
struct ServerOutbound {
    messages: mpsc::UnboundedReceiver<Message>,
    replies: mpsc::UnboundedReceiver<Outgoing>,
}

impl Outbound for ServerOutbound {
    async fn recv(&mut self) -> Option<Outgoing> {
        tokio::select! {
            biased;
            Some(m) = self.messages.recv() => Some(m.into()),
            Some(r) = self.replies.recv() => Some(r),
            else => None,
        }
    }
    fn try_recv(&mut self) -> Option<Outgoing> {
        match self.messages.try_recv() {
            Ok(m) => Some(m.into()),
            Err(_) => self.replies.try_recv().ok(),
        }
    }
}
