//! Link options for the binaries; each one only where it is known to work.
//!
//! - **Packed relative relocations (RELR).** A position-independent binary of `coder-mcp`'s
//!   size carries about 800 KiB of relative relocations, which the dynamic loader reads (so
//!   they stay resident) at every start. RELR packs them into a few KiB. It needs glibc 2.36
//!   or newer at run time, so it is only turned on for native Linux GNU builds whose own
//!   glibc is that new. `MCP_NO_RELR=1` turns it off.
//! - **Function order for `coder-mcp`** (`coder-mcp.order`, written by
//!   `scripts/symbol-order`). The kernel maps program code 64 KiB at a time around each
//!   page a process touches, and the few thousand functions a session runs are otherwise
//!   scattered over 13 MB of code. Laid out side by side, they leave about a fifth as much
//!   code resident (peak RSS 11.2 -> 5.8 MiB). Only lld reads the file, so it is used for release builds of the one
//!   target where rustc links with its own lld by default (x86_64 Linux GNU, rustc 1.90 and
//!   newer) and no other linker was asked for. Names the linker does not find (after a
//!   dependency or toolchain upgrade) are skipped, which only costs memory.
//!   `MCP_NO_SYMBOL_ORDER=1` turns it off.
//!
//! The benchmark peers in `bench/` use this script too, so that their memory figures
//! compare the SDKs and not the linker flags; the function order applies to `coder-mcp`
//! alone.

use std::env::var;
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MCP_NO_RELR");
    println!("cargo:rerun-if-env-changed=MCP_NO_SYMBOL_ORDER");
    let target = var("TARGET").unwrap_or_default();
    let native = target == var("HOST").unwrap_or_default();
    if native && target.ends_with("-linux-gnu") && var("MCP_NO_RELR").is_err() && glibc_has_relr() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }

    let order = Path::new(&var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("coder-mcp.order");
    if var("CARGO_PKG_NAME").as_deref() == Ok("examples")
        && order.exists()
        && var("PROFILE").as_deref() == Ok("release")
        && var("MCP_NO_SYMBOL_ORDER").is_err()
        && native
        && links_with_rust_lld(&target)
    {
        println!("cargo:rerun-if-changed={}", order.display());
        println!(
            "cargo:rustc-link-arg-bin=coder-mcp=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bin=coder-mcp=-Wl,--no-warn-symbol-ordering");
    }
}

/// True when the build machine's glibc (the one the binaries will load) is 2.36 or newer.
fn glibc_has_relr() -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    // "glibc 2.36"
    version_at_least(&String::from_utf8_lossy(&out.stdout), (2, 36))
}

/// True when rustc will link `target` with its bundled lld: the default for x86_64 Linux
/// GNU since rustc 1.90, unless a linker was configured (Cargo then sets `RUSTC_LINKER`) or
/// the flags choose one.
fn links_with_rust_lld(target: &str) -> bool {
    let flags = var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let chooses_linker = ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|word| flags.contains(word));
    let rustc = var("RUSTC").unwrap_or_else(|_| "rustc".into());
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let new_enough = Command::new(rustc)
        .arg("-V")
        .output()
        .is_ok_and(|out| version_at_least(&String::from_utf8_lossy(&out.stdout), (1, 90)));
    target == "x86_64-unknown-linux-gnu"
        && var("RUSTC_LINKER").is_err()
        && !chooses_linker
        && new_enough
}

/// Whether the second word of `text` ("tool 1.2.3 ...") is at least `major.minor`.
fn version_at_least(text: &str, (major, minor): (u32, u32)) -> bool {
    let mut parts = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= (major, minor)
}
