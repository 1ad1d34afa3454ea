//! A request class whose CPU runs long on an event loop (gevent, uvicorn): while it runs,
//! no other request of its process moves (head-of-line blocking, PLANNER.md §3 "Latency
//! per class").

use super::checks::{Warning, WarningKind};
use crate::model::figure::whole;
use crate::model::plan::Plan;
use crate::model::Server;

/// CPU time in one go past which a request blocks its event loop: asyncio's
/// `slow_callback_duration`, the time after which its debug mode logs a callback or task
/// step as too slow for the loop (default 0.1 s). gevent has no such threshold; its loop
/// runs a greenlet until it yields, the same way.
// Source: Python docs, "Developing with asyncio" ("Detect slow callbacks": by default
// 100 ms); gevent docs, "Introduction" (cooperative scheduling: a greenlet runs until it
// yields).
pub const SLOW_CALLBACK_MS: f64 = 100.0;

/// Warns about each class of the mix whose CPU per request reaches [`SLOW_CALLBACK_MS`]
/// on an event-loop server.
pub fn long_bursts(plan: &Plan) -> Vec<Warning> {
    let server = match plan.server {
        Server::Gevent => "gevent",
        Server::Async => "uvicorn",
        Server::Sync | Server::Gthread => return Vec::new(),
    };
    plan.classes()
        .into_iter()
        .filter(|c| c.share > 0.0 && c.cpu_ms >= SLOW_CALLBACK_MS)
        .map(|c| {
            Warning::new(
                WarningKind::LongBurstOnEventLoop,
                format!(
                    "{}: {} ms of CPU per request on {server}'s event loop, where nothing else in its process runs meanwhile (asyncio counts {} ms as blocking the loop). Its process's other requests wait behind it: run that work in a thread or process pool, or serve the app with gthread or sync workers.",
                    c.name,
                    whole(c.cpu_ms),
                    whole(SLOW_CALLBACK_MS)
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_class_on_an_event_loop_is_named_and_only_there() {
        let q = |server: &str, cpu: &str| crate::model::query::decode_strict(&format!("server={server}&mix=90,10,0&cpu_ms=2,{cpu},1&wait_ms=8,0,0")).expect("plan");
        let w = long_bursts(&q("gevent", "150"));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.starts_with("I/O-bound: 150 ms of CPU per request on gevent's event loop"), "{}", w[0].message);
        assert_eq!(w[0].severity, crate::model::rules::checks::Severity::Caution);
        assert!(long_bursts(&q("async", "100")).len() == 1 && long_bursts(&q("async", "99.9")).is_empty());
        assert!(long_bursts(&q("gthread", "150")).is_empty() && long_bursts(&q("sync", "500")).is_empty());
        // A class the mix does not use warns of nothing.
        assert!(long_bursts(&crate::model::query::decode_strict("server=gevent&mix=100,0,0&cpu_ms=2,500,1").expect("plan")).is_empty());
    }
}
