//! sysctl and open-file limits of a node (000 "Kernel Tuning", 003 "Memory Optimization").

use crate::model::figure::whole;
use crate::model::sources::guide;
use crate::model::text::cat;
use super::explained::{ex, Explained, DOCS, G000, G000_003, G003};
use serde::Serialize;

/// What a node runs, which decides its swappiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NodeRole {
    /// An app node (which may also run PostgreSQL: see `runs_postgres`).
    App,
    /// The database's own host.
    Database,
}

/// Linux's default ceiling for any open-file limit (`fs.nr_open`).
pub const NR_OPEN: u64 = 1_048_576;

/// net.core.somaxconn 65535 (000): the accept queue absorbs bursts instead of dropping SYNs.
pub const SOMAXCONN: u32 = 65_535;
/// net.core.netdev_max_backlog 5000 (000): packets queued per CPU before the stack takes them.
pub const NETDEV_MAX_BACKLOG: u32 = 5_000;
/// net.core.rmem_max / wmem_max 128 MiB (000): socket buffers for fast, long links.
pub const SOCKET_BUFFER_MAX_BYTES: u32 = 134_217_728;
/// net.ipv4.tcp_rmem (000): autotuned between 4 KiB and 128 MiB.
pub const TCP_RMEM_BYTES: [u32; 3] = [4_096, 87_380, SOCKET_BUFFER_MAX_BYTES];
/// net.ipv4.tcp_wmem (000).
pub const TCP_WMEM_BYTES: [u32; 3] = [4_096, 65_536, SOCKET_BUFFER_MAX_BYTES];
/// net.ipv4.tcp_fastopen 3 (000): Fast Open for clients and servers, data in the SYN.
pub const TCP_FASTOPEN: u32 = 3;
/// net.ipv4.tcp_congestion_control bbr (000).
pub const CONGESTION_CONTROL: &str = "bbr";
/// net.core.default_qdisc fq: fair queueing paces BBR's packets (BBR's recommended qdisc).
pub const DEFAULT_QDISC: &str = "fq";
/// vm.vfs_cache_pressure 50 (000, 003): keep directory and inode caches longer.
pub const VFS_CACHE_PRESSURE: u32 = 50;

/// sysctl.conf and limits.conf values for one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kernel {
    pub role: NodeRole,
    pub somaxconn: Explained<u32>,
    pub netdev_max_backlog: Explained<u32>,
    pub rmem_max_bytes: Explained<u32>,
    pub wmem_max_bytes: Explained<u32>,
    /// net.ipv4.tcp_rmem: min, default, max.
    pub tcp_rmem_bytes: Explained<[u32; 3]>,
    pub tcp_wmem_bytes: Explained<[u32; 3]>,
    pub tcp_fastopen: Explained<u32>,
    pub tcp_congestion_control: Explained<&'static str>,
    pub default_qdisc: Explained<&'static str>,
    pub swappiness: Explained<u32>,
    pub vfs_cache_pressure: Explained<u32>,
    /// Soft and hard `nofile` per process.
    pub nofile: Explained<u64>,
}

/// vm.swappiness: 1 where PostgreSQL runs (000, a database host: swapping its shared
/// buffers stalls every query), 10 on app-only nodes (003: the kernel may still swap out
/// idle pages rather than drop the file cache).
pub fn swappiness(runs_postgres: bool) -> u32 {
    if runs_postgres {
        1
    } else {
        10
    }
}

/// nofile: 65536 (000), raised to the descriptors the busiest process needs rounded up to
/// 1024 (one per connection or file), never above `fs.nr_open`.
pub fn nofile(busiest_process_fds: u64) -> u64 {
    busiest_process_fds.div_ceil(1024).saturating_mul(1024).clamp(65_536, NR_OPEN)
}

/// The kernel settings of a node whose busiest process needs `busiest_process_fds`.
pub fn kernel(role: NodeRole, runs_postgres: bool, busiest_process_fds: u64) -> Kernel {
    let swap = swappiness(runs_postgres);
    let swap_why = if runs_postgres {
        concat!("PostgreSQL runs here: the ", guide!(000), "'s 1 keeps shared_buffers in RAM; the ", guide!(003), "'s 10 suits app-only nodes")
    } else {
        concat!("an app-only node: the ", guide!(003), "'s 10; the ", guide!(000), "'s 1 is for database hosts")
    };
    let nofile = nofile(busiest_process_fds);
    Kernel {
        role,
        somaxconn: ex(SOMAXCONN, "connections", G000, "accept queue: absorbs connection bursts instead of dropping SYNs"),
        netdev_max_backlog: ex(NETDEV_MAX_BACKLOG, "packets", G000, "packets queued per CPU before the stack takes them"),
        rmem_max_bytes: ex(SOCKET_BUFFER_MAX_BYTES, "bytes", G000, "128 MiB socket receive buffers for fast, long links"),
        wmem_max_bytes: ex(SOCKET_BUFFER_MAX_BYTES, "bytes", G000, "128 MiB socket send buffers"),
        tcp_rmem_bytes: ex(TCP_RMEM_BYTES, "bytes", G000, "autotuned between 4 KiB and 128 MiB"),
        tcp_wmem_bytes: ex(TCP_WMEM_BYTES, "bytes", G000, "autotuned between 4 KiB and 128 MiB"),
        tcp_fastopen: ex(TCP_FASTOPEN, "", G000, "TCP Fast Open for clients and servers: data in the SYN saves a round trip"),
        tcp_congestion_control: ex(CONGESTION_CONTROL, "", G000, "BBR keeps throughput up on lossy links (needs the tcp_bbr module)"),
        default_qdisc: ex(DEFAULT_QDISC, "", DOCS, "fair queueing paces BBR's packets (BBR's recommended qdisc)"),
        swappiness: ex(swap, "", if runs_postgres { G000 } else { G003 }, swap_why),
        vfs_cache_pressure: ex(VFS_CACHE_PRESSURE, "", G000_003, "keep directory and inode caches longer"),
        nofile: ex(nofile, "files", G000, cat(&["65,536, at least the ", &whole(busiest_process_fds as f64), " descriptors of the busiest process, at most fs.nr_open ", &whole(NR_OPEN as f64)])),
    }
}
