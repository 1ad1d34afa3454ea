//! `redis.conf`: Redis as a pure cache (002 `mkRedis`, 004), every value from
//! [`crate::model::rules::redis`].

use std::fmt::Write;

use super::one_line;
use crate::model::rules::{Explained, Redis};
use crate::model::{Plan, Platform};

fn set<T>(out: &mut String, line: impl std::fmt::Display, e: &Explained<T>) {
    let _ = writeln!(out, "# {}", one_line(&e.why));
    let _ = writeln!(out, "{line}");
}

/// redis.conf below its header.
pub fn body(out: &mut String, plan: &Plan, r: &Redis) {
    out.push('\n');
    match plan.platform {
        Platform::Hosts => {
            out.push_str("# On the app node: loopback only.\n");
            out.push_str("bind 127.0.0.1 -::1\n");
            out.push_str("protected-mode yes\n");
        }
        Platform::K8s => {
            let _ = writeln!(out, "# In its own pod: reached through the {}-redis Service; restrict it with a NetworkPolicy.", plan.name);
            out.push_str("bind * -::*\n");
            out.push_str("protected-mode no\n");
        }
    }
    out.push_str("port 6379\n");
    set(out, format_args!("maxmemory {}mb", r.maxmemory_mib.value), &r.maxmemory_mib);
    set(out, format_args!("maxmemory-policy {}", r.maxmemory_policy.value), &r.maxmemory_policy);
    if !r.persistence.value {
        set(out, "save \"\"", &r.persistence);
        out.push_str("appendonly no\n");
    }
    set(out, format_args!("maxclients {}", r.maxclients.value), &r.maxclients);
    set(out, format_args!("tcp-keepalive {}", r.tcp_keepalive_s.value), &r.tcp_keepalive_s);
    set(out, format_args!("timeout {}", r.timeout_s.value), &r.timeout_s);
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
}
