#![allow(clippy::unwrap_used, missing_docs)]
//! The REST-only Coder tools against the simulated deployment.

mod support;

use serde_json::json;
use support::{env, err, ok};

#[tokio::test]
async fn authenticated_user_and_organizations() {
    let e = env().await;
    let me = ok(&e.call("coder_get_authenticated_user", json!({})).await);
    assert_eq!(me["username"], "admin");
    let orgs = ok(&e.call("coder_list_organizations", json!({})).await);
    assert_eq!(orgs["result"][0]["name"], "coder");
    let bad = e
        .call("coder_get_authenticated_user", json!({"x": 1}))
        .await;
    assert!(err(&bad).contains("x"));
    e.sim.faults().fail_next(3, 500);
    let failed = e.call("coder_get_authenticated_user", json!({})).await;
    assert!(err(&failed).contains("500"));
}

#[tokio::test]
async fn list_and_get_workspaces() {
    let e = env().await;
    let list = ok(&e.call("coder_list_workspaces", json!({})).await);
    let names: Vec<&str> = list["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"dev") && names.contains(&"legacy"),
        "{names:?}"
    );
    let by_owner = ok(&e
        .call("coder_list_workspaces", json!({"owner": "admin"}))
        .await);
    assert_eq!(by_owner["result"].as_array().unwrap().len(), names.len());

    let ws = ok(&e
        .call("coder_get_workspace", json!({"workspace_id": "dev"}))
        .await);
    assert_eq!(ws["name"], "dev");
    let id = ws["id"].as_str().unwrap().to_owned();
    let by_id = ok(&e
        .call("coder_get_workspace", json!({"workspace_id": id}))
        .await);
    assert_eq!(by_id["name"], "dev");
    let by_owner = ok(&e
        .call("coder_get_workspace", json!({"workspace_id": "admin/dev"}))
        .await);
    assert_eq!(by_owner["id"], by_id["id"]);

    let missing = e
        .call("coder_get_workspace", json!({"workspace_id": "nope"}))
        .await;
    let msg = err(&missing);
    assert!(
        msg.contains("not found") && msg.contains("dev") && msg.contains("coder_list_workspaces"),
        "{msg}"
    );
    let bad = e
        .call("coder_get_workspace", json!({"workspace_id": 42}))
        .await;
    assert!(err(&bad).contains("/workspace_id"));
}

#[tokio::test]
async fn templates_and_parameters() {
    let e = env().await;
    let list = ok(&e.call("coder_list_templates", json!({})).await);
    let docker = list["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "docker")
        .unwrap()
        .clone();
    let id = docker["id"].as_str().unwrap();
    let detail = ok(&e
        .call("coder_get_template", json!({"template_id": id}))
        .await);
    assert_eq!(detail["name"], "docker");
    assert!(
        detail["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "cpu")
    );
    assert!(!detail["presets"].as_array().unwrap().is_empty());
    let version = docker["active_version_id"].as_str().unwrap();
    let params = ok(&e
        .call(
            "coder_template_version_parameters",
            json!({"template_version_id": version}),
        )
        .await);
    assert!(!params["result"].as_array().unwrap().is_empty());

    let bad = e
        .call("coder_get_template", json!({"template_id": "not-a-uuid"}))
        .await;
    assert!(err(&bad).contains("template_id must be a valid UUID"));
    let missing = e
        .call(
            "coder_get_template",
            json!({"template_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert!(err(&missing).contains("coder_list_templates"));
}

#[tokio::test]
async fn create_workspace_then_build_transitions() {
    let e = env().await;
    let template = e.sim.template_id("docker").unwrap();
    let created = ok(&e
        .call(
            "coder_create_workspace",
            json!({
                "user": "me", "name": "new-ws", "template_id": template,
                "rich_parameters": {"cpu": "2", "image": "codercom/enterprise-base:ubuntu"}
            }),
        )
        .await);
    assert_eq!(created["name"], "new-ws");
    let build_id = created["latest_build"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    e.sim.wait_for_build(build_id).await;

    let both = e
        .call(
            "coder_create_workspace",
            json!({
                "user": "me", "name": "x", "rich_parameters": {}
            }),
        )
        .await;
    assert!(err(&both).contains("exactly one"));

    let stop = ok(&e
        .call(
            "coder_create_workspace_build",
            json!({
                "workspace_id": "new-ws", "transition": "stop"
            }),
        )
        .await);
    assert_eq!(stop["transition"], "stop");
    let rejected = e.call("coder_create_workspace_build", json!({
        "workspace_id": "new-ws", "transition": "stop", "template_version_preset_id": uuid::Uuid::new_v4(),
        "rich_parameters": {"cpu": "8"}
    })).await;
    let msg = err(&rejected);
    assert!(
        msg.contains("preset") && msg.contains("rich_parameters"),
        "{msg}"
    );
    let bad = e
        .call(
            "coder_create_workspace_build",
            json!({
                "workspace_id": "new-ws", "transition": "explode"
            }),
        )
        .await;
    assert!(err(&bad).contains("/transition"));
}

#[tokio::test]
async fn readiness_snapshots() {
    let e = env().await;
    let ready = ok(&e
        .call("coder_workspace_readiness", json!({"workspace": "dev"}))
        .await);
    assert_eq!(ready["state"], "ready");
    assert_eq!(ready["ready"], true);
    let stopped = ok(&e
        .call("coder_workspace_readiness", json!({"workspace": "legacy"}))
        .await);
    assert_eq!(stopped["state"], "stopped");
    let bad = e
        .call(
            "coder_workspace_readiness",
            json!({"workspace": "dev", "wait_ms": 40000}),
        )
        .await;
    assert!(err(&bad).contains("/wait_ms"));
}

#[tokio::test]
async fn template_authoring_round_trip() {
    let e = env().await;
    let upload = ok(&e
        .call(
            "coder_upload_tar_file",
            json!({
                "files": {"main.tf": "resource \"coder_agent\" \"main\" {}"}
            }),
        )
        .await);
    let hash = upload["hash"].as_str().unwrap().to_owned();
    let version = ok(&e
        .call("coder_create_template_version", json!({"file_id": hash}))
        .await);
    let version_id = version["id"].as_str().unwrap().to_owned();
    e.sim
        .wait_for_template_version(version_id.parse().unwrap())
        .await;
    let logs = ok(&e
        .call(
            "coder_get_template_version_logs",
            json!({"template_version_id": version_id}),
        )
        .await);
    assert!(logs["result"].is_array());
    let template = ok(&e.call("coder_create_template", json!({
        "name": "ai-made", "display_name": "AI made", "description": "made by a test", "version_id": version_id
    })).await);
    let template_id = template["id"].as_str().unwrap().to_owned();
    let promoted = ok(&e
        .call(
            "coder_update_template_active_version",
            json!({
                "template_id": template_id, "template_version_id": version_id
            }),
        )
        .await);
    assert_eq!(promoted["result"], "Successfully updated active version!");
    let deleted = ok(&e
        .call("coder_delete_template", json!({"template_id": template_id}))
        .await);
    assert!(deleted["message"].as_str().unwrap().contains("ai-made"));
    let again = e
        .call("coder_delete_template", json!({"template_id": template_id}))
        .await;
    assert!(err(&again).contains("not found"));
    let bad_org = e
        .call(
            "coder_create_template_version",
            json!({"file_id": hash, "organization_id": "nope"}),
        )
        .await;
    assert!(err(&bad_org).contains("organization_id must be a valid UUID"));
}
