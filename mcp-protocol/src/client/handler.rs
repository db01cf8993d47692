//! The client's side of the features a server can ask for.

use async_trait::async_trait;

use crate::error::{Error, Result};
use crate::jsonrpc::ErrorObject;
use crate::method::ServerNotification;
use crate::types::{
    CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, ListRootsResult,
};

/// What a client does when the server asks it for something (elicitation, sampling, roots)
/// or tells it something (notifications).
///
/// The same methods serve both eras: legacy servers send real requests, 2026-07-28 servers
/// return `input_required` results that the [`Client`](super::Client) answers by calling
/// these methods and retrying. Declare the matching capabilities in
/// [`ClientOptions::capabilities`](super::ClientOptions) so servers know what they may ask.
#[async_trait]
pub trait ClientHandler: Send + Sync + 'static {
    /// `elicitation/create`: ask the user. Default: declines.
    async fn elicit(&self, _params: ElicitParams) -> Result<ElicitResult> {
        Ok(ElicitResult::decline())
    }

    /// `sampling/createMessage`: ask the model. Default: unsupported.
    async fn create_message(&self, _params: CreateMessageParams) -> Result<CreateMessageResult> {
        Err(Error::Rpc(ErrorObject::method_not_found(
            "sampling/createMessage",
        )))
    }

    /// `roots/list`. Default: no roots.
    async fn list_roots(&self) -> Result<ListRootsResult> {
        Ok(ListRootsResult::default())
    }

    /// A notification from the server (progress, log message, list changes, ...).
    /// Default: ignored.
    async fn on_notification(&self, _notification: ServerNotification) {}
}

/// A [`ClientHandler`] that uses every default: declines elicitation, has no roots, cannot
/// sample, ignores notifications.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopClientHandler;

impl ClientHandler for NoopClientHandler {}
