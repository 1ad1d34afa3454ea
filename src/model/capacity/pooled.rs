//! A small fleet whose nodes share fewer server connections than their clients, solved
//! as one network: every node's slots circulate through their node's CPU, the database
//! connections (the fleet's server connections, and each node's own pool) and the
//! off-CPU wait. Splitting the server connections per node (S/R each) misses that a
//! connection one node leaves idle serves another: with 2–3 nodes sharing 1–2 of them
//! the split read up to 28 % low against the simulation (issue 19's note).

use super::Node;
use crate::model::queueing::{mva_rated, Method, MvaSolution, RatedStation, StationLoad};

/// Most slots solved as one network: the solution costs about the square of it (about
/// 0.1 ms at 128). A larger fleet is solved as groups of as many nodes as fit, each group
/// with its share of the server connections (S·n/R for n of the R nodes; a group of all
/// the nodes is the fleet itself, so the figure does not jump where groups begin).
pub const POOLED_POPULATION: u64 = 128;

/// Whether the node's fleet is solved as one network (in groups): a node of at most
/// [`POOLED_POPULATION`] slots whose fleet shares its database's CPU or can have more
/// clients than server connections. Otherwise each node is its own network.
pub(super) fn pooled(node: &Node) -> bool {
    node.db_station().is_some()
        && (node.db_cpu_ms > 0.0 || node.replicas > 1 && node.clients_can_outnumber_servers())
        && node.slots <= POOLED_POPULATION
}

/// Nodes in a group solved as one network, and the number of such groups (a fraction
/// when the group does not divide the fleet).
fn groups(node: &Node) -> (u64, f64) {
    let r = u64::from(node.replicas.max(1));
    let per = (POOLED_POPULATION / node.slots.max(1)).clamp(1, r);
    (per, r as f64 / per as f64)
}

/// `R·E[f(X)]`: what `R` private copies of a station (one per node, each node with `m`
/// slots) do with `j` of the fleet's slots at them, X ~ Hypergeometric(R·m, m, j) the
/// slots at one node's copy when the `j` are any `j` of the fleet's (exact for one node;
/// the spread of a node's own slots is taken as exchangeable between nodes).
// Source: the hypergeometric distribution (Feller, *An Introduction to Probability
// Theory*, vol. 1, §II.6); its ratio P(x+1)/P(x) = (m−x)(j−x)/((x+1)(N−m−j+x+1)).
fn spread(replicas: u64, m: u64, j: u64, f: &dyn Fn(u64) -> f64) -> f64 {
    let n = replicas * m;
    let j = j.min(n);
    let lo = j.saturating_sub(n - m);
    let hi = j.min(m);
    let (mut p, mut total, mut sum) = (1.0, 0.0, 0.0);
    for x in lo..=hi {
        total += p;
        sum += p * f(x);
        let (xf, mf, jf, nf) = (x as f64, m as f64, j as f64, n as f64);
        p *= (mf - xf) * (jf - xf) / ((xf + 1.0) * (nf - mf - jf + xf + 1.0));
    }
    replicas as f64 * sum / total
}

/// The rate table of `R` private copies of a station with `per_node(x)` at `x` slots,
/// capped at `cap`, up to where it stops growing (every copy's share past its servers).
fn table(node: &Node, servers: u64, cap: f64, per_node: &dyn Fn(u64) -> f64) -> Vec<f64> {
    let (r, m) = (groups(node).0, node.slots);
    let last = ((r - 1) * m + servers.min(m)).min(r * m).max(1);
    (1..=last).map(|j| spread(r, m, j, per_node).min(cap)).collect()
}

/// Database requests completed per ms with `busy` server connections in use (between
/// whole counts, interpolated), each held [`Node::db_cycles`] at that count (the
/// database as a flow-equivalent server, as in [`Node::db_hold_at`]).
// Source: Chandy, Herzog & Woo, IBM J. Res. Dev. 19 (1975) (flow-equivalent servers).
fn db_completions(node: &Node, most: u64) -> impl Fn(f64) -> f64 {
    let cycles = node.db_cycles(most);
    move |busy: f64| {
        let per = |n: usize| if n == 0 { 0.0 } else { n as f64 / cycles[n.min(cycles.len() - 1)] };
        let whole = busy.floor().max(0.0) as usize;
        let frac = busy - whole as f64;
        (1.0 - frac) * per(whole) + frac * per(whole + 1)
    }
}

/// The fleet's saturated network, as one node's figures: its throughput (r/s) and
/// stations (CPU, database). The database is one station for the fleet: with `j` of the
/// fleet's slots at it, the busy connections are each node's own pool's (spread over the
/// nodes) up to the server connections, and they complete requests at the rate the
/// database host's CPU lets them ([`db_completions`]): no fixed point over a mean hold.
pub(super) fn saturated_pooled(node: &Node) -> (MvaSolution, f64) {
    let ((per, g), m) = (groups(node), node.slots);
    let r = per as f64;
    let cpu = node.cpu_station();
    let own = node.db_connections.min(m);
    let servers = node.db_servers.max(1);
    let busy = table(node, own, servers as f64 / g, &|x| x.min(own) as f64);
    // The database's CPU sees every group's connections: g times this group's.
    let done = db_completions(node, servers.min(u64::from(node.replicas) * own));
    let stations = [
        RatedStation { demand_ms: cpu.demand_ms, rates: table(node, cpu.servers, f64::INFINITY, &|x| cpu.rate(x)) },
        RatedStation { demand_ms: node.db_share * node.db_hold_ms, rates: busy.iter().map(|&b| node.db_hold_ms * done(g * b) / g).collect() },
    ];
    let sol = mva_rated(&stations, node.wait_ms, per * m);
    let x = sol.rate_per_ms / r;
    let fleet = f64::from(node.replicas);
    let db = node.db_station().map(|s| s.utilisation(x).max(node.server_station().map_or(0.0, |s| s.utilisation(x * fleet))));
    let utilisation = [cpu.utilisation(x), db.unwrap_or(0.0)];
    let stations = (0..2)
        .map(|i| StationLoad { utilisation: utilisation[i].min(1.0), queue: sol.queues[i] / r, residence_ms: sol.residence_ms[i] })
        .collect::<Vec<_>>();
    let cycle_ms = node.wait_ms + sol.residence_ms.iter().sum::<f64>();
    let solution = MvaSolution {
        population: m,
        throughput_rps: x * 1000.0,
        cycle_ms,
        stations,
        method: Method::Exact,
        exact_population: m,
    };
    (solution, x * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_over_one_node_is_the_slots_there_and_over_many_their_mean() {
        assert_eq!(spread(1, 6, 4, &|x| x as f64), 4.0);
        // Any j of the fleet's slots: a node holds j/R of them on average.
        for (r, m, j) in [(2, 4, 3), (3, 5, 7), (4, 2, 8)] {
            assert!((spread(r, m, j, &|x| x as f64) - j as f64).abs() < 1e-9, "{r} {m} {j}");
        }
        // Two nodes of 2 slots, 2 at the copies: both at one node with probability 2/6.
        let one_server = spread(2, 2, 2, &|x| x.min(1) as f64);
        assert!((one_server - 2.0 * (1.0 - 1.0 / 6.0)).abs() < 1e-12, "{one_server}");
    }
}
