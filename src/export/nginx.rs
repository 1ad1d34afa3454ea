//! `nginx.conf`: a complete main config (000 "Nginx Performance Optimizations", 003's
//! site with rate limits), every value from [`crate::model::rules::nginx`]. The app is
//! its upstream on loopback (gunicorn binds 127.0.0.1:8000 behind nginx).

use std::fmt::Write;

use super::gunicorn::PORT;
use super::systemd::install_dir;
use super::one_line;
use crate::model::rules::{Explained, Nginx};
use crate::model::Plan;

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// The indent of a line, `indent` spaces (blocks nest at most three deep).
fn pad(indent: usize) -> &'static str {
    &"            "[..indent]
}

/// A directive line with its reason as a comment.
fn d<T>(out: &mut String, indent: usize, directive: impl std::fmt::Display, e: &Explained<T>) {
    let _ = writeln!(out, "{}{directive};  # {}", pad(indent), one_line(&e.why));
}

/// A directive line without a comment.
fn l(out: &mut String, indent: usize, directive: impl std::fmt::Display) {
    let _ = writeln!(out, "{}{directive};", pad(indent));
}

/// nginx.conf below its header.
pub fn body(o: &mut String, plan: &Plan, n: &Nginx) {
    let name = &plan.name;
    // The upstream is `{name}_app`, the cache zone `{name}_cache`.
    o.push_str("# Install as /etc/nginx/nginx.conf (mime.types beside it); check with nginx -t.\n");
    o.push('\n');
    d(o, 0, format_args!("worker_processes {}", n.worker_processes.value), &n.worker_processes);
    d(o, 0, format_args!("worker_rlimit_nofile {}", n.worker_rlimit_nofile.value), &n.worker_rlimit_nofile);
    l(o, 0, "error_log /var/log/nginx/error.log warn");
    let _ = writeln!(o, "\nevents {{");
    d(o, 4, format_args!("worker_connections {}", n.worker_connections.value), &n.worker_connections);
    d(o, 4, format_args!("use {}", n.event_method.value), &n.event_method);
    d(o, 4, format_args!("multi_accept {}", on(n.multi_accept.value)), &n.multi_accept);
    let _ = writeln!(o, "}}\n\nhttp {{");
    l(o, 4, "include mime.types");
    l(o, 4, "default_type application/octet-stream");
    l(o, 4, "access_log /var/log/nginx/access.log");
    l(o, 4, "server_tokens off");
    l(o, 4, "sendfile on");
    l(o, 4, "tcp_nopush on");
    l(o, 4, "tcp_nodelay on");
    d(o, 4, format_args!("keepalive_timeout {}s", n.keepalive_timeout_s.value), &n.keepalive_timeout_s);
    d(o, 4, format_args!("keepalive_requests {}", n.keepalive_requests.value), &n.keepalive_requests);
    d(o, 4, format_args!("client_max_body_size {}m", n.client_max_body_size_mib.value), &n.client_max_body_size_mib);
    o.push_str("\n    # Compression\n");
    l(o, 4, "gzip on");
    l(o, 4, "gzip_vary on");
    l(o, 4, "gzip_proxied any");
    l(o, 4, "gzip_comp_level 6");
    d(o, 4, format_args!("gzip_min_length {}", n.gzip_min_length_bytes.value), &n.gzip_min_length_bytes);
    let _ = writeln!(o, "    # {}", one_line(&n.gzip_types.why));
    l(o, 4, format_args!("gzip_types {}", n.gzip_types.value.join(" ")));
    let c = &n.proxy_cache;
    let _ = writeln!(o, "\n    # Proxy cache: {}; {}", one_line(&c.max_size_gib.why), one_line(&c.inactive_min.why));
    o.push_str("    # nginx creates the directory (one level) at start: /var/cache exists on every Linux.\n");
    l(o, 4, format_args!(
        "proxy_cache_path /var/cache/nginx levels=1:2 keys_zone={name}_cache:{}m max_size={}g inactive={}m use_temp_path=off",
        c.keys_zone_mib.value, c.max_size_gib.value, c.inactive_min.value
    ));
    let r = &n.rate_limits;
    let _ = writeln!(o, "\n    # Rate limits per client address (003): {}", one_line(&r.zone_mib.why));
    l(o, 4, format_args!("limit_req_zone $binary_remote_addr zone=general:{}m rate={}r/m", r.zone_mib.value, r.general_per_min.value));
    l(o, 4, format_args!("limit_req_zone $binary_remote_addr zone=auth:{}m rate={}r/m", r.zone_mib.value, r.auth_per_min.value));
    l(o, 4, "limit_req_status 429");
    let _ = writeln!(o, "\n    upstream {name}_app {{");
    l(o, 8, format_args!("server 127.0.0.1:{PORT}"));
    d(o, 8, format_args!("keepalive {}", n.upstream_keepalive.value), &n.upstream_keepalive);
    d(o, 8, format_args!("keepalive_timeout {}s", n.upstream_keepalive_timeout_s.value), &n.upstream_keepalive_timeout_s);
    let _ = writeln!(o, "    }}\n\n    server {{");
    l(o, 8, "listen 80 default_server");
    l(o, 8, "server_name _");
    o.push_str("\n        # To the app: HTTP/1.1 with an empty Connection header keeps upstream connections alive.\n");
    l(o, 8, "proxy_http_version 1.1");
    l(o, 8, "proxy_set_header Connection \"\"");
    l(o, 8, "proxy_set_header Host $host");
    l(o, 8, "proxy_set_header X-Real-IP $remote_addr");
    l(o, 8, "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for");
    l(o, 8, "proxy_set_header X-Forwarded-Proto $scheme");
    d(o, 8, format_args!("proxy_connect_timeout {}s", n.proxy_connect_timeout_s.value), &n.proxy_connect_timeout_s);
    d(o, 8, format_args!("proxy_send_timeout {}s", n.proxy_send_timeout_s.value), &n.proxy_send_timeout_s);
    d(o, 8, format_args!("proxy_read_timeout {}s", n.proxy_read_timeout_s.value), &n.proxy_read_timeout_s);
    o.push_str("        # Buffers (003): small API responses fit without temp files.\n");
    l(o, 8, "proxy_buffering on");
    l(o, 8, "proxy_buffer_size 4k");
    l(o, 8, "proxy_buffers 8 4k");
    l(o, 8, "proxy_busy_buffers_size 8k");
    let _ = writeln!(o, "\n        # Static files: {}", one_line(&n.static_expires.why));
    let _ = writeln!(o, "        location /static/ {{");
    l(o, 12, format_args!("alias {}/static/", install_dir(plan)));
    l(o, 12, format_args!("expires {}", n.static_expires.value));
    l(o, 12, "add_header Cache-Control \"public, immutable\"");
    l(o, 12, "access_log off");
    let _ = writeln!(o, "        }}\n");
    let _ = writeln!(o, "        # Login attempts: {}", one_line(&r.auth_per_min.why));
    let _ = writeln!(o, "        location /auth/ {{");
    l(o, 12, format_args!("limit_req zone=auth burst={} nodelay", r.auth_burst.value));
    l(o, 12, format_args!("proxy_pass http://{name}_app"));
    let _ = writeln!(o, "        }}\n");
    let _ = writeln!(o, "        location / {{");
    l(o, 12, format_args!("limit_req zone=general burst={} nodelay", r.general_burst.value));
    l(o, 12, format_args!("proxy_pass http://{name}_app"));
    l(o, 12, format_args!("proxy_cache {name}_cache"));
    d(o, 12, format_args!("proxy_cache_valid 200 {}s", c.valid_200_s.value), &c.valid_200_s);
    d(o, 12, format_args!("proxy_cache_valid 404 {}s", c.valid_404_s.value), &c.valid_404_s);
    o.push_str("            # Never cache or serve from cache what an authenticated client asks.\n");
    l(o, 12, "proxy_cache_bypass $http_authorization $cookie_session");
    l(o, 12, "proxy_no_cache $http_authorization $cookie_session");
    l(o, 12, "proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504");
    l(o, 12, "proxy_cache_lock on");
    l(o, 12, "add_header X-Cache-Status $upstream_cache_status");
    let _ = writeln!(o, "        }}\n    }}\n}}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;

    fn text(plan: &Plan) -> String {
        text_of(plan, "nginx.conf")
    }

    #[test]
    fn the_rules_values_are_in_the_file() {
        let plan = Plan::default();
        let rec = recommend(&plan);
        let n = rec.nginx.as_ref().unwrap();
        let t = text(&plan);
        for line in [
            "worker_processes auto;".to_string(),
            format!("worker_rlimit_nofile {};", n.worker_rlimit_nofile.value),
            format!("worker_connections {};", n.worker_connections.value),
            "keepalive_timeout 65s;".to_string(),
            "keepalive 32;".to_string(),
            format!("proxy_read_timeout {}s;", rec.gunicorn.timeout_s.value),
            "client_max_body_size 10m;".to_string(),
            "server 127.0.0.1:8000;".to_string(),
        ] {
            assert!(t.contains(&line), "{line} in {t}");
        }
    }

    #[test]
    fn the_rate_limit_zones_are_applied_to_locations() {
        let t = text(&Plan::default());
        assert!(t.contains("limit_req_zone $binary_remote_addr zone=general:10m rate=100r/m;"));
        assert!(t.contains("limit_req_zone $binary_remote_addr zone=auth:10m rate=5r/m;"));
        assert!(t.contains("limit_req zone=auth burst=10 nodelay;"));
        assert!(t.contains("limit_req zone=general burst=20 nodelay;"));
    }

    #[test]
    fn braces_balance() {
        let t = text(&Plan::default());
        assert_eq!(t.matches('{').count(), t.matches('}').count());
    }
}
