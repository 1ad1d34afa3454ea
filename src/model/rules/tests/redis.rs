use super::{codes, rec};
use crate::model::choice::Cache;
use crate::model::rules::redis::*;

#[test]
fn redis_maxmemory_is_80_percent_of_the_budget() {
    assert_eq!(maxmemory_mib(512), 409);
    assert_eq!(maxmemory_mib(2_097_152), 1_677_721);
    assert_eq!(rec(|p| p.cache_mem_mib = 2048).redis.unwrap().maxmemory_mib.value, 1638);
}

#[test]
fn redis_is_a_pure_lru_cache_without_persistence() {
    let r = rec(|_| {}).redis.unwrap();
    assert_eq!(r.maxmemory_policy.value, "allkeys-lru");
    assert!(!r.persistence.value);
    assert_eq!((r.timeout_s.value, r.tcp_keepalive_s.value), (0, 300));
}

#[test]
fn redis_client_pool_is_20_and_ttls_are_300_900_3600() {
    let r = rec(|p| p.replicas = 3).redis.unwrap();
    assert_eq!(r.client_pool_per_process.value, 20);
    assert_eq!(r.fleet_clients.value, 3 * 8 * 20);
    assert_eq!((r.ttl_short_s.value, r.ttl_medium_s.value, r.ttl_long_s.value), (300, 900, 3600));
}

#[test]
fn redis_warns_when_the_fleet_exceeds_maxclients() {
    let r = rec(|p| p.replicas = 100); // 100 × 8 × 20 = 16000 > 10000
    assert!(codes(&r).contains(&"redis-clients-over-maxclients"));
    assert!(!codes(&rec(|_| {})).contains(&"redis-clients-over-maxclients"));
}

#[test]
fn no_cache_means_no_redis() {
    assert!(rec(|p| p.cache = Cache::None).redis.is_none());
}
