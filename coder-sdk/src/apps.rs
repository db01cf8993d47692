//! Workspace apps, their status reports, and the wildcard application host.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{WorkspaceAgentId, WorkspaceAppId, WorkspaceId};
use crate::serde_util::null_default;

/// An app (`coder_app`) an agent exposes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceApp {
    /// The app's id.
    pub id: WorkspaceAppId,
    /// Unique name within the agent; used in URLs.
    pub slug: String,
    /// Human-readable name.
    #[serde(default)]
    pub display_name: String,
    /// The upstream URL inside the workspace (for proxied apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The command run in a terminal (for command apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
    /// Whether the app is served on its own subdomain.
    #[serde(default)]
    pub subdomain: bool,
    /// The subdomain name, when `subdomain` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain_name: Option<String>,
    /// Who may open it (`owner`, `authenticated`, `organization`, `public`).
    #[serde(default)]
    pub sharing_level: String,
    /// Health-check state.
    #[serde(default)]
    pub health: WorkspaceAppHealth,
    /// Whether the URL points outside the workspace.
    #[serde(default)]
    pub external: bool,
    /// Whether the dashboard hides it.
    #[serde(default)]
    pub hidden: bool,
    /// Dashboard group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Status reports sent by the app (AI agents report task progress here).
    #[serde(default, deserialize_with = "null_default")]
    pub statuses: Vec<WorkspaceAppStatus>,
}

/// Health-check state of an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceAppHealth {
    /// No health check configured.
    #[default]
    Disabled,
    /// Not checked yet.
    Initializing,
    /// Passing.
    Healthy,
    /// Failing.
    Unhealthy,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// A status report an app (usually an AI agent) made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceAppStatus {
    /// The report's id.
    pub id: uuid::Uuid,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The workspace.
    #[serde(default)]
    pub workspace_id: WorkspaceId,
    /// The agent.
    #[serde(default)]
    pub agent_id: WorkspaceAgentId,
    /// The app.
    #[serde(default)]
    pub app_id: WorkspaceAppId,
    /// The reported state.
    pub state: WorkspaceAppStatusState,
    /// A short summary.
    #[serde(default)]
    pub message: String,
    /// A link related to the work (a PR, a file).
    #[serde(default)]
    pub uri: String,
}

/// State an app reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceAppStatusState {
    /// Busy.
    #[default]
    Working,
    /// Waiting for input.
    Idle,
    /// Done.
    Complete,
    /// Gave up or failed.
    Failure,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Body of `PATCH /api/v2/workspaceagents/me/app-status` (sent with the agent token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchAppStatus {
    /// The app to report for.
    pub app_slug: String,
    /// The state.
    pub state: WorkspaceAppStatusState,
    /// A short summary.
    pub message: String,
    /// A related link (may be empty).
    #[serde(default)]
    pub uri: String,
}

/// The wildcard application host, e.g. `*.apps.example.com`; empty when not configured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppHostResponse {
    /// The host pattern.
    #[serde(default)]
    pub host: String,
}

impl crate::Client {
    /// The wildcard application host (`GET /api/v2/applications/host`).
    pub async fn app_host(&self) -> crate::Result<AppHostResponse> {
        let url = self.endpoint(&["api", "v2", "applications", "host"])?;
        self.get(url).await
    }

    /// Reports an app's status from inside a workspace
    /// (`PATCH /api/v2/workspaceagents/me/app-status`, authenticated with the agent token).
    pub async fn patch_app_status(
        &self,
        status: &PatchAppStatus,
    ) -> crate::Result<crate::ApiResponse> {
        let url = self.endpoint(&["api", "v2", "workspaceagents", "me", "app-status"])?;
        let body = crate::client::Body::json(status)?;
        self.json(http::Method::PATCH, url, body, crate::client::Auth::Agent)
            .await
    }
}
