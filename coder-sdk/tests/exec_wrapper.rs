//! The exec wrapper script run in a real local PTY (`script(1)`), without any server: checks
//! that the script, the escape stripper and the sentinel scanner work together.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};

use coder_sdk::exec::{OutputCollector, ScriptSpec, StdinSource, build_script, pty_command};

const SENTINEL: &str = "5f0c2a9e41d7b3386e2d9c0f7a1b4e55";

struct Run {
    output: String,
    exit_code: Option<i32>,
    timed_out: bool,
    truncated: bool,
}

fn has_script() -> bool {
    Path::new("/usr/bin/script").exists() || Path::new("/bin/script").exists()
}

fn run(command: &str, timeout_secs: u64, stdin: Option<&[u8]>, max_output: usize) -> Run {
    run_with("sh", command, timeout_secs, stdin, max_output)
}

fn run_with(
    shell: &str,
    command: &str,
    timeout_secs: u64,
    stdin: Option<&[u8]>,
    max_output: usize,
) -> Run {
    let script = build_script(&ScriptSpec {
        command,
        sentinel: SENTINEL,
        timeout_secs,
        workdir: None,
        env: &[("MY_VAR".to_owned(), "it's set".to_owned())],
        stdin: stdin.map_or(StdinSource::Null, StdinSource::Inline),
    })
    .unwrap();
    let line = pty_command(&script);
    let line = match line.strip_suffix(" | sh") {
        Some(prefix) => format!("{prefix} | {shell}"),
        None => line,
    };
    let out = if has_script() {
        Command::new("script")
            .args(["-qfec", &line, "/dev/null"])
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    } else {
        Command::new("sh")
            .args(["-c", &line])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let mut collector = OutputCollector::new(SENTINEL, max_output);
    for chunk in out.stdout.chunks(777) {
        if collector.feed(chunk) {
            break;
        }
    }
    let (output, truncated, status) = collector.finish();
    Run {
        output,
        exit_code: status.map(|s| s.exit_code),
        timed_out: status.is_some_and(|s| s.timed_out),
        truncated,
    }
}

#[test]
fn exit_codes_and_output() {
    let r = run("echo hello; echo oops >&2; exit 3", 10, None, 4096);
    assert_eq!(r.exit_code, Some(3), "{}", r.output);
    assert_eq!(r.output, "hello\noops\n");
    assert!(!r.timed_out);
    let r = run("true", 10, None, 4096);
    assert_eq!(r.exit_code, Some(0));
    assert_eq!(r.output, "");
    let r = run("false", 10, None, 4096);
    assert_eq!(r.exit_code, Some(1));
}

#[test]
fn environment_and_quoting() {
    let r = run("printf '%s' \"$MY_VAR\"", 10, None, 4096);
    assert_eq!(r.exit_code, Some(0));
    assert_eq!(r.output, "it's set");
}

#[test]
fn syntax_error_still_reports() {
    let r = run("if then fi (", 10, None, 4096);
    assert_eq!(r.exit_code, Some(2), "{}", r.output);
}

#[test]
fn timeout_kills_process_group() {
    let r = run("sleep 30 & sleep 30; echo never", 1, None, 4096);
    assert_eq!(r.exit_code, Some(124), "{}", r.output);
    assert!(r.timed_out);
    assert!(!r.output.contains("never"));
}

#[test]
fn command_exiting_124_is_not_a_timeout() {
    let r = run("exit 124", 10, None, 4096);
    assert_eq!(r.exit_code, Some(124));
    assert!(!r.timed_out);
}

#[test]
fn binary_output_does_not_hide_status() {
    let r = run(
        "head -c 20000 /dev/urandom; printf '\\033]0;unterminated'; printf '\\033['; exit 7",
        10,
        None,
        1 << 20,
    );
    assert_eq!(r.exit_code, Some(7));
}

#[test]
fn stdin_bytes_round_trip() {
    let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let r = run(
        "od -An -v -tx1 | tr -d ' \\n' | head -c 40",
        10,
        Some(&data),
        4096,
    );
    assert_eq!(r.exit_code, Some(0), "{}", r.output);
    assert_eq!(r.output, "000102030405060708090a0b0c0d0e0f10111213");
    let r = run("wc -c | tr -d ' '", 10, Some(&data), 4096);
    assert_eq!(r.output.trim(), "5000");
}

#[test]
fn large_output_keeps_head_and_tail() {
    let r = run(
        "echo START; yes 0123456789 | head -c 1200000; echo; echo END",
        20,
        None,
        64 * 1024,
    );
    assert_eq!(r.exit_code, Some(0));
    assert!(r.truncated);
    assert!(r.output.starts_with("START\n"));
    assert!(r.output.ends_with("END\n"));
    assert!(r.output.contains("bytes of output omitted"));
    assert!(r.output.len() < 70 * 1024);
}

#[test]
fn wrapper_also_runs_under_bash_as_sh() {
    if !Path::new("/bin/bash").exists() {
        return;
    }
    let r = run_with("bash", "echo via bash; exit 4", 10, None, 4096);
    assert_eq!(r.exit_code, Some(4), "{}", r.output);
    assert_eq!(r.output, "via bash\n");
    let r = run_with("bash", "sleep 30", 1, None, 4096);
    assert_eq!(r.exit_code, Some(124), "{}", r.output);
    assert!(r.timed_out);
}
