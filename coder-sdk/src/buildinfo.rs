//! Deployment build information.

use serde::{Deserialize, Serialize};

/// Result of `GET /api/v2/buildinfo` (needs no authentication).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildInfoResponse {
    /// The Coder version, for example `v2.24.1+abc123`.
    pub version: String,
    /// The URL of the source commit.
    #[serde(default)]
    pub external_url: String,
    /// The dashboard URL.
    #[serde(default)]
    pub dashboard_url: String,
    /// Unique id of the deployment.
    #[serde(default)]
    pub deployment_id: String,
    /// Whether this server is a workspace proxy.
    #[serde(default)]
    pub workspace_proxy: bool,
    /// Agent API version the server speaks.
    #[serde(default)]
    pub agent_api_version: String,
    /// Provisioner API version the server speaks.
    #[serde(default)]
    pub provisioner_api_version: String,
    /// Whether telemetry is on.
    #[serde(default)]
    pub telemetry: bool,
    /// A message telling the admin to upgrade, if any.
    #[serde(default)]
    pub upgrade_message: String,
}

impl crate::Client {
    /// Version information of the deployment (`GET /api/v2/buildinfo`).
    pub async fn build_info(&self) -> crate::Result<BuildInfoResponse> {
        let url = self.endpoint(&["api", "v2", "buildinfo"])?;
        self.get(url).await
    }
}
