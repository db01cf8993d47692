//! Real round trips on 127.0.0.1: our client against our server, both eras.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use mcp_protocol::client::ClientOptions;
use mcp_protocol::types::{CallToolParams, PaginatedParams};
use mcp_protocol::{ClientHandler, ProtocolVersion, Server, async_trait};
use mcp_transport_http::{HttpClientOptions, HttpClientTransport, HttpConfig, router, serve};
use serde_json::{Value, json};
use tokio::sync::mpsc;

async fn start(server: Server, config: HttpConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().nest_service("/mcp", router(server, config));
    tokio::spawn(serve(listener, app));
    format!("http://{addr}/mcp")
}

/// The status of a bare 2025-11-25 `ping` in session `id`.
async fn legacy_ping(url: &str, id: &str) -> reqwest::StatusCode {
    reqwest::Client::new()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json")
        .header("mcp-session-id", id)
        .header("mcp-protocol-version", "2025-11-25")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        .send()
        .await
        .unwrap()
        .status()
}

fn args(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn text(r: &mcp_protocol::types::CallToolResult) -> String {
    serde_json::to_value(r).unwrap()["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Counts the progress notifications the client receives.
struct Progress(mpsc::UnboundedSender<f64>);

#[async_trait]
impl ClientHandler for Progress {
    async fn on_notification(&self, n: mcp_protocol::method::ServerNotification) {
        if let mcp_protocol::method::ServerNotification::Progress(p) = n {
            let _ = self.0.send(p.progress);
        }
    }
}

/// Answers elicitations with a fixed name.
struct Names;

#[async_trait]
impl ClientHandler for Names {
    async fn elicit(
        &self,
        _params: mcp_protocol::types::ElicitParams,
    ) -> mcp_protocol::Result<mcp_protocol::types::ElicitResult> {
        let content = [("name".to_owned(), json!("Ada"))].into_iter().collect();
        Ok(mcp_protocol::types::ElicitResult::accept(content))
    }
}

#[tokio::test]
async fn elicitation_round_trips_in_both_eras() {
    let (server, _events, _release) = support::server();
    let url = start(server, HttpConfig::default()).await;
    for version in [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28] {
        let caps = mcp_protocol::types::ClientCapabilities {
            elicitation: Some(mcp_protocol::types::ElicitationCapability::default()),
            ..Default::default()
        };
        let options = ClientOptions::default()
            .with_protocol_version(version)
            .with_capabilities(caps)
            .with_handler(Names);
        let (client, transport) =
            HttpClientTransport::start(&url, HttpClientOptions::default(), options).unwrap();
        assert_eq!(client.connect().await.unwrap().version, version);
        // Legacy: a server-to-client request on the call's SSE stream, answered by POST.
        // 2026-07-28: an input_required result, retried by the client engine.
        let r = client
            .call_tool(CallToolParams::new("ask", args(json!({}))))
            .await
            .unwrap();
        assert_eq!(text(&r), "hello Ada", "{version}");
        transport.close().await;
    }
}

#[tokio::test]
async fn modern_client_and_server() {
    let (server, _events, _release) = support::server();
    let url = start(server, HttpConfig::default()).await;
    let (client, _transport) =
        HttpClientTransport::start(&url, HttpClientOptions::default(), ClientOptions::default())
            .unwrap();
    let details = client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2026_07_28);

    // Calling before listing: the client does not know the tool declares x-mcp-header, the
    // server answers -32020, the client refreshes the tool list and retries once.
    let r = client
        .call_tool(CallToolParams::new(
            "region_echo",
            args(json!({"region":"eu-1"})),
        ))
        .await
        .unwrap();
    assert_eq!(text(&r), "eu-1");

    let tools = client.list_tools(PaginatedParams::default()).await.unwrap();
    assert!(tools.tools.iter().any(|t| t.name == "region_echo"));
    assert!(
        !tools.tools.iter().any(|t| t.name == "bad_header"),
        "an invalid x-mcp-header declaration drops the tool"
    );
    // The tool declares x-mcp-header: the client must mirror the argument, or the
    // server would answer -32020.
    let r = client
        .call_tool(CallToolParams::new(
            "region_echo",
            args(json!({"region":"Zürich","count":3})),
        ))
        .await
        .unwrap();
    assert_eq!(text(&r), "Zürich");
    let r = client
        .call_tool(CallToolParams::new(
            "echo",
            args(json!({"text":"over http"})),
        ))
        .await
        .unwrap();
    assert_eq!(text(&r), "over http");
}

#[tokio::test]
async fn legacy_client_and_server_with_progress_resumption_and_delete() {
    let (server, _events, release) = support::server();
    let url = start(
        server,
        HttpConfig::default().sse_retry(Duration::from_millis(5)),
    )
    .await;
    let (tx, mut progress) = mpsc::unbounded_channel();
    let options = ClientOptions::default()
        .with_protocol_version(ProtocolVersion::V2025_11_25)
        .with_handler(Progress(tx));
    let (client, transport) =
        HttpClientTransport::start(&url, HttpClientOptions::default(), options).unwrap();
    let details = client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2025_11_25);
    let session = transport.session_id().expect("a session");
    let tools = client.list_tools(PaginatedParams::default()).await.unwrap();
    assert!(
        tools.tools.iter().any(|t| t.name == "bad_header"),
        "legacy revisions have no header mirroring, so the tool stays"
    );

    let mut call = CallToolParams::new("progress", args(json!({})));
    call.meta = Some(serde_json::from_value(json!({"progressToken": "p"})).unwrap());
    let r = client.call_tool(call).await.unwrap();
    assert_eq!(text(&r), "done");
    let mut seen = Vec::new();
    while seen.len() < 3 {
        seen.push(progress.recv().await.unwrap());
    }
    assert_eq!(seen, vec![1.0, 2.0, 3.0]);

    // The server closes this call's stream mid-way; the client resumes it with GET.
    release.notify_one();
    let r = client
        .call_tool(CallToolParams::new("reconnect", args(json!({}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "reconnected closed=true");

    transport.close().await;
    assert!(transport.session_id().is_none());
    assert_eq!(
        legacy_ping(&url, &session).await,
        404,
        "DELETE ended the session"
    );
}

#[tokio::test]
async fn modern_client_falls_back_to_a_legacy_only_server() {
    let (handler, _events, _release) = support::TestHandler::new();
    let server = Server::builder(handler)
        .versions([ProtocolVersion::V2025_06_18, ProtocolVersion::V2025_11_25])
        .build();
    let url = start(server, HttpConfig::default()).await;
    let client = mcp_transport_http::connect(&url).await.unwrap();
    assert_eq!(
        client.protocol_version(),
        Some(ProtocolVersion::V2025_11_25)
    );
    let r = client
        .call_tool(CallToolParams::new(
            "echo",
            args(json!({"text":"fallback"})),
        ))
        .await
        .unwrap();
    assert_eq!(text(&r), "fallback");
}

#[tokio::test]
async fn dropping_a_call_cancels_it_on_the_server_in_both_eras() {
    let (server, mut events, _release) = support::server();
    let url = start(server, HttpConfig::default()).await;
    for version in [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28] {
        let options = ClientOptions::default().with_protocol_version(version);
        let (client, transport) =
            HttpClientTransport::start(&url, HttpClientOptions::default(), options).unwrap();
        client.connect().await.unwrap();
        let call = {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call_tool(CallToolParams::new("slow", args(json!({}))))
                    .await
            })
        };
        assert_eq!(
            events.recv().await,
            Some(support::Event::SlowStarted),
            "{version}"
        );
        // Legacy: the client sends notifications/cancelled; 2026-07-28: it drops the
        // response stream. Either way the handler stops.
        call.abort();
        assert_eq!(
            events.recv().await,
            Some(support::Event::SlowCancelled),
            "{version}"
        );
        transport.close().await;
    }
}

#[tokio::test]
async fn dropping_the_last_client_deletes_its_session_and_ends_the_transport() {
    let (handler, _events, _release) = support::TestHandler::new();
    let server = Server::builder(handler)
        .versions([ProtocolVersion::V2025_11_25])
        .build();
    // Reports the session id of every DELETE the server gets.
    let (deleted, mut deletes) = mpsc::unbounded_channel();
    let app = axum::Router::new()
        .nest_service("/mcp", router(server, HttpConfig::default()))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                if req.method() == axum::http::Method::DELETE {
                    let id = req.headers().get("mcp-session-id").cloned();
                    let _ = deleted.send(id);
                }
                next.run(req)
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, app));

    let client = mcp_transport_http::connect(&url).await.unwrap();
    let r = client
        .call_tool(CallToolParams::new("echo", args(json!({"text":"hi"}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "hi");
    let copy = client.clone();
    drop(client);
    drop(copy);

    // The background tasks notice that no client is left and end the session.
    let id = tokio::time::timeout(Duration::from_secs(10), deletes.recv())
        .await
        .expect("a DELETE once the last client is dropped")
        .flatten()
        .expect("the DELETE names the session");
    let id = id.to_str().unwrap();
    assert_eq!(legacy_ping(&url, id).await, 404, "the session is gone");
}
