//! Each framework's settings file used by its real driver through the exported PgBouncer
//! (transaction pooling) in front of a real PostgreSQL: the app runs one query until its
//! driver has prepared it, another client then holds that server connection in a
//! transaction, and the app's next run of the query lands on another server connection.
//! With the file as exported the app is answered; without the file's PgBouncer lines (the
//! control) the driver asks for a prepared statement that connection never saw — so the
//! test can fail, and the lines are what makes the difference.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use planner::export;
use planner::model::{Framework, Plan};

use crate::harness::*;
use crate::nginx_run::ensure;
use crate::pgbouncer_run::{local_ini, start, write_files, PASSWORD};

/// Runs the app's query through `port` as the framework's settings (in `argv[3]`) say:
/// `planned` as exported, `bare` without their PgBouncer lines. Django's own defaults never
/// prepare, so its app is one that turned server-side binding and prepared statements on:
/// the file's `prepare_threshold = None` overrides them behind PgBouncer.
const APP: &str = r#"
import asyncio, sys
import psycopg
fw, port, settings_dir, mode, name, password = sys.argv[1:7]
sys.path.insert(0, settings_dir)
DSN = f"host=127.0.0.1 port={port} dbname={name} user={name} password={password}"
URL = f"{name}:{password}@127.0.0.1:{port}/{name}"

class hold_a_server_connection:
    """Other clients, each in a transaction, holding every server connection idle now
    (PgBouncer hands them out last released first), so the app's next transaction gets a
    server connection that never ran its statements. Five: more than the app's runs open
    (one holder alone let a Django pool's run land on its own connection now and then)."""
    def __init__(self):
        self.others = [psycopg.connect(DSN, prepare_threshold=None) for _ in range(5)]
        for other in self.others:
            other.execute("SELECT 1")
    def close(self):
        for other in self.others:
            other.close()

def engine_options(options):
    return options if mode == "planned" else {k: v for k, v in options.items() if k != "connect_args"}

if fw == "flask":
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import text
    app = Flask("planned")
    app.config.from_object("flask_settings")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + URL
    db = SQLAlchemy(app)
    with app.app_context(), db.engine.connect() as c:
        for i in range(8):
            c.execute(text("SELECT CAST(:x AS integer) + 1"), {"x": i})
            c.commit()
        other = hold_a_server_connection()
        answer = c.execute(text("SELECT CAST(:x AS integer) + 1"), {"x": 41}).scalar()
        c.commit()
        other.close()
elif fw == "fastapi":
    import fastapi_settings
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine
    async def main():
        engine = create_async_engine("postgresql+asyncpg://" + URL, **engine_options(fastapi_settings.ENGINE_OPTIONS))
        async with engine.connect() as c:
            for i in range(8):
                await c.execute(text("SELECT CAST(:x AS integer) + 1"), {"x": i})
                await c.commit()
            other = hold_a_server_connection()
            answer = (await c.execute(text("SELECT CAST(:x AS integer) + 1"), {"x": 41})).scalar()
            await c.commit()
            other.close()
        await engine.dispose()
        return answer
    answer = asyncio.run(main())
else:
    import django
    from django.conf import settings
    import django_settings
    # An app that turned on server-side binding and psycopg's prepared statements (Django's
    # own defaults, client-side binding and prepare_threshold None, never prepare).
    mine = {"ENGINE": "django.db.backends.postgresql", "NAME": name, "USER": name, "PASSWORD": password,
            "HOST": "127.0.0.1", "PORT": port, "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5}}
    database = django_settings.planned_database(mine)
    if mode != "planned":
        database["OPTIONS"]["prepare_threshold"] = 5
    settings.configure(DATABASES={"default": database}, USE_TZ=True)
    django.setup()
    from django.db import connection
    for i in range(8):
        with connection.cursor() as cur:
            cur.execute("SELECT %s::int + 1", [i])
    other = hold_a_server_connection()
    with connection.cursor() as cur:
        cur.execute("SELECT %s::int + 1", [41])
        answer = cur.fetchone()[0]
    other.close()
print("answered", answer)
"#;

/// PostgreSQL 15 on a fresh cluster in `dir`, with the plan's role and database.
fn postgres(tools: &Tools, plan: &Plan, dir: &Path) -> Result<(u16, Running), String> {
    let data = dir.join("pgdata");
    give_to_postgres(dir);
    let o = run(as_postgres(&tools.pg15_bin.join("initdb")).arg("-D").arg(&data).args(["-A", "trust", "-U", "postgres", "--no-sync"]))?;
    ensure!(o.status.success(), "initdb: {}", text(&o));
    let port = free_port();
    let mut server = spawn(
        as_postgres(&tools.pg15_bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c"])
            .arg(format!("unix_socket_directories={}", dir.display())),
        &dir.join("postgres.log"),
        "-QUIT",
    )?;
    wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
    let name = &plan.name;
    let started = Instant::now();
    loop {
        let o = run(Command::new(tools.pg15_bin.join("psql"))
            .args(["-X", "-q", "-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-d", "postgres", "-c"])
            .arg(format!("CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}'"))
            .arg("-c")
            .arg(format!("CREATE DATABASE \"{name}\" OWNER \"{name}\"")))?;
        if o.status.success() {
            return Ok((port, server));
        }
        ensure!(started.elapsed() < Duration::from_secs(30), "{}\n{}", text(&o), server.log());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The plan's app behind its exported PgBouncer: answered with the exported settings file,
/// refused without its PgBouncer lines.
pub(crate) fn prepared_statements_never_cross_server_connections(tools: &Tools, plan: &Plan, dir: &Path) -> Result<String, String> {
    let file = planner::model::rules::framework::settings_file(plan.framework).ok_or("a generic plan")?;
    ensure!(plan.pgbouncer.is_on() && export::pgbouncer::place(plan) == export::pgbouncer::Place::AppNode, "the plans of the driver test");
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let (pg_port, _postgres) = postgres(tools, plan, dir)?;
    write_files(plan, dir)?;
    let text_of = export::files(plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == file).ok_or("no settings file")?.text;
    std::fs::write(dir.join(file), text_of).map_err(|e| e.to_string())?;
    let port = free_port();
    let ini = local_ini(plan, dir, port, None)?;
    let exported = std::fs::read_to_string(&ini).map_err(|e| e.to_string())?;
    ensure!(exported.contains("port=5432"), "no PostgreSQL port in pgbouncer.ini");
    std::fs::write(&ini, exported.replace("port=5432", &format!("port={pg_port}"))).map_err(|e| e.to_string())?;
    let bouncer = start(&ini, dir, port, None)?;
    let fw = match plan.framework {
        Framework::Django => "django",
        Framework::Flask => "flask",
        _ => "fastapi",
    };
    let app = |mode: &str| {
        run(Command::new(tools.frameworks_bin.join("python"))
            .args(["-c", APP, fw, &port.to_string()])
            .arg(dir)
            .args([mode, &plan.name, PASSWORD])
            .current_dir(dir))
    };
    let planned = app("planned")?;
    ensure!(planned.status.success() && text(&planned).ends_with("answered 42"), "with {file} as exported: {}\n{}", text(&planned), bouncer.log());
    let bare = app("bare")?;
    let said = text(&bare);
    let refused = said.lines().rev().find(|l| l.contains("does not exist")).unwrap_or_default().trim().to_string();
    ensure!(!bare.status.success() && !refused.is_empty(), "without the PgBouncer lines the app was not refused: {said}");
    Ok(format!("as exported: answered; without its PgBouncer lines: {}", refused.chars().take(110).collect::<String>()))
}
