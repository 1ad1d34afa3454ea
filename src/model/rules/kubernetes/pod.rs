//! What each pod does besides its resources: the app's probes, its graceful stop, and
//! the users every container runs as under the "restricted" Pod Security Standard.

use super::{Probe, Shutdown};
use crate::model::rules::explained::{ex, Explained, DERIVED, DOCS, G002, G004};
use crate::model::sources::guide;
use crate::model::text::{cat, digits};

/// The why of a probe timing the Kubernetes guide gives as it is.
const AS_002: &str = concat!("as in the ", guide!(002));

/// The app's port (004 SERVER_PORT 8000; 002's examples use 8080).
pub const APP_PORT: u32 = 8000;
/// The pause before SIGTERM, s (see [`pre_stop_sleep_s`]).
pub const PRE_STOP_SLEEP_S: u32 = 10;
/// What the grace period keeps beyond the pause and gunicorn's graceful timeout, s.
pub const GRACE_MARGIN_S: u32 = 5;

/// The user and group each container runs as: numeric, so the kubelet can check
/// `runAsNonRoot` without reading the image. The app's 10001 is outside the range images
/// use for system users (below 1000) and regular ones (1000–9999).
pub const APP_UID: u32 = 10001;
/// nginxinc/nginx-unprivileged runs as its `nginx` user, uid and gid 101.
pub const NGINX_UID_GID: [u32; 2] = [101, 101];
/// redis:*-alpine's `redis` user: uid 999, group 1000 (its Dockerfile's adduser).
pub const REDIS_UID_GID: [u32; 2] = [999, 1000];
/// PgBouncer as uid and gid 70, the `postgres` user of Alpine-based PostgreSQL images.
pub const PGBOUNCER_UID_GID: [u32; 2] = [70, 70];

/// Readiness: an HTTP GET of `/health/ready` on the app's port (002). Its timeout is 5 s,
/// not Kubernetes's 1 s: a probe queued behind busy workers only takes the pod out of the
/// Service for a while, and 1 s would flap a pod that is merely loaded.
pub fn readiness() -> Probe {
    Probe {
        check: ex("httpGet", "", G002, "can the pod take traffic? The app answers when it can reach what it needs"),
        path: Some(ex("/health/ready", "", G002, concat!("the ", guide!(002), "'s readiness path"))),
        port: ex(APP_PORT, "", G004, concat!("the app's port (SERVER_PORT 8000 of the ", guide!(004), "), not nginx's: the kubelet probes from the node")),
        initial_delay_s: ex(10, "s", G002, AS_002),
        period_s: ex(5, "s", G002, AS_002),
        timeout_s: ex(5, "s", DERIVED, "a probe queued behind busy workers must not flap a pod that is only loaded"),
        failure_threshold: ex(3, "probes", DOCS, "Kubernetes's default: out of the Service after 15 s without an answer"),
    }
}

/// Liveness: a TCP connect to the app's port, every 10 s, restarting after 6 failures.
/// The kernel completes the handshake from the listen queue while every worker is busy,
/// so a loaded pod is not restarted (an HTTP check would queue behind the requests and
/// fail exactly under load); gunicorn's own timeout already kills a stuck worker. Only a
/// dead master (nothing listening) fails it.
pub fn liveness() -> Probe {
    Probe {
        check: ex("tcpSocket", "", DERIVED, "the kernel accepts the connection while every worker is busy, so load never restarts a pod; gunicorn's timeout already kills stuck workers"),
        path: None,
        port: ex(APP_PORT, "", G004, "the app's port: closed only when gunicorn's master is gone"),
        initial_delay_s: ex(30, "s", G002, AS_002),
        period_s: ex(10, "s", G002, AS_002),
        timeout_s: ex(5, "s", DERIVED, "a SYN lost on a full listen queue is retried after 1 s, then 3 s"),
        failure_threshold: ex(6, "probes", DERIVED, "a minute without a listener before a restart"),
    }
}

/// The preStop pause, s: the endpoint is removed from kube-proxy and ingress controllers
/// asynchronously, so a pod that stopped listening at once would still get new
/// connections for a few seconds. The images need `sleep` (python's and nginx's have it).
pub fn pre_stop_sleep_s() -> u32 {
    PRE_STOP_SLEEP_S
}

/// terminationGracePeriodSeconds: the preStop pause, then gunicorn's graceful_timeout to
/// finish the requests in flight, plus a margin, before the kubelet kills the pod
/// (Kubernetes's default 30 s is shorter than a 30 s graceful timeout after a pause).
pub fn termination_grace_s(graceful_timeout_s: u32, pre_stop_s: u32) -> u32 {
    graceful_timeout_s.saturating_add(pre_stop_s).saturating_add(GRACE_MARGIN_S)
}

/// The app pod's graceful stop for gunicorn's graceful_timeout.
pub fn shutdown(graceful_timeout_s: u32) -> Shutdown {
    let pause = pre_stop_sleep_s();
    let grace = termination_grace_s(graceful_timeout_s, pause);
    Shutdown {
        pre_stop_sleep_s: ex(pause, "s", DOCS, "before SIGTERM: kube-proxy and ingress controllers remove the pod's endpoint asynchronously (the image needs `sleep`)"),
        termination_grace_s: ex(grace, "s", DERIVED, cat(&["the ", &digits(pause), " s pause + gunicorn's graceful_timeout ", &digits(graceful_timeout_s), " s for requests in flight + ", &digits(GRACE_MARGIN_S), " s"])),
    }
}

/// One container's user and group, explained.
pub fn run_as(ids: [u32; 2], why: &str) -> Explained<[u32; 2]> {
    ex(ids, "uid:gid", DOCS, why.to_string())
}
