//! Workspace builds: list, create (start/stop/delete), get.

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::workspaces::{NameValue, lookup as lookup_workspace};
use super::{Sim, caller, can_access, paginate};
use crate::testing::api_error::{ApiError, ApiResult, ok, parse_body, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::jobs;
use crate::testing::ops;
use crate::testing::render;
use crate::testing::state::Transition;

pub(crate) async fn list(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        let ws = lookup_workspace(s, &me, &id)?;
        let mut builds: Vec<_> = s
            .builds
            .iter()
            .filter(|b| b.workspace_id == ws.id)
            .collect();
        builds.sort_by_key(|b| std::cmp::Reverse(b.number));
        let page: Vec<Value> = paginate(builds, &query)?
            .into_iter()
            .map(|b| render::build(s, &config, b))
            .collect();
        ok(json!(page))
    })
}

#[derive(Deserialize)]
struct CreateBuild {
    transition: Option<String>,
    template_version_id: Option<Uuid>,
    template_version_preset_id: Option<Uuid>,
    #[serde(default)]
    rich_parameter_values: Vec<NameValue>,
}

pub(crate) async fn create(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let req: CreateBuild = parse_body(&body)?;
    let shared = sim.0.clone();
    let config = sim.config.clone();
    let (build_id, resp) = sim.update(|s| {
        let me = caller(s, p)?;
        let ws = lookup_workspace(s, &me, &id)?.clone();
        let transition = req
            .transition
            .as_deref()
            .and_then(Transition::parse)
            .ok_or_else(|| ApiError::invalid("transition", "must be one of start, stop, delete"))?;
        let latest = s.latest_build(ws.id).cloned();
        if latest.as_ref().is_some_and(|b| !b.job.status.is_done()) {
            return Err(ApiError::conflict("A workspace build is already active.")
                .detail("wait for the current build to finish or cancel it"));
        }
        let version_id = req
            .template_version_id
            .or_else(|| latest.as_ref().map(|b| b.template_version_id))
            .or_else(|| s.template(ws.template_id).map(|t| t.active_version_id))
            .ok_or_else(|| {
                ApiError::invalid("template_version_id", "no template version to build")
            })?;
        let version = s
            .version(version_id)
            .filter(|v| v.template_id == Some(ws.template_id))
            .ok_or_else(|| {
                ApiError::invalid(
                    "template_version_id",
                    "The template version does not belong to the workspace's template.",
                )
            })?
            .clone();
        let provided: Vec<(String, String)> = req
            .rich_parameter_values
            .into_iter()
            .map(|nv| (nv.name, nv.value))
            .collect();
        let previous = latest.as_ref().map(|b| b.parameters.clone());
        let params = if transition == Transition::Start {
            ops::resolve_parameters(
                &version,
                req.template_version_preset_id,
                &provided,
                previous.as_deref(),
            )?
        } else {
            previous.unwrap_or_default()
        };
        let build_id = ops::insert_build(
            s,
            ws.id,
            transition,
            version_id,
            req.template_version_preset_id,
            params,
            me.id,
        );
        let b = s.build(build_id).ok_or_else(ApiError::not_found)?;
        Ok((build_id, render::build(s, &config, b)))
    })?;
    jobs::spawn_build(shared, build_id);
    ok(resp)
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        let id = parse_uuid("workspacebuild", &id)?;
        let b = s.build(id).ok_or_else(ApiError::not_found)?;
        let visible = s
            .workspaces
            .iter()
            .find(|w| w.id == b.workspace_id)
            .is_some_and(|w| can_access(&me, w));
        if !visible {
            return Err(ApiError::not_found());
        }
        ok(render::build(s, &config, b))
    })
}
