//! redis-server started on its exported redis.conf as production starts it: on a host
//! with the password file it includes, in a pod with `--requirepass` from the Secret.

use std::path::Path;
use std::process::Command;

use planner::model::{Plan, Platform};

use crate::harness::*;

/// The password the tests give Redis (the person's is `openssl rand -hex 32`).
pub(crate) const PASSWORD: &str = "test-password-0123456789abcdef";

/// redis-server on the file at `conf`, on loopback `port`, as the plan's platform starts it:
/// on a host the included password file is written into `dir` first (when `with_password`);
/// in a pod the password is on the command line, as kubernetes.yaml passes it.
pub(crate) fn start(plan: &Plan, conf: &Path, dir: &Path, port: u16, with_password: bool) -> Result<Running, String> {
    let text = std::fs::read_to_string(conf).map_err(|e| e.to_string())?;
    let local = dir.join("redis-local.conf");
    let included = dir.join("redis-password.conf");
    let text: String = text
        .lines()
        .map(|l| if l.starts_with("include /etc/redis/") { format!("include {}", included.display()) } else { l.to_string() })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&local, text).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&included);
    let mut cmd = Command::new("redis-server");
    cmd.arg(&local).args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--daemonize", "no", "--dir"]).arg(dir);
    if with_password {
        match plan.platform {
            Platform::Hosts => std::fs::write(&included, format!("requirepass {PASSWORD}\n")).map_err(|e| e.to_string())?,
            Platform::K8s => {
                // Exactly the arguments of the Redis container in kubernetes.yaml, its config
                // and its Secret's password put in their places.
                let yaml = planner::export::files(plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == "kubernetes.yaml").ok_or("no kubernetes.yaml")?.text;
                let args = container_args(&yaml, "redis-server").ok_or("no redis-server container in kubernetes.yaml")?;
                if !args.iter().any(|a| a == "$(REDIS_PASSWORD)") || !yaml.contains(&format!("name: \"{}-redis\"\n              key: \"password\"", plan.name)) {
                    return Err(format!("kubernetes.yaml does not pass the Secret's password: {args:?}"));
                }
                cmd.args(args.iter().skip(2).map(|a| if a == "$(REDIS_PASSWORD)" { PASSWORD } else { a.as_str() }));
            }
        }
    }
    let mut server = spawn(&mut cmd, &dir.join("redis.log"), "-TERM")?;
    wait_for_port(port, &mut server.child).map_err(|e| format!("{e}: {}", server.log()))?;
    Ok(server)
}

/// The `args` list of the container whose first argument is `first`, as the YAML writer
/// prints it (`- "…"` lines).
pub(crate) fn container_args(yaml: &str, first: &str) -> Option<Vec<String>> {
    let start = yaml.find(&format!("- \"{first}\"\n"))?;
    let indent = yaml[..start].rsplit('\n').next()?.len();
    let prefix = format!("{}- \"", " ".repeat(indent));
    let lines = yaml[start - indent..].lines().take_while(|l| l.starts_with(&prefix));
    Some(lines.map(|l| l[prefix.len()..l.len() - 1].replace("\\\"", "\"").replace("\\\\", "\\")).collect())
}

/// A command's reply from redis-cli, authenticated or not.
pub(crate) fn cli(port: u16, auth: bool, args: &[&str]) -> Result<String, String> {
    let mut c = Command::new("redis-cli");
    c.args(["-p", &port.to_string(), "--no-auth-warning"]);
    if auth {
        c.args(["-a", PASSWORD]);
    }
    let o = run(c.args(args))?;
    // Untrimmed: an empty value (CONFIG GET save) is an empty line.
    Ok(format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

/// Redis answers no unauthenticated command, and starts on a host only with its password.
pub(crate) fn refuses_strangers(plan: &Plan, conf: &Path, dir: &Path) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut note = String::new();
    if plan.platform == Platform::Hosts {
        let port = free_port();
        match start(plan, conf, dir, port, false) {
            Ok(_) => return Err("Redis started without its password file".into()),
            Err(e) if e.contains("exited") => note.push_str("no password file: Redis refuses to start; "),
            Err(e) => return Err(e),
        }
    }
    let port = free_port();
    let _server = start(plan, conf, dir, port, true)?;
    for args in [&["PING"][..], &["GET", "session:1"], &["FLUSHALL"], &["REPLICAOF", "203.0.113.1", "6379"], &["CONFIG", "GET", "*"]] {
        let reply = cli(port, false, args)?;
        if !reply.contains("NOAUTH") {
            return Err(format!("{} without a password: {reply}", args.join(" ")));
        }
    }
    let pong = cli(port, true, &["PING"])?;
    if pong.trim() != "PONG" {
        return Err(format!("PING with the password: {pong}"));
    }
    let protected = cli(port, true, &["CONFIG", "GET", "protected-mode"])?;
    if !protected.trim().ends_with("yes") {
        return Err(format!("protected-mode: {protected}"));
    }
    note.push_str("PING, GET, FLUSHALL, REPLICAOF, CONFIG without the password: NOAUTH; with it: PONG");
    Ok(note)
}
