//! Reads `coder_parameter` blocks out of an uploaded Terraform tar, so a template version
//! created from a file gets the rich parameters its source declares.
//!
//! This is a line-based reader for the common layout (`key = value` on their own lines,
//! `option { ... }` blocks), not an HCL parser.

use std::io::Read;

use super::state::{ParamOption, ParamRec};

/// The Terraform sources (`*.tf`) in a tar, as (path, text).
fn tf_files(data: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut archive = tar::Archive::new(data);
    let entries = archive.entries().map_err(|e| format!("read tar: {e}"))?;
    let mut out = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("read tar entry: {e}"))?;
        let path = entry
            .path()
            .map_err(|e| format!("tar entry path: {e}"))?
            .to_string_lossy()
            .into_owned();
        if path.ends_with(".tf") {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .map_err(|e| format!("read {path}: {e}"))?;
            out.push((path, text));
        }
    }
    Ok(out)
}

fn unquote(value: &str) -> String {
    let v = value.trim().trim_end_matches(',');
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .to_owned()
}

fn key_value(line: &str) -> Option<(&str, String)> {
    let (k, v) = line.split_once('=')?;
    Some((k.trim(), unquote(v)))
}

/// Checks the tar and returns the parameters it declares; an error when it is not a tar or
/// holds no Terraform file (the import then fails, as Coder's would).
pub(crate) fn scan(data: &[u8]) -> Result<Vec<ParamRec>, String> {
    let files = tf_files(data)?;
    if files.is_empty() {
        return Err("no Terraform (*.tf) files found in the uploaded archive".into());
    }
    let mut params = Vec::new();
    for (_, text) in files {
        let mut current: Option<ParamRec> = None;
        let mut option: Option<ParamOption> = None;
        let mut depth = 0i32;
        for raw in text.lines() {
            let line = raw.trim();
            if current.is_none() {
                if let Some(rest) = line.strip_prefix("data \"coder_parameter\"") {
                    let label = unquote(rest.trim_end_matches('{').trim());
                    current = Some(ParamRec {
                        name: label,
                        display_name: String::new(),
                        description: String::new(),
                        kind: "string".into(),
                        default_value: String::new(),
                        mutable: false,
                        required: true,
                        options: Vec::new(),
                    });
                    depth = 1;
                }
                continue;
            }
            if line.starts_with("option") && line.ends_with('{') {
                option = Some(ParamOption {
                    name: String::new(),
                    value: String::new(),
                    description: String::new(),
                });
                depth += 1;
                continue;
            }
            if line == "}" {
                depth -= 1;
                if let (Some(o), Some(p)) = (option.take(), current.as_mut()) {
                    p.options.push(o);
                    continue;
                }
                if depth == 0
                    && let Some(p) = current.take()
                {
                    params.push(p);
                }
                continue;
            }
            let Some((key, value)) = key_value(line) else {
                continue;
            };
            if let Some(o) = option.as_mut() {
                match key {
                    "name" => o.name = value,
                    "value" => o.value = value,
                    "description" => o.description = value,
                    _ => {}
                }
            } else if let Some(p) = current.as_mut() {
                match key {
                    "name" => p.name = value,
                    "display_name" => p.display_name = value,
                    "description" => p.description = value,
                    "type" => p.kind = value,
                    "default" => {
                        p.default_value = value;
                        p.required = false;
                    }
                    "mutable" => p.mutable = value == "true",
                    _ => {}
                }
            }
        }
    }
    Ok(params)
}
