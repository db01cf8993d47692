//! The in-memory records behind the simulated deployment.
//!
//! These are the simulator's own bookkeeping types, kept deliberately small: the JSON that
//! goes over the wire is produced from them in `render.rs`, so the records only hold what the
//! simulated behaviour needs.

use std::collections::HashMap;

use time::OffsetDateTime;
use uuid::Uuid;

/// Who a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A user session token.
    User(Uuid),
    /// A workspace agent token (valid only on agent endpoints).
    Agent(Uuid),
}

#[derive(Debug, Clone)]
pub(crate) struct UserRec {
    pub(crate) id: Uuid,
    pub(crate) username: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) site_roles: Vec<String>,
    pub(crate) org_ids: Vec<Uuid>,
    pub(crate) created_at: OffsetDateTime,
}

impl UserRec {
    pub(crate) fn is_owner(&self) -> bool {
        self.site_roles.iter().any(|r| r == "owner")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct OrgRec {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) is_default: bool,
    pub(crate) created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct TemplateRec {
    pub(crate) id: Uuid,
    pub(crate) org_id: Uuid,
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    pub(crate) icon: String,
    pub(crate) active_version_id: Uuid,
    pub(crate) created_by: Uuid,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
    pub(crate) deleted: bool,
}

/// One option of a rich parameter.
#[derive(Debug, Clone)]
pub(crate) struct ParamOption {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) description: String,
}

/// A rich parameter of a template version.
#[derive(Debug, Clone)]
pub(crate) struct ParamRec {
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    pub(crate) kind: String,
    pub(crate) default_value: String,
    pub(crate) mutable: bool,
    pub(crate) required: bool,
    pub(crate) options: Vec<ParamOption>,
}

#[derive(Debug, Clone)]
pub(crate) struct PresetRec {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) default: bool,
    pub(crate) parameters: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobKind {
    Import,
    Build,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl JobStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub(crate) fn is_done(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// One provisioner log line.
#[derive(Debug, Clone)]
pub(crate) struct JobLog {
    pub(crate) id: i64,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) level: &'static str,
    pub(crate) stage: String,
    pub(crate) output: String,
}

/// A provisioner job (template import or workspace build).
#[derive(Debug, Clone)]
pub(crate) struct JobRec {
    pub(crate) id: Uuid,
    pub(crate) kind: JobKind,
    pub(crate) status: JobStatus,
    pub(crate) org_id: Uuid,
    pub(crate) initiator_id: Uuid,
    pub(crate) file_id: Uuid,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) started_at: Option<OffsetDateTime>,
    pub(crate) completed_at: Option<OffsetDateTime>,
    pub(crate) error: Option<String>,
    pub(crate) logs: Vec<JobLog>,
}

impl JobRec {
    pub(crate) fn new(kind: JobKind, org_id: Uuid, initiator_id: Uuid, file_id: Uuid) -> Self {
        Self {
            id: Uuid::new_v4(),
            kind,
            status: JobStatus::Pending,
            org_id,
            initiator_id,
            file_id,
            created_at: OffsetDateTime::now_utc(),
            started_at: None,
            completed_at: None,
            error: None,
            logs: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct VersionRec {
    pub(crate) id: Uuid,
    pub(crate) template_id: Option<Uuid>,
    pub(crate) org_id: Uuid,
    pub(crate) name: String,
    pub(crate) message: String,
    pub(crate) readme: String,
    pub(crate) created_by: Uuid,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) job: JobRec,
    pub(crate) parameters: Vec<ParamRec>,
    pub(crate) presets: Vec<PresetRec>,
    /// Why the import will fail, decided when the version is created from its file.
    pub(crate) import_error: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct FileRec {
    pub(crate) id: Uuid,
    pub(crate) created_by: Uuid,
    pub(crate) content_type: String,
    pub(crate) data: Vec<u8>,
}

#[derive(Debug, Clone)]
pub(crate) struct WorkspaceRec {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) owner_id: Uuid,
    pub(crate) org_id: Uuid,
    pub(crate) template_id: Uuid,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
    pub(crate) last_used_at: OffsetDateTime,
    pub(crate) deleted: bool,
    /// The workspace's agent; its id stays stable across builds.
    pub(crate) agent_id: Uuid,
    pub(crate) ttl_ms: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transition {
    Start,
    Stop,
    Delete,
}

impl Transition {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Delete => "delete",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "start" => Some(Self::Start),
            "stop" => Some(Self::Stop),
            "delete" => Some(Self::Delete),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct BuildRec {
    pub(crate) id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) number: i64,
    pub(crate) transition: Transition,
    pub(crate) template_version_id: Uuid,
    pub(crate) preset_id: Option<Uuid>,
    pub(crate) parameters: Vec<(String, String)>,
    pub(crate) initiator_id: Uuid,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
    pub(crate) job: JobRec,
}

impl BuildRec {
    /// The workspace status this build implies (Coder derives it from job and transition).
    pub(crate) fn status(&self) -> &'static str {
        match (self.job.status, self.transition) {
            (JobStatus::Pending, _) => "pending",
            (JobStatus::Running, Transition::Start) => "starting",
            (JobStatus::Running, Transition::Stop) => "stopping",
            (JobStatus::Running, Transition::Delete) => "deleting",
            (JobStatus::Succeeded, Transition::Start) => "running",
            (JobStatus::Succeeded, Transition::Stop) => "stopped",
            (JobStatus::Succeeded, Transition::Delete) => "deleted",
            (JobStatus::Failed, _) => "failed",
        }
    }
}

/// One line of agent startup logs.
#[derive(Debug, Clone)]
pub(crate) struct AgentLog {
    pub(crate) id: i64,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) level: &'static str,
    pub(crate) output: String,
}

#[derive(Debug, Clone)]
pub(crate) struct AppRec {
    pub(crate) id: Uuid,
    pub(crate) slug: String,
    pub(crate) display_name: String,
    pub(crate) url: String,
    pub(crate) command: String,
    pub(crate) icon: String,
    pub(crate) subdomain: bool,
    pub(crate) external: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct AppStatusRec {
    pub(crate) id: Uuid,
    pub(crate) agent_id: Uuid,
    pub(crate) app_id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) app_slug: String,
    pub(crate) state: String,
    pub(crate) message: String,
    pub(crate) uri: String,
    pub(crate) created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct AgentRec {
    pub(crate) id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) resource_id: Uuid,
    pub(crate) name: String,
    pub(crate) token: String,
    /// `connecting`, `connected` or `disconnected`.
    pub(crate) status: &'static str,
    /// Coder's lifecycle state (`created`, `starting`, `ready`, `off`, ...).
    pub(crate) lifecycle: &'static str,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) first_connected_at: Option<OffsetDateTime>,
    pub(crate) last_connected_at: Option<OffsetDateTime>,
    pub(crate) started_at: Option<OffsetDateTime>,
    pub(crate) ready_at: Option<OffsetDateTime>,
    pub(crate) log_source_id: Uuid,
    pub(crate) logs: Vec<AgentLog>,
    pub(crate) apps: Vec<AppRec>,
    pub(crate) ports: Vec<(u16, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct TaskLog {
    pub(crate) id: i64,
    pub(crate) time: OffsetDateTime,
    pub(crate) kind: &'static str,
    pub(crate) content: String,
}

#[derive(Debug, Clone)]
pub(crate) struct TaskRec {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) display_name: String,
    pub(crate) owner_id: Uuid,
    pub(crate) org_id: Uuid,
    pub(crate) template_version_id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) prompt: String,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
    pub(crate) deleted: bool,
    pub(crate) logs: Vec<TaskLog>,
}

/// Everything the simulated deployment knows.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) users: Vec<UserRec>,
    pub(crate) orgs: Vec<OrgRec>,
    pub(crate) templates: Vec<TemplateRec>,
    pub(crate) versions: Vec<VersionRec>,
    pub(crate) files: Vec<FileRec>,
    pub(crate) workspaces: Vec<WorkspaceRec>,
    pub(crate) builds: Vec<BuildRec>,
    pub(crate) agents: Vec<AgentRec>,
    pub(crate) app_statuses: Vec<AppStatusRec>,
    pub(crate) tasks: Vec<TaskRec>,
    pub(crate) tokens: HashMap<String, Subject>,
    next_log_id: i64,
}

impl State {
    /// A fresh, monotonically increasing log id (shared by every log kind).
    pub(crate) fn next_log_id(&mut self) -> i64 {
        self.next_log_id += 1;
        self.next_log_id
    }

    pub(crate) fn user(&self, id: Uuid) -> Option<&UserRec> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Resolves a `{user}` path segment: a username, a UUID or `me`.
    pub(crate) fn resolve_user(&self, me: Uuid, key: &str) -> Option<&UserRec> {
        if key == "me" {
            return self.user(me);
        }
        if let Ok(id) = Uuid::parse_str(key) {
            return self.user(id);
        }
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(key))
    }

    pub(crate) fn org(&self, id: Uuid) -> Option<&OrgRec> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// Resolves an `{organization}` path segment: a UUID, a name or `default`.
    pub(crate) fn resolve_org(&self, key: &str) -> Option<&OrgRec> {
        if let Ok(id) = Uuid::parse_str(key) {
            return self.org(id);
        }
        if key == "default" {
            return self.orgs.iter().find(|o| o.is_default);
        }
        self.orgs.iter().find(|o| o.name == key)
    }

    pub(crate) fn template(&self, id: Uuid) -> Option<&TemplateRec> {
        self.templates.iter().find(|t| t.id == id && !t.deleted)
    }

    pub(crate) fn version(&self, id: Uuid) -> Option<&VersionRec> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub(crate) fn workspace(&self, id: Uuid) -> Option<&WorkspaceRec> {
        self.workspaces.iter().find(|w| w.id == id && !w.deleted)
    }

    pub(crate) fn build(&self, id: Uuid) -> Option<&BuildRec> {
        self.builds.iter().find(|b| b.id == id)
    }

    pub(crate) fn latest_build(&self, workspace_id: Uuid) -> Option<&BuildRec> {
        self.builds
            .iter()
            .filter(|b| b.workspace_id == workspace_id)
            .max_by_key(|b| b.number)
    }

    pub(crate) fn agent(&self, id: Uuid) -> Option<&AgentRec> {
        self.agents.iter().find(|a| a.id == id)
    }

    pub(crate) fn agent_mut(&mut self, id: Uuid) -> Option<&mut AgentRec> {
        self.agents.iter_mut().find(|a| a.id == id)
    }

    pub(crate) fn task(&self, id: Uuid) -> Option<&TaskRec> {
        self.tasks.iter().find(|t| t.id == id && !t.deleted)
    }

    /// The job with this id, wherever it lives.
    pub(crate) fn job_mut(&mut self, job_id: Uuid) -> Option<&mut JobRec> {
        if let Some(b) = self.builds.iter_mut().find(|b| b.job.id == job_id) {
            return Some(&mut b.job);
        }
        self.versions
            .iter_mut()
            .find(|v| v.job.id == job_id)
            .map(|v| &mut v.job)
    }

    pub(crate) fn job(&self, job_id: Uuid) -> Option<&JobRec> {
        if let Some(b) = self.builds.iter().find(|b| b.job.id == job_id) {
            return Some(&b.job);
        }
        self.versions
            .iter()
            .find(|v| v.job.id == job_id)
            .map(|v| &v.job)
    }

    /// Appends a provisioner log line to a job.
    pub(crate) fn push_job_log(
        &mut self,
        job_id: Uuid,
        level: &'static str,
        stage: &str,
        output: &str,
    ) {
        let id = self.next_log_id();
        if let Some(job) = self.job_mut(job_id) {
            job.logs.push(JobLog {
                id,
                created_at: OffsetDateTime::now_utc(),
                level,
                stage: stage.to_owned(),
                output: output.to_owned(),
            });
        }
    }

    /// Appends an agent startup log line.
    pub(crate) fn push_agent_log(&mut self, agent_id: Uuid, level: &'static str, output: &str) {
        let id = self.next_log_id();
        if let Some(agent) = self.agent_mut(agent_id) {
            agent.logs.push(AgentLog {
                id,
                created_at: OffsetDateTime::now_utc(),
                level,
                output: output.to_owned(),
            });
        }
    }
}
