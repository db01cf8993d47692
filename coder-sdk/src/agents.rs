//! Workspace agents: the process inside a workspace that runs scripts, apps and terminals.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::apps::WorkspaceApp;
use crate::ids::{LogSourceId, WorkspaceAgentId, WorkspaceResourceId};
use crate::jobs::LogLevel;
use crate::serde_util::null_default;

/// A workspace agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceAgent {
    /// The agent's id.
    pub id: WorkspaceAgentId,
    /// The agent's name (unique within a workspace; used in `ws.agent`).
    pub name: String,
    /// The resource the agent runs on.
    #[serde(default)]
    pub resource_id: WorkspaceResourceId,
    /// The parent agent, for sub-agents such as dev containers.
    #[serde(
        default,
        deserialize_with = "crate::serde_util::null_uuid",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_id: Option<WorkspaceAgentId>,
    /// When the agent was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// When it first connected to coderd.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub first_connected_at: Option<OffsetDateTime>,
    /// When it last connected.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_connected_at: Option<OffsetDateTime>,
    /// When it disconnected, if it did.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub disconnected_at: Option<OffsetDateTime>,
    /// When its startup scripts began.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    /// When its startup scripts finished.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ready_at: Option<OffsetDateTime>,
    /// Whether it is connected to coderd.
    #[serde(default)]
    pub status: WorkspaceAgentStatus,
    /// Where it is in its startup/shutdown life.
    #[serde(default)]
    pub lifecycle_state: WorkspaceAgentLifecycle,
    /// Health summary.
    #[serde(default)]
    pub health: WorkspaceAgentHealth,
    /// Operating system (`linux`, `darwin`, `windows`).
    #[serde(default)]
    pub operating_system: String,
    /// CPU architecture.
    #[serde(default)]
    pub architecture: String,
    /// The working directory as configured.
    #[serde(default)]
    pub directory: String,
    /// The working directory with `~` and variables expanded.
    #[serde(default)]
    pub expanded_directory: String,
    /// Agent version.
    #[serde(default)]
    pub version: String,
    /// Agent API version.
    #[serde(default)]
    pub api_version: String,
    /// Environment variables the template sets.
    #[serde(default, deserialize_with = "null_default")]
    pub environment_variables: BTreeMap<String, String>,
    /// The apps the agent exposes.
    #[serde(default, deserialize_with = "null_default")]
    pub apps: Vec<WorkspaceApp>,
    /// Built-in apps shown in the dashboard (`vscode`, `web_terminal`...).
    #[serde(default, deserialize_with = "null_default")]
    pub display_apps: Vec<String>,
    /// Sources of the agent's logs (one per script).
    #[serde(default, deserialize_with = "null_default")]
    pub log_sources: Vec<WorkspaceAgentLogSource>,
    /// Total size of the agent's logs.
    #[serde(default)]
    pub logs_length: i64,
    /// Whether logs were dropped because there were too many.
    #[serde(default)]
    pub logs_overflowed: bool,
    /// How long coderd waits before calling the agent unhealthy.
    #[serde(default)]
    pub connection_timeout_seconds: i64,
    /// Where the template author documents how to fix a broken agent.
    #[serde(default)]
    pub troubleshooting_url: String,
    /// Whether login waits for startup scripts (`blocking`/`non-blocking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_script_behavior: Option<String>,
}

impl Default for WorkspaceAgent {
    fn default() -> Self {
        Self {
            id: WorkspaceAgentId::default(),
            name: String::new(),
            resource_id: WorkspaceResourceId::default(),
            parent_id: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            first_connected_at: None,
            last_connected_at: None,
            disconnected_at: None,
            started_at: None,
            ready_at: None,
            status: WorkspaceAgentStatus::default(),
            lifecycle_state: WorkspaceAgentLifecycle::default(),
            health: WorkspaceAgentHealth::default(),
            operating_system: String::new(),
            architecture: String::new(),
            directory: String::new(),
            expanded_directory: String::new(),
            version: String::new(),
            api_version: String::new(),
            environment_variables: BTreeMap::new(),
            apps: Vec::new(),
            display_apps: Vec::new(),
            log_sources: Vec::new(),
            logs_length: 0,
            logs_overflowed: false,
            connection_timeout_seconds: 0,
            troubleshooting_url: String::new(),
            startup_script_behavior: None,
        }
    }
}

/// Whether an agent is connected to coderd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceAgentStatus {
    /// Not connected yet.
    #[default]
    Connecting,
    /// Connected.
    Connected,
    /// Was connected, lost the connection.
    Disconnected,
    /// Did not connect within the timeout.
    Timeout,
    /// A status this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Where an agent is in its startup and shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceAgentLifecycle {
    /// Registered, not started.
    #[default]
    Created,
    /// Running startup scripts.
    Starting,
    /// Startup scripts took too long.
    StartTimeout,
    /// A startup script failed.
    StartError,
    /// Startup finished.
    Ready,
    /// Running shutdown scripts.
    ShuttingDown,
    /// Shutdown scripts took too long.
    ShutdownTimeout,
    /// A shutdown script failed.
    ShutdownError,
    /// Stopped.
    Off,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl WorkspaceAgentLifecycle {
    /// Whether startup is over, successfully or not: waiting longer will not change it.
    pub fn is_startup_finished(&self) -> bool {
        matches!(self, Self::Ready | Self::StartTimeout | Self::StartError)
    }
}

/// Health summary of an agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAgentHealth {
    /// Whether the agent is healthy.
    #[serde(default)]
    pub healthy: bool,
    /// Why not, when it is not.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A source of agent logs, usually one script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceAgentLogSource {
    /// The source's id.
    pub id: LogSourceId,
    /// The agent it belongs to.
    #[serde(default)]
    pub workspace_agent_id: WorkspaceAgentId,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Human-readable name (for example `Startup Script`).
    #[serde(default)]
    pub display_name: String,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
}

/// One line of an agent's startup log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceAgentLog {
    /// Increasing log id; pass the last one seen as `after` to resume.
    pub id: i64,
    /// When the line was written.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The text of the line.
    #[serde(default)]
    pub output: String,
    /// Severity.
    #[serde(default)]
    pub level: LogLevel,
    /// Which script wrote it.
    #[serde(default)]
    pub source_id: LogSourceId,
}

impl Default for WorkspaceAgentLog {
    fn default() -> Self {
        Self {
            id: 0,
            created_at: OffsetDateTime::UNIX_EPOCH,
            output: String::new(),
            level: LogLevel::default(),
            source_id: LogSourceId::default(),
        }
    }
}

/// Ports something listens on inside the workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAgentListeningPortsResponse {
    /// The listening ports.
    #[serde(default, deserialize_with = "null_default")]
    pub ports: Vec<WorkspaceAgentListeningPort>,
}

/// One listening port.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAgentListeningPort {
    /// The process name, when known.
    #[serde(default)]
    pub process_name: String,
    /// `tcp` (only TCP is reported).
    #[serde(default)]
    pub network: String,
    /// The port number.
    pub port: u16,
}

impl crate::Client {
    /// An agent by id (`GET /api/v2/workspaceagents/{workspaceagent}`).
    pub async fn workspace_agent(&self, id: WorkspaceAgentId) -> crate::Result<WorkspaceAgent> {
        let url = self.endpoint(&["api", "v2", "workspaceagents", &id.to_string()])?;
        self.get(url).await
    }

    /// Ports something listens on inside the workspace
    /// (`GET /api/v2/workspaceagents/{workspaceagent}/listening-ports`).
    pub async fn workspace_agent_listening_ports(
        &self,
        id: WorkspaceAgentId,
    ) -> crate::Result<WorkspaceAgentListeningPortsResponse> {
        let url = self.endpoint(&[
            "api",
            "v2",
            "workspaceagents",
            &id.to_string(),
            "listening-ports",
        ])?;
        self.get(url).await
    }
}

impl crate::Client {
    /// An agent's startup logs so far (`GET /api/v2/workspaceagents/{workspaceagent}/logs`).
    pub async fn workspace_agent_logs(
        &self,
        id: WorkspaceAgentId,
        query: &crate::LogsQuery,
    ) -> crate::Result<Vec<WorkspaceAgentLog>> {
        let mut url = self.endpoint(&["api", "v2", "workspaceagents", &id.to_string(), "logs"])?;
        query.apply(&mut url);
        crate::client::push_query(&mut url, "format", Some("json"));
        self.get(url).await
    }

    /// Follows an agent's logs (`?follow`, a WebSocket whose frames are arrays of lines);
    /// yields one line at a time.
    pub async fn follow_workspace_agent_logs(
        &self,
        id: WorkspaceAgentId,
        after: Option<i64>,
    ) -> crate::Result<crate::LogStream<WorkspaceAgentLog>> {
        let mut url = self.endpoint(&["api", "v2", "workspaceagents", &id.to_string(), "logs"])?;
        crate::client::push_query(&mut url, "follow", Some("true"));
        crate::client::push_query(&mut url, "after", after);
        crate::client::push_query(&mut url, "no_compression", Some("true"));
        let ws = self.websocket(url, crate::client::Auth::Session).await?;
        Ok(crate::LogStream::new(ws, crate::logs::Framing::Batch))
    }
}
