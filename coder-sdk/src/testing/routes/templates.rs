//! Templates: list, get, create, delete, versions and the active version.

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Sim, caller, require_owner};
use crate::testing::api_error::{ApiError, ApiResult, ok, parse_body, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::ops::valid_name;
use crate::testing::render;
use crate::testing::state::{JobStatus, State, TemplateRec, UserRec};

fn visible<'a>(s: &'a State, me: &UserRec) -> Vec<&'a TemplateRec> {
    let mut out: Vec<&TemplateRec> = s
        .templates
        .iter()
        .filter(|t| !t.deleted && (me.is_owner() || me.org_ids.contains(&t.org_id)))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn lookup<'a>(s: &'a State, me: &UserRec, id: &str) -> ApiResult<&'a TemplateRec> {
    let id = parse_uuid("template", id)?;
    s.template(id)
        .filter(|t| me.is_owner() || me.org_ids.contains(&t.org_id))
        .ok_or_else(ApiError::not_found)
}

/// One term of Coder's template search syntax; a bare word matches names.
fn matches(s: &State, t: &TemplateRec, term: &str) -> ApiResult<bool> {
    let (key, value) = term.split_once(':').unwrap_or(("name", term));
    let value = value.trim_matches('"');
    Ok(match key {
        "name" => t.name.to_lowercase().contains(&value.to_lowercase()),
        "exact_name" => t.name == value,
        "organization" => s
            .org(t.org_id)
            .is_some_and(|o| o.name == value || o.id.to_string() == value),
        "deprecated" | "deleted" => value == "false",
        _ => {
            return Err(ApiError::bad_request("Invalid template search query.")
                .validation("q", format!("{key:?} is not a valid query param")));
        }
    })
}

pub(crate) async fn list(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let q = query.get("q").cloned().unwrap_or_default();
    sim.read(|s| {
        let me = caller(s, p)?;
        let mut all = Vec::new();
        for t in visible(s, &me) {
            let mut keep = true;
            for term in q.split_whitespace() {
                keep &= matches(s, t, term)?;
            }
            if keep {
                all.push(render::template(s, t));
            }
        }
        ok(json!(all))
    })
}

pub(crate) async fn list_in_org(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(org): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let org = s.resolve_org(&org).ok_or_else(ApiError::not_found)?;
        let all: Vec<Value> = visible(s, &me)
            .into_iter()
            .filter(|t| t.org_id == org.id)
            .map(|t| render::template(s, t))
            .collect();
        ok(json!(all))
    })
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        ok(render::template(s, lookup(s, &me, &id)?))
    })
}

#[derive(Deserialize)]
struct CreateTemplate {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    icon: String,
    template_version_id: Option<Uuid>,
}

pub(crate) async fn create(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult {
    let req: CreateTemplate = parse_body(&body)?;
    sim.update(|s| {
        let me = caller(s, p)?;
        let org = s.resolve_org(&org).ok_or_else(ApiError::not_found)?.id;
        require_owner(&me)?;
        if !valid_name(&req.name) {
            return Err(ApiError::invalid(
                "name",
                "Must be alphanumeric with hyphens, at most 32 characters.",
            ));
        }
        let Some(version_id) = req.template_version_id else {
            return Err(ApiError::invalid(
                "template_version_id",
                "Validation failed for tag \"required\" with value: \"\"",
            ));
        };
        if s.templates
            .iter()
            .any(|t| !t.deleted && t.org_id == org && t.name == req.name)
        {
            return Err(ApiError::conflict(format!(
                "Template with name {:?} already exists.",
                req.name
            ))
            .validation("name", "This value is already in use and should be unique."));
        }
        let version = s
            .version(version_id)
            .filter(|v| v.org_id == org)
            .ok_or_else(|| {
                ApiError::invalid("template_version_id", "Template version does not exist.")
            })?;
        if version.template_id.is_some_and(|t| s.template(t).is_some()) {
            return Err(ApiError::bad_request(
                "The template version is already attached to a template.",
            ));
        }
        if version.job.status != JobStatus::Succeeded {
            return Err(ApiError::bad_request(
                "The template version's import job has not succeeded.",
            )
            .detail(format!("job status is {:?}", version.job.status.as_str())));
        }
        let now = OffsetDateTime::now_utc();
        let id = Uuid::new_v4();
        let template = TemplateRec {
            id,
            org_id: org,
            display_name: if req.display_name.is_empty() {
                req.name.clone()
            } else {
                req.display_name
            },
            name: req.name,
            description: req.description,
            icon: req.icon,
            active_version_id: version_id,
            created_by: me.id,
            created_at: now,
            updated_at: now,
            deleted: false,
        };
        s.templates.push(template.clone());
        if let Some(v) = s.versions.iter_mut().find(|v| v.id == version_id) {
            v.template_id = Some(id);
        }
        ok(render::template(s, &template))
    })
}

pub(crate) async fn delete(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.update(|s| {
        let me = caller(s, p)?;
        let id = lookup(s, &me, &id)?.id;
        require_owner(&me)?;
        if s.workspaces
            .iter()
            .any(|w| w.template_id == id && !w.deleted)
        {
            return Err(ApiError::bad_request(
                "All workspaces must be deleted before a template can be removed.",
            ));
        }
        if let Some(t) = s.templates.iter_mut().find(|t| t.id == id) {
            t.deleted = true;
        }
        ok(json!({ "message": "Template has been deleted!" }))
    })
}

pub(crate) async fn versions(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let id = lookup(s, &me, &id)?.id;
        let all: Vec<Value> = s
            .versions
            .iter()
            .filter(|v| v.template_id == Some(id))
            .map(|v| render::version(s, v))
            .collect();
        ok(json!(all))
    })
}

#[derive(Deserialize)]
struct SetActive {
    id: Option<Uuid>,
}

pub(crate) async fn set_active(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let req: SetActive = parse_body(&body)?;
    sim.update(|s| {
        let me = caller(s, p)?;
        let template_id = lookup(s, &me, &id)?.id;
        require_owner(&me)?;
        let Some(version_id) = req.id else {
            return Err(ApiError::invalid(
                "id",
                "Validation failed for tag \"required\" with value: \"\"",
            ));
        };
        let version = s.version(version_id).ok_or_else(ApiError::not_found)?;
        if version.template_id != Some(template_id) {
            return Err(ApiError::bad_request(
                "The provided template version doesn't belong to the specified template.",
            ));
        }
        if version.job.status != JobStatus::Succeeded {
            return Err(ApiError::bad_request(
                "The provided template version has not finished importing successfully.",
            ));
        }
        if let Some(t) = s.templates.iter_mut().find(|t| t.id == template_id) {
            t.active_version_id = version_id;
            t.updated_at = OffsetDateTime::now_utc();
        }
        ok(json!({ "message": "Updated the active template version!" }))
    })
}
