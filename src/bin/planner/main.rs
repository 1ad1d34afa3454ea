//! `planner`, the command line: the report of a plan given as a query string, a share
//! link or a file, as a text table or JSON; or every config file of the plan written to
//! a directory (`planner export`); or a plan calibrated to load-test outputs
//! (`planner calibrate`).
//!
//! Exit status: 0 with the report on stdout, or the names of the files written (unknown
//! keys give a warning line on stderr); 2 for an invalid value (one line on stderr naming
//! the key and the valid range), a directory that cannot be written (one line), and bad
//! usage (the problem and a usage line).

#[cfg(not(target_arch = "wasm32"))]
mod calibrate;
#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod diff;
#[cfg(not(target_arch = "wasm32"))]
mod fit;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// `cargo test --target wasm32-unknown-unknown` builds every binary; the CLI (and its
/// JSON, serde_json) is native only.
#[cfg(target_arch = "wasm32")]
fn main() {}
