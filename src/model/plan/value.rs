//! A field's value as [`Plan::get`] writes it, held before it is written: the share link
//! compares every field of the plan with the default's on each change, and comparing the
//! values skips writing the many that are equal (writing both took most of the link's
//! time).

use super::{Field, Plan};
use crate::model::decimal::{push_whole, shortest};

/// One field's value, borrowed from the plan: a single number is a list of one, an unset
/// one a list of none (written as "").
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// Free text or a choice's key, as it is.
    Text(&'a str),
    /// Whole numbers, with commas.
    Wholes(&'a [u32]),
    /// Numbers, each as the shortest text that reads back as it, with commas.
    Numbers(&'a [f64]),
}

impl Value<'_> {
    /// The value as text, appended to `out`.
    pub fn write(self, out: &mut String) {
        let comma = |out: &mut String, i: usize| {
            if i > 0 {
                out.push(',');
            }
        };
        match self {
            Value::Text(t) => out.push_str(t),
            Value::Wholes(xs) => xs.iter().enumerate().for_each(|(i, &n)| {
                comma(out, i);
                push_whole(out, u64::from(n));
            }),
            Value::Numbers(xs) => xs.iter().enumerate().for_each(|(i, &x)| {
                comma(out, i);
                out.push_str(&shortest(x));
            }),
        }
    }

    /// Whether two values of one field are written as the same text, without writing
    /// them: numbers are the same text when they are the same number (the shortest text
    /// that reads back as one is one text; -0 and 0 differ, every NaN is "NaN").
    pub fn same(self, other: Value) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Wholes(a), Value::Wholes(b)) => a == b,
            (Value::Numbers(a), Value::Numbers(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan())
            }
            _ => false,
        }
    }
}

impl Plan {
    /// The value of `field`, as [`Plan::get`] writes it.
    pub fn value(&self, field: Field) -> Value<'_> {
        use Field as F;
        use std::slice::from_ref as one;
        use Value::{Numbers as N, Text, Wholes as W};
        let n = self.class_count;
        match field {
            F::Name => Text(&self.name),
            F::Tier => Text(self.tier.key()),
            F::Cores => W(one(&self.cores)),
            F::Ram => N(one(&self.ram_gib)),
            F::Storage => Text(self.storage.key()),
            F::Replicas => W(one(&self.replicas)),
            F::Server => Text(self.server.key()),
            F::Framework => Text(self.framework.key()),
            F::Threads => W(self.threads.as_slice()),
            F::Mix => W(&self.mix_pct[..n]),
            F::Classes => Text(&self.class_names),
            F::Rps => N(one(&self.target_rps)),
            F::P95 => self.p95_each.as_ref().map_or(N(one(&self.p95_objective_ms)), |xs| N(&xs[..n])),
            F::WorkerMem => W(one(&self.worker_mem_mib)),
            F::Db => Text(self.db.key()),
            F::DbHost => Text(self.db_host.key()),
            F::DbCores => W(one(&self.db_cores)),
            F::DbRam => N(one(&self.db_ram_gib)),
            F::DbStorage => Text(self.db_storage.key()),
            F::Pgbouncer => Text(self.pgbouncer.key()),
            F::DbShare => N(one(&self.db_share_pct)),
            F::DbHold => N(one(&self.db_hold_ms)),
            F::Cache => Text(self.cache.key()),
            F::CacheMem => W(one(&self.cache_mem_mib)),
            F::Proxy => Text(self.proxy.key()),
            F::Platform => Text(self.platform.key()),
            F::Workload => Text(self.workload.key()),
            F::CpuMs => N(&self.cpu_ms[..n]),
            F::WaitMs => N(&self.wait_ms[..n]),
            F::Overhead => N(self.overhead_ms.as_slice()),
            F::Concurrency => W(self.concurrency.as_slice()),
            F::Workers => W(self.workers.as_slice()),
            F::Cv => self.cv_each.as_ref().map_or(N(one(&self.cv)), |xs| N(&xs[..n])),
            F::PgVersion => W(one(&self.pg_version)),
            F::AppCidr => Text(&self.app_cidr),
            F::ServerName => Text(&self.server_name),
            F::LbCidr => Text(&self.lb_cidr),
            F::CachePaths => Text(&self.cache_paths),
            F::DbCpu => N(self.db_cpu_ms.as_slice()),
            F::PgbouncerPool => W(self.pgbouncer_pool.as_slice()),
            F::DbMaxConnections => W(self.db_max_connections.as_slice()),
            F::Spare => W(one(&self.spare)),
            F::Peak => N(one(&self.peak)),
            F::UslSigma => N(one(&self.usl_sigma)),
            F::UslKappa => N(one(&self.usl_kappa)),
            F::Measured => Text(&self.measured),
            F::CostCoreH => N(one(&self.cost_core_h)),
            F::CostGibH => N(one(&self.cost_gib_h)),
            F::DaemonsetCpu => W(one(&self.daemonset_cpu_m)),
            F::DaemonsetMem => W(one(&self.daemonset_mem_mib)),
            F::MaxPods => W(one(&self.max_pods)),
            F::PodCpu => N(one(&self.pod_cpu)),
            F::PodMem => N(one(&self.pod_mem_gib)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::tests::property::{random_plan, Rng};

    /// Two values of a field are [`Value::same`] exactly when they are written as the same
    /// text, for every field of 2,000 random plans against the default, each tier's and
    /// each other: also a list of one class against a single value, -0 against 0, NaN
    /// against NaN.
    #[test]
    fn values_are_the_same_when_their_texts_are() {
        let text = |v: Value| {
            let mut s = String::new();
            v.write(&mut s);
            s
        };
        let mut rng = Rng(0x5a3e_0001);
        let mut plans: Vec<Plan> = (0..2000).map(|_| random_plan(&mut rng)).collect();
        for &t in crate::model::choice::Tier::ALL {
            let mut p = Plan::default();
            p.apply_tier(t);
            plans.push(p);
        }
        let mut odd = Plan::default();
        (odd.class_count, odd.p95_each, odd.cv_each) = (1, Some([300.0; super::super::MAX_CLASSES]), Some([-0.0; 8]));
        odd.cv = f64::NAN;
        plans.push(odd.clone());
        odd.cv_each = None;
        plans.push(odd);
        let (mut same, mut differ) = (0, 0);
        for (i, a) in plans.iter().enumerate() {
            for b in [&Plan::default(), &plans[(i * 7 + 3) % plans.len()], a] {
                for &f in Field::ALL {
                    let (x, y) = (a.value(f), b.value(f));
                    let want = text(x) == text(y);
                    assert_eq!(x.same(y), want, "{f:?}: {:?} against {:?}", text(x), text(y));
                    if want { same += 1 } else { differ += 1 }
                }
            }
        }
        assert!(same > 10_000 && differ > 10_000, "{same} same, {differ} differ");
    }
}
