//! Provisioner jobs: the Terraform runs behind template imports and workspace builds, and
//! their logs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{FileId, OrganizationId, ProvisionerJobId, UserId};
use crate::serde_util::null_default;

/// A provisioner job as embedded in builds and template versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvisionerJob {
    /// The job's id.
    pub id: ProvisionerJobId,
    /// Where the job is in its life.
    pub status: ProvisionerJobStatus,
    /// What kind of work the job does.
    #[serde(default, rename = "type")]
    pub job_type: ProvisionerJobType,
    /// When the job was queued.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When a provisioner picked it up.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    /// When it finished (successfully or not).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    /// When it was canceled.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub canceled_at: Option<OffsetDateTime>,
    /// The failure message, empty on success.
    #[serde(default)]
    pub error: String,
    /// A machine-readable failure reason, if Coder has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The uploaded source archive the job runs on.
    #[serde(default)]
    pub file_id: FileId,
    /// Who started the job.
    #[serde(default)]
    pub initiator_id: UserId,
    /// The organization the job runs in.
    #[serde(default)]
    pub organization_id: OrganizationId,
    /// Provisioner tags used to pick a provisioner.
    #[serde(default, deserialize_with = "null_default")]
    pub tags: BTreeMap<String, String>,
    /// Position in the queue (0 when running or done).
    #[serde(default)]
    pub queue_position: i64,
    /// Length of the queue when the job was read.
    #[serde(default)]
    pub queue_size: i64,
    /// Whether Coder dropped logs because there were too many.
    #[serde(default)]
    pub logs_overflowed: bool,
}

impl Default for ProvisionerJob {
    fn default() -> Self {
        Self {
            id: ProvisionerJobId::default(),
            status: ProvisionerJobStatus::default(),
            job_type: ProvisionerJobType::default(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            started_at: None,
            completed_at: None,
            canceled_at: None,
            error: String::new(),
            error_code: None,
            file_id: FileId::default(),
            initiator_id: UserId::default(),
            organization_id: OrganizationId::default(),
            tags: BTreeMap::new(),
            queue_position: 0,
            queue_size: 0,
            logs_overflowed: false,
        }
    }
}

impl ProvisionerJob {
    /// Whether the job will not change any more (succeeded, failed or canceled).
    pub fn is_completed(&self) -> bool {
        matches!(
            self.status,
            ProvisionerJobStatus::Succeeded
                | ProvisionerJobStatus::Failed
                | ProvisionerJobStatus::Canceled
        )
    }
}

/// Where a provisioner job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionerJobStatus {
    /// Waiting for a provisioner.
    #[default]
    Pending,
    /// Running.
    Running,
    /// Finished without error.
    Succeeded,
    /// Being canceled.
    Canceling,
    /// Canceled.
    Canceled,
    /// Finished with an error.
    Failed,
    /// A status this client does not know yet (Coder itself also uses `unknown`).
    #[serde(other)]
    Unknown,
}

/// What a provisioner job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionerJobType {
    /// Importing a template version.
    #[default]
    TemplateVersionImport,
    /// Building a workspace.
    WorkspaceBuild,
    /// A dry run of a template version.
    TemplateVersionDryRun,
    /// A job type this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Very detailed tracing.
    Trace,
    /// Debugging output.
    Debug,
    /// Normal output.
    #[default]
    Info,
    /// Something looks wrong.
    Warn,
    /// Something failed.
    Error,
    /// A level this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Who wrote a provisioner log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogSource {
    /// The provisioner daemon itself (queueing, setup).
    ProvisionerDaemon,
    /// The provisioner (Terraform output).
    #[default]
    Provisioner,
    /// A source this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// One line of a build or template-version import log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvisionerJobLog {
    /// Increasing log id; pass the last one seen as `after` to resume.
    pub id: i64,
    /// When the line was written.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Who wrote the line.
    #[serde(default)]
    pub log_source: LogSource,
    /// Severity.
    #[serde(default)]
    pub log_level: LogLevel,
    /// The build stage (for example `Planning infrastructure`).
    #[serde(default)]
    pub stage: String,
    /// The text of the line.
    #[serde(default)]
    pub output: String,
}

impl Default for ProvisionerJobLog {
    fn default() -> Self {
        Self {
            id: 0,
            created_at: OffsetDateTime::UNIX_EPOCH,
            log_source: LogSource::default(),
            log_level: LogLevel::default(),
            stage: String::new(),
            output: String::new(),
        }
    }
}

/// Which part of a log to fetch.
///
/// Log ids only grow, so `after` lets a caller resume where a previous read stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogsQuery {
    /// Only lines with an id greater than this.
    pub after: Option<i64>,
    /// Only lines with an id smaller than this.
    pub before: Option<i64>,
}

impl LogsQuery {
    /// The whole log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only lines after the given id.
    #[must_use]
    pub fn with_after(mut self, after: i64) -> Self {
        self.after = Some(after);
        self
    }

    /// Only lines before the given id.
    #[must_use]
    pub fn with_before(mut self, before: i64) -> Self {
        self.before = Some(before);
        self
    }
}

impl LogsQuery {
    /// Adds `after`/`before` to a log URL.
    pub(crate) fn apply(&self, url: &mut url::Url) {
        crate::client::push_query(url, "after", self.after);
        crate::client::push_query(url, "before", self.before);
    }
}

impl crate::Client {
    /// Fetches a provisioner log snapshot as JSON.
    async fn job_logs(
        &self,
        segments: &[&str],
        query: &LogsQuery,
    ) -> crate::Result<Vec<ProvisionerJobLog>> {
        let mut url = self.endpoint(segments)?;
        query.apply(&mut url);
        crate::client::push_query(&mut url, "format", Some("json"));
        self.get(url).await
    }

    /// Follows a provisioner log over a WebSocket.
    async fn follow_job_logs(
        &self,
        segments: &[&str],
        after: Option<i64>,
    ) -> crate::Result<crate::LogStream<ProvisionerJobLog>> {
        let mut url = self.endpoint(segments)?;
        crate::client::push_query(&mut url, "follow", Some("true"));
        crate::client::push_query(&mut url, "after", after);
        let ws = self.websocket(url, crate::client::Auth::Session).await?;
        Ok(crate::LogStream::new(ws, crate::logs::Framing::One))
    }

    /// The logs of a build so far (`GET /api/v2/workspacebuilds/{workspacebuild}/logs`).
    pub async fn workspace_build_logs(
        &self,
        build: crate::WorkspaceBuildId,
        query: &LogsQuery,
    ) -> crate::Result<Vec<ProvisionerJobLog>> {
        self.job_logs(
            &["api", "v2", "workspacebuilds", &build.to_string(), "logs"],
            query,
        )
        .await
    }

    /// Follows a build's logs until the build finishes (`?follow`, a WebSocket). Lines with an
    /// id up to `after` are skipped.
    pub async fn follow_workspace_build_logs(
        &self,
        build: crate::WorkspaceBuildId,
        after: Option<i64>,
    ) -> crate::Result<crate::LogStream<ProvisionerJobLog>> {
        self.follow_job_logs(
            &["api", "v2", "workspacebuilds", &build.to_string(), "logs"],
            after,
        )
        .await
    }

    /// The import logs of a template version so far
    /// (`GET /api/v2/templateversions/{templateversion}/logs`).
    pub async fn template_version_logs(
        &self,
        version: crate::TemplateVersionId,
        query: &LogsQuery,
    ) -> crate::Result<Vec<ProvisionerJobLog>> {
        self.job_logs(
            &[
                "api",
                "v2",
                "templateversions",
                &version.to_string(),
                "logs",
            ],
            query,
        )
        .await
    }

    /// Follows a template version's import logs until the import finishes.
    pub async fn follow_template_version_logs(
        &self,
        version: crate::TemplateVersionId,
        after: Option<i64>,
    ) -> crate::Result<crate::LogStream<ProvisionerJobLog>> {
        self.follow_job_logs(
            &[
                "api",
                "v2",
                "templateversions",
                &version.to_string(),
                "logs",
            ],
            after,
        )
        .await
    }
}
