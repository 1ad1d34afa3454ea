use super::rec;
use crate::model::choice::DbHost;
use crate::model::rules::kernel::*;

#[test]
fn kernel_swappiness_is_1_with_postgres_and_10_without() {
    assert_eq!((swappiness(true), swappiness(false)), (1, 10));
    assert_eq!(rec(|_| {}).kernel.swappiness.value, 10);
    assert_eq!(rec(|p| p.db_host = DbHost::App).kernel.swappiness.value, 1);
}

#[test]
fn kernel_nofile_is_65536_or_the_busiest_process() {
    assert_eq!(nofile(0), 65_536);
    assert_eq!(nofile(100_001), 100_352);
    assert_eq!(nofile(u64::MAX), NR_OPEN);
    assert_eq!(rec(|p| p.concurrency = Some(100_000)).kernel.nofile.value, 100_352);
}

#[test]
fn kernel_keeps_000_network_settings() {
    let k = rec(|_| {}).kernel;
    assert_eq!((k.somaxconn.value, k.netdev_max_backlog.value, k.tcp_fastopen.value), (65_535, 5_000, 3));
    assert_eq!((k.tcp_congestion_control.value, k.vfs_cache_pressure.value), ("bbr", 50));
    assert_eq!(k.tcp_rmem_bytes.value, [4096, 87_380, 134_217_728]);
}

#[test]
fn database_on_its_own_host_gets_its_own_kernel() {
    let r = rec(|_| {});
    let k = r.db_kernel.unwrap();
    assert_eq!((k.role, k.swappiness.value), (NodeRole::Database, 1));
    assert!(rec(|p| p.db_host = DbHost::App).db_kernel.is_none());
}
