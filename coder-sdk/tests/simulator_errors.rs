//! Coder-shaped answers to bad input: malformed bodies, unknown routes, wrong methods.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::SimulatedCoder;
use serde_json::Value;
use support::swagger::{assert_requests_match_swagger, swagger};

#[tokio::test]
async fn bad_input_gets_coder_error_bodies_and_the_server_keeps_running() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let token = sim.session_token();

    let resp = http
        .post(format!("{}/api/v2/users/me/workspaces", sim.url()))
        .header("Coder-Session-Token", token)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    swagger()
        .validate_definition("codersdk.Response", &body)
        .unwrap();
    assert!(!body["detail"].as_str().unwrap().is_empty());

    let resp = http
        .post(format!("{}/api/v2/files", sim.url()))
        .header("Coder-Session-Token", token)
        .header("Content-Type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);

    let resp = http
        .get(format!("{}/api/v2/nothing/here", sim.url()))
        .header("Coder-Session-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["message"], "Route not found.");

    let resp = http
        .put(format!("{}/api/v2/users/me", sim.url()))
        .header("Coder-Session-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    let body: Value = resp.json().await.unwrap();
    assert!(body["message"].is_string());

    let resp = http
        .get(format!("{}/api/v2/workspaces?limit=many", sim.url()))
        .header("Coder-Session-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["validations"][0]["field"], "limit");

    let resp = http
        .get(format!("{}/api/v2/users/me", sim.url()))
        .header("Coder-Session-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_requests_match_swagger(&sim);
}
