//! gthread's threads share their process's GIL, and not evenly: a thread back from I/O
//! waits for the one running Python to drop it (PLANNER.md §3 "Latency per class"; the
//! latency counts it, `capacity::gil`). The caution names the class that makes the others
//! wait, and the way out.

use super::checks::{Warning, WarningKind};
use crate::model::capacity::SWITCH_INTERVAL_MS;
use crate::model::decimal::shortest;
use crate::model::figure::whole;
use crate::model::plan::Plan;
use crate::model::Server;


/// On gthread with more than one thread per process: the class with the most CPU per
/// request, when it runs Python for a switch interval or more and another class of the
/// mix takes less. None otherwise.
pub fn convoy(plan: &Plan, threads_per_process: u32) -> Option<Warning> {
    if plan.server != Server::Gthread || threads_per_process < 2 {
        return None;
    }
    let used: Vec<_> = plan.classes().into_iter().filter(|c| c.share > 0.0).collect();
    let long = used.iter().filter(|c| c.cpu_ms >= SWITCH_INTERVAL_MS).max_by(|a, b| a.cpu_ms.total_cmp(&b.cpu_ms))?;
    let short = used.iter().filter(|c| c.cpu_ms < long.cpu_ms).min_by(|a, b| a.cpu_ms.total_cmp(&b.cpu_ms))?;
    Some(Warning::new(
        WarningKind::GilConvoy,
        format!(
            "{}: {} ms of CPU per request on gthread, past CPython's {} ms switch interval. While one runs, the requests of its process with less CPU ({}, {} ms) wait up to {} ms for the GIL each time they come back from I/O (their read, queries, waits and response), counted here. Serve it with sync workers, or move that work off the request.",
            long.name,
            whole(long.cpu_ms),
            shortest(SWITCH_INTERVAL_MS),
            short.name,
            shortest(short.cpu_ms),
            shortest(SWITCH_INTERVAL_MS)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::checks::Severity;

    fn plan(q: &str) -> Plan {
        crate::model::query::decode_strict(q).expect("plan")
    }

    #[test]
    fn a_long_class_beside_a_short_one_on_gthread_is_named_and_only_there() {
        let w = convoy(&plan("server=gthread&mix=90,10&classes=light,slow&cpu_ms=2,30&wait_ms=8,0"), 4).expect("a convoy");
        assert!(w.message.starts_with("slow: 30 ms of CPU per request on gthread, past CPython's 5 ms switch interval. While one runs, the requests of its process with less CPU (light, 2 ms)"), "{}", w.message);
        assert_eq!((w.code, w.severity), ("gil-convoy", Severity::Caution));
        // At the switch interval it holds the GIL through a switch; below it, not.
        assert!(convoy(&plan("server=gthread&mix=90,10&cpu_ms=2,5&wait_ms=8,0"), 4).is_some());
        assert!(convoy(&plan("server=gthread&mix=90,10&cpu_ms=2,4.9&wait_ms=8,0"), 4).is_none());
        // One thread per process, other servers, one class, or a class the mix does not use.
        assert!(convoy(&plan("server=gthread&mix=90,10&cpu_ms=2,30&wait_ms=8,0"), 1).is_none());
        for server in ["sync", "gevent", "async"] {
            assert!(convoy(&plan(&format!("server={server}&mix=90,10&cpu_ms=2,30&wait_ms=8,0")), 4).is_none(), "{server}");
        }
        assert!(convoy(&plan("server=gthread&mix=100&cpu_ms=30&wait_ms=0"), 4).is_none());
        assert!(convoy(&plan("server=gthread&mix=100,0&cpu_ms=2,30&wait_ms=8,0"), 4).is_none());
        // Every class as long: none waits on a longer one.
        assert!(convoy(&plan("server=gthread&mix=50,50&cpu_ms=30,30&wait_ms=8,0"), 4).is_none());
    }
}
