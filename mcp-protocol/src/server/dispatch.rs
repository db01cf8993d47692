//! Routing of one parsed request to the handler, shared by both eras, plus the legacy
//! (`initialize`-era) path.

use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::connection::{Connection, Outcome};
use super::lock;
use super::outgoing::Encode;
use crate::context::{ContextInner, InputState, PeerLink, RequestContext, TransportContext};
use crate::error::Error;
use crate::jsonrpc::{ErrorObject, Message, Request};
use crate::meta::Meta;
use crate::method::{ClientRequest, available_in};
use crate::types::{
    ClientCapabilities, EmptyResult, Implementation, InitializeResult, LoggingLevel,
    ServerCapabilities,
};
use crate::version::ProtocolVersion;

/// The server's capabilities as sent to clients: the handler's, plus `logging`, which the
/// engine implements.
pub(crate) fn server_capabilities(conn: &Connection) -> ServerCapabilities {
    let mut caps = conn.inner.shared.handler.capabilities();
    if caps.logging.is_none() {
        caps.logging = Some(Default::default());
    }
    caps
}

/// -32601 for a feature the server did not declare.
pub(crate) fn check_capability(
    caps: &ServerCapabilities,
    request: &ClientRequest,
) -> Result<(), ErrorObject> {
    let declared = match request {
        ClientRequest::ListTools(_) | ClientRequest::CallTool(_) => caps.tools.is_some(),
        ClientRequest::ListResources(_)
        | ClientRequest::ListResourceTemplates(_)
        | ClientRequest::ReadResource(_) => caps.resources.is_some(),
        ClientRequest::Subscribe(_) | ClientRequest::Unsubscribe(_) => caps
            .resources
            .as_ref()
            .is_some_and(|r| r.subscribe == Some(true)),
        ClientRequest::ListPrompts(_) | ClientRequest::GetPrompt(_) => caps.prompts.is_some(),
        ClientRequest::Complete(_) => caps.completions.is_some(),
        _ => true,
    };
    if declared {
        Ok(())
    } else {
        Err(ErrorObject::method_not_found(request.method()))
    }
}

/// What a [`RequestContext`] is built from.
pub(crate) struct ContextParts {
    pub(crate) version: ProtocolVersion,
    pub(crate) request_id: crate::jsonrpc::RequestId,
    pub(crate) meta: Meta,
    pub(crate) client_capabilities: ClientCapabilities,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) log_threshold: Option<Option<LoggingLevel>>,
    pub(crate) peer: bool,
    pub(crate) input: InputState,
}

impl Connection {
    pub(crate) fn context(
        &self,
        parts: ContextParts,
        tctx: TransportContext,
        token: CancellationToken,
    ) -> RequestContext {
        let sink: mpsc::UnboundedSender<Message> = tctx
            .related
            .clone()
            .unwrap_or_else(|| self.inner.unsolicited_sender());
        let peer = parts.peer.then(|| PeerLink {
            pending: Arc::clone(&self.inner.pending),
            sink: sink.clone(),
            timeout: self.inner.shared.options.request_timeout,
        });
        let progress_token = parts.meta.progress_token();
        RequestContext {
            inner: Arc::new(ContextInner {
                version: parts.version,
                request_id: parts.request_id,
                meta: parts.meta,
                client_capabilities: parts.client_capabilities,
                client_info: parts.client_info,
                extensions: tctx.extensions,
                cancellation: token,
                sink,
                progress_token,
                last_progress: Mutex::new(None),
                log_threshold: parts.log_threshold,
                peer,
                input: Mutex::new(parts.input),
            }),
        }
    }

    /// Calls the handler method that serves `request`.
    pub(crate) async fn call_handler(
        &self,
        ctx: &RequestContext,
        request: ClientRequest,
    ) -> Result<Box<dyn Encode>, Error> {
        let h = &self.inner.shared.handler;
        let v = ctx.version();
        let empty = || Ok(self.encode(EmptyResult::default(), v));
        match request {
            ClientRequest::ListTools(p) => Ok(self.encode(h.list_tools(ctx, p).await?, v)),
            ClientRequest::CallTool(p) => Ok(self.encode(h.call_tool(ctx, p).await?, v)),
            ClientRequest::ListResources(p) => Ok(self.encode(h.list_resources(ctx, p).await?, v)),
            ClientRequest::ListResourceTemplates(p) => {
                Ok(self.encode(h.list_resource_templates(ctx, p).await?, v))
            }
            ClientRequest::ReadResource(p) => Ok(self.encode(h.read_resource(ctx, p).await?, v)),
            ClientRequest::Subscribe(p) => {
                let uri = p.uri.clone();
                h.subscribe(ctx, p).await?;
                lock(&self.inner.session).subscriptions.insert(uri);
                empty()
            }
            ClientRequest::Unsubscribe(p) => {
                let uri = p.uri.clone();
                h.unsubscribe(ctx, p).await?;
                lock(&self.inner.session).subscriptions.remove(&uri);
                empty()
            }
            ClientRequest::ListPrompts(p) => Ok(self.encode(h.list_prompts(ctx, p).await?, v)),
            ClientRequest::GetPrompt(p) => Ok(self.encode(h.get_prompt(ctx, p).await?, v)),
            ClientRequest::Complete(p) => Ok(self.encode(h.complete(ctx, p).await?, v)),
            ClientRequest::Ping(_) => empty(),
            ClientRequest::SetLevel(p) => {
                lock(&self.inner.session).log_level = Some(p.level);
                empty()
            }
            other => Err(Error::Rpc(ErrorObject::method_not_found(other.method()))),
        }
    }

    /// `initialize`: negotiates the revision and remembers the client.
    pub(crate) fn initialize(&self, req: &Request) -> Result<Box<dyn Encode>, ErrorObject> {
        let parsed = ClientRequest::parse(&req.method, req.params.as_deref())?;
        let ClientRequest::Initialize(params) = parsed else {
            return Err(ErrorObject::invalid_request("expected initialize"));
        };
        let options = &self.inner.shared.options;
        let version = match params.protocol_version.parse::<ProtocolVersion>() {
            Ok(v) if v.is_legacy() && options.supports(v) => v,
            _ => options.newest_legacy().ok_or_else(|| {
                ErrorObject::invalid_request(
                    "this server only speaks protocol 2026-07-28, which has no initialize: \
                     send the version in each request's _meta",
                )
                .with_data(json!({
                    "supported": options.version_strings(),
                    "requested": params.protocol_version,
                }))
            })?,
        };
        {
            let mut session = lock(&self.inner.session);
            if session.version.is_some() {
                return Err(ErrorObject::invalid_request(
                    "the connection is already initialized",
                ));
            }
            session.version = Some(version);
            session.client_capabilities = params.capabilities;
            session.client_info = Some(params.client_info);
        }
        // Only initialized (legacy) connections hear list changes and resource updates
        // through the hub; 2026-07-28 connections, often one per request, never register.
        self.inner
            .shared
            .hub
            .add_connection(Arc::downgrade(&self.inner));
        let handler = &self.inner.shared.handler;
        let result = InitializeResult {
            protocol_version: version.as_str().to_owned(),
            capabilities: server_capabilities(self),
            server_info: handler.info(),
            instructions: handler.instructions(),
            meta: None,
        };
        Ok(self.encode(result, version))
    }

    /// A request on an initialized (legacy) connection.
    pub(crate) async fn legacy(
        &self,
        req: Request,
        v: ProtocolVersion,
        tctx: TransportContext,
        token: CancellationToken,
    ) -> Outcome {
        if !available_in(&req.method, v) {
            return Outcome::Reply(Err(ErrorObject::method_not_found(&req.method)));
        }
        let request = match ClientRequest::parse(&req.method, req.params.as_deref()) {
            Ok(r) => r,
            Err(e) => return Outcome::Reply(Err(e)),
        };
        if let Err(e) = check_capability(&server_capabilities(self), &request) {
            return Outcome::Reply(Err(e));
        }
        // The typed params carry `_meta` already: a copy costs less than a second parse.
        let meta = request.meta().cloned().unwrap_or_default();
        let (caps, info, level) = {
            let s = lock(&self.inner.session);
            (
                s.client_capabilities.clone(),
                s.client_info.clone(),
                s.log_level,
            )
        };
        let ctx = self.context(
            ContextParts {
                version: v,
                request_id: req.id.clone(),
                meta,
                client_capabilities: caps,
                client_info: info,
                log_threshold: Some(level),
                peer: true,
                input: InputState::default(),
            },
            tctx,
            token,
        );
        Outcome::Reply(
            self.call_handler(&ctx, request)
                .await
                .map_err(ErrorObject::from),
        )
    }
}
