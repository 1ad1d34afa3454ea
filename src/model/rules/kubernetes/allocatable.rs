//! What a node leaves to pods: its capacity less the kubelet's and the system's
//! reservations, the eviction threshold, and the DaemonSets every node runs; and how many
//! app pods fit in that (Kubernetes docs "Reserve Compute Resources for System Daemons":
//! allocatable = capacity − kube-reserved − system-reserved − eviction threshold).
//!
//! The reservations are the managed services' published tiers. CPU: GKE's and EKS's are
//! the same progression. Memory: GKE reserves by tiers of the node's memory, EKS by the
//! pods a node may run (11 MiB each and 255 MiB); the planner takes the larger of the two,
//! so a plan fits either.

/// The memory the kubelet keeps free before it evicts pods, MiB (`memory.available<100Mi`).
// Source: Kubernetes docs "Node-pressure Eviction" (the default hard eviction threshold
// `memory.available<100Mi`); GKE docs "Plan node sizes" (an extra 100 MiB for eviction).
pub const EVICTION_MIB: f64 = 100.0;

/// What the DaemonSets on every node request by default (the keys `daemonset_cpu` and
/// `daemonset_mem`): kube-proxy's 100 m of CPU, and a CNI agent and a log agent at 50 m and
/// 128 MiB each. An estimate: set a cluster's own.
// Source: kube-proxy's manifest in kubernetes/cluster/addons (requests cpu: 100m); the
// Cilium and Fluent Bit charts' documented examples (about 50–100 m, 128 MiB).
pub const DAEMONSET_CPU_M: u32 = 200;
pub const DAEMONSET_MEM_MIB: u32 = 256;

/// The DaemonSets' pods on every node (kube-proxy, a CNI agent, a log agent): they count
/// against `maxPods`.
pub const DAEMONSET_PODS: u32 = 3;

/// The CPU GKE and EKS reserve on a node of `cores`, millicores: 6 % of the first core,
/// 1 % of the second, 0.5 % of the third and fourth, 0.25 % of every core above four.
// Source: GKE docs "Plan node sizes" § "Memory and CPU reservations"; eksctl
// pkg/nodebootstrap/reserved.go (cpuProgression: 0.06, 0.01, 0.005, 0.0025).
pub fn reserved_cpu_m(cores: f64) -> f64 {
    tiers(cores * 1000.0, &[(1000.0, 0.06), (2000.0, 0.01), (4000.0, 0.005), (f64::INFINITY, 0.0025)])
}

/// The memory GKE reserves on a node of `mib`: 255 MiB below 1 GiB; else 25 % of the
/// first 4 GiB, 20 % of the next 4, 10 % of the next 8, 6 % of the next 112 and 2 % above
/// 128 GiB.
// Source: GKE docs "Plan node sizes" § "Memory and CPU reservations".
pub fn gke_reserved_mem_mib(mib: f64) -> f64 {
    if mib < 1024.0 {
        return 255.0;
    }
    let g = 1024.0;
    tiers(mib, &[(4.0 * g, 0.25), (8.0 * g, 0.20), (16.0 * g, 0.10), (128.0 * g, 0.06), (f64::INFINITY, 0.02)])
}

/// The memory EKS's node bootstrap reserves for a node of `max_pods`: 11 MiB a pod and
/// 255 MiB.
// Source: the Amazon EKS AMI's bootstrap.sh (memory_to_reserve = 11 * max_pods + 255);
// eksctl pkg/nodebootstrap/reserved.go.
pub fn eks_reserved_mem_mib(max_pods: u32) -> f64 {
    11.0 * f64::from(max_pods) + 255.0
}

/// `x` charged tier by tier: each `(upper bound, fraction)` takes its fraction of the part
/// of `x` between the previous bound and its own.
fn tiers(x: f64, rates: &[(f64, f64)]) -> f64 {
    let mut lower = 0.0;
    let mut total = 0.0;
    for &(upper, rate) in rates {
        if x <= lower {
            break;
        }
        total += (x.min(upper) - lower) * rate;
        lower = upper;
    }
    total
}

/// What a node of `cores` and `mib` leaves to the plan's pods: CPU in millicores and
/// memory in MiB, after the reservations, the eviction threshold and the DaemonSets
/// (never below 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Allocatable {
    pub cpu_m: f64,
    pub mem_mib: f64,
    /// The parts taken: reserved CPU (m) and memory (MiB, the larger of GKE's and EKS's).
    pub reserved_cpu_m: f64,
    pub reserved_mem_mib: f64,
}

/// What a node leaves when its DaemonSets request `ds_cpu_m` and `ds_mem_mib` and the
/// kubelet runs at most `max_pods` (EKS reserves memory by it).
pub fn allocatable(cores: f64, mib: f64, ds_cpu_m: f64, ds_mem_mib: f64, max_pods: u32) -> Allocatable {
    let reserved_cpu_m = reserved_cpu_m(cores);
    let reserved_mem_mib = gke_reserved_mem_mib(mib).max(eks_reserved_mem_mib(max_pods));
    Allocatable {
        cpu_m: (cores * 1000.0 - reserved_cpu_m - ds_cpu_m).max(0.0),
        mem_mib: (mib - reserved_mem_mib - EVICTION_MIB - ds_mem_mib).max(0.0),
        reserved_cpu_m,
        reserved_mem_mib,
    }
}

/// What a node of the plan's (its cores and RAM, its DaemonSets, its maxPods) leaves to
/// pods ([`allocatable`]).
pub fn of_plan(plan: &crate::model::plan::Plan) -> Allocatable {
    allocatable(f64::from(plan.cores), plan.ram_mib(), f64::from(plan.daemonset_cpu_m), f64::from(plan.daemonset_mem_mib), plan.max_pods)
}

impl Allocatable {
    /// CPU in whole millicores and memory in whole MiB, as the kubelet reports them
    /// (rounded down): what a pod's requests are held against.
    pub fn whole(&self) -> (u64, u64) {
        (self.cpu_m as u64, self.mem_mib as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} against {b}");
    }

    #[test]
    fn cpu_reservations_match_the_published_examples() {
        // GKE's tiers worked through for common nodes: 1 core 60 m, 2 cores 70 m, 4 cores
        // 80 m, 8 cores 90 m, 16 cores 110 m, 32 cores 150 m, 64 cores 230 m (the figures
        // learnk8s's "Allocatable memory and CPU in Kubernetes Nodes" lists for GKE and EKS).
        for (cores, m) in [(1.0, 60.0), (2.0, 70.0), (4.0, 80.0), (8.0, 90.0), (16.0, 110.0), (32.0, 150.0), (64.0, 230.0)] {
            near(reserved_cpu_m(cores), m, 1e-9);
        }
        near(reserved_cpu_m(0.5), 30.0, 1e-9);
    }

    #[test]
    fn memory_reservations_match_the_published_examples() {
        // GKE's tiers worked through: a 4 GiB node reserves 1 GiB; 8 GiB: 1.8 GiB; 16 GiB:
        // 2.6 GiB; 32 GiB: 3.56 GiB; 64 GiB: 5.48 GiB; below 1 GiB, 255 MiB.
        for (gib, reserved_gib) in [(4.0, 1.0), (8.0, 1.8), (16.0, 2.6), (32.0, 3.56), (64.0, 5.48)] {
            near(gke_reserved_mem_mib(gib * 1024.0) / 1024.0, reserved_gib, 1e-9);
        }
        near(gke_reserved_mem_mib(512.0), 255.0, 0.0);
        // hatemosphere/gke-node-allocatable-memory-calculator's example: 150 GiB reserves
        // 9.8577 GiB with the 100 MiB for eviction (9.76 GiB by the tiers alone).
        near((gke_reserved_mem_mib(150.0 * 1024.0) + EVICTION_MIB) / 1024.0, 9.8577, 1e-4);
        // EKS: 110 pods reserve 11 × 110 + 255 = 1,465 MiB; an m5.large's 29 pods, 574 MiB.
        near(eks_reserved_mem_mib(110), 1465.0, 0.0);
        near(eks_reserved_mem_mib(29), 574.0, 0.0);
    }

    #[test]
    fn allocatable_is_the_node_less_every_reservation_and_the_larger_memory_one_counts() {
        // 4 cores, 16 GiB: GKE's 2.6 GiB is more than EKS's 1,465 MiB.
        let node = |cores: f64, mib: f64| allocatable(cores, mib, 200.0, 256.0, 110);
        let a = node(4.0, 16.0 * 1024.0);
        near(a.cpu_m, 4000.0 - 80.0 - 200.0, 1e-9);
        near(a.mem_mib, 16384.0 - 2.6 * 1024.0 - EVICTION_MIB - 256.0, 1e-9);
        // 2 cores, 4 GiB: EKS's 1,465 MiB is more than GKE's 1,024; with an m5.large's 29 pods, GKE's.
        let small = node(2.0, 4096.0);
        near(small.reserved_mem_mib, 1465.0, 0.0);
        near(allocatable(2.0, 4096.0, 200.0, 256.0, 29).reserved_mem_mib, 1024.0, 0.0);
        // Never below zero.
        let tiny = node(0.1, 256.0);
        assert_eq!((tiny.cpu_m, tiny.mem_mib), (0.0, 0.0));
        // More node never leaves less.
        let mut last = node(1.0, 1024.0);
        for i in 2..=256 {
            let next = node(f64::from(i), f64::from(i) * 4096.0);
            assert!(next.cpu_m >= last.cpu_m && next.mem_mib >= last.mem_mib, "{i}");
            last = next;
        }
    }
}
