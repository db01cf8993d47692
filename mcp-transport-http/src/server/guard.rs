//! DNS-rebinding protection: `Host` and `Origin` checks.

use axum::response::Response;
use http::StatusCode;
use http::request::Parts;

use super::reply;
use crate::config::HostPolicy;

/// The host name of an authority (`name[:port]`, `[v6][:port]`), without port. Borrowed,
/// not lowercased: every request is checked, and [`HostPolicy::allows`] ignores case.
pub(crate) fn host_of(authority: &str) -> Option<&str> {
    let authority = authority.trim();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let rest = &authority[end + 1..];
        if !(rest.is_empty() || rest.starts_with(':')) {
            return None;
        }
        &authority[..=end]
    } else {
        match authority.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            Some(_) => return None,
            None => authority,
        }
    };
    (!host.is_empty()).then_some(host)
}

/// Checks `Host` (or the URI authority under HTTP/2) and, when present, `Origin`.
pub(crate) fn check(
    parts: &Parts,
    hosts: &HostPolicy,
    origins: &HostPolicy,
) -> Result<(), Response> {
    let forbidden =
        |what: &str| reply::transport(StatusCode::FORBIDDEN, &format!("forbidden: {what}"));
    if *hosts != HostPolicy::Any {
        let authority = parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| parts.uri.authority().map(http::uri::Authority::as_str));
        let ok = authority.and_then(host_of).is_some_and(|h| hosts.allows(h));
        if !ok {
            return Err(forbidden("host not allowed"));
        }
    }
    if let Some(origin) = parts.headers.get(http::header::ORIGIN)
        && *origins != HostPolicy::Any
    {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| url::Url::parse(o).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| {
                u.host_str().map(|h| {
                    if h.contains(':') && !h.starts_with('[') {
                        format!("[{h}]")
                    } else {
                        h.to_ascii_lowercase()
                    }
                })
            })
            .is_some_and(|h| origins.allows(&h));
        if !ok {
            return Err(forbidden("origin not allowed"));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn splits_hosts_from_ports() {
        assert_eq!(host_of("localhost:8080"), Some("localhost"));
        assert_eq!(host_of("[::1]:3000"), Some("[::1]"));
        assert_eq!(host_of("[::1]"), Some("[::1]"));
        assert_eq!(host_of("Example.COM"), Some("Example.COM"));
        assert_eq!(host_of("a@b"), None);
        assert_eq!(host_of("x:y"), None);
    }

    #[test]
    fn checks_host_and_origin() {
        let p = HostPolicy::loopback();
        let req = |host: &str, origin: Option<&str>| {
            let mut b = http::Request::builder().uri("/mcp").header("host", host);
            if let Some(o) = origin {
                b = b.header("origin", o);
            }
            b.body(()).unwrap().into_parts().0
        };
        assert!(check(&req("127.0.0.1:1", None), &p, &p).is_ok());
        assert!(check(&req("LocalHost:1", None), &p, &p).is_ok());
        assert!(check(&req("[::1]:1", Some("http://localhost:3000")), &p, &p).is_ok());
        assert!(check(&req("evil.example.com", None), &p, &p).is_err());
        assert!(check(&req("localhost", Some("http://evil.example.com")), &p, &p).is_err());
        assert!(check(&req("localhost", Some("null")), &p, &p).is_err());
        assert!(
            check(
                &req("evil", Some("http://evil")),
                &HostPolicy::Any,
                &HostPolicy::Any
            )
            .is_ok()
        );
    }
}
