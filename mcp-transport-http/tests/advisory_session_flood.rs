//! Denial of service by session creation: 10,000 `initialize` requests against one router.
//! Sessions beyond the cap get 503, and the process's resident memory stays bounded. Kept
//! in its own test binary so no other test disturbs the RSS readings.
#![allow(clippy::unwrap_used)]

mod support;

use http::StatusCode;
use mcp_transport_http::{HttpConfig, router};
use support::*;

/// Resident set size of this process in KiB, from `/proc/self/status` (Linux only).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn ten_thousand_session_creations_are_capped_with_503_and_bounded_memory() {
    // The documented default cap.
    const CAP: usize = 1024;
    const ATTEMPTS: usize = 10_000;
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    let body = initialize_body(LEGACY);

    let before = rss_kib();
    let mut created = 0;
    let mut refused = 0;
    let mut at_cap = None;
    for i in 0..ATTEMPTS {
        let a = send(&app, post(&body, &[])).await;
        match a.status {
            StatusCode::OK => {
                assert!(a.headers.contains_key("mcp-session-id"));
                created += 1;
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(!a.headers.contains_key("mcp-session-id"));
                refused += 1;
            }
            other => panic!("attempt {i}: unexpected {other}"),
        }
        if i + 1 == CAP * 2 {
            at_cap = rss_kib();
        }
    }
    assert_eq!(created, CAP, "exactly the cap is created");
    assert_eq!(refused, ATTEMPTS - CAP);

    // Existing sessions are still served while new ones are refused.
    let a = send(&app, post(&body, &[])).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);

    // Memory: refused attempts must not accumulate anything, and the live sessions cost a
    // bounded amount each.
    if let (Some(before), Some(at_cap), Some(after)) = (before, at_cap, rss_kib()) {
        let per_refusal = after.saturating_sub(at_cap);
        assert!(
            per_refusal < 16 * 1024,
            "{} refused attempts grew RSS by {per_refusal} KiB",
            ATTEMPTS - 2 * CAP
        );
        let total = after.saturating_sub(before);
        assert!(
            total < 128 * 1024,
            "{CAP} sessions and {ATTEMPTS} attempts grew RSS by {total} KiB"
        );
        eprintln!("RSS KiB: before {before}, at cap {at_cap}, after {after}");
    }
}

#[tokio::test]
async fn deleted_sessions_free_their_slot() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().max_sessions(4));
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(open_session(&app, &[]).await);
    }
    let a = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    for id in &ids {
        let a = send(
            &app,
            delete(&[("mcp-session-id", id), ("mcp-protocol-version", LEGACY)]),
        )
        .await;
        assert!(a.status.is_success(), "{}", a.status);
    }
    for _ in 0..4 {
        open_session(&app, &[]).await;
    }
}
