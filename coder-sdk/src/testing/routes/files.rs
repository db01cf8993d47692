//! File uploads (`POST /api/v2/files`) and downloads.

use crate::testing::render;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::{Sim, caller};
use crate::testing::api_error::{ApiError, ApiResult, json_response, parse_uuid};
use crate::testing::auth::Principal;
use crate::testing::state::FileRec;

const ACCEPTED: [&str; 2] = ["application/x-tar", "application/zip"];

pub(crate) async fn upload(
    sim: Sim,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !ACCEPTED.contains(&content_type.as_str()) {
        return Err(ApiError::bad_request(format!(
            "Unsupported content type header {content_type:?}."
        )));
    }
    sim.update(|s| {
        let me = caller(s, p)?;
        if let Some(existing) = s
            .files
            .iter()
            .find(|f| f.created_by == me.id && f.data == body.as_ref())
        {
            let body = render::model(&crate::UploadResponse {
                hash: crate::FileId::new(existing.id),
            });
            return Ok(json_response(StatusCode::OK, body));
        }
        let id = Uuid::new_v4();
        s.files.push(FileRec {
            id,
            created_by: me.id,
            content_type,
            data: body.to_vec(),
        });
        let body = render::model(&crate::UploadResponse {
            hash: crate::FileId::new(id),
        });
        Ok(json_response(StatusCode::CREATED, body))
    })
}

pub(crate) async fn download(
    sim: Sim,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_uuid("fileID", &id)?;
    sim.read(|s| {
        caller(s, p)?;
        let file = s
            .files
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(ApiError::not_found)?;
        let mut resp: Response = file.data.clone().into_response();
        if let Ok(v) = HeaderValue::from_str(&file.content_type) {
            resp.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        Ok(resp)
    })
}
