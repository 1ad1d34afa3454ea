//! gunicorn run on its exported gunicorn.conf.py, serving a real request: with every
//! worker class, from an app that builds an SSL context when it is imported and
//! configures it while serving (which recurses forever when gevent patches the standard
//! library after the import, as `preload_app = True` makes it); and sync workers held by
//! slow clients when they face them directly, but not behind the exported nginx.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use planner::export;
use planner::model::{Plan, Server};

use crate::harness::*;
use crate::http::{get, slow_client, Outcome};
use crate::nginx_run::{ensure, local_conf};

/// A WSGI app with an SSL context built at import and configured per request.
const WSGI_TLS_APP: &str = "import ssl\nCTX = ssl.create_default_context()\n\ndef app(environ, start_response):\n    CTX.minimum_version = ssl.TLSVersion.TLSv1_2\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'host=' + environ.get('HTTP_HOST', '').encode() + b' ok\\n']\n";
/// The same as an ASGI app.
const ASGI_TLS_APP: &str = "import ssl\nCTX = ssl.create_default_context()\n\nasync def app(scope, receive, send):\n    if scope['type'] != 'http':\n        return\n    CTX.minimum_version = ssl.TLSVersion.TLSv1_2\n    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})\n    await send({'type': 'http.response.body', 'body': b'ok\\n'})\n";

/// A WSGI app whose /slow request works 45 s, then leaves a mark that it completed.
const WSGI_SLOW_APP: &str = "import os, time\n\ndef app(environ, start_response):\n    if environ['PATH_INFO'] == '/slow':\n        time.sleep(45)\n        open('completed', 'w').close()\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'ok\\n']\n";

/// gunicorn started in `dir` on the plan's exported gunicorn.conf.py, bound to `port` on
/// loopback (the file's only change), with its pid, control socket and logs in `dir`.
pub(crate) fn start(tools: &Tools, plan: &Plan, dir: &Path, port: u16) -> Result<Running, String> {
    let app = if plan.server == Server::Async { ASGI_TLS_APP } else { WSGI_TLS_APP };
    start_app(tools, plan, dir, port, app)
}

fn start_app(tools: &Tools, plan: &Plan, dir: &Path, port: u16, app: &str) -> Result<Running, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    crate::accept::write_app(dir, &planner::model::rules::framework::entry_point(plan), app)?;
    let conf = export::files(plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == "gunicorn.conf.py").ok_or("no gunicorn.conf.py")?.text;
    let conf: String = conf
        .lines()
        .map(|l| if l.starts_with("bind = ") { format!("bind = \"127.0.0.1:{port}\"") } else { l.to_string() })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(dir.join("gunicorn.conf.py"), conf).map_err(|e| e.to_string())?;
    let mut g = spawn(
        Command::new(tools.venv_bin.join("gunicorn"))
            .args(["-c", "gunicorn.conf.py", "--control-socket"])
            .arg(dir.join("gunicorn.ctl"))
            .current_dir(dir),
        &dir.join("gunicorn.log"),
        "-TERM",
    )?;
    wait_for_port(port, &mut g.child).map_err(|e| format!("gunicorn {e}: {}", g.log()))?;
    Ok(g)
}

/// The exported config serves a request from the TLS-at-import app.
pub(crate) fn serves_a_request(tools: &Tools, plan: &Plan, dir: &Path) -> Result<String, String> {
    let port = free_port();
    let g = start(tools, plan, dir, port)?;
    let start = Instant::now();
    // Workers import the app after the master listens: retry for a few seconds.
    loop {
        match get(port, "shop.example", "/", &[], Duration::from_secs(10)) {
            Outcome::Answered(a) if a.status == 200 => {
                return Ok(format!("200 in {:.1} s (workers import the app themselves)", start.elapsed().as_secs_f64()))
            }
            other if start.elapsed() > Duration::from_secs(20) => return Err(format!("{other:?}\n{}", g.log())),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// Slow clients, one per sync worker, stop gunicorn facing them directly (as the
/// `slow-clients-hold-workers` warning says), and do not behind the exported nginx.
pub(crate) fn slow_clients(tools: &Tools, direct: &Plan, proxied: &Plan, dir: &Path) -> Result<String, String> {
    let workers = planner::model::rules::recommend(direct).gunicorn.workers.value as usize;
    ensure!(direct.server == Server::Sync && !direct.has_proxy() && proxied.has_proxy(), "the plans of the slow-client test");
    let port = free_port();
    let _g = start(tools, direct, &dir.join("direct"), port)?;
    wait_until_served(port)?;
    let held: Vec<_> = (0..workers).filter_map(|_| slow_client(port)).collect();
    ensure!(held.len() == workers, "could not open {workers} slow connections");
    std::thread::sleep(Duration::from_millis(300));
    let direct_outcome = get(port, "shop.example", "/", &[], Duration::from_secs(3));
    ensure!(!matches!(direct_outcome, Outcome::Answered(_)), "{workers} slow clients did not hold {workers} sync workers: {direct_outcome:?}");
    drop(held);

    let dir = dir.join("proxied");
    let app_port = free_port();
    let _g = start(tools, proxied, &dir, app_port)?;
    wait_until_served(app_port)?;
    let (nginx_port, _nginx) = nginx_before(proxied, &dir, app_port)?;
    let held: Vec<_> = (0..workers * 4).filter_map(|_| slow_client(nginx_port)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let via = get(nginx_port, "shop.example", "/", &[], Duration::from_secs(3)).answer()?;
    ensure!(via.status == 200, "behind nginx, with {} slow clients: {}", held.len(), via.status);
    Ok(format!("{workers} slow clients stop gunicorn alone; {} behind nginx leave it answering in {:.0} ms", held.len(), t.elapsed().as_secs_f64() * 1000.0))
}

/// The plan's exported nginx.conf started in `dir` in front of the app on `app_port`.
fn nginx_before(plan: &Plan, dir: &Path, app_port: u16) -> Result<(u16, Running), String> {
    let nginx_port = free_port();
    let text = export::files(plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == "nginx.conf").ok_or("no nginx.conf")?.text;
    std::fs::copy("/etc/nginx/mime.types", dir.join("mime.types")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("nginx.conf"), local_conf(&text, dir, nginx_port, app_port)).map_err(|e| e.to_string())?;
    let _ = Command::new("chmod").arg("-R").arg("777").arg(dir).status();
    let mut nginx = spawn(Command::new("nginx").arg("-c").arg(dir.join("nginx.conf")).arg("-p").arg(dir).args(["-g", "daemon off;"]), &dir.join("nginx.out"), "-TERM")?;
    wait_for_port(nginx_port, &mut nginx.child).map_err(|e| format!("nginx {e}: {}", nginx.log()))?;
    Ok((nginx_port, nginx))
}

/// A request longer than the app's timeout: gunicorn's timeout kills the worker first, so
/// the app's side answers (500) and the work stops; nginx never answers 504 while the app
/// goes on.
pub(crate) fn the_apps_deadline_acts_first(tools: &Tools, plan: &Plan, dir: &Path) -> Result<String, String> {
    let g = planner::model::rules::recommend(plan).gunicorn;
    ensure!(plan.server == Server::Sync && plan.has_proxy() && g.timeout_s.value < 45, "the plan of the deadline test");
    let app_port = free_port();
    let gunicorn = start_app(tools, plan, dir, app_port, WSGI_SLOW_APP)?;
    wait_until_served(app_port)?;
    let (port, _nginx) = nginx_before(plan, dir, app_port)?;
    let t = Instant::now();
    let a = get(port, "shop.example", "/slow", &[], Duration::from_secs(60)).answer()?;
    let took = t.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(1));
    // gunicorn answers 500 as it aborts the worker (nginx 502 if it could not); 504 would be
    // nginx giving up while the app works on.
    ensure!(matches!(a.status, 500 | 502) && took < f64::from(g.timeout_s.value + 5), "status {} after {took:.1} s\n{}", a.status, gunicorn.log());
    ensure!(!dir.join("completed").exists(), "the request completed after the client was answered");
    ensure!(gunicorn.log().contains("WORKER TIMEOUT"), "gunicorn did not time the worker out:\n{}", gunicorn.log());
    Ok(format!("gunicorn's {} s timeout killed the worker: {} after {took:.1} s (nginx waits {} s); the work never completed", g.timeout_s.value, a.status, g.timeout_s.value + 5))
}

fn wait_until_served(port: u16) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Outcome::Answered(a) = get(port, "shop.example", "/", &[], Duration::from_secs(5)) {
            if a.status == 200 {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("nothing served on {port} within 20 s"))
}

/// An app of the framework's own interface on a server of the other (the plan has the
/// error `asgi-app-on-wsgi-server` or `wsgi-app-on-asgi-server`): gunicorn starts, and
/// answers every request with 500, as the warning says.
pub(crate) fn the_other_interface_fails(tools: &Tools, plan: &Plan, dir: &Path) -> Result<String, String> {
    use planner::model::Framework;
    let codes: Vec<&str> = planner::model::rules::recommend(plan).warnings.iter().map(|w| w.code).collect();
    let (app, code) = match plan.framework {
        Framework::Fastapi => (ASGI_TLS_APP, "asgi-app-on-wsgi-server"),
        Framework::Flask => (WSGI_TLS_APP, "wsgi-app-on-asgi-server"),
        _ => return Err("only FastAPI and Flask have one interface".into()),
    };
    ensure!(codes.contains(&code), "the plan has no {code}: {codes:?}");
    let port = free_port();
    let g = start_app(tools, plan, dir, port, app)?;
    let start = Instant::now();
    let mut statuses = vec![];
    while statuses.len() < 3 {
        match get(port, "shop.example", "/", &[], Duration::from_secs(10)) {
            Outcome::Answered(a) => statuses.push(a.status),
            other if start.elapsed() > Duration::from_secs(20) => return Err(format!("{other:?}\n{}", g.log())),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    ensure!(statuses.iter().all(|&s| s == 500), "answered {statuses:?}\n{}", g.log());
    Ok(format!("{code}: answered {statuses:?} ({})", g.log().lines().rev().find(|l| l.starts_with("TypeError")).unwrap_or("TypeError")))
}
