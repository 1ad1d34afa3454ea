//! `.env`: guide 004's environment variables, one `NAME=value` per line with the reason
//! on the line above (systemd's EnvironmentFile and docker's --env-file take no inline
//! comments). The same variables go into the Kubernetes Deployment.

use crate::model::sources::guide;
use std::borrow::Cow;

use super::gunicorn::{host, PORT};
use super::why_line;
use crate::model::rules::{nginx, Recommendation};
use crate::model::text::{cat, digits};
use crate::model::{workers, Plan, Platform};

/// One environment variable with the reason for its value (borrowed from the rules
/// where it is theirs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var<'a> {
    pub name: &'static str,
    pub value: String,
    pub why: Cow<'a, str>,
}

fn var<'a>(name: &'static str, value: impl ToString, why: impl Into<Cow<'a, str>>) -> Var<'a> {
    Var { name, value: value.to_string(), why: why.into() }
}

/// Redis's address: on the node (hosts) or the `<name>-redis` Service (Kubernetes).
pub fn redis_url(plan: &Plan) -> String {
    match plan.platform {
        Platform::Hosts => "redis://127.0.0.1:6379/0".to_string(),
        Platform::K8s => cat(&["redis://", &plan.name, "-redis:6379/0"]),
    }
}

/// The variables for the plan, in 004's order.
pub fn variables<'a>(plan: &Plan, rec: &'a Recommendation) -> Vec<Var<'a>> {
    let w = workers::recommend(plan);
    let g = &rec.gunicorn;
    let mut out = Vec::with_capacity(16);
    if let Some(module) = crate::model::rules::framework::settings_module(plan) {
        out.push(var("DJANGO_SETTINGS_MODULE", module, "Django's settings (startproject's layout; django_settings.py goes beside them), for the server and manage.py alike"));
    }
    if let Some(wpc) = w.workers_per_core {
        out.push(var("WORKERS_PER_CORE", wpc, concat!(guide!(004), ": 1 CPU-bound, 2-4 I/O-bound, 2 mixed")));
    }
    out.push(var("MAX_WORKERS", g.workers.value, &*g.workers.why));
    out.push(var("SERVER_HOST", host(plan), concat!(guide!(004), ": 127.0.0.1 behind a proxy on the same host, else every interface")));
    out.push(var("SERVER_PORT", PORT, concat!("the ", guide!(004), "'s default port")));
    if let Some(p) = &rec.db_pool {
        out.push(var("DATABASE_POOL_SIZE", p.pool_size.value, &*p.pool_size.why));
        out.push(var("DATABASE_MAX_OVERFLOW", p.max_overflow.value, &*p.max_overflow.why));
        if rec.pgbouncer.is_some() {
            // Transaction pooling hands each transaction a server connection of its own:
            // what a driver keeps on one (a prepared statement, a cursor) is gone, or
            // another client's, on the next.
            out.push(var(
                "DATABASE_STATEMENT_CACHE_SIZE",
                0,
                "PgBouncer's transaction pooling: no prepared-statement cache in the driver (asyncpg statement_cache_size=0)",
            ));
            out.push(var(
                "DATABASE_PREPARE_THRESHOLD",
                "none",
                "PgBouncer's transaction pooling: psycopg 3 must never prepare (connect(..., prepare_threshold=None); Django >= 4.2 does so unless its OPTIONS say otherwise)",
            ));
            if super::pgbouncer::place(plan) == super::pgbouncer::Place::DatabaseHost {
                out.push(var("DATABASE_SSLMODE", "require", "PgBouncer on the database host admits TLS clients only (client_tls_sslmode = require)"));
            }
            out.push(var(
                "DATABASE_DISABLE_SERVER_SIDE_CURSORS",
                "true",
                "PgBouncer's transaction pooling: a server-side cursor outlives the transaction's connection (Django DISABLE_SERVER_SIDE_CURSORS = True)",
            ));
        }
    }
    if let Some(r) = &rec.redis {
        out.push(var("REDIS_URL", redis_url(plan), "the cache of the plan"));
        out.push(var("REDIS_PASSWORD", "", match plan.platform {
            Platform::Hosts => cat(&["PLACEHOLDER: the password in ", &super::redis::password_file(plan), " (redis.conf includes it); empty, Redis refuses the app"]),
            Platform::K8s => cat(&["from the Secret ", &plan.name, "-redis in the pod (kubernetes.yaml)"]),
        }));
        out.push(var("CACHE_TTL", r.ttl_short_s.value, cat(&[
            concat!(guide!(004), ": "), &digits(r.ttl_short_s.value), " s short (sessions); ", &digits(r.ttl_medium_s.value), " s medium, ",
            &digits(r.ttl_long_s.value), " s long for other data classes",
        ])));
    }
    out.push(var("KEEPALIVE", g.keepalive_s.value, &*g.keepalive_s.why));
    let body = rec.nginx.as_ref().map_or(nginx::client_max_body_size_mib(), |n| n.client_max_body_size_mib.value);
    out.push(var("MAX_REQUEST_SIZE", body as u64 * 1024 * 1024, cat(&[&digits(body), concat!(" MiB (", guide!(004), "), the same as nginx's client_max_body_size")])));
    out.push(var("REQUEST_TIMEOUT", g.timeout_s.value, &*g.timeout_s.why));
    out.push(var("ENABLE_METRICS", "true", concat!(guide!(004), ": Prometheus metrics for the alert rules")));
    out.push(var("METRICS_PORT", 9090, concat!("the ", guide!(004), "'s default")));
    out
}

/// .env below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation) {
    for v in variables(plan, rec) {
        why_line(out, "\n# ", &v.why);
        for part in [v.name, "=", &v.value, "\n"] {
            out.push_str(part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::{Database, Tier};

    #[test]
    fn the_medium_tier_has_004s_values() {
        let plan = Plan::for_tier(Tier::Medium);
        let t = text_of(&plan, ".env");
        for line in ["WORKERS_PER_CORE=2", "MAX_WORKERS=8", "DATABASE_POOL_SIZE=10", "DATABASE_MAX_OVERFLOW=10", "REDIS_URL=redis://127.0.0.1:6379/0", "CACHE_TTL=300", "KEEPALIVE=65", "MAX_REQUEST_SIZE=10485760", "REQUEST_TIMEOUT=30"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }

    #[test]
    fn every_line_is_a_comment_or_a_plain_assignment() {
        let plan = Plan::default();
        for line in text_of(&plan, ".env").lines() {
            let ok = line.is_empty() || line.starts_with("# ") || line.split_once('=').is_some_and(|(k, v)| {
                k.chars().all(|c| c.is_ascii_uppercase() || c == '_') && !v.contains([' ', '#', '"', '\''])
            });
            assert!(ok, "{line}");
        }
    }

    #[test]
    fn transaction_pooling_turns_off_what_needs_one_connection() {
        let mut plan = Plan::default();
        assert!(!text_of(&plan, ".env").contains("PREPARE"));
        plan.pgbouncer = crate::model::Switch::On;
        let t = text_of(&plan, ".env");
        for line in ["DATABASE_STATEMENT_CACHE_SIZE=0", "DATABASE_PREPARE_THRESHOLD=none", "DATABASE_DISABLE_SERVER_SIDE_CURSORS=true"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }

    #[test]
    fn the_redis_password_is_a_placeholder_never_a_value() {
        let t = text_of(&Plan::default(), ".env");
        assert!(t.contains("\nREDIS_PASSWORD=\n") && t.contains("PLACEHOLDER"), "{t}");
    }

    #[test]
    fn without_a_database_there_is_no_pool() {
        let mut plan = Plan::default();
        plan.db = Database::None;
        assert!(!text_of(&plan, ".env").contains("DATABASE_"));
    }
}
