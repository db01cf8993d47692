#![allow(clippy::unwrap_used, missing_docs)]
//! Schema snapshots of every Coder tool, and the names and required parameters checked
//! against Coder's reference table. Regenerate the snapshots with
//! `UPDATE_SNAPSHOTS=1 cargo test -p coder-toolsdk --test schemas`.

use std::path::PathBuf;

use coder_sdk::Client;
use coder_toolsdk::schema::undocumented_properties;
use coder_toolsdk::toolset::ALL_TOOL_NAMES;
use coder_toolsdk::{ToolRegistry, Toolset, coder_tools};
use serde_json::{Value, json};

fn registry() -> ToolRegistry {
    coder_tools(&Client::new("http://127.0.0.1:9", "unused-token").unwrap())
}

/// (name, required parameters, preset) from Coder's tool table, plus the two newer tools.
const REFERENCE: &[(&str, &[&str], &str)] = &[
    (
        "coder_create_template",
        &["name", "display_name", "description", "version_id"],
        "M",
    ),
    ("coder_create_template_version", &["file_id"], "M"),
    (
        "coder_create_workspace",
        &["user", "name", "rich_parameters"],
        "M",
    ),
    (
        "coder_create_workspace_build",
        &["workspace_id", "transition"],
        "D",
    ),
    ("coder_delete_template", &["template_id"], "D"),
    ("coder_list_templates", &[], "RO"),
    (
        "coder_template_version_parameters",
        &["template_version_id"],
        "RO",
    ),
    ("coder_get_template", &["template_id"], "RO"),
    ("coder_list_workspaces", &[], "RO"),
    ("coder_get_authenticated_user", &[], "RO"),
    (
        "coder_get_template_version_logs",
        &["template_version_id"],
        "RO",
    ),
    ("coder_get_workspace", &["workspace_id"], "RO"),
    (
        "coder_get_workspace_agent_logs",
        &["workspace_agent_id"],
        "RO",
    ),
    (
        "coder_get_workspace_build_logs",
        &["workspace_build_id"],
        "RO",
    ),
    ("coder_report_task", &["summary", "link", "state"], "M"),
    ("coder_upload_tar_file", &["files"], "M"),
    (
        "coder_update_template_active_version",
        &["template_id", "template_version_id"],
        "M",
    ),
    ("coder_workspace_bash", &["workspace", "command"], "D"),
    ("search", &["query"], "RO"),
    ("fetch", &["id"], "RO"),
    ("coder_workspace_ls", &["workspace", "path"], "RO"),
    ("coder_workspace_read_file", &["workspace", "path"], "RO"),
    (
        "coder_workspace_write_file",
        &["workspace", "path", "content"],
        "D",
    ),
    (
        "coder_workspace_edit_file",
        &["workspace", "path", "edits"],
        "D",
    ),
    ("coder_workspace_edit_files", &["workspace", "files"], "D"),
    ("coder_workspace_port_forward", &["workspace", "port"], "RO"),
    ("coder_workspace_list_apps", &["workspace"], "RO"),
    ("coder_create_task", &["input", "template_version_id"], "M"),
    ("coder_delete_task", &["task_id"], "D"),
    ("coder_list_tasks", &[], "RO"),
    ("coder_get_task_status", &["task_id"], "RO"),
    ("coder_send_task_input", &["task_id", "input"], "M"),
    ("coder_get_task_logs", &["task_id"], "RO"),
    ("coder_list_organizations", &[], "RO"),
    ("coder_workspace_readiness", &["workspace"], "RO"),
];

/// Optional parameters from the same table.
const OPTIONAL: &[(&str, &[&str])] = &[
    ("coder_create_template", &["icon", "organization_id"]),
    (
        "coder_create_template_version",
        &["template_id", "organization_id"],
    ),
    (
        "coder_create_workspace",
        &[
            "template_id",
            "template_version_id",
            "template_version_preset_id",
        ],
    ),
    (
        "coder_create_workspace_build",
        &[
            "template_version_id",
            "template_version_preset_id",
            "rich_parameters",
        ],
    ),
    ("coder_list_workspaces", &["owner"]),
    ("coder_workspace_bash", &["timeout_ms", "background"]),
    ("coder_workspace_read_file", &["offset", "limit"]),
    ("coder_create_task", &["template_version_preset_id", "user"]),
    ("coder_list_tasks", &["status", "user"]),
    ("coder_workspace_readiness", &["wait_ms"]),
];

#[test]
fn names_order_required_and_annotations_match_the_reference() {
    let reg = registry();
    assert_eq!(reg.names(), ALL_TOOL_NAMES);
    assert_eq!(
        reg.names(),
        REFERENCE.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    for (name, required, preset) in REFERENCE {
        let def = reg.definition(name).unwrap();
        let schema = Value::Object(def.input_schema.clone());
        let mut got: Vec<&str> = schema["required"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
            .unwrap_or_default();
        got.sort_unstable();
        let mut want = required.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "required of {name}");
        let mut props: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        props.sort_unstable();
        let mut expected: Vec<&str> = required.to_vec();
        if let Some((_, opt)) = OPTIONAL.iter().find(|(n, _)| n == name) {
            expected.extend(opt.iter());
        }
        expected.sort_unstable();
        assert_eq!(props, expected, "parameters of {name}");
        let a = def.annotations.clone().unwrap();
        let got = match (a.read_only_hint, a.destructive_hint) {
            (Some(true), _) => "RO",
            (_, Some(true)) => "D",
            _ => "M",
        };
        assert_eq!(got, *preset, "annotations of {name}");
        assert_eq!(a.open_world_hint, Some(false));
    }
}

#[test]
fn schemas_are_strict_client_friendly() {
    for def in registry().definitions() {
        let input = Value::Object(def.input_schema.clone());
        let text = input.to_string();
        assert!(
            !text.contains("$ref") && !text.contains("$defs"),
            "{}",
            def.name
        );
        assert_eq!(input["type"], "object", "{}", def.name);
        assert_eq!(input["additionalProperties"], false, "{}", def.name);
        assert!(
            input.get("$schema").is_none() && input.get("title").is_none(),
            "{}",
            def.name
        );
        assert!(
            undocumented_properties(&input).is_empty(),
            "{}: {:?}",
            def.name,
            undocumented_properties(&input)
        );
        let output = Value::Object(def.output_schema.clone().unwrap());
        assert_eq!(output["type"], "object", "{}", def.name);
        assert!(!output.to_string().contains("$ref"), "{}", def.name);
        jsonschema::validator_for(&input).unwrap();
        jsonschema::validator_for(&output).unwrap();
        assert!(!def.description.clone().unwrap().is_empty());
    }
}

#[test]
fn toolsets_have_coders_sizes() {
    assert_eq!(registry().toolset(Toolset::Standard).len(), 32);
    let baseline: Vec<&str> = REFERENCE[..33].iter().map(|r| r.0).collect();
    let (standard, _) = registry().toolset(Toolset::Standard).filter(baseline);
    assert_eq!(standard.len(), 30);
    assert_eq!(
        registry().toolset(Toolset::Chatgpt).names(),
        ["search", "fetch"]
    );
    assert_eq!(
        registry().toolset(Toolset::Agent).names(),
        ["coder_report_task"]
    );
}

#[test]
fn snapshots_match() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for def in registry().definitions() {
        let snapshot = json!({
            "name": def.name,
            "annotations": def.annotations,
            "inputSchema": def.input_schema,
            "outputSchema": def.output_schema,
        });
        let text = format!("{}\n", serde_json::to_string_pretty(&snapshot).unwrap());
        let path = dir.join(format!("{}.json", def.name));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(def.name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "schema snapshots differ (rerun with UPDATE_SNAPSHOTS=1 and review): {stale:?}"
    );
}
