//! `coder-mcp serve-http`: the remote MCP server, as coderd's `/api/experimental/mcp/http`.
//!
//! Every caller brings their own Coder token; the tools run with it, so each caller acts as
//! themselves and sees only what they may see. The token is never forwarded anywhere but the
//! Coder deployment it was issued by.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coder_sdk::Client;
use coder_toolsdk::tools::{CoderToolsConfig, coder_tools_with};
use coder_toolsdk::{ToolHandler, Toolset};
use mcp_protocol::context::RequestContext;
use mcp_protocol::server::{Handler, Server};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, Implementation, ListToolsResult, PaginatedParams,
    ServerCapabilities, ToolsCapability,
};
use mcp_protocol::{Error, Result};
use mcp_transport_http::{HostPolicy, HttpConfig, Principal, ProtectedResourceMetadata};

use crate::app::audit::{AuditLog, AuditRecord};
use crate::app::cli::{HttpArgs, ToolArgs};
use crate::app::coder::Deployment;
use crate::app::remote_auth::{CallerToken, CoderTokenAuth, requested_toolset};
use crate::app::{DEFAULT_INSTRUCTIONS, server_info};

/// The paths MCP is served at: Coder's own, and the conventional one.
pub const MCP_PATHS: [&str; 2] = ["/api/experimental/mcp/http", "/mcp"];

/// How long a caller's tool set is kept after its last use.
const HANDLER_TTL: Duration = Duration::from_secs(300);
/// Callers' tool sets kept at most.
const HANDLER_MAX: usize = 1024;

/// Serves tools as the calling user: builds (and caches) a tool registry per caller token
/// and toolset.
pub struct PerCallerTools {
    deployment: String,
    http: reqwest::Client,
    tools: ToolArgs,
    audit: Option<Arc<AuditLog>>,
    cache: Mutex<HashMap<CallerKey, (Arc<ToolHandler>, Instant)>>,
}

/// A caller's tools are keyed by the hash of their token and the toolset they asked for.
type CallerKey = ([u8; 32], Toolset);

impl std::fmt::Debug for PerCallerTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PerCallerTools")
            .field("deployment", &self.deployment)
            .finish_non_exhaustive()
    }
}

impl PerCallerTools {
    /// Tools against `deployment`, configured by `tools`.
    pub fn new(
        deployment: &str,
        http: reqwest::Client,
        tools: ToolArgs,
        audit: Option<Arc<AuditLog>>,
    ) -> Self {
        Self {
            deployment: deployment.to_owned(),
            http,
            tools,
            audit,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn tools_for(&self, ctx: &RequestContext) -> Result<(Arc<ToolHandler>, String)> {
        let principal = ctx
            .extensions()
            .get::<Principal>()
            .ok_or_else(|| Error::internal("the request carries no authenticated caller"))?;
        let token = principal
            .extensions()
            .get::<CallerToken>()
            .ok_or_else(|| Error::internal("the caller has no Coder token"))?;
        let toolset = principal
            .extensions()
            .get::<Toolset>()
            .copied()
            .unwrap_or_default();
        let key = (token.digest(), toolset);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((handler, used)) = cache.get_mut(&key) {
            *used = Instant::now();
            return Ok((handler.clone(), principal.id().to_owned()));
        }
        let client = Client::builder()
            .url(&self.deployment)
            .and_then(|b| {
                b.token(token.0.clone())
                    .http_client(self.http.clone())
                    .build()
            })
            .map_err(|e| Error::internal(e.to_string()))?;
        let mut registry = coder_tools_with(&client, &CoderToolsConfig::new()).toolset(toolset);
        if !self.tools.allowed_tools.is_empty() {
            registry = registry.filter(&self.tools.allowed_tools).0;
        }
        let handler = Arc::new(
            ToolHandler::new(registry.confirm_destructive(self.tools.confirm_destructive))
                .with_info(server_info()),
        );
        if cache.len() >= HANDLER_MAX {
            cache.retain(|_, (_, used)| used.elapsed() < HANDLER_TTL);
            if cache.len() >= HANDLER_MAX {
                cache.clear();
            }
        }
        cache.insert(key, (handler.clone(), Instant::now()));
        Ok((handler, principal.id().to_owned()))
    }
}

#[async_trait]
impl Handler for PerCallerTools {
    fn info(&self) -> Implementation {
        server_info()
    }

    fn instructions(&self) -> Option<String> {
        Some(
            self.tools
                .instructions
                .clone()
                .unwrap_or_else(|| DEFAULT_INSTRUCTIONS.to_owned()),
        )
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        ctx: &RequestContext,
        params: PaginatedParams,
    ) -> Result<ListToolsResult> {
        let (tools, _) = self.tools_for(ctx)?;
        tools.list_tools(ctx, params).await
    }

    async fn call_tool(
        &self,
        ctx: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        let (tools, user) = self.tools_for(ctx)?;
        let started = Instant::now();
        let name = params.name.clone();
        let arguments: Vec<String> = params
            .arguments
            .as_ref()
            .map(|a| a.keys().cloned().collect())
            .unwrap_or_default();
        let result = tools.call_tool(ctx, params).await;
        if let Some(audit) = &self.audit {
            let outcome = match &result {
                Ok(r) if r.is_error() => "tool_error",
                Ok(_) => "ok",
                Err(_) => "protocol_error",
            };
            audit.record(&AuditRecord {
                time: crate::app::audit::now(),
                user: &user,
                tool: &name,
                outcome,
                duration_ms: started.elapsed().as_millis(),
                request_id: ctx.request_id().to_string(),
                arguments: arguments.iter().map(String::as_str).collect(),
            });
        }
        result
    }
}

/// Everything `serve-http` serves, ready to mount or serve.
pub fn app(
    server: &Server,
    auth: &CoderTokenAuth,
    deployment_url: &str,
    public_url: &str,
    args: &HttpArgs,
) -> Router {
    let public = public_url.trim_end_matches('/');
    let mut hosts = HostPolicy::loopback();
    let mut origins = HostPolicy::loopback();
    if let HostPolicy::Allow(list) = &mut hosts {
        list.extend(args.allowed_hosts.iter().cloned());
    }
    if let HostPolicy::Allow(list) = &mut origins {
        list.extend(args.allowed_origins.iter().cloned());
    }
    let mut app = Router::new();
    for path in MCP_PATHS {
        let metadata = ProtectedResourceMetadata::new(format!("{public}{path}"), [deployment_url])
            .name("Coder MCP");
        let config = HttpConfig::new()
            .allowed_hosts(hosts.clone())
            .allowed_origins(origins.clone())
            .authenticator(auth.clone())
            .resource_metadata(metadata.clone());
        let mcp = mcp_transport_http::router(server.clone(), config)
            .layer(axum::middleware::from_fn(check_toolset));
        app = app.nest_service(path, mcp).merge(
            mcp_transport_http::protected_resource_metadata_router(metadata),
        );
    }
    let relay = Relay {
        deployment: deployment_url.trim_end_matches('/').to_owned(),
        http: reqwest::Client::new(),
    };
    app.merge(
        Router::new()
            .route(
                "/.well-known/oauth-authorization-server",
                axum::routing::get(relay_authorization_server),
            )
            .with_state(relay),
    )
}

/// 400 for a `toolset` other than `standard` or `chatgpt`, as Coder answers.
async fn check_toolset(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if let Err(message) = requested_toolset(&parts) {
        return (
            http::StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({ "message": message })),
        )
            .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[derive(Clone)]
struct Relay {
    deployment: String,
    http: reqwest::Client,
}

/// OAuth clients discover the authorization server here; Coder's own provider answers.
async fn relay_authorization_server(State(relay): State<Relay>) -> Response {
    let url = format!(
        "{}/.well-known/oauth-authorization-server",
        relay.deployment
    );
    let answer = async {
        let response = relay.http.get(&url).send().await?.error_for_status()?;
        response.json::<serde_json::Value>().await
    };
    match answer.await {
        Ok(metadata) => axum::Json(metadata).into_response(),
        Err(e) => (
            http::StatusCode::BAD_GATEWAY,
            axum::Json(serde_json::json!({
                "message": "the Coder deployment did not provide OAuth2 metadata",
                "detail": e.without_url().to_string(),
            })),
        )
            .into_response(),
    }
}

/// Runs the HTTP server until SIGTERM or SIGINT.
pub async fn run(args: HttpArgs) -> std::result::Result<(), String> {
    let deployment = Deployment::connect(&args.coder).await?;
    let deployment_url = deployment
        .client
        .url()
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let http = deployment.client.http_client().clone();
    let audit = match &args.audit_log {
        Some(path) => Some(Arc::new(
            AuditLog::open(path).map_err(|e| format!("audit log {}: {e}", path.display()))?,
        )),
        None => None,
    };
    let auth = match &deployment.demo {
        Some(sim) => {
            let accepted = std::env::var("CODER_SESSION_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| {
                    let token = generate_token();
                    eprintln!("coder-mcp: demo bearer token: {token}");
                    token
                });
            CoderTokenAuth::demo(
                &deployment_url,
                http.clone(),
                accepted,
                sim.session_token().to_owned(),
            )
        }
        None => CoderTokenAuth::new(&deployment_url, http.clone(), args.allow_query_token),
    };
    let tools = PerCallerTools::new(&deployment_url, http, args.tools.clone(), audit);
    let server = Server::new(tools);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let public = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let router = app(&server, &auth, &deployment_url, &public, &args);
    eprintln!(
        "coder-mcp: serving MCP at {public}{} and {public}{}",
        MCP_PATHS[0], MCP_PATHS[1]
    );
    mcp_transport_http::serve_with(
        listener,
        router,
        mcp_transport_http::ServeOptions::default(),
        shutdown_signal(),
    )
    .await
    .map_err(|e| e.to_string())?;
    eprintln!("coder-mcp: stopped");
    Ok(())
}

/// A random bearer token for demo mode (256 bits, URL-safe).
fn generate_token() -> String {
    use base64::Engine as _;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
