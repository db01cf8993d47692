//! The reconnecting PTY: a terminal on the workspace agent, reached through coderd over a
//! WebSocket (no tailnet needed).

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use tokio_tungstenite::tungstenite::{self, Message};
use uuid::Uuid;

use crate::client::{Auth, push_query};
use crate::error::{Error, Result};
use crate::ids::WorkspaceAgentId;
use crate::websocket::WsStream;

/// How to open a reconnecting PTY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtyOptions {
    /// Session id; reusing one reattaches to the same terminal and replays its buffer.
    pub reconnect: Uuid,
    /// Terminal width in columns.
    pub width: u16,
    /// Terminal height in rows.
    pub height: u16,
    /// Command to run instead of the login shell.
    pub command: Option<String>,
    /// `buffered` or `screen` (the agent picks when unset).
    pub backend_type: Option<String>,
    /// Run inside this dev container.
    pub container: Option<String>,
    /// As this user inside the container.
    pub container_user: Option<String>,
}

impl Default for PtyOptions {
    fn default() -> Self {
        Self {
            reconnect: Uuid::new_v4(),
            width: 80,
            height: 24,
            command: None,
            backend_type: None,
            container: None,
            container_user: None,
        }
    }
}

impl PtyOptions {
    /// A new session (random id) with an 80x24 login shell.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `command` instead of the login shell.
    #[must_use]
    pub fn with_command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// Sets the terminal size.
    #[must_use]
    pub fn with_size(mut self, width: u16, height: u16) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Chooses the agent backend (`buffered` or `screen`).
    #[must_use]
    pub fn with_backend_type(mut self, backend: impl Into<String>) -> Self {
        self.backend_type = Some(backend.into());
        self
    }
}

/// A client-to-server frame.
#[derive(Serialize)]
struct PtyRequest<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    data: &'a str,
    #[serde(skip_serializing_if = "is_zero")]
    height: u16,
    #[serde(skip_serializing_if = "is_zero")]
    width: u16,
}

fn is_zero(v: &u16) -> bool {
    *v == 0
}

/// An open reconnecting PTY.
///
/// Output is raw terminal bytes (stdout and stderr merged, with echo and escape sequences).
/// The server closes the socket when the command exits. Dropping it closes the connection;
/// the agent keeps the session for a while so it can be reattached with the same id.
pub struct ReconnectingPty {
    ws: WsStream,
}

impl std::fmt::Debug for ReconnectingPty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingPty").finish_non_exhaustive()
    }
}

impl ReconnectingPty {
    /// Types `data` into the terminal.
    pub async fn write(&mut self, data: &str) -> Result<()> {
        self.send(&PtyRequest {
            data,
            height: 0,
            width: 0,
        })
        .await
    }

    /// Resizes the terminal.
    pub async fn resize(&mut self, width: u16, height: u16) -> Result<()> {
        self.send(&PtyRequest {
            data: "",
            height,
            width,
        })
        .await
    }

    async fn send(&mut self, req: &PtyRequest<'_>) -> Result<()> {
        let frame = serde_json::to_vec(req).map_err(|source| Error::Decode {
            path: "<pty request>".to_owned(),
            source,
        })?;
        self.ws
            .send(Message::Binary(frame.into()))
            .await
            .map_err(Error::websocket)
    }

    /// The next chunk of output, or `None` once the terminal closed.
    pub async fn read(&mut self) -> Option<Result<Bytes>> {
        loop {
            return match self.ws.next().await? {
                Ok(Message::Binary(bytes)) => Some(Ok(bytes)),
                Ok(Message::Text(text)) => Some(Ok(Bytes::copy_from_slice(text.as_bytes()))),
                Ok(Message::Close(_)) => None,
                Ok(_) => continue,
                Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                    None
                }
                Err(e) => Some(Err(Error::websocket(e))),
            };
        }
    }

    /// Closes the connection politely.
    pub async fn close(mut self) -> Result<()> {
        match self.ws.close(None).await {
            Ok(())
            | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                Ok(())
            }
            Err(e) => Err(Error::websocket(e)),
        }
    }
}

impl crate::Client {
    /// Opens a reconnecting PTY on an agent
    /// (`GET /api/v2/workspaceagents/{workspaceagent}/pty`, a WebSocket).
    pub async fn workspace_agent_reconnecting_pty(
        &self,
        agent: WorkspaceAgentId,
        options: &PtyOptions,
    ) -> Result<ReconnectingPty> {
        let mut url =
            self.endpoint(&["api", "v2", "workspaceagents", &agent.to_string(), "pty"])?;
        push_query(&mut url, "reconnect", Some(options.reconnect));
        push_query(&mut url, "width", Some(options.width));
        push_query(&mut url, "height", Some(options.height));
        push_query(&mut url, "command", options.command.as_deref());
        push_query(&mut url, "backend_type", options.backend_type.as_deref());
        push_query(&mut url, "container", options.container.as_deref());
        push_query(
            &mut url,
            "container_user",
            options.container_user.as_deref(),
        );
        let ws = self.websocket(url, Auth::Session).await?;
        Ok(ReconnectingPty { ws })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn request_frames_omit_empty_fields() {
        let data = serde_json::to_string(&PtyRequest {
            data: "ls\r",
            height: 0,
            width: 0,
        })
        .unwrap();
        assert_eq!(data, r#"{"data":"ls\r"}"#);
        let resize = serde_json::to_string(&PtyRequest {
            data: "",
            height: 24,
            width: 80,
        })
        .unwrap();
        assert_eq!(resize, r#"{"height":24,"width":80}"#);
    }
}
