//! Template versions, their parameters and presets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{FileId, OrganizationId, PresetId, TemplateId, TemplateVersionId};
use crate::jobs::ProvisionerJob;
use crate::serde_util::null_default;
use crate::users::MinimalUser;

/// One version of a template; its import job says whether it can be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateVersion {
    /// The version's id.
    pub id: TemplateVersionId,
    /// The template, once the version is attached to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// The organization.
    #[serde(default)]
    pub organization_id: OrganizationId,
    /// The version name (generated when not given).
    pub name: String,
    /// The commit-like message.
    #[serde(default)]
    pub message: String,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The import job.
    pub job: ProvisionerJob,
    /// The README shipped with the source.
    #[serde(default)]
    pub readme: String,
    /// Who created it.
    #[serde(default)]
    pub created_by: MinimalUser,
    /// Whether it is archived.
    #[serde(default)]
    pub archived: bool,
    /// Warnings about the version (for example `UNSUPPORTED_WORKSPACES`).
    #[serde(default, deserialize_with = "null_default")]
    pub warnings: Vec<String>,
    /// Whether it defines an external agent.
    #[serde(default)]
    pub has_external_agent: bool,
}

impl Default for TemplateVersion {
    fn default() -> Self {
        Self {
            id: TemplateVersionId::default(),
            template_id: None,
            organization_id: OrganizationId::default(),
            name: String::new(),
            message: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            job: ProvisionerJob::default(),
            readme: String::new(),
            created_by: MinimalUser::default(),
            archived: false,
            warnings: Vec::new(),
            has_external_agent: false,
        }
    }
}

/// Body of `POST /api/v2/organizations/{organization}/templateversions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTemplateVersionRequest {
    /// Attach the version to this template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// The version name (generated when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The commit-like message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Always `file`.
    pub storage_method: String,
    /// The uploaded tar archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<FileId>,
    /// Start from a built-in example instead of a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_id: Option<String>,
    /// `terraform` (or `echo` in Coder's own tests).
    pub provisioner: String,
    /// Provisioner tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

impl CreateTemplateVersionRequest {
    /// A Terraform version built from an uploaded file.
    pub fn from_file(file_id: FileId) -> Self {
        Self {
            template_id: None,
            name: String::new(),
            message: String::new(),
            storage_method: "file".to_owned(),
            file_id: Some(file_id),
            example_id: None,
            provisioner: "terraform".to_owned(),
            tags: BTreeMap::new(),
        }
    }

    /// Attaches the version to a template.
    #[must_use]
    pub fn with_template_id(mut self, template_id: TemplateId) -> Self {
        self.template_id = Some(template_id);
        self
    }

    /// Sets the message.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Sets the name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// A rich parameter a template version declares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateVersionParameter {
    /// The parameter name (the key in build parameters).
    pub name: String,
    /// Human-readable name.
    #[serde(default)]
    pub display_name: String,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// The description without markup.
    #[serde(default)]
    pub description_plaintext: String,
    /// `string`, `number`, `bool` or `list(string)`.
    #[serde(default, rename = "type")]
    pub param_type: String,
    /// How the dashboard shows it (`input`, `dropdown`...).
    #[serde(default)]
    pub form_type: String,
    /// Whether it may change after creation.
    #[serde(default)]
    pub mutable: bool,
    /// The default value.
    #[serde(default)]
    pub default_value: String,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
    /// Allowed values, when it is a choice.
    #[serde(default, deserialize_with = "null_default")]
    pub options: Vec<TemplateVersionParameterOption>,
    /// Regular expression the value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_regex: Option<String>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_min: Option<i64>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_max: Option<i64>,
    /// Message shown when validation fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<String>,
    /// `increasing` or `decreasing` for monotonic numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_monotonic: Option<String>,
    /// Whether a value must be given.
    #[serde(default)]
    pub required: bool,
    /// Whether it only applies to one build.
    #[serde(default)]
    pub ephemeral: bool,
}

/// One allowed value of a parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersionParameterOption {
    /// Human-readable name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// The value sent in builds.
    pub value: String,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
}

/// A named set of parameter values a template version offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    /// The preset's id.
    #[serde(rename = "ID", alias = "id")]
    pub id: PresetId,
    /// Its name.
    #[serde(rename = "Name", alias = "name")]
    pub name: String,
    /// Description.
    #[serde(default, rename = "Description", alias = "description")]
    pub description: String,
    /// Icon URL or path.
    #[serde(default, rename = "Icon", alias = "icon")]
    pub icon: String,
    /// Whether it is pre-selected.
    #[serde(default, rename = "Default", alias = "default")]
    pub default: bool,
    /// How many prebuilt workspaces to keep ready.
    #[serde(
        default,
        rename = "DesiredPrebuildInstances",
        alias = "desiredPrebuildInstances",
        skip_serializing_if = "Option::is_none"
    )]
    pub desired_prebuild_instances: Option<i64>,
    /// The parameter values it sets.
    #[serde(
        default,
        rename = "Parameters",
        alias = "parameters",
        deserialize_with = "null_default"
    )]
    pub parameters: Vec<PresetParameter>,
}

/// One parameter value of a preset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresetParameter {
    /// The parameter name.
    #[serde(rename = "Name", alias = "name")]
    pub name: String,
    /// The value.
    #[serde(rename = "Value", alias = "value")]
    pub value: String,
}

impl crate::Client {
    /// Creates (and starts importing) a template version
    /// (`POST /api/v2/organizations/{organization}/templateversions`).
    pub async fn create_template_version(
        &self,
        organization: OrganizationId,
        request: &CreateTemplateVersionRequest,
    ) -> crate::Result<TemplateVersion> {
        let url = self.endpoint(&[
            "api",
            "v2",
            "organizations",
            &organization.to_string(),
            "templateversions",
        ])?;
        self.send_json(http::Method::POST, url, request).await
    }

    /// A template version by id (`GET /api/v2/templateversions/{templateversion}`).
    pub async fn template_version(&self, id: TemplateVersionId) -> crate::Result<TemplateVersion> {
        let url = self.endpoint(&["api", "v2", "templateversions", &id.to_string()])?;
        self.get(url).await
    }

    /// The rich parameters a version declares
    /// (`GET /api/v2/templateversions/{templateversion}/rich-parameters`).
    pub async fn template_version_rich_parameters(
        &self,
        id: TemplateVersionId,
    ) -> crate::Result<Vec<TemplateVersionParameter>> {
        let url = self.endpoint(&[
            "api",
            "v2",
            "templateversions",
            &id.to_string(),
            "rich-parameters",
        ])?;
        self.get(url).await
    }

    /// The presets a version offers (`GET /api/v2/templateversions/{templateversion}/presets`).
    pub async fn template_version_presets(
        &self,
        id: TemplateVersionId,
    ) -> crate::Result<Vec<Preset>> {
        let url = self.endpoint(&["api", "v2", "templateversions", &id.to_string(), "presets"])?;
        self.get(url).await
    }
}
