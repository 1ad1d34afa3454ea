//! The real programs accept every exported file (PLANNER.md §4). For 20+ plans — every
//! server type, hosts and Kubernetes, with and without database, PgBouncer, cache and
//! proxy, and the extreme nodes — the files are exported and read by the programs that
//! read them in production:
//!
//! | file | program |
//! |---|---|
//! | gunicorn.conf.py | `gunicorn --print-config` (implies --check-config; loads a tiny WSGI or ASGI app) |
//! | .env | bash (`set -a; . .env`, as a start script reads it), every variable compared |
//! | `<name>.service` | `systemd-analyze verify --root` on a tree holding the real gunicorn at ExecStart |
//! | nginx.conf | `nginx -t` (on a fresh /var/cache in a private mount namespace when possible) |
//! | postgresql.conf | the server of its version on a temporary cluster including it (PostgreSQL 18 for 18, Debian's 15 for the rest), then `SHOW` of each value (`postgres -C` when shared_buffers exceeds this machine) |
//! | pgbouncer.ini | PgBouncer started on loopback including it, then `SHOW CONFIG` |
//! | redis.conf | redis-server started on loopback with it, then `CONFIG GET` |
//! | sysctl*.conf | every key exists in this kernel (`sysctl -n`; a missing key is a warning) |
//! | kubernetes.yaml | `kubernetes-validate --strict` |
//! | deployment.nix | `nix-instantiate --parse` |
//! | alerts.rules.yml | `promtool check rules` |
//!
//! Run by `make test-programs` (which installs them); output ends with a pass/fail count,
//! and a rejection fails the test with the program's own message.

mod accept;
mod accept_frameworks;
mod accept_servers;
mod behaviour;
mod drivers_run;
mod gunicorn_run;
mod harness;
mod http;
mod nginx_run;
mod pgbouncer_run;
mod redis_run;

use planner::export;
use planner::model::rules;
use planner::model::{Cache, Database, DbHost, Framework, Plan, Platform, Proxy, Server, Storage, Switch, Workload};
use std::time::Instant;

use accept::{Check, Outcome};
use harness::{Fixtures, Tools};

/// The plans: a label and the query that makes it.
const PLANS: &[(&str, &str)] = &[
    ("default", ""),
    ("small-sync", "tier=small&server=sync"),
    ("large-gthread", "tier=large&server=gthread"),
    ("gevent", "server=gevent"),
    ("async-bare", "db=none&cache=none&proxy=none"),
    ("sync-db-on-app-pgbouncer", "server=sync&db_host=app&pgbouncer=on"),
    ("gthread-pgbouncer-own-hdd", "server=gthread&pgbouncer=on&db_storage=hdd&storage=hdd"),
    ("gevent-no-proxy-cache-only", "server=gevent&proxy=none&db=none"),
    ("k8s-async", "platform=k8s&replicas=3"),
    ("k8s-compute-sync-pgbouncer-1", "platform=k8s&workload=compute&server=sync&pgbouncer=on&replicas=1"),
    ("k8s-job-gevent-no-db", "platform=k8s&workload=job&server=gevent&db=none&replicas=2"),
    ("k8s-gthread-bare", "platform=k8s&server=gthread&proxy=none&cache=none&db=none&replicas=4"),
    ("k8s-full-async", "platform=k8s&pgbouncer=on&replicas=3&cache_paths=/api/status&name=shop"),
    ("k8s-pod-half-core-sync", "platform=k8s&cores=16&ram=64&server=sync&pod_cpu=0.5&pod_mem=1&rps=100&replicas=3"),
    ("min-sync-db-on-app", "cores=1&ram=0.5&server=sync&db_host=app&cache_mem=16&worker_mem=16"),
    ("min-async-k8s", "cores=1&ram=0.5&platform=k8s&db_cores=1&db_ram=0.5&cache_mem=16"),
    ("max-async-db-on-app-pgbouncer", "cores=256&ram=2048&db_host=app&pgbouncer=on&cache_mem=65536"),
    ("max-gevent-k8s-fleet", "cores=256&ram=2048&server=gevent&platform=k8s&db_cores=256&db_ram=2048&pgbouncer=on&replicas=1000"),
    ("max-sync-hosts-own-db", "cores=256&ram=2048&server=sync&db_cores=256&db_ram=2048&db_storage=nvme&replicas=1000&pgbouncer=on"),
    ("slow-sync-hdd", "server=sync&storage=hdd&db_storage=hdd&wait_ms=2,3000,12"),
    ("very-slow-gthread", "server=gthread&wait_ms=100000,30,12&threads=64&workers=1"),
    ("nvme-db-64", "db_cores=64&db_ram=256&db_storage=nvme&name=shop-api-2"),
    ("fleet-pgbouncer", "replicas=50&pgbouncer=on&rps=20000&name=edge"),
    ("cpu-heavy-async", "mix=80,10,10&rps=500&p95=100"),
    ("io-heavy-async", "mix=0,90,10&concurrency=1000&rps=50000"),
    ("pg13-db-on-app", "pg_version=13&db_host=app&server=sync"),
    ("pg15-own-64", "pg_version=15&db_cores=64&db_ram=256"),
    ("pg18-own-64-nvme", "pg_version=18&db_cores=64&db_ram=256&db_storage=nvme"),
    ("pg18-min", "pg_version=18&db_cores=1&db_ram=0.5&db_storage=hdd"),
    ("direct-gthread-behind-lb", "proxy=none&lb_cidr=10.0.0.0/8,fd00::/8&server=gthread"),
    ("nginx-named-lb-cache", "server_name=shop.example.com,www.shop.example.com&lb_cidr=10.0.0.0/8&cache_paths=/api/status,/"),
    ("pgbouncer-own-app-ranges", "pgbouncer=on&app_cidr=10.20.0.0/16,fd00::/8&replicas=8&pg_version=16"),
    ("django-gthread-pgbouncer", "framework=django&server=gthread&pgbouncer=on&name=shop-api"),
    ("django-async-k8s", "framework=django&platform=k8s&replicas=2&name=shop"),
    ("django-gevent-no-db", "framework=django&server=gevent&db=none"),
    ("flask-sync-pgbouncer-on-app", "framework=flask&server=sync&pgbouncer=on&db_host=app"),
    ("flask-gevent", "framework=flask&server=gevent"),
    ("fastapi-pgbouncer", "framework=fastapi&pgbouncer=on"),
    ("fastapi-no-db", "framework=fastapi&db=none&cache=none"),
];

/// What the plans cover, checked so the list keeps covering it.
fn assert_coverage(plans: &[(String, Plan)]) {
    let has = |f: &dyn Fn(&Plan) -> bool| plans.iter().any(|(_, p)| f(p));
    for s in Server::ALL {
        for platform in [Platform::Hosts, Platform::K8s] {
            assert!(has(&|p| p.server == *s && p.platform == platform), "no {s} plan on {platform}");
        }
    }
    assert!(has(&|p| p.db == Database::None) && has(&|p| p.db == Database::Postgres && p.db_host == DbHost::App));
    assert!(has(&|p| p.pgbouncer.is_on() && p.has_db()) && has(&|p| p.cache == Cache::None) && has(&|p| p.proxy == Proxy::None));
    assert!(has(&|p| p.cores == 1 && p.ram_gib == 0.5) && has(&|p| p.cores == 256 && p.ram_gib == 2048.0));
    assert!(has(&|p| p.workload == Workload::Compute) && has(&|p| p.workload == Workload::Job));
    assert!(has(&|p| p.db_storage == Storage::Hdd) && has(&|p| p.db_storage == Storage::Nvme));
    assert!(has(&|p| p.pgbouncer == Switch::On && p.platform == Platform::K8s));
    // Kubernetes: every object (nginx sidecar, Redis, PgBouncer), none of them, and the extremes.
    let k8s = |f: &dyn Fn(&Plan) -> bool| has(&|p| p.platform == Platform::K8s && f(p));
    assert!(k8s(&|p| p.has_proxy() && p.has_cache() && p.pgbouncer.is_on() && p.has_db()));
    assert!(k8s(&|p| !p.has_proxy() && !p.has_cache() && !p.has_db()));
    assert!(k8s(&|p| p.cores == 256 && p.replicas == 1000) && k8s(&|p| p.cores == 1 && p.ram_gib == 0.5));
    for version in [13, 15, 17, 18] {
        assert!(has(&|p| p.has_db() && p.pg_version == version), "no plan for PostgreSQL {version}");
    }
    for f in [Framework::Django, Framework::Flask, Framework::Fastapi] {
        assert!(has(&|p| p.framework == f && p.has_db() && p.pgbouncer.is_on()), "no {f} plan behind PgBouncer");
        assert!(has(&|p| p.framework == f && !p.pgbouncer.is_on()), "no {f} plan without PgBouncer");
    }
    assert!(has(&|p| p.framework == Framework::Django && p.server == Server::Async) && has(&|p| p.framework == Framework::Django && !p.has_db()));
    assert!(plans.len() >= 20);
}

#[test]
#[ignore = "needs the real programs: make test-programs"]
fn the_real_programs_accept_every_generated_file() {
    let start = Instant::now();
    let tools = Tools::find();
    let plans: Vec<(String, Plan)> = PLANS
        .iter()
        .map(|(label, q)| (label.to_string(), planner::model::query::decode_strict(q).unwrap_or_else(|e| panic!("{label}: {e}"))))
        .collect();
    assert_coverage(&plans);
    let fx = Fixtures::new(&tools);
    let mut outcomes = vec![];
    let mut files_written = 0;
    for (label, plan) in &plans {
        let files = export::files(plan).unwrap_or_else(|e| panic!("{label}: {e}"));
        let rec = rules::recommend(plan);
        let dir = fx.work.join(label);
        std::fs::create_dir_all(&dir).unwrap();
        for f in &files {
            std::fs::write(dir.join(&f.name), &f.text).unwrap();
        }
        files_written += files.len();
        let check = Check { tools: &tools, fx: &fx, label, plan, rec: &rec, dir };
        for f in &files {
            if let Some(o) = check.file(f) {
                match &o.failure {
                    None => println!("ok    {:<32} {:<22} {:<26} {}", o.plan, o.file, o.program, o.note),
                    Some(m) => println!("FAIL  {:<32} {:<22} {:<26}\n{m}", o.plan, o.file, o.program),
                }
                for w in &o.warnings {
                    println!("warn  {:<32} {:<22} {w}", o.plan, o.file);
                }
                outcomes.push(o);
            }
        }
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    let warned = outcomes.iter().map(|o| o.warnings.len()).sum::<usize>();
    println!(
        "programs: {} passed, {} failed, {warned} warnings — {} plans, {files_written} files written, {} checked by a program, in {:.0} s",
        outcomes.len() - failed.len(),
        failed.len(),
        plans.len(),
        outcomes.len(),
        start.elapsed().as_secs_f64()
    );
    let report: Vec<String> =
        failed.iter().map(|o| format!("{} {} ({}): {}", o.plan, o.file, o.program, o.failure.as_deref().unwrap_or(""))).collect();
    assert!(failed.is_empty(), "{} file(s) rejected:\n{}", failed.len(), report.join("\n"));
}
