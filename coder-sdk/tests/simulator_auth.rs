//! Authentication: where tokens are found, and Coder's 401 answers.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::SimulatedCoder;
use reqwest::StatusCode;
use serde_json::Value;
use support::swagger::assert_requests_match_swagger;

async fn me(req: reqwest::RequestBuilder) -> (StatusCode, Option<String>, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let challenge = resp
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, challenge, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_token_source_coder_accepts_works() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/v2/users/me", sim.url());
    let token = sim.session_token();
    let sources = [
        http.get(&url).header("Coder-Session-Token", token),
        http.get(&url).bearer_auth(token),
        http.get(&url)
            .header("Cookie", format!("other=1; coder_session_token={token}")),
        http.get(format!("{url}?coder_session_token={token}")),
        http.get(format!("{url}?access_token={token}")),
    ];
    for req in sources {
        let (status, _, body) = me(req).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["username"], "admin");
    }
    let (status, _, body) = me(http
        .get(&url)
        .header("Coder-Session-Token", sim.member_token()))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["username"], "alice");
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn missing_and_unknown_tokens_get_coders_401() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/v2/users/me", sim.url());
    let (status, challenge, body) = me(http.get(&url)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let challenge = challenge.unwrap();
    assert!(
        challenge.starts_with("Bearer realm=\"coder\""),
        "{challenge}"
    );
    assert!(challenge.contains(&format!(
        "resource_metadata=\"{}/.well-known/oauth-protected-resource\"",
        sim.url()
    )));
    assert!(body["message"].as_str().unwrap().contains("signed out"));
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("coder_session_token")
    );

    let (status, challenge, body) =
        me(http.get(&url).header("Coder-Session-Token", "abc-def")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(challenge.unwrap().contains("error=\"invalid_token\""));
    assert_eq!(body["detail"], "API key is invalid.");
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let sim = SimulatedCoder::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/v2/users/me", sim.url());
    sim.faults().expire_token_after(sim.session_token(), 2);
    for _ in 0..2 {
        let (status, _, _) = me(http
            .get(&url)
            .header("Coder-Session-Token", sim.session_token()))
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, body) = me(http
        .get(&url)
        .header("Coder-Session-Token", sim.session_token()))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["detail"], "API key expired.");

    sim.faults().expire_token(sim.member_token());
    let (status, _, _) = me(http
        .get(&url)
        .header("Coder-Session-Token", sim.member_token()))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    sim.faults().clear();
    let (status, _, _) = me(http
        .get(&url)
        .header("Coder-Session-Token", sim.member_token()))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn members_cannot_author_templates() {
    let sim = SimulatedCoder::start().await.unwrap();
    let template = sim.template_id("docker").unwrap();
    let resp = reqwest::Client::new()
        .delete(format!("{}/api/v2/templates/{template}", sim.url()))
        .header("Coder-Session-Token", sim.member_token())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["message"], "Forbidden.");
    assert_requests_match_swagger(&sim);
}
