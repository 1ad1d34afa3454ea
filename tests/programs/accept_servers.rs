//! The servers of the acceptance check (accept.rs): PostgreSQL, PgBouncer and Redis
//! started on their exported files, then asked for every value the file sets.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::accept::Check;
use crate::harness::*;

impl Check<'_> {
    pub(crate) fn postgres(&self) -> Result<(String, Vec<String>), String> {
        let p = self.rec.postgres.as_ref().ok_or("no postgres rules")?;
        let data = self.dir.join("pgdata");
        let (bin, major) = self.tools.postgres_for(self.plan.pg_version);
        let o = run(Command::new("cp").arg("-a").arg(self.fx.pg_template(major)).arg(&data))?;
        if !o.status.success() {
            return Err(text(&o));
        }
        let conf = data.join("postgresql.conf");
        let mut base = std::fs::read_to_string(&conf).map_err(|e| e.to_string())?;
        let _ = writeln!(base, "include '{}'", self.dir.join("postgresql.conf").display());
        std::fs::write(&conf, base).map_err(|e| e.to_string())?;
        give_to_postgres(&self.dir);
        let expected = p.settings();
        // Start it when its shared memory fits this machine; else ask postgres -C, which
        // reads and checks the whole file the same way without allocating it.
        let fits = p.shared_buffers_kb.value <= available_kb() / 4;
        let mut got = BTreeMap::new();
        let mut warnings = vec![];
        let how;
        if fits {
            let port = free_port();
            let log = self.dir.join("postgres.log");
            let mut server = spawn(
                as_postgres(&bin.join("postgres"))
                    .arg("-D")
                    .arg(&data)
                    .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c"])
                    .arg(format!("unix_socket_directories={}", self.dir.display())),
                &log,
                "-QUIT", // immediate shutdown: the postmaster stops every backend
            )?;
            wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
            // Listening comes before recovery ends: wait until it accepts connections.
            let ready = Instant::now();
            while !run(Command::new(bin.join("pg_isready")).args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()]))?.status.success() {
                if ready.elapsed() > Duration::from_secs(30) {
                    return Err(format!("not ready within 30 s: {}", server.log()));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let mut psql = Command::new(bin.join("psql"));
            psql.args(["-X", "-A", "-t", "-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-d", "postgres"]);
            for (name, _) in &expected {
                psql.arg("-c").arg(format!("SHOW {name}"));
            }
            let o = run(&mut psql)?;
            if !o.status.success() {
                return Err(format!("{}\n{}", text(&o), server.log()));
            }
            let out = String::from_utf8_lossy(&o.stdout).into_owned();
            for ((name, _), value) in expected.iter().zip(out.lines()) {
                got.insert(*name, value.trim().to_string());
            }
            warnings = warnings_in(&server.log());
            how = format!("PostgreSQL {major} started with shared_buffers {}", format_value(&got, "shared_buffers"));
        } else {
            for (name, _) in &expected {
                let o = run(as_postgres(&bin.join("postgres")).arg("-D").arg(&data).arg("-C").arg(name))?;
                if !o.status.success() {
                    return Err(text(&o));
                }
                got.insert(*name, String::from_utf8_lossy(&o.stdout).trim().to_string());
            }
            how = format!("PostgreSQL {major}: postgres -C (shared_buffers {} exceeds this machine)", expected[2].1);
        }
        for (name, want) in &expected {
            let have = got.get(name).map(String::as_str).unwrap_or("(missing)");
            // postgres -C prints sizes as a count of the setting's unit, without the unit.
            // 15 shows the `on` of a 13/14 file as the method it means.
            let same = have == want
                || (!fits && raw_kb(name, have).is_some_and(|kb| Some(kb) == size_kb(want)))
                || (*name == "wal_compression" && want == "on" && have == "pglz");
            if !same {
                return Err(format!("SHOW {name} = {have}, the file says {want}"));
            }
        }
        Ok((format!("{how}, {} values as written", expected.len()), warnings))
    }

    pub(crate) fn pgbouncer(&self) -> Result<(String, Vec<String>), String> {
        let b = self.rec.pgbouncer.as_ref().ok_or("no pgbouncer rules")?;
        use crate::pgbouncer_run as pgb;
        let port = free_port();
        let cert = pgb::certificate(&self.dir)?;
        let ini = pgb::local_ini(self.plan, &self.dir, port, Some(&cert))?;
        let server = pgb::start(&ini, &self.dir, port, None)?;
        let out = pgb::connect(port, "pgbouncer", "postgres", pgb::sslmode(self.plan), "SHOW CONFIG").map_err(|e| format!("{e}\n{}", server.log()))?;
        let got: BTreeMap<&str, &str> = out.lines().filter_map(|l| { let mut f = l.split('|'); Some((f.next()?, f.next()?)) }).collect();
        for (key, want) in [
            ("pool_mode", b.pool_mode.value.to_string()),
            ("default_pool_size", b.default_pool_size.value.to_string()),
            ("reserve_pool_size", b.reserve_pool_size.value.to_string()),
            ("max_client_conn", b.max_client_conn.value.to_string()),
            ("max_db_connections", b.server_connections.value.to_string()),
            ("auth_type", if pgb::sslmode(self.plan) == "require" { "hba" } else { "scram-sha-256" }.to_string()),
        ] {
            let have = got.get(key).copied().unwrap_or("(missing)");
            if have != want {
                return Err(format!("SHOW CONFIG {key} = {have}, the file says {want}"));
            }
        }
        Ok((format!("default_pool_size = {}, max_client_conn = {}", b.default_pool_size.value, b.max_client_conn.value), warnings_in(&server.log())))
    }

    pub(crate) fn redis(&self) -> Result<(String, Vec<String>), String> {
        let r = self.rec.redis.as_ref().ok_or("no redis rules")?;
        let port = free_port();
        let server = crate::redis_run::start(self.plan, &self.dir.join("redis.conf"), &self.dir, port, true)?;
        let mut got = BTreeMap::new();
        for key in ["maxmemory", "maxmemory-policy", "save", "appendonly", "tcp-keepalive", "timeout", "maxclients"] {
            let out = crate::redis_run::cli(port, true, &["CONFIG", "GET", key])?;
            got.insert(key, out.lines().nth(1).unwrap_or("(missing)").to_string());
        }
        for (key, want) in [
            ("maxmemory", (r.maxmemory_mib.value as u64 * 1024 * 1024).to_string()),
            ("maxmemory-policy", r.maxmemory_policy.value.to_string()),
            ("save", String::new()),
            ("appendonly", "no".to_string()),
            ("tcp-keepalive", r.tcp_keepalive_s.value.to_string()),
            ("timeout", r.timeout_s.value.to_string()),
            ("maxclients", r.maxclients.value.to_string()),
        ] {
            let have = &got[key];
            if *have != want {
                return Err(format!("CONFIG GET {key} = {have}, the file says {want}\n{}", server.log()));
            }
        }
        Ok((format!("maxmemory = {} bytes", got["maxmemory"]), warnings_in(&server.log())))
    }

}

/// A size written as PostgreSQL writes it (`4GB`, `16MB`, `3936kB`), in kB.
pub(crate) fn size_kb(text: &str) -> Option<u64> {
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let factor = match unit {
        "kB" => 1,
        "MB" => 1024,
        "GB" => 1024 * 1024,
        "TB" => 1024 * 1024 * 1024,
        _ => return None,
    };
    Some(digits.parse::<u64>().ok()? * factor)
}

/// A size as `postgres -C` prints it (a count of the setting's unit), in kB.
pub(crate) fn raw_kb(name: &str, text: &str) -> Option<u64> {
    let unit_kb = match name {
        "shared_buffers" | "effective_cache_size" | "wal_buffers" => 8,
        "min_wal_size" | "max_wal_size" => 1024,
        "work_mem" | "maintenance_work_mem" | "autovacuum_work_mem" => 1,
        _ => return None,
    };
    Some(text.parse::<u64>().ok()? * unit_kb)
}

pub(crate) fn format_value(got: &BTreeMap<&str, String>, key: &str) -> String {
    got.get(key).cloned().unwrap_or_default()
}

