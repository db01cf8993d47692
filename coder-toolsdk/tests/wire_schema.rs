#![allow(clippy::unwrap_used, missing_docs)]
//! What the registry sends validates against the official MCP schema of every revision:
//! the full Coder `tools/list` result and typical `tools/call` results.

mod support;

use mcp_protocol::{ForRevision, ProtocolVersion};
use serde::Serialize;
use serde_json::{Value, json};
use support::env;

fn validate(rev: ProtocolVersion, definition: &str, value: &impl Serialize) {
    let path = format!(
        "{}/../mcp-protocol/tests/data/mcp-schema/{}/schema.json",
        env!("CARGO_MANIFEST_DIR"),
        rev.as_str()
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let defs = if doc.get("$defs").is_some() {
        "$defs"
    } else {
        "definitions"
    };
    doc["allOf"] = json!([{ "$ref": format!("#/{defs}/{definition}") }]);
    let validator = jsonschema::validator_for(&doc).unwrap();
    let value = serde_json::to_value(value).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(5)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} {definition}: {errors:?}",
        rev.as_str()
    );
}

#[tokio::test]
async fn tools_list_and_results_validate_in_every_revision() {
    let e = env().await;
    let ok = e.call("coder_list_workspaces", json!({})).await;
    let object = e
        .call("coder_get_workspace", json!({"workspace_id": "dev"}))
        .await;
    let failed = e
        .call("coder_get_workspace", json!({"workspace_id": "nope"}))
        .await;
    let invalid = e.call("coder_get_workspace", json!({})).await;
    for rev in ProtocolVersion::ALL {
        let mut list = e.tools.list(None).unwrap();
        list.adapt(rev);
        validate(rev, "ListToolsResult", &list);
        for r in [&ok, &object, &failed, &invalid] {
            let mut r = r.clone();
            r.adapt(rev);
            validate(rev, "CallToolResult", &r);
        }
    }
}
