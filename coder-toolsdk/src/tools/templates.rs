//! Template tools: list, inspect, author (upload, version, create, promote) and delete.

use std::borrow::Cow;
use std::collections::BTreeMap;

use coder_sdk::{
    Client, CreateTemplateRequest, CreateTemplateVersionRequest, FileId, Preset, Template,
    TemplateFilter, TemplateId, TemplateVersion, TemplateVersionId, TemplateVersionParameter,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{
    CoderObject, MessageOutput, client_tool, coder_err, parse_id, parse_opt_id,
    resolve_organization,
};
use crate::tools::users::NoArgs;

/// The short form of a template that list results use.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MinimalTemplate {
    /// The template's display name.
    pub display_name: String,
    /// The template id.
    pub id: String,
    /// The template name.
    pub name: String,
    /// What the template is for.
    pub description: String,
    /// The version new workspaces use.
    pub active_version_id: String,
    /// How many users have workspaces from it.
    pub active_user_count: i64,
    /// The organization it belongs to.
    pub organization_id: String,
}

impl From<&Template> for MinimalTemplate {
    fn from(t: &Template) -> Self {
        Self {
            display_name: t.display_name.clone(),
            id: t.id.to_string(),
            name: t.name.clone(),
            description: t.description.clone(),
            active_version_id: t.active_version_id.to_string(),
            active_user_count: t.active_user_count,
            organization_id: t.organization_id.to_string(),
        }
    }
}

client_tool!(
    /// `coder_list_templates`.
    ListTemplates
);

impl Tool for ListTemplates {
    const NAME: &'static str = "coder_list_templates";
    type Input = NoArgs;
    type Output = Vec<MinimalTemplate>;

    fn description(&self) -> Cow<'static, str> {
        "Lists the templates you can create workspaces from, with their active versions.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoArgs) -> Result<Self::Output, ToolError> {
        let list = self
            .client
            .templates(&TemplateFilter::new())
            .await
            .map_err(Error::Coder)?;
        Ok(list.iter().map(MinimalTemplate::from).collect())
    }
}

/// Arguments of tools that take one template id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct TemplateIdArgs {
    /// The template's UUID (see coder_list_templates).
    pub template_id: String,
}

/// A preset: named parameter values of a template version.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TemplatePreset {
    /// The preset id (pass it as template_version_preset_id).
    pub id: String,
    /// The preset name.
    pub name: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// True for the template's default preset.
    pub default: bool,
    /// How many prebuilt workspaces are kept ready for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_prebuild_instances: Option<i64>,
    /// The parameter values it sets.
    pub parameters: Vec<PresetValue>,
}

/// One parameter value of a preset.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PresetValue {
    /// The parameter name.
    pub name: String,
    /// Its value.
    pub value: String,
}

impl From<Preset> for TemplatePreset {
    fn from(p: Preset) -> Self {
        Self {
            id: p.id.to_string(),
            name: p.name,
            description: p.description,
            default: p.default,
            desired_prebuild_instances: p.desired_prebuild_instances,
            parameters: p
                .parameters
                .into_iter()
                .map(|v| PresetValue {
                    name: v.name,
                    value: v.value,
                })
                .collect(),
        }
    }
}

/// A template with what a workspace needs: its active version's parameters and presets.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TemplateDetail {
    /// The template.
    #[serde(flatten)]
    pub template: MinimalTemplate,
    /// The rich parameters of the active version.
    pub parameters: Vec<CoderObject<TemplateVersionParameter>>,
    /// The presets of the active version (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub presets: Vec<TemplatePreset>,
}

client_tool!(
    /// `coder_get_template`.
    GetTemplate
);

impl Tool for GetTemplate {
    const NAME: &'static str = "coder_get_template";
    type Input = TemplateIdArgs;
    type Output = TemplateDetail;

    fn description(&self) -> Cow<'static, str> {
        "Returns a template with the rich parameters and presets of its active version: \
         what coder_create_workspace needs."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: TemplateIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: TemplateId = parse_id("template_id", &input.template_id)?;
        let t = self
            .client
            .template(id)
            .await
            .map_err(coder_err(&format!("template {id}"), "coder_list_templates"))?;
        if t.active_version_id.0.is_nil() {
            return Err(Error::bad_state(format!(
                "template {} has no active version",
                t.name
            )));
        }
        let parameters = self
            .client
            .template_version_rich_parameters(t.active_version_id)
            .await
            .map_err(Error::Coder)?;
        let presets = self
            .client
            .template_version_presets(t.active_version_id)
            .await
            .map_err(Error::Coder)?;
        Ok(TemplateDetail {
            template: MinimalTemplate::from(&t),
            parameters: parameters.into_iter().map(CoderObject).collect(),
            presets: presets.into_iter().map(TemplatePreset::from).collect(),
        })
    }
}

/// Arguments of tools that take one template version id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct TemplateVersionIdArgs {
    /// The template version's UUID.
    pub template_version_id: String,
}

client_tool!(
    /// `coder_template_version_parameters`.
    TemplateVersionParameters
);

impl Tool for TemplateVersionParameters {
    const NAME: &'static str = "coder_template_version_parameters";
    type Input = TemplateVersionIdArgs;
    type Output = Vec<CoderObject<TemplateVersionParameter>>;

    fn description(&self) -> Cow<'static, str> {
        "Lists the rich parameters a template version declares: names, types, options, \
         defaults and whether they are required."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: TemplateVersionIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: TemplateVersionId = parse_id("template_version_id", &input.template_version_id)?;
        let params = self
            .client
            .template_version_rich_parameters(id)
            .await
            .map_err(coder_err(
                &format!("template version {id}"),
                "coder_get_template",
            ))?;
        Ok(params.into_iter().map(CoderObject).collect())
    }
}

/// Arguments of `coder_upload_tar_file`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct UploadTarFileArgs {
    /// The files to pack, as file name to file content (for example "main.tf").
    pub files: BTreeMap<String, String>,
}

/// The id of an uploaded file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UploadOutput {
    /// The file id (pass it as file_id to coder_create_template_version).
    pub hash: String,
}

client_tool!(
    /// `coder_upload_tar_file`.
    UploadTarFile
);

impl Tool for UploadTarFile {
    const NAME: &'static str = "coder_upload_tar_file";
    type Input = UploadTarFileArgs;
    type Output = UploadOutput;

    fn description(&self) -> Cow<'static, str> {
        "Packs files (name to content) into a tar archive and uploads it to Coder. Use the \
         returned hash as file_id for coder_create_template_version."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: UploadTarFileArgs,
    ) -> Result<Self::Output, ToolError> {
        if input.files.is_empty() {
            return Err(Error::invalid_arguments("/files: give at least one file"));
        }
        let id = self
            .client
            .upload_files(input.files.iter().map(|(k, v)| (k.as_str(), v.as_bytes())))
            .await
            .map_err(Error::Coder)?;
        Ok(UploadOutput {
            hash: id.to_string(),
        })
    }
}

/// Arguments of `coder_create_template_version`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateTemplateVersionArgs {
    /// The uploaded tar file (the hash coder_upload_tar_file returned).
    pub file_id: String,
    /// The template this version belongs to; omit for a version of a new template.
    #[serde(default)]
    pub template_id: Option<String>,
    /// The organization; omit when you belong to exactly one (see coder_list_organizations).
    #[serde(default)]
    pub organization_id: Option<String>,
}

client_tool!(
    /// `coder_create_template_version`.
    CreateTemplateVersion
);

impl Tool for CreateTemplateVersion {
    const NAME: &'static str = "coder_create_template_version";
    type Input = CreateTemplateVersionArgs;
    type Output = CoderObject<TemplateVersion>;

    fn description(&self) -> Cow<'static, str> {
        "Creates a Terraform template version from an uploaded tar file. The import runs in \
         the background: read coder_get_template_version_logs to see whether the Terraform \
         is valid. A template needs a coder_agent resource (provider coder/coder) on the \
         compute it creates, with its init_script run at boot, for workspaces to connect."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: CreateTemplateVersionArgs,
    ) -> Result<Self::Output, ToolError> {
        let file: FileId = parse_id("file_id", &input.file_id)?;
        let template: Option<TemplateId> =
            parse_opt_id("template_id", input.template_id.as_deref())?;
        let org = resolve_organization(&self.client, input.organization_id.as_deref()).await?;
        let mut request =
            CreateTemplateVersionRequest::from_file(file).with_message("Created by AI");
        if let Some(t) = template {
            request = request.with_template_id(t);
        }
        self.client
            .create_template_version(org, &request)
            .await
            .map(CoderObject)
            .map_err(coder_err(
                "file or template",
                "coder_upload_tar_file or coder_list_templates",
            ))
    }
}

/// Arguments of `coder_create_template`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateTemplateArgs {
    /// The template name (letters, digits and dashes).
    pub name: String,
    /// The name people see.
    pub display_name: String,
    /// What the template is for.
    pub description: String,
    /// The imported template version to start from.
    pub version_id: String,
    /// An icon URL or path (for example /icon/docker.png).
    #[serde(default)]
    pub icon: Option<String>,
    /// The organization; omit when you belong to exactly one (see coder_list_organizations).
    #[serde(default)]
    pub organization_id: Option<String>,
}

client_tool!(
    /// `coder_create_template`.
    CreateTemplate
);

impl Tool for CreateTemplate {
    const NAME: &'static str = "coder_create_template";
    type Input = CreateTemplateArgs;
    type Output = CoderObject<Template>;

    fn description(&self) -> Cow<'static, str> {
        "Creates a template from a successfully imported template version \
         (coder_create_template_version)."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: CreateTemplateArgs,
    ) -> Result<Self::Output, ToolError> {
        let version: TemplateVersionId = parse_id("version_id", &input.version_id)?;
        let org = resolve_organization(&self.client, input.organization_id.as_deref()).await?;
        let mut request = CreateTemplateRequest::new(&input.name, version)
            .with_display_name(&input.display_name)
            .with_description(&input.description);
        if let Some(icon) = input.icon.filter(|i| !i.is_empty()) {
            request = request.with_icon(icon);
        }
        self.client
            .create_template(org, &request)
            .await
            .map(CoderObject)
            .map_err(Error::Coder)
    }
}

/// Arguments of `coder_update_template_active_version`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct UpdateActiveVersionArgs {
    /// The template's UUID.
    pub template_id: String,
    /// The version to make active.
    pub template_version_id: String,
}

client_tool!(
    /// `coder_update_template_active_version`.
    UpdateTemplateActiveVersion
);

impl Tool for UpdateTemplateActiveVersion {
    const NAME: &'static str = "coder_update_template_active_version";
    type Input = UpdateActiveVersionArgs;
    type Output = String;

    fn description(&self) -> Cow<'static, str> {
        "Makes a template version the one new workspaces (and updates) use.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: UpdateActiveVersionArgs,
    ) -> Result<Self::Output, ToolError> {
        let template: TemplateId = parse_id("template_id", &input.template_id)?;
        let version: TemplateVersionId =
            parse_id("template_version_id", &input.template_version_id)?;
        self.client
            .update_active_template_version(template, version)
            .await
            .map_err(coder_err(
                &format!("template {template}"),
                "coder_list_templates",
            ))?;
        Ok("Successfully updated active version!".into())
    }
}

client_tool!(
    /// `coder_delete_template`.
    DeleteTemplate
);

impl Tool for DeleteTemplate {
    const NAME: &'static str = "coder_delete_template";
    type Input = TemplateIdArgs;
    type Output = MessageOutput;

    fn description(&self) -> Cow<'static, str> {
        "Deletes a template for good. Coder refuses while workspaces still use it. Ask the \
         user before calling."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: TemplateIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: TemplateId = parse_id("template_id", &input.template_id)?;
        let t = self
            .client
            .template(id)
            .await
            .map_err(coder_err(&format!("template {id}"), "coder_list_templates"))?;
        ctx.confirm(&format!(
            "Delete template {} ({})? This cannot be undone.",
            t.name, t.id
        ))
        .await?;
        self.client
            .delete_template(id)
            .await
            .map_err(Error::Coder)?;
        Ok(MessageOutput::new(format!(
            "Successfully deleted template {}.",
            t.name
        )))
    }
}
