//! Cross-checks against PGTune (le0pard/pgtune master, `configurationSlice.js`): web,
//! Linux, PostgreSQL 18, 200 connections, DB size left at its default. The expected
//! lines are what PGTune prints for these inputs, worked out from its code.

use super::{plan, rec};
use crate::model::choice::{DbHost, Platform, Storage};
use crate::model::rules::pgtune::*;
use crate::model::rules::postgres::postgres;

#[track_caller]
fn settings(ram_gib: f64, cores: u32, storage: Storage) -> Vec<(&'static str, String)> {
    let p = plan(|p| {
        p.pg_version = 18;
        p.db_ram_gib = ram_gib;
        p.db_cores = cores;
        p.db_storage = storage;
    });
    postgres(&p).unwrap().settings()
}

#[track_caller]
fn expect(got: Vec<(&'static str, String)>, want: &[(&str, &str)]) {
    let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(got, want);
}

#[test]
fn postgres_matches_pgtune_for_16_gb_4_cpus_ssd() {
    // work_mem = (16 GB − 4 GB) / ((200 + 4) × 3) = 12582912 kB / 612 = 20560.3 → 20560kB.
    expect(settings(16.0, 4, Storage::Ssd), &[
        ("max_connections", "200"),
        ("superuser_reserved_connections", "3"),
        ("shared_buffers", "4GB"),
        ("effective_cache_size", "12GB"),
        ("maintenance_work_mem", "1GB"),
        ("checkpoint_completion_target", "0.9"),
        ("wal_buffers", "16MB"),
        ("default_statistics_target", "100"),
        ("random_page_cost", "1.1"),
        ("effective_io_concurrency", "200"),
        ("work_mem", "20560kB"),
        ("huge_pages", "try"),
        ("jit", "off"),
        ("wal_compression", "pglz"), // PGTune: lz4 (see pgtune::wal_compression)
        ("io_method", "worker"), // PGTune: io_uring (see postgres::io_method)
        ("min_wal_size", "1GB"),
        ("max_wal_size", "4GB"),
        ("max_worker_processes", "4"),
        ("max_parallel_workers_per_gather", "2"),
        ("max_parallel_workers", "4"),
        ("max_parallel_maintenance_workers", "2"),
    ]);
}

#[test]
fn postgres_matches_pgtune_for_4_gb_2_cpus_hdd() {
    // No parallel settings below 4 cores, so work_mem counts PostgreSQL's default 8 worker
    // processes: (4 GB − 1 GB) / ((200 + 8) × 3) = 3145728 / 624 = 5041.2 → 5041kB.
    expect(settings(4.0, 2, Storage::Hdd), &[
        ("max_connections", "200"),
        ("superuser_reserved_connections", "3"),
        ("shared_buffers", "1GB"),
        ("effective_cache_size", "3GB"),
        ("maintenance_work_mem", "256MB"),
        ("checkpoint_completion_target", "0.9"),
        ("wal_buffers", "16MB"),
        ("default_statistics_target", "100"),
        ("random_page_cost", "4"),
        ("effective_io_concurrency", "2"),
        ("work_mem", "5041kB"),
        ("huge_pages", "off"),
        ("jit", "off"),
        ("wal_compression", "pglz"), // PGTune: lz4 (see pgtune::wal_compression)
        ("io_method", "worker"), // PGTune: io_uring (see postgres::io_method)
        ("min_wal_size", "1GB"),
        ("max_wal_size", "4GB"),
    ]);
}

#[test]
fn postgres_matches_pgtune_for_64_gb_32_cpus_nvme() {
    // work_mem = (64 GB − 16 GB) / ((200 + 32) × 3) = 50331648 / 696 = 72315.6 → 72315kB.
    expect(settings(64.0, 32, Storage::Nvme), &[
        ("max_connections", "200"),
        ("superuser_reserved_connections", "3"),
        ("shared_buffers", "16GB"),
        ("effective_cache_size", "48GB"),
        ("maintenance_work_mem", "4GB"),
        ("checkpoint_completion_target", "0.9"),
        ("wal_buffers", "16MB"),
        ("default_statistics_target", "100"),
        ("random_page_cost", "1.1"),
        ("effective_io_concurrency", "1000"),
        ("work_mem", "72315kB"),
        ("huge_pages", "try"),
        ("jit", "off"),
        ("wal_compression", "pglz"), // PGTune: lz4 (see pgtune::wal_compression)
        ("autovacuum_max_workers", "5"),
        ("autovacuum_work_mem", "2GB"),
        ("io_method", "worker"), // PGTune: io_uring (see postgres::io_method)
        ("io_workers", "8"),
        ("min_wal_size", "1GB"),
        ("max_wal_size", "4GB"),
        ("max_worker_processes", "32"),
        ("max_parallel_workers_per_gather", "4"),
        ("max_parallel_workers", "32"),
        ("max_parallel_maintenance_workers", "4"),
    ]);
}

#[test]
fn postgres_matches_pgtune_for_512_mb_1_cpu() {
    let s = settings(0.5, 1, Storage::Ssd);
    let get = |k: &str| s.iter().find(|(n, _)| *n == k).unwrap().1.clone();
    assert_eq!(get("shared_buffers"), "128MB");
    assert_eq!(get("effective_cache_size"), "384MB");
    assert_eq!(get("maintenance_work_mem"), "32MB");
    assert_eq!(get("wal_buffers"), "3936kB"); // 3 % of 131072 kB = 3932, in whole 8 kB pages
    assert_eq!(get("work_mem"), "4MB"); // 630 kB raised to the 4 MB floor
    assert_eq!(get("huge_pages"), "off");
}

#[test]
fn postgres_shared_buffers_is_a_quarter_of_ram() {
    assert_eq!(shared_buffers_kb(total_memory_kb(16.0)), 4 * KB_PER_GB);
    assert_eq!(total_memory_kb(2.75), 2816 * KB_PER_MB);
}

#[test]
fn postgres_effective_cache_size_is_three_quarters_of_ram() {
    assert_eq!(effective_cache_size_kb(16 * KB_PER_GB), 12 * KB_PER_GB);
}

#[test]
fn postgres_maintenance_work_mem_is_a_sixteenth_capped_at_8_gb() {
    assert_eq!(maintenance_work_mem_kb(16 * KB_PER_GB), KB_PER_GB);
    assert_eq!(maintenance_work_mem_kb(256 * KB_PER_GB), 8 * KB_PER_GB);
    assert_eq!(autovacuum_work_mem_kb(8 * KB_PER_GB), Some(2 * KB_PER_GB));
    assert_eq!(autovacuum_work_mem_kb(KB_PER_GB), None);
}

#[test]
fn postgres_wal_buffers_is_3_percent_of_shared_buffers_within_32_kb_and_16_mb() {
    assert_eq!(wal_buffers_kb(131_072), 3936); // PGTune's 3932, rounded up to 8 kB pages
    assert_eq!(wal_buffers_kb(500_000), 16 * KB_PER_MB); // 15000 kB is near 16 MB: rounded up
    assert_eq!(wal_buffers_kb(400_000), 12_000);
    assert_eq!(wal_buffers_kb(4 * KB_PER_GB), 16 * KB_PER_MB);
    assert_eq!(wal_buffers_kb(100), 32);
}

/// PostgreSQL ran 3932kB as 3936kB (`make test-programs`): whole WAL pages only.
#[test]
fn postgres_wal_buffers_are_whole_8_kb_pages() {
    for sb in (0..2_000_000).step_by(9_973) {
        assert_eq!(wal_buffers_kb(sb) % 8, 0, "{sb}");
    }
}

#[test]
fn postgres_work_mem_follows_pgtune_with_a_4_mb_floor() {
    assert_eq!(work_mem_kb(16 * KB_PER_GB, 4 * KB_PER_GB, 200, 4), 20_560);
    assert_eq!(work_mem_kb(4 * KB_PER_GB, KB_PER_GB, 9999, 4), 4096); // PGTune's own test
}

#[test]
fn postgres_parallel_settings_start_at_4_cores() {
    assert_eq!(parallel(3), None);
    let p = parallel(12).unwrap(); // PGTune's test: 12, 4, 12, 4
    assert_eq!(
        (p.max_worker_processes, p.max_parallel_workers_per_gather, p.max_parallel_workers, p.max_parallel_maintenance_workers),
        (12, 4, 12, 4)
    );
    assert_eq!(parallel(5).unwrap().max_parallel_workers_per_gather, 3);
}

#[test]
fn postgres_storage_sets_random_page_cost_and_io_concurrency() {
    assert_eq!((random_page_cost(Storage::Hdd), effective_io_concurrency(Storage::Hdd)), (4.0, 2));
    assert_eq!((random_page_cost(Storage::Ssd), effective_io_concurrency(Storage::Ssd)), (1.1, 200));
    assert_eq!((random_page_cost(Storage::Nvme), effective_io_concurrency(Storage::Nvme)), (1.1, 1000));
}

#[test]
fn postgres_autovacuum_and_io_workers_scale_with_cores() {
    assert_eq!([8, 16, 32].map(autovacuum_max_workers), [None, Some(4), Some(5)]);
    assert_eq!([15, 16, 20, 256].map(io_workers), [None, Some(4), Some(5), Some(32)]);
}

#[test]
fn postgres_on_the_app_node_uses_the_node_ram_and_cores() {
    let pg = rec(|p| {
        p.db_host = DbHost::App;
        p.ram_gib = 8.0;
        p.cores = 4;
        p.db_ram_gib = 64.0;
    })
    .postgres
    .unwrap();
    assert_eq!(pg.shared_buffers_kb.value, 2 * KB_PER_GB); // the 25 % memory.rs reserves
    assert_eq!(pg.parallel.unwrap().max_worker_processes.value, 4);
}

#[test]
fn postgres_io_method_is_worker_on_kubernetes() {
    let p = rec(|p| {
        p.platform = Platform::K8s;
        p.pg_version = 18;
    });
    assert_eq!(p.postgres.unwrap().io_method.unwrap().value, "worker");
}

/// A PostgreSQL 18 built without lz4 rejected lz4 (`make test-programs`).
#[test]
fn postgres_wal_compression_is_pglz_which_every_build_has() {
    assert_eq!(rec(|_| {}).postgres.unwrap().wal_compression.value, "pglz");
}

/// A PostgreSQL 18 built without liburing rejected io_uring (`make test-programs`).
#[test]
fn postgres_io_method_is_worker_on_hosts_too() {
    assert_eq!(rec(|p| p.pg_version = 18).postgres.unwrap().io_method.unwrap().value, "worker");
}

#[test]
fn pgtune_formats_sizes_like_pgtune() {
    assert_eq!(format_kb(4 * KB_PER_GB), "4GB");
    assert_eq!(format_kb(256 * KB_PER_MB), "256MB");
    assert_eq!(format_kb(20_560), "20560kB");
    assert_eq!(format_kb(1536 * KB_PER_MB), "1536MB");
}

/// The names a PostgreSQL major version refuses (release notes of 15 and 18).
#[test]
fn postgres_before_18_gets_no_asynchronous_io_setting() {
    for version in 13..=17 {
        let p = rec(|p| {
            p.pg_version = version;
            p.db_cores = 64;
        })
        .postgres
        .unwrap();
        let names: Vec<&str> = p.settings().into_iter().map(|(n, _)| n).collect();
        assert!(!names.contains(&"io_method") && !names.contains(&"io_workers"), "{version}: {names:?}");
        assert!(p.host.why.contains(&format!("PostgreSQL {version}")));
    }
    let p = rec(|p| {
        p.pg_version = 18;
        p.db_cores = 64;
    });
    let names: Vec<&str> = p.postgres.as_ref().unwrap().settings().into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"io_method") && names.contains(&"io_workers"), "{names:?}");
}

#[test]
fn postgres_wal_compression_names_a_method_from_15_and_is_on_before() {
    for (version, want) in [(13, "on"), (14, "on"), (15, "pglz"), (17, "pglz"), (18, "pglz")] {
        assert_eq!(rec(|p| p.pg_version = version).postgres.unwrap().wal_compression.value, want, "{version}");
    }
}
