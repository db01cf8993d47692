//! `coder-mcp configure` on temporary home folders: created, merged, invalid JSON left alone.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use examples::configure::{Assistant, ConfigureError, Dirs, Entry, apply};
use serde_json::{Value, json};

fn dirs(root: &Path) -> Dirs {
    Dirs {
        home: root.join("home"),
        config: root.join("home/.config"),
    }
}

fn stdio() -> Entry {
    Entry::Stdio {
        command: "/usr/local/bin/coder-mcp".into(),
        args: vec!["server".into()],
        env: vec![(
            "CODER_MCP_ALLOWED_TOOLS".into(),
            "coder_list_workspaces".into(),
        )],
    }
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn creates_each_assistants_file_in_its_own_format() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    let cases = [
        (
            Assistant::ClaudeDesktop,
            "home/.config/Claude/claude_desktop_config.json",
            "/mcpServers/coder",
        ),
        (
            Assistant::ClaudeCode,
            "home/.claude.json",
            "/mcpServers/coder",
        ),
        (
            Assistant::Cursor,
            "home/.cursor/mcp.json",
            "/mcpServers/coder",
        ),
        (
            Assistant::Vscode,
            "home/.config/Code/User/mcp.json",
            "/servers/coder",
        ),
        (
            Assistant::Zed,
            "home/.config/zed/settings.json",
            "/context_servers/coder",
        ),
        (
            Assistant::Windsurf,
            "home/.codeium/windsurf/mcp_config.json",
            "/mcpServers/coder",
        ),
    ];
    for (assistant, file, pointer) in cases {
        let (path, _) = apply(assistant, &d, None, &stdio(), false).unwrap();
        assert_eq!(path, tmp.path().join(file));
        let entry = read(&path).pointer(pointer).cloned().unwrap();
        assert_eq!(
            entry["command"], "/usr/local/bin/coder-mcp",
            "{assistant:?}"
        );
        assert_eq!(entry["args"], json!(["server"]));
        assert_eq!(
            entry["env"]["CODER_MCP_ALLOWED_TOOLS"],
            "coder_list_workspaces"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{assistant:?}");
        }
    }
}

#[test]
fn merges_without_touching_other_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    let path = Assistant::Cursor.config_path(&d, None);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let before = json!({
        "theme": "dark",
        "mcpServers": {"github": {"command": "gh-mcp"}, "coder": {"command": "old"}}
    });
    std::fs::write(&path, before.to_string()).unwrap();
    apply(Assistant::Cursor, &d, None, &stdio(), false).unwrap();
    let after = read(&path);
    assert_eq!(after["theme"], "dark");
    assert_eq!(after["mcpServers"]["github"], json!({"command": "gh-mcp"}));
    assert_eq!(
        after["mcpServers"]["coder"]["command"],
        "/usr/local/bin/coder-mcp"
    );
    // Running it again changes nothing.
    let once = std::fs::read_to_string(&path).unwrap();
    apply(Assistant::Cursor, &d, None, &stdio(), false).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), once);
}

#[test]
fn invalid_existing_json_is_reported_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    for (assistant, contents) in [
        (Assistant::Zed, "{ // a comment\n \"theme\": 1 }"),
        (Assistant::Windsurf, "[1, 2]"),
        (Assistant::Cursor, "{\"mcpServers\": 3}"),
    ] {
        let path = assistant.config_path(&d, None);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        let err = apply(assistant, &d, None, &stdio(), false).unwrap_err();
        assert!(
            matches!(err, ConfigureError::InvalidExisting { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("left unchanged"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), contents);
    }
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    let (path, contents) = apply(Assistant::ClaudeCode, &d, None, &stdio(), true).unwrap();
    assert!(!path.exists());
    assert!(contents.contains("/usr/local/bin/coder-mcp"));
}

#[test]
fn projects_and_remote_servers() {
    let tmp = tempfile::tempdir().unwrap();
    let d = dirs(tmp.path());
    let project = tmp.path().join("repo");
    let remote = Entry::Remote {
        url: "https://coder.example.com/api/experimental/mcp/http".into(),
    };
    let (path, _) = apply(Assistant::Vscode, &d, Some(&project), &remote, false).unwrap();
    assert_eq!(path, project.join(".vscode/mcp.json"));
    assert_eq!(read(&path)["servers"]["coder"]["type"], "http");
    let (path, _) = apply(Assistant::ClaudeCode, &d, Some(&project), &stdio(), false).unwrap();
    let key = project.to_string_lossy().into_owned();
    assert_eq!(
        read(&path)["projects"][&key]["mcpServers"]["coder"]["type"],
        "stdio"
    );
    let (path, _) = apply(Assistant::Windsurf, &d, None, &remote, false).unwrap();
    assert!(read(&path)["mcpServers"]["coder"]["serverUrl"].is_string());
    let err = apply(Assistant::ClaudeDesktop, &d, None, &remote, false).unwrap_err();
    assert!(matches!(err, ConfigureError::Unsupported(_)));
}
