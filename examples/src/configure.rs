//! `coder-mcp configure <client>`: adds the Coder MCP server to an assistant's config file.
//!
//! Each assistant keeps MCP servers in its own JSON file under its own key and shape. The
//! entry is merged in: every other key and server in the file is kept, the file keeps (or
//! gets) mode 0600 because it may hold secrets, and a file that is not valid JSON is left
//! alone with an explanation rather than overwritten.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// The name the server is registered under in every config file.
pub const SERVER_NAME: &str = "coder";

/// An assistant whose config file `configure` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Assistant {
    /// Claude Desktop: `Claude/claude_desktop_config.json` in the user config dir.
    ClaudeDesktop,
    /// Claude Code: `~/.claude.json` (user scope, or the project's entry with `--project`).
    ClaudeCode,
    /// Cursor: `~/.cursor/mcp.json`, or `<project>/.cursor/mcp.json`.
    Cursor,
    /// VS Code: the user profile's `mcp.json`, or `<project>/.vscode/mcp.json`.
    Vscode,
    /// Zed: `~/.config/zed/settings.json`, key `context_servers`.
    Zed,
    /// Windsurf: `~/.codeium/windsurf/mcp_config.json`.
    Windsurf,
}

/// What the assistant should run or reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Start `command args...` and speak MCP over its stdin/stdout.
    Stdio {
        /// The program.
        command: String,
        /// Its arguments.
        args: Vec<String>,
        /// Extra environment variables.
        env: Vec<(String, String)>,
    },
    /// Reach a Streamable HTTP server at this URL (authorization by OAuth discovery).
    Remote {
        /// The MCP endpoint URL.
        url: String,
    },
}

/// Where the user's files live; passed in so tests can use a temporary home.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// The home directory.
    pub home: PathBuf,
    /// The OS user config directory (`~/.config` on Linux, `~/Library/Application
    /// Support` on macOS, `%APPDATA%` on Windows).
    pub config: PathBuf,
}

impl Dirs {
    /// The current user's directories, from the environment.
    pub fn from_env() -> Option<Self> {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)?;
        let config = if cfg!(target_os = "macos") {
            home.join("Library/Application Support")
        } else if cfg!(windows) {
            std::env::var_os("APPDATA").map_or_else(|| home.join("AppData/Roaming"), PathBuf::from)
        } else {
            std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| home.join(".config"))
        };
        Some(Self { home, config })
    }
}

/// Why a config file was not written.
#[derive(Debug)]
pub enum ConfigureError {
    /// The existing file is not valid JSON (or not a JSON object); it was left untouched.
    InvalidExisting {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// This assistant cannot be configured this way.
    Unsupported(String),
    /// Reading or writing the file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
}

impl fmt::Display for ConfigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidExisting { path, reason } => write!(
                f,
                "{} exists but is not valid JSON ({reason}); it was left unchanged. Fix or \
                 move it, then run configure again (or use --dry-run to see the entry to add)",
                path.display()
            ),
            Self::Unsupported(why) => f.write_str(why),
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for ConfigureError {}

impl Assistant {
    /// The config file to edit.
    pub fn config_path(self, dirs: &Dirs, project: Option<&Path>) -> PathBuf {
        match (self, project) {
            (Self::ClaudeDesktop, _) => dirs.config.join("Claude/claude_desktop_config.json"),
            (Self::ClaudeCode, _) => dirs.home.join(".claude.json"),
            (Self::Cursor, Some(p)) => p.join(".cursor/mcp.json"),
            (Self::Cursor, None) => dirs.home.join(".cursor/mcp.json"),
            (Self::Vscode, Some(p)) => p.join(".vscode/mcp.json"),
            (Self::Vscode, None) => dirs.config.join("Code/User/mcp.json"),
            (Self::Zed, _) => dirs.home.join(".config/zed/settings.json"),
            (Self::Windsurf, _) => dirs.home.join(".codeium/windsurf/mcp_config.json"),
        }
    }

    /// The JSON path of the object that maps server names to entries.
    fn servers_key(self, project: Option<&Path>) -> Vec<String> {
        match (self, project) {
            (Self::ClaudeCode, Some(p)) => vec![
                "projects".into(),
                p.to_string_lossy().into_owned(),
                "mcpServers".into(),
            ],
            (Self::Vscode, _) => vec!["servers".into()],
            (Self::Zed, _) => vec!["context_servers".into()],
            _ => vec!["mcpServers".into()],
        }
    }

    /// The server entry in this assistant's own shape.
    fn render(self, entry: &Entry) -> Result<Value, ConfigureError> {
        Ok(match entry {
            Entry::Stdio { command, args, env } => {
                let mut value = json!({ "command": command, "args": args });
                if !env.is_empty() {
                    let env: Map<String, Value> = env
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                        .collect();
                    value["env"] = Value::Object(env);
                }
                if matches!(self, Self::Vscode | Self::ClaudeCode) {
                    value["type"] = json!("stdio");
                }
                value
            }
            Entry::Remote { url } => match self {
                Self::ClaudeDesktop => {
                    return Err(ConfigureError::Unsupported(
                        "Claude Desktop adds remote MCP servers in its Settings > Connectors \
                         screen, not in its config file: add the URL there"
                            .into(),
                    ));
                }
                Self::ClaudeCode | Self::Vscode => json!({ "type": "http", "url": url }),
                Self::Windsurf => json!({ "serverUrl": url }),
                Self::Cursor | Self::Zed => json!({ "url": url }),
            },
        })
    }
}

/// Merges the entry into `existing` (the file's contents, if it exists) and returns the new
/// contents. Everything else in the file is kept as it was.
pub fn merge(
    assistant: Assistant,
    existing: Option<&str>,
    path: &Path,
    project: Option<&Path>,
    entry: &Entry,
) -> Result<String, ConfigureError> {
    let invalid = |reason: String| ConfigureError::InvalidExisting {
        path: path.to_owned(),
        reason,
    };
    let mut root = match existing.map(str::trim) {
        None | Some("") => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(invalid("the top level is not an object".into())),
            Err(e) => return Err(invalid(e.to_string())),
        },
    };
    let mut node = &mut root;
    for key in assistant.servers_key(project) {
        let slot = node
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        node = match slot {
            Value::Object(map) => map,
            _ => return Err(invalid(format!("`{key}` is not an object"))),
        };
    }
    node.insert(SERVER_NAME.to_owned(), assistant.render(entry)?);
    let mut text =
        serde_json::to_string_pretty(&Value::Object(root)).map_err(|e| invalid(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Reads, merges and writes the config file (mode 0600, replaced atomically). Returns the
/// path and the new contents.
pub fn apply(
    assistant: Assistant,
    dirs: &Dirs,
    project: Option<&Path>,
    entry: &Entry,
    dry_run: bool,
) -> Result<(PathBuf, String), ConfigureError> {
    let path = assistant.config_path(dirs, project);
    let io = |source| ConfigureError::Io {
        path: path.clone(),
        source,
    };
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let contents = merge(assistant, existing.as_deref(), &path, project, entry)?;
    if !dry_run {
        write_private(&path, &contents).map_err(io)?;
    }
    Ok((path, contents))
}

/// Writes through a temporary file in the same directory, then renames, so a crash never
/// leaves a half-written config behind.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("config path has no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.coder-mcp-tmp",
        path.file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy())
    ));
    std::fs::write(&tmp, contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&tmp, path)
}
