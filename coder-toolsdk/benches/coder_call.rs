//! What a read-only Coder tool costs over the bare REST call it makes (issue 7: at most 5%
//! more), in process, against a `SimulatedCoder` started by the bench on loopback.
//!
//! For each endpoint three ways of getting the same document, one request at a time on one
//! keep-alive connection:
//! - `rest`: a bare `reqwest` GET with the session token header, then `serde_json` parsing
//!   the body into a `Value` (the floor: what any client must do);
//! - `sdk`: the `coder_sdk::Client` method (typed decoding, error mapping, retry policy);
//! - `tool`: `ToolRegistry::call` of the tool (argument validation, the SDK call, the
//!   tool's own shaping, and the MCP result: structured content plus its text form).
//!
//! The figure that matters is `tool / rest` per endpoint. All three share one `reqwest`
//! client (the SDK's own), so they use the same connection pool and headers.
//!
//! Criterion measures each function in turn, which on a shared machine lets drift between
//! them look like overhead. So after the criterion groups the bench also runs the three
//! interleaved, call by call in a rotating order, and prints the median of each and the
//! ratios to `rest` (`coder_call interleaved ...` lines): those ratios are the ones to
//! quote. Run with `cargo bench -p coder-toolsdk --bench coder_call`; add `-- interleaved`
//! (a filter no criterion benchmark matches) for the interleaved part alone, and set
//! `INTERLEAVED_N` for the calls per function (default 3000). With `INTERLEAVED_RECORDS`
//! set it prints `scenario server metrics` lines instead, which `scripts/bench` records.
//!
//! The rotation only changes which way starts a round: each way always runs right after
//! the same other way (`sdk` after `rest`, `tool` after `sdk`, `rest` after `tool`), and a
//! call pays part of what its predecessor left in the caches (with two copies of each way
//! in the rotation, identical ways differed by up to 3 us at /users/me). Set
//! `INTERLEAVED_SHUFFLE` to run each round in a fresh pseudo-random order (fixed seed)
//! instead: the ratios it prints do not depend on the neighbours. The default stays the
//! rotation so figures compare with earlier runs.
#![allow(missing_docs, clippy::unwrap_used)]

use std::borrow::Cow;
use std::hint::black_box;
use std::time::{Duration, Instant};

use coder_sdk::WorkspaceFilter;
use coder_sdk::testing::{Seed, SimulatedCoder};
use coder_toolsdk::tools::{CoderObject, NoArgs};
use coder_toolsdk::{StructuredContent, Tool, ToolContext, ToolError, ToolRegistry, coder_tools};
use criterion::{Criterion, criterion_group};
use serde_json::{Value, json};

struct Setup {
    rt: tokio::runtime::Runtime,
    // Kept alive for the whole bench: dropping it stops the server.
    sim: SimulatedCoder,
    client: coder_sdk::Client,
    registry: ToolRegistry,
}

fn setup() -> Setup {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sim = rt
        .block_on(SimulatedCoder::builder().seed(Seed::demo()).start())
        .unwrap();
    let client = coder_sdk::Client::new(sim.url(), sim.session_token()).unwrap();
    let registry = coder_tools(&client);
    Setup {
        rt,
        sim,
        client,
        registry,
    }
}

impl Setup {
    /// The bare REST call: GET, check the status, parse the body.
    async fn rest(&self, path_and_query: &str) -> Value {
        let resp = self
            .client
            .http_client()
            .get(format!("{}{path_and_query}", self.sim.url()))
            .header("Coder-Session-Token", self.sim.session_token())
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
    }

    async fn tool(&self, name: &str, args: Value) -> mcp_protocol::types::CallToolResult {
        let r = self.registry.call(name, args).await.unwrap();
        assert_eq!(r.is_error, None, "{name}: {:?}", r.content);
        r
    }
}

fn coder_call(c: &mut Criterion) {
    let s = setup();
    // Warm the connection and compile the validators before measuring.
    s.rt.block_on(async {
        s.rest("/api/v2/users/me").await;
        s.tool("coder_get_authenticated_user", json!({})).await;
        s.tool("coder_list_workspaces", json!({})).await;
    });

    let mut g = c.benchmark_group("get_authenticated_user");
    g.bench_function("rest", |b| {
        b.iter(|| s.rt.block_on(s.rest(black_box("/api/v2/users/me"))));
    });
    g.bench_function("sdk", |b| {
        b.iter(|| s.rt.block_on(s.client.me()).unwrap());
    });
    g.bench_function("tool", |b| {
        b.iter(|| {
            s.rt.block_on(s.tool(black_box("coder_get_authenticated_user"), json!({})))
        });
    });
    g.finish();

    // The tool's own share of `get_authenticated_user/tool`, without HTTP: the user it
    // would have decoded, turned into a result the old way (a `Value` tree, then its text)
    // and the current way (text written once), and a whole registry call of a tool that
    // returns that user ready-made.
    let user = s.rt.block_on(s.client.me()).unwrap();
    let ready = ToolRegistry::new().with(ReadyUser(user.clone()));
    s.rt.block_on(ready.call("ready_user", json!({}))).unwrap();
    let mut g = c.benchmark_group("get_authenticated_user_parts");
    g.bench_function("value_then_text", |b| {
        b.iter(|| {
            let value = serde_json::to_value(black_box(&user)).unwrap();
            let text = serde_json::to_string(&value).unwrap();
            (value, text)
        });
    });
    g.bench_function("text_once", |b| {
        b.iter(|| {
            let json = StructuredContent::from_serialize(black_box(&user)).unwrap();
            let text = json.to_json_string();
            (json, text)
        });
    });
    g.bench_function("registry_ready_user", |b| {
        b.iter(|| {
            s.rt.block_on(ready.call(black_box("ready_user"), json!({})))
                .unwrap()
        });
    });
    g.finish();

    let mut g = c.benchmark_group("list_workspaces");
    g.bench_function("rest", |b| {
        b.iter(|| {
            s.rt.block_on(s.rest(black_box("/api/v2/workspaces?q=owner%3Ame")))
        });
    });
    g.bench_function("sdk", |b| {
        b.iter(|| {
            s.rt.block_on(s.client.workspaces(&WorkspaceFilter::owner("me")))
                .unwrap()
        });
    });
    g.bench_function("tool", |b| {
        b.iter(|| {
            s.rt.block_on(s.tool(black_box("coder_list_workspaces"), json!({})))
        });
    });
    g.finish();
}

/// A typed tool that returns a user it already has: the registry's and the result's cost
/// of `coder_get_authenticated_user` without the REST call.
struct ReadyUser(coder_sdk::User);

impl Tool for ReadyUser {
    const NAME: &'static str = "ready_user";
    type Input = NoArgs;
    type Output = CoderObject<coder_sdk::User>;

    fn description(&self) -> Cow<'static, str> {
        "Returns a ready-made user.".into()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoArgs) -> Result<Self::Output, ToolError> {
        Ok(CoderObject(self.0.clone()))
    }
}

/// The three ways, called in a rotating order so drift hits them alike; prints medians and
/// ratios (on stdout: printing is what this bench is for).
#[allow(clippy::print_stdout)]
fn interleaved(s: &Setup, n: usize, records: bool) {
    type Way<'a> = Box<dyn Fn() + 'a>;
    let endpoints: [(&str, Vec<(&str, Way<'_>)>); 2] = [
        (
            "get_authenticated_user",
            vec![
                (
                    "rest",
                    Box::new(|| drop(s.rt.block_on(s.rest("/api/v2/users/me")))),
                ),
                (
                    "sdk",
                    Box::new(|| drop(s.rt.block_on(s.client.me()).unwrap())),
                ),
                (
                    "tool",
                    Box::new(|| {
                        drop(s.rt.block_on(s.tool("coder_get_authenticated_user", json!({}))));
                    }),
                ),
            ],
        ),
        (
            "list_workspaces",
            vec![
                (
                    "rest",
                    Box::new(|| drop(s.rt.block_on(s.rest("/api/v2/workspaces?q=owner%3Ame")))),
                ),
                (
                    "sdk",
                    Box::new(|| {
                        drop(
                            s.rt.block_on(s.client.workspaces(&WorkspaceFilter::owner("me")))
                                .unwrap(),
                        );
                    }),
                ),
                (
                    "tool",
                    Box::new(|| drop(s.rt.block_on(s.tool("coder_list_workspaces", json!({}))))),
                ),
            ],
        ),
    ];
    let shuffle = std::env::var_os("INTERLEAVED_SHUFFLE").is_some();
    for (endpoint, ways) in &endpoints {
        let mut lat: Vec<Vec<Duration>> = vec![Vec::with_capacity(n); ways.len()];
        let mut order: Vec<usize> = (0..ways.len()).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..n {
            if shuffle {
                // Fisher-Yates with xorshift64: no dependency, the same orders every run.
                for j in (1..order.len()).rev() {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    order.swap(j, (seed % (j as u64 + 1)) as usize);
                }
            } else {
                // Rotate: round i starts with way i mod len.
                for (k, slot) in order.iter_mut().enumerate() {
                    *slot = (i + k) % ways.len();
                }
            }
            for &w in &order {
                let t = Instant::now();
                (ways[w].1)();
                lat[w].push(t.elapsed());
            }
        }
        let us = |v: &[Duration], p: f64| {
            v[((v.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e6
        };
        let (mut p50, mut p99) = (Vec::new(), Vec::new());
        for v in &mut lat {
            v.sort_unstable();
            p50.push(us(v, 0.5));
            p99.push(us(v, 0.99));
        }
        if records {
            // Lines for `scripts/bench`: scenario, server, metrics. The tool (and the SDK
            // call, as a scenario of its own) is "ours"; the bare REST call is the floor.
            let short = short_name(endpoint);
            for (w, (name, _)) in ways.iter().enumerate() {
                let metrics = format!("{{\"p50_us\":{:.3},\"p99_us\":{:.3}}}", p50[w], p99[w]);
                match *name {
                    "rest" => {
                        println!("coder-call-{short} floor {metrics}");
                        println!("coder-call-{short}-sdk floor {metrics}");
                    }
                    "tool" => println!("coder-call-{short} ours {metrics}"),
                    _ => println!("coder-call-{short}-sdk ours {metrics}"),
                }
            }
            continue;
        }
        let line: Vec<String> = ways
            .iter()
            .zip(&p50)
            .map(|((name, _), m)| format!("{name} {m:.1} us ({:.3}x rest)", m / p50[0]))
            .collect();
        let how = if shuffle { "shuffled" } else { "rotating" };
        println!(
            "coder_call interleaved {endpoint} (n={n}, {how}, p50): {}",
            line.join(", ")
        );
    }
}

/// The scenario suffix `scripts/bench` uses for an endpoint.
fn short_name(endpoint: &str) -> &str {
    match endpoint {
        "get_authenticated_user" => "me",
        "list_workspaces" => "workspaces",
        other => other,
    }
}

criterion_group!(benches, coder_call);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo test --benches` runs this binary without `--bench`: keep that quick.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let bench_mode = args.iter().any(|a| a == "--bench");
    let n = if bench_mode {
        std::env::var("INTERLEAVED_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000)
    } else {
        10
    };
    let s = setup();
    interleaved(&s, n, std::env::var_os("INTERLEAVED_RECORDS").is_some());
}
