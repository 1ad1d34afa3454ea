//! `redis.conf`: Redis as a pure cache (002 `mkRedis`, 004), every value from
//! [`crate::model::rules::redis`].

use super::why_line;
use crate::model::rules::{Explained, Redis};
use crate::model::text::{cat, digits, push_all};
use crate::model::{Plan, Platform};

fn set<T>(out: &mut String, line: &[&str], e: &Explained<T>) {
    why_line(out, "# ", &e.why);
    push_all(out, line);
    out.push('\n');
}

/// The file holding the password on a host (`requirepass …`), which the person writes:
/// redis.conf includes it, and Redis refuses to start while it is missing.
pub fn password_file(plan: &Plan) -> String {
    cat(&["/etc/redis/", &plan.name, "-password.conf"])
}

/// redis.conf below its header. Every client must authenticate: any process of the node
/// (or, in a pod, of the cluster) that reaches an open Redis reads the sessions in it,
/// runs FLUSHALL, or makes it a replica of another server. The password is never in this
/// file: on a host an included file holds it, in a pod a Secret gives it on the command
/// line (kubernetes.yaml), and until either exists Redis does not start (fails closed).
pub fn body(out: &mut String, plan: &Plan, r: &Redis) {
    out.push('\n');
    match plan.platform {
        Platform::Hosts => {
            let file = password_file(plan);
            out.push_str("# On the app node: loopback only.\n");
            out.push_str("bind 127.0.0.1 -::1\n");
            out.push_str("protected-mode yes\n");
            out.push_str("# The password: create the file before starting Redis, readable by the redis user only:\n");
            push_all(out, &["#   printf 'requirepass %s\\n' \"$(openssl rand -hex 32)\" > ", &file, "; chown redis: ", &file, "; chmod 600 ", &file, "\n"]);
            out.push_str("# and give the app the same password (REDIS_PASSWORD in .env). Redis refuses to start without it.\n");
            push_all(out, &["include ", &file, "\n"]);
        }
        Platform::K8s => {
            push_all(out, &["# In its own pod, reached through the ", &plan.name, "-redis Service; its NetworkPolicy admits only the app's pods.\n"]);
            push_all(out, &["# The password comes from the Secret ", &plan.name, "-redis (redis-server … --requirepass in kubernetes.yaml).\n"]);
            out.push_str("bind * -::*\n");
            out.push_str("# Without a password (started without --requirepass) only the pod itself may connect.\n");
            out.push_str("protected-mode yes\n");
        }
    }
    out.push_str("port 6379\n");
    set(out, &["maxmemory ", &digits(r.maxmemory_mib.value), "mb"], &r.maxmemory_mib);
    set(out, &["maxmemory-policy ", r.maxmemory_policy.value], &r.maxmemory_policy);
    if !r.persistence.value {
        set(out, &["save \"\""], &r.persistence);
        out.push_str("appendonly no\n");
    }
    set(out, &["maxclients ", &digits(r.maxclients.value)], &r.maxclients);
    set(out, &["tcp-keepalive ", &digits(r.tcp_keepalive_s.value)], &r.tcp_keepalive_s);
    set(out, &["timeout ", &digits(r.timeout_s.value)], &r.timeout_s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;

    #[test]
    fn a_pure_cache_has_maxmemory_lru_and_no_persistence() {
        let plan = Plan::default();
        let t = text_of(&plan, "redis.conf");
        for line in ["maxmemory 409mb", "maxmemory-policy allkeys-lru", "save \"\"", "appendonly no", "tcp-keepalive 300", "timeout 0"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }

    #[test]
    fn redis_is_never_open_and_holds_no_password() {
        let mut plan = Plan::default();
        let t = text_of(&plan, "redis.conf");
        assert!(t.contains("\nbind 127.0.0.1 -::1\nprotected-mode yes\n") && t.contains("\ninclude /etc/redis/app-password.conf\n"), "{t}");
        plan.platform = Platform::K8s;
        let t = text_of(&plan, "redis.conf");
        assert!(t.contains("\nprotected-mode yes\n") && !t.contains("protected-mode no"), "{t}");
        for t in [text_of(&Plan::default(), "redis.conf"), t] {
            assert!(!t.lines().any(|l| l.starts_with("requirepass")), "a password in the file: {t}");
        }
    }
}
