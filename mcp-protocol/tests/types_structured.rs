//! `StructuredContent`: JSON kept as a tree or as serialized text reads, compares, travels
//! and adapts to older revisions the same either way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use mcp_protocol::types::{CallToolResult, Content, StructuredContent};
use mcp_protocol::{ForRevision, ProtocolVersion};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use support::schema::{REVISIONS, validate};

#[derive(Serialize)]
struct Weather {
    city: &'static str,
    celsius: i32,
    tags: Vec<&'static str>,
}

fn weather() -> Weather {
    Weather {
        city: "Oslo",
        celsius: -3,
        tags: vec!["snow"],
    }
}

fn weather_json() -> Value {
    json!({"city": "Oslo", "celsius": -3, "tags": ["snow"]})
}

#[test]
fn serialized_text_reads_like_the_tree() {
    let raw = StructuredContent::from_serialize(&weather()).unwrap();
    let tree = StructuredContent::from(weather_json());
    assert_eq!(
        raw.json(),
        r#"{"city":"Oslo","celsius":-3,"tags":["snow"]}"#
    );
    // The text keeps the struct's field order; a tree's keys come out sorted.
    assert_eq!(
        tree.json(),
        r#"{"celsius":-3,"city":"Oslo","tags":["snow"]}"#
    );
    assert_eq!(raw.to_string(), raw.json());
    assert_eq!(tree.to_string(), tree.json());
    assert_eq!(raw.to_json_string(), raw.json());
    assert_eq!(raw.as_value(), None);
    assert_eq!(tree.as_value(), Some(&weather_json()));
    assert_eq!(raw.to_value().unwrap(), weather_json());
    assert_eq!(raw.clone().into_value().unwrap(), weather_json());
    assert_eq!(tree.clone().into_value().unwrap(), weather_json());
    assert!(raw.is_object() && tree.is_object());
    assert!(!StructuredContent::from_serialize(&[1]).unwrap().is_object());
    assert!(!StructuredContent::from(json!("{")).is_object());
}

#[test]
fn equality_is_of_the_json_not_of_the_form() {
    let raw = StructuredContent::from_serialize(&weather()).unwrap();
    assert_eq!(raw, StructuredContent::from(weather_json()));
    assert_eq!(StructuredContent::from(weather_json()), raw);
    assert_eq!(raw, weather_json());
    // Key order and spacing do not matter.
    let reordered: Box<RawValue> =
        serde_json::from_str(r#"{ "tags": ["snow"], "celsius": -3, "city": "Oslo" }"#).unwrap();
    assert_eq!(StructuredContent::from(reordered), raw);
    assert_ne!(raw, StructuredContent::from(json!({"city": "Oslo"})));
    assert_ne!(raw, json!([1]));
}

#[test]
fn text_goes_to_the_wire_verbatim_and_comes_back_as_a_tree() {
    let result = CallToolResult::structured(StructuredContent::from_serialize(&weather()).unwrap());
    // The text block is the same JSON text.
    assert_eq!(
        result.content,
        vec![Content::text(
            r#"{"city":"Oslo","celsius":-3,"tags":["snow"]}"#
        )]
    );
    let wire = serde_json::to_string(&result).unwrap();
    assert!(
        wire.contains(r#""structuredContent":{"city":"Oslo","celsius":-3,"tags":["snow"]}"#),
        "{wire}"
    );
    // Through a `Value` (what transports that buffer a `Value` do) it is the object too.
    assert_eq!(
        serde_json::to_value(&result).unwrap()["structuredContent"],
        weather_json()
    );
    let back: CallToolResult = serde_json::from_str(&wire).unwrap();
    let structured = back.structured_content.as_ref().unwrap();
    assert_eq!(structured.as_value(), Some(&weather_json()));
    assert_eq!(back, result);
}

#[test]
fn serialized_text_adapts_to_every_revision() {
    let object = CallToolResult::structured(StructuredContent::from_serialize(&weather()).unwrap());
    let array = CallToolResult::structured(StructuredContent::from_serialize(&[1, 2]).unwrap());
    for rev in REVISIONS {
        let v: ProtocolVersion = rev.parse().unwrap();
        for r in [&object, &array] {
            let adapted = serde_json::to_value(r.clone().for_revision(v)).unwrap();
            validate(rev, "CallToolResult", &adapted).unwrap();
        }
    }
    // Before 2025-06-18 the JSON is only text; the text block that carries it is not doubled.
    let old = object.clone().for_revision(ProtocolVersion::V2025_03_26);
    assert!(old.structured_content.is_none());
    assert_eq!(old.content, object.content);
    // Until 2026-07-28 only objects may be structured content.
    let arr = array.clone().for_revision(ProtocolVersion::V2025_11_25);
    assert!(arr.structured_content.is_none());
    assert_eq!(arr.content[0].as_text(), Some("[1,2]"));
    let latest = array.for_revision(ProtocolVersion::LATEST);
    assert_eq!(latest.structured_content.unwrap(), json!([1, 2]));
    // Bare structured text (no text block) gets one, written from the text as it is.
    let bare = CallToolResult {
        structured_content: Some(StructuredContent::from_serialize(&weather()).unwrap()),
        ..CallToolResult::default()
    }
    .for_revision(ProtocolVersion::V2024_11_05);
    assert_eq!(
        bare.content[0].as_text(),
        Some(r#"{"city":"Oslo","celsius":-3,"tags":["snow"]}"#)
    );
}

#[test]
fn a_value_stays_a_one_liner() {
    let r = CallToolResult::structured(json!({"a": 1}));
    assert_eq!(r.content[0].as_text(), Some(r#"{"a":1}"#));
    assert_eq!(
        r.structured_content.unwrap().as_value(),
        Some(&json!({"a": 1}))
    );
}

#[test]
fn unserializable_values_are_errors_not_panics() {
    let mut map = std::collections::HashMap::new();
    map.insert((1, 2), "tuple keys are not JSON");
    assert!(StructuredContent::from_serialize(&map).is_err());
}
