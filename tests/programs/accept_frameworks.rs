//! The framework's settings file read by the framework itself (the pinned venv in
//! `.tools/frameworks`): Django's startproject with the file imported as its comment says,
//! Flask's config with Flask-SQLAlchemy's engine, FastAPI's SessionMiddleware and
//! SQLAlchemy's async engine on asyncpg. Each prints what it resolved; every value must be
//! the planner's.

use std::collections::BTreeMap;
use std::process::Command;

use planner::model::rules::framework::python_package;
use planner::model::{Framework, Plan};

use crate::accept::Check;
use crate::harness::*;

/// Django: the settings as Django resolves them, and the pool as Django builds it (not
/// opened: no server is needed to read its sizes and connection arguments).
const DJANGO: &str = r#"
import importlib, os, sys
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[2] + ".settings"
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection
for m in ("wsgi", "asgi"):
    importlib.import_module(f"{sys.argv[2]}.{m}").application
call_command("check")
out = {k: getattr(settings, k) for k in ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE"]}
db = settings.DATABASES["default"]
if "pool" in db["OPTIONS"]:
    pool = connection.pool
    out.update({"pool.min_size": pool.min_size, "pool.max_size": pool.max_size, "CONN_MAX_AGE": db["CONN_MAX_AGE"],
                "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"], "DISABLE_SERVER_SIDE_CURSORS": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
                "prepare_threshold": pool.kwargs.get("prepare_threshold", "unset"), "sslmode": pool.kwargs.get("sslmode", "unset")})
for k, v in out.items():
    print(f"{k} = {v}")
"#;

/// Flask: the config as Flask loads it, and Flask-SQLAlchemy's engine made from it.
const FLASK: &str = r#"
import sys
sys.path.insert(0, sys.argv[1])
from flask import Flask
app = Flask("planned")
app.config.from_object("flask_settings")
out = {k: app.config[k] for k in ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"]}
if "SQLALCHEMY_ENGINE_OPTIONS" in app.config:
    from flask_sqlalchemy import SQLAlchemy
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://app@127.0.0.1:1/app"
    db = SQLAlchemy(app)
    with app.app_context():
        pool = db.engine.pool
        out.update({"pool_size": pool.size(), "max_overflow": pool._max_overflow, "pool_pre_ping": pool._pre_ping, "pool_recycle": pool._recycle})
    args = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    out.update({"prepare_threshold": args.get("prepare_threshold", "unset"), "sslmode": args.get("sslmode", "unset")})
for k, v in out.items():
    print(f"{k} = {v}")
"#;

/// FastAPI: Starlette's session cookie flags, and SQLAlchemy's async engine on asyncpg.
const FASTAPI: &str = r#"
import sys
sys.path.insert(0, sys.argv[1])
import fastapi_settings as s
from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
out = {"session cookie": SessionMiddleware(FastAPI(), secret_key="x", **s.SESSION_MIDDLEWARE).security_flags}
if hasattr(s, "ENGINE_OPTIONS"):
    from sqlalchemy.ext.asyncio import create_async_engine
    pool = create_async_engine("postgresql+asyncpg://app@127.0.0.1:1/app", **s.ENGINE_OPTIONS).pool
    out.update({"pool_size": pool.size(), "max_overflow": pool._max_overflow, "pool_pre_ping": pool._pre_ping, "pool_recycle": pool._recycle})
    args = s.ENGINE_OPTIONS.get("connect_args", {})
    name = args.get("prepared_statement_name_func")
    out.update({"statement_cache_size": args.get("statement_cache_size", "unset"), "prepared_statement_cache_size": args.get("prepared_statement_cache_size", "unset"),
                "statement names": "unique" if name and name() != name() else "unset", "ssl": args.get("ssl", "unset")})
for k, v in out.items():
    print(f"{k} = {v}")
"#;

fn py_bool(b: bool) -> String {
    if b { "True" } else { "False" }.to_string()
}

impl Check<'_> {
    pub(crate) fn framework_settings(&self) -> Result<(String, Vec<String>), String> {
        let plan = self.plan;
        let pool = self.rec.db_pool.as_ref();
        let bouncer = self.rec.pgbouncer.is_some();
        let tls = bouncer && planner::export::pgbouncer::place(plan) == planner::export::pgbouncer::Place::DatabaseHost;
        let unset = |on: bool, v: &str| if on { v.to_string() } else { "unset".to_string() };
        let mut expect: Vec<(&str, String)> = vec![];
        let o = match plan.framework {
            Framework::Generic => return Err("a generic plan has no settings file".into()),
            Framework::Django => {
                let package = python_package(&plan.name);
                let project = self.django_project(plan, &package)?;
                expect.extend([("SESSION_COOKIE_SECURE", "True"), ("SESSION_COOKIE_HTTPONLY", "True"), ("SESSION_COOKIE_SAMESITE", "Lax"), ("CSRF_COOKIE_SECURE", "True")].map(|(k, v)| (k, v.to_string())));
                if let Some(p) = pool {
                    expect.extend([
                        ("pool.min_size", p.pool_size.value.to_string()),
                        ("pool.max_size", (p.pool_size.value + p.max_overflow.value).to_string()),
                        ("CONN_MAX_AGE", "0".into()),
                        ("CONN_HEALTH_CHECKS", "True".into()),
                        ("DISABLE_SERVER_SIDE_CURSORS", py_bool(bouncer)),
                        // Django's own default for psycopg 3, and the file's behind PgBouncer.
                        ("prepare_threshold", "None".into()),
                        ("sslmode", unset(tls, "require")),
                    ]);
                }
                run(Command::new(self.tools.frameworks_bin.join("python")).args(["-c", DJANGO]).arg(&project).arg(&package))?
            }
            Framework::Flask => {
                expect.extend([("SESSION_COOKIE_SECURE", "True"), ("SESSION_COOKIE_HTTPONLY", "True"), ("SESSION_COOKIE_SAMESITE", "Lax")].map(|(k, v)| (k, v.to_string())));
                if let Some(p) = pool {
                    expect.extend(sqlalchemy_pool(p));
                    expect.extend([("prepare_threshold", unset(bouncer, "None")), ("sslmode", unset(tls, "require"))]);
                }
                run(Command::new(self.tools.frameworks_bin.join("python")).args(["-c", FLASK]).arg(&self.dir))?
            }
            Framework::Fastapi => {
                expect.push(("session cookie", "httponly; samesite=lax; secure".into()));
                if let Some(p) = pool {
                    expect.extend(sqlalchemy_pool(p));
                    expect.extend([
                        ("statement_cache_size", unset(bouncer, "0")),
                        ("prepared_statement_cache_size", unset(bouncer, "0")),
                        ("statement names", unset(bouncer, "unique")),
                        ("ssl", unset(tls, "require")),
                    ]);
                }
                run(Command::new(self.tools.frameworks_bin.join("python")).args(["-c", FASTAPI]).arg(&self.dir))?
            }
        };
        let t = text(&o);
        if !o.status.success() {
            return Err(t);
        }
        let got: BTreeMap<&str, &str> = t.lines().filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect();
        for (key, want) in &expect {
            let have = got.get(key).copied().unwrap_or("(missing)");
            if have != want {
                return Err(format!("{} resolved {key} = {have}, the planner says {want}\n{t}", plan.framework));
            }
        }
        Ok((format!("{} values as planned", expect.len()), warnings_in(&t)))
    }

    /// `django-admin startproject <package>` with the exported file beside its settings and
    /// imported as the file's own comment says; the database PostgreSQL, named as the plan.
    fn django_project(&self, plan: &Plan, package: &str) -> Result<std::path::PathBuf, String> {
        let project = self.dir.join("django-project");
        std::fs::create_dir_all(&project).map_err(|e| e.to_string())?;
        let o = run(Command::new(self.tools.frameworks_bin.join("django-admin")).args(["startproject", package]).arg(&project))?;
        if !o.status.success() {
            return Err(format!("startproject: {}", text(&o)));
        }
        let settings = project.join(package).join("settings.py");
        std::fs::copy(self.dir.join("django_settings.py"), project.join(package).join("django_settings.py")).map_err(|e| e.to_string())?;
        let mut s = std::fs::read_to_string(&settings).map_err(|e| e.to_string())?;
        if plan.has_db() {
            for (from, to) in [("'django.db.backends.sqlite3'", "'django.db.backends.postgresql'".to_string()), ("BASE_DIR / 'db.sqlite3'", format!("'{}'", plan.name))] {
                if !s.contains(from) {
                    return Err(format!("startproject's settings.py has no {from}"));
                }
                s = s.replace(from, &to);
            }
        }
        // The lines the file's header says to end settings.py with.
        let file = std::fs::read_to_string(self.dir.join("django_settings.py")).map_err(|e| e.to_string())?;
        for line in file.lines().filter_map(|l| l.strip_prefix("#     ")) {
            s.push_str(line);
            s.push('\n');
        }
        std::fs::write(&settings, s).map_err(|e| e.to_string())?;
        Ok(project)
    }
}

/// What SQLAlchemy's pool must resolve to: the planner's pool, pre-ping and recycle.
fn sqlalchemy_pool(p: &planner::model::rules::DbPool) -> [(&'static str, String); 4] {
    [
        ("pool_size", p.pool_size.value.to_string()),
        ("max_overflow", p.max_overflow.value.to_string()),
        ("pool_pre_ping", "True".into()),
        ("pool_recycle", planner::model::rules::framework::pool_recycle_s().to_string()),
    ]
}
