//! The exported files run by their programs and used as a person's traffic would use
//! them: what each file must do (or never do) once it is in production, plan by plan.

use std::path::PathBuf;
use std::thread;
use std::time::Instant;

use crate::gunicorn_run;
use crate::harness::*;
use crate::nginx_run::{self, ensure, plan};

/// A fresh work directory for one behaviour test.
pub(crate) fn work_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planner-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One case of a behaviour test: its label and what checks it (a note, or the failure).
pub(crate) type Case = (&'static str, Box<dyn FnOnce() -> Result<String, String> + Send>);

/// Runs each case on its own thread; prints every outcome and fails with the failures.
pub(crate) fn cases(what: &str, cases: Vec<Case>) {
    let start = Instant::now();
    let handles: Vec<_> = cases.into_iter().map(|(label, case)| (label, thread::spawn(case))).collect();
    let mut failed = vec![];
    for (label, h) in handles {
        match h.join().unwrap_or_else(|_| Err("panicked".into())) {
            Ok(note) => println!("ok    {what:<28} {label:<28} {note}"),
            Err(e) => {
                println!("FAIL  {what:<28} {label:<28} {e}");
                failed.push(format!("{label}: {e}"));
            }
        }
    }
    println!("{what}: {} failed, in {:.0} s", failed.len(), start.elapsed().as_secs_f64());
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

const SHOP: &str = "server_name=shop.example,www.shop.example&cache_paths=/,/api/status";

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn nginx_serves_no_one_elses_page_and_throttles_no_ordinary_client() {
    let dir = work_dir("nginx");
    let run = |label: &'static str, q: String, limited: bool, behind_lb: bool| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || {
            let tools = Tools::find();
            let p = nginx_run::start(&tools, &plan(&q), &dir)?;
            let a = nginx_run::no_answer_crosses_users_or_hosts(&p)?;
            let b = nginx_run::ordinary_clients_pass_and_floods_are_limited(&p, limited, behind_lb)?;
            Ok(format!("{a}; {b}"))
        }))
    };
    let placeholder: Case = ("no-server-name", Box::new({
        let dir = dir.join("no-server-name");
        move || {
            let p = nginx_run::start(&Tools::find(), &plan(""), &dir)?;
            for host in ["shop.example", "localhost", "127.0.0.1"] {
                ensure!(matches!(p.outcome(host, "/"), crate::http::Outcome::Closed), "the placeholder answered Host {host}");
            }
            Ok("every Host closed without an answer until server_name is set".into())
        }
    }));
    cases("nginx", vec![
        placeholder,
        run("hosts", SHOP.into(), true, false),
        run("hosts-behind-lb", format!("{SHOP}&lb_cidr=127.0.0.0/8,::1"), true, true),
        run("k8s", format!("{SHOP}&platform=k8s&replicas=2"), false, false),
        run("k8s-behind-lb", format!("{SHOP}&platform=k8s&replicas=2&lb_cidr=127.0.0.1"), true, true),
        run("max-sync-fleet", format!("{SHOP}&cores=256&ram=2048&server=sync&replicas=1000&lb_cidr=127.0.0.0/8"), true, true),
    ]);
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn gunicorn_serves_with_every_worker_class_and_slow_clients_need_nginx() {
    let dir = work_dir("gunicorn");
    let serve = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || gunicorn_run::serves_a_request(&Tools::find(), &plan(q), &dir)))
    };
    let slow: Case = ("slow-clients-sync", Box::new({
        let dir = dir.join("slow");
        move || {
            let direct = plan("cores=1&server=sync&proxy=none");
            let proxied = plan("cores=1&server=sync&server_name=shop.example");
            gunicorn_run::slow_clients(&Tools::find(), &direct, &proxied, &dir)
        }
    }));
    let deadline: Case = ("deadline-sync", Box::new({
        let dir = dir.join("deadline");
        move || gunicorn_run::the_apps_deadline_acts_first(&Tools::find(), &plan("cores=1&server=sync&server_name=shop.example"), &dir)
    }));
    cases("gunicorn", vec![
        deadline,
        serve("sync", "cores=1&server=sync"),
        serve("gthread", "cores=1&server=gthread"),
        serve("gevent", "cores=1&server=gevent"),
        serve("gevent-no-proxy", "cores=1&server=gevent&proxy=none&db=none"),
        serve("async", "cores=1"),
        serve("async-k8s", "cores=1&platform=k8s&replicas=2"),
        slow,
    ]);
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn gunicorn_loads_each_frameworks_entry_point_and_an_app_of_the_other_interface_fails() {
    let dir = work_dir("frameworks");
    let serve = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || gunicorn_run::serves_a_request(&Tools::find(), &plan(q), &dir)))
    };
    let other_interface = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || gunicorn_run::the_other_interface_fails(&Tools::find(), &plan(q), &dir)))
    };
    cases("frameworks", vec![
        serve("django-gthread", "cores=1&server=gthread&framework=django&name=shop-api"),
        serve("django-async", "cores=1&framework=django"),
        serve("flask-sync", "cores=1&server=sync&framework=flask"),
        serve("fastapi-async", "cores=1&framework=fastapi"),
        other_interface("fastapi-on-gthread", "cores=1&server=gthread&framework=fastapi"),
        other_interface("flask-on-async", "cores=1&framework=flask"),
    ]);
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn redis_answers_no_one_without_the_password() {
    let dir = work_dir("redis");
    let case = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || {
            let plan = plan(q);
            let file = planner::export::files(&plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == "redis.conf").ok_or("no redis.conf")?;
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            std::fs::write(dir.join("redis.conf"), file.text).map_err(|e| e.to_string())?;
            crate::redis_run::refuses_strangers(&plan, &dir.join("redis.conf"), &dir)
        }))
    };
    cases("redis", vec![
        case("hosts", ""),
        case("k8s", "platform=k8s&replicas=2"),
        case("k8s-max", "platform=k8s&cores=256&ram=2048&replicas=1000&cache_mem=65536"),
        case("hosts-min", "cores=1&ram=0.5&cache_mem=16"),
    ]);
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn pgbouncer_admits_only_the_apps_tls_clients_and_holds_its_clients() {
    let dir = work_dir("pgbouncer");
    let admits = |label: &'static str, q: &'static str, admitted: bool| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || crate::pgbouncer_run::admits_only_the_app(&plan(q), &dir, admitted)))
    };
    let holds = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || crate::pgbouncer_run::holds_more_than_1024_clients(&Tools::find(), &plan(q), &dir)))
    };
    cases("pgbouncer", vec![
        admits("db-host-app-range", "pgbouncer=on&app_cidr=127.0.0.0/8", true),
        admits("db-host-other-range", "pgbouncer=on&app_cidr=10.0.0.0/8,fd00::/8", false),
        admits("db-host-no-range", "pgbouncer=on&app_cidr=", false),
        admits("app-node", "pgbouncer=on&db_host=app&server=sync", true),
        holds("db-host-1100-clients", "pgbouncer=on&app_cidr=127.0.0.0/8&replicas=8"),
        holds("app-node-1100-clients", "pgbouncer=on&db_host=app&replicas=8"),
    ]);
}

/// `systemd-analyze security`'s overall exposure of a unit file, 0 (safe) to 10.
fn exposure(unit: &std::path::Path) -> Result<f64, String> {
    let o = run(std::process::Command::new("systemd-analyze").args(["security", "--offline=yes", "--no-pager"]).arg(unit))?;
    let t = text(&o);
    t.lines()
        .find_map(|l| l.split_once("Overall exposure level for ")?.1.split_once(": ")?.1.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no exposure level in: {t}"))
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn the_systemd_unit_is_rated_ok_by_systemd_analyze_security() {
    let dir = work_dir("systemd");
    let mut failed = vec![];
    for q in ["", "server=sync&name=shop-api", "server=gevent&proxy=none", "cores=256&ram=2048&server=gthread&replicas=1000", "cores=1&ram=0.5&name=a"] {
        let p = plan(q);
        let unit = planner::export::files(&p).unwrap().into_iter().find(|f| f.name.ends_with(".service")).unwrap();
        let path = dir.join(&unit.name);
        std::fs::write(&path, &unit.text).unwrap();
        match exposure(&path) {
            Ok(x) if x <= 2.0 => println!("ok    systemd-analyze security   {:<28} exposure {x} (OK at most 2.0)", unit.name),
            other => {
                println!("FAIL  systemd-analyze security   {:<28} {other:?}", unit.name);
                failed.push(format!("{q}: {other:?}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// promtool's unit test of the exported rules: an instance that stops answering fires
/// AppDown, a job with no target at all fires AppAbsent, a healthy one fires neither.
#[test]
#[ignore = "needs the real programs: make test-programs"]
fn promtool_fires_an_alert_for_an_app_that_is_down_or_gone() {
    let dir = work_dir("promtool");
    let mut failed = vec![];
    for q in ["", "name=shop-api&platform=k8s&replicas=3", "name=a&db=none"] {
        let p = plan(q);
        let rec = planner::model::rules::recommend(&p);
        let rules = planner::export::files(&p).unwrap().into_iter().find(|f| f.name == "alerts.rules.yml").unwrap();
        let sub = dir.join(&p.name);
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("alerts.rules.yml"), &rules.text).unwrap();
        let alert = |name: &str| rec.alerts.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no {name}"));
        let expected = |name: &str, instance: Option<&str>| {
            let a = alert(name);
            let mut labels = serde_json::json!({"severity": a.severity, "job": p.name});
            if let Some(i) = instance {
                labels["instance"] = i.into();
            }
            serde_json::json!([{"exp_labels": labels, "exp_annotations": {"summary": a.summary, "source": a.source}}])
        };
        let up = format!("up{{job=\"{}\",instance=\"app-1:9090\"}}", p.name);
        let test = serde_json::json!({
            "rule_files": ["alerts.rules.yml"],
            "evaluation_interval": "1m",
            "tests": [
                {"interval": "1m", "input_series": [{"series": up, "values": "1 1 0 0 0 0 0 0"}],
                 "alert_rule_test": [
                    {"eval_time": "1m", "alertname": "AppDown", "exp_alerts": []},
                    {"eval_time": "5m", "alertname": "AppDown", "exp_alerts": expected("AppDown", Some("app-1:9090"))},
                    {"eval_time": "7m", "alertname": "AppAbsent", "exp_alerts": []}]},
                {"interval": "1m", "input_series": [{"series": format!("up{{job=\"other\"}}"), "values": "1x10"}],
                 "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "AppAbsent", "exp_alerts": []},
                    {"eval_time": "6m", "alertname": "AppAbsent", "exp_alerts": expected("AppAbsent", None)}]},
                {"interval": "1m", "input_series": [{"series": up, "values": "1x10"}],
                 "alert_rule_test": [
                    {"eval_time": "10m", "alertname": "AppDown", "exp_alerts": []},
                    {"eval_time": "10m", "alertname": "AppAbsent", "exp_alerts": []}]}
            ]
        });
        std::fs::write(sub.join("alerts.test.yml"), test.to_string()).unwrap();
        let o = run(std::process::Command::new("promtool").args(["test", "rules", "alerts.test.yml"]).current_dir(&sub)).unwrap();
        let t = text(&o);
        if o.status.success() {
            println!("ok    promtool test rules        {:<28} AppDown at 5 min of silence, AppAbsent with no target, none when healthy", p.name);
        } else {
            println!("FAIL  promtool test rules        {:<28} {t}", p.name);
            failed.push(format!("{}: {t}", p.name));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn each_frameworks_driver_keeps_no_prepared_statement_across_pgbouncers_transactions() {
    let dir = work_dir("drivers");
    let case = |label: &'static str, q: &'static str| -> Case {
        let dir = dir.join(label);
        (label, Box::new(move || crate::drivers_run::prepared_statements_never_cross_server_connections(&Tools::find(), &plan(q), &dir)))
    };
    cases("drivers behind PgBouncer", vec![
        case("django-psycopg-pool", "framework=django&server=gthread&pgbouncer=on&db_host=app&name=shop-api"),
        case("flask-psycopg", "framework=flask&server=sync&pgbouncer=on&db_host=app"),
        case("fastapi-asyncpg", "framework=fastapi&pgbouncer=on&db_host=app"),
    ]);
}
