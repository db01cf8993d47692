#![allow(clippy::unwrap_used, missing_docs)]
//! Logs, tasks, ChatGPT and report tools against the simulated deployment.

mod support;

use serde_json::json;
use support::{env, err, ok};

#[tokio::test]
async fn build_and_agent_logs() {
    let e = env().await;
    let ws = ok(&e
        .tools
        .call("coder_get_workspace", json!({"workspace_id": "dev"}))
        .await
        .unwrap());
    let build = ws["latest_build"]["id"].as_str().unwrap();
    let logs = ok(&e
        .tools
        .call(
            "coder_get_workspace_build_logs",
            json!({"workspace_build_id": build}),
        )
        .await
        .unwrap());
    assert!(!logs["result"].as_array().unwrap().is_empty());
    let agent = ws["latest_build"]["resources"][0]["agents"][0]["id"]
        .as_str()
        .unwrap();
    let logs = ok(&e
        .tools
        .call(
            "coder_get_workspace_agent_logs",
            json!({"workspace_agent_id": agent}),
        )
        .await
        .unwrap());
    assert!(logs["result"].is_array());
    let missing = e
        .tools
        .call(
            "coder_get_workspace_agent_logs",
            json!({"workspace_agent_id": uuid::Uuid::new_v4()}),
        )
        .await
        .unwrap();
    assert!(err(&missing).contains("not found"));
    let bad = e
        .tools
        .call(
            "coder_get_workspace_build_logs",
            json!({"workspace_build_id": "x"}),
        )
        .await
        .unwrap();
    assert!(err(&bad).contains("workspace_build_id must be a valid UUID"));
}

#[tokio::test]
async fn tasks_lifecycle() {
    let e = env().await;
    let list = ok(&e.tools.call("coder_list_tasks", json!({})).await.unwrap());
    let tasks = list["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    let id = tasks[0]["id"].as_str().unwrap().to_owned();
    let status = ok(&e
        .tools
        .call("coder_get_task_status", json!({"task_id": id}))
        .await
        .unwrap());
    assert!(status["status"].is_string());
    let logs = ok(&e
        .tools
        .call("coder_get_task_logs", json!({"task_id": id}))
        .await
        .unwrap());
    assert!(logs["logs"].is_array());
    let sent = ok(&e
        .tools
        .call(
            "coder_send_task_input",
            json!({"task_id": id, "input": "also fix CONTRIBUTING"}),
        )
        .await
        .unwrap());
    assert!(sent["message"].is_string());
    let version = e.sim.active_version_id("docker").unwrap();
    let created = ok(&e
        .tools
        .call(
            "coder_create_task",
            json!({"input": "write tests", "template_version_id": version}),
        )
        .await
        .unwrap());
    let new_id = created["id"].as_str().unwrap().to_owned();
    let deleted = ok(&e
        .tools
        .call("coder_delete_task", json!({"task_id": new_id}))
        .await
        .unwrap());
    assert!(deleted["message"].as_str().unwrap().contains("deleted"));
    let missing = e
        .tools
        .call(
            "coder_get_task_status",
            json!({"task_id": uuid::Uuid::new_v4()}),
        )
        .await
        .unwrap();
    assert!(err(&missing).contains("coder_list_tasks"));
    let bad = e
        .tools
        .call(
            "coder_create_task",
            json!({"input": "x", "template_version_id": "nope"}),
        )
        .await
        .unwrap();
    assert!(err(&bad).contains("template_version_id must be a valid UUID"));
}

#[tokio::test]
async fn search_and_fetch() {
    let e = env().await;
    let found = ok(&e
        .tools
        .call("search", json!({"query": "workspaces/owner:me"}))
        .await
        .unwrap());
    let hit = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "dev")
        .unwrap()
        .clone();
    assert!(hit["id"].as_str().unwrap().starts_with("workspace:"));
    assert!(hit["url"].as_str().unwrap().ends_with("/@admin/dev"));
    let fetched = ok(&e
        .tools
        .call("fetch", json!({"id": hit["id"]}))
        .await
        .unwrap());
    assert_eq!(fetched["title"], "dev");
    assert!(fetched["text"].as_str().unwrap().contains("latest_build"));
    let templates = ok(&e
        .tools
        .call("search", json!({"query": "templates/"}))
        .await
        .unwrap());
    let t = &templates["results"][0];
    assert!(t["id"].as_str().unwrap().starts_with("template:"));
    ok(&e.tools.call("fetch", json!({"id": t["id"]})).await.unwrap());
    let bad = e
        .tools
        .call("search", json!({"query": "users/x"}))
        .await
        .unwrap();
    assert!(err(&bad).contains("templates/"));
    let missing = e
        .tools
        .call(
            "fetch",
            json!({"id": format!("workspace:{}", uuid::Uuid::new_v4())}),
        )
        .await
        .unwrap();
    assert!(err(&missing).contains("not found"));
}

#[tokio::test]
async fn report_task_sends_app_status_once_per_change() {
    let e = env().await;
    let args = json!({"summary": "Fixing the README", "link": "", "state": "working"});
    ok(&e
        .tools
        .call("coder_report_task", args.clone())
        .await
        .unwrap());
    ok(&e.tools.call("coder_report_task", args).await.unwrap());
    assert_eq!(e.sim.app_statuses().len(), 1);
    ok(&e
        .tools
        .call(
            "coder_report_task",
            json!({"summary": "Done", "link": "https://x/pr/1", "state": "complete"}),
        )
        .await
        .unwrap());
    assert_eq!(e.sim.app_statuses().len(), 2);
    let long = "x".repeat(160);
    let bad = e
        .tools
        .call(
            "coder_report_task",
            json!({"summary": long, "link": "", "state": "idle"}),
        )
        .await
        .unwrap();
    assert!(err(&bad).contains("160"));
    let bad = e
        .tools
        .call(
            "coder_report_task",
            json!({"summary": "a\nb", "link": "", "state": "idle"}),
        )
        .await
        .unwrap();
    assert!(err(&bad).contains("/summary"));
    let bad = e
        .tools
        .call(
            "coder_report_task",
            json!({"summary": "a", "link": "", "state": "sleeping"}),
        )
        .await
        .unwrap();
    assert!(err(&bad).contains("/state"));
}
