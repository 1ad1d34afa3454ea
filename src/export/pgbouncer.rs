//! `pgbouncer.ini`: PgBouncer beside PostgreSQL (000 and 003 "[pgbouncer]"), one
//! database/user pair, every pool value from [`crate::model::rules::pgbouncer`]; on the
//! database's own host its `pgbouncer_hba.conf`, and on any host the systemd drop-in
//! `pgbouncer-limits.conf` that raises its open-file limit.

use super::why_line;
use crate::model::lists;
use crate::model::rules::{Explained, PgBouncer};
use crate::model::text::{digits, push_all};
use crate::model::{DbHost, Plan, Platform};

/// PgBouncer's port (its default; 000 and 003).
pub const PORT: u32 = 6432;
/// The file of user names and passwords (Debian's path).
pub const AUTH_FILE: &str = "/etc/pgbouncer/userlist.txt";
/// The host-based rules of PgBouncer on the database's own host ([`hba`]).
pub const HBA_FILE: &str = "/etc/pgbouncer/pgbouncer_hba.conf";
/// The TLS key and certificate the person provides; PgBouncer refuses to start without
/// them ("TLS setup failed"), so a copied file never listens in clear (fails closed).
pub const TLS_KEY: &str = "/etc/pgbouncer/tls/server.key";
pub const TLS_CERT: &str = "/etc/pgbouncer/tls/server.crt";
/// The database host PgBouncer reaches from a pod: a placeholder that never resolves
/// (RFC 2606), until the person names their PostgreSQL.
pub const PLACEHOLDER_DB_HOST: &str = "set-database-host.invalid";

/// Where PgBouncer runs, which decides how clients reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Beside PostgreSQL on its own host: the app nodes connect over the network, so
    /// TLS, SCRAM and the app nodes' ranges (app_cidr) only.
    DatabaseHost,
    /// On the app node with PostgreSQL: loopback only.
    AppNode,
    /// In its own pod: reached through its Service, admitted by its NetworkPolicy.
    Pod,
}

/// Where the plan's PgBouncer runs.
pub fn place(plan: &Plan) -> Place {
    match (plan.platform, plan.db_host) {
        (Platform::K8s, _) => Place::Pod,
        (Platform::Hosts, DbHost::Own) => Place::DatabaseHost,
        (Platform::Hosts, DbHost::App) => Place::AppNode,
    }
}

fn set<T>(out: &mut String, name: &str, value: &str, e: &Explained<T>) {
    why_line(out, "; ", &e.why);
    push_all(out, &[name, " = ", value, "\n"]);
}

/// pgbouncer.ini below its header.
pub fn body(out: &mut String, plan: &Plan, b: &PgBouncer) {
    let name = &plan.name;
    let place = place(plan);
    let (listen, db_host) = match place {
        Place::DatabaseHost => ("*", "127.0.0.1"),
        Place::AppNode => ("127.0.0.1", "127.0.0.1"),
        Place::Pod => ("*", PLACEHOLDER_DB_HOST),
    };
    out.push_str("\n[databases]\n");
    if place == Place::Pod {
        out.push_str("; PLACEHOLDER: your PostgreSQL's address; until it is set no client gets a server.\n");
    }
    push_all(out, &[name, " = host=", db_host, " port=5432 dbname=", name, "\n"]);
    out.push_str("\n[pgbouncer]\n");
    push_all(out, &["listen_addr = ", listen, "\n"]);
    push_all(out, &["listen_port = ", &digits(PORT), "\n"]);
    match place {
        Place::DatabaseHost => {
            out.push_str("; Clients from the app nodes' ranges only (pgbouncer_hba.conf), over TLS, with SCRAM passwords.\n");
            out.push_str("auth_type = hba\n");
            push_all(out, &["auth_hba_file = ", HBA_FILE, "\n"]);
            out.push_str("; PLACEHOLDER: this host's key and certificate (your CA's, or for a private network\n");
            push_all(out, &[";   openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj /CN=$(hostname -f) -keyout ", TLS_KEY, " -out ", TLS_CERT, "\n"]);
            out.push_str("; and chown postgres: both). PgBouncer refuses to start without them; clients use sslmode=require.\n");
            out.push_str("client_tls_sslmode = require\n");
            push_all(out, &["client_tls_key_file = ", TLS_KEY, "\n"]);
            push_all(out, &["client_tls_cert_file = ", TLS_CERT, "\n"]);
        }
        Place::AppNode | Place::Pod => {
            out.push_str("; Clients authenticate with SCRAM against the users and passwords of auth_file.\n");
            out.push_str("auth_type = scram-sha-256\n");
        }
    }
    push_all(out, &["auth_file = ", AUTH_FILE, "\n"]);
    set(out, "pool_mode", b.pool_mode.value, &b.pool_mode);
    out.push_str("; In transaction mode session state (SET, advisory locks, LISTEN, temporary tables) stays on a\n");
    out.push_str("; server connection that the next transaction, maybe another client's, gets: use SET LOCAL.\n");
    set(out, "default_pool_size", &digits(b.default_pool_size.value), &b.default_pool_size);
    set(out, "reserve_pool_size", &digits(b.reserve_pool_size.value), &b.reserve_pool_size);
    set(out, "reserve_pool_timeout", &digits(b.reserve_pool_timeout_s.value), &b.reserve_pool_timeout_s);
    set(out, "max_client_conn", &digits(b.max_client_conn.value), &b.max_client_conn);
    if place != Place::Pod {
        out.push_str("; Each client takes a descriptor: pgbouncer-limits.conf raises systemd's LimitNOFILE (1,024 by default) to match.\n");
    }
    if b.max_prepared_statements.value > 0 {
        set(out, "max_prepared_statements", &digits(b.max_prepared_statements.value), &b.max_prepared_statements);
    } else {
        why_line(out, "; max_prepared_statements: ", &b.max_prepared_statements.why);
    }
    why_line(out, "; ", &b.server_connections.why);
    push_all(out, &["max_db_connections = ", &digits(b.server_connections.value), "\n"]);
}

/// pgbouncer_hba.conf below its header: TLS and SCRAM from each range of the app nodes
/// (app_cidr), nothing else (PgBouncer refuses a client no line admits).
pub fn hba(out: &mut String, plan: &Plan) {
    push_all(out, &["# Install as ", HBA_FILE, " (pgbouncer.ini's auth_hba_file); PgBouncer reads it at start and on reload.\n"]);
    out.push_str("# TYPE   DATABASE  USER  ADDRESS  METHOD\n");
    let mut any = false;
    for range in lists::items(&plan.app_cidr) {
        push_all(out, &["hostssl  ", &plan.name, "  all  ", range, "  scram-sha-256\n"]);
        any = true;
    }
    if !any {
        out.push_str("# No app network (app_cidr) in the plan: no client is admitted.\n");
    }
}

/// pgbouncer-limits.conf: the systemd drop-in that lets PgBouncer hold its clients.
/// Debian's pgbouncer.service sets no LimitNOFILE, so it runs with systemd's soft limit
/// of 1,024 descriptors and answers "Too many open files" at about a thousand clients.
pub fn limits(out: &mut String, fds: u64, nofile: u64) {
    out.push_str("# Install as /etc/systemd/system/pgbouncer.service.d/limits.conf, then: systemctl daemon-reload; systemctl restart pgbouncer\n");
    push_all(out, &["# PgBouncer holds every client and server connection (", &digits(fds), " descriptors with its own); systemd's default is 1,024.\n"]);
    out.push_str("[Service]\n");
    push_all(out, &["LimitNOFILE=", &digits(nofile), "\n"]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::rules::recommend;
    use crate::model::{DbHost, Platform, Switch};

    #[test]
    fn the_pool_values_and_the_userlist_are_in_the_file() {
        let mut plan = Plan::default();
        plan.pgbouncer = Switch::On;
        let b = recommend(&plan).pgbouncer.unwrap();
        let t = text_of(&plan, "pgbouncer.ini");
        assert!(t.starts_with("; pgbouncer.ini generated by the capacity planner\n"), "{t}");
        for line in [
            "app = host=127.0.0.1 port=5432 dbname=app".to_string(),
            "pool_mode = transaction".to_string(),
            format!("default_pool_size = {}", b.default_pool_size.value),
            format!("reserve_pool_size = {}", b.reserve_pool_size.value),
            format!("max_client_conn = {}", b.max_client_conn.value),
            format!("auth_file = {AUTH_FILE}"),
        ] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
    }

    #[test]
    fn on_the_database_host_clients_need_tls_scram_and_an_app_range() {
        let mut plan = Plan::default();
        plan.pgbouncer = Switch::On;
        plan.app_cidr = "10.1.0.0/16,fd00::/8".into();
        let t = text_of(&plan, "pgbouncer.ini");
        for line in ["listen_addr = *", "auth_type = hba", "client_tls_sslmode = require", "client_tls_cert_file = /etc/pgbouncer/tls/server.crt"] {
            assert!(t.contains(&format!("\n{line}\n")), "{line} in {t}");
        }
        let h = text_of(&plan, "pgbouncer_hba.conf");
        assert!(h.contains("\nhostssl  app  all  10.1.0.0/16  scram-sha-256\nhostssl  app  all  fd00::/8  scram-sha-256\n"), "{h}");
        assert!(!h.lines().any(|l| l.starts_with("host ") || l.contains("trust")), "{h}");
        plan.app_cidr.clear();
        assert!(!text_of(&plan, "pgbouncer_hba.conf").contains("hostssl"));
    }

    #[test]
    fn on_the_app_node_and_in_a_pod_pgbouncer_needs_no_certificate() {
        let mut plan = Plan::default();
        plan.pgbouncer = Switch::On;
        plan.db_host = DbHost::App;
        let t = text_of(&plan, "pgbouncer.ini");
        assert!(t.contains("\nlisten_addr = 127.0.0.1\n") && !t.contains("client_tls") && t.contains("\nauth_type = scram-sha-256\n"), "{t}");
        assert_eq!(text_of(&plan, "pgbouncer_hba.conf"), "");
        plan.platform = Platform::K8s;
        let t = text_of(&plan, "pgbouncer.ini");
        assert!(t.contains(&format!("app = host={PLACEHOLDER_DB_HOST} ")) && t.contains("\nlisten_addr = *\n"), "{t}");
        assert_eq!(text_of(&plan, "pgbouncer-limits.conf"), "");
    }

    #[test]
    fn the_drop_in_raises_pgbouncers_open_files_to_its_node_limit() {
        let mut plan = Plan::default();
        plan.pgbouncer = Switch::On;
        plan.replicas = 50;
        let rec = recommend(&plan);
        let t = text_of(&plan, "pgbouncer-limits.conf");
        let nofile = rec.db_kernel.as_ref().unwrap().nofile.value;
        assert!(t.contains(&format!("\n[Service]\nLimitNOFILE={nofile}\n")), "{t}");
        assert!(nofile >= rec.pgbouncer.unwrap().max_client_conn.value);
    }
}
