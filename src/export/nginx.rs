//! `nginx.conf`: a complete main config (000 "Nginx Performance Optimizations", 003's
//! site with rate limits), every value from [`crate::model::rules::nginx`]. The app is
//! its upstream on loopback (gunicorn binds 127.0.0.1:8000 behind nginx).

use crate::model::sources::guide;

use super::gunicorn::PORT;
use super::systemd::install_dir;
use super::{one_line, why_line};
use crate::model::rules::{Explained, Nginx};
use crate::model::text::{digits, push_all};
use crate::model::{Plan, Platform};

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
fn d<T>(out: &mut String, indent: usize, directive: &[&str], e: &Explained<T>) {
    out.push_str(pad(indent));
    push_all(out, directive);
    why_line(out, ";  # ", &e.why);
}

/// A directive line without a comment.
fn l(out: &mut String, indent: usize, directive: &[&str]) {
    out.push_str(pad(indent));
    push_all(out, directive);
    out.push_str(";\n");
}

/// nginx.conf below its header.
pub fn body(o: &mut String, plan: &Plan, n: &Nginx) {
    let name = &plan.name;
    let pod = plan.platform == Platform::K8s;
    // The upstream is `{name}_app`, the cache zone `{name}_cache`.
    if pod {
        o.push_str("# The nginx container's /etc/nginx/nginx.conf (the ConfigMap of kubernetes.yaml); it runs unprivileged.\n");
    } else {
        o.push_str("# Install as /etc/nginx/nginx.conf (mime.types beside it); check with nginx -t.\n");
    }
    o.push('\n');
    if let Some(u) = &n.user {
        d(o, 0, &["user ", u.value], u);
    }
    d(o, 0, &["worker_processes ", &n.worker_processes.value], &n.worker_processes);
    d(o, 0, &["worker_rlimit_nofile ", &digits(n.worker_rlimit_nofile.value)], &n.worker_rlimit_nofile);
    l(o, 0, &["error_log /var/log/nginx/error.log warn"]);
    if pod {
        l(o, 0, &["pid /tmp/nginx.pid"]);
    }
    o.push_str("\nevents {\n");
    d(o, 4, &["worker_connections ", &digits(n.worker_connections.value)], &n.worker_connections);
    d(o, 4, &["use ", n.event_method.value], &n.event_method);
    d(o, 4, &["multi_accept ", on(n.multi_accept.value)], &n.multi_accept);
    o.push_str("}\n\nhttp {\n");
    l(o, 4, &["include mime.types"]);
    l(o, 4, &["default_type application/octet-stream"]);
    l(o, 4, &["access_log /var/log/nginx/access.log"]);
    l(o, 4, &["server_tokens off"]);
    l(o, 4, &["sendfile on"]);
    l(o, 4, &["tcp_nopush on"]);
    l(o, 4, &["tcp_nodelay on"]);
    d(o, 4, &["keepalive_timeout ", &digits(n.keepalive_timeout_s.value), "s"], &n.keepalive_timeout_s);
    d(o, 4, &["keepalive_requests ", &digits(n.keepalive_requests.value)], &n.keepalive_requests);
    d(o, 4, &["client_max_body_size ", &digits(n.client_max_body_size_mib.value), "m"], &n.client_max_body_size_mib);
    if pod {
        o.push_str("    # Temporary files in the pod's writable /tmp (the root filesystem is read-only).\n");
        for t in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            l(o, 4, &[t, "_temp_path /tmp/", t, "_temp"]);
        }
    }
    o.push_str("\n    # Compression\n");
    l(o, 4, &["gzip on"]);
    l(o, 4, &["gzip_vary on"]);
    l(o, 4, &["gzip_proxied any"]);
    l(o, 4, &["gzip_comp_level 6"]);
    d(o, 4, &["gzip_min_length ", &digits(n.gzip_min_length_bytes.value)], &n.gzip_min_length_bytes);
    why_line(o, "    # ", &n.gzip_types.why);
    l(o, 4, &["gzip_types ", &n.gzip_types.value.join(" ")]);
    if let Some(r) = &n.real_ip_from {
        why_line(o, "\n    # The client's address: ", &r.why);
        for range in r.value.split(' ') {
            l(o, 4, &["set_real_ip_from ", range]);
        }
        l(o, 4, &["real_ip_header X-Forwarded-For"]);
        l(o, 4, &["real_ip_recursive on"]);
    }
    if let Some(c) = &n.proxy_cache {
        push_all(o, &["\n    # Proxy cache: ", &one_line(&c.max_size_gib.why), "; "]);
        why_line(o, "", &c.inactive_min.why);
        let dir = if pod { "/tmp/nginx-cache" } else { "/var/cache/nginx" };
        o.push_str("    # nginx creates the directory (one level) at start.\n");
        l(o, 4, &[
            "proxy_cache_path ", dir, " levels=1:2 keys_zone=", name, "_cache:", &digits(c.keys_zone_mib.value),
            "m max_size=", &digits(c.max_size_gib.value), "g inactive=", &digits(c.inactive_min.value), "m use_temp_path=off",
        ]);
    }
    if let Some(r) = &n.rate_limits {
        why_line(o, "\n    # Rate limits: ", &r.general_per_min.why);
        let zone = digits(r.zone_mib.value);
        l(o, 4, &["limit_req_zone $binary_remote_addr zone=general:", &zone, "m rate=", &digits(r.general_per_min.value), "r/m"]);
        l(o, 4, &["limit_req_zone $binary_remote_addr zone=auth:", &zone, "m rate=", &digits(r.auth_per_min.value), "r/m"]);
        l(o, 4, &["limit_req_status 429"]);
    } else {
        o.push_str("\n    # No rate limits: in a pod every request comes through the ingress or a node, so one\n");
        o.push_str("    # address would carry them all. Set the load balancers' range (lb_cidr) to limit per client.\n");
    }
    push_all(o, &["\n    upstream ", name, "_app {\n"]);
    l(o, 8, &["server 127.0.0.1:", &digits(PORT)]);
    d(o, 8, &["keepalive ", &digits(n.upstream_keepalive.value)], &n.upstream_keepalive);
    d(o, 8, &["keepalive_timeout ", &digits(n.upstream_keepalive_timeout_s.value), "s"], &n.upstream_keepalive_timeout_s);
    let port = digits(n.listen_port.value);
    o.push_str("    }\n\n    # Any Host header not listed below: the connection is closed without an answer.\n    server {\n");
    push_all(o, &["        # ", &one_line(&n.listen_port.why), "; "]);
    why_line(o, "", &n.listen_backlog.why);
    l(o, 8, &["listen ", &port, " default_server backlog=", &digits(n.listen_backlog.value)]);
    l(o, 8, &["server_name _"]);
    l(o, 8, &["return 444"]);
    o.push_str("    }\n\n    server {\n");
    l(o, 8, &["listen ", &port]);
    why_line(o, "        # ", &n.server_name.why);
    l(o, 8, &["server_name ", &n.server_name.value]);
    o.push_str("\n        # To the app: HTTP/1.1 with an empty Connection header keeps upstream connections alive.\n");
    l(o, 8, &["proxy_http_version 1.1"]);
    l(o, 8, &["proxy_set_header Connection \"\""]);
    l(o, 8, &["proxy_set_header Host $host"]);
    o.push_str("        # The one client address nginx trusts, not a chain a client may have forged.\n");
    l(o, 8, &["proxy_set_header X-Real-IP $remote_addr"]);
    l(o, 8, &["proxy_set_header X-Forwarded-For $remote_addr"]);
    l(o, 8, &["proxy_set_header X-Forwarded-Proto $scheme"]);
    d(o, 8, &["proxy_connect_timeout ", &digits(n.proxy_connect_timeout_s.value), "s"], &n.proxy_connect_timeout_s);
    d(o, 8, &["proxy_send_timeout ", &digits(n.proxy_send_timeout_s.value), "s"], &n.proxy_send_timeout_s);
    d(o, 8, &["proxy_read_timeout ", &digits(n.proxy_read_timeout_s.value), "s"], &n.proxy_read_timeout_s);
    o.push_str(concat!("        # Buffers (", guide!(003), "): small API responses fit without temp files; a slow client never holds the app.\n"));
    l(o, 8, &["proxy_buffering on"]);
    l(o, 8, &["proxy_buffer_size 4k"]);
    l(o, 8, &["proxy_buffers 8 4k"]);
    l(o, 8, &["proxy_busy_buffers_size 8k"]);
    if let Some(e) = &n.static_expires {
        why_line(o, "\n        # Static files: ", &e.why);
        o.push_str("        location /static/ {\n");
        l(o, 12, &["alias ", &install_dir(plan), "/static/"]);
        l(o, 12, &["expires ", e.value]);
        l(o, 12, &["add_header Cache-Control \"public, immutable\""]);
        l(o, 12, &["access_log off"]);
        o.push_str("        }\n");
    }
    let rates = n.rate_limits.as_ref();
    if let Some(r) = rates {
        why_line(o, "\n        # Login attempts: ", &r.auth_per_min.why);
    } else {
        o.push('\n');
    }
    o.push_str("        location /auth/ {\n");
    if let Some(r) = rates {
        l(o, 12, &["limit_req zone=auth burst=", &digits(r.auth_burst.value), " nodelay"]);
    }
    l(o, 12, &["proxy_pass http://", name, "_app"]);
    o.push_str("        }\n");
    let cached: Vec<&str> = n.proxy_cache.as_ref().map_or(vec![], |c| c.paths.value.split(' ').collect());
    for path in cached.iter().filter(|p| **p != "/") {
        location(o, name, path, n, true);
    }
    location(o, name, "/", n, cached.contains(&"/"));
    o.push_str("    }\n}\n");
}

/// A location proxied to the app, with the general rate limit and, if `cache`, the cache.
fn location(o: &mut String, name: &str, path: &str, n: &Nginx, cache: bool) {
    push_all(o, &["\n        location ", path, " {\n"]);
    if let Some(r) = &n.rate_limits {
        l(o, 12, &["limit_req zone=general burst=", &digits(r.general_burst.value), " nodelay"]);
    }
    l(o, 12, &["proxy_pass http://", name, "_app"]);
    if let Some(c) = n.proxy_cache.as_ref().filter(|_| cache) {
        why_line(o, "            # Cached: ", &c.paths.why);
        l(o, 12, &["proxy_cache ", name, "_cache"]);
        l(o, 12, &["proxy_cache_key $scheme$host$request_uri"]);
        d(o, 12, &["proxy_cache_valid 200 ", &digits(c.valid_200_s.value), "s"], &c.valid_200_s);
        d(o, 12, &["proxy_cache_valid 404 ", &digits(c.valid_404_s.value), "s"], &c.valid_404_s);
        l(o, 12, &["proxy_cache_bypass $http_authorization $http_cookie"]);
        l(o, 12, &["proxy_no_cache $http_authorization $http_cookie"]);
        l(o, 12, &["proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504"]);
        l(o, 12, &["proxy_cache_lock on"]);
    }
    o.push_str("        }\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;

    fn text(edit: impl FnOnce(&mut Plan)) -> String {
        let mut plan = Plan::default();
        edit(&mut plan);
        text_of(&plan, "nginx.conf")
    }

    #[test]
    fn the_rules_values_are_in_the_file() {
        let plan = Plan::default();
        let rec = recommend(&plan);
        let n = rec.nginx.as_ref().unwrap();
        let t = text(|_| {});
        for line in [
            "user www-data;".to_string(),
            "worker_processes auto;".to_string(),
            format!("worker_rlimit_nofile {};", n.worker_rlimit_nofile.value),
            format!("worker_connections {};", n.worker_connections.value),
            "keepalive_timeout 65s;".to_string(),
            "keepalive 32;".to_string(),
            format!("proxy_read_timeout {}s;", rec.gunicorn.timeout_s.value + 5),
            "client_max_body_size 10m;".to_string(),
            "server 127.0.0.1:8000;".to_string(),
            "listen 80 default_server backlog=65535;".to_string(),
        ] {
            assert!(t.contains(&line), "{line} in {t}");
        }
    }

    #[test]
    fn any_other_host_is_closed_and_the_placeholder_answers_none() {
        let t = text(|_| {});
        assert!(t.contains("        server_name _;\n        return 444;\n"), "{t}");
        assert!(t.contains("\n        server_name set-server-name.invalid;\n"), "{t}");
        assert!(t.contains("PLACEHOLDER"));
        let t = text(|p| p.server_name = "shop.example.com,www.shop.example.com".into());
        assert!(t.contains("\n        server_name shop.example.com www.shop.example.com;\n"), "{t}");
        assert_eq!(t.matches("default_server").count(), 1);
    }

    #[test]
    fn nothing_is_cached_and_no_cache_status_leaks_by_default() {
        let t = text(|_| {});
        for absent in ["proxy_cache", "X-Cache-Status", "$cookie_session"] {
            assert!(!t.contains(absent), "{absent} in {t}");
        }
    }

    #[test]
    fn a_cached_path_is_keyed_by_host_and_never_serves_a_request_with_credentials() {
        let t = text(|p| p.cache_paths = "/api/status,/".into());
        assert!(t.contains("proxy_cache_path /var/cache/nginx "));
        for location in ["location /api/status {", "location / {"] {
            let block = &t[t.find(location).unwrap_or_else(|| panic!("{location} in {t}"))..];
            let block = &block[..block.find("\n        }").unwrap()];
            for line in [
                "proxy_cache app_cache;",
                "proxy_cache_key $scheme$host$request_uri;",
                "proxy_cache_bypass $http_authorization $http_cookie;",
                "proxy_no_cache $http_authorization $http_cookie;",
            ] {
                assert!(block.contains(line), "{line} in {block}");
            }
            assert!(!block.contains("proxy_ignore_headers"), "Set-Cookie and Cache-Control are honoured");
        }
        let login = &t[t.find("location /auth/ {").unwrap()..];
        assert!(!login[..login.find('}').unwrap()].contains("proxy_cache"));
    }

    #[test]
    fn the_rate_limit_zones_are_applied_to_locations() {
        let t = text(|_| {});
        assert!(t.contains("limit_req_zone $binary_remote_addr zone=general:10m rate=600r/m;"));
        assert!(t.contains("limit_req_zone $binary_remote_addr zone=auth:10m rate=5r/m;"));
        assert!(t.contains("limit_req zone=auth burst=10 nodelay;"));
        assert!(t.contains("limit_req zone=general burst=50 nodelay;"));
    }

    #[test]
    fn the_client_address_comes_from_the_load_balancers_only_and_reaches_the_app_alone() {
        let t = text(|p| p.lb_cidr = "10.0.0.0/8,2001:db8::/32".into());
        assert!(t.contains("    set_real_ip_from 10.0.0.0/8;\n    set_real_ip_from 2001:db8::/32;\n    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n"), "{t}");
        assert!(t.contains("proxy_set_header X-Forwarded-For $remote_addr;"));
        assert!(!text(|_| {}).contains("set_real_ip_from"));
    }

    #[test]
    fn in_a_pod_nginx_runs_unprivileged_on_8080_with_its_files_in_tmp() {
        let t = text(|p| {
            p.platform = Platform::K8s;
            p.replicas = 2;
            p.cache_paths = "/api/status".into();
        });
        assert!(!t.contains("\nuser ") && !t.contains("location /static/") && !t.contains("limit_req"), "{t}");
        for line in ["pid /tmp/nginx.pid;", "listen 8080 default_server backlog=4096;", "listen 8080;", "proxy_temp_path /tmp/proxy_temp;", "proxy_cache_path /tmp/nginx-cache "] {
            assert!(t.contains(line), "{line} in {t}");
        }
    }

    #[test]
    fn braces_balance() {
        for t in [text(|_| {}), text(|p| p.cache_paths = "/a,/".into()), text(|p| p.platform = Platform::K8s)] {
            assert_eq!(t.matches('{').count(), t.matches('}').count(), "{t}");
        }
    }
}
