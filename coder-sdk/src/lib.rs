#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod agents;
mod apps;
mod buildinfo;
mod builds;
mod client;
mod discovery;
mod error;
pub mod exec;
mod files;
mod ids;
mod jobs;
mod logs;
mod organizations;
mod pagination;
mod pty;
mod retry;
mod serde_util;
mod tasks;
mod template_versions;
mod templates;
mod users;
mod websocket;
mod workspaces;

#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use agents::{
    WorkspaceAgent, WorkspaceAgentHealth, WorkspaceAgentLifecycle, WorkspaceAgentListeningPort,
    WorkspaceAgentListeningPortsResponse, WorkspaceAgentLog, WorkspaceAgentLogSource,
    WorkspaceAgentStatus,
};
pub use apps::{
    AppHostResponse, PatchAppStatus, WorkspaceApp, WorkspaceAppHealth, WorkspaceAppStatus,
    WorkspaceAppStatusState,
};
pub use buildinfo::BuildInfoResponse;
pub use builds::{
    BuildReason, CreateWorkspaceBuildRequest, WorkspaceBuild, WorkspaceBuildParameter,
    WorkspaceResource, WorkspaceResourceMetadata, WorkspaceStatus, WorkspaceTransition,
};
pub use client::{Client, ClientBuilder};
pub use error::{ApiResponse, BoxError, Error, Result, ValidationError};
pub use exec::{ExecOptions, ExecOutput, TIMEOUT_EXIT_CODE};
pub use files::{UploadResponse, build_tar};
pub use ids::{
    FileId, LogSourceId, OrganizationId, PresetId, ProvisionerJobId, TaskId, TemplateId,
    TemplateVersionId, UserId, WorkspaceAgentId, WorkspaceAppId, WorkspaceBuildId, WorkspaceId,
    WorkspaceResourceId,
};
pub use jobs::{
    LogLevel, LogSource, LogsQuery, ProvisionerJob, ProvisionerJobLog, ProvisionerJobStatus,
    ProvisionerJobType,
};
pub use logs::LogStream;
pub use organizations::Organization;
pub use pagination::Pagination;
pub use pty::{PtyOptions, ReconnectingPty};
pub use retry::RetryPolicy;
pub use tasks::{
    CreateTaskRequest, Task, TaskLogEntry, TaskLogType, TaskLogsResponse, TaskSendRequest,
    TaskState, TaskStateEntry, TaskStatus, TasksFilter, TasksListResponse,
};
pub use template_versions::{
    CreateTemplateVersionRequest, Preset, PresetParameter, TemplateVersion,
    TemplateVersionParameter, TemplateVersionParameterOption,
};
pub use templates::{CreateTemplateRequest, Template, TemplateFilter, UpdateActiveTemplateVersion};
pub use users::{GetUsersResponse, LoginType, MinimalUser, SlimRole, User, UserStatus, UsersQuery};
pub use workspaces::{
    CreateWorkspaceRequest, Workspace, WorkspaceFilter, WorkspaceHealth, WorkspacesResponse,
};
