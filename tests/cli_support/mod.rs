//! What the CLI tests share: running `planner` and reading its JSON.

use std::process::{Command, Output};

pub fn planner(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planner")).args(args).output().unwrap_or_else(|e| panic!("{e}"))
}

/// The JSON `planner` prints with `args`, which must exit 0.
#[track_caller]
pub fn json(args: &[&str]) -> serde_json::Value {
    let o = planner(args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}
