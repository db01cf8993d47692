//! Build info, users, organizations and the application host.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Path, Query};
use serde_json::{Value, json};

use super::{Sim, caller, paginate};
use crate::testing::api_error::{ApiError, ApiResult, ok};
use crate::testing::auth::Principal;
use crate::testing::render;
use crate::testing::state::UserRec;

pub(crate) async fn buildinfo(sim: Sim) -> ApiResult {
    ok(render::model(&crate::BuildInfoResponse {
        version: "v2.99.0+simulated".into(),
        external_url: "https://github.com/coder/coder".into(),
        dashboard_url: sim.config.access_url.clone(),
        deployment_id: "00000000-0000-4000-8000-000000000000".into(),
        workspace_proxy: false,
        agent_api_version: "2.0".into(),
        provisioner_api_version: "1.0".into(),
        telemetry: false,
        upgrade_message: String::new(),
    }))
}

pub(crate) async fn app_host(sim: Sim, Extension(p): Extension<Principal>) -> ApiResult {
    super::user_id(p)?;
    ok(render::model(&crate::AppHostResponse {
        host: sim.config.app_host.clone(),
    }))
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(user): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let u = s
            .resolve_user(me.id, &user)
            .ok_or_else(ApiError::not_found)?;
        ok(render::user(u))
    })
}

pub(crate) async fn list(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    sim.read(|s| {
        caller(s, p)?;
        let filter = q.get("q").map(|v| v.to_lowercase()).unwrap_or_default();
        let mut users: Vec<&UserRec> = s.users.iter().collect();
        for term in filter.split_whitespace() {
            users.retain(|u| match term.split_once(':') {
                Some(("status", v)) => v == "active",
                Some(("role", v)) => u.site_roles.iter().any(|r| r == v) || v == "member",
                Some(("login_type", v)) => v == "password",
                Some((_, _)) => false,
                None => u.username.contains(term) || u.email.contains(term),
            });
        }
        let count = users.len();
        let page: Vec<Value> = paginate(users, &q)?.into_iter().map(render::user).collect();
        ok(json!({ "users": page, "count": count }))
    })
}

pub(crate) async fn organizations(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(user): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let u = s
            .resolve_user(me.id, &user)
            .ok_or_else(ApiError::not_found)?;
        let orgs: Vec<Value> = u
            .org_ids
            .iter()
            .filter_map(|id| s.org(*id))
            .map(render::organization)
            .collect();
        ok(json!(orgs))
    })
}

pub(crate) async fn list_orgs(sim: Sim, Extension(p): Extension<Principal>) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let orgs: Vec<Value> = s
            .orgs
            .iter()
            .filter(|o| me.is_owner() || me.org_ids.contains(&o.id))
            .map(render::organization)
            .collect();
        ok(json!(orgs))
    })
}

pub(crate) async fn get_org(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(org): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let o = s
            .resolve_org(&org)
            .filter(|o| me.is_owner() || me.org_ids.contains(&o.id))
            .ok_or_else(ApiError::not_found)?;
        ok(render::organization(o))
    })
}
