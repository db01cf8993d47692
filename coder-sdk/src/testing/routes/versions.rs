//! Template versions: create from an uploaded file, get, rich parameters, presets.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Sim, caller, require_owner};
use crate::testing::api_error::{ApiError, ApiResult, json_response, ok, parse_body, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::jobs;
use crate::testing::ops;
use crate::testing::render;
use crate::testing::state::{ParamRec, State, UserRec, VersionRec};
use crate::testing::tarscan;

pub(crate) fn lookup<'a>(s: &'a State, me: &UserRec, id: &str) -> ApiResult<&'a VersionRec> {
    let id = parse_uuid("templateversion", id)?;
    s.version(id)
        .filter(|v| me.is_owner() || me.org_ids.contains(&v.org_id))
        .ok_or_else(ApiError::not_found)
}

#[derive(Deserialize)]
struct CreateVersion {
    #[serde(default)]
    name: String,
    #[serde(default)]
    message: String,
    file_id: Option<Uuid>,
    template_id: Option<Uuid>,
    #[serde(default)]
    storage_method: String,
    #[serde(default)]
    provisioner: String,
}

pub(crate) async fn create(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult {
    let req: CreateVersion = parse_body(&body)?;
    let shared = sim.0.clone();
    let (id, resp) = sim.update(|s| {
        let me = caller(s, p)?;
        let org = s.resolve_org(&org).ok_or_else(ApiError::not_found)?.id;
        require_owner(&me)?;
        if req.storage_method != "file" {
            return Err(ApiError::invalid("storage_method", "must be \"file\""));
        }
        if !matches!(req.provisioner.as_str(), "terraform" | "echo") {
            return Err(ApiError::invalid(
                "provisioner",
                "must be \"terraform\" or \"echo\"",
            ));
        }
        let Some(file_id) = req.file_id else {
            return Err(ApiError::invalid(
                "file_id",
                "A file_id is required with storage_method \"file\".",
            ));
        };
        let file = s
            .files
            .iter()
            .find(|f| f.id == file_id)
            .ok_or_else(|| ApiError::not_found().detail(format!("file {file_id} not found")))?;
        let (parameters, import_error): (Vec<ParamRec>, Option<String>) =
            match tarscan::scan(&file.data) {
                Ok(params) => (params, None),
                Err(e) => (Vec::new(), Some(e)),
            };
        if let Some(t) = req.template_id
            && s.template(t).filter(|t| t.org_id == org).is_none()
        {
            return Err(ApiError::not_found().detail("template not found"));
        }
        let name = if req.name.is_empty() {
            ops::version_name()
        } else {
            req.name
        };
        if let Some(t) = req.template_id
            && s.versions
                .iter()
                .any(|v| v.template_id == Some(t) && v.name == name)
        {
            return Err(ApiError::conflict(format!(
                "A template version with name {name:?} already exists for this template."
            ))
            .validation("name", "This value is already in use and should be unique."));
        }
        let id = ops::insert_version(
            s,
            org,
            req.template_id,
            me.id,
            file_id,
            name,
            req.message,
            parameters,
            Vec::new(),
        );
        if let Some(v) = s.versions.iter_mut().find(|v| v.id == id) {
            v.import_error = import_error;
        }
        let v = s.version(id).ok_or_else(ApiError::not_found)?;
        Ok((id, render::version(s, v)))
    })?;
    jobs::spawn_import(shared, id);
    Ok(json_response(StatusCode::CREATED, resp))
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        ok(render::version(s, lookup(s, &me, &id)?))
    })
}

pub(crate) async fn rich_parameters(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let v = lookup(s, &me, &id)?;
        if !v.job.status.is_done() {
            return Err(ApiError::bad_request(
                "Template version job hasn't completed yet.",
            ));
        }
        let params: Vec<Value> = v.parameters.iter().map(render::parameter).collect();
        ok(json!(params))
    })
}

pub(crate) async fn presets(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let v = lookup(s, &me, &id)?;
        let presets: Vec<Value> = v.presets.iter().map(render::preset).collect();
        ok(json!(presets))
    })
}
