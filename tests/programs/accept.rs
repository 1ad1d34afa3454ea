//! Every exported file read by the program that reads it in production, and its values
//! compared with the planner's (the table in main.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use planner::export::{self, File};
use planner::model::rules::Recommendation;
use planner::model::{Plan, Server};

use crate::harness::*;

/// What one check found.
pub(crate) struct Outcome {
    pub(crate) plan: String,
    pub(crate) file: String,
    pub(crate) program: &'static str,
    /// None: passed; Some: the program's own message.
    pub(crate) failure: Option<String>,
    /// Warnings the program printed while accepting the file.
    pub(crate) warnings: Vec<String>,
    /// What was asked of the program and what it answered, for the log.
    pub(crate) note: String,
}


/// The tiny apps gunicorn loads: WSGI for the gunicorn workers, ASGI for uvicorn's.
pub(crate) const WSGI_APP: &str = "def app(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [b'ok']\n";
pub(crate) const ASGI_APP: &str = "async def app(scope, receive, send):\n    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n    await send({'type': 'http.response.body', 'body': b'ok'})\n";

/// The app gunicorn loads, at its entry point `module.path:callable`: the module's file
/// (its packages with an `__init__.py`) holds `app`, also as `application` and behind a
/// factory `create_app()`, so every framework's spelling finds it.
pub(crate) fn write_app(dir: &Path, entry: &str, app: &str) -> Result<(), String> {
    let module = entry.split(':').next().unwrap_or_default();
    let parts: Vec<&str> = module.split('.').collect();
    let mut at = dir.to_path_buf();
    for package in &parts[..parts.len() - 1] {
        at.push(package);
        std::fs::create_dir_all(&at).map_err(|e| e.to_string())?;
        std::fs::write(at.join("__init__.py"), "").map_err(|e| e.to_string())?;
    }
    let code = format!("{app}\napplication = app\n\n\ndef create_app():\n    return app\n");
    std::fs::write(at.join(format!("{}.py", parts[parts.len() - 1])), code).map_err(|e| e.to_string())
}

/// Checks one plan's files; one outcome per checked file.
pub(crate) struct Check<'a> {
    pub(crate) tools: &'a Tools,
    pub(crate) fx: &'a Fixtures,
    pub(crate) label: &'a str,
    pub(crate) plan: &'a Plan,
    pub(crate) rec: &'a Recommendation,
    pub(crate) dir: PathBuf,
}

impl Check<'_> {
    fn outcome(&self, file: &File, program: &'static str, result: Result<(String, Vec<String>), String>) -> Outcome {
        let (failure, note, warnings) = match result {
            Ok((note, warnings)) => (None, note, warnings),
            Err(message) => (Some(message), String::new(), vec![]),
        };
        Outcome { plan: self.label.to_string(), file: file.name.clone(), program, failure, warnings, note }
    }

    pub(crate) fn file(&self, file: &File) -> Option<Outcome> {
        let name = file.name.as_str();
        Some(match name {
            "gunicorn.conf.py" => self.outcome(file, "gunicorn --print-config", self.gunicorn()),
            "nginx.conf" => self.outcome(file, "nginx -t", self.nginx()),
            ".env" => self.outcome(file, "bash: set -a; . .env", self.env()),
            "postgresql.conf" => self.outcome(file, "postgres + SHOW", self.postgres()),
            "pgbouncer.ini" => self.outcome(file, "pgbouncer + SHOW CONFIG", self.pgbouncer()),
            "pgbouncer-limits.conf" => self.outcome(file, "systemd-analyze verify", self.pgbouncer_drop_in(file)),
            "redis.conf" => self.outcome(file, "redis-server + CONFIG GET", self.redis()),
            "kubernetes.yaml" => self.outcome(file, "kubernetes-validate", self.kubernetes(name)),
            "deployment.nix" => self.outcome(file, "nix-instantiate --parse", self.nix_parse(name)),
            "alerts.rules.yml" => self.outcome(file, "promtool check rules", self.simple("promtool".into(), &["check", "rules"], name)),
            n if n.ends_with("_settings.py") => self.outcome(file, "the framework imports it", self.framework_settings()),
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

    /// `nix-instantiate --parse` prints the parsed expression, which holds the files the
    /// ConfigMaps carry (nginx.conf's `error_log … warn`): only its stderr can warn.
    fn nix_parse(&self, name: &str) -> Result<(String, Vec<String>), String> {
        let o = run(Command::new("nix-instantiate").arg("--parse").arg(self.dir.join(name)))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        let err = String::from_utf8_lossy(&o.stderr);
        Ok((format!("parsed, {} bytes", o.stdout.len()), warnings_in(&err)))
    }

    /// `kubernetes-validate --strict`, then PyYAML reads every ConfigMap: each file it
    /// holds must be byte for byte the file exported beside it.
    fn kubernetes(&self, name: &str) -> Result<(String, Vec<String>), String> {
        let (note, warnings) = self.simple(self.tools.venv_bin.join("kubernetes-validate"), &["--strict"], name)?;
        const SAME: &str = "import os, sys, yaml\nn = 0\nfor d in yaml.safe_load_all(open(sys.argv[1])):\n    if d and d['kind'] == 'ConfigMap':\n        for k, v in d['data'].items():\n            if v != open(k).read():\n                sys.exit(f'ConfigMap {d[\"metadata\"][\"name\"]}: {k} differs from the exported {k}')\n            n += 1\nprint(n)\n";
        let o = run(Command::new(self.tools.venv_bin.join("python")).args(["-c", SAME]).arg(self.dir.join(name)).current_dir(&self.dir))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        Ok((format!("{note}; {} embedded files as exported", text(&o)), warnings))
    }

    fn gunicorn(&self) -> Result<(String, Vec<String>), String> {
        let app = if self.plan.server == Server::Async { ASGI_APP } else { WSGI_APP };
        let entry = planner::model::rules::framework::entry_point(self.plan);
        write_app(&self.dir, &entry, app)?;
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
            ("preload_app", "False".to_string()),
            ("worker_tmp_dir", g.worker_tmp_dir.value.to_string()),
            ("wsgi_app", entry.clone()),
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

    /// A root for `systemd-analyze verify --root`: the distribution's units, and a
    /// merged-/usr tree (Debian 12) whose /bin is usr/bin, holding kill for ExecReload.
    fn systemd_root(&self, name: &str) -> Result<PathBuf, String> {
        let root = self.dir.join(name);
        std::fs::create_dir_all(root.join("etc/systemd/system")).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(root.join("usr/lib/systemd")).map_err(|e| e.to_string())?;
        let o = run(Command::new("cp").arg("-a").arg("/usr/lib/systemd/system").arg(root.join("usr/lib/systemd/")))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        self.copy_into(&root, Path::new("/usr/bin/kill"), "usr/bin/kill")?;
        if !root.join("bin").exists() {
            std::os::unix::fs::symlink("usr/bin", root.join("bin")).map_err(|e| e.to_string())?;
        }
        Ok(root)
    }

    /// Copies a program into the root at `at` (ExecStart must find it).
    fn copy_into(&self, root: &Path, program: &Path, at: &str) -> Result<(), String> {
        let to = root.join(at.trim_start_matches('/'));
        std::fs::create_dir_all(to.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::copy(program, &to).map(|_| ()).map_err(|e| format!("{}: {e}", program.display()))
    }

    /// `systemd-analyze verify` of a unit in the root: any line it prints about the unit (an
    /// unknown key, a bad value) is a rejection too.
    fn verify(root: &Path, unit: &str) -> Result<(), String> {
        let o = run(Command::new("systemd-analyze").arg("verify").arg(format!("--root={}", root.display())).arg(unit))?;
        let t = text(&o);
        if !o.status.success() || !t.is_empty() {
            return Err(if t.is_empty() { format!("exit {}", o.status) } else { t });
        }
        Ok(())
    }

    fn systemd(&self, file: &File) -> Result<(String, Vec<String>), String> {
        // The unit, and the real gunicorn at its ExecStart.
        let root = self.systemd_root("systemd-root")?;
        std::fs::write(root.join("etc/systemd/system").join(&file.name), &file.text).map_err(|e| e.to_string())?;
        self.copy_into(&root, &self.tools.venv_bin.join("gunicorn"), &export::systemd::exec_path(self.plan))?;
        Self::verify(&root, &file.name)?;
        Ok((format!("ExecStart {} found, LimitNOFILE={}", export::systemd::exec_path(self.plan), self.rec.kernel.nofile.value), vec![]))
    }

    /// The drop-in beside Debian's own pgbouncer.service: systemd-analyze verify reads the
    /// unit with it, and `LimitNOFILE` must parse as the value the file gives.
    fn pgbouncer_drop_in(&self, file: &File) -> Result<(String, Vec<String>), String> {
        let root = self.systemd_root("systemd-root-pgbouncer")?;
        if !root.join("usr/lib/systemd/system/pgbouncer.service").exists() {
            return Err("no pgbouncer.service from Debian's package".into());
        }
        let drop_in = root.join("etc/systemd/system/pgbouncer.service.d");
        std::fs::create_dir_all(&drop_in).map_err(|e| e.to_string())?;
        std::fs::write(drop_in.join("limits.conf"), &file.text).map_err(|e| e.to_string())?;
        self.copy_into(&root, Path::new("/usr/sbin/pgbouncer"), "usr/sbin/pgbouncer")?;
        Self::verify(&root, "pgbouncer.service")?;
        let limit = file.text.lines().find_map(|l| l.strip_prefix("LimitNOFILE=")).ok_or("no LimitNOFILE")?;
        Ok((format!("Debian's pgbouncer.service with LimitNOFILE={limit}"), vec![]))
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
