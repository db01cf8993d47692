//! The HTTP floor: a bare hyper server on `/mcp` that parses each POSTed JSON-RPC message and
//! answers it with `application/json` (202 for notifications). It hands out a fixed session
//! id and checks nothing: the cost of HTTP plus JSON and nothing else.

#[path = "../floor.rs"]
mod floor;

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(status(StatusCode::BAD_REQUEST)),
    };
    let Ok(msg) = serde_json::from_slice::<floor::Incoming>(&body) else {
        return Ok(status(StatusCode::BAD_REQUEST));
    };
    Ok(match floor::answer(&msg) {
        Some(out) => Response::builder()
            .header("content-type", "application/json")
            .header("mcp-session-id", "floor-session")
            .body(Full::new(Bytes::from(out)))
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        None => status(StatusCode::ACCEPTED),
    })
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = code;
    r
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("floor-http: listening on http://{}/mcp", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(handle))
                .await;
        });
    }
}
