//! Slow clients cannot hold the server: header and body reads are bounded in time.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use mcp_transport_http::{HttpConfig, ServeOptions, router, serve_with};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

async fn start(config: HttpConfig) -> std::net::SocketAddr {
    let (server, _events, _release) = support::server();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().nest_service("/mcp", router(server, config));
    let options = ServeOptions::default().header_read_timeout(Duration::from_millis(200));
    tokio::spawn(serve_with(listener, app, options, std::future::pending()));
    addr
}

/// Reads until the server closes the connection; returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out))
        .await
        .expect("the server must close a slow connection")
        .unwrap_or_default();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn unfinished_headers_are_cut_off() {
    let addr = start(HttpConfig::default()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[tokio::test]
async fn unfinished_bodies_get_408() {
    let addr = start(HttpConfig::default().body_timeout(Duration::from_millis(200))).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json, text/event-stream\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"",
        )
        .await
        .unwrap();
    let answer = read_to_close_or_answer(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

/// Reads the first answer (the server may keep the connection open after it).
async fn read_to_close_or_answer(stream: &mut TcpStream) -> String {
    let mut buf = vec![0_u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buf))
        .await
        .expect("the server must answer a slow body")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}
