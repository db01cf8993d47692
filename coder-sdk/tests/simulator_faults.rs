//! Fault knobs and the request log.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use coder_sdk::testing::{InjectedFault, REDACTED, SimulatedCoder};
use reqwest::StatusCode;
use serde_json::Value;
use support::swagger::assert_requests_match_swagger;

fn get(sim: &SimulatedCoder, http: &reqwest::Client, path: &str) -> reqwest::RequestBuilder {
    http.get(format!("{}{path}", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
}

#[tokio::test]
async fn fail_next_answers_the_given_status_with_a_coder_body() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    sim.faults().fail_next(2, 503);
    for _ in 0..2 {
        let resp = get(&sim, &http, "/api/v2/users/me").send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = resp.json().await.unwrap();
        assert!(body["message"].is_string());
    }
    let resp = get(&sim, &http, "/api/v2/users/me").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let faults: Vec<_> = sim.requests().iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some(InjectedFault::Status(503)),
            Some(InjectedFault::Status(503)),
            None
        ]
    );
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn drop_next_closes_the_connection_without_an_answer() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    sim.faults().drop_next(1);
    let err = get(&sim, &http, "/api/v2/users/me")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    let resp = get(&sim, &http, "/api/v2/users/me").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let log = sim.requests();
    assert_eq!(log[0].fault, Some(InjectedFault::Dropped));
    assert_eq!(log[0].status, None);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn malformed_next_cuts_json_bodies() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    sim.faults().malformed_next(1);
    let resp = get(&sim, &http, "/api/v2/users/me").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    let resp = get(&sim, &http, "/api/v2/users/me").send().await.unwrap();
    assert!(resp.json::<Value>().await.is_ok());
    assert_eq!(sim.requests()[0].fault, Some(InjectedFault::Malformed));
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn latency_delays_every_request() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let latency = Duration::from_millis(60);
    sim.faults().set_latency(latency);
    let started = Instant::now();
    let resp = get(&sim, &http, "/api/v2/buildinfo").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    // A lower bound only: the answer cannot come before the injected delay.
    assert!(started.elapsed() >= latency);
}

#[tokio::test]
async fn the_request_log_keeps_requests_but_not_secrets() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let token = sim.session_token().to_owned();
    get(&sim, &http, "/api/v2/workspaces?q=owner:me&limit=5")
        .send()
        .await
        .unwrap();
    http.get(format!(
        "{}/api/v2/users/me?coder_session_token={token}",
        sim.url()
    ))
    .send()
    .await
    .unwrap();
    http.get(format!("{}/api/v2/users/me", sim.url()))
        .bearer_auth(&token)
        .header("Cookie", format!("coder_session_token={token}"))
        .send()
        .await
        .unwrap();
    let log = sim.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/api/v2/workspaces");
    assert_eq!(
        log[0].query_pairs(),
        [
            ("q".to_owned(), "owner:me".to_owned()),
            ("limit".to_owned(), "5".to_owned())
        ]
    );
    assert_eq!(log[0].header("coder-session-token"), Some(REDACTED));
    assert_eq!(log[0].status, Some(200));
    assert_eq!(log[0].response.as_ref().unwrap()["count"], 3);
    assert_eq!(log[2].header("authorization"), Some(REDACTED));
    assert_eq!(log[2].header("cookie"), Some(REDACTED));
    let dump = format!("{log:?}");
    assert!(
        !dump.contains(&token),
        "a token leaked into the request log"
    );
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}
