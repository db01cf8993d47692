//! Tasks: create, list, get, delete, send input, logs.

use std::collections::HashMap;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::workspaces::{NewWorkspace, insert as insert_workspace};
use super::{Sim, caller};
use crate::testing::api_error::{ApiError, ApiResult, json_response, ok, parse_body};
use crate::testing::auth::Principal;
use crate::testing::jobs;
use crate::testing::ops;
use crate::testing::render;
use crate::testing::state::{State, TaskLog, TaskRec, Transition, UserRec};

fn empty(status: StatusCode) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = status;
    resp
}

/// Finds a task by owner and id or name.
fn lookup<'a>(s: &'a State, me: &UserRec, user: &str, task: &str) -> ApiResult<&'a TaskRec> {
    let owner = s
        .resolve_user(me.id, user)
        .ok_or_else(ApiError::not_found)?;
    let found = match Uuid::parse_str(task) {
        Ok(id) => s.task(id),
        Err(_) => s
            .tasks
            .iter()
            .find(|t| !t.deleted && t.name == task && t.owner_id == owner.id),
    };
    found
        .filter(|t| t.owner_id == owner.id && (me.is_owner() || t.owner_id == me.id))
        .ok_or_else(ApiError::not_found)
}

pub(crate) async fn list(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let mut owner: Option<Uuid> = None;
        let mut status: Option<String> = None;
        for term in q.get("q").map_or("", String::as_str).split_whitespace() {
            match term.split_once(':') {
                Some(("owner", v)) => {
                    owner = Some(s.resolve_user(me.id, v).map_or(Uuid::nil(), |u| u.id));
                }
                Some(("status", v)) => status = Some(v.to_owned()),
                Some(("organization", _)) => {}
                _ => {
                    return Err(ApiError::bad_request("Invalid task search query.")
                        .validation("q", format!("unsupported term {term:?}")));
                }
            }
        }
        let tasks: Vec<Value> = s
            .tasks
            .iter()
            .filter(|t| !t.deleted && (me.is_owner() || t.owner_id == me.id))
            .filter(|t| owner.is_none_or(|o| t.owner_id == o))
            .filter(|t| {
                status
                    .as_deref()
                    .is_none_or(|st| render::task_status(s, t) == st)
            })
            .map(|t| render::task(s, t))
            .collect();
        ok(json!({ "count": tasks.len(), "tasks": tasks }))
    })
}

#[derive(Deserialize)]
struct CreateTask {
    #[serde(default)]
    input: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    template_version_id: Option<Uuid>,
    template_version_preset_id: Option<Uuid>,
}

pub(crate) async fn create(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(user): Path<String>,
    body: Bytes,
) -> ApiResult {
    let req: CreateTask = parse_body(&body)?;
    if req.input.trim().is_empty() {
        return Err(ApiError::invalid(
            "input",
            "Validation failed for tag \"required\" with value: \"\"",
        ));
    }
    let Some(version_id) = req.template_version_id else {
        return Err(ApiError::invalid(
            "template_version_id",
            "Validation failed for tag \"required\" with value: \"\"",
        ));
    };
    let shared = sim.0.clone();
    let (build, resp) = sim.update(|s| {
        let me = caller(s, p)?;
        let owner = s
            .resolve_user(me.id, &user)
            .ok_or_else(ApiError::not_found)?
            .clone();
        let name = if req.name.is_empty() {
            format!("task-{}", &ops::version_name()[4..])
        } else {
            req.name.clone()
        };
        if s.tasks
            .iter()
            .any(|t| !t.deleted && t.owner_id == owner.id && t.name == name)
        {
            return Err(ApiError::conflict(format!("Task {name:?} already exists."))
                .validation("name", "This value is already in use and should be unique."));
        }
        let (ws, build) = insert_workspace(
            s,
            &me,
            &owner,
            None,
            &NewWorkspace {
                name: name.clone(),
                template_id: None,
                template_version_id: Some(version_id),
                preset_id: req.template_version_preset_id,
                parameters: Vec::new(),
                ttl_ms: None,
            },
        )?;
        let now = OffsetDateTime::now_utc();
        let log_id = s.next_log_id();
        let org_id = s.workspace(ws).map_or(Uuid::nil(), |w| w.org_id);
        let task = TaskRec {
            id: Uuid::new_v4(),
            display_name: if req.display_name.is_empty() {
                name.clone()
            } else {
                req.display_name.clone()
            },
            name,
            owner_id: owner.id,
            org_id,
            template_version_id: version_id,
            workspace_id: ws,
            prompt: req.input.clone(),
            created_at: now,
            updated_at: now,
            deleted: false,
            logs: vec![TaskLog {
                id: log_id,
                time: now,
                kind: "input",
                content: req.input.clone(),
            }],
        };
        let body = render::task(s, &task);
        s.tasks.push(task);
        Ok((build, body))
    })?;
    jobs::spawn_build(shared, build);
    Ok(json_response(StatusCode::CREATED, resp))
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((user, task)): Path<(String, String)>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        ok(render::task(s, lookup(s, &me, &user, &task)?))
    })
}

pub(crate) async fn delete(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((user, task)): Path<(String, String)>,
) -> ApiResult {
    let shared = sim.0.clone();
    let build = sim.update(|s| {
        let me = caller(s, p)?;
        let (task_id, ws_id) = {
            let t = lookup(s, &me, &user, &task)?;
            (t.id, t.workspace_id)
        };
        if let Some(t) = s.tasks.iter_mut().find(|t| t.id == task_id) {
            t.deleted = true;
        }
        let latest = s.latest_build(ws_id).cloned();
        let build = match latest {
            Some(b) if b.job.status.is_done() && s.workspace(ws_id).is_some() => {
                Some(ops::insert_build(
                    s,
                    ws_id,
                    Transition::Delete,
                    b.template_version_id,
                    None,
                    b.parameters,
                    me.id,
                ))
            }
            _ => None,
        };
        Ok(build)
    })?;
    if let Some(build) = build {
        jobs::spawn_build(shared, build);
    }
    Ok(empty(StatusCode::ACCEPTED))
}

#[derive(Deserialize)]
struct SendInput {
    #[serde(default)]
    input: String,
}

pub(crate) async fn send(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((user, task)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let req: SendInput = parse_body(&body)?;
    if req.input.is_empty() {
        return Err(ApiError::invalid(
            "input",
            "Validation failed for tag \"required\" with value: \"\"",
        ));
    }
    sim.update(|s| {
        let me = caller(s, p)?;
        let (task_id, status) = {
            let t = lookup(s, &me, &user, &task)?;
            (t.id, render::task_status(s, t))
        };
        if status != "active" {
            return Err(
                ApiError::bad_request("Task app is not ready to accept input.")
                    .detail(format!("task status is {status:?}")),
            );
        }
        let now = OffsetDateTime::now_utc();
        let input_id = s.next_log_id();
        let output_id = s.next_log_id();
        if let Some(t) = s.tasks.iter_mut().find(|t| t.id == task_id) {
            t.updated_at = now;
            t.logs.push(TaskLog {
                id: input_id,
                time: now,
                kind: "input",
                content: req.input.clone(),
            });
            t.logs.push(TaskLog {
                id: output_id,
                time: now,
                kind: "output",
                content: format!("Received: {}", req.input),
            });
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

pub(crate) async fn logs(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((user, task)): Path<(String, String)>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let t = lookup(s, &me, &user, &task)?;
        ok(render::model(&crate::TaskLogsResponse {
            logs: t
                .logs
                .iter()
                .map(|l| crate::TaskLogEntry {
                    id: l.id,
                    log_type: if l.kind == "input" {
                        crate::TaskLogType::Input
                    } else {
                        crate::TaskLogType::Output
                    },
                    content: l.content.clone(),
                    time: l.time,
                })
                .collect(),
            snapshot: false,
            snapshot_at: None,
        }))
    })
}
