//! The reconnecting PTY endpoint, backed by a real local shell.
//!
//! Each session runs its command in the workspace's temporary home directory: through
//! `script -qfec <command> /dev/null` when util-linux `script` is installed (a real PTY, so
//! echo and escape sequences look like real Coder's), otherwise through `sh -c` with stdout
//! and stderr merged. The process gets its own process group, which is killed when the
//! socket closes, when the command exits (to reap background children) and when the
//! simulator is dropped.

use std::collections::HashMap;
use std::path::{Path as FsPath, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, OnceLock};

use axum::Extension;
use axum::extract::ws::{
    CloseFrame, Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use serde::Deserialize;
use tempfile::TempDir;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;

use super::api_error::{ApiError, ApiResult};
use super::auth::Principal;
use super::routes::{Sim, caller, can_access};
use super::shared::{Shared, lock};

/// The command an empty `command` query starts.
const LOGIN_SHELL: &str = "sh -l";

/// Where util-linux `script` lives, if it is installed.
fn script_path() -> Option<&'static FsPath> {
    static SCRIPT: OnceLock<Option<PathBuf>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("script"))
                .find(|candidate| candidate.is_file())
        })
        .as_deref()
}

/// Kills a whole process group (no unsafe code: through the `kill` utility), and the
/// groups of the leader's children that left it.
///
/// `script` runs the command in a session of its own, so the command is outside the
/// group; it normally dies of the hang-up when `script` goes, but not when SIGHUP is
/// ignored (a server started under `nohup` passes that on), so its group is killed too.
pub(crate) fn kill_group(pgid: u32) {
    let mut targets = vec![format!("-{pgid}")];
    for child in children(pgid) {
        targets.push(format!("-{child}"));
        targets.push(child.to_string());
    }
    let _ = std::process::Command::new("kill")
        .args(["-s", "KILL", "--"])
        .args(&targets)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The children of a process, from `/proc` (empty where that is not available).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// A client-to-server PTY frame.
#[derive(Deserialize)]
struct PtyInput {
    #[serde(default)]
    data: String,
}

pub(crate) async fn handler(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult {
    let workspace_id = sim.read(|s| {
        let me = caller(s, p)?;
        let agent = super::routes::agent_lookup(s, &me, &id)?;
        let visible = s
            .workspace(agent.workspace_id)
            .is_some_and(|w| can_access(&me, w));
        if !visible {
            return Err(ApiError::not_found());
        }
        if agent.status != "connected" {
            return Err(ApiError::bad_request(format!(
                "Agent state is {:?}, it must be in the \"connected\" state.",
                agent.status
            )));
        }
        Ok(agent.workspace_id)
    })?;
    let ws =
        ws.map_err(|_| ApiError::bad_request("The PTY endpoint requires a WebSocket upgrade."))?;
    let home = sim.home(workspace_id).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Failed to prepare the workspace directory.",
        )
        .detail(e.to_string())
    })?;
    let command = q
        .get("command")
        .filter(|c| !c.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| LOGIN_SHELL.to_owned());
    let width = q
        .get("width")
        .and_then(|w| w.parse::<u16>().ok())
        .unwrap_or(80);
    let height = q
        .get("height")
        .and_then(|h| h.parse::<u16>().ok())
        .unwrap_or(24);
    let shared = sim.0;
    Ok(ws.on_upgrade(move |socket| session(socket, shared, home, command, (width, height))))
}

fn spawn(
    home: &TempDir,
    command: &str,
    (width, height): (u16, u16),
    real_pty: bool,
) -> std::io::Result<Child> {
    let mut cmd = match script_path().filter(|_| real_pty) {
        Some(script) => {
            let mut c = Command::new(script);
            c.args(["-qfec", command, "/dev/null"]);
            c
        }
        None => {
            let mut c = Command::new("sh");
            c.args(["-c", command]);
            c
        }
    };
    cmd.current_dir(home.path())
        .env("HOME", home.path())
        .env("PWD", home.path())
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .env("COLUMNS", width.to_string())
        .env("LINES", height.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    cmd.spawn()
}

fn pump(mut reader: impl AsyncRead + Unpin + Send + 'static, tx: mpsc::Sender<Vec<u8>>) {
    tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
}

async fn write_input(stdin: &mut Option<ChildStdin>, frame: &[u8]) {
    let Ok(input) = serde_json::from_slice::<PtyInput>(frame) else {
        return;
    };
    if input.data.is_empty() {
        return;
    }
    if let Some(pipe) = stdin.as_mut()
        && (pipe.write_all(input.data.as_bytes()).await.is_err() || pipe.flush().await.is_err())
    {
        *stdin = None;
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
}

async fn session(
    mut socket: WebSocket,
    shared: Arc<Shared>,
    home: Arc<TempDir>,
    command: String,
    size: (u16, u16),
) {
    let mut child = match spawn(&home, &command, size, shared.config.real_pty) {
        Ok(child) => child,
        Err(e) => {
            close(&mut socket, 1011, &format!("start command: {e}")).await;
            return;
        }
    };
    let pgid = child.id();
    if let Some(pgid) = pgid {
        lock(&shared.pty_groups).insert(pgid);
    }
    let mut stdin = child.stdin.take();
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(64);
    if let Some(out) = child.stdout.take() {
        pump(out, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        pump(err, tx.clone());
    }
    drop(tx);
    let mut exited = false;
    let mut client_gone = false;
    loop {
        tokio::select! {
            chunk = rx.recv() => match chunk {
                Some(bytes) => {
                    if socket.send(Message::Binary(bytes.into())).await.is_err() {
                        client_gone = true;
                        break;
                    }
                }
                None => break,
            },
            status = child.wait(), if !exited => {
                exited = true;
                let _ = status;
                // Background children may keep the pipes open; end them so output drains.
                if let Some(pgid) = pgid {
                    kill_group(pgid);
                }
            }
            msg = socket.recv() => match msg {
                Some(Ok(Message::Binary(frame))) => write_input(&mut stdin, &frame).await,
                Some(Ok(Message::Text(frame))) => write_input(&mut stdin, frame.as_bytes()).await,
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    client_gone = true;
                    break;
                }
                Some(Ok(_)) => {}
            },
            () = shared.closed() => break,
        }
    }
    if let Some(pgid) = pgid {
        kill_group(pgid);
        lock(&shared.pty_groups).remove(&pgid);
    }
    let _ = child.kill().await;
    if !client_gone {
        close(&mut socket, 1000, "").await;
    }
}
