//! Tools that work inside a workspace, over `coder-sdk`'s `exec` on the reconnecting PTY:
//! bash, ls, read, write, edit; plus port_forward and list_apps (REST only).

use std::borrow::Cow;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use coder_sdk::exec::{ExecOptions, shell_quote};
use coder_sdk::{Client, Workspace, WorkspaceAgent};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{
    MessageOutput, client_tool, pick_agent, ready_agent, resolve_workspace,
};
use crate::tools::edit::{Replace, apply_edits, unified_diff};
use crate::workspace_ref::WorkspaceRef;

/// The default command timeout of `coder_workspace_bash`.
pub const DEFAULT_BASH_TIMEOUT_MS: u64 = 60_000;
/// The longest command timeout `coder_workspace_bash` allows.
pub const MAX_BASH_TIMEOUT_MS: u64 = 300_000;
/// The most output `coder_workspace_bash` returns (head and tail are kept).
pub const MAX_BASH_OUTPUT: usize = 256 * 1024;
/// The most bytes `coder_workspace_read_file` returns at once.
pub const MAX_READ_BYTES: u64 = 1024 * 1024;
/// The largest file the edit tools rewrite.
const MAX_EDIT_BYTES: u64 = 8 * 1024 * 1024;

fn exec_err(what: &str) -> impl FnOnce(coder_sdk::Error) -> Error + use<> {
    let what = what.to_owned();
    move |e| match e {
        coder_sdk::Error::Protocol { message } => Error::Failed(format!("{what}: {message}")),
        coder_sdk::Error::Timeout { .. } => Error::Timeout(what),
        other => Error::Coder(other),
    }
}

fn require_absolute(path: &str) -> Result<(), Error> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(Error::invalid_arguments(format!(
            "/path: {path:?} is not absolute; give a path starting with /"
        )))
    }
}

/// Arguments of `coder_workspace_bash`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct BashArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The shell command to run (bash when available, else sh).
    pub command: String,
    /// How long the command may run, in milliseconds (default 60000; values above 300000
    /// are capped at 300000).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub timeout_ms: Option<u64>,
    /// Start the command detached and return at once; its output goes to a log file.
    #[serde(default)]
    pub background: bool,
}

/// What a command printed and how it ended.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BashOutput {
    /// stdout and stderr merged (the terminal merges them), trimmed, head and tail kept
    /// when long.
    pub output: String,
    /// The exit status; 124 when the command timed out.
    pub exit_code: i32,
}

client_tool!(
    /// `coder_workspace_bash`.
    WorkspaceBash
);

impl Tool for WorkspaceBash {
    const NAME: &'static str = "coder_workspace_bash";
    type Input = BashArgs;
    type Output = BashOutput;

    fn description(&self) -> Cow<'static, str> {
        "Runs a shell command in a workspace, like `coder ssh <workspace> <command>`, and \
         returns its output and exit code. Starts a stopped workspace and waits for it, \
         which can take minutes the first time. stdout and stderr are merged; long output \
         keeps its beginning and end. Use background for servers and other long-running \
         processes."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(&self, ctx: ToolContext<'_>, input: BashArgs) -> Result<Self::Output, ToolError> {
        if input.command.trim().is_empty() {
            return Err(Error::invalid_arguments("/command: must not be empty"));
        }
        let timeout_ms = input
            .timeout_ms
            .unwrap_or(DEFAULT_BASH_TIMEOUT_MS)
            .clamp(1, MAX_BASH_TIMEOUT_MS);
        let (_, agent) = ready_agent(&self.client, &ctx, &input.workspace).await?;
        let options = ExecOptions::new()
            .with_timeout(Duration::from_millis(timeout_ms))
            .with_max_output(MAX_BASH_OUTPUT);
        let command = if input.background {
            let log = format!("/tmp/coder-bash-{}.log", uuid::Uuid::new_v4().simple());
            format!(
                "if command -v setsid >/dev/null 2>&1; then s=setsid; else s=; fi; \
                 $s nohup sh -c {cmd} </dev/null >{log} 2>&1 & \
                 echo \"Command started in background (pid $!); output goes to {log}\"",
                cmd = shell_quote(&input.command),
            )
        } else {
            input.command.clone()
        };
        let out = ctx
            .run(async {
                self.client
                    .exec(agent.id, &command, &options)
                    .await
                    .map_err(exec_err("running the command"))
            })
            .await?;
        let mut output = out.output.trim().to_owned();
        if out.timed_out {
            if !output.is_empty() {
                output.push('\n');
            }
            output.push_str(&format!(
                "Command canceled due to timeout ({timeout_ms} ms)"
            ));
        }
        Ok(BashOutput {
            output,
            exit_code: out.exit_code,
        })
    }
}

/// Arguments of `coder_workspace_ls`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct LsArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The absolute path of the directory to list.
    pub path: String,
}

/// One directory entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LsEntry {
    /// The entry's absolute path.
    pub path: String,
    /// True for a directory.
    pub is_dir: bool,
}

/// A directory listing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LsOutput {
    /// The entries, sorted by name.
    pub contents: Vec<LsEntry>,
}

client_tool!(
    /// `coder_workspace_ls`.
    WorkspaceLs
);

impl Tool for WorkspaceLs {
    const NAME: &'static str = "coder_workspace_ls";
    type Input = LsArgs;
    type Output = LsOutput;

    fn description(&self) -> Cow<'static, str> {
        "Lists a directory in a workspace (absolute path), marking subdirectories.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(&self, ctx: ToolContext<'_>, input: LsArgs) -> Result<Self::Output, ToolError> {
        require_absolute(&input.path)?;
        let (_, agent) = ready_agent(&self.client, &ctx, &input.workspace).await?;
        let command = format!(
            "cd -- {} || exit 3; for f in * .[!.]* ..?*; do \
             if [ -e \"$f\" ] || [ -L \"$f\" ]; then \
             if [ -d \"$f\" ]; then printf 'd/%s\\n' \"$f\"; else printf 'f/%s\\n' \"$f\"; fi; \
             fi; done",
            shell_quote(&input.path)
        );
        let out = ctx
            .run(async {
                self.client
                    .exec(
                        agent.id,
                        &command,
                        &ExecOptions::new().with_max_output(4 * 1024 * 1024),
                    )
                    .await
                    .map_err(exec_err("listing the directory"))
            })
            .await?;
        if out.exit_code != 0 {
            return Err(Error::NotFound(format!(
                "cannot list {}: {}",
                input.path,
                out.output.trim()
            )));
        }
        let base = input.path.trim_end_matches('/');
        let mut contents: Vec<LsEntry> = out
            .output
            .lines()
            .filter_map(|l| {
                let (kind, name) = l.split_once('/')?;
                Some(LsEntry {
                    path: format!("{base}/{name}"),
                    is_dir: kind == "d",
                })
            })
            .collect();
        contents.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(LsOutput { contents })
    }
}

/// Arguments of `coder_workspace_read_file`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ReadFileArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The absolute path of the file.
    pub path: String,
    /// Where to start reading, in bytes (default 0).
    #[serde(default)]
    pub offset: u64,
    /// How many bytes to read (default and maximum 1048576).
    #[serde(default)]
    pub limit: Option<u64>,
}

/// File content.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReadFileOutput {
    /// The bytes read, base64-encoded.
    pub content: String,
    /// The content's media type, guessed from the name and the bytes.
    #[serde(rename = "mimeType")]
    pub mime_type: String,
}

/// Guesses a media type from a file name and its first bytes.
pub(crate) fn guess_mime(path: &str, bytes: &[u8]) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let by_ext = match ext.as_deref() {
        Some("png") => Some("image/png"),
        Some("jpg" | "jpeg") => Some("image/jpeg"),
        Some("gif") => Some("image/gif"),
        Some("svg") => Some("image/svg+xml"),
        Some("pdf") => Some("application/pdf"),
        Some("json") => Some("application/json"),
        Some("html" | "htm") => Some("text/html"),
        Some("md") => Some("text/markdown"),
        Some("zip") => Some("application/zip"),
        Some("gz" | "tgz") => Some("application/gzip"),
        _ => None,
    };
    if let Some(m) = by_ext {
        return m;
    }
    if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

client_tool!(
    /// `coder_workspace_read_file`.
    WorkspaceReadFile
);

impl Tool for WorkspaceReadFile {
    const NAME: &'static str = "coder_workspace_read_file";
    type Input = ReadFileArgs;
    type Output = ReadFileOutput;

    fn description(&self) -> Cow<'static, str> {
        "Reads a file in a workspace (absolute path), up to 1 MiB at a time from a byte \
         offset. The content comes back base64-encoded with its media type."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: ReadFileArgs,
    ) -> Result<Self::Output, ToolError> {
        require_absolute(&input.path)?;
        let limit = input.limit.unwrap_or(MAX_READ_BYTES);
        if limit > MAX_READ_BYTES {
            return Err(Error::invalid_arguments(format!(
                "/limit: at most {MAX_READ_BYTES} bytes can be read at once; read in pieces \
                 with offset"
            )));
        }
        let (_, agent) = ready_agent(&self.client, &ctx, &input.workspace).await?;
        let bytes = ctx
            .run(async {
                self.client
                    .exec_read_file(agent.id, &input.path, input.offset, limit)
                    .await
                    .map_err(exec_err("reading the file"))
            })
            .await?;
        Ok(ReadFileOutput {
            mime_type: guess_mime(&input.path, &bytes).to_owned(),
            content: STANDARD.encode(&bytes),
        })
    }
}

/// Arguments of `coder_workspace_write_file`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct WriteFileArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The absolute path of the file; missing parent directories are created.
    pub path: String,
    /// The new content, base64-encoded.
    pub content: String,
}

async fn write_bytes(
    client: &Client,
    ctx: &ToolContext<'_>,
    agent: &WorkspaceAgent,
    path: &str,
    bytes: &[u8],
) -> Result<(), Error> {
    let dir = path
        .rsplit_once('/')
        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    let command = format!(
        "mkdir -p -- {} && cat > {}",
        shell_quote(dir),
        shell_quote(path)
    );
    let out = ctx
        .run(async {
            client
                .exec(agent.id, &command, &ExecOptions::new().with_stdin(bytes))
                .await
                .map_err(exec_err("writing the file"))
        })
        .await?;
    if out.exit_code != 0 {
        return Err(Error::Failed(format!(
            "cannot write {path}: {}",
            out.output.trim()
        )));
    }
    Ok(())
}

client_tool!(
    /// `coder_workspace_write_file`.
    WorkspaceWriteFile
);

impl Tool for WorkspaceWriteFile {
    const NAME: &'static str = "coder_workspace_write_file";
    type Input = WriteFileArgs;
    type Output = MessageOutput;

    fn description(&self) -> Cow<'static, str> {
        "Creates or replaces a file in a workspace (absolute path) with base64-encoded \
         content. Prefer coder_workspace_edit_file for changes to existing files."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: WriteFileArgs,
    ) -> Result<Self::Output, ToolError> {
        require_absolute(&input.path)?;
        let cleaned: String = input
            .content
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bytes = STANDARD
            .decode(cleaned)
            .map_err(|e| Error::invalid_arguments(format!("/content: not valid base64: {e}")))?;
        let (ws, agent) = ready_agent(&self.client, &ctx, &input.workspace).await?;
        ctx.confirm(&format!(
            "Write {} bytes to {} in workspace {}?",
            bytes.len(),
            input.path,
            ws.name
        ))
        .await?;
        write_bytes(&self.client, &ctx, &agent, &input.path, &bytes).await?;
        Ok(MessageOutput::new("File written successfully."))
    }
}

/// One search-and-replace in a file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct FileEdit {
    /// The text to find; matched exactly, else line by line ignoring surrounding
    /// whitespace. It must match once unless replace_all is set.
    pub old_text: String,
    /// The replacement.
    pub new_text: String,
    /// Replace every match instead of requiring exactly one.
    #[serde(default)]
    pub replace_all: bool,
}

/// Arguments of `coder_workspace_edit_file`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EditFileArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The absolute path of the file.
    pub path: String,
    /// The edits, applied in order.
    pub edits: Vec<FileEdit>,
}

/// The edits for one file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct FileEdits {
    /// The absolute path of the file.
    pub path: String,
    /// The edits, applied in order.
    pub edits: Vec<FileEdit>,
}

/// Arguments of `coder_workspace_edit_files`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct EditFilesArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The files and their edits. Nothing is written unless every edit of every file
    /// applies.
    pub files: Vec<FileEdits>,
}

/// What changed in one file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FileEditResult {
    /// The file.
    pub path: String,
    /// A unified diff of the change.
    pub diff: String,
}

/// The result of the edit tools.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EditOutput {
    /// What happened.
    pub message: String,
    /// The diff of each file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileEditResult>>,
}

async fn edit_files(
    client: &Client,
    ctx: &ToolContext<'_>,
    workspace: &str,
    files: &[FileEdits],
) -> Result<EditOutput, Error> {
    if files.is_empty() {
        return Err(Error::invalid_arguments("/files: give at least one file"));
    }
    for (i, f) in files.iter().enumerate() {
        require_absolute(&f.path).map_err(|_| {
            Error::invalid_arguments(format!("/files/{i}/path: {:?} is not absolute", f.path))
        })?;
        if f.edits.is_empty() {
            return Err(Error::invalid_arguments(format!(
                "/files/{i}/edits: give at least one edit"
            )));
        }
    }
    let (ws, agent) = ready_agent(client, ctx, workspace).await?;
    let mut planned = Vec::new();
    for f in files {
        let bytes = ctx
            .run(async {
                client
                    .exec_read_file(agent.id, &f.path, 0, MAX_EDIT_BYTES + 1)
                    .await
                    .map_err(exec_err(&format!("reading {}", f.path)))
            })
            .await?;
        if bytes.len() as u64 > MAX_EDIT_BYTES {
            return Err(Error::Failed(format!("{} is too large to edit", f.path)));
        }
        let old = String::from_utf8(bytes)
            .map_err(|_| Error::Failed(format!("{} is not a text file", f.path)))?;
        let edits: Vec<Replace<'_>> = f
            .edits
            .iter()
            .map(|e| Replace {
                old_text: &e.old_text,
                new_text: &e.new_text,
                replace_all: e.replace_all,
            })
            .collect();
        let new =
            apply_edits(&old, &edits).map_err(|m| Error::Failed(format!("{}: {m}", f.path)))?;
        planned.push((f.path.clone(), old, new));
    }
    let names: Vec<&str> = planned.iter().map(|(p, ..)| p.as_str()).collect();
    ctx.confirm(&format!(
        "Edit {} in workspace {}?",
        names.join(", "),
        ws.name
    ))
    .await?;
    let mut results = Vec::new();
    for (path, old, new) in &planned {
        if old != new {
            write_bytes(client, ctx, &agent, path, new.as_bytes()).await?;
        }
        results.push(FileEditResult {
            path: path.clone(),
            diff: unified_diff(path, old, new),
        });
    }
    Ok(EditOutput {
        message: if results.len() == 1 {
            "File edited successfully.".into()
        } else {
            format!("{} files edited successfully.", results.len())
        },
        files: Some(results),
    })
}

client_tool!(
    /// `coder_workspace_edit_file`.
    WorkspaceEditFile
);

impl Tool for WorkspaceEditFile {
    const NAME: &'static str = "coder_workspace_edit_file";
    type Input = EditFileArgs;
    type Output = EditOutput;

    fn description(&self) -> Cow<'static, str> {
        "Edits a file in a workspace by search and replace. Each old_text must match exactly \
         one place (whitespace around lines is forgiven) unless replace_all is set. Returns \
         a unified diff."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: EditFileArgs,
    ) -> Result<Self::Output, ToolError> {
        let files = [FileEdits {
            path: input.path,
            edits: input.edits,
        }];
        edit_files(&self.client, &ctx, &input.workspace, &files).await
    }
}

client_tool!(
    /// `coder_workspace_edit_files`.
    WorkspaceEditFiles
);

impl Tool for WorkspaceEditFiles {
    const NAME: &'static str = "coder_workspace_edit_files";
    type Input = EditFilesArgs;
    type Output = EditOutput;

    fn description(&self) -> Cow<'static, str> {
        "Edits several files in a workspace by search and replace, all or nothing: nothing \
         is written unless every edit applies. Returns a unified diff per file."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: EditFilesArgs,
    ) -> Result<Self::Output, ToolError> {
        edit_files(&self.client, &ctx, &input.workspace, &input.files).await
    }
}

/// Finds the workspace and agent without starting anything.
async fn lookup(client: &Client, workspace: &str) -> Result<(Workspace, WorkspaceAgent), Error> {
    let r = WorkspaceRef::parse(workspace).map_err(Error::InvalidArguments)?;
    let ws = resolve_workspace(client, &r).await?;
    let agent = pick_agent(&ws, r.agent.as_deref())?;
    Ok((ws, agent))
}

/// Arguments of `coder_workspace_port_forward`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PortForwardArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// The port a server listens on inside the workspace.
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
}

/// A URL that reaches a port.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UrlOutput {
    /// The URL, through Coder's wildcard app host.
    pub url: String,
}

client_tool!(
    /// `coder_workspace_port_forward`.
    WorkspacePortForward
);

impl Tool for WorkspacePortForward {
    const NAME: &'static str = "coder_workspace_port_forward";
    type Input = PortForwardArgs;
    type Output = UrlOutput;

    fn description(&self) -> Cow<'static, str> {
        "Returns the URL that reaches a port inside a workspace through Coder (no tunnel is \
         opened; the deployment needs a wildcard app host)."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: PortForwardArgs,
    ) -> Result<Self::Output, ToolError> {
        if input.port == 0 {
            return Err(Error::invalid_arguments(
                "/port: must be between 1 and 65535",
            ));
        }
        let (ws, agent) = lookup(&self.client, &input.workspace).await?;
        let host = wildcard_host(&self.client).await?;
        let label = format!(
            "{}--{}--{}--{}",
            input.port, agent.name, ws.name, ws.owner_name
        );
        Ok(UrlOutput {
            url: format!(
                "{}://{}",
                self.client.url().scheme(),
                host.replacen('*', &label, 1)
            ),
        })
    }
}

async fn wildcard_host(client: &Client) -> Result<String, Error> {
    let host = client.app_host().await.map_err(Error::Coder)?.host;
    if host.is_empty() || !host.contains('*') {
        return Err(Error::bad_state(
            "this Coder deployment has no wildcard app host (CODER_WILDCARD_ACCESS_URL), so \
             ports cannot be reached by URL",
        ));
    }
    Ok(host)
}

/// Arguments of `coder_workspace_list_apps`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ListAppsArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
}

/// One app of a workspace.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AppEntry {
    /// The app's display name (or slug).
    pub name: String,
    /// Where to open it.
    pub url: String,
}

/// The apps of a workspace.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AppsOutput {
    /// The apps.
    pub apps: Vec<AppEntry>,
}

client_tool!(
    /// `coder_workspace_list_apps`.
    WorkspaceListApps
);

impl Tool for WorkspaceListApps {
    const NAME: &'static str = "coder_workspace_list_apps";
    type Input = ListAppsArgs;
    type Output = AppsOutput;

    fn description(&self) -> Cow<'static, str> {
        "Lists the apps of a workspace agent (IDEs, web services) with their URLs.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: ListAppsArgs,
    ) -> Result<Self::Output, ToolError> {
        let (ws, agent) = lookup(&self.client, &input.workspace).await?;
        let base = self.client.url().as_str().trim_end_matches('/').to_owned();
        let host = if agent.apps.iter().any(|a| a.subdomain) {
            wildcard_host(&self.client).await.ok()
        } else {
            None
        };
        let apps = agent
            .apps
            .iter()
            .filter(|a| !a.hidden)
            .map(|a| {
                let name = if a.display_name.is_empty() {
                    a.slug.clone()
                } else {
                    a.display_name.clone()
                };
                let url = if a.external {
                    a.url.clone().unwrap_or_default()
                } else if let (true, Some(host)) = (a.subdomain, &host) {
                    let label = a.subdomain_name.clone().unwrap_or_else(|| {
                        format!("{}--{}--{}--{}", a.slug, agent.name, ws.name, ws.owner_name)
                    });
                    format!(
                        "{}://{}/",
                        self.client.url().scheme(),
                        host.replacen('*', &label, 1)
                    )
                } else {
                    format!(
                        "{base}/@{}/{}.{}/apps/{}/",
                        ws.owner_name, ws.name, agent.name, a.slug
                    )
                };
                AppEntry { name, url }
            })
            .collect();
        Ok(AppsOutput { apps })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_guesses() {
        assert_eq!(guess_mime("/a.png", b""), "image/png");
        assert_eq!(guess_mime("/a", b"\x89PNG...."), "image/png");
        assert_eq!(guess_mime("/a.txt", b"hello"), "text/plain");
        assert_eq!(
            guess_mime("/a.bin", &[0, 159, 146, 150]),
            "application/octet-stream"
        );
    }
}
