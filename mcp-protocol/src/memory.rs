//! An in-memory transport: a [`Client`] wired to a [`Server`] with no I/O, for examples,
//! tests, and embedding a server in the same process.
//!
//! Every message crosses as a [`Message`] value, exactly as a real transport would carry it,
//! and can be observed with [`pair_with_tap`].

use std::fmt;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::client::{Client, ClientOptions};
use crate::context::TransportContext;
use crate::extensions::Extensions;
use crate::jsonrpc::Message;
use crate::server::{Connection, Server};

/// Which way a tapped message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

/// A message seen on an in-memory link.
#[derive(Debug, Clone)]
pub struct Tapped {
    /// Which way it went.
    pub direction: Direction,
    /// The message.
    pub message: Message,
}

/// The server side of an in-memory link. Dropping it (or calling [`close`](Self::close))
/// disconnects the client.
pub struct MemoryLink {
    connection: Connection,
    client: Client,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl fmt::Debug for MemoryLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryLink")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

impl MemoryLink {
    /// The server connection behind the link.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Disconnects: cancels requests in flight on both sides and stops delivering messages.
    pub fn close(&self) {
        self.shutdown.cancel();
        self.connection.close();
        self.client.close();
    }
}

impl Drop for MemoryLink {
    fn drop(&mut self) {
        self.close();
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Connects a new client to `server` in memory. Must be called inside a Tokio runtime.
pub fn pair(server: &Server, options: ClientOptions) -> (Client, MemoryLink) {
    link(server, options, None, Extensions::new())
}

/// Like [`pair`], and every message in both directions is also sent to the returned
/// receiver, in the order it was delivered.
pub fn pair_with_tap(
    server: &Server,
    options: ClientOptions,
) -> (Client, MemoryLink, mpsc::UnboundedReceiver<Tapped>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (client, link) = link(server, options, Some(tx), Extensions::new());
    (client, link, rx)
}

/// Like [`pair`], with extensions every request of this link carries (as an HTTP transport
/// would attach the authenticated principal).
pub fn pair_with_extensions(
    server: &Server,
    options: ClientOptions,
    extensions: Extensions,
) -> (Client, MemoryLink) {
    link(server, options, None, extensions)
}

#[derive(Clone)]
struct Tap(Option<mpsc::UnboundedSender<Tapped>>);

impl Tap {
    fn see(&self, direction: Direction, message: &Message) {
        if let Some(tx) = &self.0 {
            let _ = tx.send(Tapped {
                direction,
                message: message.clone(),
            });
        }
    }
}

fn link(
    server: &Server,
    options: ClientOptions,
    tap: Option<mpsc::UnboundedSender<Tapped>>,
    extensions: Extensions,
) -> (Client, MemoryLink) {
    let (client, mut outbound) = Client::new(options);
    let connection = server.connect();
    let shutdown = CancellationToken::new();
    let tap = Tap(tap);
    let mut tasks = Vec::new();

    if let Some(mut unsolicited) = connection.unsolicited() {
        let client = client.clone();
        let tap = tap.clone();
        let shutdown = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let message = tokio::select! {
                    () = shutdown.cancelled() => break,
                    m = unsolicited.recv() => match m {
                        Some(m) => m,
                        None => break,
                    },
                };
                tap.see(Direction::ServerToClient, &message);
                client.handle_incoming(message).await;
            }
        }));
    }

    {
        let client = client.clone();
        let connection = connection.clone();
        let shutdown = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let message = tokio::select! {
                    () = shutdown.cancelled() => break,
                    m = outbound.recv() => match m {
                        Some(m) => m,
                        None => break,
                    },
                };
                tap.see(Direction::ClientToServer, &message);
                if let Message::Request(_) = message {
                    let client = client.clone();
                    let connection = connection.clone();
                    let tap = tap.clone();
                    let ctx = TransportContext::new()
                        .with_extensions(extensions.clone())
                        .with_cancellation(shutdown.child_token());
                    tokio::spawn(serve_request(client, connection, tap, ctx, message));
                } else if let Some(reply) =
                    connection.handle(message, TransportContext::new()).await
                {
                    tap.see(Direction::ServerToClient, &reply);
                    client.handle_incoming(reply).await;
                }
            }
        }));
    }

    let link = MemoryLink {
        connection,
        client: client.clone(),
        shutdown,
        tasks,
    };
    (client, link)
}

/// Runs one request, delivering its related messages before its response, in order.
async fn serve_request(
    client: Client,
    connection: Connection,
    tap: Tap,
    ctx: TransportContext,
    message: Message,
) {
    let (related_tx, mut related_rx) = mpsc::unbounded_channel();
    let ctx = ctx.with_related(related_tx);
    let work = connection.handle(message, ctx);
    tokio::pin!(work);
    let reply = loop {
        tokio::select! {
            biased;
            Some(m) = related_rx.recv() => {
                tap.see(Direction::ServerToClient, &m);
                client.handle_incoming(m).await;
            }
            reply = &mut work => break reply,
        }
    };
    while let Ok(m) = related_rx.try_recv() {
        tap.see(Direction::ServerToClient, &m);
        client.handle_incoming(m).await;
    }
    if let Some(reply) = reply {
        tap.see(Direction::ServerToClient, &reply);
        client.handle_incoming(reply).await;
    }
}
