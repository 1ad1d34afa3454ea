//! `gunicorn.conf.py`: the app server's settings (guides 000, 003, 004), every value
//! from [`crate::model::rules::gunicorn`].

use super::why_line;
use crate::model::rules::framework::entry_point;
use crate::model::rules::{Explained, Recommendation};
use crate::model::text::{cat, digits, push_all};
use crate::model::{Framework, Plan, Platform, Server};

/// The app's port (004 SERVER_PORT).
pub const PORT: u32 = 8000;

/// The address gunicorn listens on: loopback behind nginx on a host (004
/// "SERVER_HOST=127.0.0.1, more secure if the proxy is on the same host"), every
/// interface otherwise (in a pod the kubelet's probes come from outside it).
pub fn host(plan: &Plan) -> &'static str {
    if plan.has_proxy() && plan.platform == Platform::Hosts {
        "127.0.0.1"
    } else {
        "0.0.0.0"
    }
}

/// `bind`: [`host`] and [`PORT`].
pub fn bind(plan: &Plan) -> String {
    cat(&[host(plan), ":", &digits(PORT)])
}

fn setting(out: &mut String, name: &str, python: &[&str], e: &Explained<impl Sized>) {
    out.push_str(name);
    out.push_str(" = ");
    push_all(out, python);
    why_line(out, "  # ", &e.why);
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The one line the person must check, marked as such: what gunicorn loads (`wsgi_app`,
/// module:callable, for an ASGI app too), in the framework's usual layout.
fn entry(out: &mut String, plan: &Plan, app: &str) {
    let layout = match plan.framework {
        Framework::Generic => "the app object `app` of app.py in the working directory".to_string(),
        Framework::Django => {
            let module = app.split(':').next().unwrap_or_default();
            cat(&["`application` in ", &module.replace('.', "/"), ".py, as django-admin startproject writes it"])
        }
        Framework::Flask => "the Flask object `app` of app.py (Flask's deployment docs)".to_string(),
        Framework::Fastapi => "the FastAPI object `app` of app/main.py (FastAPI's \"Bigger Applications\" layout)".to_string(),
    };
    push_all(out, &["# CHECK THIS LINE: your app's module:callable. Written for ", &layout, ".\n"]);
    if plan.framework == Framework::Flask {
        out.push_str("# With an application factory instead: wsgi_app = \"app:create_app()\"\n");
    }
    push_all(out, &["wsgi_app = \"", app, "\"\n"]);
}

/// gunicorn.conf.py below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation) {
    let g = &rec.gunicorn;
    let app = entry_point(plan);
    push_all(out, &["# Run: gunicorn -c gunicorn.conf.py   (loads ", &app, ")\n"]);
    out.push('\n');
    if plan.server == Server::Async {
        // uvicorn's worker takes no concurrency limit from gunicorn's settings: a subclass
        // passes the rule's limit to uvicorn's Config (uvicorn --limit-concurrency).
        out.push_str("# pip install uvicorn-worker (uvicorn's own uvicorn.workers is deprecated for it)\n");
        out.push_str("from uvicorn_worker import UvicornWorker\n");
        out.push('\n');
        out.push('\n');
        out.push_str("class Worker(UvicornWorker):\n");
        why_line(out, "    # ", &g.per_process.why);
        push_all(out, &[
            "    CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, \"limit_concurrency\": ",
            &digits(g.per_process.value),
            "}\n",
        ]);
        out.push('\n');
        out.push('\n');
    }
    entry(out, plan, &app);
    push_all(out, &["bind = \"", &bind(plan), "\"\n"]);
    setting(out, "workers", &[&digits(g.workers.value)], &g.workers);
    match plan.server {
        Server::Async => setting(out, "worker_class", &["Worker"], &g.worker_class),
        _ => setting(out, "worker_class", &["\"", g.worker_class.value, "\""], &g.worker_class),
    }
    match plan.server {
        Server::Gthread => setting(out, "threads", &[&digits(g.per_process.value)], &g.per_process),
        Server::Gevent => setting(out, "worker_connections", &[&digits(g.per_process.value)], &g.per_process),
        Server::Sync | Server::Async => {}
    }
    setting(out, "timeout", &[&digits(g.timeout_s.value)], &g.timeout_s);
    setting(out, "graceful_timeout", &[&digits(g.graceful_timeout_s.value)], &g.graceful_timeout_s);
    setting(out, "keepalive", &[&digits(g.keepalive_s.value)], &g.keepalive_s);
    setting(out, "max_requests", &[&digits(g.max_requests.value)], &g.max_requests);
    setting(out, "max_requests_jitter", &[&digits(g.max_requests_jitter.value)], &g.max_requests_jitter);
    setting(out, "preload_app", &[py_bool(g.preload_app.value)], &g.preload_app);
    setting(out, "worker_tmp_dir", &["\"", g.worker_tmp_dir.value, "\""], &g.worker_tmp_dir);
    out.push_str("accesslog = \"-\"  # to stdout: journald or the container runtime keeps it\n");
    out.push_str("errorlog = \"-\"\n");
    out.push_str("loglevel = \"info\"\n");
    out.push_str("# gunicorn 25.1+ opens a control socket in $HOME by default; systemd's signals do its work.\n");
    out.push_str("control_socket_disable = True  # older gunicorn ignores the name\n");
    if plan.has_proxy() {
        out.push_str("forwarded_allow_ips = \"127.0.0.1\"  # trust X-Forwarded-* from nginx only\n");
    } else if !plan.lb_cidr.is_empty() {
        let ranges: Vec<&str> = crate::model::lists::items(&plan.lb_cidr).collect();
        push_all(out, &["forwarded_allow_ips = \"", &ranges.join(","), "\"  # trust X-Forwarded-* from the load balancers only (ranges: gunicorn 22+)\n"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;

    fn text(edit: impl FnOnce(&mut Plan)) -> String {
        let mut plan = Plan::default();
        edit(&mut plan);
        text_of(&plan, "gunicorn.conf.py")
    }

    #[test]
    fn the_file_carries_the_recommended_workers_and_class() {
        let t = text(|p| {
            p.server = Server::Gthread;
            p.cores = 2;
        });
        assert!(t.contains("\nworkers = 5  # "), "{t}");
        assert!(t.contains("\nworker_class = \"gthread\"  # "));
        assert!(t.contains("\nthreads = 3  # "));
        assert!(t.starts_with("# gunicorn.conf.py generated by the capacity planner\n# app: 2 cores"));
    }

    #[test]
    fn gevent_writes_worker_connections() {
        assert!(text(|p| p.server = Server::Gevent).contains("\nworker_connections = 1000  # "));
    }

    #[test]
    fn lifecycle_values_come_from_the_rules() {
        let mut plan = Plan::default();
        plan.wait_ms = crate::model::plan::three([2.0, 3000.0, 12.0]);
        let rec = recommend(&plan);
        let t = text_of(&plan, "gunicorn.conf.py");
        assert_eq!(rec.gunicorn.timeout_s.value, 120);
        for line in ["timeout = 120  #", "graceful_timeout = 120  #", "keepalive = 65  #", "max_requests = 1000  #", "max_requests_jitter = 100  #", "preload_app = False  #", "worker_tmp_dir = \"/dev/shm\"  #"] {
            assert!(t.contains(&format!("\n{line}")), "{line} in {t}");
        }
    }

    #[test]
    fn async_passes_the_concurrency_limit_to_uvicorn() {
        let t = text(|p| p.concurrency = Some(250));
        assert!(t.contains("\"limit_concurrency\": 250}"), "{t}");
        assert!(t.contains("\nworker_class = Worker  # "));
    }

    #[test]
    fn forwarded_headers_are_trusted_from_nginx_or_the_load_balancers_only() {
        assert!(text(|_| {}).contains("\nforwarded_allow_ips = \"127.0.0.1\"  #"));
        let direct = text(|p| p.proxy = crate::model::Proxy::None);
        assert!(!direct.contains("forwarded_allow_ips"), "{direct}");
        let lb = text(|p| {
            p.proxy = crate::model::Proxy::None;
            p.lb_cidr = "10.0.0.0/8,fd00::/8".into();
        });
        assert!(lb.contains("\nforwarded_allow_ips = \"10.0.0.0/8,fd00::/8\"  #"), "{lb}");
    }

    #[test]
    fn without_a_proxy_gunicorn_listens_on_every_interface_with_a_short_keepalive() {
        let t = text(|p| p.proxy = crate::model::Proxy::None);
        assert!(t.contains("bind = \"0.0.0.0:8000\"") && t.contains("\nkeepalive = 5  #"), "{t}");
    }
}
