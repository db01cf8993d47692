//! Watching a coder/agentapi server (`--ai-agentapi-url`): its screen tells more reliably
//! than the model whether the agent is busy. A settled screen reports `idle`; a changing
//! screen or a new user message reports `working`. Summary and link carry over from the
//! agent's own last report.

use std::time::Duration;

use coder_sdk::WorkspaceAppStatusState;
use coder_toolsdk::tools::{TaskReport, TaskReporter};
use futures::StreamExt as _;

/// The first and the longest wait before reconnecting to the event stream.
const BACKOFF: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(30));

/// What a screen event means for the task's state, if anything.
pub fn state_for(event: &str, data: &str) -> Option<WorkspaceAppStatusState> {
    let data: serde_json::Value = serde_json::from_str(data).ok()?;
    match event {
        "status_change" => Some(match data.get("status")?.as_str()? {
            "stable" => WorkspaceAppStatusState::Idle,
            _ => WorkspaceAppStatusState::Working,
        }),
        "message_update" if data.get("role")?.as_str()? == "user" => {
            Some(WorkspaceAppStatusState::Working)
        }
        _ => None,
    }
}

/// Takes the complete events (`event` name, `data`) off the front of `buffer`.
pub fn take_events(buffer: &mut String) -> Vec<(String, String)> {
    let mut events = Vec::new();
    while let Some(end) = buffer.find("\n\n") {
        let block: String = buffer.drain(..end + 2).collect();
        let (mut name, mut data) = (String::from("message"), String::new());
        for line in block.lines() {
            if let Some(value) = line.strip_prefix("event:") {
                name = value.trim().to_owned();
            } else if let Some(value) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(value.strip_prefix(' ').unwrap_or(value));
            }
        }
        if !data.is_empty() {
            events.push((name, data));
        }
    }
    events
}

/// Follows one connection to `{url}/events` until it ends, reporting what the screen shows.
pub async fn watch_once(
    http: &reqwest::Client,
    url: &str,
    reporter: &TaskReporter,
) -> Result<(), String> {
    let events_url = format!("{}/events", url.trim_end_matches('/'));
    let response = http
        .get(&events_url)
        .header("accept", "text/event-stream")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.without_url().to_string())?;
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| e.without_url().to_string())?;
        buffer.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
        for (event, data) in take_events(&mut buffer) {
            let Some(state) = state_for(&event, &data) else {
                continue;
            };
            let report = TaskReport {
                state,
                summary: String::new(),
                link: String::new(),
            };
            if let Err(e) = reporter.report(report).await {
                tracing::warn!("could not report the screen status: {e}");
            }
        }
    }
    Ok(())
}

/// Watches for the life of the process, reconnecting with backoff.
pub fn spawn(url: String, reporter: TaskReporter) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let mut wait = BACKOFF.0;
        loop {
            match watch_once(&http, &url, &reporter).await {
                Ok(()) => wait = BACKOFF.0,
                Err(e) => tracing::warn!("screen events from {url}: {e}"),
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(BACKOFF.1);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_events_map_to_states() {
        let stable = r#"{"status":"stable"}"#;
        assert_eq!(
            state_for("status_change", stable),
            Some(WorkspaceAppStatusState::Idle)
        );
        let running = r#"{"status":"running"}"#;
        assert_eq!(
            state_for("status_change", running),
            Some(WorkspaceAppStatusState::Working)
        );
        let user = r#"{"id":3,"role":"user","message":"hi"}"#;
        assert_eq!(
            state_for("message_update", user),
            Some(WorkspaceAppStatusState::Working)
        );
        let agent = r#"{"id":4,"role":"agent","message":"hello"}"#;
        assert_eq!(state_for("message_update", agent), None);
        assert_eq!(state_for("status_change", "not json"), None);
    }

    #[test]
    fn events_are_split_only_when_complete() {
        let mut buffer = String::from(
            "event: status_change\ndata: {\"status\":\"running\"}\n\nevent: x\ndata: 1",
        );
        let events = take_events(&mut buffer);
        assert_eq!(
            events,
            [(
                "status_change".to_owned(),
                r#"{"status":"running"}"#.to_owned()
            )]
        );
        assert_eq!(buffer, "event: x\ndata: 1");
    }
}
