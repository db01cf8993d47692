//! The reconnecting PTY: a real local shell per session in the workspace's home directory.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use coder_sdk::testing::SimulatedCoder;
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn pty_url(sim: &SimulatedCoder, agent: Uuid, command: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("reconnect", &Uuid::new_v4().to_string())
        .append_pair("width", "80")
        .append_pair("height", "24")
        .append_pair("command", command)
        .append_pair("backend_type", "buffered")
        .finish();
    format!(
        "ws://{}/api/v2/workspaceagents/{agent}/pty?{query}",
        sim.addr()
    )
}

async fn open(sim: &SimulatedCoder, agent: Uuid, command: &str) -> Socket {
    let mut req = pty_url(sim, agent, command).into_client_request().unwrap();
    req.headers_mut()
        .insert("Coder-Session-Token", sim.session_token().parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

async fn send_input(socket: &mut Socket, data: &str) {
    let frame = serde_json::json!({ "data": data, "height": 24, "width": 80 }).to_string();
    socket
        .send(Message::Binary(frame.into_bytes().into()))
        .await
        .unwrap();
}

/// Reads output until `needle` shows up (or the socket ends); returns all output so far.
async fn read_until(socket: &mut Socket, needle: &str) -> (String, bool) {
    let mut out = Vec::new();
    while let Some(msg) = socket.next().await {
        match msg.unwrap() {
            Message::Binary(bytes) => out.extend_from_slice(&bytes),
            Message::Close(_) => return (String::from_utf8_lossy(&out).into_owned(), true),
            _ => {}
        }
        if String::from_utf8_lossy(&out).contains(needle) {
            return (String::from_utf8_lossy(&out).into_owned(), false);
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), true)
}

/// Reads until the server closes the socket; returns the output.
async fn read_to_close(socket: &mut Socket) -> String {
    read_until(socket, "\u{0}never\u{0}").await.0
}

#[tokio::test]
async fn a_command_runs_in_the_workspace_home_and_the_socket_closes_when_it_exits() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    let mut socket = open(
        &sim,
        agent,
        "echo hello-from-pty; pwd; echo \"home=$HOME\"; exit 3",
    )
    .await;
    let out = read_to_close(&mut socket).await;
    assert!(out.contains("hello-from-pty"), "{out:?}");
    let home = home.to_string_lossy().into_owned();
    assert!(out.contains(&format!("home={home}")), "{out:?}");
    assert!(out.contains(&home), "{out:?}");
}

#[tokio::test]
async fn input_frames_reach_the_process() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let mut socket = open(&sim, agent, "read line; echo \"got:$line\"").await;
    send_input(&mut socket, "abc\n").await;
    let out = read_to_close(&mut socket).await;
    assert!(out.contains("got:abc"), "{out:?}");
}

#[tokio::test]
async fn an_empty_command_starts_a_login_shell() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let mut socket = open(&sim, agent, "").await;
    send_input(&mut socket, "echo sum-$((40+2))\n").await;
    let (out, closed) = read_until(&mut socket, "sum-42").await;
    assert!(!closed, "{out:?}");
    send_input(&mut socket, "exit\n").await;
    read_to_close(&mut socket).await;
}

#[tokio::test]
async fn files_written_in_one_session_are_visible_in_the_next() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let mut socket = open(&sim, agent, "printf 'persisted' > note.txt").await;
    read_to_close(&mut socket).await;
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(home.join("note.txt")).unwrap(),
        "persisted"
    );
    let mut socket = open(&sim, agent, "cat note.txt").await;
    assert!(read_to_close(&mut socket).await.contains("persisted"));
}

fn alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| !stat.contains(") Z "))
            .unwrap_or(false)
}

#[tokio::test]
async fn closing_the_socket_kills_the_process() {
    closing_the_socket_kills("echo $$ > sleeper.pid; echo started; exec sleep 300").await;
}

/// A server started under `nohup` passes an ignored SIGHUP on to its commands, so the
/// hang-up of the terminal alone does not end them.
#[tokio::test]
async fn closing_the_socket_kills_a_process_that_ignores_hangups() {
    closing_the_socket_kills("trap '' HUP; echo $$ > sleeper.pid; echo started; exec sleep 300")
        .await;
}

async fn closing_the_socket_kills(command: &str) {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    let mut socket = open(&sim, agent, command).await;
    let (out, closed) = read_until(&mut socket, "started").await;
    assert!(!closed, "{out:?}");
    let pid: u32 = std::fs::read_to_string(home.join("sleeper.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(pid));
    socket.close(None).await.unwrap();
    drop(socket);
    // Bounded wait for the kernel to reap the process (no fixed sleep decides the result).
    let mut gone = false;
    for _ in 0..500 {
        if !alive(pid) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(gone, "process {pid} survived the socket close");
}

#[tokio::test]
async fn the_pty_refuses_an_agent_that_is_not_connected() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("legacy").unwrap();
    let mut req = pty_url(&sim, agent, "true").into_client_request().unwrap();
    req.headers_mut()
        .insert("Coder-Session-Token", sim.session_token().parse().unwrap());
    let err = tokio_tungstenite::connect_async(req).await.unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => {
            assert_eq!(resp.status().as_u16(), 400);
        }
        other => panic!("unexpected error {other}"),
    }
    let req = pty_url(&sim, agent, "true").into_client_request().unwrap();
    match tokio_tungstenite::connect_async(req).await.unwrap_err() {
        tokio_tungstenite::tungstenite::Error::Http(resp) => {
            assert_eq!(resp.status().as_u16(), 401);
        }
        other => panic!("unexpected error {other}"),
    }
}

#[tokio::test]
async fn large_output_streams_completely() {
    let sim = SimulatedCoder::start().await.unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let mut socket = open(
        &sim,
        agent,
        "head -c 3000000 /dev/zero | tr '\\0' 'a'; echo; echo END-OF-OUTPUT",
    )
    .await;
    let out = read_to_close(&mut socket).await;
    assert!(out.contains("END-OF-OUTPUT"));
    assert_eq!(out.bytes().filter(|b| *b == b'a').count(), 3_000_000);
}

#[tokio::test]
async fn without_a_real_pty_commands_run_over_pipes() {
    let sim = SimulatedCoder::builder()
        .real_pty(false)
        .start()
        .await
        .unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let mut socket = open(&sim, agent, "read line; echo \"got:$line\"; echo oops >&2").await;
    send_input(&mut socket, "xyz\n").await;
    let out = read_to_close(&mut socket).await;
    // No terminal: no echo of the input, no carriage returns, stderr merged in.
    assert!(out.contains("got:xyz\n"), "{out:?}");
    assert!(out.contains("oops"), "{out:?}");
    assert!(!out.contains('\r'), "{out:?}");

    let home = sim
        .workspace_home(sim.workspace_id("dev").unwrap())
        .unwrap();
    let mut socket = open(
        &sim,
        agent,
        "echo $$ > piped.pid; echo started; exec sleep 300",
    )
    .await;
    let (out, closed) = read_until(&mut socket, "started").await;
    assert!(!closed, "{out:?}");
    let pid: u32 = std::fs::read_to_string(home.join("piped.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    drop(socket);
    let mut gone = false;
    for _ in 0..500 {
        if !alive(pid) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(gone, "process {pid} survived the socket close");
}
