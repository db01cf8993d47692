//! Opening WebSockets through the client's own `reqwest::Client`.
//!
//! The upgrade goes through reqwest, so WebSockets use the same TLS roots, proxies and
//! headers as the REST calls, and need no second TLS stack.

use http::header::{
    CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, UPGRADE,
};
use http::{StatusCode, Version};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use url::Url;

use crate::client::{Auth, Client, error_from_response};
use crate::error::{Error, Result};

/// A client-side WebSocket over an upgraded reqwest connection.
pub(crate) type WsStream = WebSocketStream<reqwest::Upgraded>;

impl Client {
    /// Performs the WebSocket handshake on `url` (an `http(s)` URL) with the given credential.
    pub(crate) async fn websocket(&self, url: Url, auth: Auth) -> Result<WsStream> {
        let headers = self.auth_headers(auth)?;
        let key = generate_key();
        let resp = self
            .http_client()
            .get(url)
            .version(Version::HTTP_11)
            .headers(headers)
            .header(CONNECTION, "Upgrade")
            .header(UPGRADE, "websocket")
            .header(SEC_WEBSOCKET_VERSION, "13")
            .header(SEC_WEBSOCKET_KEY, &key)
            .send()
            .await
            .map_err(Error::from_reqwest)?;
        let status = resp.status();
        if status != StatusCode::SWITCHING_PROTOCOLS {
            if status.is_success() {
                return Err(Error::protocol(format!(
                    "expected a WebSocket upgrade, got HTTP {}",
                    status.as_u16()
                )));
            }
            return Err(error_from_response(resp).await);
        }
        let expected = derive_accept_key(key.as_bytes());
        let accepted = resp
            .headers()
            .get(SEC_WEBSOCKET_ACCEPT)
            .and_then(|v| v.to_str().ok());
        if accepted != Some(expected.as_str()) {
            return Err(Error::protocol(
                "the server's Sec-WebSocket-Accept does not match the key",
            ));
        }
        let upgraded = resp.upgrade().await.map_err(Error::from_reqwest)?;
        Ok(WebSocketStream::from_raw_socket(upgraded, Role::Client, None).await)
    }
}
