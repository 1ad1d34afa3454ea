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
    cases("gunicorn", vec![
        serve("sync", "cores=1&server=sync"),
        serve("gthread", "cores=1&server=gthread"),
        serve("gevent", "cores=1&server=gevent"),
        serve("gevent-no-proxy", "cores=1&server=gevent&proxy=none&db=none"),
        serve("async", "cores=1"),
        serve("async-k8s", "cores=1&platform=k8s&replicas=2"),
        slow,
    ]);
}
