//! The router driven without sockets by a legacy (2025-11-25) client.
#![allow(clippy::unwrap_used)]

mod support;

use http::StatusCode;
use mcp_transport_http::{HttpConfig, router};
use serde_json::{Value, json};
use support::*;

fn headers(session: &str) -> Vec<(&str, &str)> {
    vec![
        ("mcp-session-id", session),
        ("mcp-protocol-version", LEGACY),
    ]
}

#[tokio::test]
async fn initialize_list_and_call_with_sse_progress() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());

    let init = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.content_type().starts_with("application/json"));
    let session = init.headers["mcp-session-id"].to_str().unwrap().to_owned();
    assert!(session.len() >= 22, "at least 128 bits");
    assert!(session.bytes().all(|b| (0x21..=0x7e).contains(&b)));
    assert_eq!(init.json()["result"]["protocolVersion"], LEGACY);

    let h = headers(&session);
    let n = send(
        &app,
        post(
            &json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
            &h,
        ),
    )
    .await;
    assert_eq!(n.status, StatusCode::ACCEPTED);
    assert!(n.body.is_empty());

    let list = send(
        &app,
        post(&json!({"jsonrpc":"2.0","id":2,"method":"tools/list"}), &h),
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.content_type().starts_with("application/json"),
        "plain results are JSON"
    );
    let listed = list.json();
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"echo") && names.contains(&"progress"));

    let echo = send(
        &app,
        post(&json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}), &h),
    )
    .await;
    assert_eq!(echo.json()["result"]["content"][0]["text"], "hi");

    let call = send(
        &app,
        post(
            &json!({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{
                "name":"progress","arguments":{},"_meta":{"progressToken":"p1"}}}),
            &h,
        ),
    )
    .await;
    assert_eq!(call.status, StatusCode::OK);
    assert!(
        call.content_type().starts_with("text/event-stream"),
        "related messages switch to SSE"
    );
    let events = call.sse_events();
    assert!(
        events[0].id.is_some() && events[0].data.is_empty(),
        "priming event first"
    );
    let messages = call.sse_messages();
    let progress: Vec<f64> = messages
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .map(|m| m["params"]["progress"].as_f64().unwrap())
        .collect();
    assert_eq!(progress, vec![1.0, 2.0, 3.0]);
    let last = messages.last().unwrap();
    assert_eq!(last["id"], 4);
    assert_eq!(last["result"]["content"][0]["text"], "done");
    let ids: Vec<String> = events.iter().filter_map(|e| e.id.clone()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "event ids are unique");
}

#[tokio::test]
async fn session_errors_missing_unknown_and_deleted() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let ping = json!({"jsonrpc":"2.0","id":9,"method":"ping"});

    let missing = send(&app, post(&ping, &[("mcp-protocol-version", LEGACY)])).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(
        missing.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Mcp-Session-Id")
    );

    let unknown = send(&app, post(&ping, &headers("no-such-session"))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let session = open_session(&app, &[]).await;
    let ok = send(&app, post(&ping, &headers(&session))).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["result"], json!({}));

    let del = send(&app, delete(&headers(&session))).await;
    assert_eq!(del.status, StatusCode::OK);
    let after = send(&app, post(&ping, &headers(&session))).await;
    assert_eq!(
        after.status,
        StatusCode::NOT_FOUND,
        "a deleted session is gone"
    );
    let again = send(&app, delete(&headers(&session))).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let no_header = send(&app, delete(&[])).await;
    assert_eq!(no_header.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn get_stream_carries_unsolicited_messages() {
    let (server, _events, _release) = server();
    let app = router(server.clone(), HttpConfig::default());
    let session = open_session(&app, &[]).await;
    let mut stream = open(&app, get(&headers(&session))).await;
    assert_eq!(stream.status, StatusCode::OK);
    assert_eq!(stream.headers["content-type"], "text/event-stream");
    server.notify_tools_list_changed();
    let m = stream.next_message().await.unwrap();
    assert_eq!(m["method"], "notifications/tools/list_changed");

    // Deleting the session ends the stream.
    let del = send(&app, delete(&headers(&session))).await;
    assert_eq!(del.status, StatusCode::OK);
    assert!(stream.next_message().await.is_none());
}

#[tokio::test]
async fn a_closed_stream_is_resumed_with_last_event_id() {
    let (server, _events, release) = server();
    let app = router(server, HttpConfig::default());
    let session = open_session(&app, &[]).await;
    let h = headers(&session);
    let mut first = open(
        &app,
        post(
            &json!({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{
                "name":"reconnect","arguments":{},"_meta":{"progressToken":"r"}}}),
            &h,
        ),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    let mut last_id = None;
    let mut saw_retry = false;
    let mut messages = Vec::new();
    while let Some(e) = first.next_event().await {
        if e.id.is_some() {
            last_id.clone_from(&e.id);
        }
        saw_retry |= e.retry.is_some();
        if !e.data.is_empty() {
            messages.push(serde_json::from_str::<Value>(&e.data).unwrap());
        }
    }
    assert!(
        saw_retry,
        "retry is announced before the server closes the stream"
    );
    assert_eq!(
        messages.len(),
        1,
        "only the first progress came before the close"
    );
    assert_eq!(messages[0]["params"]["progress"], 1.0);

    // The tool keeps running; its later messages wait for the client to resume.
    release.notify_one();
    let last_id = last_id.unwrap();
    let mut resume = headers(&session);
    resume.push(("last-event-id", last_id.as_str()));
    let resumed = send(&app, get(&resume)).await;
    assert_eq!(resumed.status, StatusCode::OK);
    let replay = resumed.sse_messages();
    assert_eq!(replay.len(), 2, "{replay:?}");
    assert_eq!(replay[0]["params"]["progress"], 2.0);
    assert_eq!(replay[1]["id"], 7);
    assert_eq!(
        replay[1]["result"]["content"][0]["text"],
        "reconnected closed=true"
    );
}

#[tokio::test]
async fn stateless_mode_has_no_sessions() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default().stateless(true));
    let init = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.headers.get("mcp-session-id").is_none());
    let call = send(
        &app,
        post(
            &json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}),
            &[("mcp-protocol-version", LEGACY)],
        ),
    )
    .await;
    assert_eq!(call.status, StatusCode::OK);
    assert_eq!(call.json()["result"]["content"][0]["text"], "x");
    assert_eq!(
        send(&app, get(&[])).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        send(&app, delete(&[])).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn sessions_are_capped_and_expire() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default().max_sessions(1));
    let first = open_session(&app, &[]).await;
    let full = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(full.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        send(&app, delete(&headers(&first))).await.status,
        StatusCode::OK
    );
    open_session(&app, &[]).await;

    let (server, _events, _release) = support::server();
    let app = router(
        server,
        HttpConfig::default().session_idle_timeout(std::time::Duration::ZERO),
    );
    let init = send(&app, post(&initialize_body(LEGACY), &[])).await;
    let session = init.headers["mcp-session-id"].to_str().unwrap().to_owned();
    let ping = json!({"jsonrpc":"2.0","id":1,"method":"ping"});
    let expired = send(&app, post(&ping, &headers(&session))).await;
    assert_eq!(
        expired.status,
        StatusCode::NOT_FOUND,
        "an idle session expires"
    );
}

#[tokio::test]
async fn batches_work_only_for_2025_03_26() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let init = send(&app, post(&initialize_body("2025-03-26"), &[])).await;
    let session = init.headers["mcp-session-id"].to_str().unwrap().to_owned();
    let h = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", "2025-03-26"),
    ];
    send(
        &app,
        post(
            &json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
            &h,
        ),
    )
    .await;
    let batch = json!([
        {"jsonrpc":"2.0","id":1,"method":"ping"},
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"b"}}}
    ]);
    let a = send(&app, post(&batch, &h)).await;
    assert_eq!(a.status, StatusCode::OK);
    let answers = a.json();
    assert_eq!(answers.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn response_modes_sse_and_json() {
    use mcp_transport_http::ResponseMode;
    let list = json!({"jsonrpc":"2.0","id":2,"method":"tools/list"});

    let (server, _events, _release) = server();
    let app = router(
        server,
        HttpConfig::default().response_mode(ResponseMode::Sse),
    );
    let session = open_session(&app, &[]).await;
    let a = send(&app, post(&list, &headers(&session))).await;
    assert!(a.content_type().starts_with("text/event-stream"));
    assert_eq!(a.sse_messages().last().unwrap()["id"], 2);

    let (server, _events, _release) = support::server();
    let app = router(
        server,
        HttpConfig::default().response_mode(ResponseMode::Json),
    );
    let session = open_session(&app, &[]).await;
    let mut stream = open(&app, get(&headers(&session))).await;
    let call = json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{
        "name":"progress","arguments":{},"_meta":{"progressToken":"j"}}});
    let a = send(&app, post(&call, &headers(&session))).await;
    assert!(a.content_type().starts_with("application/json"));
    assert_eq!(a.json()["result"]["content"][0]["text"], "done");
    // The progress notifications went to the session's GET stream instead.
    for expected in [1.0, 2.0, 3.0] {
        let m = stream.next_message().await.unwrap();
        assert_eq!(m["method"], "notifications/progress");
        assert_eq!(m["params"]["progress"], expected);
    }
}
