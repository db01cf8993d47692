//! Workspaces: list with Coder's `q` filter, get by id or owner and name, create.

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Sim, caller, can_access, paginate};
use crate::testing::api_error::{ApiError, ApiResult, ok, parse_body, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::jobs;
use crate::testing::ops;
use crate::testing::render;
use crate::testing::state::{State, Transition, UserRec, WorkspaceRec};

/// Finds a workspace the caller may see by its id.
pub(crate) fn lookup<'a>(s: &'a State, me: &UserRec, id: &str) -> ApiResult<&'a WorkspaceRec> {
    let id = parse_uuid("workspace", id)?;
    s.workspace(id)
        .filter(|w| can_access(me, w))
        .ok_or_else(ApiError::not_found)
}

/// One `key:value` term of Coder's workspace search syntax.
fn matches(s: &State, me: &UserRec, w: &WorkspaceRec, key: &str, value: &str) -> bool {
    match key {
        "owner" => {
            let owner = s.user(w.owner_id);
            match value {
                "me" => w.owner_id == me.id,
                v => owner
                    .is_some_and(|o| o.username.eq_ignore_ascii_case(v) || o.id.to_string() == v),
            }
        }
        "name" => w.name.to_lowercase().contains(&value.to_lowercase()),
        "status" => s.latest_build(w.id).is_some_and(|b| b.status() == value),
        "template" => s
            .templates
            .iter()
            .find(|t| t.id == w.template_id)
            .is_some_and(|t| t.name.eq_ignore_ascii_case(value)),
        "has-agent" => s.agent(w.agent_id).is_some_and(|a| {
            let running = s
                .latest_build(w.id)
                .is_some_and(|b| b.status() == "running");
            running && a.status == value
        }),
        "outdated" => {
            let outdated = s
                .templates
                .iter()
                .find(|t| t.id == w.template_id)
                .zip(s.latest_build(w.id))
                .is_some_and(|(t, b)| t.active_version_id != b.template_version_id);
            value == outdated.to_string()
        }
        "dormant" => value == "false",
        _ => false,
    }
}

/// Parses `q` into (key, value) terms; a bare word is a name filter.
fn parse_query(q: &str) -> ApiResult<Vec<(String, String)>> {
    const KEYS: [&str; 7] = [
        "owner",
        "name",
        "status",
        "template",
        "has-agent",
        "outdated",
        "dormant",
    ];
    let mut out = Vec::new();
    for term in q.split_whitespace() {
        let (key, value) = term.split_once(':').unwrap_or(("name", term));
        if !KEYS.contains(&key) {
            return Err(ApiError::bad_request("Invalid workspace search query.")
                .validation("q", format!("{key:?} is not a valid query param")));
        }
        out.push((key.to_owned(), value.trim_matches('"').to_owned()));
    }
    Ok(out)
}

pub(crate) async fn list(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        let terms = parse_query(query.get("q").map_or("", String::as_str))?;
        let mut found: Vec<&WorkspaceRec> = s
            .workspaces
            .iter()
            .filter(|w| !w.deleted && can_access(&me, w))
            .filter(|w| terms.iter().all(|(k, v)| matches(s, &me, w, k, v)))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        let count = found.len();
        let page: Vec<Value> = paginate(found, &query)?
            .into_iter()
            .map(|w| render::workspace(s, &config, w))
            .collect();
        ok(json!({ "workspaces": page, "count": count }))
    })
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        ok(render::workspace(s, &config, lookup(s, &me, &id)?))
    })
}

pub(crate) async fn by_name(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((user, name)): Path<(String, String)>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        let owner = s
            .resolve_user(me.id, &user)
            .ok_or_else(ApiError::not_found)?;
        let ws = s
            .workspaces
            .iter()
            .find(|w| !w.deleted && w.owner_id == owner.id && w.name == name)
            .filter(|w| can_access(&me, w))
            .ok_or_else(ApiError::not_found)?;
        ok(render::workspace(s, &config, ws))
    })
}

#[derive(Deserialize)]
pub(crate) struct NameValue {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) value: String,
}

#[derive(Deserialize)]
struct CreateWorkspace {
    #[serde(default)]
    name: String,
    template_id: Option<Uuid>,
    template_version_id: Option<Uuid>,
    template_version_preset_id: Option<Uuid>,
    #[serde(default)]
    rich_parameter_values: Vec<NameValue>,
    ttl_ms: Option<i64>,
}

/// What creating a workspace needs besides the owner: shared with task creation.
pub(crate) struct NewWorkspace {
    pub(crate) name: String,
    pub(crate) template_id: Option<Uuid>,
    pub(crate) template_version_id: Option<Uuid>,
    pub(crate) preset_id: Option<Uuid>,
    pub(crate) parameters: Vec<(String, String)>,
    pub(crate) ttl_ms: Option<i64>,
}

/// Validates and inserts a workspace with its first (pending) start build; returns the
/// workspace and build ids. The caller spawns the build.
pub(crate) fn insert(
    s: &mut State,
    me: &UserRec,
    owner: &UserRec,
    org: Option<Uuid>,
    req: &NewWorkspace,
) -> ApiResult<(Uuid, Uuid)> {
    if !me.is_owner() && me.id != owner.id {
        return Err(ApiError::forbidden());
    }
    if !ops::valid_name(&req.name) {
        return Err(ApiError::invalid(
            "name",
            "Must be alphanumeric with hyphens, at most 32 characters.",
        ));
    }
    let version_id = match (req.template_id, req.template_version_id) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Exactly one of template_id or template_version_id must be set.",
            )
            .validation(
                "template_id",
                "cannot be set together with template_version_id",
            ));
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "Exactly one of template_id or template_version_id must be set.",
            )
            .validation(
                "template_id",
                "one of template_id or template_version_id is required",
            ));
        }
        (Some(t), None) => s.template(t).map(|t| t.active_version_id).ok_or_else(|| {
            ApiError::invalid("template_id", format!("Template {t} does not exist."))
        })?,
        (None, Some(v)) => v,
    };
    let version = s
        .version(version_id)
        .ok_or_else(|| {
            ApiError::invalid(
                "template_version_id",
                format!("Template version {version_id} does not exist."),
            )
        })?
        .clone();
    let Some(template_id) = version.template_id.filter(|t| s.template(*t).is_some()) else {
        return Err(ApiError::invalid(
            "template_version_id",
            "The template version is not attached to a template.",
        ));
    };
    let org_id = s.template(template_id).map_or(Uuid::nil(), |t| t.org_id);
    if org.is_some_and(|o| o != org_id) {
        return Err(ApiError::invalid(
            "template_id",
            "The template belongs to another organization.",
        ));
    }
    if s.workspaces
        .iter()
        .any(|w| !w.deleted && w.owner_id == owner.id && w.name == req.name)
    {
        return Err(
            ApiError::conflict(format!("Workspace {:?} already exists.", req.name))
                .validation("name", "This value is already in use and should be unique."),
        );
    }
    let params = ops::resolve_parameters(&version, req.preset_id, &req.parameters, None)?;
    let (ws, _) = ops::insert_workspace(s, &req.name, owner.id, org_id, template_id);
    if let Some(w) = s.workspaces.iter_mut().find(|w| w.id == ws) {
        w.ttl_ms = req.ttl_ms;
    }
    let build = ops::insert_build(
        s,
        ws,
        Transition::Start,
        version_id,
        req.preset_id,
        params,
        me.id,
    );
    Ok((ws, build))
}

async fn create_for(
    sim: Sim,
    p: Principal,
    user: String,
    org: Option<String>,
    body: Bytes,
) -> ApiResult {
    let req: CreateWorkspace = parse_body(&body)?;
    let shared = sim.0.clone();
    let config = sim.config.clone();
    let (build, resp) = sim.update(|s| {
        let me = caller(s, p)?;
        let owner = s
            .resolve_user(me.id, &user)
            .ok_or_else(ApiError::not_found)?
            .clone();
        let org = match org {
            Some(o) => Some(s.resolve_org(&o).ok_or_else(ApiError::not_found)?.id),
            None => None,
        };
        let (ws, build) = insert(
            s,
            &me,
            &owner,
            org,
            &NewWorkspace {
                name: req.name,
                template_id: req.template_id,
                template_version_id: req.template_version_id,
                preset_id: req.template_version_preset_id,
                parameters: req
                    .rich_parameter_values
                    .into_iter()
                    .map(|nv| (nv.name, nv.value))
                    .collect(),
                ttl_ms: req.ttl_ms,
            },
        )?;
        let w = s.workspace(ws).ok_or_else(ApiError::not_found)?;
        Ok((build, render::workspace(s, &config, w)))
    })?;
    jobs::spawn_build(shared, build);
    ok(resp)
}

pub(crate) async fn create(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(user): Path<String>,
    body: Bytes,
) -> ApiResult {
    create_for(sim, p, user, None, body).await
}

pub(crate) async fn create_in_org(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path((org, user)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    create_for(sim, p, user, Some(org), body).await
}
