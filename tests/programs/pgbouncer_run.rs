//! PgBouncer started on its exported pgbouncer.ini (with its pgbouncer_hba.conf and the
//! open-file limit of its systemd drop-in) on loopback: it refuses to start without its
//! TLS certificate, refuses clear-text clients and clients outside the app's ranges, and
//! holds more than the 1,024 clients systemd's default limit allows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use planner::export::{self, pgbouncer::Place};
use planner::model::Plan;

use crate::harness::*;

/// The password of the test users (`postgres` for the admin console, and the plan's name).
pub(crate) const PASSWORD: &str = "secret";

/// Debian's PostgreSQL 15 client: built with OpenSSL (embedded 18's psql is not).
pub(crate) const PSQL_TLS: &str = "/usr/lib/postgresql/15/bin/psql";

/// A self-signed key and certificate in `dir`, readable by postgres: (key, cert).
pub(crate) fn certificate(dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let (key, cert) = (dir.join("server.key"), dir.join("server.crt"));
    let o = run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert))?;
    if !o.status.success() {
        return Err(format!("openssl: {}", text(&o)));
    }
    Ok((key, cert))
}

/// The exported files of the plan, written into `dir`: pgbouncer.ini and its companions.
pub(crate) fn write_files(plan: &Plan, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for f in export::files(plan).map_err(|e| e.to_string())? {
        if f.name.starts_with("pgbouncer") {
            std::fs::write(dir.join(&f.name), &f.text).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The exported pgbouncer.ini in `dir` as it is, but for where it listens, where its users
/// are, and where its hba file and certificate are (PgBouncer takes no overrides on the
/// command line). `tls`: the certificate to use, or None to leave the exported paths.
/// The test's own admin access (the console) is added to the hba file's lines.
pub(crate) fn local_ini(plan: &Plan, dir: &Path, port: u16, tls: Option<&(PathBuf, PathBuf)>) -> Result<PathBuf, String> {
    let users = dir.join("userlist-test.txt");
    std::fs::write(&users, format!("\"postgres\" \"{PASSWORD}\"\n\"{}\" \"{PASSWORD}\"\n", plan.name)).map_err(|e| e.to_string())?;
    let hba = dir.join("pgbouncer_hba-test.conf");
    let mut lines = std::fs::read_to_string(dir.join("pgbouncer_hba.conf")).unwrap_or_default();
    lines.push_str("hostssl  pgbouncer  postgres  127.0.0.1/32  scram-sha-256\n");
    std::fs::write(&hba, lines).map_err(|e| e.to_string())?;
    let generated = std::fs::read_to_string(dir.join("pgbouncer.ini")).map_err(|e| e.to_string())?;
    let mut ini: String = generated
        .lines()
        .map(|l| match (l.split_once(" = ").map(|(k, _)| k), tls) {
            (Some("listen_addr"), _) => "listen_addr = 127.0.0.1".to_string(),
            (Some("listen_port"), _) => format!("listen_port = {port}"),
            (Some("auth_file"), _) => format!("auth_file = {}", users.display()),
            (Some("auth_hba_file"), _) => format!("auth_hba_file = {}", hba.display()),
            (Some("client_tls_key_file"), Some((key, _))) => format!("client_tls_key_file = {}", key.display()),
            (Some("client_tls_cert_file"), Some((_, cert))) => format!("client_tls_cert_file = {}", cert.display()),
            _ => l.to_string(),
        })
        .map(|l| l + "\n")
        .collect();
    // No PostgreSQL behind it here: retry a failed server login after 1 s and give up on a login after 3 s.
    let _ = writeln!(ini, "unix_socket_dir = {}\nadmin_users = postgres\nserver_login_retry = 1\nclient_login_timeout = 3", dir.display());
    let path = dir.join("pgbouncer-test.ini");
    std::fs::write(&path, ini).map_err(|e| e.to_string())?;
    give_to_postgres(dir);
    Ok(path)
}

/// This process's hard limit of open files: a test cannot give PgBouncer more.
pub(crate) fn hard_nofile() -> u64 {
    let o = Command::new("sh").args(["-c", "ulimit -Hn"]).output();
    o.ok().and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok()).unwrap_or(u64::MAX)
}

/// PgBouncer run as postgres on `ini`, with `nofile` descriptors (as systemd's LimitNOFILE
/// sets them; at most this machine's hard limit) when given: prlimit and setpriv exec it,
/// so the child's pid is PgBouncer's.
pub(crate) fn start(ini: &Path, dir: &Path, port: u16, nofile: Option<u64>) -> Result<Running, String> {
    let mut cmd = match nofile {
        Some(n) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--nofile={}:{}", n.min(hard_nofile()), hard_nofile())).args(["setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "/usr/sbin/pgbouncer"]);
            c
        }
        None => as_postgres(Path::new("/usr/sbin/pgbouncer")),
    };
    cmd.arg(ini);
    let mut server = spawn(&mut cmd, &dir.join("pgbouncer.log"), "-TERM")?;
    wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
    Ok(server)
}

/// What psql (with TLS) answers connecting to `db` as `user`, with sslmode `ssl`.
pub(crate) fn connect(port: u16, db: &str, user: &str, ssl: &str, sql: &str) -> Result<String, String> {
    let o = run(Command::new(PSQL_TLS)
        .args(["-X", "-A", "-t", "-F", "|", "-c", sql])
        .arg(format!("host=127.0.0.1 port={port} dbname={db} user={user} sslmode={ssl} connect_timeout=10"))
        .env("PGPASSWORD", PASSWORD))?;
    let t = text(&o);
    if o.status.success() {
        Ok(t)
    } else {
        Err(t)
    }
}

/// The sslmode a client of this plan's PgBouncer uses.
pub(crate) fn sslmode(plan: &Plan) -> &'static str {
    if export::pgbouncer::place(plan) == Place::DatabaseHost {
        "require"
    } else {
        "disable"
    }
}

/// Opens `n` clients (each sends a startup packet, over TLS when `tls`) and counts those
/// PgBouncer answers with an authentication request.
const CLIENTS: &str = r#"
import selectors, socket, ssl, struct, sys, time
port, n, tls, user = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0" + user.encode() + b"\0\0"
socks = []
for _ in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=3)
        if tls:
            s.sendall(struct.pack("!II", 8, 80877103))
            if s.recv(1) != b"S":
                break
            s = ctx.wrap_socket(s)
        s.sendall(struct.pack("!I", len(body) + 4) + body)
        socks.append(s)
    except OSError:
        break  # PgBouncer accepts no more: out of descriptors
# One deadline for all: a client PgBouncer never accepted must not cost a timeout each.
sel = selectors.DefaultSelector()
answered = 0
for s in socks:
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
deadline = time.time() + 3
while sel.get_map() and time.time() < deadline:
    for key, _ in sel.select(timeout=max(0.0, deadline - time.time())):
        s = key.fileobj
        try:
            b = s.recv(1)
        except (ssl.SSLWantReadError, BlockingIOError):
            continue
        except Exception:
            b = b""
        sel.unregister(s)
        answered += b == b"R"
print(answered)
"#;

pub(crate) fn clients(tools: &Tools, dir: &Path, port: u16, n: u64, tls: bool, user: &str) -> Result<u64, String> {
    std::fs::write(dir.join("clients.py"), CLIENTS).map_err(|e| e.to_string())?;
    let o = run(Command::new(tools.venv_bin.join("python")).arg(dir.join("clients.py")).args([port.to_string(), n.to_string(), u8::from(tls).to_string(), user.to_string()]))?;
    text(&o).lines().last().and_then(|l| l.trim().parse().ok()).ok_or_else(|| format!("clients.py: {}", text(&o)))
}

/// TLS, SCRAM and the app's ranges: what the plan's PgBouncer admits and refuses.
pub(crate) fn admits_only_the_app(plan: &Plan, dir: &Path, admitted: bool) -> Result<String, String> {
    write_files(plan, dir)?;
    let port = free_port();
    let tls = place_is_db_host(plan);
    let mut note = String::new();
    if tls {
        let ini = local_ini(plan, dir, port, None)?;
        match start(&ini, dir, port, None) {
            Ok(_) => return Err("PgBouncer started without its TLS certificate".into()),
            Err(e) if e.contains("TLS setup failed") => note.push_str("no certificate: refuses to start; "),
            Err(e) => return Err(e),
        }
    }
    let cert = certificate(dir)?;
    let ini = local_ini(plan, dir, port, Some(&cert))?;
    let server = start(&ini, dir, port, None)?;
    let name = plan.name.as_str();
    let refused = |outcome: Result<String, String>, says: &str, what: &str| -> Result<(), String> {
        match outcome {
            Err(e) if e.contains(says) => Ok(()),
            other => Err(format!("{what}: {other:?}\n{}", server.log())),
        }
    };
    if tls {
        refused(connect(port, name, name, "disable", "SELECT 1"), "SSL required", "a clear-text client")?;
        note.push_str("clear text: SSL required; ");
    }
    // A wrong password: SCRAM refuses it (outside the ranges the login is refused first).
    let wrong = run(Command::new(PSQL_TLS)
        .args(["-X", "-c", "SELECT 1"])
        .arg(format!("host=127.0.0.1 port={port} dbname={name} user={name} sslmode={} connect_timeout=10", sslmode(plan)))
        .env("PGPASSWORD", "wrong"))?;
    refused(Err(text(&wrong)), if admitted { "SASL authentication failed" } else { "login rejected" }, "a wrong password")?;
    match connect(port, name, name, sslmode(plan), "SELECT 1") {
        Err(e) if e.contains("login rejected") || e.contains("SSL required") || e.contains("SASL") => {
            if admitted {
                return Err(format!("the app's client was refused: {e}"));
            }
            note.push_str("a client outside the app's ranges: login rejected");
        }
        other if !admitted => return Err(format!("a client outside the app's ranges got in: {other:?}")),
        _ => note.push_str(if tls { "wrong password: refused; the app's client: admitted (TLS, SCRAM)" } else { "wrong password: refused; the app's client: admitted (SCRAM)" }),
    }
    Ok(note)
}

fn place_is_db_host(plan: &Plan) -> bool {
    export::pgbouncer::place(plan) == Place::DatabaseHost
}

/// Under the drop-in's LimitNOFILE PgBouncer answers 1,100 clients; under systemd's
/// default 1,024 it cannot (the control run).
pub(crate) fn holds_more_than_1024_clients(tools: &Tools, plan: &Plan, dir: &Path) -> Result<String, String> {
    write_files(plan, dir)?;
    let limits = std::fs::read_to_string(dir.join("pgbouncer-limits.conf")).map_err(|e| format!("pgbouncer-limits.conf: {e}"))?;
    let nofile: u64 = limits.lines().find_map(|l| l.strip_prefix("LimitNOFILE=")).and_then(|v| v.parse().ok()).ok_or("no LimitNOFILE")?;
    let max = planner::model::rules::recommend(plan).pgbouncer.ok_or("no PgBouncer")?.max_client_conn.value;
    let n = 1100;
    if hard_nofile() < 2 * n {
        // Only a process with CAP_SYS_RESOURCE could give PgBouncer more; say so, loudly.
        println!("warn  pgbouncer: this machine's hard open-file limit ({}) is below {}: the 1,100-client run cannot show the drop-in's effect", hard_nofile(), 2 * n);
        return Ok(format!("not run: hard open-file limit {} here", hard_nofile()));
    }
    if max < n {
        return Err(format!("the plan's max_client_conn {max} is below the {n} clients of the test"));
    }
    let cert = certificate(dir)?;
    let tls = place_is_db_host(plan);
    let mut answered = vec![];
    for limit in [1024, nofile] {
        let port = free_port();
        let ini = local_ini(plan, dir, port, Some(&cert))?;
        // Clients that wait at the login must stay held for the whole run: after a 3 s login
        // timeout PgBouncer would close the first ones and accept more, on a slow machine all.
        let held = std::fs::read_to_string(&ini).map_err(|e| e.to_string())?.replace("client_login_timeout = 3", "client_login_timeout = 60");
        std::fs::write(&ini, held).map_err(|e| e.to_string())?;
        let _server = start(&ini, dir, port, Some(limit))?;
        answered.push(clients(tools, dir, port, n, tls, &plan.name)?);
    }
    if answered[1] != n || answered[0] >= n {
        return Err(format!("clients answered: {} under 1,024 descriptors, {} under LimitNOFILE={nofile}", answered[0], answered[1]));
    }
    let cap = if nofile > hard_nofile() { format!(" (capped at this machine's hard limit, {})", hard_nofile()) } else { String::new() };
    Ok(format!("{n} clients: {} answered under systemd's 1,024, all under the drop-in's LimitNOFILE={nofile}{cap}", answered[0]))
}
