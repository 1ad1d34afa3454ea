//! `sysctl.conf` (and `sysctl-database.conf` for a database on its own host): the kernel
//! settings of guides 000 and 003, from [`crate::model::rules::kernel`].

use super::why_line;
use crate::model::rules::{Explained, Kernel};
use crate::model::text::{digits, push_all};
use crate::model::Plan;

/// A sysctl value as the file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Number(u64),
    /// Three numbers separated by spaces (min, default, max of a buffer).
    Triple([u32; 3]),
    Word(&'static str),
}

impl Value {
    /// The value appended to `out` as the file writes it.
    pub fn push_to(self, out: &mut String) {
        match self {
            Value::Number(n) => out.push_str(&digits(n)),
            Value::Triple(v) => push_all(out, &[&digits(v[0]), " ", &digits(v[1]), " ", &digits(v[2])]),
            Value::Word(w) => out.push_str(w),
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::new();
        self.push_to(&mut text);
        f.write_str(&text)
    }
}

/// The (key, value, explained) lines of a node's sysctl file. No `fs.file-max`: systemd
/// (since 240) sets the system-wide limit to its maximum at boot, so any value written
/// here would lower it; the per-process limit is LimitNOFILE / limits.conf.
pub fn settings(k: &Kernel) -> Vec<(&'static str, Value, &str)> {
    fn row<'a, T>(key: &'static str, value: Value, e: &'a Explained<T>) -> (&'static str, Value, &'a str) {
        (key, value, &e.why)
    }
    let n = |v: u32| Value::Number(u64::from(v));
    vec![
        row("net.core.somaxconn", n(k.somaxconn.value), &k.somaxconn),
        row("net.core.netdev_max_backlog", n(k.netdev_max_backlog.value), &k.netdev_max_backlog),
        row("net.ipv4.tcp_max_syn_backlog", n(k.somaxconn.value), &k.somaxconn),
        row("net.core.rmem_max", n(k.rmem_max_bytes.value), &k.rmem_max_bytes),
        row("net.core.wmem_max", n(k.wmem_max_bytes.value), &k.wmem_max_bytes),
        row("net.ipv4.tcp_rmem", Value::Triple(k.tcp_rmem_bytes.value), &k.tcp_rmem_bytes),
        row("net.ipv4.tcp_wmem", Value::Triple(k.tcp_wmem_bytes.value), &k.tcp_wmem_bytes),
        row("net.ipv4.tcp_fastopen", n(k.tcp_fastopen.value), &k.tcp_fastopen),
        row("net.core.default_qdisc", Value::Word(k.default_qdisc.value), &k.default_qdisc),
        row("net.ipv4.tcp_congestion_control", Value::Word(k.tcp_congestion_control.value), &k.tcp_congestion_control),
        row("vm.swappiness", n(k.swappiness.value), &k.swappiness),
        row("vm.vfs_cache_pressure", n(k.vfs_cache_pressure.value), &k.vfs_cache_pressure),
    ]
}

/// A sysctl file below its header.
pub fn body(out: &mut String, plan: &Plan, k: &Kernel) {
    push_all(out, &["# Install in /etc/sysctl.d/60-", &plan.name, ".conf and load with sysctl --system.\n"]);
    out.push_str("# No fs.file-max: systemd already sets it to the kernel's maximum, and a value here would lower it.\n");
    for (key, value, why) in settings(k) {
        why_line(out, "\n# ", why);
        out.push_str(key);
        out.push_str(" = ");
        value.push_to(out);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;

    #[test]
    fn the_kernel_values_are_written() {
        let plan = Plan::default();
        let t = text_of(&plan, "sysctl.conf");
        assert!(!t.lines().any(|l| l.starts_with("fs.file-max")), "{t}");
        for line in ["net.core.somaxconn = 65535", "net.ipv4.tcp_congestion_control = bbr", "vm.swappiness = 10", "vm.vfs_cache_pressure = 50", "net.ipv4.tcp_fastopen = 3"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }
}
