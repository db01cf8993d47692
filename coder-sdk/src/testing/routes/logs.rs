//! Build, template version and agent logs: JSON snapshots and `?follow` WebSockets.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::extract::ws::{
    CloseFrame, Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::Value;
use uuid::Uuid;

use super::{Sim, caller, can_access};
use crate::testing::api_error::{ApiError, ApiResult, ok, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::recorder::RecordIndex;
use crate::testing::render;
use crate::testing::shared::Shared;
use crate::testing::state::State;

/// What a follow loop reads on every change: (new entries after `after`, the id of the last
/// one, whether the stream is complete).
type Fetch = Box<dyn Fn(&State, i64) -> (Vec<Value>, i64, bool) + Send + Sync>;

/// The parsed log query (`after`, `before`, `follow`, `format`).
struct LogQuery {
    after: i64,
    before: Option<i64>,
    follow: bool,
    text: bool,
}

fn parse_query(q: &HashMap<String, String>) -> ApiResult<LogQuery> {
    let int = |name: &str| -> ApiResult<Option<i64>> {
        match q.get(name).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::bad_request("Query parameters have invalid values.").validation(
                    name,
                    format!("Query param {name:?} must be a valid integer"),
                )
            }),
        }
    };
    // Coder treats a present `follow` (even empty) as true.
    let follow = q
        .get("follow")
        .is_some_and(|v| v.is_empty() || v == "true" || v == "1");
    let text = match q.get("format").map(String::as_str) {
        None | Some("" | "json") => false,
        Some("text") => true,
        Some(other) => {
            return Err(
                ApiError::bad_request("Query parameters have invalid values.")
                    .validation("format", format!("unsupported format {other:?}")),
            );
        }
    };
    if text && follow {
        return Err(ApiError::bad_request(
            "Text format is not supported with follow.",
        ));
    }
    Ok(LogQuery {
        after: int("after")?.unwrap_or(0),
        before: int("before")?,
        follow,
        text,
    })
}

/// Serves a snapshot (JSON or text) or upgrades to a follow stream.
fn respond(
    shared: Arc<Shared>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    query: &LogQuery,
    fetch: Fetch,
    frames_are_arrays: bool,
    record: Option<Extension<RecordIndex>>,
) -> ApiResult {
    if query.follow {
        let ws =
            ws.map_err(|_| ApiError::bad_request("Following logs requires a WebSocket upgrade."))?;
        let stream = Follow {
            shared,
            fetch,
            after: query.after,
            arrays: frames_are_arrays,
            record: record.map(|Extension(RecordIndex(i))| i),
        };
        return Ok(ws.on_upgrade(move |socket| follow(socket, stream)));
    }
    let (mut entries, _, _) = shared.read(|s| fetch(s, query.after));
    if let Some(before) = query.before {
        entries.retain(|e| e["id"].as_i64().is_some_and(|id| id < before));
    }
    if query.text {
        let text: String = entries
            .iter()
            .map(|e| {
                format!(
                    "{} {}\n",
                    e["created_at"].as_str().unwrap_or_default(),
                    e["output"].as_str().unwrap_or_default()
                )
            })
            .collect();
        return Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response());
    }
    ok(Value::Array(entries))
}

/// What a follow stream needs.
struct Follow {
    shared: Arc<Shared>,
    fetch: Fetch,
    after: i64,
    /// Agent logs send arrays; job logs send one object per frame.
    arrays: bool,
    /// The request log entry to append sent frames to.
    record: Option<usize>,
}

async fn follow(mut socket: WebSocket, stream: Follow) {
    let Follow {
        shared,
        fetch,
        mut after,
        arrays,
        record,
    } = stream;
    let mut changes = shared.subscribe();
    loop {
        let (entries, last, done) = shared.read(|s| fetch(s, after));
        after = last;
        let frames: Vec<Value> = if arrays {
            if entries.is_empty() {
                Vec::new()
            } else {
                vec![Value::Array(entries)]
            }
        } else {
            entries
        };
        for frame in frames {
            let text = frame.to_string();
            if let Some(i) = record {
                shared.recorder.push_frame(i, frame);
            }
            if socket.send(Message::Text(text.into())).await.is_err() {
                return;
            }
        }
        if done || shared.is_closed() {
            let _ = socket
                .send(Message::Close(Some(CloseFrame {
                    code: 1000,
                    reason: "".into(),
                })))
                .await;
            return;
        }
        tokio::select! {
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            () = shared.closed() => {}
            msg = socket.recv() => {
                match msg {
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    Some(Ok(_)) => {}
                }
            }
        }
    }
}

fn job_fetch(job_of: impl Fn(&State) -> Option<Uuid> + Send + Sync + 'static) -> Fetch {
    Box::new(move |s: &State, after: i64| {
        let Some(job) = job_of(s).and_then(|id| s.job(id)) else {
            return (Vec::new(), after, true);
        };
        let entries: Vec<Value> = job
            .logs
            .iter()
            .filter(|l| l.id > after)
            .map(render::job_log)
            .collect();
        let last = job.logs.last().map_or(after, |l| l.id.max(after));
        (entries, last, job.status.is_done())
    })
}

pub(crate) async fn build_logs(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    record: Option<Extension<RecordIndex>>,
) -> ApiResult {
    let query = parse_query(&q)?;
    let id = parse_uuid("workspacebuild", &id)?;
    sim.read(|s| {
        let me = caller(s, p)?;
        let b = s.build(id).ok_or_else(ApiError::not_found)?;
        let visible = s
            .workspaces
            .iter()
            .find(|w| w.id == b.workspace_id)
            .is_some_and(|w| can_access(&me, w));
        if visible {
            Ok(())
        } else {
            Err(ApiError::not_found())
        }
    })?;
    let fetch = job_fetch(move |s| s.build(id).map(|b| b.job.id));
    respond(sim.0, ws, &query, fetch, false, record)
}

pub(crate) async fn version_logs(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    record: Option<Extension<RecordIndex>>,
) -> ApiResult {
    let query = parse_query(&q)?;
    let id = sim.read(|s| {
        let me = caller(s, p)?;
        super::versions::lookup(s, &me, &id).map(|v| v.id)
    })?;
    let fetch = job_fetch(move |s| s.version(id).map(|v| v.job.id));
    respond(sim.0, ws, &query, fetch, false, record)
}

pub(crate) async fn agent_logs(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    record: Option<Extension<RecordIndex>>,
) -> ApiResult {
    let query = parse_query(&q)?;
    let id = sim.read(|s| {
        let me = caller(s, p)?;
        super::agents::lookup(s, &me, &id).map(|a| a.id)
    })?;
    let fetch: Fetch = Box::new(move |s: &State, after: i64| {
        let Some(agent) = s.agent(id) else {
            return (Vec::new(), after, true);
        };
        let entries: Vec<Value> = agent
            .logs
            .iter()
            .filter(|l| l.id > after)
            .map(|l| render::agent_log(agent, l))
            .collect();
        let last = agent.logs.last().map_or(after, |l| l.id.max(after));
        let done = matches!(
            agent.lifecycle,
            "ready" | "start_error" | "start_timeout" | "off"
        );
        (entries, last, done)
    });
    respond(sim.0, ws, &query, fetch, true, record)
}
