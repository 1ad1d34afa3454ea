//! `planner diff` as a person runs it: two plans' changes, results and files, the files'
//! diffs applied by the real `patch` to A's exported files giving B's.

mod cli_support;
use cli_support::{json, planner};

use std::path::Path;
use std::process::Command;

const A: &str = "cores=8&server=sync";
const B: &str = "cores=8&server=gthread&pgbouncer=on&proxy=none";

#[test]
fn the_json_has_the_changes_both_reports_and_the_files_diffs() {
    let v = json(&["diff", "--plan", A, "--plan", B, "--format", "json"]);
    let changes: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["key"].as_str().unwrap().into(), c["from"].as_str().unwrap().into(), c["to"].as_str().unwrap().into()))
        .collect();
    assert_eq!(changes, [("server".into(), "sync".into(), "gthread".into()), ("pgbouncer".into(), "off".into(), "on".into()), ("proxy".into(), "nginx".into(), "none".into())]);
    assert_eq!(v["plans"].as_array().unwrap().len(), 2);
    for p in v["plans"].as_array().unwrap() {
        assert!(p["capacity"]["rps"].is_number() && p["latency_ms"]["p95"].is_number() && p["verdict"]["fit"].is_string(), "{p}");
    }
    let files = v["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"gunicorn.conf.py") && names.contains(&"pgbouncer.ini") && names.contains(&"nginx.conf"), "{names:?}");
    let nginx = files.iter().find(|f| f["name"] == "nginx.conf").unwrap()["diff"].as_str().unwrap();
    assert!(nginx.starts_with("--- a/nginx.conf\n+++ /dev/null\n"), "only A has nginx: {}", &nginx[..80]);
    assert!(!names.contains(&"plan.url"));
}

#[test]
fn identical_plans_have_no_changes_and_exit_0() {
    let v = json(&["diff", "--plan", A, "--plan", &format!("v=1&{A}"), "--format", "json"]);
    assert_eq!((v["changes"].as_array().unwrap().len(), v["files"].as_array().unwrap().len()), (0, 0));
    let o = planner(&["diff", "--plan", A, "--plan", A]);
    assert_eq!((o.status.code(), String::from_utf8_lossy(&o.stdout).as_ref()), (Some(0), "No changes: the plans are the same.\n"));
    let bad = planner(&["diff", "--plan", A]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("diff needs two plans"));
    let invalid = planner(&["diff", "--plan", A, "--plan", "cores=0"]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&invalid.stderr).starts_with("plan B: cores"), "{}", String::from_utf8_lossy(&invalid.stderr));
}

/// Every file of `dir`, by name.
fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "plan.url")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// Needs GNU patch, which `make test-programs` installs (scripts/tools.sh) and runs this
/// with `--ignored`.
#[test]
#[ignore]
fn patch_turns_as_files_into_bs() {
    let root = std::env::temp_dir().join(format!("planner-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (a, b) = (root.join("a"), root.join("b"));
    for (dir, plan) in [(&a, A), (&b, B)] {
        assert!(planner(&["export", "--plan", plan, "--out", dir.to_str().unwrap()]).status.success());
    }
    let diff = planner(&["diff", "--plan", A, "--plan", B, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    let all: String = v["files"].as_array().unwrap().iter().map(|f| f["diff"].as_str().unwrap()).collect();
    let patch_file = root.join("a-to-b.diff");
    std::fs::write(&patch_file, all).unwrap();
    let o = Command::new("patch").args(["-p1", "-E", "-s", "-i"]).arg(&patch_file).current_dir(&a).output().expect("GNU patch");
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(read_dir(&a), read_dir(&b), "A's files patched are B's");
    std::fs::remove_dir_all(&root).ok();
}
