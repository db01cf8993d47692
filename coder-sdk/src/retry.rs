//! When and how long to retry a failed request.

use std::time::Duration;

use http::{Method, StatusCode};

/// Retry policy for idempotent requests.
///
/// Only `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` requests are retried, and only when the
/// deployment could not be reached (or dropped the connection before answering) or answered 502, 503 or 504 (a proxy or a restarting
/// coderd). `POST` and `PATCH` are never retried: repeating them could create a second
/// workspace or build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, including the first one (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry; it doubles for each further retry.
    pub initial_backoff: Duration,
    /// Upper bound of the delay.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// No answer arrived: the connection could not be made or closed before a response.
    ConnectError,
    /// Some other transport failure (the request may have reached the server).
    OtherError,
    /// The server answered with this status.
    Status(StatusCode),
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether a request with `method` whose attempt number `attempt` (0-based) ended with
    /// `outcome` should be tried again.
    pub(crate) fn should_retry(&self, method: &Method, attempt: u32, outcome: Outcome) -> bool {
        if attempt + 1 >= self.max_attempts || !is_idempotent(method) {
            return false;
        }
        match outcome {
            Outcome::ConnectError => true,
            Outcome::OtherError => false,
            Outcome::Status(status) => matches!(
                status,
                StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
        }
    }

    /// The delay before retry number `attempt` (0-based: the delay after the first failure).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Whether repeating the request cannot change the result.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_idempotent_methods_on_gateway_errors() {
        let p = RetryPolicy::default();
        for m in [Method::GET, Method::PUT, Method::DELETE] {
            for s in [502, 503, 504] {
                let status = StatusCode::from_u16(s).unwrap_or(StatusCode::OK);
                assert!(p.should_retry(&m, 0, Outcome::Status(status)), "{m} {s}");
            }
            assert!(p.should_retry(&m, 0, Outcome::ConnectError));
        }
    }

    #[test]
    fn never_retries_post_or_patch() {
        let p = RetryPolicy::default();
        for m in [Method::POST, Method::PATCH] {
            assert!(!p.should_retry(&m, 0, Outcome::ConnectError));
            assert!(!p.should_retry(&m, 0, Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)));
        }
    }

    #[test]
    fn does_not_retry_other_statuses_or_errors() {
        let p = RetryPolicy::default();
        for s in [
            StatusCode::OK,
            StatusCode::NOT_FOUND,
            StatusCode::UNAUTHORIZED,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::TOO_MANY_REQUESTS,
        ] {
            assert!(!p.should_retry(&Method::GET, 0, Outcome::Status(s)), "{s}");
        }
        assert!(!p.should_retry(&Method::GET, 0, Outcome::OtherError));
    }

    #[test]
    fn stops_after_max_attempts() {
        let p = RetryPolicy::default();
        assert!(p.should_retry(&Method::GET, 1, Outcome::ConnectError));
        assert!(!p.should_retry(&Method::GET, 2, Outcome::ConnectError));
        assert!(!RetryPolicy::none().should_retry(&Method::GET, 0, Outcome::ConnectError));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(200));
        assert_eq!(p.backoff(1), Duration::from_millis(400));
        assert_eq!(p.backoff(3), Duration::from_millis(1600));
        assert_eq!(p.backoff(4), Duration::from_secs(2));
        assert_eq!(p.backoff(100), Duration::from_secs(2));
    }
}
