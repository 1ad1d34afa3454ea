//! nginx run on its exported file in front of an upstream that answers with what it was
//! sent (the Host, the session cookie, Authorization, X-Forwarded-For and a counter that
//! shows a cached answer): no answer crosses users or hosts, a forged Host never reaches
//! the app or the cache, nothing the app marks private or answers with Set-Cookie is
//! replayed, and an ordinary client is not throttled while a flood is.

use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use planner::export;
use planner::model::{query, Plan};

use crate::harness::*;
use crate::http::{get, Answer, Outcome};

/// The upstream: a threaded HTTP/1.1 server answering `host=… session=… auth=… xff=… n=…`;
/// a path containing `setcookie` answers with Set-Cookie, one containing `private` with
/// Cache-Control: private.
pub(crate) const UPSTREAM: &str = r#"
import itertools, sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
counter = itertools.count(1)
class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        n = next(counter)
        session = ""
        for part in self.headers.get("Cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key in ("sessionid", "session"):
                session = value
        h = self.headers
        body = f"host={h.get('Host', '')} session={session} auth={h.get('Authorization', '').replace(' ', '_')} xff={h.get('X-Forwarded-For', '').replace(' ', '')} n={n}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if "setcookie" in self.path:
            self.send_header("Set-Cookie", f"sessionid=fresh{n}; HttpOnly")
        if "private" in self.path:
            self.send_header("Cache-Control", "private")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(ThreadingHTTPServer):
    request_queue_size = 1024
Server(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
"#;

/// The exported nginx.conf, moved to loopback ports and a private directory: it listens on
/// `port`, proxies to `upstream`, and logs, caches and keeps its pid under `dir`.
pub(crate) fn local_conf(text: &str, dir: &Path, port: u16, upstream: u16) -> String {
    let d = dir.display();
    // The pod's /tmp first: the directory itself is under /tmp.
    let mut t = text
        .replace(" /tmp/", &format!(" {d}/tmp/"))
        .replace("listen 8080", &format!("listen {port}"))
        .replace("listen 80", &format!("listen {port}"))
        .replace("server 127.0.0.1:8000;", &format!("server 127.0.0.1:{upstream};"))
        .replace("/var/log/nginx/", &format!("{d}/"))
        .replace("/var/cache/nginx", &format!("{d}/cache"));
    if !t.contains("\npid ") {
        t = t.replacen("\nevents {", &format!("\npid {d}/nginx.pid;\n\nevents {{"), 1);
    }
    t
}

/// nginx started on the plan's exported nginx.conf in `dir`, in front of a fresh upstream.
pub(crate) struct Proxied {
    pub(crate) port: u16,
    _upstream: Running,
    _nginx: Running,
}

pub(crate) fn start(tools: &Tools, plan: &Plan, dir: &Path) -> Result<Proxied, String> {
    std::fs::create_dir_all(dir.join("tmp")).map_err(|e| e.to_string())?;
    let _ = Command::new("chmod").arg("-R").arg("777").arg(dir).status();
    let text = export::files(plan).map_err(|e| e.to_string())?.into_iter().find(|f| f.name == "nginx.conf").ok_or("no nginx.conf")?.text;
    let (port, upstream) = (free_port(), free_port());
    std::fs::write(dir.join("upstream.py"), UPSTREAM).map_err(|e| e.to_string())?;
    let mut up = spawn(Command::new(tools.venv_bin.join("python")).arg(dir.join("upstream.py")).arg(upstream.to_string()), &dir.join("upstream.log"), "-TERM")?;
    wait_for_port(upstream, &mut up.child).map_err(|e| format!("upstream {e}: {}", up.log()))?;
    std::fs::copy("/etc/nginx/mime.types", dir.join("mime.types")).map_err(|e| format!("mime.types: {e}"))?;
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, local_conf(&text, dir, port, upstream)).map_err(|e| e.to_string())?;
    let mut nginx = spawn(Command::new("nginx").arg("-c").arg(&conf).arg("-p").arg(dir).args(["-g", "daemon off;"]), &dir.join("nginx.out"), "-TERM")?;
    wait_for_port(port, &mut nginx.child).map_err(|e| format!("nginx {e}: {}", nginx.log()))?;
    Ok(Proxied { port, _upstream: up, _nginx: nginx })
}

const T: Duration = Duration::from_secs(10);

impl Proxied {
    /// An answer to GET `path` for `host`, or what happened instead.
    pub(crate) fn get(&self, host: &str, path: &str, headers: &[(&str, &str)]) -> Result<Answer, String> {
        get(self.port, host, path, headers, T).answer().map_err(|e| format!("GET {path} (Host {host}): {e}"))
    }

    /// What GET `path` for `host` met.
    pub(crate) fn outcome(&self, host: &str, path: &str) -> Outcome {
        get(self.port, host, path, &[], T)
    }

    /// The statuses of `n` requests sent at once, each as a client at `xff` (if any).
    pub(crate) fn burst(&self, n: usize, prefix: &str, xff: Option<&str>) -> Vec<u16> {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (port, path, xff) = (self.port, format!("{prefix}{i}"), xff.map(str::to_string));
                thread::spawn(move || {
                    let h: Vec<(&str, &str)> = xff.as_deref().map(|x| vec![("X-Forwarded-For", x)]).unwrap_or_default();
                    match get(port, "shop.example", &path, &h, T) {
                        Outcome::Answered(a) => a.status,
                        _ => 0,
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    }
}

/// The plan of a query, for the behaviour tests.
pub(crate) fn plan(q: &str) -> Plan {
    query::decode_strict(q).unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// Checks that fail with a message: `ensure!(cond, "…", args)`.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}
pub(crate) use ensure;

/// No answer crosses users, credentials or hosts on a plan that caches everything it may.
pub(crate) fn no_answer_crosses_users_or_hosts(p: &Proxied) -> Result<String, String> {
    let host = "shop.example";
    // The cache works: a later anonymous request is answered from it (nginx stores the entry
    // as the upstream's answer ends, which may be just after the client has it: 3 tries).
    let first = p.get(host, "/", &[])?;
    let mut again = p.get(host, "/", &[])?;
    for _ in 0..3 {
        if again.field("n") == first.field("n") {
            break;
        }
        thread::sleep(Duration::from_millis(200));
        again = p.get(host, "/", &[])?;
    }
    ensure!(first.field("n") == again.field("n"), "the cache never answered: {} then {}", first.body, again.body);
    // Sessions and credentials: each gets its own page, and the anonymous page stays anonymous.
    for (who, header) in [("alice", ("Cookie", "sessionid=alice")), ("bob", ("Cookie", "_ga=1; sessionid=bob")), ("carol", ("Authorization", "Bearer carol"))] {
        let a = p.get(host, "/", &[header])?;
        ensure!(a.body.contains(who), "{who}'s request got {}", a.body);
        ensure!(a.field("n") != first.field("n"), "{who} was answered from the anonymous cache: {}", a.body);
    }
    let anon = p.get(host, "/", &[])?;
    ensure!(anon.field("session").is_empty() && anon.field("auth").is_empty(), "an anonymous request got {}", anon.body);
    // A response that sets a cookie or is private is never replayed.
    let set1 = p.get(host, "/api/status/setcookie", &[])?;
    let set2 = p.get(host, "/api/status/setcookie", &[])?;
    ensure!(set1.header("Set-Cookie") != set2.header("Set-Cookie"), "a Set-Cookie answer was replayed: {:?}", set2.header("Set-Cookie"));
    let pr1 = p.get(host, "/private", &[])?;
    let pr2 = p.get(host, "/private", &[])?;
    ensure!(pr1.field("n") != pr2.field("n"), "a Cache-Control: private answer was replayed");
    // Hosts: a forged one gets no answer and poisons nothing; each real host its own page.
    ensure!(matches!(p.outcome("evil.example", "/poison"), Outcome::Closed), "a forged Host was answered");
    let real = p.get(host, "/poison", &[])?;
    ensure!(real.field("host") == host, "Host {host} got {}", real.body);
    let www = p.get("www.shop.example", "/two", &[])?;
    let bare = p.get(host, "/two", &[])?;
    ensure!(www.field("host") == "www.shop.example" && bare.field("host") == host, "hosts share a cache entry: {} / {}", www.body, bare.body);
    for a in [&first, &anon, &real] {
        ensure!(a.header("X-Cache-Status").is_none(), "X-Cache-Status tells whether a request was cached");
    }
    Ok("cache answers anonymous requests only, per host; forged Host closed".into())
}

/// An ordinary client's page loads pass; a flood from one client is limited (when the plan
/// limits), and with a load balancer range, one client's flood leaves another untouched.
pub(crate) fn ordinary_clients_pass_and_floods_are_limited(p: &Proxied, limited: bool, behind_lb: bool) -> Result<String, String> {
    let (me, other) = if behind_lb { (Some("198.51.100.1, 203.0.113.7"), Some("203.0.113.8")) } else { (None, None) };
    // Two page loads 5 s apart, each a burst of 40 calls (HTTP/1.1 browsers open 6
    // connections per host; an app page fires tens of API calls).
    for load in 0..2 {
        if load > 0 {
            thread::sleep(Duration::from_secs(5));
        }
        let s = p.burst(40, &format!("/api/page{load}/"), me);
        ensure!(s.iter().all(|&c| c == 200), "page load {load}: statuses {s:?}");
    }
    thread::sleep(Duration::from_secs(5));
    let flood = p.burst(150, "/api/flood/", me);
    let refused = flood.iter().filter(|&&c| c == 429).count();
    ensure!(flood.iter().all(|&c| c == 200 || c == 429), "flood statuses {flood:?}");
    ensure!((refused > 0) == limited, "{refused} of 150 flooding requests refused (limits {limited})");
    if behind_lb {
        let s = p.burst(40, "/api/other/", other);
        ensure!(s.iter().all(|&c| c == 200), "another client behind the same balancer was throttled: {s:?}");
        // A third client (the first one is still limited after its flood).
        let a = p.get("shop.example", "/xff", &[("X-Forwarded-For", "198.51.100.1, 203.0.113.9")])?;
        ensure!(a.status == 200 && a.field("xff") == "203.0.113.9", "the app was told the client is '{}' ({})", a.field("xff"), a.status);
    }
    Ok(format!("2 page loads of 40 passed; a flood of 150: {refused} refused"))
}
