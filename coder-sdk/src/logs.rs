//! Following logs live over a WebSocket.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::client::decode;
use crate::error::{Error, Result};
use crate::websocket::WsStream;

/// A live log: yields lines as the server sends them and ends when the server closes the
/// socket (for build and import logs: when the job is done).
///
/// Dropping the stream closes the connection.
pub struct LogStream<T> {
    inner: BoxStream<'static, Result<T>>,
    _marker: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for LogStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogStream").finish_non_exhaustive()
    }
}

impl<T> Stream for LogStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

/// How frames carry log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One JSON object per frame (build and template-version logs).
    One,
    /// A JSON array of lines per frame (agent logs).
    Batch,
}

impl<T: DeserializeOwned + Send + 'static> LogStream<T> {
    pub(crate) fn new(ws: WsStream, framing: Framing) -> Self {
        let state = (ws, VecDeque::<T>::new(), false);
        let inner =
            futures::stream::unfold(state, move |(mut ws, mut queue, mut done)| async move {
                loop {
                    if let Some(item) = queue.pop_front() {
                        return Some((Ok(item), (ws, queue, done)));
                    }
                    if done {
                        return None;
                    }
                    let payload = match ws.next().await {
                        None => return None,
                        Some(Ok(Message::Text(text))) => text.as_bytes().to_vec(),
                        Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                        Some(Ok(Message::Close(_))) => return None,
                        Some(Ok(_)) => continue,
                        Some(Err(
                            tungstenite::Error::ConnectionClosed
                            | tungstenite::Error::AlreadyClosed,
                        )) => return None,
                        Some(Err(e)) => {
                            done = true;
                            return Some((Err(Error::websocket(e)), (ws, queue, done)));
                        }
                    };
                    let decoded = match framing {
                        Framing::One => decode::<T>(&payload).map(|one| queue.push_back(one)),
                        Framing::Batch => decode::<Vec<T>>(&payload).map(|many| queue.extend(many)),
                    };
                    if let Err(e) = decoded {
                        done = true;
                        return Some((Err(e), (ws, queue, done)));
                    }
                }
            });
        Self {
            inner: inner.boxed(),
            _marker: PhantomData,
        }
    }
}
