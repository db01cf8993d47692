//! Workspace agents: get, listening ports, and app status reports from the agent.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::Path;
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Sim, caller, can_access};
use crate::testing::api_error::{ApiError, ApiResult, ok, parse_body, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::render;
use crate::testing::state::{AgentRec, AppStatusRec, State, UserRec};

/// Finds an agent whose workspace the caller may see.
pub(crate) fn lookup<'a>(s: &'a State, me: &UserRec, id: &str) -> ApiResult<&'a AgentRec> {
    let id = parse_uuid("workspaceagent", id)?;
    let agent = s.agent(id).ok_or_else(ApiError::not_found)?;
    let visible = s
        .workspace(agent.workspace_id)
        .is_some_and(|w| can_access(me, w));
    if visible {
        Ok(agent)
    } else {
        Err(ApiError::not_found())
    }
}

pub(crate) async fn get(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    let config = sim.config.clone();
    sim.read(|s| {
        let me = caller(s, p)?;
        ok(render::agent(s, &config, lookup(s, &me, &id)?))
    })
}

pub(crate) async fn listening_ports(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    sim.read(|s| {
        let me = caller(s, p)?;
        let agent = lookup(s, &me, &id)?;
        if agent.status != "connected" {
            return Err(ApiError::bad_request(format!(
                "Agent state is {:?}, it must be in the \"connected\" state.",
                agent.status
            )));
        }
        ok(render::model(
            &crate::WorkspaceAgentListeningPortsResponse {
                ports: agent
                    .ports
                    .iter()
                    .map(|(port, process)| crate::WorkspaceAgentListeningPort {
                        process_name: process.clone(),
                        network: "tcp".into(),
                        port: *port,
                    })
                    .collect(),
            },
        ))
    })
}

#[derive(Deserialize)]
struct PatchAppStatus {
    #[serde(default)]
    app_slug: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    uri: String,
}

const STATES: [&str; 4] = ["working", "idle", "complete", "failure"];

pub(crate) async fn app_status(
    sim: Sim,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> ApiResult {
    let Principal::Agent(agent_id) = p else {
        return Err(ApiError::forbidden());
    };
    let req: PatchAppStatus = parse_body(&body)?;
    if !STATES.contains(&req.state.as_str()) {
        return Err(ApiError::invalid(
            "state",
            format!("invalid state {:?}", req.state),
        ));
    }
    if req.message.chars().count() > 160 {
        return Err(ApiError::invalid(
            "message",
            "must be at most 160 characters",
        ));
    }
    sim.update(|s| {
        let agent = s.agent(agent_id).ok_or_else(ApiError::not_found)?;
        let app = agent
            .apps
            .iter()
            .find(|a| a.slug == req.app_slug)
            .ok_or_else(|| {
                ApiError::bad_request("Failed to get workspace app.")
                    .detail(format!("No app found with slug {:?}", req.app_slug))
            })?;
        let record = AppStatusRec {
            id: Uuid::new_v4(),
            agent_id,
            app_id: app.id,
            workspace_id: agent.workspace_id,
            app_slug: req.app_slug,
            state: req.state,
            message: req.message,
            uri: req.uri,
            created_at: OffsetDateTime::now_utc(),
        };
        s.app_statuses.push(record);
        ok(json!({ "message": "App status updated." }))
    })
}
