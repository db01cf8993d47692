//! [`TaskReporter`]: the one place task status reports go out, shared by the
//! `coder_report_task` tool and anything else that knows the agent's state (such as a
//! screen watcher), so reports are deduplicated and ordered in one place.

use std::sync::{Arc, Mutex, PoisonError};

use coder_sdk::{Client, PatchAppStatus, WorkspaceAppStatusState};

use crate::error::Error;

/// One status report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    /// The state to show.
    pub state: WorkspaceAppStatusState,
    /// A one-line summary; empty keeps the previous one.
    pub summary: String,
    /// A link to the result; empty keeps the previous one.
    pub link: String,
}

/// Sends task status to the Coder dashboard as the status of a workspace app, with the
/// agent token. Cheap to clone; clones share the last report.
#[derive(Debug, Clone)]
pub struct TaskReporter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: Client,
    app_slug: String,
    /// When a screen watcher is running, the agent's own reports only say it is busy: the
    /// watcher, which sees the screen settle, decides when it is idle.
    screen_watched: bool,
    last: Mutex<Option<TaskReport>>,
}

impl TaskReporter {
    /// Reports under the app `app_slug`, with the agent token of `client`.
    pub fn new(client: Client, app_slug: impl Into<String>) -> Self {
        Self::build(client, app_slug.into(), false)
    }

    /// Like [`new`](Self::new), for an agent whose screen is watched (coder/agentapi): its
    /// self-reported states are sent as `working`, and the watcher reports `idle`.
    pub fn screen_watched(client: Client, app_slug: impl Into<String>) -> Self {
        Self::build(client, app_slug.into(), true)
    }

    fn build(client: Client, app_slug: String, screen_watched: bool) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                app_slug,
                screen_watched,
                last: Mutex::new(None),
            }),
        }
    }

    /// A report from the agent itself (the `coder_report_task` tool).
    pub async fn self_report(&self, mut report: TaskReport) -> Result<bool, Error> {
        if self.inner.screen_watched {
            report.state = WorkspaceAppStatusState::Working;
        }
        self.report(report).await
    }

    /// Sends a report unless it repeats the last one. Empty summary or link carry over from
    /// the last report. Returns whether anything was sent.
    pub async fn report(&self, mut report: TaskReport) -> Result<bool, Error> {
        {
            let last = self
                .inner
                .last
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if let Some(previous) = last.as_ref() {
                if report.summary.is_empty() {
                    report.summary.clone_from(&previous.summary);
                }
                if report.link.is_empty() {
                    report.link.clone_from(&previous.link);
                }
                if *previous == report {
                    return Ok(false);
                }
            }
        }
        self.inner
            .client
            .patch_app_status(&PatchAppStatus {
                app_slug: self.inner.app_slug.clone(),
                state: report.state,
                message: report.summary.clone(),
                uri: report.link.clone(),
            })
            .await
            .map_err(Error::Coder)?;
        *self
            .inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(report);
        Ok(true)
    }

    /// The last report sent.
    pub fn last(&self) -> Option<TaskReport> {
        self.inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
