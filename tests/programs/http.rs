//! A minimal HTTP/1.1 client for the behaviour tests: one request per connection, the
//! status, headers and body of the answer, or the fact that the server closed the
//! connection without one (nginx's 444).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// An answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    /// The first header of that name (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The value of `key=` in the upstream's one-line body (`host=… session=… n=…`).
    pub(crate) fn field(&self, key: &str) -> &str {
        self.body.split_whitespace().find_map(|w| w.strip_prefix(key)?.strip_prefix('=')).unwrap_or("")
    }
}

/// What a request met.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Answered(Answer),
    /// The server closed the connection without a byte.
    Closed,
    /// No (complete) answer within the timeout, or the connection failed.
    Failed(String),
}

impl Outcome {
    /// The answer, or a message saying what happened instead.
    pub(crate) fn answer(self) -> Result<Answer, String> {
        match self {
            Outcome::Answered(a) => Ok(a),
            Outcome::Closed => Err("closed without an answer".into()),
            Outcome::Failed(e) => Err(e),
        }
    }
}

/// GET `path` from 127.0.0.1:`port` with the Host header and any extra headers.
pub(crate) fn get(port: u16, host: &str, path: &str, headers: &[(&str, &str)], timeout: Duration) -> Outcome {
    let mut s = match TcpStream::connect(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(format!("connect: {e}")),
    };
    let _ = s.set_read_timeout(Some(timeout));
    let _ = s.set_write_timeout(Some(timeout));
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    if let Err(e) = s.write_all(req.as_bytes()) {
        return Outcome::Failed(format!("write: {e}"));
    }
    let mut raw = vec![];
    if let Err(e) = s.read_to_end(&mut raw) {
        if raw.is_empty() {
            return match e.kind() {
                std::io::ErrorKind::ConnectionReset => Outcome::Closed,
                _ => Outcome::Failed(format!("read: {e}")),
            };
        }
    }
    if raw.is_empty() {
        return Outcome::Closed;
    }
    parse(&String::from_utf8_lossy(&raw))
}

fn parse(raw: &str) -> Outcome {
    let Some((head, body)) = raw.split_once("\r\n\r\n") else {
        return Outcome::Failed(format!("no complete head in {raw:?}"));
    };
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|c| c.parse().ok());
    let Some(status) = status else {
        return Outcome::Failed(format!("no status line in {raw:?}"));
    };
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Outcome::Answered(Answer { status, headers, body: body.to_string() })
}

/// A connection that sends the start of a request and never finishes it (a slow client).
pub(crate) fn slow_client(port: u16) -> Option<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: shop.example\r\nX-Slow: ").ok()?;
    Some(s)
}
