//! `search` and `fetch`: the two tools ChatGPT's connector protocol expects.

use std::borrow::Cow;

use coder_sdk::{
    Client, Template, TemplateFilter, TemplateId, Workspace, WorkspaceFilter, WorkspaceId,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{client_tool, coder_err, parse_id};

fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn dashboard(client: &Client, path: &str) -> String {
    let base = client.url().as_str().trim_end_matches('/');
    format!("{base}{path}")
}

fn template_url(client: &Client, t: &Template) -> String {
    dashboard(client, &format!("/templates/{}", t.name))
}

fn workspace_url(client: &Client, w: &Workspace) -> String {
    dashboard(client, &format!("/@{}/{}", w.owner_name, w.name))
}

/// Arguments of `search`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// "templates/{filter}" or "workspaces/{filter}", where the filter uses Coder's search
    /// syntax (for example "workspaces/owner:me status:running"); the filter may be empty.
    pub query: String,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SearchResult {
    /// "template:{uuid}" or "workspace:{uuid}"; pass it to fetch.
    pub id: String,
    /// The object's name.
    pub title: String,
    /// A short description.
    pub text: String,
    /// The object's page in the Coder dashboard.
    pub url: String,
}

/// The hits of a search.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SearchOutput {
    /// The hits.
    pub results: Vec<SearchResult>,
}

client_tool!(
    /// `search` (ChatGPT connector).
    Search
);

impl Tool for Search {
    const NAME: &'static str = "search";
    type Input = SearchArgs;
    type Output = SearchOutput;

    fn description(&self) -> Cow<'static, str> {
        "Searches Coder templates or workspaces. The query is \"templates/<filter>\" or \
         \"workspaces/<filter>\" with a Coder search filter such as \"owner:me \
         status:running\". Fetch a hit's full details with fetch."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: SearchArgs,
    ) -> Result<Self::Output, ToolError> {
        let query = input.query.trim();
        let (kind, filter) = query.split_once('/').unwrap_or((query, ""));
        let filter = filter.trim();
        let results = match kind {
            "templates" => {
                let mut f = TemplateFilter::new();
                if !filter.is_empty() {
                    f = f.with_q(filter);
                }
                let list = self.client.templates(&f).await.map_err(Error::Coder)?;
                list.iter()
                    .map(|t| SearchResult {
                        id: format!("template:{}", t.id),
                        title: if t.display_name.is_empty() {
                            t.name.clone()
                        } else {
                            t.display_name.clone()
                        },
                        text: t.description.clone(),
                        url: template_url(&self.client, t),
                    })
                    .collect()
            }
            "workspaces" => {
                let mut f = WorkspaceFilter::new();
                if !filter.is_empty() {
                    f = f.with_q(filter);
                }
                let list = self.client.workspaces(&f).await.map_err(Error::Coder)?;
                list.workspaces
                    .iter()
                    .map(|w| SearchResult {
                        id: format!("workspace:{}", w.id),
                        title: w.name.clone(),
                        text: format!(
                            "Workspace {} of {} from template {} ({})",
                            w.name,
                            w.owner_name,
                            w.template_name,
                            w.latest_build.status.as_str()
                        ),
                        url: workspace_url(&self.client, w),
                    })
                    .collect()
            }
            other => {
                return Err(Error::invalid_arguments(format!(
                    "/query: unknown kind {other:?}; start the query with \"templates/\" or \
                     \"workspaces/\""
                )));
            }
        };
        Ok(SearchOutput { results })
    }
}

/// Arguments of `fetch`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct FetchArgs {
    /// The id of a search hit: "template:{uuid}" or "workspace:{uuid}".
    pub id: String,
}

/// A fetched object.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FetchOutput {
    /// The id that was fetched.
    pub id: String,
    /// The object's name.
    pub title: String,
    /// The whole object as JSON text.
    pub text: String,
    /// The object's page in the Coder dashboard.
    pub url: String,
    /// A few key facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

client_tool!(
    /// `fetch` (ChatGPT connector).
    Fetch
);

impl Tool for Fetch {
    const NAME: &'static str = "fetch";
    type Input = FetchArgs;
    type Output = FetchOutput;

    fn description(&self) -> Cow<'static, str> {
        "Fetches the full details of a template or workspace found with search.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: FetchArgs,
    ) -> Result<Self::Output, ToolError> {
        let (kind, id) = input.id.trim().split_once(':').ok_or_else(|| {
            Error::invalid_arguments("/id: expected \"template:<uuid>\" or \"workspace:<uuid>\"")
        })?;
        match kind {
            "template" => {
                let id: TemplateId = parse_id("id", id)?;
                let t = self
                    .client
                    .template(id)
                    .await
                    .map_err(coder_err(&format!("template {id}"), "search"))?;
                Ok(FetchOutput {
                    id: input.id.clone(),
                    title: t.display_name.clone(),
                    text: json_text(&t),
                    url: template_url(&self.client, &t),
                    metadata: Some(serde_json::json!({
                        "name": t.name, "active_version_id": t.active_version_id.to_string()
                    })),
                })
            }
            "workspace" => {
                let id: WorkspaceId = parse_id("id", id)?;
                let w = self
                    .client
                    .workspace(id)
                    .await
                    .map_err(coder_err(&format!("workspace {id}"), "search"))?;
                Ok(FetchOutput {
                    id: input.id.clone(),
                    title: w.name.clone(),
                    text: json_text(&w),
                    url: workspace_url(&self.client, &w),
                    metadata: Some(serde_json::json!({
                        "owner": w.owner_name, "template": w.template_name,
                        "status": w.latest_build.status.as_str()
                    })),
                })
            }
            other => Err(Error::invalid_arguments(format!(
                "/id: unknown kind {other:?}; expected template or workspace"
            ))),
        }
    }
}
