//! State transitions shared by the seed, the HTTP handlers and the background jobs.
//!
//! Each function is one synchronous step on [`State`]; `jobs.rs` strings them together with
//! small delays, the seed runs them back to back.

use rand::Rng;
use rand::distr::Alphanumeric;
use time::OffsetDateTime;
use uuid::Uuid;

use super::api_error::{ApiError, ApiResult};
use super::state::{
    AgentRec, AppRec, BuildRec, JobKind, JobRec, JobStatus, ParamRec, PresetRec, State, Subject,
    Transition, VersionRec, WorkspaceRec,
};

/// A parameter value that makes a start build fail, for tests of the failure path.
pub(crate) const FAIL_VALUE: &str = "fail";

/// A random token in Coder's `<id>-<secret>` shape.
pub(crate) fn random_token() -> String {
    let mut rng = rand::rng();
    let id: String = (&mut rng)
        .sample_iter(Alphanumeric)
        .take(10)
        .map(char::from)
        .collect();
    let secret: String = rng
        .sample_iter(Alphanumeric)
        .take(22)
        .map(char::from)
        .collect();
    format!("{id}-{secret}")
}

/// A template version name in the style Coder generates.
pub(crate) fn version_name() -> String {
    let suffix: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(6)
        .map(|c| char::from(c).to_ascii_lowercase())
        .collect();
    format!("sim-{suffix}")
}

/// Whether a name is acceptable for a workspace, template or task (Coder's name rule).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Adds a template version with a job in `pending` state.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_version(
    state: &mut State,
    org_id: Uuid,
    template_id: Option<Uuid>,
    created_by: Uuid,
    file_id: Uuid,
    name: String,
    message: String,
    parameters: Vec<ParamRec>,
    presets: Vec<PresetRec>,
) -> Uuid {
    let id = Uuid::new_v4();
    state.versions.push(VersionRec {
        id,
        template_id,
        org_id,
        name,
        message,
        readme: String::new(),
        created_by,
        created_at: OffsetDateTime::now_utc(),
        job: JobRec::new(JobKind::Import, org_id, created_by, file_id),
        parameters,
        presets,
        import_error: None,
    });
    id
}

/// Moves a job to `running` and logs the first stage.
pub(crate) fn job_start(state: &mut State, job_id: Uuid) {
    if let Some(job) = state.job_mut(job_id) {
        job.status = JobStatus::Running;
        job.started_at = Some(OffsetDateTime::now_utc());
    }
    state.push_job_log(job_id, "info", "Setting up", "");
}

/// Logs a middle stage of a running job.
pub(crate) fn job_progress(state: &mut State, job_id: Uuid, stage: &str, output: &str) {
    state.push_job_log(job_id, "info", stage, output);
}

fn job_complete(state: &mut State, job_id: Uuid, error: Option<String>) {
    match &error {
        Some(e) => state.push_job_log(job_id, "error", "Cleaning Up", e),
        None => state.push_job_log(job_id, "info", "Cleaning Up", ""),
    }
    if let Some(job) = state.job_mut(job_id) {
        job.status = if error.is_some() {
            JobStatus::Failed
        } else {
            JobStatus::Succeeded
        };
        job.completed_at = Some(OffsetDateTime::now_utc());
        job.error = error;
    }
}

/// Completes a template import.
pub(crate) fn import_finish(state: &mut State, version_id: Uuid) {
    let Some((job_id, error)) = state
        .version(version_id)
        .map(|v| (v.job.id, v.import_error.clone()))
    else {
        return;
    };
    job_progress(state, job_id, "Parsing template parameters", "");
    if error.is_none() {
        job_progress(state, job_id, "Detecting persistent resources", "");
    }
    job_complete(state, job_id, error);
}

/// The apps every simulated agent carries.
fn default_apps() -> Vec<AppRec> {
    vec![
        AppRec {
            id: Uuid::new_v4(),
            slug: "code-server".into(),
            display_name: "code-server".into(),
            url: "http://localhost:13337/?folder=/home/coder".into(),
            command: String::new(),
            icon: "/icon/code.svg".into(),
            subdomain: false,
            external: false,
        },
        AppRec {
            id: Uuid::new_v4(),
            slug: "preview".into(),
            display_name: "Preview".into(),
            url: "http://localhost:3000".into(),
            command: String::new(),
            icon: "/icon/globe.svg".into(),
            subdomain: true,
            external: false,
        },
    ]
}

/// Adds a workspace (without builds) and its agent; returns (workspace id, agent id).
pub(crate) fn insert_workspace(
    state: &mut State,
    name: &str,
    owner_id: Uuid,
    org_id: Uuid,
    template_id: Uuid,
) -> (Uuid, Uuid) {
    let now = OffsetDateTime::now_utc();
    let id = Uuid::new_v4();
    let agent_id = Uuid::new_v4();
    let token = random_token();
    state.tokens.insert(token.clone(), Subject::Agent(agent_id));
    state.workspaces.push(WorkspaceRec {
        id,
        name: name.to_owned(),
        owner_id,
        org_id,
        template_id,
        created_at: now,
        updated_at: now,
        last_used_at: now,
        deleted: false,
        agent_id,
        ttl_ms: None,
    });
    state.agents.push(AgentRec {
        id: agent_id,
        workspace_id: id,
        resource_id: Uuid::new_v4(),
        name: "main".into(),
        token,
        status: "disconnected",
        lifecycle: "created",
        created_at: now,
        first_connected_at: None,
        last_connected_at: None,
        started_at: None,
        ready_at: None,
        log_source_id: Uuid::new_v4(),
        logs: Vec::new(),
        apps: default_apps(),
        ports: vec![(13337, "code-server".into()), (3000, "node".into())],
    });
    (id, agent_id)
}

/// Works out the parameter values of a new build, with Coder's validation rules: unknown
/// names, missing required values, values outside the options and changes to immutable
/// parameters are 400s naming the field.
pub(crate) fn resolve_parameters(
    version: &VersionRec,
    preset_id: Option<Uuid>,
    provided: &[(String, String)],
    previous: Option<&[(String, String)]>,
) -> ApiResult<Vec<(String, String)>> {
    let preset = match preset_id {
        Some(id) => Some(version.presets.iter().find(|p| p.id == id).ok_or_else(|| {
            ApiError::invalid(
                "template_version_preset_id",
                "preset not found in template version",
            )
        })?),
        None => None,
    };
    for (name, _) in provided {
        if !version.parameters.iter().any(|p| &p.name == name) {
            return Err(ApiError::invalid(
                "rich_parameter_values",
                format!("parameter {name:?} is not defined in the template version"),
            ));
        }
    }
    let mut out = Vec::new();
    for param in &version.parameters {
        let given = provided
            .iter()
            .rev()
            .find(|(n, _)| n == &param.name)
            .map(|(_, v)| v.clone());
        let from_preset = preset.and_then(|p| {
            p.parameters
                .iter()
                .find(|(n, _)| n == &param.name)
                .map(|(_, v)| v.clone())
        });
        let before = previous.and_then(|prev| {
            prev.iter()
                .find(|(n, _)| n == &param.name)
                .map(|(_, v)| v.clone())
        });
        if let (Some(old), Some(new)) = (&before, &given)
            && !param.mutable
            && old != new
        {
            return Err(ApiError::bad_request(format!(
                "Parameter {:?} is not mutable, so it can't be updated after creating a workspace.",
                param.name
            ))
            .validation(param.name.clone(), "parameter is immutable"));
        }
        let value = given.or(from_preset).or(before).or_else(|| {
            (!param.required || !param.default_value.is_empty())
                .then(|| param.default_value.clone())
        });
        let Some(value) = value else {
            return Err(ApiError::bad_request(format!(
                "Parameter {:?} is required but was not provided.",
                param.name
            ))
            .validation(param.name.clone(), "required parameter value is missing"));
        };
        if !param.options.is_empty()
            && value != FAIL_VALUE
            && !param.options.iter().any(|o| o.value == value)
        {
            return Err(ApiError::bad_request(format!(
                "Parameter {:?} has an invalid value.",
                param.name
            ))
            .validation(
                param.name.clone(),
                format!("value {value:?} is not one of the options"),
            ));
        }
        if param.kind == "number" && value != FAIL_VALUE && value.parse::<f64>().is_err() {
            return Err(ApiError::bad_request(format!(
                "Parameter {:?} has an invalid value.",
                param.name
            ))
            .validation(
                param.name.clone(),
                format!("value {value:?} is not a number"),
            ));
        }
        out.push((param.name.clone(), value));
    }
    Ok(out)
}

/// Adds a build in `pending` state; returns its id.
pub(crate) fn insert_build(
    state: &mut State,
    workspace_id: Uuid,
    transition: Transition,
    template_version_id: Uuid,
    preset_id: Option<Uuid>,
    parameters: Vec<(String, String)>,
    initiator_id: Uuid,
) -> Uuid {
    let number = state.latest_build(workspace_id).map_or(1, |b| b.number + 1);
    let org_id = state
        .workspace(workspace_id)
        .map_or(Uuid::nil(), |w| w.org_id);
    let file_id = state
        .version(template_version_id)
        .map_or(Uuid::nil(), |v| v.job.file_id);
    let now = OffsetDateTime::now_utc();
    let id = Uuid::new_v4();
    state.builds.push(BuildRec {
        id,
        workspace_id,
        number,
        transition,
        template_version_id,
        preset_id,
        parameters,
        initiator_id,
        created_at: now,
        updated_at: now,
        job: JobRec::new(JobKind::Build, org_id, initiator_id, file_id),
    });
    if let Some(ws) = state.workspaces.iter_mut().find(|w| w.id == workspace_id) {
        ws.updated_at = now;
    }
    id
}

/// Moves a build's job to `running`.
pub(crate) fn build_start(state: &mut State, build_id: Uuid) {
    let Some(build) = state.build(build_id) else {
        return;
    };
    let (job_id, transition) = (build.job.id, build.transition);
    job_start(state, job_id);
    let stage = match transition {
        Transition::Start => "Starting workspace",
        Transition::Stop => "Stopping workspace",
        Transition::Delete => "Destroying workspace",
    };
    job_progress(
        state,
        job_id,
        "Planning infrastructure",
        "Plan: 2 to add, 0 to change, 0 to destroy.",
    );
    job_progress(state, job_id, stage, "");
}

/// Completes a build: fails it when a parameter is `fail`, otherwise applies its transition
/// to the workspace and agent. Returns whether the agent should now start.
pub(crate) fn build_finish(state: &mut State, build_id: Uuid) -> bool {
    let Some(build) = state.build(build_id) else {
        return false;
    };
    let (job_id, transition, workspace_id) = (build.job.id, build.transition, build.workspace_id);
    let failing = build
        .parameters
        .iter()
        .find(|(_, v)| v == FAIL_VALUE)
        .map(|(n, _)| n.clone());
    if let Some(name) = failing {
        job_complete(
            state,
            job_id,
            Some(format!(
                "simulated provisioner failure: parameter {name:?} is \"fail\""
            )),
        );
        return false;
    }
    job_complete(state, job_id, None);
    let now = OffsetDateTime::now_utc();
    if let Some(b) = state.builds.iter_mut().find(|b| b.id == build_id) {
        b.updated_at = now;
    }
    let agent_id = state.workspace(workspace_id).map(|w| w.agent_id);
    match transition {
        Transition::Start => {
            if let Some(agent) = agent_id.and_then(|id| state.agent_mut(id)) {
                agent.status = "connecting";
                agent.lifecycle = "created";
                agent.started_at = None;
                agent.ready_at = None;
                agent.logs.clear();
            }
            true
        }
        Transition::Stop | Transition::Delete => {
            if let Some(agent) = agent_id.and_then(|id| state.agent_mut(id)) {
                agent.status = "disconnected";
                agent.lifecycle = "off";
            }
            if transition == Transition::Delete
                && let Some(ws) = state.workspaces.iter_mut().find(|w| w.id == workspace_id)
            {
                ws.deleted = true;
            }
            false
        }
    }
}

/// The agent connects and begins its startup script.
pub(crate) fn agent_connect(state: &mut State, agent_id: Uuid) {
    let now = OffsetDateTime::now_utc();
    if let Some(agent) = state.agent_mut(agent_id) {
        agent.status = "connected";
        agent.lifecycle = "starting";
        agent.first_connected_at.get_or_insert(now);
        agent.last_connected_at = Some(now);
        agent.started_at = Some(now);
    }
    state.push_agent_log(agent_id, "info", "Running startup script...");
    state.push_agent_log(agent_id, "info", "Installing code-server");
}

/// The agent's startup script finishes.
pub(crate) fn agent_ready(state: &mut State, agent_id: Uuid) {
    state.push_agent_log(agent_id, "info", "Startup script completed");
    if let Some(agent) = state.agent_mut(agent_id) {
        agent.lifecycle = "ready";
        agent.ready_at = Some(OffsetDateTime::now_utc());
    }
}

/// Runs a whole build synchronously (used by the seed).
pub(crate) fn run_build_now(state: &mut State, build_id: Uuid) {
    build_start(state, build_id);
    if build_finish(state, build_id)
        && let Some(agent_id) = state
            .build(build_id)
            .and_then(|b| state.workspace(b.workspace_id))
            .map(|w| w.agent_id)
    {
        agent_connect(state, agent_id);
        agent_ready(state, agent_id);
    }
}

/// Runs a template import synchronously (used by the seed).
pub(crate) fn run_import_now(state: &mut State, version_id: Uuid) {
    if let Some(job_id) = state.version(version_id).map(|v| v.job.id) {
        job_start(state, job_id);
    }
    import_finish(state, version_id);
}
