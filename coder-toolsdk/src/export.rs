//! Tool definitions in the formats LLM APIs take directly, for agents that call tools
//! without MCP.

use serde_json::{Value, json};

use crate::registry::ToolRegistry;

impl ToolRegistry {
    /// Definitions in Anthropic's Messages API format: `{name, description, input_schema}`.
    pub fn to_anthropic(&self) -> Vec<Value> {
        self.definitions()
            .into_iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "description": t.description.unwrap_or_default(),
                    "input_schema": Value::Object(t.input_schema),
                })
            })
            .collect()
    }

    /// Definitions in OpenAI's function-calling format:
    /// `{type: "function", function: {name, description, parameters, strict}}`.
    ///
    /// `strict` is true only for schemas that OpenAI's strict mode accepts (every object
    /// closed and every property required); the others are sent non-strict rather than
    /// rejected.
    pub fn to_openai(&self) -> Vec<Value> {
        self.definitions()
            .into_iter()
            .map(|t| {
                let parameters = Value::Object(t.input_schema);
                let strict = is_strict_compatible(&parameters);
                json!({
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description.unwrap_or_default(),
                        "parameters": parameters,
                        "strict": strict,
                    }
                })
            })
            .collect()
    }
}

/// OpenAI strict mode: every object has `additionalProperties: false` and lists all its
/// properties in `required`.
fn is_strict_compatible(schema: &Value) -> bool {
    let Value::Object(o) = schema else {
        return true;
    };
    if let Some(Value::Object(props)) = o.get("properties") {
        if o.get("additionalProperties") != Some(&Value::Bool(false)) {
            return false;
        }
        let required: Vec<&str> = o
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if props.keys().any(|k| !required.contains(&k.as_str())) {
            return false;
        }
        if !props.values().all(is_strict_compatible) {
            return false;
        }
    } else if o.get("type").is_some_and(|t| t == "object") {
        // Maps (free-form objects) are not allowed in strict mode.
        if o.get("additionalProperties") != Some(&Value::Bool(false)) {
            return false;
        }
    }
    if o.get("items").is_some_and(|v| !is_strict_compatible(v)) {
        return false;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(items)) = o.get(key)
            && !items.iter().all(is_strict_compatible)
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness() {
        assert!(is_strict_compatible(
            &json!({"type":"object","properties":{},"additionalProperties":false})
        ));
        assert!(is_strict_compatible(
            &json!({"type":"object","properties":{"a":{"type":"string"}},
            "required":["a"],"additionalProperties":false})
        ));
        assert!(!is_strict_compatible(
            &json!({"type":"object","properties":{"a":{"type":"string"}},
            "additionalProperties":false})
        ));
        assert!(!is_strict_compatible(
            &json!({"type":"object","additionalProperties":{"type":"string"}})
        ));
    }
}
