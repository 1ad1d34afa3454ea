use super::rec;
use crate::model::choice::Switch;
use crate::model::rules::pgbouncer::*;

#[test]
fn pgbouncer_pool_mode_is_transaction() {
    assert_eq!(pool_mode(), "transaction");
}

#[test]
fn pgbouncer_default_pool_size_is_20_on_small_databases_and_50_on_large() {
    assert_eq!(default_pool_size(1, 197, 5), 20); // 000
    assert_eq!(default_pool_size(4, 197, 5), 20);
    assert_eq!(default_pool_size(16, 197, 5), 33); // 2 × 16 + 1
    assert_eq!(default_pool_size(32, 197, 5), 50); // 003
    assert_eq!(default_pool_size(32, 30, 5), 25); // never above the server's limit
}

#[test]
fn pgbouncer_max_client_conn_covers_every_client_connection() {
    assert_eq!(max_client_conn(0), 100);
    assert_eq!(max_client_conn(100), 100);
    assert_eq!(max_client_conn(101), 200);
    assert_eq!(max_client_conn(480), 500);
}

#[test]
fn pgbouncer_server_connections_fit_the_server() {
    let r = rec(|p| {
        p.pgbouncer = Switch::On;
        p.db_cores = 64;
    });
    let b = r.pgbouncer.unwrap();
    assert_eq!(b.default_pool_size.value, 50);
    assert_eq!(b.reserve_pool_size.value, 5);
    assert_eq!(b.server_connections.value, 55);
    assert!(b.server_connections.value <= r.db_pool.unwrap().server_limit_connections.value);
    // PgBouncer 1.18 rejected the setting (`make test-programs`): off, the driver's cache off.
    assert_eq!(b.max_prepared_statements.value, 0);
}
