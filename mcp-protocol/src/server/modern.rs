//! The 2026-07-28 path: per-request `_meta`, `server/discover`, `subscriptions/listen`,
//! multi-round-trip input with sealed `requestState`, and the fields every result carries.

use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use super::broadcast::Filter;
use super::connection::{Connection, Outcome};
use super::dispatch::{ContextParts, check_capability, server_capabilities};
use super::outgoing::Encode;
use crate::context::{InputState, RequestContext, TransportContext};
use crate::error::{Error, PendingInput};
use crate::jsonrpc::{ErrorObject, Message, Notification, Request, RequestId};
use crate::meta::keys;
use crate::method::{ClientRequest, available_in, names};
use crate::state::{self, StatePayload};
use crate::types::DiscoverResult;
use crate::version::ProtocolVersion;

/// The members of a request's params the engine reads itself, parsed in one pass without
/// building the rest (tool arguments can be large).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct RequestHead {
    /// Only the protocol version is read here; the typed params parse the rest of `_meta`.
    #[serde(rename = "_meta", default)]
    meta: Option<MetaHead>,
    #[serde(rename = "inputResponses", default)]
    pub(crate) input_responses: Option<Value>,
    #[serde(rename = "requestState", default)]
    pub(crate) request_state: Option<Value>,
    #[serde(default)]
    pub(crate) notifications: Option<Value>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(expecting = "_meta to be an object")]
struct MetaHead {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", default)]
    version: Option<Value>,
}

impl RequestHead {
    /// Reads the head of a request's params: -32602 when they are not an object or cannot
    /// be read (a `_meta` that is not an object included).
    pub(crate) fn read(req: &Request) -> Result<Self, ErrorObject> {
        let Some(raw) = req.params.as_deref() else {
            return Ok(Self::default());
        };
        if !raw.get().trim_start().starts_with('{') {
            return Err(ErrorObject::invalid_params("params must be a JSON object"));
        }
        serde_json::from_str(raw.get())
            .map_err(|e| ErrorObject::invalid_params(format!("params cannot be read: {e}")))
    }

    /// `_meta`'s protocol version member, when it has one.
    pub(crate) fn protocol_version(&self) -> Option<&Value> {
        self.meta.as_ref()?.version.as_ref()
    }
}

/// True when the request's `_meta` has a key of the 2026-07-28 namespace (a hint for error
/// messages, so read only then).
pub(crate) fn has_modern_keys(req: &Request) -> bool {
    #[derive(serde::Deserialize)]
    struct Params {
        #[serde(rename = "_meta")]
        meta: Map<String, Value>,
    }
    req.params
        .as_deref()
        .and_then(|p| serde_json::from_str::<Params>(p.get()).ok())
        .is_some_and(|p| {
            p.meta
                .keys()
                .any(|k| k.starts_with("io.modelcontextprotocol/"))
        })
}

/// The whole params tree (an empty object when absent or unreadable).
fn full_params(req: &Request) -> Value {
    req.params
        .as_deref()
        .and_then(|p| serde_json::from_str(p.get()).ok())
        .unwrap_or_else(|| Value::Object(Map::new()))
}

/// Methods that may answer with `input_required`.
fn may_ask_input(method: &str) -> bool {
    matches!(
        method,
        names::TOOLS_CALL | names::PROMPTS_GET | names::RESOURCES_READ
    )
}

/// True when the params answer an earlier `input_required`, which the head reads.
fn carries_input(request: &ClientRequest) -> bool {
    match request {
        ClientRequest::CallTool(p) => p.input_responses.is_some() || p.request_state.is_some(),
        ClientRequest::GetPrompt(p) => p.input_responses.is_some() || p.request_state.is_some(),
        ClientRequest::ReadResource(p) => p.input_responses.is_some() || p.request_state.is_some(),
        _ => false,
    }
}

impl Connection {
    /// A session-less request's typed params, when they alone settle that it is a plain
    /// 2026-07-28 request: its `_meta` names a supported 2026-07-28 version, and it needs
    /// nothing that only the head reads (earlier input, a subscription's filter). Then the
    /// head is not read on its own: for a typical call that was a sixth of the engine's
    /// work. Anything else is left to the head, which explains what is wrong.
    pub(crate) fn plain_modern(&self, req: &Request) -> Option<(ClientRequest, ProtocolVersion)> {
        if matches!(
            req.method.as_str(),
            names::INITIALIZE | names::SUBSCRIPTIONS_LISTEN
        ) {
            return None;
        }
        let request = ClientRequest::parse(&req.method, req.params.as_deref()).ok()?;
        let v = self.modern_version(request.meta()?.protocol_version()?)?;
        (!carries_input(&request)).then_some((request, v))
    }

    /// The 2026-07-28-era revision a request names, if this server speaks it.
    pub(crate) fn modern_version(&self, requested: &str) -> Option<ProtocolVersion> {
        let v = requested.parse::<ProtocolVersion>().ok()?;
        (!v.is_legacy() && self.inner.shared.options.supports(v)).then_some(v)
    }

    /// A 2026-07-28 request; `parsed` is its typed params when they were read already.
    pub(crate) async fn modern(
        &self,
        req: Request,
        parsed: Option<ClientRequest>,
        head: RequestHead,
        v: ProtocolVersion,
        tctx: TransportContext,
        token: CancellationToken,
    ) -> Outcome {
        match self.modern_inner(req, parsed, head, v, tctx, token).await {
            Ok(Some(value)) => Outcome::Reply(Ok(value)),
            Ok(None) => Outcome::Silent,
            Err(e) => Outcome::Reply(Err(e)),
        }
    }

    async fn modern_inner(
        &self,
        req: Request,
        parsed: Option<ClientRequest>,
        head: RequestHead,
        v: ProtocolVersion,
        tctx: TransportContext,
        token: CancellationToken,
    ) -> Result<Option<Box<dyn Encode>>, ErrorObject> {
        if !available_in(&req.method, v) {
            return Err(ErrorObject::method_not_found(&req.method));
        }
        let mut request = match parsed {
            Some(request) => request,
            None => ClientRequest::parse(&req.method, req.params.as_deref())?,
        };
        // The keys the engine reads itself are taken out of `_meta`: the handler reads them
        // from the context's getters, as in the legacy era, whose `_meta` never holds them,
        // so `_meta` looks the same to handlers in both eras. Taking them moves their
        // strings instead of copying them.
        let mut sent = request.meta_mut().take().unwrap_or_default();
        let client_capabilities = sent.take_typed(keys::CLIENT_CAPABILITIES)?.ok_or_else(|| {
            ErrorObject::invalid_params(format!("missing _meta.{}", keys::CLIENT_CAPABILITIES))
        })?;
        let client_info = sent.take_typed(keys::CLIENT_INFO)?;
        let log_level = sent.take_typed(keys::LOG_LEVEL)?;
        sent.remove(keys::PROTOCOL_VERSION);
        let meta = sent.clone();
        *request.meta_mut() = Some(sent);
        let caps = server_capabilities(self);
        check_capability(&caps, &request)?;
        match &request {
            ClientRequest::Discover(_) => {
                let options = &self.inner.shared.options;
                let handler = &self.inner.shared.handler;
                let result = DiscoverResult {
                    supported_versions: options.version_strings(),
                    capabilities: caps,
                    instructions: handler.instructions(),
                    ..Default::default()
                };
                return Ok(Some(self.encode(result, v)));
            }
            ClientRequest::SubscriptionsListen(_) => {
                self.listen(req.id.clone(), head.notifications, tctx, token)
                    .await;
                return Ok(None);
            }
            _ => {}
        }

        let mrtr = may_ask_input(&req.method);
        // The binding hash needs the whole params tree: it is built only when a state is
        // opened or sealed, which most calls never do.
        let caller = tctx.extensions.get::<state::StateBinding>().cloned();
        let binding = || state::binding_hash(&full_params(&req), caller.as_ref());
        let mut input = InputState {
            allowed: mrtr,
            ..InputState::default()
        };
        let mut round = 0;
        if mrtr {
            match head.request_state {
                None | Some(Value::Null) => {}
                Some(Value::String(sealed)) => {
                    let key = &self.inner.shared.options.sealing_key;
                    let payload = state::open(key, &sealed, &req.method, &binding())?;
                    round = payload.r;
                    input.state_verified = true;
                    input.answers = payload.a;
                    input.previous_state = payload.s;
                }
                Some(_) => {
                    return Err(ErrorObject::invalid_params("requestState must be a string"));
                }
            }
            match head.input_responses {
                None | Some(Value::Null) => {}
                Some(Value::Object(answers)) => {
                    for (k, a) in answers {
                        input.answers.entry(k).or_insert(a);
                    }
                }
                Some(_) => {
                    return Err(ErrorObject::invalid_params(
                        "inputResponses must be an object mapping input keys to results",
                    ));
                }
            }
        }

        let ctx = self.context(
            ContextParts {
                version: v,
                request_id: req.id.clone(),
                meta,
                client_capabilities,
                client_info,
                log_threshold: log_level.map(Some),
                peer: false,
                input,
            },
            tctx,
            token,
        );
        match self.call_handler(&ctx, request).await {
            Ok(result) => Ok(Some(result)),
            Err(Error::InputRequired(extra)) if mrtr => Ok(Some(self.input_required(
                &ctx,
                extra,
                &req.method,
                binding(),
                round,
                v,
            ))),
            Err(e) => Err(e.into()),
        }
    }

    fn add_server_info(&self, map: &mut Map<String, Value>, v: ProtocolVersion) {
        let meta = map
            .entry("_meta")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            meta.entry(keys::SERVER_INFO)
                .or_insert_with(|| self.inner.shared.server_info(v).value.clone());
        }
    }

    /// Builds the `input_required` result: the pending asks and a sealed state that carries
    /// the answers used so far and the handler's state.
    fn input_required(
        &self,
        ctx: &RequestContext,
        extra: PendingInput,
        method: &str,
        binding: String,
        round: u32,
        v: ProtocolVersion,
    ) -> Box<dyn Encode> {
        let options = &self.inner.shared.options;
        let (mut asks, used, handler_state) = {
            let mut input = ctx
                .inner
                .input
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let next = input
                .next_state
                .take()
                .or_else(|| input.previous_state.clone());
            (
                std::mem::take(&mut input.asks),
                std::mem::take(&mut input.used),
                next,
            )
        };
        asks.extend(extra.requests);
        let payload = StatePayload {
            v: 1,
            m: method.to_owned(),
            h: binding,
            x: state::expiry_in(options.state_ttl),
            r: round.saturating_add(1),
            a: used,
            s: handler_state,
        };
        let mut map = Map::new();
        map.insert("resultType".into(), json!("input_required"));
        if !asks.is_empty() {
            map.insert("inputRequests".into(), Value::Object(asks));
        }
        map.insert(
            "requestState".into(),
            Value::String(state::seal(&options.sealing_key, &payload)),
        );
        self.add_server_info(&mut map, v);
        Box::new(map)
    }

    /// `subscriptions/listen`: acknowledges, then streams the notifications the client
    /// opted into on the request's `related` sink until the transport cancels.
    async fn listen(
        &self,
        id: RequestId,
        notifications: Option<Value>,
        tctx: TransportContext,
        token: CancellationToken,
    ) {
        let requested = notifications.unwrap_or_else(|| json!({}));
        let sink = tctx
            .related
            .clone()
            .unwrap_or_else(|| self.inner.unsolicited_sender());
        let _guard =
            self.inner
                .shared
                .hub
                .listen(id.clone(), Filter::from_value(&requested), sink.clone());
        let ack = json!({
            "notifications": requested,
            "_meta": { keys::SUBSCRIPTION_ID: id },
        });
        if let Ok(n) = Notification::new(names::SUBSCRIPTIONS_ACKNOWLEDGED, &ack)
            && sink.send(Message::Notification(n)).is_err()
        {
            return;
        }
        token.cancelled().await;
    }
}
