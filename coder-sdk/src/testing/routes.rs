//! The HTTP routes of the simulated deployment (swagger paths, exactly).

mod agents;
mod builds;
mod files;
mod logs;
mod tasks;
mod templates;
mod users;
mod versions;
mod workspaces;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use uuid::Uuid;

use super::api_error::{ApiError, ApiResult};
use super::auth::{Principal, auth_layer};
use super::faults::fault_layer;
use super::pty;
use super::recorder::record_layer;
use super::shared::Shared;
use super::state::{State, UserRec, WorkspaceRec};

/// The state every handler receives.
pub(crate) type Sim = axum::extract::State<Arc<Shared>>;

/// Builds the router with its middleware: recorder (outermost), faults, auth.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/v2/buildinfo", get(users::buildinfo))
        .route("/api/v2/applications/host", get(users::app_host))
        .route("/api/v2/users", get(users::list))
        .route("/api/v2/users/{user}", get(users::get))
        .route(
            "/api/v2/users/{user}/organizations",
            get(users::organizations),
        )
        .route("/api/v2/organizations", get(users::list_orgs))
        .route("/api/v2/organizations/{organization}", get(users::get_org))
        .route(
            "/api/v2/organizations/{organization}/templates",
            get(templates::list_in_org).post(templates::create),
        )
        .route(
            "/api/v2/organizations/{organization}/templateversions",
            post(versions::create),
        )
        .route(
            "/api/v2/organizations/{organization}/members/{user}/workspaces",
            post(workspaces::create_in_org),
        )
        .route("/api/v2/templates", get(templates::list))
        .route(
            "/api/v2/templates/{template}",
            get(templates::get).delete(templates::delete),
        )
        .route(
            "/api/v2/templates/{template}/versions",
            get(templates::versions).patch(templates::set_active),
        )
        .route(
            "/api/v2/templateversions/{templateversion}",
            get(versions::get),
        )
        .route(
            "/api/v2/templateversions/{templateversion}/rich-parameters",
            get(versions::rich_parameters),
        )
        .route(
            "/api/v2/templateversions/{templateversion}/presets",
            get(versions::presets),
        )
        .route(
            "/api/v2/templateversions/{templateversion}/logs",
            get(logs::version_logs),
        )
        .route("/api/v2/files", post(files::upload))
        .route("/api/v2/files/{fileID}", get(files::download))
        .route("/api/v2/workspaces", get(workspaces::list))
        .route("/api/v2/workspaces/{workspace}", get(workspaces::get))
        .route(
            "/api/v2/workspaces/{workspace}/builds",
            get(builds::list).post(builds::create),
        )
        .route("/api/v2/users/{user}/workspaces", post(workspaces::create))
        .route(
            "/api/v2/users/{user}/workspace/{workspacename}",
            get(workspaces::by_name),
        )
        .route("/api/v2/workspacebuilds/{workspacebuild}", get(builds::get))
        .route(
            "/api/v2/workspacebuilds/{workspacebuild}/logs",
            get(logs::build_logs),
        )
        .route(
            "/api/v2/workspaceagents/me/app-status",
            patch(agents::app_status),
        )
        .route("/api/v2/workspaceagents/{workspaceagent}", get(agents::get))
        .route(
            "/api/v2/workspaceagents/{workspaceagent}/logs",
            get(logs::agent_logs),
        )
        .route(
            "/api/v2/workspaceagents/{workspaceagent}/listening-ports",
            get(agents::listening_ports),
        )
        .route(
            "/api/v2/workspaceagents/{workspaceagent}/pty",
            get(pty::handler),
        )
        .route("/api/v2/tasks", get(tasks::list))
        .route("/api/v2/tasks/{user}", post(tasks::create))
        .route(
            "/api/v2/tasks/{user}/{task}",
            get(tasks::get).delete(tasks::delete),
        )
        .route("/api/v2/tasks/{user}/{task}/send", post(tasks::send))
        .route("/api/v2/tasks/{user}/{task}/logs", get(tasks::logs))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(Arc::clone(&shared), auth_layer))
        .layer(from_fn_with_state(Arc::clone(&shared), fault_layer))
        .layer(from_fn_with_state(Arc::clone(&shared), record_layer))
        .with_state(shared)
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "Route not found.").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.").into_response()
}

/// The calling user's id; agent tokens are refused on user endpoints.
pub(crate) fn user_id(principal: Principal) -> ApiResult<Uuid> {
    match principal {
        Principal::User(id) => Ok(id),
        Principal::Agent(_) => Err(ApiError::forbidden()),
    }
}

/// The calling user's record.
pub(crate) fn caller(state: &State, principal: Principal) -> ApiResult<UserRec> {
    let id = user_id(principal)?;
    state.user(id).cloned().ok_or_else(ApiError::not_found)
}

/// Whether `user` may see (and act on) the workspace: owners see all, members their own.
pub(crate) fn can_access(user: &UserRec, ws: &WorkspaceRec) -> bool {
    user.is_owner() || ws.owner_id == user.id
}

/// Refuses callers without the owner role.
pub(crate) fn require_owner(user: &UserRec) -> ApiResult<()> {
    if user.is_owner() {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Parses `limit` and `offset` the way Coder does (0 or less: no limit).
pub(crate) fn paginate<T>(
    items: Vec<T>,
    query: &std::collections::HashMap<String, String>,
) -> ApiResult<Vec<T>> {
    let number = |name: &str| -> ApiResult<i64> {
        match query.get(name) {
            None => Ok(0),
            Some(v) if v.is_empty() => Ok(0),
            Some(v) => v.parse::<i64>().map_err(|_| {
                ApiError::bad_request("Query parameters have invalid values.").validation(
                    name,
                    format!("Query param {name:?} must be a valid integer"),
                )
            }),
        }
    };
    let limit = number("limit")?;
    let offset = number("offset")?.max(0);
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let it = items.into_iter().skip(offset);
    Ok(if limit > 0 {
        it.take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect()
    } else {
        it.collect()
    })
}

/// Finds an agent the caller may see (used by the PTY module).
pub(crate) fn agent_lookup<'a>(
    s: &'a State,
    me: &UserRec,
    id: &str,
) -> ApiResult<&'a super::state::AgentRec> {
    agents::lookup(s, me, id)
}
