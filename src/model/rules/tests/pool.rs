use super::{codes, rec};
use crate::model::choice::{Database, Server, Switch, Tier};
use crate::model::rules::pool::*;
use crate::model::rules::recommend;
use crate::model::Plan;

#[test]
fn pool_reproduces_the_004_tier_examples() {
    // 004: Small 4 workers 5+5, Medium 8 workers 10+10, Large 16 workers 20+10.
    for (tier, expected) in [(Tier::Small, (4, 5, 5)), (Tier::Medium, (8, 10, 10)), (Tier::Large, (16, 20, 10))] {
        let r = recommend(&Plan::for_tier(tier));
        let p = r.db_pool.expect("a database");
        assert_eq!((r.gunicorn.workers.value, p.pool_size.value, p.max_overflow.value), expected, "{tier:?}");
    }
}

#[test]
fn async_pool_stays_within_5_and_20() {
    assert_eq!(async_pool_size(1), 5); // 004 light load: 5
    assert_eq!(async_pool_size(12), 15);
    assert_eq!(async_pool_size(1024), 20);
    assert_eq!(async_max_overflow(5), 5);
    assert_eq!(async_max_overflow(20), 10);
}

#[test]
fn threaded_pool_is_one_connection_per_thread() {
    assert_eq!(threaded_pool_size(1), 1);
    let p = rec(|p| {
        p.server = Server::Gthread;
        p.threads = Some(4);
    })
    .db_pool
    .unwrap();
    assert_eq!((p.pool_size.value, p.max_overflow.value), (4, 2));
}

#[test]
fn fleet_connections_multiply_replicas_processes_and_pool() {
    assert_eq!(fleet_connections(3, 8, 10, 10), 480);
    let p = rec(|p| p.replicas = 2).db_pool.unwrap();
    assert_eq!(p.per_node_connections.value, 160);
    assert_eq!(p.fleet_connections.value, 320);
}

#[test]
fn server_limit_is_max_connections_less_reserved() {
    assert_eq!(server_limit_connections(MAX_CONNECTIONS, SUPERUSER_RESERVED_CONNECTIONS), 197);
    assert_eq!(server_limit_connections(2, 3), 0);
}

#[test]
fn pgbouncer_is_required_when_the_fleet_exceeds_max_connections() {
    // Large: 16 processes × (20 + 10) = 480 > 197.
    let off = recommend(&Plan::for_tier(Tier::Large));
    assert!(off.db_pool.as_ref().unwrap().pgbouncer_required.value);
    assert!(codes(&off).contains(&"pool-exceeds-max-connections"));
    assert!(codes(&off).contains(&"pgbouncer-required"));
    assert!(off.pgbouncer.is_none());

    let mut plan = Plan::for_tier(Tier::Large);
    plan.pgbouncer = Switch::On;
    let on = recommend(&plan);
    assert!(!codes(&on).contains(&"pgbouncer-required"));
    assert!(on.pgbouncer.unwrap().max_client_conn.value >= 480);

    // A thousand Large nodes: 480,000 connections, written with separators in the why
    // and the warnings.
    let fleet = recommend(&Plan { replicas: 1000, ..Plan::for_tier(Tier::Large) });
    assert_eq!(fleet.db_pool.as_ref().unwrap().fleet_connections.why, "1,000 nodes × 480 per node");
    assert!(fleet.warnings.iter().any(|w| w.message.starts_with("The fleet's pools may open 480,000 connections (1,000 nodes × 480 per node)")));
    assert!(fleet.warnings.iter().any(|w| w.message.contains(": 480,000 client connections cannot reach PostgreSQL")));

    // Medium: 8 × 20 = 160 fits.
    let medium = recommend(&Plan::for_tier(Tier::Medium));
    assert!(!medium.db_pool.as_ref().unwrap().pgbouncer_required.value);
    assert!(!codes(&medium).contains(&"pgbouncer-required"));
}

#[test]
fn no_database_means_no_pool_pgbouncer_or_postgres() {
    let r = rec(|p| {
        p.db = Database::None;
        p.pgbouncer = Switch::On;
    });
    assert!(r.db_pool.is_none() && r.pgbouncer.is_none() && r.postgres.is_none() && r.db_kernel.is_none());
    assert!(r.alerts.iter().all(|a| a.name != "DatabasePoolExhausted"));
}
