//! The page's rules ([`checked`]) against every rule ([`recommend`]): the values its
//! warnings read without the whys (nginx's limits, the kernels' nofile, the HPA's minimum
//! and the connection bounds) are the full rules' values, and its warnings are theirs.

use super::property::{random_plan, Rng};
use crate::model::rules::{checked, kubernetes, nginx, recommend, recommend_beside};
use crate::model::workers;

#[test]
fn the_pages_rules_read_the_values_of_every_rule() {
    let mut r = Rng(0x2026_1206);
    let (mut proxied, mut pods, mut own_db, mut warned) = (0, 0, 0, 0);
    for _ in 0..3000 {
        let p = random_plan(&mut r);
        if !p.validate().is_empty() {
            continue;
        }
        let (c, full) = (checked(&p), recommend(&p));
        assert_eq!((&c.gunicorn, &c.db_pool, &c.pgbouncer, &c.redis, &c.warnings), (&full.gunicorn, &full.db_pool, &full.pgbouncer, &full.redis, &full.warnings), "{}", crate::model::query::encode(&p));
        warned += usize::from(!c.warnings.is_empty());
        let w = workers::recommend(&p);
        let limits = nginx::limits(&p, &w, full.gunicorn.timeout_s.value);
        assert_eq!(limits.is_some(), full.nginx.is_some());
        if let (Some(l), Some(n)) = (limits, &full.nginx) {
            proxied += 1;
            assert_eq!(l.worker_connections, n.worker_connections.value);
            assert_eq!(l.worker_rlimit_nofile, n.worker_rlimit_nofile.value);
            assert_eq!(l.upstream_keepalive_timeout_s, n.upstream_keepalive_timeout_s.value);
            assert_eq!(l.proxy_read_timeout_s, n.proxy_read_timeout_s.value);
            assert_eq!(l.rate_limited, n.rate_limits.is_some());
        }
        assert_eq!(crate::model::rules::kernel::nofile(c.app_fds), full.kernel.nofile.value);
        assert_eq!(c.db_fds.map(crate::model::rules::kernel::nofile), full.db_kernel.as_ref().map(|k| k.nofile.value));
        own_db += usize::from(c.db_fds.is_some());
        if let Some(k) = &full.kubernetes {
            pods += 1;
            assert_eq!(kubernetes::hpa_min_replicas(p.replicas), k.hpa.min_replicas.value);
            assert_eq!(kubernetes::connection_bounds(w.processes, c.db_pool.as_ref(), c.pgbouncer.as_ref(), c.redis.as_ref()), k.bounds);
        }
    }
    // The random plans reach every branch.
    assert!(proxied > 300 && pods > 300 && own_db > 300 && warned > 300, "{proxied} {pods} {own_db} {warned}");
}

/// Every rule from the page's rules ([`recommend_beside`], what `full/<tier>` and the
/// report do with an outcome's) is every rule solved from scratch, for 3,000 random plans.
#[test]
fn every_rule_beside_the_pages_rules_is_every_rule() {
    let mut r = Rng(0x2026_1207);
    for i in 0..3000 {
        let p = random_plan(&mut r);
        assert_eq!(recommend_beside(&p, &checked(&p)), recommend(&p), "{i}: {}", crate::model::query::encode(&p));
    }
}
