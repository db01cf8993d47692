#![allow(clippy::unwrap_used, missing_docs)]
//! Every Coder tool, with valid arguments, against a deployment that refuses the
//! credentials or returns 503, and with an unknown argument: always an `isError` result with
//! a message, never a panic or a protocol error.

mod support;

use coder_toolsdk::toolset::ALL_TOOL_NAMES;
use serde_json::{Value, json};
use support::{Env, env, env_without_retries, err};

fn valid_args(e: &Env) -> Vec<(&'static str, Value)> {
    let template = e.sim.template_id("docker").unwrap().to_string();
    let version = e.sim.active_version_id("docker").unwrap().to_string();
    let ws = e.sim.workspace_id("dev").unwrap();
    let build = e.sim.latest_build_id(ws).unwrap().to_string();
    let agent = e.sim.agent_id("dev").unwrap().to_string();
    let task = uuid::Uuid::new_v4().to_string();
    let file = uuid::Uuid::new_v4().to_string();
    vec![
        (
            "coder_create_template",
            json!({"name": "t", "display_name": "T", "description": "d", "version_id": version}),
        ),
        ("coder_create_template_version", json!({"file_id": file})),
        (
            "coder_create_workspace",
            json!({"user": "me", "name": "w", "rich_parameters": {}, "template_id": template}),
        ),
        (
            "coder_create_workspace_build",
            json!({"workspace_id": "dev", "transition": "stop"}),
        ),
        ("coder_delete_template", json!({"template_id": template})),
        ("coder_list_templates", json!({})),
        (
            "coder_template_version_parameters",
            json!({"template_version_id": version}),
        ),
        ("coder_get_template", json!({"template_id": template})),
        ("coder_list_workspaces", json!({})),
        ("coder_get_authenticated_user", json!({})),
        (
            "coder_get_template_version_logs",
            json!({"template_version_id": version}),
        ),
        ("coder_get_workspace", json!({"workspace_id": "dev"})),
        (
            "coder_get_workspace_agent_logs",
            json!({"workspace_agent_id": agent}),
        ),
        (
            "coder_get_workspace_build_logs",
            json!({"workspace_build_id": build}),
        ),
        (
            "coder_report_task",
            json!({"summary": "s", "link": "", "state": "working"}),
        ),
        ("coder_upload_tar_file", json!({"files": {"main.tf": ""}})),
        (
            "coder_update_template_active_version",
            json!({"template_id": template, "template_version_id": version}),
        ),
        (
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "true"}),
        ),
        ("search", json!({"query": "workspaces/"})),
        ("fetch", json!({"id": format!("workspace:{ws}")})),
        (
            "coder_workspace_ls",
            json!({"workspace": "dev", "path": "/"}),
        ),
        (
            "coder_workspace_read_file",
            json!({"workspace": "dev", "path": "/etc/hostname"}),
        ),
        (
            "coder_workspace_write_file",
            json!({"workspace": "dev", "path": "/tmp/x", "content": ""}),
        ),
        (
            "coder_workspace_edit_file",
            json!({"workspace": "dev", "path": "/tmp/x", "edits": [{"old_text": "a", "new_text": "b"}]}),
        ),
        (
            "coder_workspace_edit_files",
            json!({"workspace": "dev", "files": [{"path": "/tmp/x", "edits": [{"old_text": "a", "new_text": "b"}]}]}),
        ),
        (
            "coder_workspace_port_forward",
            json!({"workspace": "dev", "port": 3000}),
        ),
        ("coder_workspace_list_apps", json!({"workspace": "dev"})),
        (
            "coder_create_task",
            json!({"input": "do it", "template_version_id": version}),
        ),
        ("coder_delete_task", json!({"task_id": task})),
        ("coder_list_tasks", json!({})),
        ("coder_get_task_status", json!({"task_id": task})),
        (
            "coder_send_task_input",
            json!({"task_id": task, "input": "hi"}),
        ),
        ("coder_get_task_logs", json!({"task_id": task})),
        ("coder_list_organizations", json!({})),
        ("coder_workspace_readiness", json!({"workspace": "dev"})),
    ]
}

#[tokio::test]
async fn every_tool_reports_refused_credentials_as_a_tool_error() {
    let e = env().await;
    let cases = valid_args(&e);
    assert_eq!(
        cases.iter().map(|c| c.0).collect::<Vec<_>>(),
        ALL_TOOL_NAMES
    );
    e.sim.faults().expire_token(e.sim.session_token());
    if let Some(agent) = e.sim.agent_token() {
        e.sim.faults().expire_token(&agent);
    }
    for (name, args) in cases {
        let r = e.call(name, args).await;
        let message = err(&r);
        assert!(
            message.contains("401") || message.contains("credentials"),
            "{name}: {message}"
        );
    }
}

#[tokio::test]
async fn every_tool_reports_server_errors_as_a_tool_error() {
    let e = env_without_retries().await;
    for (name, args) in valid_args(&e) {
        e.sim.faults().fail_next(1000, 503);
        let r = e.call(name, args).await;
        let message = err(&r);
        assert!(!message.is_empty(), "{name}");
        e.sim.faults().clear();
    }
}

#[tokio::test]
async fn every_tool_rejects_unknown_and_missing_arguments() {
    let e = env().await;
    for (name, mut args) in valid_args(&e) {
        args["surprise"] = json!(1);
        let r = e.call(name, args).await;
        let message = err(&r);
        assert!(
            message.starts_with("invalid arguments") && message.contains("surprise"),
            "{name}: {message}"
        );
    }
    for def in e.tools.definitions() {
        let required = def
            .input_schema
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(first) = required.first() {
            let r = e.call(&def.name, json!({})).await;
            let message = err(&r);
            assert!(
                message.contains(first.as_str().unwrap()),
                "{}: {message}",
                def.name
            );
        }
    }
}
