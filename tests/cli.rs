//! The `planner` binary as a person runs it: outputs, exit statuses and messages.

use std::process::{Command, Output};

/// Runs `planner` with the arguments.
fn planner(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planner")).args(args).output().unwrap_or_else(|e| panic!("{e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON report of a successful run.
#[track_caller]
fn json_report(args: &[&str]) -> serde_json::Value {
    let o = planner(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

/// Checks a run failed with status 2 and one stderr line saying every `says`.
#[track_caller]
fn fails_with_one_line(args: &[&str], says: &[&str]) {
    let o = planner(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for s in says {
        assert!(err.contains(s), "{err} should say {s}");
    }
    assert!(o.stdout.is_empty());
}

/// Checks a run failed with status 2, the problem and the usage line.
#[track_caller]
fn is_bad_usage(args: &[&str], says: &str) {
    let o = planner(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(says) && err.contains("usage: planner report"), "{err}");
}

#[test]
fn the_json_report_parses_and_has_the_workers() {
    let r = json_report(&["report", "--format", "json"]);
    assert_eq!(r["workers"], 8);
    assert_eq!(r["plan"], "v=1");
    assert!(r["memory"]["for_workers_mib"].is_number());
    assert!(r["warnings"].as_array().is_some_and(|w| w.len() == 1 && w[0]["code"] == "server-name-not-set"), "{r}");
    let named = json_report(&["report", "--format", "json", "--plan", "server_name=shop.example.com"]);
    assert!(named["warnings"].as_array().is_some_and(Vec::is_empty), "{named}");
}

#[test]
fn the_json_report_has_the_capacity_the_tiers_the_pools_and_postgres() {
    let r = json_report(&["report", "--plan", "tier=large&rps=3000&pgbouncer=on&replicas=2", "--format", "json"]);
    let plan = planner::model::query::decode_strict("tier=large&rps=3000&pgbouncer=on&replicas=2").expect("plan");
    let e = planner::model::evaluate(&plan);
    // serde_json reads a float to within an ulp or two (without its float_roundtrip feature).
    let same = |json: &serde_json::Value, x: f64| json.as_f64().is_some_and(|j| (j - x).abs() <= 1e-12 * x.abs());
    assert!(same(&r["capacity"]["rps"], e.capacity.rps), "{} vs {}", r["capacity"]["rps"], e.capacity.rps);
    assert!(same(&r["capacity"]["max_rps"], e.capacity.max_rps));
    assert_eq!(r["capacity"]["bottleneck"], e.capacity.bottleneck.to_string());
    assert!(same(&r["latency_ms"]["p95"], e.latency.p95_ms));
    assert_eq!(r["latency_ms"]["rate_rps"].as_f64(), Some(3000.0));
    let names: Vec<&str> = r["tiers"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["small", "medium", "large"]);
    for key in ["pool_size", "max_overflow", "fleet_connections", "max_connections", "pgbouncer_pool_size"] {
        assert!(r["db"][key].is_u64(), "db.{key}");
    }
    for key in ["shared_buffers_mib", "effective_cache_size_mib", "maintenance_work_mem_mib", "work_mem_kib", "wal_buffers_kib"] {
        assert!(r["postgres"][key].is_number(), "postgres.{key}");
    }
    assert_eq!(r["postgres"]["shared_buffers_mib"], 4096.0); // 25 % of the database host's 16 GiB
    assert!(r["verdict"]["fit"].is_string() && r["verdict"]["message"].is_string());
}

#[test]
fn the_text_report_has_one_value_per_line() {
    let o = planner(&["report", "--plan", "server=sync"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with("Workers") && l.contains("9 processes")), "{out}");
}

#[test]
fn a_value_out_of_range_names_the_key_and_the_range() {
    fails_with_one_line(&["report", "--plan", "cores=0"], &["cores", "1–256"]);
}

#[test]
fn a_postgresql_older_than_13_is_refused_for_every_command() {
    for cmd in ["report", "export"] {
        let mut args = vec![cmd, "--plan", "pg_version=12"];
        if cmd == "export" {
            args.extend(["--out", "/nonexistent-planner-dir"]);
        }
        fails_with_one_line(&args, &["pg_version", "12", "13–18"]);
    }
}

#[test]
fn a_list_field_names_its_bad_item() {
    fails_with_one_line(&["report", "--plan", "lb_cidr=10.0.0.0/8,0.0.0.0/0"], &["lb_cidr", "'0.0.0.0/0' is every address"]);
    fails_with_one_line(&["report", "--plan", "server_name=_"], &["server_name", "any Host"]);
}

#[test]
fn a_value_that_is_not_a_number_names_the_key_and_the_range() {
    fails_with_one_line(&["report", "--plan", "cores=abc"], &["cores", "'abc'", "1–256"]);
}

#[test]
fn an_unsupported_version_is_an_error() {
    fails_with_one_line(&["report", "--plan", "v=2&cores=8"], &["v: ", "version 1"]);
}

#[test]
fn a_decoded_newline_stays_on_one_line() {
    fails_with_one_line(&["report", "--plan", "cores=1%0A2"], &["cores"]);
}

#[test]
fn a_full_share_link_is_read_from_its_fragment() {
    let r = json_report(&["report", "--format=json", "--plan", "https://planner.example/path/?x#v=1&cores=8"]);
    assert_eq!((r["plan"].as_str(), r["workers"].as_u64()), (Some("v=1&cores=8"), Some(16)));
}

#[test]
fn unknown_keys_warn_but_succeed() {
    let o = planner(&["report", "--plan", "cores=8&colour=blue"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("warning") && stderr(&o).contains("colour"), "{}", stderr(&o));
}

#[test]
fn a_plan_file_is_read() {
    let path = std::env::temp_dir().join(format!("planner-cli-test-{}.txt", std::process::id()));
    std::fs::write(&path, "server=gthread\nthreads=4\n").unwrap_or_else(|e| panic!("{e}"));
    let r = json_report(&["report", "--format", "json", "--plan-file", &path.to_string_lossy()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!((r["workers"].as_u64(), r["threads"].as_u64()), (Some(9), Some(4)));
}

#[test]
fn a_missing_plan_file_is_bad_usage() {
    is_bad_usage(&["report", "--plan-file", "/no/such/planner-file"], "cannot read");
}

#[test]
fn unknown_commands_flags_and_formats_are_bad_usage() {
    is_bad_usage(&[], "no command");
    is_bad_usage(&["frobnicate"], "unknown command");
    is_bad_usage(&["report", "--verbose"], "unknown option");
    is_bad_usage(&["report", "--format", "yaml"], "unknown format");
    is_bad_usage(&["report", "--plan"], "needs a value");
    is_bad_usage(&["report", "--plan", "a=1", "--plan-file", "f"], "one of");
}

#[test]
fn help_prints_the_usage_and_succeeds() {
    for args in [&["--help"][..], &["report", "--help"]] {
        let o = planner(args);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).starts_with("usage: planner report"));
    }
}

/// A fresh directory under the target's temp dir for one test.
fn temp_dir(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("planner-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn export_writes_every_file_of_the_plan_and_lists_them() {
    let dir = temp_dir("export");
    let out = dir.to_string_lossy().into_owned();
    let o = planner(&["export", "--plan", "server=sync&pgbouncer=on&platform=k8s&replicas=3", "--out", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listed: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    for name in ["gunicorn.conf.py", ".env", "nginx.conf", "postgresql.conf", "pgbouncer.ini", "redis.conf", "kubernetes.yaml", "deployment.nix", "alerts.rules.yml", "plan.url"] {
        let path = dir.join(name);
        assert!(path.is_file(), "{name} not written");
        assert!(listed.contains(&path.to_string_lossy().into_owned()), "{name} not listed in {listed:?}");
    }
    assert!(!dir.join("app.service").exists(), "no systemd unit on Kubernetes");
    let gunicorn = std::fs::read_to_string(dir.join("gunicorn.conf.py")).unwrap();
    assert!(gunicorn.contains("\nworkers = 9  # "), "{gunicorn}");
    // plan.url reads back as the same plan.
    let url = dir.join("plan.url").to_string_lossy().into_owned();
    let r = json_report(&["report", "--plan-file", &url, "--format", "json"]);
    assert_eq!(r["plan"], "v=1&replicas=3&server=sync&pgbouncer=on&platform=k8s");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_of_an_invalid_plan_fails_with_one_line_and_writes_nothing() {
    let dir = temp_dir("invalid");
    let out = dir.to_string_lossy().into_owned();
    fails_with_one_line(&["export", "--plan", "name=a%0Ab", "--out", &out], &["name:", "lowercase letters"]);
    fails_with_one_line(&["export", "--plan", "name=x;rm", "--out", &out], &["name:"]);
    fails_with_one_line(&["export", "--plan", "cores=0", "--out", &out], &["cores:", "1–256 cores"]);
    assert!(!dir.exists());
}

#[test]
fn export_into_a_path_that_is_a_file_fails_with_one_line() {
    let dir = temp_dir("file");
    std::fs::write(&dir, "x").unwrap();
    let out = dir.to_string_lossy().into_owned();
    fails_with_one_line(&["export", "--out", &out], &["cannot create"]);
    let _ = std::fs::remove_file(&dir);
}

#[test]
fn export_needs_out_and_takes_no_format() {
    is_bad_usage(&["export"], "export needs --out DIR");
    is_bad_usage(&["export", "--out", "x", "--format", "json"], "unknown option '--format'");
    is_bad_usage(&["report", "--out", "x"], "unknown option '--out'");
}

#[test]
fn a_plan_whose_configuration_fails_reports_broken_with_its_errors() {
    let r = json_report(&["report", "--format", "json", "--plan", "replicas=20&rps=100"]);
    assert_eq!(r["verdict"]["fit"], "broken", "{r}");
    let errors: Vec<&str> = r["warnings"].as_array().unwrap().iter().filter(|w| w["severity"] == "error").filter_map(|w| w["code"].as_str()).collect();
    assert_eq!(errors, ["pool-exceeds-max-connections", "pgbouncer-required"]);
    let text = stdout(&planner(&["report", "--plan", "replicas=20&rps=100"]));
    assert!(text.contains("error [pool-exceeds-max-connections]: "), "{text}");
}

#[test]
fn a_framework_names_the_exported_entry_point_and_settings() {
    let dir = temp_dir("framework");
    let out = dir.to_string_lossy().into_owned();
    let o = planner(&["export", "--plan", "framework=django&name=shop-api&server=gthread&pgbouncer=on", "--out", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let gunicorn = std::fs::read_to_string(dir.join("gunicorn.conf.py")).unwrap();
    assert!(gunicorn.contains("\nwsgi_app = \"shop_api.wsgi:application\"\n"), "{gunicorn}");
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    assert!(env.contains("\nDJANGO_SETTINGS_MODULE=shop_api.settings\n"), "{env}");
    let settings = std::fs::read_to_string(dir.join("django_settings.py")).unwrap();
    assert!(settings.contains("\n        \"min_size\": 3,\n") && settings.contains("\n    \"DISABLE_SERVER_SIDE_CURSORS\": True,\n"), "{settings}");
    assert!(stdout(&o).lines().any(|l| l.ends_with("django_settings.py")));
    let plan = std::fs::read_to_string(dir.join("plan.url")).unwrap();
    assert_eq!(plan.trim(), "v=1&name=shop-api&server=gthread&framework=django&pgbouncer=on");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_framework_on_the_wrong_server_is_broken_and_an_unknown_one_refused() {
    let r = json_report(&["report", "--format", "json", "--plan", "framework=fastapi&server=sync&server_name=shop.example"]);
    assert_eq!(r["verdict"]["fit"], "broken", "{r}");
    let errors: Vec<&str> = r["warnings"].as_array().unwrap().iter().filter(|w| w["severity"] == "error").filter_map(|w| w["code"].as_str()).collect();
    assert_eq!(errors, ["asgi-app-on-wsgi-server"]);
    let fine = json_report(&["report", "--format", "json", "--plan", "framework=fastapi&server_name=shop.example"]);
    assert_ne!(fine["verdict"]["fit"], "broken", "{fine}");
    fails_with_one_line(&["report", "--plan", "framework=rails"], &["framework", "'rails' is not one of generic|django|flask|fastapi"]);
}
