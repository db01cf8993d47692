#![allow(clippy::unwrap_used, missing_docs)]
//! Input validators are compiled on a tool's first call (or by `check_schemas`), not when
//! the tool is added: a registry with a broken schema still builds, and the breakage shows
//! where it matters.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use coder_toolsdk::{Error, FnTool, ToolRegistry};
use serde_json::{Value, json};

/// A tool counting its runs, with the given input schema.
fn counting(name: &str, schema: Value, runs: &Arc<AtomicUsize>) -> FnTool {
    let runs = Arc::clone(runs);
    FnTool::new(name, "Counts its runs.", schema, move |_args| {
        let runs = Arc::clone(&runs);
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok(json!({"ok": true}))
        }
    })
}

/// `minLength` must be a non-negative integer: the meta-schema check rejects this one.
fn broken_schema() -> Value {
    json!({"type": "object", "properties": {"x": {"type": "string", "minLength": "three"}}})
}

fn strict_schema() -> Value {
    json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}},
           "required": ["n"], "additionalProperties": false})
}

#[tokio::test]
async fn a_schema_that_does_not_compile_fails_its_calls_not_the_registry() {
    let runs = Arc::new(AtomicUsize::new(0));
    let mut reg = ToolRegistry::new();
    reg.insert(counting("broken", broken_schema(), &runs))
        .unwrap();
    reg.insert(counting("fine", strict_schema(), &runs))
        .unwrap();
    assert_eq!(reg.names(), ["broken", "fine"]);
    assert_eq!(reg.list(None).unwrap().tools.len(), 2);

    for _ in 0..2 {
        let r = reg.call("broken", json!({"x": "abc"})).await.unwrap();
        assert!(r.is_error());
        let text = r.content[0].as_text().unwrap();
        assert!(text.contains("invalid schema for tool broken"), "{text}");
    }
    let r = reg.call("fine", json!({"n": 2})).await.unwrap();
    assert_eq!(r.is_error, None);
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the broken tool never ran");
}

#[test]
fn check_schemas_names_the_first_tool_whose_schema_does_not_compile() {
    let runs = Arc::new(AtomicUsize::new(0));
    let good = ToolRegistry::new().with(counting("fine", strict_schema(), &runs));
    good.check_schemas().unwrap();

    let bad = good.with(counting("broken", broken_schema(), &runs));
    match bad.check_schemas() {
        Err(Error::Schema { tool, message }) => {
            assert_eq!(tool, "broken");
            assert!(!message.is_empty());
        }
        other => panic!("expected a schema error, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_holds_on_first_and_later_calls_and_across_clones() {
    let runs = Arc::new(AtomicUsize::new(0));
    let reg = ToolRegistry::new().with(counting("strict", strict_schema(), &runs));
    // A clone made before the first call shares the validator once it is compiled.
    let twin = reg.clone();
    for r in [&reg, &twin, &reg] {
        let bad = r.call("strict", json!({"n": 9})).await.unwrap();
        assert!(bad.is_error());
        assert!(bad.content[0].as_text().unwrap().contains("/n"));
        let extra = r.call("strict", json!({"n": 1, "m": 1})).await.unwrap();
        assert!(extra.is_error());
        let ok = r.call("strict", json!({"n": 1})).await.unwrap();
        assert_eq!(ok.is_error, None);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[test]
fn every_coder_tool_schema_compiles() {
    let client = coder_sdk::Client::new("http://127.0.0.1:9", "token").unwrap();
    let reg = coder_toolsdk::coder_tools(&client);
    assert!(reg.len() >= 30);
    reg.check_schemas().unwrap();
}
