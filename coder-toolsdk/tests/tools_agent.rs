#![allow(clippy::unwrap_used, missing_docs)]
//! The workspace tools (over exec on the reconnecting PTY) against the simulated deployment.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use support::{env, err, ok};

#[tokio::test]
async fn bash_runs_commands_with_exit_codes_and_timeouts() {
    let e = env().await;
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "echo hello; echo oops >&2"}),
        )
        .await);
    assert_eq!(out["exit_code"], 0);
    assert!(out["output"].as_str().unwrap().contains("hello"));
    assert!(out["output"].as_str().unwrap().contains("oops"));
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev.main", "command": "exit 3"}),
        )
        .await);
    assert_eq!(out["exit_code"], 3);
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "admin/dev", "command": "sleep 30", "timeout_ms": 500}),
        )
        .await);
    assert_eq!(out["exit_code"], 124);
    assert!(out["output"].as_str().unwrap().contains("timeout"));
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "sleep 1", "background": true}),
        )
        .await);
    assert_eq!(out["exit_code"], 0);
    assert!(out["output"].as_str().unwrap().contains("background"));

    let missing = e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "nope", "command": "true"}),
        )
        .await;
    assert!(err(&missing).contains("dev"));
    let bad = e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "true", "timeout_ms": 0}),
        )
        .await;
    assert!(err(&bad).contains("/timeout_ms"));
    let bad_agent = e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev.nope", "command": "true"}),
        )
        .await;
    assert!(err(&bad_agent).contains("main"));
}

#[tokio::test]
async fn bash_output_is_bounded() {
    let e = env().await;
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "head -c 600000 /dev/zero | tr '\\0' a; echo; echo END"}),
        )
        .await);
    let text = out["output"].as_str().unwrap();
    assert!(
        text.len() <= coder_toolsdk::tools::MAX_BASH_OUTPUT + 200,
        "{}",
        text.len()
    );
    assert!(
        text.contains("omitted") && text.ends_with("END"),
        "{}",
        &text[text.len() - 100..]
    );
    assert_eq!(out["exit_code"], 0);
}

#[tokio::test]
async fn stopped_workspaces_are_started_first() {
    let e = env().await;
    let out = ok(&e
        .call(
            "coder_workspace_bash",
            json!({"workspace": "legacy", "command": "echo up"}),
        )
        .await);
    assert!(out["output"].as_str().unwrap().contains("up"));
    let ws = ok(&e
        .call("coder_get_workspace", json!({"workspace_id": "legacy"}))
        .await);
    assert_eq!(ws["latest_build"]["transition"], "start");
}

#[tokio::test]
async fn files_write_read_ls_edit() {
    let e = env().await;
    let home = e
        .sim
        .workspace_home(e.sim.workspace_id("dev").unwrap())
        .unwrap();
    let dir = home.join("proj");
    let path = format!("{}/main.rs", dir.display());
    let text = "fn main() {\n    let x = 1;\n    println!(\"{x}\");\n}\n";
    let written = ok(&e
        .call(
            "coder_workspace_write_file",
            json!({
                "workspace": "dev", "path": path, "content": STANDARD.encode(text)
            }),
        )
        .await);
    assert_eq!(written["message"], "File written successfully.");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    let read = ok(&e
        .call(
            "coder_workspace_read_file",
            json!({"workspace": "dev", "path": path}),
        )
        .await);
    assert_eq!(
        STANDARD.decode(read["content"].as_str().unwrap()).unwrap(),
        text.as_bytes()
    );
    assert_eq!(read["mimeType"], "text/plain");
    let part = ok(&e
        .call(
            "coder_workspace_read_file",
            json!({"workspace": "dev", "path": path, "offset": 3, "limit": 4}),
        )
        .await);
    assert_eq!(
        STANDARD.decode(part["content"].as_str().unwrap()).unwrap(),
        b"main"
    );
    let too_big = e
        .call(
            "coder_workspace_read_file",
            json!({"workspace": "dev", "path": path, "limit": 2_000_000}),
        )
        .await;
    assert!(err(&too_big).contains("/limit"));

    let ls = ok(&e
        .call(
            "coder_workspace_ls",
            json!({"workspace": "dev", "path": home.display().to_string()}),
        )
        .await);
    let entry = ls["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"].as_str().unwrap().ends_with("/proj"))
        .unwrap()
        .clone();
    assert_eq!(entry["is_dir"], true);
    let relative = e
        .call(
            "coder_workspace_ls",
            json!({"workspace": "dev", "path": "proj"}),
        )
        .await;
    assert!(err(&relative).contains("absolute"));

    let edited = ok(&e
        .call(
            "coder_workspace_edit_file",
            json!({
                "workspace": "dev", "path": path,
                "edits": [{"old_text": "let x = 1;", "new_text": "let x = 2;"}]
            }),
        )
        .await);
    assert!(
        edited["files"][0]["diff"]
            .as_str()
            .unwrap()
            .contains("+    let x = 2;")
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("let x = 2;")
    );

    let other = format!("{}/b.txt", dir.display());
    std::fs::write(&other, "a\na\n").unwrap();
    let ambiguous = e
        .call(
            "coder_workspace_edit_files",
            json!({
                "workspace": "dev",
                "files": [
                    {"path": path, "edits": [{"old_text": "let x = 2;", "new_text": "let x = 3;"}]},
                    {"path": other, "edits": [{"old_text": "a", "new_text": "b"}]}
                ]
            }),
        )
        .await;
    assert!(err(&ambiguous).contains("2 places"));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("let x = 2;"),
        "nothing written"
    );
    ok(&e.call("coder_workspace_edit_files", json!({
        "workspace": "dev",
        "files": [
            {"path": path, "edits": [{"old_text": "let x = 2;", "new_text": "let x = 3;"}]},
            {"path": other, "edits": [{"old_text": "a", "new_text": "b", "replace_all": true}]}
        ]
    })).await);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "b\nb\n");

    let bad = e
        .call(
            "coder_workspace_write_file",
            json!({"workspace": "dev", "path": path, "content": "%%%"}),
        )
        .await;
    assert!(err(&bad).contains("/content"));
    let missing = e
        .call(
            "coder_workspace_read_file",
            json!({"workspace": "dev", "path": "/definitely/not/here"}),
        )
        .await;
    assert!(err(&missing).contains("/definitely/not/here"));
}

#[tokio::test]
async fn apps_and_port_urls() {
    let e = env().await;
    let url = ok(&e
        .call(
            "coder_workspace_port_forward",
            json!({"workspace": "dev", "port": 8080}),
        )
        .await);
    assert!(
        url["url"]
            .as_str()
            .unwrap()
            .contains("8080--main--dev--admin."),
        "{url}"
    );
    let apps = ok(&e
        .call("coder_workspace_list_apps", json!({"workspace": "dev"}))
        .await);
    assert!(!apps["apps"].as_array().unwrap().is_empty());
    let bad = e
        .call(
            "coder_workspace_port_forward",
            json!({"workspace": "dev", "port": 70000}),
        )
        .await;
    assert!(err(&bad).contains("/port"));
}
