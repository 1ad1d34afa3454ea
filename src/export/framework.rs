//! The framework's settings file (`django_settings.py`, `flask_settings.py`,
//! `fastapi_settings.py`): the plan's connection pool, PgBouncer's needs and the session
//! cookie under the framework's own names, as a Python module the app imports. The pool's
//! numbers are the rules' ([`crate::model::rules::pool`]), with the same reasons as the
//! settings list and .env's DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW.
//!
//! The driver each file is written for: Django's psycopg 3 (its pool needs it), SQLAlchemy's
//! psycopg 3 for Flask (`postgresql+psycopg://`), SQLAlchemy's asyncpg for FastAPI (guide
//! 004's `postgresql+asyncpg://`). Behind PgBouncer's transaction pooling none may keep a
//! prepared statement on a connection: the next transaction may be on another server
//! connection, where it does not exist, or where its name is taken.

use super::why_line;
use super::pgbouncer::{place, Place};
use crate::model::rules::framework::pool_recycle_s;
use crate::model::rules::{DbPool, Recommendation};
use crate::model::text::{cat, digits, push_all};
use crate::model::{Framework, Plan};

/// What the database part of a file needs to know.
struct Db<'a> {
    pool: &'a DbPool,
    /// PgBouncer in transaction mode in front of PostgreSQL.
    pgbouncer: bool,
    /// PgBouncer on the database's own host, which admits TLS clients only.
    tls: bool,
}

fn db<'a>(plan: &Plan, rec: &'a Recommendation) -> Option<Db<'a>> {
    let pool = rec.db_pool.as_ref()?;
    let pgbouncer = rec.pgbouncer.is_some();
    Some(Db { pool, pgbouncer, tls: pgbouncer && place(plan) == Place::DatabaseHost })
}

/// `# why` on its own line, indented, then `line`.
fn commented(out: &mut String, indent: &str, why: &str, line: &str) {
    out.push_str(indent);
    why_line(out, "# ", why);
    push_all(out, &[indent, line, "\n"]);
}

const TLS_WHY: &str = "PgBouncer on the database host admits TLS clients only (client_tls_sslmode = require)";
const RECYCLE_WHY: &str = "a connection is replaced after an hour (psycopg_pool's max_lifetime, as Django's pool does)";
const PRE_PING_WHY: &str = "a connection is tested before it is lent, so one closed by a restart never fails a request";

/// The session cookie's flags, as each framework names them (Django and Flask alike): the
/// browser sends it over HTTPS only (TLS ends at the load balancer or a server block of
/// yours; over plain http:// the session never comes back), scripts cannot read it, and
/// cross-site subrequests do not carry it (Lax; Flask's default sets no SameSite at all).
fn session_cookie(out: &mut String) {
    out.push_str("\n# The session cookie: over HTTPS only (TLS ends at your load balancer or nginx), never read by\n");
    out.push_str("# scripts, not sent on cross-site subrequests.\n");
    out.push_str("SESSION_COOKIE_SECURE = True\n");
    out.push_str("SESSION_COOKIE_HTTPONLY = True\n");
    out.push_str("SESSION_COOKIE_SAMESITE = \"Lax\"\n");
}

/// The file for the plan's framework below its header; nothing for a generic app.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation) {
    let db = db(plan, rec);
    match plan.framework {
        Framework::Generic => {}
        Framework::Django => django(out, plan, db.as_ref()),
        Framework::Flask => flask(out, db.as_ref()),
        Framework::Fastapi => fastapi(out, db.as_ref()),
    }
}

fn django(out: &mut String, plan: &Plan, db: Option<&Db>) {
    let package = crate::model::rules::framework::python_package(&plan.name);
    push_all(out, &["#\n# Django's settings for this plan. Put this file beside ", &package, "/settings.py and end settings.py with:\n"]);
    out.push_str("#     from .django_settings import *  # noqa: F403\n");
    if db.is_some() {
        out.push_str("#     DATABASES[\"default\"] = planned_database(DATABASES[\"default\"])\n");
        out.push_str("# planned_database keeps your ENGINE, NAME, USER, PASSWORD, HOST and PORT and adds the pool.\n");
        out.push_str("# Needs Django >= 5.1 with psycopg[pool] >= 3.1 (Django's own connection pool).\n");
    }
    session_cookie(out);
    out.push_str("CSRF_COOKIE_SECURE = True\n");
    let Some(db) = db else { return };
    let p = db.pool;
    out.push_str("\n# Each process lends its connections from Django's psycopg pool, shared by its threads, greenlets\n");
    out.push_str("# and async requests, so it never opens more than pool + overflow (persistent connections,\n");
    out.push_str("# CONN_MAX_AGE, hold one per thread or greenlet, unbounded under gevent and ASGI). Django refuses\n");
    out.push_str("# CONN_MAX_AGE with a pool; CONN_HEALTH_CHECKS makes the pool check a connection before lending it.\n");
    out.push_str("PLANNED_DATABASE = {\n");
    out.push_str("    \"CONN_MAX_AGE\": 0,\n");
    out.push_str("    \"CONN_HEALTH_CHECKS\": True,\n");
    if db.pgbouncer {
        commented(out, "    ", "PgBouncer's transaction pooling: a server-side cursor outlives the transaction's connection", "\"DISABLE_SERVER_SIDE_CURSORS\": True,");
    }
    out.push_str("}\n");
    out.push_str("PLANNED_DATABASE_OPTIONS = {\n");
    out.push_str("    \"pool\": {\n");
    commented(out, "        ", &cat(&["pool_size: ", &p.pool_size.why]), &cat(&["\"min_size\": ", &digits(p.pool_size.value), ","]));
    commented(
        out,
        "        ",
        &cat(&["pool_size + max_overflow (", &digits(p.max_overflow.value), "): ", &p.max_overflow.why]),
        &cat(&["\"max_size\": ", &digits(p.pool_size.value + p.max_overflow.value), ","]),
    );
    out.push_str("    },\n");
    if db.pgbouncer {
        out.push_str("    # PgBouncer's transaction pooling: psycopg 3 must never prepare. Django's defaults never do\n");
        out.push_str("    # (client-side binding, prepare_threshold None); this keeps it so over OPTIONS of yours that\n");
        out.push_str("    # turn server_side_binding and prepared statements on.\n");
        out.push_str("    \"prepare_threshold\": None,\n");
    }
    if db.tls {
        commented(out, "    ", TLS_WHY, "\"sslmode\": \"require\",");
    }
    out.push_str("}\n\n\n");
    out.push_str("def planned_database(database):\n");
    out.push_str("    \"\"\"DATABASES[\"default\"] with this plan's connection settings added to yours.\"\"\"\n");
    out.push_str("    options = {**database.get(\"OPTIONS\", {}), **PLANNED_DATABASE_OPTIONS}\n");
    out.push_str("    return {**database, **PLANNED_DATABASE, \"OPTIONS\": options}\n");
}

/// SQLAlchemy's pool of one process: pool_size, max_overflow, pre-ping and recycle.
fn sqlalchemy_pool(out: &mut String, p: &DbPool) {
    commented(out, "    ", &p.pool_size.why, &cat(&["\"pool_size\": ", &digits(p.pool_size.value), ","]));
    commented(out, "    ", &p.max_overflow.why, &cat(&["\"max_overflow\": ", &digits(p.max_overflow.value), ","]));
    commented(out, "    ", PRE_PING_WHY, "\"pool_pre_ping\": True,");
    commented(out, "    ", RECYCLE_WHY, &cat(&["\"pool_recycle\": ", &digits(pool_recycle_s()), ","]));
}

fn flask(out: &mut String, db: Option<&Db>) {
    out.push_str("#\n# Flask's configuration for this plan. Load it before the extensions start, keeping your\n");
    out.push_str("# SECRET_KEY and SQLALCHEMY_DATABASE_URI where they are:\n");
    out.push_str("#     app.config.from_object(\"flask_settings\")\n");
    if db.is_some() {
        out.push_str("# The pool is Flask-SQLAlchemy's (>= 3.0), on SQLAlchemy's psycopg 3 driver:\n");
        out.push_str("# SQLALCHEMY_DATABASE_URI = \"postgresql+psycopg://...\".\n");
    }
    session_cookie(out);
    let Some(db) = db else { return };
    out.push_str("\n# The connections of one process, shared by its threads (or greenlets).\n");
    out.push_str("SQLALCHEMY_ENGINE_OPTIONS = {\n");
    sqlalchemy_pool(out, db.pool);
    if db.pgbouncer || db.tls {
        out.push_str("    \"connect_args\": {\n");
        if db.pgbouncer {
            out.push_str("        # PgBouncer's transaction pooling: psycopg 3 must never prepare. psycopg2 never does, and\n");
            out.push_str("        # refuses this argument: with psycopg2 (postgresql://) delete this line.\n");
            out.push_str("        \"prepare_threshold\": None,\n");
        }
        if db.tls {
            commented(out, "        ", TLS_WHY, "\"sslmode\": \"require\",");
        }
        out.push_str("    },\n");
    }
    out.push_str("}\n");
}

fn fastapi(out: &mut String, db: Option<&Db>) {
    out.push_str("#\n# FastAPI's settings for this plan: Starlette's session cookie");
    out.push_str(if db.is_some() { " and SQLAlchemy's async engine on asyncpg\n# (guide 004: DATABASE_URL = \"postgresql+asyncpg://...\"). Use them as\n" } else { ". Use it as\n" });
    if db.is_some() {
        out.push_str("#     engine = create_async_engine(DATABASE_URL, **ENGINE_OPTIONS)\n");
    }
    out.push_str("#     app.add_middleware(SessionMiddleware, secret_key=SECRET_KEY, **SESSION_MIDDLEWARE)\n");
    let pgbouncer = db.is_some_and(|d| d.pgbouncer);
    if pgbouncer {
        out.push_str("from uuid import uuid4\n\n\n");
        out.push_str("def statement_name():\n");
        out.push_str("    \"\"\"A prepared statement's name no other client has used on a server connection.\"\"\"\n");
        out.push_str("    return f\"__asyncpg_{uuid4()}__\"\n\n");
    }
    out.push_str("\n# The session cookie: over HTTPS only (TLS ends at your load balancer or nginx), not sent on\n");
    out.push_str("# cross-site subrequests; Starlette always makes it HttpOnly.\n");
    out.push_str("SESSION_MIDDLEWARE = {\"https_only\": True, \"same_site\": \"lax\"}\n");
    let Some(db) = db else { return };
    out.push_str("\n# The connections of one process, shared by its event loop's requests.\n");
    out.push_str("ENGINE_OPTIONS = {\n");
    sqlalchemy_pool(out, db.pool);
    if db.pgbouncer || db.tls {
        out.push_str("    \"connect_args\": {\n");
        if db.pgbouncer {
            out.push_str("        # PgBouncer's transaction pooling: no statement cache in asyncpg or in SQLAlchemy, and a\n");
            out.push_str("        # new name for each prepared statement (SQLAlchemy's asyncpg docs, \"Prepared Statement\n");
            out.push_str("        # Name with PGBouncer\").\n");
            out.push_str("        \"statement_cache_size\": 0,\n");
            out.push_str("        \"prepared_statement_cache_size\": 0,\n");
            out.push_str("        \"prepared_statement_name_func\": statement_name,\n");
        }
        if db.tls {
            commented(out, "        ", TLS_WHY, "\"ssl\": \"require\",");
        }
        out.push_str("    },\n");
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests;
