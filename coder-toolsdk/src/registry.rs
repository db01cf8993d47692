//! [`ToolRegistry`]: the ordered set of tools a server offers.

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mcp_protocol::types::{CallToolResult, JsonObject, ListToolsResult, Tool as ToolDef};
use serde_json::Value;

use crate::context::ToolContext;
use crate::dyn_tool::{DynTool, ToolDefinition};
use crate::error::{Error, Result};
use crate::result::{error_result, success_result};
use crate::schema::wrap_output;
use crate::toolset::Toolset;

/// An input validator, compiled on the tool's first call (or by
/// [`ToolRegistry::check_schemas`]), then kept; a schema that does not compile keeps its
/// error message instead.
///
/// Compiling is lazy because it is the largest cost of building a registry: for the Coder
/// registry, compiling all 35 validators up front (each also checks its schema against the
/// meta-schema) raised `coder-mcp`'s peak RSS by about 3 MiB and ran most of the
/// `jsonschema` code at start-up, for tools a session may never call.
type LazyValidator = Arc<OnceLock<std::result::Result<Compiled, String>>>;

/// A compiled input validator, and its verdict on `{}` worked out once.
///
/// Many calls carry no arguments (`coder_get_authenticated_user`, list tools called
/// without filters). Whether `{}` is valid depends on the schema alone, so those calls reuse
/// the verdict instead of walking the validator each time: against the simulated
/// deployment that took about 0.5 us off a no-argument call (the validator's code and data
/// are cold after the REST round trip, so a walk costs several times its hot figure).
struct Compiled {
    validator: jsonschema::Validator,
    accepts_empty: bool,
}

/// One registered tool with everything computed once: definition and (on first use)
/// compiled validator.
struct Entry {
    tool: Arc<dyn DynTool>,
    definition: ToolDefinition,
    validator: LazyValidator,
}

impl Entry {
    /// The compiled validator, compiling it now if this is the first use.
    fn validator(&self) -> Result<&Compiled> {
        self.validator
            .get_or_init(|| {
                let schema = Value::Object(self.definition.tool.input_schema.clone());
                match jsonschema::validator_for(&schema) {
                    Ok(validator) => Ok(Compiled {
                        accepts_empty: validator.is_valid(&Value::Object(JsonObject::new())),
                        validator,
                    }),
                    Err(e) => {
                        let message = e.to_string();
                        tracing::error!(tool = %self.definition.tool.name, error = %message,
                            "the tool's input schema does not compile; its calls fail");
                        Err(message)
                    }
                }
            })
            .as_ref()
            .map_err(|message| Error::Schema {
                tool: self.definition.tool.name.clone(),
                message: message.clone(),
            })
    }
}

impl Clone for Entry {
    fn clone(&self) -> Self {
        Self {
            tool: Arc::clone(&self.tool),
            definition: self.definition.clone(),
            validator: Arc::clone(&self.validator),
        }
    }
}

/// An ordered set of tools: `tools/list` answers in insertion order, so clients see the
/// same list every time (prompt caches stay warm).
///
/// Build it with [`with`](Self::with), combine with [`merge`](Self::merge), narrow with
/// [`filter`](Self::filter) and [`toolset`](Self::toolset). Serve it over MCP with
/// [`ToolHandler`](crate::ToolHandler), or call tools directly with [`call`](Self::call).
#[derive(Clone, Default)]
pub struct ToolRegistry {
    entries: Vec<Entry>,
    page_size: Option<usize>,
    confirm: bool,
}

impl fmt::Debug for ToolRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolRegistry")
            .field("tools", &self.names())
            .field("page_size", &self.page_size)
            .field("confirm", &self.confirm)
            .finish()
    }
}

impl ToolRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a tool (replacing a tool of the same name in place). A tool whose definition
    /// cannot be built is a bug in that tool: it is left out and reported through
    /// `tracing`; use [`insert`](Self::insert) to get the error instead.
    #[must_use]
    pub fn with(mut self, tool: impl DynTool) -> Self {
        if let Err(e) = self.insert(tool) {
            tracing::error!(error = %e, "tool left out of the registry");
        }
        self
    }

    /// Adds a tool at run time (replacing a tool of the same name in place).
    ///
    /// The input schema is compiled into a validator on the tool's first call, not here
    /// (see [`check_schemas`](Self::check_schemas) to compile them all at once).
    ///
    /// # Errors
    /// [`Error::Schema`] when the tool's definition cannot be built.
    pub fn insert(&mut self, tool: impl DynTool) -> Result<()> {
        self.insert_arc(Arc::new(tool))
    }

    /// Adds an already shared tool.
    ///
    /// # Errors
    /// [`Error::Schema`] when the tool's definition cannot be built.
    pub fn insert_arc(&mut self, tool: Arc<dyn DynTool>) -> Result<()> {
        let definition = tool.definition()?;
        let entry = Entry {
            tool,
            definition,
            validator: Arc::default(),
        };
        self.put(entry);
        Ok(())
    }

    /// Adds an entry, or replaces the same-named one in place (keeping its position).
    fn put(&mut self, entry: Entry) {
        match self
            .entries
            .iter_mut()
            .find(|e| e.definition.tool.name == entry.definition.tool.name)
        {
            Some(slot) => *slot = entry,
            None => self.entries.push(entry),
        }
    }

    /// Compiles the input validator of every tool now (they are otherwise compiled on each
    /// tool's first call), so a schema the validator rejects shows at start-up or in a test
    /// rather than on a client's first call. Compiled validators are kept.
    ///
    /// # Errors
    /// [`Error::Schema`] for the first tool whose input schema does not compile.
    pub fn check_schemas(&self) -> Result<()> {
        self.entries
            .iter()
            .try_for_each(|e| e.validator().map(|_| ()))
    }

    /// Removes a tool; returns whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.definition.tool.name != name);
        before != self.entries.len()
    }

    /// Appends the tools of another registry (its tools replace same-named ones here).
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        for entry in other.entries {
            self.put(entry);
        }
        self
    }

    /// Keeps only the tools named in `allowed` (an allow-list such as
    /// `CODER_MCP_ALLOWED_TOOLS`), in registry order. Returns the names in the allow-list
    /// that match no tool, so a typo can be reported instead of silently hiding a tool.
    pub fn filter<I, S>(mut self, allowed: I) -> (Self, Vec<String>)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let allowed: Vec<String> = allowed
            .into_iter()
            .map(|s| s.as_ref().trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let unknown = allowed
            .iter()
            .filter(|n| !self.contains(n))
            .cloned()
            .collect();
        self.entries
            .retain(|e| allowed.contains(&e.definition.tool.name));
        (self, unknown)
    }

    /// Keeps only the tools of a [`Toolset`].
    #[must_use]
    pub fn toolset(mut self, toolset: Toolset) -> Self {
        self.entries
            .retain(|e| toolset.contains(&e.definition.tool.name));
        self
    }

    /// Sets how many tools one `tools/list` page holds (default: all in one page).
    #[must_use]
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = (size > 0).then_some(size);
        self
    }

    /// Switches on user confirmation (through elicitation) before destructive operations.
    #[must_use]
    pub fn confirm_destructive(mut self, enabled: bool) -> Self {
        self.confirm = enabled;
        self
    }

    /// True when destructive operations ask the user first.
    pub fn confirms_destructive(&self) -> bool {
        self.confirm
    }

    /// The tool names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.entries
            .iter()
            .map(|e| e.definition.tool.name.as_str())
            .collect()
    }

    /// True when a tool of this name is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.definition.tool.name == name)
    }

    /// The number of tools.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no tools.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The MCP definition of one tool.
    pub fn definition(&self, name: &str) -> Option<&ToolDef> {
        self.entry(name).map(|e| &e.definition.tool)
    }

    /// All MCP definitions, in order.
    pub fn definitions(&self) -> Vec<ToolDef> {
        self.entries
            .iter()
            .map(|e| e.definition.tool.clone())
            .collect()
    }

    /// One page of `tools/list`. The cursor is opaque to clients.
    ///
    /// # Errors
    /// [`Error::InvalidCursor`] for a cursor this registry did not issue.
    pub fn list(&self, cursor: Option<&str>) -> Result<ListToolsResult> {
        let start = match cursor {
            None => 0,
            Some(c) => decode_cursor(c)
                .filter(|s| *s <= self.entries.len())
                .ok_or_else(|| Error::InvalidCursor(c.chars().take(64).collect()))?,
        };
        let end = match self.page_size {
            Some(n) => start.saturating_add(n).min(self.entries.len()),
            None => self.entries.len(),
        };
        let tools = self.entries[start..end]
            .iter()
            .map(|e| e.definition.tool.clone())
            .collect();
        let next_cursor = (end < self.entries.len()).then(|| encode_cursor(end));
        Ok(ListToolsResult {
            tools,
            next_cursor,
            ..ListToolsResult::default()
        })
    }

    /// Calls a tool without MCP (a detached context): validation, errors as `isError`
    /// results, exactly as a client would see them.
    ///
    /// # Errors
    /// [`Error::UnknownTool`] when no tool has this name.
    pub async fn call(&self, name: &str, arguments: Value) -> Result<CallToolResult> {
        self.call_with(ToolContext::detached(), name, arguments)
            .await
    }

    /// Calls a tool in a given context (the MCP glue uses this).
    ///
    /// Arguments that are `null` count as `{}`; anything else that is not an object, or
    /// that fails the input schema, gives an `isError` result naming the field. The first
    /// call of a tool compiles its validator; a schema that does not compile gives an
    /// `isError` result with [`Error::Schema`].
    ///
    /// # Errors
    /// Only protocol errors: [`Error::UnknownTool`] and [`Error::Mcp`] (which carries the
    /// engine's `input_required` signal). Everything else is inside the result.
    pub async fn call_with(
        &self,
        ctx: ToolContext<'_>,
        name: &str,
        arguments: Value,
    ) -> Result<CallToolResult> {
        let entry = self
            .entry(name)
            .ok_or_else(|| Error::UnknownTool(name.to_owned()))?;
        let arguments = match arguments {
            Value::Null => JsonObject::new(),
            Value::Object(o) => o,
            other => {
                return Ok(error_result(&Error::invalid_arguments(format!(
                    "arguments must be a JSON object, got {other}"
                ))));
            }
        };
        let compiled = match entry.validator() {
            Ok(v) => v,
            Err(e) => return Ok(error_result(&e)),
        };
        let arguments = if arguments.is_empty() && compiled.accepts_empty {
            arguments
        } else {
            let as_value = Value::Object(arguments);
            if let Some(message) = validation_message(&compiled.validator, &as_value) {
                return Ok(error_result(&Error::InvalidArguments(message)));
            }
            let Value::Object(arguments) = as_value else {
                return Ok(error_result(&Error::invalid_arguments("not an object")));
            };
            arguments
        };
        let confirm = ctx.confirmation_enabled() || self.confirm;
        let ctx = ctx.with_confirmation(confirm);
        let outcome = ctx
            .run(entry.tool.call_json(ctx.reborrow(), arguments))
            .await;
        match outcome {
            Ok(value) => match wrap_output(value, entry.definition.wraps_output) {
                Ok(value) => Ok(success_result(value)),
                Err(e) => Ok(error_result(&e)),
            },
            Err(e) if e.is_protocol_error() => Err(e),
            Err(e) => Ok(error_result(&e)),
        }
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.definition.tool.name == name)
    }
}

/// The first schema violations, each naming where it happened.
fn validation_message(validator: &jsonschema::Validator, instance: &Value) -> Option<String> {
    // The common case (valid arguments) without building the error iterator.
    if validator.is_valid(instance) {
        return None;
    }
    let messages: Vec<String> = validator
        .iter_errors(instance)
        .take(3)
        .map(|e| {
            let path = e.instance_path().to_string();
            if path.is_empty() {
                e.to_string()
            } else {
                format!("{path}: {e}")
            }
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

const CURSOR_PREFIX: &str = "tools:";

fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{offset}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(CURSOR_PREFIX)?.parse().ok()
}
