//! Who am I, and which organizations do I belong to.

use std::borrow::Cow;

use coder_sdk::{Client, Organization, User};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::CoderObject;

/// Arguments of tools that take none.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct NoArgs {}

/// `coder_get_authenticated_user`: the user the credentials belong to.
#[derive(Debug, Clone)]
pub struct GetAuthenticatedUser {
    client: Client,
}

impl GetAuthenticatedUser {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for GetAuthenticatedUser {
    const NAME: &'static str = "coder_get_authenticated_user";
    type Input = NoArgs;
    type Output = CoderObject<User>;

    fn description(&self) -> Cow<'static, str> {
        "Returns the Coder user these credentials belong to (username, id, roles, \
         organizations). Call it to learn who \"me\" is before acting for the user."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoArgs) -> Result<Self::Output, ToolError> {
        self.client
            .me()
            .await
            .map(CoderObject)
            .map_err(Error::Coder)
    }
}

/// `coder_list_organizations`: the organizations the user belongs to.
#[derive(Debug, Clone)]
pub struct ListOrganizations {
    client: Client,
}

impl ListOrganizations {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for ListOrganizations {
    const NAME: &'static str = "coder_list_organizations";
    type Input = NoArgs;
    type Output = Vec<CoderObject<Organization>>;

    fn description(&self) -> Cow<'static, str> {
        "Lists the organizations the user belongs to, with their ids. Template tools need an \
         organization_id when the user belongs to more than one."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoArgs) -> Result<Self::Output, ToolError> {
        let orgs = self
            .client
            .organizations_by_user("me")
            .await
            .map_err(Error::Coder)?;
        Ok(orgs.into_iter().map(CoderObject).collect())
    }
}
