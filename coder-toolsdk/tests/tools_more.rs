#![allow(clippy::unwrap_used, missing_docs)]
//! Logs, tasks, ChatGPT and report tools against the simulated deployment.

mod support;

use serde_json::json;
use support::{env, err, ok};

#[tokio::test]
async fn build_and_agent_logs() {
    let e = env().await;
    let ws = ok(&e
        .call("coder_get_workspace", json!({"workspace_id": "dev"}))
        .await);
    let build = ws["latest_build"]["id"].as_str().unwrap();
    let logs = ok(&e
        .call(
            "coder_get_workspace_build_logs",
            json!({"workspace_build_id": build}),
        )
        .await);
    assert!(!logs["result"].as_array().unwrap().is_empty());
    let agent = ws["latest_build"]["resources"][0]["agents"][0]["id"]
        .as_str()
        .unwrap();
    let logs = ok(&e
        .call(
            "coder_get_workspace_agent_logs",
            json!({"workspace_agent_id": agent}),
        )
        .await);
    assert!(logs["result"].is_array());
    let missing = e
        .call(
            "coder_get_workspace_agent_logs",
            json!({"workspace_agent_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert!(err(&missing).contains("not found"));
    let bad = e
        .call(
            "coder_get_workspace_build_logs",
            json!({"workspace_build_id": "x"}),
        )
        .await;
    assert!(err(&bad).contains("workspace_build_id must be a valid UUID"));
}

#[tokio::test]
async fn tasks_lifecycle() {
    let e = env().await;
    let list = ok(&e.call("coder_list_tasks", json!({})).await);
    let tasks = list["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    let id = tasks[0]["id"].as_str().unwrap().to_owned();
    let status = ok(&e
        .call("coder_get_task_status", json!({"task_id": id}))
        .await);
    assert!(status["status"].is_string());
    let logs = ok(&e.call("coder_get_task_logs", json!({"task_id": id})).await);
    assert!(logs["logs"].is_array());
    let sent = ok(&e
        .call(
            "coder_send_task_input",
            json!({"task_id": id, "input": "also fix CONTRIBUTING"}),
        )
        .await);
    assert!(sent["message"].is_string());
    let version = e.sim.active_version_id("docker").unwrap();
    let created = ok(&e
        .call(
            "coder_create_task",
            json!({"input": "write tests", "template_version_id": version}),
        )
        .await);
    let new_id = created["id"].as_str().unwrap().to_owned();
    let deleted = ok(&e
        .call("coder_delete_task", json!({"task_id": new_id}))
        .await);
    assert!(deleted["message"].as_str().unwrap().contains("deleted"));
    let missing = e
        .call(
            "coder_get_task_status",
            json!({"task_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert!(err(&missing).contains("coder_list_tasks"));
    let bad = e
        .call(
            "coder_create_task",
            json!({"input": "x", "template_version_id": "nope"}),
        )
        .await;
    assert!(err(&bad).contains("template_version_id must be a valid UUID"));
}

#[tokio::test]
async fn search_and_fetch() {
    let e = env().await;
    let found = ok(&e
        .call("search", json!({"query": "workspaces/owner:me"}))
        .await);
    let hit = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "dev")
        .unwrap()
        .clone();
    assert!(hit["id"].as_str().unwrap().starts_with("workspace:"));
    assert!(hit["url"].as_str().unwrap().ends_with("/@admin/dev"));
    let fetched = ok(&e.call("fetch", json!({"id": hit["id"]})).await);
    assert_eq!(fetched["title"], "dev");
    assert!(fetched["text"].as_str().unwrap().contains("latest_build"));
    let templates = ok(&e.call("search", json!({"query": "templates/"})).await);
    let t = &templates["results"][0];
    assert!(t["id"].as_str().unwrap().starts_with("template:"));
    ok(&e.call("fetch", json!({"id": t["id"]})).await);
    let bad = e.call("search", json!({"query": "users/x"})).await;
    assert!(err(&bad).contains("templates/"));
    let missing = e
        .call(
            "fetch",
            json!({"id": format!("workspace:{}", uuid::Uuid::new_v4())}),
        )
        .await;
    assert!(err(&missing).contains("not found"));
}

#[tokio::test]
async fn report_task_sends_app_status_once_per_change() {
    let e = env().await;
    let args = json!({"summary": "Fixing the README", "link": "", "state": "working"});
    ok(&e.call("coder_report_task", args.clone()).await);
    ok(&e.call("coder_report_task", args).await);
    assert_eq!(e.sim.app_statuses().len(), 1);
    ok(&e
        .call(
            "coder_report_task",
            json!({"summary": "Done", "link": "https://x/pr/1", "state": "complete"}),
        )
        .await);
    assert_eq!(e.sim.app_statuses().len(), 2);
    let long = "x".repeat(160);
    let bad = e
        .call(
            "coder_report_task",
            json!({"summary": long, "link": "", "state": "idle"}),
        )
        .await;
    assert!(err(&bad).contains("160"));
    let bad = e
        .call(
            "coder_report_task",
            json!({"summary": "a\nb", "link": "", "state": "idle"}),
        )
        .await;
    assert!(err(&bad).contains("/summary"));
    let bad = e
        .call(
            "coder_report_task",
            json!({"summary": "a", "link": "", "state": "sleeping"}),
        )
        .await;
    assert!(err(&bad).contains("/state"));
}

#[tokio::test]
async fn report_task_without_an_app_slug_says_how_to_configure_it() {
    let e = env().await;
    let tools = coder_toolsdk::coder_tools(&e.client);
    let r = tools
        .call(
            "coder_report_task",
            json!({"summary": "s", "link": "", "state": "idle"}),
        )
        .await
        .unwrap();
    assert!(err(&r).contains("CODER_MCP_APP_STATUS_SLUG"));
    assert!(e.sim.app_statuses().is_empty());
}
