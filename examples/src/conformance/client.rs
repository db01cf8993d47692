//! The client side of the conformance suites: what `conformance-client` does for each
//! client scenario, on the engine's [`Client`] over the Streamable HTTP client transport.

use std::collections::BTreeMap;

use mcp_protocol::types::{
    CallToolParams, ClientCapabilities, CreateMessageParams, CreateMessageResult, ElicitParams,
    ElicitResult, ElicitationCapability, GetPromptParams, JsonObject, ListRootsResult,
    PaginatedParams, ReadResourceParams, Role, Root, RootsCapability, SamplingCapability,
    SamplingContent, SamplingMessageContent,
};
use mcp_protocol::{Client, ClientHandler, ClientOptions, ProtocolVersion, async_trait};
use mcp_transport_http::{HttpClientOptions, HttpClientTransport};
use serde_json::{Value, json};

use super::error::Error;
use super::oauth::OAuthClient;

/// What one run of `conformance-client` does, read from the suite's environment.
#[derive(Debug, Clone)]
pub struct ScenarioPlan {
    /// The scenario name (`MCP_CONFORMANCE_SCENARIO`).
    pub scenario: String,
    /// Scenario data (`MCP_CONFORMANCE_CONTEXT`), `Null` when absent.
    pub context: Value,
    /// The revision to speak (`MCP_CONFORMANCE_PROTOCOL_VERSION`); without it the newest
    /// legacy revision, which is what suites without the variable test.
    pub version: ProtocolVersion,
}

impl ScenarioPlan {
    /// Reads the plan from the `MCP_CONFORMANCE_*` variables.
    pub fn from_env(env: &BTreeMap<String, String>) -> Result<Self, Error> {
        let scenario = env
            .get("MCP_CONFORMANCE_SCENARIO")
            .filter(|s| !s.is_empty())
            .ok_or(Error::NoScenario)?
            .clone();
        let context = match env.get("MCP_CONFORMANCE_CONTEXT") {
            Some(raw) if !raw.trim().is_empty() => serde_json::from_str(raw)
                .map_err(|_| Error::BadEnvironment("MCP_CONFORMANCE_CONTEXT"))?,
            _ => Value::Null,
        };
        let version = match env.get("MCP_CONFORMANCE_PROTOCOL_VERSION") {
            Some(v) => v
                .parse()
                .map_err(|_| Error::BadEnvironment("MCP_CONFORMANCE_PROTOCOL_VERSION"))?,
            None => ProtocolVersion::LATEST_LEGACY,
        };
        Ok(Self {
            scenario,
            context,
            version,
        })
    }
}

/// Answers what mock servers ask: forms are accepted with the defaults their schema gives
/// (SEP-1034), sampling returns a fixed text, roots are one directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConformanceClientHandler;

/// The content a client that applies defaults submits for a form: every property's
/// `default`, when it has one.
pub fn form_defaults(schema: &JsonObject) -> BTreeMap<String, Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter_map(|(name, p)| Some((name.clone(), p.get("default")?.clone())))
                .collect()
        })
        .unwrap_or_default()
}

#[async_trait]
impl ClientHandler for ConformanceClientHandler {
    async fn elicit(&self, params: ElicitParams) -> mcp_protocol::Result<ElicitResult> {
        Ok(match params {
            ElicitParams::Form(form) => ElicitResult::accept(form_defaults(&form.requested_schema)),
            // URL mode: nothing to fill in; the user "went there".
            ElicitParams::Url(_) => ElicitResult::accept(BTreeMap::new()),
        })
    }

    async fn create_message(
        &self,
        _params: CreateMessageParams,
    ) -> mcp_protocol::Result<CreateMessageResult> {
        Ok(CreateMessageResult {
            role: Role::Assistant,
            content: SamplingMessageContent::One(SamplingContent::text(
                "This is a test response from the conformance client",
            )),
            model: "conformance-test-model".into(),
            stop_reason: Some("endTurn".into()),
            meta: None,
        })
    }

    async fn list_roots(&self) -> mcp_protocol::Result<ListRootsResult> {
        Ok(ListRootsResult {
            roots: vec![Root {
                uri: "file:///tmp/conformance".into(),
                name: Some("conformance".into()),
                meta: None,
            }],
            meta: None,
        })
    }
}

fn capabilities() -> ClientCapabilities {
    ClientCapabilities {
        elicitation: Some(ElicitationCapability {
            form: Some(JsonObject::new()),
            ..ElicitationCapability::default()
        }),
        sampling: Some(SamplingCapability::default()),
        roots: Some(RootsCapability {
            list_changed: Some(true),
        }),
        ..ClientCapabilities::default()
    }
}

/// The tool calls a scenario's context prescribes (`toolCalls: [{name, arguments}]`).
fn context_tool_calls(context: &Value) -> Vec<CallToolParams> {
    context
        .get("toolCalls")
        .and_then(Value::as_array)
        .map(|calls| {
            calls
                .iter()
                .filter_map(|c| {
                    let name = c.get("name")?.as_str()?;
                    let args = c
                        .get("arguments")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    Some(CallToolParams::new(name, args))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn args(value: Value) -> JsonObject {
    match value {
        Value::Object(m) => m,
        _ => JsonObject::new(),
    }
}

/// How many times one run authorizes before giving up (a server that never accepts the
/// token must not make the client loop).
const MAX_AUTHORIZATIONS: u32 = 3;

/// Runs `plan` against the mock server at `url`.
pub async fn run(plan: &ScenarioPlan, url: &str) -> Result<(), Error> {
    if plan.scenario.starts_with("auth/") {
        return run_with_auth(plan, url).await;
    }
    session(plan, url, None).await
}

/// One MCP session, with a bearer token when there is one.
async fn session(plan: &ScenarioPlan, url: &str, token: Option<&str>) -> Result<(), Error> {
    let options = ClientOptions::default()
        .with_handler(ConformanceClientHandler)
        .with_capabilities(capabilities())
        .with_protocol_version(plan.version);
    // The sse-retry mock takes any GET for the resumption it waits for, and the transport
    // may open its standalone GET stream late (after the tool call started), so that
    // scenario goes without it. Other mocks send server requests on that stream.
    let mut http = HttpClientOptions::new().get_stream(plan.scenario != "sse-retry");
    if let Some(t) = token {
        http = http.bearer_token(t);
    }
    let (client, transport) = HttpClientTransport::start(url, http, options)?;
    let outcome = scenario(plan, &client).await;
    transport.close().await;
    outcome
}

/// A request as the first message of a session, to read the server's challenge.
fn probe_request(version: ProtocolVersion, method: &str) -> (Value, Vec<(&'static str, String)>) {
    let mut headers = vec![("mcp-protocol-version", version.as_str().to_owned())];
    let params = if version.is_legacy() {
        if method == "initialize" {
            json!({
                "protocolVersion": version.as_str(),
                "capabilities": {},
                "clientInfo": { "name": "coder-mcp-conformance-client", "version": "0" },
            })
        } else {
            json!({ "name": "test-tool", "arguments": {} })
        }
    } else {
        headers.push(("mcp-method", method.to_owned()));
        let meta = json!({
            "io.modelcontextprotocol/protocolVersion": version.as_str(),
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        if method == "tools/call" {
            headers.push(("mcp-name", "test-tool".to_owned()));
            json!({ "name": "test-tool", "arguments": {}, "_meta": meta })
        } else {
            json!({ "_meta": meta })
        }
    };
    let body = json!({ "jsonrpc": "2.0", "id": 0, "method": method, "params": params });
    (body, headers)
}

/// Tries the session; when the server refuses the credentials, reads its challenge,
/// authorizes (at most [`MAX_AUTHORIZATIONS`] times) and tries again.
async fn run_with_auth(plan: &ScenarioPlan, url: &str) -> Result<(), Error> {
    let mut oauth = OAuthClient::new(url, plan.context.clone())?;
    let mut token: Option<String> = None;
    let mut authorizations = 0;
    loop {
        let Err(failure) = session(plan, url, token.as_deref()).await else {
            return Ok(());
        };
        let first = if plan.version.is_legacy() {
            "initialize"
        } else {
            "server/discover"
        };
        let mut challenge = None;
        for method in [first, "tools/call"] {
            let (body, headers) = probe_request(plan.version, method);
            challenge = oauth.probe(&body, &headers, token.as_deref()).await?;
            if challenge.is_some() {
                break;
            }
        }
        let Some(challenge) = challenge else {
            return Err(failure);
        };
        authorizations += 1;
        if authorizations > MAX_AUTHORIZATIONS {
            return Err(failure);
        }
        token = Some(oauth.authorize(&challenge).await?);
    }
}

async fn scenario(plan: &ScenarioPlan, client: &Client) -> Result<(), Error> {
    client.connect().await?;
    let prescribed = context_tool_calls(&plan.context);
    if !prescribed.is_empty() {
        client.list_tools(PaginatedParams::default()).await?;
        for call in prescribed {
            client.call_tool(call).await?;
        }
        return Ok(());
    }
    match plan.scenario.as_str() {
        // The mocks of these only serve the listing.
        "json-schema-ref-no-deref" | "request-metadata" => {
            client.list_tools(PaginatedParams::default()).await?;
        }
        "elicitation-sep1034-client-defaults" | "elicitation-defaults" => {
            client.list_tools(PaginatedParams::default()).await?;
            client
                .call_tool(CallToolParams::new(
                    "test_client_elicitation_defaults",
                    JsonObject::new(),
                ))
                .await?;
        }
        // Round-trips the schema it was shown, so the mock can see no keyword was lost.
        "json-schema-2020-12-preservation" => {
            let tools = client.list_tools(PaginatedParams::default()).await?;
            if let Some(tool) = tools
                .tools
                .iter()
                .find(|t| t.name == "json_schema_2020_12_tool")
            {
                let mut echo = JsonObject::new();
                echo.insert("schema".into(), Value::Object(tool.input_schema.clone()));
                client
                    .call_tool(CallToolParams::new("json_schema_echo", echo))
                    .await?;
            }
        }
        "sep-2322-client-request-state" => {
            let tools = client.list_tools(PaginatedParams::default()).await?;
            for name in [
                "test_mrtr_echo_state",
                "test_mrtr_unrelated",
                "test_mrtr_no_state",
                "test_mrtr_no_result_type",
            ] {
                if tools.tools.iter().any(|t| t.name == name) {
                    client
                        .call_tool(CallToolParams::new(name, JsonObject::new()))
                        .await?;
                }
            }
        }
        s if s.starts_with("http-") => exercise_everything(client).await?,
        // initialize, tools_call, sse-retry and the auth scenarios: list, then call the
        // first tool the way the reference client does.
        _ => {
            let tools = client.list_tools(PaginatedParams::default()).await?;
            if let Some(tool) = tools.tools.first() {
                client
                    .call_tool(CallToolParams::new(
                        tool.name.clone(),
                        args(serde_json::json!({ "a": 2, "b": 3 })),
                    ))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Lists and uses everything the server offers, so header checks see every kind of
/// request. Failures of single calls are expected (the mock may reject on purpose).
async fn exercise_everything(client: &Client) -> Result<(), Error> {
    let tools = client.list_tools(PaginatedParams::default()).await?;
    for tool in tools.tools {
        let _ = client
            .call_tool(CallToolParams::new(tool.name, JsonObject::new()))
            .await;
    }
    if let Ok(resources) = client.list_resources(PaginatedParams::default()).await {
        for r in resources.resources {
            let _ = client
                .read_resource(ReadResourceParams {
                    uri: r.uri,
                    ..ReadResourceParams::default()
                })
                .await;
        }
    }
    if let Ok(prompts) = client.list_prompts(PaginatedParams::default()).await {
        for p in prompts.prompts {
            let _ = client
                .get_prompt(GetPromptParams {
                    name: p.name,
                    ..GetPromptParams::default()
                })
                .await;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_come_from_the_schema() {
        let schema = args(json!({
            "type": "object",
            "properties": {
                "name": { "type": "string", "default": "John Doe" },
                "age": { "type": "integer", "default": 30 },
                "free": { "type": "string" },
            },
        }));
        let d = form_defaults(&schema);
        assert_eq!(d.get("name"), Some(&json!("John Doe")));
        assert_eq!(d.get("age"), Some(&json!(30)));
        assert!(!d.contains_key("free"));
    }

    #[test]
    fn the_plan_reads_the_environment() {
        let mut env = BTreeMap::new();
        assert!(matches!(
            ScenarioPlan::from_env(&env),
            Err(Error::NoScenario)
        ));
        env.insert("MCP_CONFORMANCE_SCENARIO".into(), "tools_call".into());
        let plan = ScenarioPlan::from_env(&env).unwrap();
        assert_eq!(plan.version, ProtocolVersion::LATEST_LEGACY);
        assert!(plan.context.is_null());
        env.insert(
            "MCP_CONFORMANCE_PROTOCOL_VERSION".into(),
            "2026-07-28".into(),
        );
        env.insert(
            "MCP_CONFORMANCE_CONTEXT".into(),
            r#"{"toolCalls":[{"name":"t","arguments":{"x":1}}]}"#.into(),
        );
        let plan = ScenarioPlan::from_env(&env).unwrap();
        assert!(!plan.version.is_legacy());
        let calls = context_tool_calls(&plan.context);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].name, "t");
        env.insert("MCP_CONFORMANCE_CONTEXT".into(), "{".into());
        assert!(ScenarioPlan::from_env(&env).is_err());
    }
}
