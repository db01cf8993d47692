#![allow(clippy::unwrap_used, missing_docs)]
//! The registry without Coder: schemas, validation, errors, order, pagination, export.

use std::borrow::Cow;

use coder_toolsdk::{
    Error, FnTool, Tool, ToolContext, ToolError, ToolRegistry, Toolset, annotations,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

struct Greet;

#[derive(Deserialize, JsonSchema)]
struct GreetInput {
    /// Who to greet.
    name: String,
    /// How many exclamation marks.
    #[serde(default)]
    excitement: u8,
}

#[derive(Serialize, JsonSchema)]
struct GreetOutput {
    /// The greeting.
    greeting: String,
}

impl Tool for Greet {
    const NAME: &'static str = "greet";
    type Input = GreetInput;
    type Output = GreetOutput;

    fn description(&self) -> Cow<'static, str> {
        "Greets someone.".into()
    }

    fn annotations(&self) -> coder_toolsdk::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: GreetInput,
    ) -> Result<GreetOutput, ToolError> {
        if input.name == "nobody" {
            return Err(Error::not_found(
                "no such person: nobody; list people first",
            ));
        }
        Ok(GreetOutput {
            greeting: format!(
                "Hello, {}{}",
                input.name,
                "!".repeat(input.excitement.into())
            ),
        })
    }
}

struct Numbers;

#[derive(Deserialize, JsonSchema)]
struct NoInput {}

impl Tool for Numbers {
    const NAME: &'static str = "numbers";
    type Input = NoInput;
    type Output = Vec<u32>;

    fn description(&self) -> Cow<'static, str> {
        "Lists numbers.".into()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoInput) -> Result<Vec<u32>, ToolError> {
        Ok(vec![1, 2, 3])
    }
}

fn echo(name: &str) -> FnTool {
    FnTool::new(
        name.to_owned(),
        "Echoes.",
        json!({"type":"object","properties":{"text":{"type":"string","description":"Text."}},
               "required":["text"],"additionalProperties":false}),
        |args| async move { Ok(Value::Object(args)) },
    )
}

fn registry() -> ToolRegistry {
    ToolRegistry::new()
        .with(Greet)
        .with(Numbers)
        .with(echo("echo"))
}

#[tokio::test]
async fn calls_succeed_with_structured_and_text_content() {
    let r = registry()
        .call("greet", json!({"name": "Ada", "excitement": 2}))
        .await
        .unwrap();
    assert_eq!(r.is_error, None);
    let expected = json!({"greeting": "Hello, Ada!!"});
    let structured = r.structured_content.as_ref().unwrap();
    assert_eq!(*structured, expected);
    // A typed tool's JSON is written once: the text block is that same text.
    assert_eq!(structured.as_value(), None, "kept as serialized text");
    let text = r.content[0].as_text().unwrap();
    assert_eq!(text, structured.json());
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), expected);
    // On the wire it is the object itself, not a string holding it.
    let wire = serde_json::to_value(&r).unwrap();
    assert_eq!(wire["structuredContent"], expected);
}

#[tokio::test]
async fn non_object_outputs_are_wrapped_consistently_with_the_schema() {
    let reg = registry();
    let def = reg.definition("numbers").unwrap();
    let out = Value::Object(def.output_schema.clone().unwrap());
    assert_eq!(out["required"], json!(["result"]));
    let r = reg.call("numbers", Value::Null).await.unwrap();
    let structured = r.structured_content.as_ref().unwrap();
    assert_eq!(*structured, json!({"result": [1, 2, 3]}));
    assert_eq!(r.content[0].as_text(), Some(r#"{"result":[1,2,3]}"#));
    let validator = jsonschema::validator_for(&out).unwrap();
    assert!(validator.is_valid(&structured.to_value().unwrap()));
}

#[tokio::test]
async fn bad_arguments_are_tool_errors_naming_the_field() {
    let reg = registry();
    for (args, needle) in [
        (json!({"name": "Ada", "extra": 1}), "extra"),
        (json!({"name": 5}), "/name"),
        (json!({}), "name"),
        (json!({"name": "Ada", "excitement": 999}), "/excitement"),
        (json!([1, 2]), "object"),
    ] {
        let r = reg.call("greet", args.clone()).await.unwrap();
        assert!(r.is_error(), "{args}");
        let text = r.content[0].as_text().unwrap();
        assert!(text.starts_with("invalid arguments"), "{text}");
        assert!(text.contains(needle), "{args}: {text}");
    }
}

#[tokio::test]
async fn tool_failures_are_results_and_unknown_tools_are_errors() {
    let reg = registry();
    let r = reg.call("greet", json!({"name": "nobody"})).await.unwrap();
    assert!(r.is_error());
    assert!(r.content[0].as_text().unwrap().contains("no such person"));
    let err = reg.call("nope", json!({})).await.unwrap_err();
    assert!(matches!(err, Error::UnknownTool(ref n) if n == "nope"));
    assert!(err.is_protocol_error());
}

#[test]
fn schemas_are_strict_client_friendly() {
    let reg = registry();
    let def = reg.definition("greet").unwrap();
    let input = Value::Object(def.input_schema.clone());
    assert_eq!(input["additionalProperties"], false);
    assert_eq!(input["required"], json!(["name"]));
    assert!(input.get("$schema").is_none() && input.get("title").is_none());
    assert!(coder_toolsdk::schema::undocumented_properties(&input).is_empty());
    let none = Value::Object(reg.definition("numbers").unwrap().input_schema.clone());
    assert_eq!(
        none,
        json!({"type":"object","properties":{},"additionalProperties":false})
    );
    assert_eq!(def.annotations, Some(annotations::read_only()));
}

#[test]
fn order_merge_replace_and_filter() {
    let reg = registry().merge(ToolRegistry::new().with(echo("zzz")).with(echo("greet")));
    assert_eq!(reg.names(), ["greet", "numbers", "echo", "zzz"]);
    // "greet" was replaced in place by the echo tool.
    assert_eq!(
        reg.definition("greet").unwrap().description.as_deref(),
        Some("Echoes.")
    );
    let (filtered, unknown) = reg.filter(["zzz", "numbers", "typo"]);
    assert_eq!(filtered.names(), ["numbers", "zzz"]);
    assert_eq!(unknown, ["typo"]);
    let mut reg = registry();
    assert!(reg.remove("echo"));
    assert!(!reg.remove("echo"));
    reg.insert(echo("late")).unwrap();
    assert_eq!(reg.names(), ["greet", "numbers", "late"]);
}

#[test]
fn toolsets_select_by_name() {
    let reg = ToolRegistry::new()
        .with(echo("search"))
        .with(echo("fetch"))
        .with(echo("coder_report_task"))
        .with(echo("coder_list_workspaces"));
    assert_eq!(
        reg.clone().toolset(Toolset::Standard).names(),
        ["coder_list_workspaces"]
    );
    assert_eq!(
        reg.clone().toolset(Toolset::Chatgpt).names(),
        ["search", "fetch"]
    );
    assert_eq!(
        reg.clone().toolset(Toolset::Agent).names(),
        ["coder_report_task"]
    );
    assert_eq!(reg.toolset(Toolset::All).len(), 4);
}

#[test]
fn pagination_walks_every_tool_once_and_rejects_bad_cursors() {
    let reg = (0..7)
        .fold(ToolRegistry::new(), |r, i| r.with(echo(&format!("t{i}"))))
        .page_size(3);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let page = reg.list(cursor.as_deref()).unwrap();
        assert!(page.tools.len() <= 3);
        seen.extend(page.tools.into_iter().map(|t| t.name));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, reg.names());
    for bad in ["garbage!", "dG9vbHM6OTk", ""] {
        assert!(
            matches!(reg.list(Some(bad)), Err(Error::InvalidCursor(_))),
            "{bad}"
        );
    }
    assert!(registry().list(None).unwrap().next_cursor.is_none());
}

#[test]
fn export_formats() {
    let reg = registry();
    let a = reg.to_anthropic();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["name"], "greet");
    assert_eq!(a[0]["input_schema"]["type"], "object");
    let o = reg.to_openai();
    assert_eq!(o[2]["type"], "function");
    assert_eq!(o[2]["function"]["name"], "echo");
    assert_eq!(o[2]["function"]["strict"], true);
    // `excitement` is optional, so strict mode cannot take the greet schema.
    assert_eq!(o[0]["function"]["strict"], false);
    assert_eq!(o[0]["function"]["parameters"]["required"], json!(["name"]));
}

#[tokio::test]
async fn fn_tools_run_with_validation() {
    let reg = registry();
    let r = reg.call("echo", json!({"text": "hi"})).await.unwrap();
    assert_eq!(r.structured_content.unwrap(), json!({"text": "hi"}));
    let r = reg.call("echo", json!({"text": 1})).await.unwrap();
    assert!(r.is_error());
}

/// Sends on drop, so a test can see that a cancelled call dropped the tool's work.
struct DropSignal(Option<tokio::sync::oneshot::Sender<()>>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

#[tokio::test]
async fn cancellation_stops_the_tool_and_drops_its_work() {
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let (dropped_tx, dropped_rx) = tokio::sync::oneshot::channel::<()>();
    let slots = std::sync::Mutex::new(Some((started_tx, dropped_tx)));
    let slow = FnTool::new(
        "slow",
        "Never ends.",
        json!({"type": "object"}),
        move |_| {
            let slot = slots.lock().unwrap().take();
            async move {
                let Some((started, dropped)) = slot else {
                    return Ok(Value::Null);
                };
                let _guard = DropSignal(Some(dropped));
                let _ = started.send(());
                std::future::pending::<()>().await;
                Ok(Value::Null)
            }
        },
    );
    let reg = ToolRegistry::new().with(slow);
    let token = tokio_util::sync::CancellationToken::new();
    let ctx = ToolContext::detached().with_cancellation(token.clone());
    let call = tokio::spawn(async move { reg.call_with(ctx, "slow", json!({})).await });
    started_rx.await.unwrap();
    token.cancel();
    let r = call.await.unwrap().unwrap();
    assert!(r.is_error());
    assert!(r.content[0].as_text().unwrap().contains("cancelled"));
    dropped_rx.await.unwrap();
}

#[tokio::test]
async fn empty_arguments_get_the_schemas_verdict_on_every_call() {
    // `{}` is judged once per tool and the verdict reused: check it is the schema's, for
    // schemas that accept `{}` and schemas that do not, on first and later calls.
    let picky = FnTool::new(
        "picky",
        "Wants at least one argument.",
        json!({"type": "object", "properties": {"a": {"type": "string", "description": "A."}},
               "minProperties": 1}),
        |_args| async move { Ok(json!({"ran": true})) },
    );
    let reg = registry().with(picky);
    for _ in 0..2 {
        for args in [json!({}), Value::Null] {
            let r = reg.call("numbers", args.clone()).await.unwrap();
            assert!(!r.is_error(), "numbers {args}: {:?}", r.content);
            let r = reg.call("greet", args.clone()).await.unwrap();
            assert!(r.is_error(), "greet {args}");
            assert!(r.content[0].as_text().unwrap().contains("name"));
            let r = reg.call("picky", args.clone()).await.unwrap();
            assert!(r.is_error(), "picky {args}");
        }
        let r = reg.call("picky", json!({"a": "x"})).await.unwrap();
        assert_eq!(r.structured_content.unwrap(), json!({"ran": true}));
    }
}
