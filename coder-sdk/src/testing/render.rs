//! Turns the simulator's records into Coder's JSON shapes (`codersdk.*` in swagger).
//!
//! Optional fields Coder sends as `omitempty` are left out when unset; fields Go sends as
//! `null` are `null` here too.
//!
//! Where the client half of this crate has a model that holds everything the answer needs
//! (users, organizations, log lines, ports, build info...), the answer is that model,
//! serialized; the contract tests then check those models against swagger as well. Larger
//! objects (workspaces, builds, agents, templates, versions, tasks) carry fields the client
//! models leave out, so they are written out here.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::shared::Config;
use super::state::{
    AgentLog, AgentRec, AppStatusRec, BuildRec, JobKind, JobLog, JobRec, OrgRec, ParamRec,
    PresetRec, State, TaskRec, TemplateRec, Transition, UserRec, VersionRec, WorkspaceRec,
};

/// Serializes a client model (infallible for these plain structs).
pub(crate) fn model<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The client's log level for one of the simulator's level names.
pub(crate) fn log_level(level: &str) -> crate::LogLevel {
    match level {
        "trace" => crate::LogLevel::Trace,
        "debug" => crate::LogLevel::Debug,
        "warn" => crate::LogLevel::Warn,
        "error" => crate::LogLevel::Error,
        _ => crate::LogLevel::Info,
    }
}

/// RFC 3339 text of a time.
pub(crate) fn ts(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Inserts `key: ts(t)` only when `t` is set (Go's `omitempty` on `*time.Time`).
fn put_ts(obj: &mut Value, key: &str, t: Option<OffsetDateTime>) {
    if let Some(t) = t {
        obj[key] = json!(ts(t));
    }
}

pub(crate) fn user(u: &UserRec) -> Value {
    model(&crate::User {
        id: crate::UserId::new(u.id),
        username: u.username.clone(),
        name: u.name.clone(),
        email: u.email.clone(),
        created_at: u.created_at,
        updated_at: Some(u.created_at),
        last_seen_at: Some(OffsetDateTime::now_utc()),
        status: crate::UserStatus::Active,
        login_type: crate::LoginType::Password,
        organization_ids: u
            .org_ids
            .iter()
            .copied()
            .map(crate::OrganizationId::new)
            .collect(),
        roles: u
            .site_roles
            .iter()
            .map(|r| crate::SlimRole {
                name: r.clone(),
                display_name: display_role(r).to_owned(),
                organization_id: String::new(),
            })
            .collect(),
        avatar_url: String::new(),
        theme_preference: String::new(),
        is_service_account: false,
    })
}

fn display_role(name: &str) -> &'static str {
    match name {
        "owner" => "Owner",
        "member" => "Member",
        _ => "",
    }
}

pub(crate) fn minimal_user(u: Option<&UserRec>) -> Value {
    match u {
        Some(u) => json!({ "id": u.id, "username": u.username, "name": u.name, "avatar_url": "" }),
        None => json!({ "id": uuid::Uuid::nil(), "username": "unknown" }),
    }
}

pub(crate) fn organization(o: &OrgRec) -> Value {
    model(&crate::Organization {
        id: crate::OrganizationId::new(o.id),
        name: o.name.clone(),
        display_name: o.display_name.clone(),
        description: String::new(),
        icon: String::new(),
        is_default: o.is_default,
        created_at: o.created_at,
        updated_at: Some(o.created_at),
        default_org_member_roles: vec!["organization-member".to_owned()],
    })
}

pub(crate) fn template(state: &State, t: &TemplateRec) -> Value {
    let org = state.org(t.org_id);
    let creator = state.user(t.created_by);
    let active_users = state
        .workspaces
        .iter()
        .filter(|w| w.template_id == t.id && !w.deleted)
        .map(|w| w.owner_id)
        .collect::<std::collections::HashSet<_>>()
        .len();
    json!({
        "id": t.id,
        "name": t.name,
        "display_name": t.display_name,
        "description": t.description,
        "icon": t.icon,
        "organization_id": t.org_id,
        "organization_name": org.map_or("", |o| o.name.as_str()),
        "organization_display_name": org.map_or("", |o| o.display_name.as_str()),
        "organization_icon": "",
        "active_version_id": t.active_version_id,
        "active_user_count": active_users,
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
        "created_by_id": t.created_by,
        "created_by_name": creator.map_or("", |u| u.username.as_str()),
        "provisioner": "terraform",
        "deprecated": false,
        "deprecation_message": "",
        "deleted": false,
        "default_ttl_ms": 0,
        "activity_bump_ms": 3_600_000,
        "failure_ttl_ms": 0,
        "time_til_dormant_ms": 0,
        "time_til_dormant_autodelete_ms": 0,
        "allow_user_autostart": true,
        "allow_user_autostop": true,
        "allow_user_cancel_workspace_jobs": true,
        "require_active_version": false,
        "max_port_share_level": "owner",
        "use_classic_parameter_flow": false,
        "build_time_stats": {
            "start": { "p50": 1000, "p95": 2000 },
            "stop": { "p50": 500, "p95": 1000 },
            "delete": { "p50": 500, "p95": 1000 }
        },
        "autostart_requirement": { "days_of_week": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] },
        "autostop_requirement": { "days_of_week": [], "weeks": 1 },
    })
}

pub(crate) fn job(j: &JobRec, input: &Value, metadata: &Value) -> Value {
    let mut out = json!({
        "id": j.id,
        "created_at": ts(j.created_at),
        "status": j.status.as_str(),
        "file_id": j.file_id,
        "initiator_id": j.initiator_id,
        "organization_id": j.org_id,
        "tags": { "scope": "organization", "owner": "" },
        "queue_position": 0,
        "queue_size": 0,
        "type": match j.kind { JobKind::Import => "template_version_import", JobKind::Build => "workspace_build" },
        "input": input,
        "metadata": metadata,
        "logs_overflowed": false,
        "available_workers": [],
    });
    put_ts(&mut out, "started_at", j.started_at);
    put_ts(&mut out, "completed_at", j.completed_at);
    if let Some(e) = &j.error {
        out["error"] = json!(e);
    }
    out
}

pub(crate) fn job_log(l: &JobLog) -> Value {
    model(&crate::ProvisionerJobLog {
        id: l.id,
        created_at: l.created_at,
        log_source: crate::LogSource::Provisioner,
        log_level: log_level(l.level),
        stage: l.stage.clone(),
        output: l.output.clone(),
    })
}

pub(crate) fn agent_log(a: &AgentRec, l: &AgentLog) -> Value {
    model(&crate::WorkspaceAgentLog {
        id: l.id,
        created_at: l.created_at,
        output: l.output.clone(),
        level: log_level(l.level),
        source_id: crate::LogSourceId::new(a.log_source_id),
    })
}

pub(crate) fn version(state: &State, v: &VersionRec) -> Value {
    let template = v
        .template_id
        .and_then(|id| state.templates.iter().find(|t| t.id == id));
    let mut out = json!({
        "id": v.id,
        "name": v.name,
        "message": v.message,
        "readme": v.readme,
        "organization_id": v.org_id,
        "created_at": ts(v.created_at),
        "updated_at": ts(v.created_at),
        "created_by": minimal_user(state.user(v.created_by)),
        "archived": false,
        "has_external_agent": false,
        "warnings": [],
        "job": job(
            &v.job,
            &json!({ "template_version_id": v.id }),
            &json!({
                "template_version_name": v.name,
                "template_id": template.map(|t| t.id),
                "template_name": template.map_or("", |t| t.name.as_str()),
                "template_display_name": template.map_or("", |t| t.display_name.as_str()),
                "template_icon": template.map_or("", |t| t.icon.as_str()),
            }),
        ),
        "matched_provisioners": { "count": 1, "available": 1 },
    });
    if let Some(id) = v.template_id {
        out["template_id"] = json!(id);
    }
    if template.is_none()
        && let Some(meta) = out["job"]["metadata"].as_object_mut()
    {
        meta.remove("template_id");
    }
    out
}

pub(crate) fn parameter(p: &ParamRec) -> Value {
    model(&crate::TemplateVersionParameter {
        name: p.name.clone(),
        display_name: p.display_name.clone(),
        description: p.description.clone(),
        description_plaintext: p.description.clone(),
        param_type: p.kind.clone(),
        form_type: if p.options.is_empty() {
            "input"
        } else {
            "dropdown"
        }
        .to_owned(),
        mutable: p.mutable,
        default_value: p.default_value.clone(),
        icon: String::new(),
        options: p
            .options
            .iter()
            .map(|o| crate::TemplateVersionParameterOption {
                name: o.name.clone(),
                description: o.description.clone(),
                value: o.value.clone(),
                icon: String::new(),
            })
            .collect(),
        validation_regex: None,
        validation_min: None,
        validation_max: None,
        validation_error: None,
        validation_monotonic: None,
        required: p.required,
        ephemeral: false,
    })
}

/// A preset. Coder's Go type has no JSON tags, so its keys are the Go field names
/// (`ID`, `Name`, `Parameters`...), whatever swagger says; the client's model does the same.
pub(crate) fn preset(p: &PresetRec) -> Value {
    model(&crate::Preset {
        id: crate::PresetId::new(p.id),
        name: p.name.clone(),
        description: p.description.clone(),
        icon: String::new(),
        default: p.default,
        desired_prebuild_instances: None,
        parameters: p
            .parameters
            .iter()
            .map(|(n, v)| crate::PresetParameter {
                name: n.clone(),
                value: v.clone(),
            })
            .collect(),
    })
}

pub(crate) fn agent(state: &State, _config: &Config, a: &AgentRec) -> Value {
    let ws = state.workspaces.iter().find(|w| w.id == a.workspace_id);
    let owner = ws
        .and_then(|w| state.user(w.owner_id))
        .map_or("", |u| u.username.as_str());
    let apps: Vec<Value> = a
        .apps
        .iter()
        .map(|app| {
            let statuses: Vec<Value> = state
                .app_statuses
                .iter()
                .rev()
                .filter(|s| s.app_id == app.id)
                .map(app_status)
                .collect();
            let subdomain_name = match ws {
                Some(w) if app.subdomain => {
                    format!("{}--{}--{}--{owner}", app.slug, a.name, w.name)
                }
                _ => String::new(),
            };
            json!({
                "id": app.id,
                "slug": app.slug,
                "display_name": app.display_name,
                "url": app.url,
                "command": app.command,
                "icon": app.icon,
                "external": app.external,
                "subdomain": app.subdomain,
                "subdomain_name": subdomain_name,
                "sharing_level": "owner",
                "health": "healthy",
                "healthcheck": { "url": "", "interval": 0, "threshold": 0 },
                "hidden": false,
                "open_in": "slim-window",
                "group": "",
                "tooltip": "",
                "statuses": statuses,
            })
        })
        .collect();
    let healthy = a.status == "connected";
    let mut out = json!({
        "id": a.id,
        "name": a.name,
        "resource_id": a.resource_id,
        "created_at": ts(a.created_at),
        "updated_at": ts(a.created_at),
        "status": a.status,
        "lifecycle_state": a.lifecycle,
        "architecture": "amd64",
        "operating_system": "linux",
        "directory": "/home/coder",
        "expanded_directory": "/home/coder",
        "environment_variables": {},
        "instance_id": "",
        "version": "v2.99.0",
        "api_version": "2.0",
        "apps": apps,
        "display_apps": ["vscode", "web_terminal", "ssh_helper", "port_forwarding_helper"],
        "log_sources": [{
            "id": a.log_source_id,
            "workspace_agent_id": a.id,
            "created_at": ts(a.created_at),
            "display_name": "Startup Script",
            "icon": "/emojis/25b6.png",
        }],
        "logs_length": a.logs.len(),
        "logs_overflowed": false,
        "connection_timeout_seconds": 120,
        "troubleshooting_url": "",
        "startup_script_behavior": "blocking",
        "subsystems": [],
        "scripts": [],
        "latency": {},
        "health": if healthy { json!({ "healthy": true }) } else { json!({ "healthy": false, "reason": "agent is not connected" }) },
        // Go's uuid.NullUUID marshals as the UUID string, or null when unset.
        "parent_id": null,
    });
    put_ts(&mut out, "first_connected_at", a.first_connected_at);
    put_ts(&mut out, "last_connected_at", a.last_connected_at);
    put_ts(&mut out, "started_at", a.started_at);
    put_ts(&mut out, "ready_at", a.ready_at);
    if a.status == "disconnected" {
        put_ts(&mut out, "disconnected_at", a.last_connected_at);
    }
    out
}

pub(crate) fn app_status(s: &AppStatusRec) -> Value {
    json!({
        "id": s.id,
        "agent_id": s.agent_id,
        "app_id": s.app_id,
        "workspace_id": s.workspace_id,
        "state": s.state,
        "message": s.message,
        "uri": s.uri,
        "icon": "",
        "needs_user_attention": false,
        "created_at": ts(s.created_at),
    })
}

pub(crate) fn build(state: &State, config: &Config, b: &BuildRec) -> Value {
    let ws = state.workspaces.iter().find(|w| w.id == b.workspace_id);
    let owner = ws.and_then(|w| state.user(w.owner_id));
    let initiator = state.user(b.initiator_id);
    let version = state.version(b.template_version_id);
    let template = ws.and_then(|w| state.templates.iter().find(|t| t.id == w.template_id));
    let mut resources = Vec::new();
    if b.transition == Transition::Start
        && b.job.status.is_done()
        && b.job.error.is_none()
        && let Some(a) = ws.and_then(|w| state.agent(w.agent_id))
    {
        {
            resources.push(json!({
                "id": a.resource_id,
                "job_id": b.job.id,
                "created_at": ts(b.created_at),
                "name": "dev",
                "type": "docker_container",
                "workspace_transition": "start",
                "hide": false,
                "icon": "/icon/docker.png",
                "daily_cost": 0,
                "metadata": [],
                "agents": [agent(state, config, a)],
            }));
        }
    }
    let mut out = json!({
        "id": b.id,
        "build_number": b.number,
        "created_at": ts(b.created_at),
        "updated_at": ts(b.updated_at),
        "workspace_id": b.workspace_id,
        "workspace_name": ws.map_or("", |w| w.name.as_str()),
        "workspace_owner_id": ws.map(|w| w.owner_id),
        "workspace_owner_name": owner.map_or("", |u| u.username.as_str()),
        "workspace_owner_avatar_url": "",
        "template_version_id": b.template_version_id,
        "template_version_name": version.map_or("", |v| v.name.as_str()),
        "initiator_id": b.initiator_id,
        "initiator_name": initiator.map_or("", |u| u.username.as_str()),
        "transition": b.transition.as_str(),
        "reason": "initiator",
        "status": b.status(),
        "daily_cost": 0,
        "has_ai_task": false,
        "has_external_agent": false,
        "resources": resources,
        "matched_provisioners": { "count": 1, "available": 1 },
        "job": job(
            &b.job,
            &json!({ "workspace_build_id": b.id }),
            &json!({
                "workspace_id": b.workspace_id,
                "workspace_name": ws.map_or("", |w| w.name.as_str()),
                "workspace_build_transition": b.transition.as_str(),
                "template_id": template.map(|t| t.id),
                "template_name": template.map_or("", |t| t.name.as_str()),
                "template_display_name": template.map_or("", |t| t.display_name.as_str()),
                "template_icon": template.map_or("", |t| t.icon.as_str()),
                "template_version_name": version.map_or("", |v| v.name.as_str()),
            }),
        ),
    });
    if let Some(p) = b.preset_id {
        out["template_version_preset_id"] = json!(p);
    }
    out
}

pub(crate) fn workspace(state: &State, config: &Config, w: &WorkspaceRec) -> Value {
    let owner = state.user(w.owner_id);
    let org = state.org(w.org_id);
    let template = state.templates.iter().find(|t| t.id == w.template_id);
    let latest = state.latest_build(w.id);
    let latest_json = latest.map_or(Value::Null, |b| build(state, config, b));
    let agent = state.agent(w.agent_id);
    let healthy = latest.is_some_and(|b| b.status() == "running")
        && agent.is_some_and(|a| a.status == "connected");
    let failing: Vec<uuid::Uuid> = match (latest, agent) {
        (Some(b), Some(a)) if b.status() == "running" && a.status != "connected" => vec![a.id],
        _ => Vec::new(),
    };
    let latest_status = state
        .app_statuses
        .iter()
        .rev()
        .find(|s| s.workspace_id == w.id)
        .map_or(Value::Null, app_status);
    let task_id = state
        .tasks
        .iter()
        .find(|t| t.workspace_id == w.id && !t.deleted)
        .map_or(Value::Null, |t| json!(t.id));
    let outdated = match (template, latest) {
        (Some(t), Some(b)) => t.active_version_id != b.template_version_id,
        _ => false,
    };
    let mut out = json!({
        "id": w.id,
        "name": w.name,
        "created_at": ts(w.created_at),
        "updated_at": ts(w.updated_at),
        "last_used_at": ts(w.last_used_at),
        "owner_id": w.owner_id,
        "owner_name": owner.map_or("", |u| u.username.as_str()),
        "owner_avatar_url": "",
        "organization_id": w.org_id,
        "organization_name": org.map_or("", |o| o.name.as_str()),
        "template_id": w.template_id,
        "template_name": template.map_or("", |t| t.name.as_str()),
        "template_display_name": template.map_or("", |t| t.display_name.as_str()),
        "template_icon": template.map_or("", |t| t.icon.as_str()),
        "template_active_version_id": template.map(|t| t.active_version_id),
        "template_allow_user_cancel_workspace_jobs": true,
        "template_require_active_version": false,
        "template_use_classic_parameter_flow": false,
        "latest_build": latest_json,
        "latest_app_status": latest_status,
        "outdated": outdated,
        "automatic_updates": "never",
        "allow_renames": false,
        "favorite": false,
        "is_prebuild": false,
        "health": { "healthy": healthy, "failing_agents": failing },
        "task_id": task_id,
        "shared_with": [],
    });
    if let Some(ttl) = w.ttl_ms {
        out["ttl_ms"] = json!(ttl);
    }
    out
}

/// Coder's task status, derived from the workspace's latest build and agent.
pub(crate) fn task_status(state: &State, t: &TaskRec) -> &'static str {
    let Some(b) = state.latest_build(t.workspace_id) else {
        return "unknown";
    };
    match b.status() {
        "pending" => "pending",
        "starting" => "initializing",
        "running" => {
            let ready = state
                .workspace(t.workspace_id)
                .and_then(|w| state.agent(w.agent_id))
                .is_some_and(|a| a.lifecycle == "ready");
            if ready { "active" } else { "initializing" }
        }
        "stopping" | "stopped" => "paused",
        "failed" | "canceled" => "error",
        _ => "unknown",
    }
}

pub(crate) fn task(state: &State, t: &TaskRec) -> Value {
    let owner = state.user(t.owner_id);
    let ws = state.workspaces.iter().find(|w| w.id == t.workspace_id);
    let template = ws.and_then(|w| state.templates.iter().find(|tp| tp.id == w.template_id));
    let latest = state.latest_build(t.workspace_id);
    let agent = ws.and_then(|w| state.agent(w.agent_id));
    let app = agent.and_then(|a| a.apps.first());
    let current_state = state
        .app_statuses
        .iter()
        .rev()
        .find(|s| s.workspace_id == t.workspace_id)
        .map_or(Value::Null, |s| {
            json!({
                "state": if s.state == "failure" { "failed" } else { s.state.as_str() },
                "message": s.message,
                "uri": s.uri,
                "timestamp": ts(s.created_at),
            })
        });
    // Go's uuid.NullUUID marshals as the UUID string, or null when unset.
    let null_uuid = |id: Option<uuid::Uuid>| id.map_or(Value::Null, |id| json!(id));
    let mut out = json!({
        "id": t.id,
        "name": t.name,
        "display_name": t.display_name,
        "initial_prompt": t.prompt,
        "owner_id": t.owner_id,
        "owner_name": owner.map_or("", |u| u.username.as_str()),
        "owner_avatar_url": "",
        "organization_id": t.org_id,
        "template_id": template.map(|tp| tp.id),
        "template_name": template.map_or("", |tp| tp.name.as_str()),
        "template_display_name": template.map_or("", |tp| tp.display_name.as_str()),
        "template_icon": template.map_or("", |tp| tp.icon.as_str()),
        "template_version_id": t.template_version_id,
        "workspace_id": null_uuid(ws.map(|w| w.id)),
        "workspace_name": ws.map_or("", |w| w.name.as_str()),
        "workspace_build_number": latest.map_or(0, |b| b.number),
        "workspace_status": latest.map_or("pending", BuildRec::status),
        "workspace_agent_id": null_uuid(agent.map(|a| a.id)),
        "workspace_agent_lifecycle": agent.map_or("created", |a| a.lifecycle),
        "workspace_agent_health": { "healthy": agent.is_some_and(|a| a.status == "connected") },
        "workspace_app_id": null_uuid(app.map(|a| a.id)),
        "status": task_status(state, t),
        "current_state": current_state,
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
    });
    if template.is_none()
        && let Some(obj) = out.as_object_mut()
    {
        obj.remove("template_id");
    }
    out
}
