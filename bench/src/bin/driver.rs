//! The neutral load driver: raw JSON-RPC over pipes or HTTP, no MCP SDK on this side.
//!
//! Every measuring subcommand prints one JSON object on stdout (its metrics); `report` turns
//! the collected lines of a run into the tables of `BENCHMARKS.md`. Loops are bounded by a
//! request count; everything talks to loopback or to a child process.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, BoxError>;

const LEGACY: &str = "2025-11-25";
const MODERN: &str = "2026-07-28";
const TEXT: &str = "the quick brown fox jumps over the lazy dog";

/// What the driver needs from a reply: which request it answers and whether it failed.
#[derive(Deserialize)]
struct Reply {
    id: Option<Value>,
    method: Option<IgnoredAny>,
    result: Option<IgnoredAny>,
    error: Option<Value>,
}

fn initialize(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
        "protocolVersion": LEGACY, "capabilities": {},
        "clientInfo": {"name": "mcp-bench-driver", "version": "0"}}})
}

fn initialized() -> Value {
    json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
}

fn call(id: u64, tool: &str, args: Value, modern: bool) -> Value {
    let mut params = json!({"name": tool, "arguments": args});
    if modern {
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "mcp-bench-driver", "version": "0"}
        });
    }
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params})
}

fn line(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Percentile of sorted nanoseconds, in microseconds.
fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn latency_metrics(mut lat: Vec<u64>, elapsed: Duration) -> Value {
    let n = lat.len();
    lat.sort_unstable();
    json!({
        "p50_us": pct(&lat, 0.5),
        "p99_us": pct(&lat, 0.99),
        "calls_s": n as f64 / elapsed.as_secs_f64(),
    })
}

// ---------------------------------------------------------------- stdio

struct StdioPeer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    buf: Vec<u8>,
}

impl StdioPeer {
    fn spawn(cmd: &[String]) -> Res<Self> {
        let (prog, rest) = cmd.split_first().ok_or("no command")?;
        let mut child = Command::new(prog)
            .args(rest)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::with_capacity(1 << 16, child.stdout.take().ok_or("no stdout")?);
        Ok(Self { child, stdin, stdout, buf: Vec::with_capacity(1 << 16) })
    }

    async fn send(&mut self, bytes: &[u8]) -> Res<()> {
        self.stdin.write_all(bytes).await?;
        self.stdin.flush().await?;
        Ok(())
    }

    /// Reads lines until a response (not a server notification or request) arrives.
    async fn response(&mut self) -> Res<Reply> {
        loop {
            self.buf.clear();
            if self.stdout.read_until(b'\n', &mut self.buf).await? == 0 {
                return Err("server closed stdout".into());
            }
            let reply: Reply = serde_json::from_slice(&self.buf)?;
            if reply.method.is_some() {
                continue;
            }
            if let Some(e) = reply.error {
                return Err(format!("error reply: {e}").into());
            }
            if reply.result.is_none() {
                return Err("reply without result".into());
            }
            return Ok(reply);
        }
    }

    async fn handshake(&mut self) -> Res<()> {
        self.send(&line(&initialize(0))).await?;
        self.response().await?;
        self.send(&line(&initialized())).await
    }

    async fn close(mut self) {
        drop(self.stdin);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
        let _ = self.child.kill().await;
    }
}

async fn stdio_latency(cmd: &[String], n: u64) -> Res<Value> {
    let mut peer = StdioPeer::spawn(cmd)?;
    peer.handshake().await?;
    for i in 0..100 {
        peer.send(&line(&call(1_000_000 + i, "echo", json!({"text": TEXT}), false))).await?;
        peer.response().await?;
    }
    let msgs: Vec<Vec<u8>> = (0..n).map(|i| line(&call(i + 1, "echo", json!({"text": TEXT}), false))).collect();
    let mut lat = Vec::with_capacity(n as usize);
    let start = Instant::now();
    for m in &msgs {
        let t = Instant::now();
        peer.send(m).await?;
        peer.response().await?;
        lat.push(t.elapsed().as_nanos() as u64);
    }
    let elapsed = start.elapsed();
    peer.close().await;
    Ok(latency_metrics(lat, elapsed))
}

async fn stdio_inflight(cmd: &[String], n: u64, depth: u64) -> Res<Value> {
    let mut peer = StdioPeer::spawn(cmd)?;
    peer.handshake().await?;
    for i in 0..100 {
        peer.send(&line(&call(1_000_000 + i, "echo", json!({"text": TEXT}), false))).await?;
        peer.response().await?;
    }
    let msgs: Vec<Vec<u8>> = (0..n).map(|i| line(&call(i, "echo", json!({"text": TEXT}), false))).collect();
    let starts: Arc<Vec<AtomicU64>> = Arc::new((0..n).map(|_| AtomicU64::new(0)).collect());
    let sem = Arc::new(tokio::sync::Semaphore::new(depth as usize));
    let origin = Instant::now();
    let StdioPeer { child, mut stdin, mut stdout, mut buf } = peer;
    let reader = {
        let starts = Arc::clone(&starts);
        let sem = Arc::clone(&sem);
        tokio::spawn(async move {
            let mut lat = Vec::with_capacity(n as usize);
            while (lat.len() as u64) < n {
                buf.clear();
                if stdout.read_until(b'\n', &mut buf).await? == 0 {
                    return Err::<_, BoxError>("server closed stdout".into());
                }
                let reply: Reply = serde_json::from_slice(&buf)?;
                if reply.method.is_some() {
                    continue;
                }
                if let Some(e) = reply.error {
                    return Err(format!("error reply: {e}").into());
                }
                let id = reply.id.and_then(|v| v.as_u64()).ok_or("reply without id")?;
                let sent = starts.get(id as usize).ok_or("unknown id")?.load(Ordering::Relaxed);
                lat.push(origin.elapsed().as_nanos() as u64 - sent);
                sem.add_permits(1);
            }
            Ok(lat)
        })
    };
    let start = Instant::now();
    for (i, m) in msgs.iter().enumerate() {
        sem.acquire().await?.forget();
        starts[i].store(origin.elapsed().as_nanos() as u64, Ordering::Relaxed);
        stdin.write_all(m).await?;
        stdin.flush().await?;
    }
    let lat = reader.await??;
    let elapsed = start.elapsed();
    drop(stdin);
    let mut child = child;
    let _ = child.kill().await;
    Ok(latency_metrics(lat, elapsed))
}

async fn stdio_blob(cmd: &[String], n: u64, kb: u64) -> Res<Value> {
    let mut peer = StdioPeer::spawn(cmd)?;
    peer.handshake().await?;
    for i in 0..3 {
        peer.send(&line(&call(1_000_000 + i, "blob", json!({"kb": kb}), false))).await?;
        peer.response().await?;
    }
    let mut lat = Vec::with_capacity(n as usize);
    let start = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        peer.send(&line(&call(i + 1, "blob", json!({"kb": kb}), false))).await?;
        peer.response().await?;
        if peer.buf.len() < (kb * 1024) as usize {
            return Err("blob reply too short".into());
        }
        lat.push(t.elapsed().as_nanos() as u64);
    }
    let elapsed = start.elapsed();
    peer.close().await;
    let mut m = latency_metrics(lat, elapsed);
    m["mb_s"] = json!((n * kb * 1024) as f64 / 1e6 / elapsed.as_secs_f64());
    Ok(m)
}

/// Spawn to first response (the `initialize` result), `n` times; reports the median.
async fn cold(cmd: &[String], n: u64) -> Res<Value> {
    let mut lat = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let mut peer = StdioPeer::spawn(cmd)?;
        peer.send(&line(&initialize(0))).await?;
        peer.response().await?;
        lat.push(t.elapsed().as_nanos() as u64);
        peer.close().await;
    }
    lat.sort_unstable();
    Ok(json!({"cold_ms": pct(&lat, 0.5) / 1000.0}))
}

fn proc_status_kib(pid: u32, key: &str) -> Res<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {key} in /proc/{pid}/status").into())
}

/// Peak RSS after the handshake, `tools/list` calls and tool calls of the given tool.
async fn rss(cmd: &[String], lists: u64, dump: Option<&str>) -> Res<Value> {
    let mut peer = StdioPeer::spawn(cmd)?;
    peer.handshake().await?;
    let mut tools = 0;
    for i in 0..lists {
        peer.send(&line(&json!({"jsonrpc": "2.0", "id": i + 1, "method": "tools/list", "params": {}})))
            .await?;
        peer.response().await?;
        if i == 0 {
            let full: Value = serde_json::from_slice(&peer.buf)?;
            tools = full["result"]["tools"].as_array().map_or(0, Vec::len);
            if let Some(path) = dump {
                std::fs::write(path, serde_json::to_vec(&full["result"])?)?;
            }
        }
    }
    let pid = peer.child.id().ok_or("child exited")?;
    let hwm = proc_status_kib(pid, "VmHWM:")?;
    peer.close().await;
    Ok(json!({"peak_rss_kib": hwm, "tools": tools}))
}

// ---------------------------------------------------------------- HTTP

/// The reply in an SSE body: the `data:` of the event that carries an id and no method.
fn sse_reply(body: &Bytes) -> Res<Bytes> {
    let text = std::str::from_utf8(body)?;
    for data in text.lines().filter_map(|l| l.strip_prefix("data:")) {
        let data = data.trim_start();
        if data.is_empty() {
            continue;
        }
        if let Ok(r) = serde_json::from_str::<Reply>(data)
            && r.method.is_none()
            && r.id.is_some()
        {
            return Ok(Bytes::copy_from_slice(data.as_bytes()));
        }
    }
    Err(format!("no reply in event stream: {text}").into())
}

/// Fails unless `json` is a JSON-RPC result.
fn check_reply(status: hyper::StatusCode, json: &[u8]) -> Res<()> {
    let reply: Reply = serde_json::from_slice(json)
        .map_err(|e| format!("{status}: {e}: {}", String::from_utf8_lossy(json)))?;
    if let Some(e) = reply.error {
        return Err(format!("error reply: {e}").into());
    }
    if reply.result.is_none() {
        return Err(format!("{status}: no result").into());
    }
    Ok(())
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn http_client() -> HttpClient {
    let mut conn = HttpConnector::new();
    conn.set_nodelay(true);
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(1).build(conn)
}

struct HttpPeer {
    client: HttpClient,
    url: hyper::Uri,
    session: Option<String>,
    modern: bool,
}

impl HttpPeer {
    async fn post(&self, body: &Value) -> Res<(hyper::StatusCode, Option<String>, Bytes)> {
        let mut req = hyper::Request::post(self.url.clone())
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("host", self.url.authority().map(|a| a.as_str()).unwrap_or("127.0.0.1"));
        if self.modern {
            req = req.header("mcp-protocol-version", MODERN);
            if let Some(m) = body["method"].as_str() {
                req = req.header("mcp-method", m);
            }
            if let Some(name) = body["params"]["name"].as_str() {
                req = req.header("mcp-name", name);
            }
        } else if let Some(s) = &self.session {
            req = req.header("mcp-protocol-version", LEGACY).header("mcp-session-id", s);
        }
        let resp = self.client.request(req.body(Full::new(Bytes::from(serde_json::to_vec(body)?)))?).await?;
        let status = resp.status();
        let session = resp
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let sse = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"));
        let body = resp.into_body().collect().await?.to_bytes();
        let body = if sse { sse_reply(&body)? } else { body };
        Ok((status, session, body))
    }

    async fn connect(url: &hyper::Uri, modern: bool) -> Res<Self> {
        let mut peer = Self { client: http_client(), url: url.clone(), session: None, modern };
        if !modern {
            let (status, session, body) = peer.post(&initialize(0)).await?;
            if !status.is_success() {
                return Err(format!("initialize: {status}: {}", String::from_utf8_lossy(&body)).into());
            }
            peer.session = session;
            let (status, _, _) = peer.post(&initialized()).await?;
            if !status.is_success() {
                return Err(format!("initialized: {status}").into());
            }
        }
        Ok(peer)
    }
}

async fn http_load(url: &str, modern: bool, clients: u64, n: u64) -> Res<Value> {
    let url: hyper::Uri = url.parse()?;
    let mut peers = Vec::new();
    for _ in 0..clients {
        let setup = HttpPeer::connect(&url, modern).await?;
        let mut peer = LoadPeer::open(&url, modern, setup.session.as_deref()).await?;
        for i in 0..20 {
            peer.call(body(&call(1_000_000 + i, "echo", json!({"text": TEXT}), modern))?).await?;
        }
        peers.push(peer);
    }
    let per_client = n / clients;
    let start = Instant::now();
    let tasks: Vec<_> = peers
        .into_iter()
        .map(|mut peer| {
            tokio::spawn(async move {
                let bodies = (0..per_client)
                    .map(|i| body(&call(i + 1, "echo", json!({"text": TEXT}), modern)))
                    .collect::<Res<Vec<Bytes>>>()?;
                let mut lat = Vec::with_capacity(per_client as usize);
                for b in bodies {
                    let t = Instant::now();
                    peer.call(b).await?;
                    lat.push(t.elapsed().as_nanos() as u64);
                }
                Ok::<_, BoxError>(lat)
            })
        })
        .collect();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    Ok(latency_metrics(lat, start.elapsed()))
}

fn body(v: &Value) -> Res<Bytes> {
    Ok(Bytes::from(serde_json::to_vec(v)?))
}

/// One client of the measured HTTP loop: its own HTTP/1.1 connection (no pool), headers
/// built once and bodies serialized before the clock starts. At 32 clients on two cores the
/// driver shares the machine with the server; the less it spends per call, the more the
/// figures say about the server.
struct LoadPeer {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    uri: hyper::Uri,
    headers: hyper::HeaderMap,
}

impl LoadPeer {
    async fn open(url: &hyper::Uri, modern: bool, session: Option<&str>) -> Res<Self> {
        let authority = url.authority().ok_or("the URL has no host")?.as_str().to_owned();
        let stream = tokio::net::TcpStream::connect(&authority).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        let mut headers = hyper::HeaderMap::new();
        let mut set = |name: &'static str, value: &str| -> Res<()> {
            headers.insert(name, value.parse()?);
            Ok(())
        };
        set("content-type", "application/json")?;
        set("accept", "application/json, text/event-stream")?;
        set("host", &authority)?;
        if modern {
            // Every measured call is `tools/call` of `echo`.
            set("mcp-protocol-version", MODERN)?;
            set("mcp-method", "tools/call")?;
            set("mcp-name", "echo")?;
        } else if let Some(s) = session {
            set("mcp-protocol-version", LEGACY)?;
            set("mcp-session-id", s)?;
        }
        // Origin form (`POST /mcp`), as clients send it on their own connection.
        let uri = url.path_and_query().map_or("/", |p| p.as_str()).parse()?;
        Ok(Self { sender, uri, headers })
    }

    /// Sends one request and checks that its answer is a result.
    async fn call(&mut self, body: Bytes) -> Res<()> {
        let mut req = hyper::Request::post(self.uri.clone()).body(Full::new(body))?;
        *req.headers_mut() = self.headers.clone();
        self.sender.ready().await?;
        let resp = self.sender.send_request(req).await?;
        let status = resp.status();
        let sse = resp
            .headers()
            .get("content-type")
            .is_some_and(|c| c.as_bytes().starts_with(b"text/event-stream"));
        let bytes = resp.into_body().collect().await?.to_bytes();
        let json = if sse { sse_reply(&bytes)? } else { bytes };
        check_reply(status, &json)
    }
}

/// Resident memory per idle legacy session: RSS of `pid` before and after `n` sessions.
async fn sessions(url: &str, pid: u32, n: u64) -> Res<Value> {
    let url: hyper::Uri = url.parse()?;
    let mut keep = Vec::new();
    for _ in 0..16 {
        keep.push(HttpPeer::connect(&url, false).await?.session);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = proc_status_kib(pid, "VmRSS:")?;
    let peer = HttpPeer::connect(&url, false).await?;
    for _ in 0..n {
        let (status, session, _) = peer.post(&initialize(0)).await?;
        if !status.is_success() {
            return Err(format!("initialize: {status}").into());
        }
        let p = HttpPeer { client: peer.client.clone(), url: url.clone(), session, modern: false };
        p.post(&initialized()).await?;
        keep.push(p.session);
    }
    // Settling time for allocator bookkeeping; not a synchronisation wait.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = proc_status_kib(pid, "VmRSS:")?;
    Ok(json!({"session_bytes": (after.saturating_sub(before) * 1024) as f64 / n as f64}))
}

// ---------------------------------------------------------------- Coder tool

/// What the driver checks in a `tools/call` reply: a result that is not a tool error.
#[derive(Deserialize)]
struct ToolReply {
    result: ToolResultFlags,
}

#[derive(Deserialize)]
struct ToolResultFlags {
    #[serde(rename = "isError")]
    is_error: Option<bool>,
}

/// One bare REST GET with the session token on the keep-alive client; the body is parsed
/// (as any client must) and thrown away.
async fn rest_get(client: &HttpClient, uri: &hyper::Uri, token: &str) -> Res<()> {
    let req = hyper::Request::get(uri.clone())
        .header("host", uri.authority().map(|a| a.as_str()).unwrap_or("127.0.0.1"))
        .header("accept", "application/json")
        .header("coder-session-token", token)
        .body(Full::new(Bytes::new()))?;
    let resp = client.request(req).await?;
    let status = resp.status();
    let body = resp.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        return Err(format!("GET {uri}: {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    serde_json::from_slice::<IgnoredAny>(&body)?;
    Ok(())
}

/// A read-only Coder tool through an MCP server over stdio against the bare REST call it
/// makes, interleaved call by call (alternating which goes first). Prints two lines,
/// `ours <metrics>` (the tool call) and `floor <metrics>` (the REST call).
async fn coder_tool(cmd: &[String], url: &str, token: &str, path: &str, tool: &str, n: u64) -> Res<()> {
    let uri: hyper::Uri = format!("{}{path}", url.trim_end_matches('/')).parse()?;
    let client = http_client();
    let mut peer = StdioPeer::spawn(cmd)?;
    peer.handshake().await?;
    let mut id = 1_000_000;
    let mut tool_call = async |peer: &mut StdioPeer| -> Res<()> {
        id += 1;
        peer.send(&line(&call(id, tool, json!({}), false))).await?;
        peer.response().await?;
        Ok(())
    };
    for _ in 0..50 {
        rest_get(&client, &uri, token).await?;
        tool_call(&mut peer).await?;
    }
    let reply: ToolReply = serde_json::from_slice(&peer.buf)?;
    if reply.result.is_error == Some(true) {
        return Err(format!("{tool} failed: {}", String::from_utf8_lossy(&peer.buf)).into());
    }
    let (mut rest_lat, mut tool_lat) = (Vec::with_capacity(n as usize), Vec::with_capacity(n as usize));
    for i in 0..n {
        for k in 0..2 {
            let t = Instant::now();
            if (i + k) % 2 == 0 {
                rest_get(&client, &uri, token).await?;
                rest_lat.push(t.elapsed().as_nanos() as u64);
            } else {
                tool_call(&mut peer).await?;
                tool_lat.push(t.elapsed().as_nanos() as u64);
            }
        }
    }
    let reply: ToolReply = serde_json::from_slice(&peer.buf)?;
    if reply.result.is_error == Some(true) {
        return Err(format!("{tool} failed: {}", String::from_utf8_lossy(&peer.buf)).into());
    }
    peer.close().await;
    for (server, mut lat) in [("ours", tool_lat), ("floor", rest_lat)] {
        lat.sort_unstable();
        println!("{server} {}", json!({"p50_us": pct(&lat, 0.5), "p99_us": pct(&lat, 0.99)}));
    }
    Ok(())
}

// ---------------------------------------------------------------- report

fn median_min_max(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let mid = if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 };
    (mid, v[0], v[v.len() - 1])
}

fn fmt_num(x: f64) -> String {
    if x >= 100.0 { format!("{x:.0}") } else if x >= 10.0 { format!("{x:.1}") } else { format!("{x:.2}") }
}

/// (scenario, metric, higher is better, compared with, target ratio, issue wording)
const TARGETS: &[(&str, &str, bool, &str, f64, &str)] = &[
    ("stdio-echo", "p50_us", false, "rmcp", 0.7, "stdio echo round trip p50 <= 0.7x rmcp"),
    ("stdio-inflight16", "calls_s", true, "rmcp", 3.0, "stdio 16 in flight calls/s >= 3x rmcp"),
    ("stdio-blob1m", "mb_s", true, "floor", 0.9, "stdio 1 MiB result MB/s >= 0.9x floor"),
    ("http-legacy-c1", "calls_s", true, "rmcp", 1.3, "HTTP legacy 1 client calls/s >= 1.3x rmcp"),
    ("http-stateless-c1", "calls_s", true, "rmcp", 1.3, "HTTP stateless 1 client calls/s >= 1.3x rmcp"),
    ("stdio-blob1m-1cpu", "mb_s", true, "floor", 0.9, "stdio 1 MiB result MB/s >= 0.9x floor, server and driver on one CPU (record only)"),
    ("http-legacy-c1-1cpu", "calls_s", true, "rmcp", 1.3, "HTTP legacy 1 client calls/s >= 1.3x rmcp, server and driver on one CPU (record only)"),
    ("http-stateless-c1-1cpu", "calls_s", true, "rmcp", 1.3, "HTTP stateless 1 client calls/s >= 1.3x rmcp, server and driver on one CPU (record only)"),
    ("http-legacy-c32", "calls_s", true, "rmcp", 1.5, "HTTP legacy 32 clients calls/s >= 1.5x rmcp"),
    ("http-stateless-c32", "calls_s", true, "rmcp", 1.5, "HTTP stateless 32 clients calls/s >= 1.5x rmcp"),
    ("http-legacy-c32", "p99_us", false, "rmcp", 0.8, "HTTP legacy p99 at 32 clients <= 0.8x rmcp"),
    ("http-stateless-c32", "p99_us", false, "rmcp", 0.8, "HTTP stateless p99 at 32 clients <= 0.8x rmcp"),
    ("cold-start", "cold_ms", false, "rmcp", 1.0, "cold start <= 1.0x rmcp"),
    ("peak-rss", "peak_rss_kib", false, "rmcp", 1.0, "peak RSS, Coder registry (34 tools) <= 1.0x rmcp"),
    ("peak-rss-laid-out", "peak_rss_kib", false, "rmcp", 1.0, "peak RSS, Coder registry (34 tools) <= 1.0x rmcp, the rmcp peer also given a profiled function order"),
    ("coder-call-me", "p50_us", false, "floor", 1.05, "Coder tool in process, get_authenticated_user p50 <= 1.05x bare REST"),
    ("coder-call-workspaces", "p50_us", false, "floor", 1.05, "Coder tool in process, list_workspaces p50 <= 1.05x bare REST"),
    ("coder-tool-me", "p50_us", false, "floor", 1.05, "Coder tool via coder-mcp stdio, get_authenticated_user p50 <= 1.05x bare REST (record only)"),
    ("coder-tool-workspaces", "p50_us", false, "floor", 1.05, "Coder tool via coder-mcp stdio, list_workspaces p50 <= 1.05x bare REST (record only)"),
];

fn report(path: &str) -> Res<()> {
    let text = std::fs::read_to_string(path)?;
    // (scenario, metric) -> server -> values
    let mut data: BTreeMap<(String, String), BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(l)?;
        let (Some(scenario), Some(server), Some(metrics)) =
            (v["scenario"].as_str(), v["server"].as_str(), v["metrics"].as_object())
        else {
            continue;
        };
        for (k, x) in metrics {
            if let Some(x) = x.as_f64()
                && k != "tools"
            {
                data.entry((scenario.to_owned(), k.clone()))
                    .or_default()
                    .entry(server.to_owned())
                    .or_default()
                    .push(x);
            }
        }
    }
    let mut med: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    println!("| scenario | metric | ours | rmcp | floor | ours / rmcp | ours / floor | rounds |");
    println!("|---|---|---|---|---|---|---|---|");
    for ((scenario, metric), servers) in &mut data {
        let mut cells = Vec::new();
        let mut rounds = 0;
        for s in ["ours", "rmcp", "floor"] {
            match servers.get_mut(s) {
                Some(v) if !v.is_empty() => {
                    rounds = rounds.max(v.len());
                    let (m, lo, hi) = median_min_max(v);
                    med.insert((scenario.clone(), metric.clone(), s.to_owned()), m);
                    cells.push(format!("{} ({}-{})", fmt_num(m), fmt_num(lo), fmt_num(hi)));
                }
                _ => cells.push("-".to_owned()),
            }
        }
        let ratio = |other: &str| {
            match (
                med.get(&(scenario.clone(), metric.clone(), "ours".to_owned())),
                med.get(&(scenario.clone(), metric.clone(), other.to_owned())),
            ) {
                (Some(a), Some(b)) if *b != 0.0 => format!("{:.2}x", a / b),
                _ => "-".to_owned(),
            }
        };
        println!(
            "| {scenario} | {metric} | {} | {} | {} | {} | {} | {rounds} |",
            cells[0],
            cells[1],
            cells[2],
            ratio("rmcp"),
            ratio("floor")
        );
    }
    println!();
    println!("| target (issue 7) | measured | met |");
    println!("|---|---|---|");
    for (scenario, metric, higher, against, target, wording) in TARGETS {
        let ours = med.get(&((*scenario).to_owned(), (*metric).to_owned(), "ours".to_owned()));
        let other = med.get(&((*scenario).to_owned(), (*metric).to_owned(), (*against).to_owned()));
        match (ours, other) {
            (Some(a), Some(b)) if *b != 0.0 => {
                let r = a / b;
                let met = if *higher { r >= *target } else { r <= *target };
                println!("| {wording} | {r:.2}x {against} | {} |", if met { "yes" } else { "**no**" });
            }
            _ => println!("| {wording} | not measured | - |"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- main

fn usage() -> BoxError {
    "usage: driver <stdio-latency|stdio-inflight|stdio-blob|cold|rss> [--n N] [--depth D] [--kb K] [--dump FILE] -- CMD...\n       driver http --url URL [--stateless] [--clients C] [--n N]\n       driver sessions --url URL --pid PID [--n N]\n       driver coder-tool --url CODER_URL --token TOKEN --path /api/v2/... --tool NAME [--n N] -- CMD...\n       driver report RESULTS.jsonl"
        .into()
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (opts, cmd) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (&args[..], &[][..]),
    };
    let sub = opts.first().ok_or_else(usage)?.as_str();
    let get = |name: &str| opts.iter().position(|a| a == name).and_then(|i| opts.get(i + 1));
    let num = |name: &str, default: u64| -> Res<u64> {
        get(name).map_or(Ok(default), |v| v.parse().map_err(|e| format!("{name}: {e}").into()))
    };
    let flag = |name: &str| opts.iter().any(|a| a == name);
    let metrics = match sub {
        "stdio-latency" => stdio_latency(cmd, num("--n", 2000)?).await?,
        "stdio-inflight" => stdio_inflight(cmd, num("--n", 10000)?, num("--depth", 16)?).await?,
        "stdio-blob" => stdio_blob(cmd, num("--n", 50)?, num("--kb", 1024)?).await?,
        "cold" => cold(cmd, num("--n", 10)?).await?,
        "rss" => rss(cmd, num("--n", 20)?, get("--dump").map(String::as_str)).await?,
        "http" => {
            let url = get("--url").ok_or_else(usage)?;
            http_load(url, flag("--stateless"), num("--clients", 1)?, num("--n", 2000)?).await?
        }
        "sessions" => {
            let url = get("--url").ok_or_else(usage)?;
            let pid = num("--pid", 0)? as u32;
            sessions(url, pid, num("--n", 500)?).await?
        }
        "coder-tool" => {
            let url = get("--url").ok_or_else(usage)?;
            let token = get("--token").ok_or_else(usage)?;
            let path = get("--path").ok_or_else(usage)?;
            let tool = get("--tool").ok_or_else(usage)?;
            coder_tool(cmd, url, token, path, tool, num("--n", 1000)?).await?;
            return Ok(());
        }
        "report" => {
            report(opts.get(1).ok_or_else(usage)?)?;
            return Ok(());
        }
        _ => return Err(usage()),
    };
    println!("{metrics}");
    Ok(())
}
