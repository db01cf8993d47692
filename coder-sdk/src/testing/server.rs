//! [`SimulatedCoder`]: starting, reaching into and stopping the simulated deployment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use uuid::Uuid;

use super::faults::{ConnKill, Faults};
use super::recorder::RecordedRequest;
use super::routes;
use super::seed::Seed;
use super::shared::{Config, Shared, lock};
use super::state::{JobStatus, State};

/// The default pause between two simulated job or agent steps.
const DEFAULT_STEP_DELAY: Duration = Duration::from_millis(5);
/// The default wildcard application host.
const DEFAULT_APP_HOST: &str = "*.apps.coder.test";

/// An app status report the simulator received from an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppStatusReport {
    /// The agent that reported it.
    pub agent_id: Uuid,
    /// The workspace of that agent.
    pub workspace_id: Uuid,
    /// The app the report is about.
    pub app_slug: String,
    /// `working`, `idle`, `complete` or `failure`.
    pub state: String,
    /// The human-readable summary.
    pub message: String,
    /// A link with more detail.
    pub uri: String,
}

/// How a simulated provisioner job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobOutcome {
    /// The job succeeded.
    Succeeded,
    /// The job failed.
    Failed,
    /// There is no such job (or the simulator shut down while waiting).
    Missing,
}

/// Options for [`SimulatedCoder`]; start with [`SimulatedCoder::builder`].
#[derive(Debug, Clone)]
pub struct SimulatedCoderBuilder {
    seed: Seed,
    step_delay: Duration,
    app_host: String,
    real_pty: bool,
}

impl Default for SimulatedCoderBuilder {
    fn default() -> Self {
        Self {
            seed: Seed::demo(),
            step_delay: DEFAULT_STEP_DELAY,
            app_host: DEFAULT_APP_HOST.to_owned(),
            real_pty: true,
        }
    }
}

impl SimulatedCoderBuilder {
    /// What the deployment holds at start ([`Seed::demo`] by default).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The pause between two steps of a build, an import or an agent start (default 5 ms).
    ///
    /// Larger values make intermediate states (`pending`, `starting`) easy to observe;
    /// zero makes everything finish as fast as the runtime allows.
    pub fn step_delay(mut self, delay: Duration) -> Self {
        self.step_delay = delay;
        self
    }

    /// The wildcard application host (default `*.apps.coder.test`); empty means none is
    /// configured, as on a deployment without subdomain apps.
    pub fn app_host(mut self, host: impl Into<String>) -> Self {
        self.app_host = host.into();
        self
    }

    /// Whether PTY sessions run under util-linux `script` (a real terminal: echo, `\r\n`,
    /// escapes) when it is installed (the default), or always through `sh -c` with plain
    /// pipes, as on machines without `script`.
    pub fn real_pty(mut self, real: bool) -> Self {
        self.real_pty = real;
        self
    }

    /// Binds `127.0.0.1` on a port the OS picks and starts serving.
    ///
    /// # Errors
    ///
    /// When the listener cannot be bound.
    pub async fn start(self) -> std::io::Result<SimulatedCoder> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let (state, owner_token, member_token) = self.seed.build();
        let config = Config {
            step_delay: self.step_delay,
            app_host: self.app_host,
            access_url: url.clone(),
            real_pty: self.real_pty,
        };
        let shared = Arc::new(Shared::new(state, config));
        let server = tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(SimulatedCoder {
            shared,
            addr,
            url,
            owner_token,
            member_token,
            server,
        })
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let router = routes::router(Arc::clone(&shared));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            if shared.is_closed() {
                return;
            }
            continue;
        };
        let router = router.clone();
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let kill = ConnKill::default();
            let service_kill = kill.clone();
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(service_kill.clone());
                    router.clone().oneshot(req)
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::select! {
                _ = conn => {}
                () = kill.0.notified() => {}
                () = shared.closed() => {}
            }
        });
    }
}

/// An in-process simulated Coder deployment on loopback, for tests and demos.
///
/// Its `Debug` output names the address only: the tokens it holds never appear in it.
///
/// It answers Coder's REST API for users, organizations, templates and versions, files,
/// workspaces and builds, agents (logs, listening ports, the reconnecting PTY running a real
/// local shell), app status and tasks, with Coder's auth rules and error bodies. Builds and
/// imports move through their states in background tasks; the `wait_for_*` methods let a test
/// wait for them without sleeping. Dropping it stops the server and kills PTY processes.
pub struct SimulatedCoder {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    owner_token: String,
    member_token: String,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for SimulatedCoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatedCoder")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl SimulatedCoder {
    /// Starts a simulator with the default options (the demo seed).
    ///
    /// # Errors
    ///
    /// When the listener cannot be bound.
    pub async fn start() -> std::io::Result<Self> {
        Self::builder().start().await
    }

    /// Options for a simulator.
    pub fn builder() -> SimulatedCoderBuilder {
        SimulatedCoderBuilder::default()
    }

    /// The access URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A session token of the owner `admin` (site role owner).
    pub fn session_token(&self) -> &str {
        &self.owner_token
    }

    /// A session token of the member `alice` (no site role), for permission tests.
    pub fn member_token(&self) -> &str {
        &self.member_token
    }

    /// The agent token of the `dev` workspace's agent (or the first agent there is).
    pub fn agent_token(&self) -> Option<String> {
        self.agent_token_for("dev").or_else(|| {
            self.shared
                .read(|s| s.agents.first().map(|a| a.token.clone()))
        })
    }

    /// The agent token of the agent of the workspace named `workspace`.
    pub fn agent_token_for(&self, workspace: &str) -> Option<String> {
        self.shared.read(|s| {
            agent_of(s, workspace)
                .and_then(|w| s.agent(w))
                .map(|a| a.token.clone())
        })
    }

    /// The handle that injects faults.
    pub fn faults(&self) -> Faults {
        self.shared.faults.clone()
    }

    /// Every request received so far (the most recent 1,000), oldest first, secrets
    /// redacted.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.snapshot()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.recorder.clear();
    }

    /// The app status reports received so far, oldest first.
    pub fn app_statuses(&self) -> Vec<AppStatusReport> {
        self.shared.read(|s| {
            s.app_statuses
                .iter()
                .map(|r| AppStatusReport {
                    agent_id: r.agent_id,
                    workspace_id: r.workspace_id,
                    app_slug: r.app_slug.clone(),
                    state: r.state.clone(),
                    message: r.message.clone(),
                    uri: r.uri.clone(),
                })
                .collect()
        })
    }

    /// The id of the owner `admin`.
    pub fn owner_id(&self) -> Uuid {
        self.shared
            .read(|s| s.users.first().map_or(Uuid::nil(), |u| u.id))
    }

    /// The id of the default organization `coder`.
    pub fn organization_id(&self) -> Uuid {
        self.shared.read(|s| {
            s.orgs
                .iter()
                .find(|o| o.is_default)
                .map_or(Uuid::nil(), |o| o.id)
        })
    }

    /// The id of the (not deleted) workspace named `name`, whoever owns it.
    pub fn workspace_id(&self, name: &str) -> Option<Uuid> {
        self.shared.read(|s| {
            s.workspaces
                .iter()
                .find(|w| w.name == name && !w.deleted)
                .map(|w| w.id)
        })
    }

    /// The agent id of the workspace named `workspace`.
    pub fn agent_id(&self, workspace: &str) -> Option<Uuid> {
        self.shared.read(|s| agent_of(s, workspace))
    }

    /// The id of the template named `name`.
    pub fn template_id(&self, name: &str) -> Option<Uuid> {
        self.shared.read(|s| {
            s.templates
                .iter()
                .find(|t| t.name == name && !t.deleted)
                .map(|t| t.id)
        })
    }

    /// The active version of the template named `template`.
    pub fn active_version_id(&self, template: &str) -> Option<Uuid> {
        self.shared.read(|s| {
            s.templates
                .iter()
                .find(|t| t.name == template && !t.deleted)
                .map(|t| t.active_version_id)
        })
    }

    /// The id of the task named `name`.
    pub fn task_id(&self, name: &str) -> Option<Uuid> {
        self.shared.read(|s| {
            s.tasks
                .iter()
                .find(|t| t.name == name && !t.deleted)
                .map(|t| t.id)
        })
    }

    /// The latest build of the workspace with this id.
    pub fn latest_build_id(&self, workspace_id: Uuid) -> Option<Uuid> {
        self.shared
            .read(|s| s.latest_build(workspace_id).map(|b| b.id))
    }

    /// The bytes of an uploaded file.
    pub fn file(&self, id: Uuid) -> Option<Vec<u8>> {
        self.shared
            .read(|s| s.files.iter().find(|f| f.id == id).map(|f| f.data.clone()))
    }

    /// The home (and working) directory PTY sessions of this workspace run in.
    ///
    /// # Errors
    ///
    /// When the temporary directory cannot be created.
    pub fn workspace_home(&self, workspace_id: Uuid) -> std::io::Result<PathBuf> {
        self.shared
            .home(workspace_id)
            .map(|d| d.path().to_path_buf())
    }

    /// Waits until the build's job has finished (no sleeping: it wakes on state changes).
    pub async fn wait_for_build(&self, build_id: Uuid) -> JobOutcome {
        self.wait_for_job(move |s| s.build(build_id).map(|b| b.job.status))
            .await
    }

    /// Waits until the template version's import job has finished.
    pub async fn wait_for_template_version(&self, version_id: Uuid) -> JobOutcome {
        self.wait_for_job(move |s| s.version(version_id).map(|v| v.job.status))
            .await
    }

    /// Waits until the agent's lifecycle is `ready` (startup scripts done); returns `false`
    /// if there is no such agent or the simulator shut down.
    pub async fn wait_for_agent_ready(&self, agent_id: Uuid) -> bool {
        self.shared
            .wait_until(|s| s.agent(agent_id).is_none_or(|a| a.lifecycle == "ready"))
            .await;
        self.shared
            .read(|s| s.agent(agent_id).is_some_and(|a| a.lifecycle == "ready"))
    }

    async fn wait_for_job(&self, status: impl Fn(&State) -> Option<JobStatus>) -> JobOutcome {
        self.shared
            .wait_until(|s| status(s).is_none_or(JobStatus::is_done))
            .await;
        match self.shared.read(&status) {
            Some(JobStatus::Succeeded) => JobOutcome::Succeeded,
            Some(JobStatus::Failed) => JobOutcome::Failed,
            _ => JobOutcome::Missing,
        }
    }
}

/// The agent id of the (not deleted) workspace named `name`.
fn agent_of(s: &State, name: &str) -> Option<Uuid> {
    s.workspaces
        .iter()
        .find(|w| w.name == name && !w.deleted)
        .map(|w| w.agent_id)
}

impl Drop for SimulatedCoder {
    fn drop(&mut self) {
        self.shared.close();
        self.server.abort();
        for pgid in lock(&self.shared.pty_groups).drain() {
            super::pty::kill_group(pgid);
        }
    }
}
