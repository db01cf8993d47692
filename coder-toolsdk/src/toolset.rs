//! Toolsets: named subsets of the Coder tools, as Coder's HTTP endpoint offers them.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Every Coder tool name, in Coder's registry order (`toolsdk.All`), followed by the two
/// tools added upstream after it.
pub const ALL_TOOL_NAMES: [&str; 35] = [
    "coder_create_template",
    "coder_create_template_version",
    "coder_create_workspace",
    "coder_create_workspace_build",
    "coder_delete_template",
    "coder_list_templates",
    "coder_template_version_parameters",
    "coder_get_template",
    "coder_list_workspaces",
    "coder_get_authenticated_user",
    "coder_get_template_version_logs",
    "coder_get_workspace",
    "coder_get_workspace_agent_logs",
    "coder_get_workspace_build_logs",
    "coder_report_task",
    "coder_upload_tar_file",
    "coder_update_template_active_version",
    "coder_workspace_bash",
    "search",
    "fetch",
    "coder_workspace_ls",
    "coder_workspace_read_file",
    "coder_workspace_write_file",
    "coder_workspace_edit_file",
    "coder_workspace_edit_files",
    "coder_workspace_port_forward",
    "coder_workspace_list_apps",
    "coder_create_task",
    "coder_delete_task",
    "coder_list_tasks",
    "coder_get_task_status",
    "coder_send_task_input",
    "coder_get_task_logs",
    "coder_list_organizations",
    "coder_workspace_readiness",
];

/// The tools of the ChatGPT connector toolset.
pub const CHATGPT_TOOL_NAMES: [&str; 2] = ["search", "fetch"];

/// The tools meant for an AI agent running inside a workspace (reporting its status to the
/// Coder dashboard with the agent token).
pub const AGENT_TOOL_NAMES: [&str; 1] = ["coder_report_task"];

/// A named subset of the Coder tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Toolset {
    /// Coder's default: everything except `coder_report_task`, `search` and `fetch`.
    #[default]
    Standard,
    /// Only `search` and `fetch` (ChatGPT rejects connectors with more tools).
    Chatgpt,
    /// The agent-context tools (`coder_report_task`).
    Agent,
    /// Every tool.
    All,
}

impl Toolset {
    /// True when the toolset includes the tool of this name. Tools that are not Coder
    /// tools (your own) belong to `Standard` and `All`.
    pub fn contains(self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Chatgpt => CHATGPT_TOOL_NAMES.contains(&name),
            Self::Agent => AGENT_TOOL_NAMES.contains(&name),
            Self::Standard => {
                !CHATGPT_TOOL_NAMES.contains(&name) && !AGENT_TOOL_NAMES.contains(&name)
            }
        }
    }

    /// The toolset's name as used in the `toolset` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Chatgpt => "chatgpt",
            Self::Agent => "agent",
            Self::All => "all",
        }
    }
}

impl fmt::Display for Toolset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Toolset {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "standard" | "" => Ok(Self::Standard),
            "chatgpt" => Ok(Self::Chatgpt),
            "agent" => Ok(Self::Agent),
            "all" => Ok(Self::All),
            other => Err(Error::invalid_arguments(format!(
                "invalid toolset {other:?}: use standard, chatgpt, agent or all"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_has_coders_thirty_three_minus_three() {
        let baseline = &ALL_TOOL_NAMES[..33];
        assert_eq!(
            baseline
                .iter()
                .filter(|n| Toolset::Standard.contains(n))
                .count(),
            30
        );
        assert!(
            Toolset::Chatgpt.contains("fetch") && !Toolset::Chatgpt.contains("coder_get_workspace")
        );
        assert!(Toolset::Agent.contains("coder_report_task"));
        assert_eq!(
            "chatgpt".parse::<Toolset>().unwrap_or_default(),
            Toolset::Chatgpt
        );
        assert!("nope".parse::<Toolset>().is_err());
    }
}
