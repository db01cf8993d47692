//! Files: tar archives uploaded as template sources.

use serde::{Deserialize, Serialize};

use crate::ids::FileId;

/// Result of `POST /api/v2/files`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadResponse {
    /// The uploaded file's id (Coder calls it `hash`).
    pub hash: FileId,
}

/// Builds an uncompressed tar archive from file names and contents.
///
/// Every entry gets mode 0644, like the archives Coder's own tools upload. Names are relative
/// paths; directories are implied by the names.
pub fn build_tar<I, N, C>(files: I) -> crate::Result<Vec<u8>>
where
    I: IntoIterator<Item = (N, C)>,
    N: AsRef<str>,
    C: AsRef<[u8]>,
{
    let mut builder = tar::Builder::new(Vec::new());
    for (name, content) in files {
        let name = name.as_ref();
        let content = content.as_ref();
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mtime(0);
        builder
            .append_data(&mut header, name, content)
            .map_err(|e| crate::Error::Config {
                message: format!("cannot add `{name}` to the tar archive"),
                source: Some(e),
            })?;
    }
    builder.into_inner().map_err(|e| crate::Error::Config {
        message: "cannot finish the tar archive".to_owned(),
        source: Some(e),
    })
}

impl crate::Client {
    /// Uploads a file (`POST /api/v2/files`); `content_type` is `application/x-tar` for
    /// template sources.
    pub async fn upload(
        &self,
        content_type: &'static str,
        content: impl Into<bytes::Bytes>,
    ) -> crate::Result<UploadResponse> {
        let url = self.endpoint(&["api", "v2", "files"])?;
        let body = crate::client::Body::Raw {
            content_type,
            bytes: content.into(),
        };
        self.json(http::Method::POST, url, body, crate::client::Auth::Session)
            .await
    }

    /// Uploads a tar archive.
    pub async fn upload_tar(&self, tar: impl Into<bytes::Bytes>) -> crate::Result<FileId> {
        Ok(self.upload("application/x-tar", tar).await?.hash)
    }

    /// Builds a tar from file names and contents (see [`build_tar`]) and uploads it.
    pub async fn upload_files<I, N, C>(&self, files: I) -> crate::Result<FileId>
    where
        I: IntoIterator<Item = (N, C)>,
        N: AsRef<str>,
        C: AsRef<[u8]>,
    {
        let tar = build_tar(files)?;
        self.upload_tar(tar).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;
    use std::io::Read;

    use super::*;

    #[test]
    fn tar_has_entries_with_mode_0644() {
        let mut files = BTreeMap::new();
        files.insert("main.tf", "resource {}".to_owned());
        files.insert("dir/readme.md", "hi".to_owned());
        let tar = build_tar(&files).unwrap();
        let mut archive = tar::Archive::new(tar.as_slice());
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            assert_eq!(entry.header().mode().unwrap(), 0o644);
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mut content = String::new();
            entry.read_to_string(&mut content).unwrap();
            seen.push((path, content));
        }
        assert_eq!(
            seen,
            vec![
                ("dir/readme.md".to_owned(), "hi".to_owned()),
                ("main.tf".to_owned(), "resource {}".to_owned())
            ]
        );
    }

    #[test]
    fn tar_rejects_absolute_or_escaping_names() {
        assert!(build_tar([("../evil", "x")]).is_err());
    }
}
