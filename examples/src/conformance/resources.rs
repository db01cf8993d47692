//! The `test://` resources and the `test://template/{id}/data` template.

use mcp_protocol::server::resource_not_found;
use mcp_protocol::types::{ReadResourceResult, Resource, ResourceContents, ResourceTemplate};
use mcp_protocol::{RequestContext, Result};
use serde_json::json;

use super::media::{PNG_BASE64, PNG_MIME};

/// The text of `test://static-text`, checked verbatim by `resources-read-text`.
pub(super) const STATIC_TEXT: &str = "This is the content of the static text resource.";

const TEMPLATE_PREFIX: &str = "test://template/";
const TEMPLATE_SUFFIX: &str = "/data";

fn resource(uri: &str, name: &str, title: &str, description: &str, mime: &str) -> Resource {
    let mut r = Resource::new(uri, name);
    r.title = Some(title.into());
    r.description = Some(description.into());
    r.mime_type = Some(mime.into());
    r
}

/// The direct resources, each with the description `resources-list` requires.
pub(super) fn definitions() -> Vec<Resource> {
    vec![
        resource(
            "test://static-text",
            "static-text",
            "Static Text Resource",
            "A fixed plain-text resource",
            "text/plain",
        ),
        resource(
            "test://static-binary",
            "static-binary",
            "Static Binary Resource",
            "A fixed PNG image, served as a blob",
            PNG_MIME,
        ),
        resource(
            "test://watched-resource",
            "watched-resource",
            "Watched Resource",
            "A resource clients can subscribe to",
            "text/plain",
        ),
    ]
}

/// The one template: `test://template/{id}/data`.
pub(super) fn templates() -> Vec<ResourceTemplate> {
    vec![ResourceTemplate {
        uri_template: format!("{TEMPLATE_PREFIX}{{id}}{TEMPLATE_SUFFIX}"),
        name: "template".into(),
        title: Some("Resource Template".into()),
        description: Some("JSON data for any id, substituted into the URI".into()),
        mime_type: Some("application/json".into()),
        ..ResourceTemplate::default()
    }]
}

fn text(uri: &str, mime: &str, body: impl Into<String>) -> ReadResourceResult {
    let mut contents = ResourceContents::text(uri, body);
    set_mime(&mut contents, mime);
    ReadResourceResult {
        contents: vec![contents],
        ..ReadResourceResult::default()
    }
}

fn set_mime(contents: &mut ResourceContents, mime: &str) {
    match contents {
        ResourceContents::Text(t) => t.mime_type = Some(mime.into()),
        ResourceContents::Blob(b) => b.mime_type = Some(mime.into()),
    }
}

/// The id in a `test://template/{id}/data` URI, when `uri` matches the template.
fn template_id(uri: &str) -> Option<&str> {
    let id = uri
        .strip_prefix(TEMPLATE_PREFIX)?
        .strip_suffix(TEMPLATE_SUFFIX)?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// `resources/read`: unknown URIs get the revision's not-found error.
pub(super) fn read(ctx: &RequestContext, uri: &str) -> Result<ReadResourceResult> {
    match uri {
        "test://static-text" => Ok(text(uri, "text/plain", STATIC_TEXT)),
        "test://watched-resource" => Ok(text(uri, "text/plain", "Watched resource content")),
        "test://static-binary" => {
            let mut contents = ResourceContents::blob(uri, PNG_BASE64);
            set_mime(&mut contents, PNG_MIME);
            Ok(ReadResourceResult {
                contents: vec![contents],
                ..ReadResourceResult::default()
            })
        }
        _ => match template_id(uri) {
            Some(id) => {
                let body = json!({
                    "id": id,
                    "templateTest": true,
                    "data": format!("Data for ID: {id}"),
                });
                Ok(text(uri, "application/json", body.to_string()))
            }
            None => Err(resource_not_found(ctx, uri)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::template_id;

    #[test]
    fn matches_only_the_template_shape() {
        assert_eq!(template_id("test://template/123/data"), Some("123"));
        assert_eq!(template_id("test://template//data"), None);
        assert_eq!(template_id("test://template/1/2/data"), None);
        assert_eq!(template_id("test://static-text"), None);
    }
}
