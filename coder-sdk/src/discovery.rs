//! Finding the deployment URL and credentials the way the Coder CLI does.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Settings gathered from the environment and the CLI's config directory.
#[derive(Default)]
pub(crate) struct Discovered {
    pub(crate) url: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) agent_token: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl Discovered {
    /// Reads variables through `lookup` and files from disk.
    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let config_dir = var("CODER_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| default_config_dir(lookup));

        let url = match var("CODER_URL") {
            Some(url) => Some(url.trim().to_owned()),
            None => match &config_dir {
                Some(dir) => read_optional(&dir.join("url"))?,
                None => None,
            }
            .or_else(|| var("CODER_AGENT_URL").map(|u| u.trim().to_owned())),
        };
        let token = match var("CODER_SESSION_TOKEN") {
            Some(token) => Some(token.trim().to_owned()),
            None => match &config_dir {
                Some(dir) => read_optional(&dir.join("session"))?,
                None => None,
            },
        };
        let agent_token = match var("CODER_AGENT_TOKEN") {
            Some(token) => Some(token.trim().to_owned()),
            None => match var("CODER_AGENT_TOKEN_FILE") {
                Some(path) => Some(read_required(Path::new(path.trim()))?),
                None => None,
            },
        };
        let headers = match var("CODER_HEADER") {
            Some(raw) => parse_headers(&raw)?,
            None => Vec::new(),
        };
        Ok(Self {
            url,
            token,
            agent_token,
            headers,
        })
    }
}

/// The CLI's default config directory: `coderv2` under the OS user config directory.
pub(crate) fn default_config_dir(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    let base = if cfg!(windows) {
        var("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| Path::new(&h).join("Library").join("Application Support"))
    } else {
        var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|h| Path::new(&h).join(".config")))
    };
    base.map(|b| b.join("coderv2"))
}

/// Parses `CODER_HEADER`: comma-separated `key=value` pairs.
pub(crate) fn parse_headers(raw: &str) -> Result<Vec<(String, String)>> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (name, value) = entry.split_once('=').ok_or_else(|| {
                Error::config(format!(
                    "CODER_HEADER entries must look like key=value, got an entry without `=` ({} bytes)",
                    entry.len()
                ))
            })?;
            let name = name.trim();
            if name.is_empty() {
                return Err(Error::config("CODER_HEADER has an entry with an empty key"));
            }
            Ok((name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// Reads a small config file, trimmed; a missing file or an empty one is `None`.
fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let text = text.trim();
            Ok((!text.is_empty()).then(|| text.to_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config {
            message: format!("cannot read {}", path.display()),
            source: Some(e),
        }),
    }
}

/// Reads a file that must exist, trimmed.
fn read_required(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map(|t| t.trim().to_owned())
        .map_err(|e| Error::Config {
            message: format!("cannot read {}", path.display()),
            source: Some(e),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn environment_wins_over_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("url"), "https://from-file.example.com\n").unwrap();
        std::fs::write(dir.path().join("session"), "file-token\n").unwrap();
        let d = dir.path().to_str().unwrap();
        let found = Discovered::from_lookup(&env(&[
            ("CODER_CONFIG_DIR", d),
            ("CODER_URL", "https://from-env.example.com"),
            ("CODER_SESSION_TOKEN", "env-token"),
        ]))
        .unwrap();
        assert_eq!(found.url.as_deref(), Some("https://from-env.example.com"));
        assert_eq!(found.token.as_deref(), Some("env-token"));
    }

    #[test]
    fn files_used_when_environment_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("url"), "https://from-file.example.com\n").unwrap();
        std::fs::write(dir.path().join("session"), "  file-token \n").unwrap();
        let d = dir.path().to_str().unwrap();
        let found =
            Discovered::from_lookup(&env(&[("CODER_CONFIG_DIR", d), ("CODER_URL", "")])).unwrap();
        assert_eq!(found.url.as_deref(), Some("https://from-file.example.com"));
        assert_eq!(found.token.as_deref(), Some("file-token"));
    }

    #[test]
    fn default_config_dir_is_used() {
        let home = tempfile::tempdir().unwrap();
        let cfg = default_config_dir(&env(&[("HOME", home.path().to_str().unwrap())])).unwrap();
        std::fs::create_dir_all(&cfg).unwrap();
        std::fs::write(cfg.join("url"), "https://home.example.com").unwrap();
        let found =
            Discovered::from_lookup(&env(&[("HOME", home.path().to_str().unwrap())])).unwrap();
        assert_eq!(found.url.as_deref(), Some("https://home.example.com"));
        assert_eq!(found.token, None);
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn xdg_config_home_wins_over_home() {
        let dir =
            default_config_dir(&env(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "/xdg")])).unwrap();
        assert_eq!(dir, PathBuf::from("/xdg/coderv2"));
        let dir = default_config_dir(&env(&[("HOME", "/home/u")])).unwrap();
        assert_eq!(dir, PathBuf::from("/home/u/.config/coderv2"));
        assert_eq!(default_config_dir(&env(&[])), None);
    }

    #[test]
    fn missing_everything_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let found =
            Discovered::from_lookup(&env(&[("CODER_CONFIG_DIR", dir.path().to_str().unwrap())]))
                .unwrap();
        assert!(found.url.is_none() && found.token.is_none() && found.agent_token.is_none());
    }

    #[test]
    fn agent_token_from_env_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("agent-token");
        std::fs::write(&file, "from-file\n").unwrap();
        let f = file.to_str().unwrap();
        let found = Discovered::from_lookup(&env(&[("CODER_AGENT_TOKEN_FILE", f)])).unwrap();
        assert_eq!(found.agent_token.as_deref(), Some("from-file"));
        let found = Discovered::from_lookup(&env(&[
            ("CODER_AGENT_TOKEN", "from-env"),
            ("CODER_AGENT_TOKEN_FILE", f),
        ]))
        .unwrap();
        assert_eq!(found.agent_token.as_deref(), Some("from-env"));
        let missing = dir.path().join("nope");
        let err = Discovered::from_lookup(&env(&[(
            "CODER_AGENT_TOKEN_FILE",
            missing.to_str().unwrap(),
        )]));
        assert!(err.is_err());
    }

    #[test]
    fn header_parsing() {
        let h = parse_headers("X-One=1, X-Two = a=b ,,").unwrap();
        assert_eq!(
            h,
            vec![
                ("X-One".to_owned(), "1".to_owned()),
                ("X-Two".to_owned(), "a=b".to_owned())
            ]
        );
        assert!(parse_headers("novalue").is_err());
        assert!(parse_headers("=value").is_err());
        assert!(parse_headers("").unwrap().is_empty());
    }

    #[test]
    fn header_error_does_not_echo_value() {
        let err = parse_headers("Authorization: Bearer secret-token").unwrap_err();
        assert!(!err.to_string().contains("secret-token"));
    }
}
