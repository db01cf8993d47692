//! Background tasks that move jobs and agents through their states.
//!
//! Each step waits the configured step delay, so tests see the intermediate states but never
//! have to sleep themselves: they wait on state changes instead.

use std::sync::Arc;

use uuid::Uuid;

use super::ops;
use super::shared::Shared;

async fn step(shared: &Shared) {
    tokio::time::sleep(shared.config.step_delay).await;
}

/// Runs a workspace build to completion, then brings its agent up after a start.
pub(crate) fn spawn_build(shared: Arc<Shared>, build_id: Uuid) {
    tokio::spawn(async move {
        step(&shared).await;
        shared.update(|s| ops::build_start(s, build_id));
        step(&shared).await;
        let agent_starts = shared.update(|s| ops::build_finish(s, build_id));
        if !agent_starts {
            return;
        }
        let Some(agent_id) = shared.read(|s| {
            s.build(build_id)
                .and_then(|b| s.workspaces.iter().find(|w| w.id == b.workspace_id))
                .map(|w| w.agent_id)
        }) else {
            return;
        };
        step(&shared).await;
        shared.update(|s| ops::agent_connect(s, agent_id));
        step(&shared).await;
        shared.update(|s| ops::agent_ready(s, agent_id));
    });
}

/// Runs a template version's import job to completion.
pub(crate) fn spawn_import(shared: Arc<Shared>, version_id: Uuid) {
    tokio::spawn(async move {
        step(&shared).await;
        shared.update(|s| {
            if let Some(job_id) = s.version(version_id).map(|v| v.job.id) {
                ops::job_start(s, job_id);
            }
        });
        step(&shared).await;
        shared.update(|s| ops::import_finish(s, version_id));
    });
}
