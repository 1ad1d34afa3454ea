//! `sysctl.conf` (and `sysctl-database.conf` for a database on its own host): the kernel
//! settings of guides 000 and 003, from [`crate::model::rules::kernel`].

use std::fmt::Write;

use super::{header, one_line};
use crate::model::rules::{Explained, Kernel};
use crate::model::Plan;

/// The (key, value, explained) lines of a node's sysctl file.
pub fn settings(k: &Kernel) -> Vec<(&'static str, String, &str)> {
    fn row<'a, T>(key: &'static str, value: String, e: &'a Explained<T>) -> (&'static str, String, &'a str) {
        (key, value, &e.why)
    }
    let triple = |v: [u32; 3]| format!("{} {} {}", v[0], v[1], v[2]);
    vec![
        row("net.core.somaxconn", k.somaxconn.value.to_string(), &k.somaxconn),
        row("net.core.netdev_max_backlog", k.netdev_max_backlog.value.to_string(), &k.netdev_max_backlog),
        row("net.ipv4.tcp_max_syn_backlog", k.somaxconn.value.to_string(), &k.somaxconn),
        row("net.core.rmem_max", k.rmem_max_bytes.value.to_string(), &k.rmem_max_bytes),
        row("net.core.wmem_max", k.wmem_max_bytes.value.to_string(), &k.wmem_max_bytes),
        row("net.ipv4.tcp_rmem", triple(k.tcp_rmem_bytes.value), &k.tcp_rmem_bytes),
        row("net.ipv4.tcp_wmem", triple(k.tcp_wmem_bytes.value), &k.tcp_wmem_bytes),
        row("net.ipv4.tcp_fastopen", k.tcp_fastopen.value.to_string(), &k.tcp_fastopen),
        row("net.core.default_qdisc", k.default_qdisc.value.to_string(), &k.default_qdisc),
        row("net.ipv4.tcp_congestion_control", k.tcp_congestion_control.value.to_string(), &k.tcp_congestion_control),
        row("vm.swappiness", k.swappiness.value.to_string(), &k.swappiness),
        row("vm.vfs_cache_pressure", k.vfs_cache_pressure.value.to_string(), &k.vfs_cache_pressure),
        row("fs.file-max", (k.nofile.value * 16).to_string(), &k.nofile),
    ]
}

/// The text of a sysctl file (`file` is its name in the header).
pub fn render(plan: &Plan, k: &Kernel, file: &str) -> String {
    let mut out = header("#", file, plan);
    let _ = writeln!(out, "# Install in /etc/sysctl.d/60-{}.conf and load with sysctl --system.", plan.name);
    for (key, value, why) in settings(k) {
        let _ = writeln!(out, "\n# {}", one_line(why));
        let _ = writeln!(out, "{key} = {value}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::recommend;

    #[test]
    fn the_kernel_values_are_written() {
        let plan = Plan::default();
        let k = recommend(&plan).kernel;
        let t = render(&plan, &k, "sysctl.conf");
        for line in ["net.core.somaxconn = 65535", "net.ipv4.tcp_congestion_control = bbr", "vm.swappiness = 10", "vm.vfs_cache_pressure = 50", "net.ipv4.tcp_fastopen = 3"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }
}
