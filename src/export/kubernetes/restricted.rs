//! A test-side checker of the "restricted" Pod Security Standard
//! (https://kubernetes.io/docs/concepts/security/pod-security-standards/, the Baseline
//! controls plus the Restricted ones), run on the data the YAML and Nix are printed from.

use crate::export::tree::Node;

/// The volume types the restricted profile allows.
const VOLUME_TYPES: &[&str] = &["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
/// The only capability a restricted container may add.
const ADDABLE: &[&str] = &["NET_BIND_SERVICE"];
/// Baseline's safe sysctls.
const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const SELINUX_TYPES: &[&str] = &["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

pub fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    match node {
        Node::Map(kv) => kv.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn path<'n, 'a>(node: &'n Node<'a>, keys: &[&str]) -> Option<&'n Node<'a>> {
    keys.iter().try_fold(node, |n, k| get(n, k))
}

fn str_of<'n>(node: Option<&'n Node>) -> Option<&'n str> {
    match node {
        Some(Node::Str(t)) => Some(t),
        _ => None,
    }
}

fn is_true(node: Option<&Node>) -> bool {
    matches!(node, Some(Node::Bool(true)))
}

fn items<'n, 'a>(node: Option<&'n Node<'a>>) -> &'n [Node<'a>] {
    match node {
        Some(Node::List(xs)) => xs,
        _ => &[],
    }
}

/// The pod spec of a workload object (Pod, Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, Job, CronJob); None for other kinds.
pub fn pod_spec<'n, 'a>(object: &'n Node<'a>) -> Option<&'n Node<'a>> {
    match str_of(get(object, "kind"))? {
        "Pod" => get(object, "spec"),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => path(object, &["spec", "template", "spec"]),
        "CronJob" => path(object, &["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => None,
    }
}

/// The controls common to a pod's and a container's security context.
fn common(sc: Option<&Node>, at: &str, out: &mut Vec<String>) {
    if path(sc.unwrap_or(&Node::Map(vec![])), &["runAsUser"]).is_some_and(|u| *u == Node::Int(0)) {
        out.push(format!("{at}: runAsUser 0"));
    }
    if matches!(sc.and_then(|c| get(c, "runAsNonRoot")), Some(Node::Bool(false))) {
        out.push(format!("{at}: runAsNonRoot false"));
    }
    if let Some(t) = str_of(sc.and_then(|c| path(c, &["seccompProfile", "type"]))) {
        if !matches!(t, "RuntimeDefault" | "Localhost") {
            out.push(format!("{at}: seccompProfile {t}"));
        }
    }
    if is_true(sc.and_then(|c| path(c, &["windowsOptions", "hostProcess"]))) {
        out.push(format!("{at}: hostProcess"));
    }
    if let Some(se) = sc.and_then(|c| get(c, "seLinuxOptions")) {
        if str_of(get(se, "type")).is_some_and(|t| !SELINUX_TYPES.contains(&t)) || get(se, "user").is_some() || get(se, "role").is_some() {
            out.push(format!("{at}: seLinuxOptions"));
        }
    }
    if str_of(sc.and_then(|c| path(c, &["appArmorProfile", "type"]))).is_some_and(|t| t == "Unconfined") {
        out.push(format!("{at}: appArmorProfile Unconfined"));
    }
}

fn container(c: &Node, pod_sc: Option<&Node>, out: &mut Vec<String>) {
    let at = format!("container {}", str_of(get(c, "name")).unwrap_or("?"));
    let sc = get(c, "securityContext");
    common(sc, &at, out);
    let field = |k: &str| sc.and_then(|x| get(x, k));
    if is_true(field("privileged")) {
        out.push(format!("{at}: privileged"));
    }
    if !matches!(field("allowPrivilegeEscalation"), Some(Node::Bool(false))) {
        out.push(format!("{at}: allowPrivilegeEscalation is not false"));
    }
    if !is_true(field("runAsNonRoot")) && !is_true(pod_sc.and_then(|p| get(p, "runAsNonRoot"))) {
        out.push(format!("{at}: runAsNonRoot is not true here nor on the pod"));
    }
    if field("seccompProfile").is_none() && pod_sc.and_then(|p| get(p, "seccompProfile")).is_none() {
        out.push(format!("{at}: no seccompProfile here nor on the pod"));
    }
    let caps = field("capabilities");
    if !items(caps.and_then(|c| get(c, "drop"))).iter().any(|d| str_of(Some(d)) == Some("ALL")) {
        out.push(format!("{at}: capabilities do not drop ALL"));
    }
    for add in items(caps.and_then(|c| get(c, "add"))) {
        if !str_of(Some(add)).is_some_and(|a| ADDABLE.contains(&a)) {
            out.push(format!("{at}: adds capability {add:?}"));
        }
    }
    if str_of(field("procMount")).is_some_and(|p| p != "Default") {
        out.push(format!("{at}: procMount"));
    }
    for port in items(get(c, "ports")) {
        if get(port, "hostPort").is_some_and(|p| *p != Node::Int(0)) {
            out.push(format!("{at}: hostPort"));
        }
    }
}

/// Why the object's pod breaks the restricted profile; empty when it passes (or the
/// object has no pod).
pub fn violations(object: &Node) -> Vec<String> {
    let mut out = vec![];
    let Some(spec) = pod_spec(object) else { return out };
    for host in ["hostNetwork", "hostPID", "hostIPC"] {
        if is_true(get(spec, host)) {
            out.push(format!("pod: {host}"));
        }
    }
    let sc = get(spec, "securityContext");
    common(sc, "pod", &mut out);
    for sysctl in items(sc.and_then(|c| get(c, "sysctls"))) {
        if !str_of(get(sysctl, "name")).is_some_and(|n| SAFE_SYSCTLS.contains(&n)) {
            out.push(format!("pod: sysctl {sysctl:?}"));
        }
    }
    for v in items(get(spec, "volumes")) {
        let sources: Vec<&str> = match v {
            Node::Map(kv) => kv.iter().map(|(k, _)| *k).filter(|k| *k != "name").collect(),
            _ => vec![],
        };
        if sources.len() != 1 || !VOLUME_TYPES.contains(&sources[0]) {
            out.push(format!("volume {:?}: type {sources:?}", str_of(get(v, "name"))));
        }
    }
    let all = ["containers", "initContainers", "ephemeralContainers"].into_iter().flat_map(|k| items(get(spec, k)));
    let mut any = false;
    for c in all {
        any = true;
        container(c, sc, &mut out);
    }
    if !any {
        out.push("pod: no containers".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::kubernetes::{deployment, objects};
    use crate::export::tree::{int, list, map, s};
    use crate::model::rules::recommend;
    use crate::model::{query, Plan, Platform};

    fn plan(q: &str) -> Plan {
        let mut p = query::decode_strict(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        p.platform = Platform::K8s;
        p
    }

    /// Plans covering every exported object, the extremes and a name that collides.
    const PLANS: &[&str] = &[
        "",
        "replicas=3",
        "server=sync&pgbouncer=on&replicas=3&cache_paths=/api/status",
        "server=gthread&proxy=none&cache=none&db=none&replicas=4",
        "cores=256&ram=2048&server=gevent&db_cores=256&db_ram=2048&pgbouncer=on&replicas=1000",
        "cores=1&ram=0.5&db_cores=1&db_ram=0.5&cache_mem=16",
        "name=nginx&pgbouncer=on",
    ];

    #[test]
    fn every_exported_pod_meets_the_restricted_pod_security_standard() {
        for q in PLANS {
            let p = plan(q);
            let rec = recommend(&p);
            let k = rec.kubernetes.clone().expect("a Kubernetes plan");
            let objects = objects(&p, &rec, &k);
            // The app's pod, and Redis's and PgBouncer's when the plan has them.
            let pods = objects.iter().filter(|o| pod_spec(o).is_some()).count();
            assert_eq!(pods, 1 + usize::from(p.has_cache()) + usize::from(p.pgbouncer.is_on() && p.has_db()), "{q}");
            for o in &objects {
                assert_eq!(violations(o), Vec::<String>::new(), "{q}: {o:?}");
                if let Some(spec) = pod_spec(o) {
                    assert_eq!(get(spec, "automountServiceAccountToken"), Some(&Node::Bool(false)), "{q}");
                }
            }
        }
    }

    /// A change to one map of an object, at a path of keys (list indices as numbers).
    enum Change {
        Set(&'static str, Node<'static>),
        Drop(&'static str),
    }

    fn apply(node: &mut Node, keys: &[&str], change: &Change) {
        let mut n = node;
        for k in keys {
            n = match (n, k.parse::<usize>()) {
                (Node::List(xs), Ok(i)) => &mut xs[i],
                (Node::Map(kv), _) => &mut kv.iter_mut().find(|(key, _)| key == k).unwrap_or_else(|| panic!("no {k}")).1,
                _ => panic!("no {k}"),
            };
        }
        let Node::Map(kv) = n else { panic!("not a map at {keys:?}") };
        match change {
            Change::Set(key, value) => {
                kv.retain(|(k, _)| k != key);
                kv.push((key, value.clone()));
            }
            Change::Drop(key) => kv.retain(|(k, _)| k != key),
        }
    }

    /// Each control of the checker fails the pod it should: the checker can fail.
    #[test]
    fn the_restricted_checker_refuses_what_the_profile_forbids() {
        let p = plan("");
        let rec = recommend(&p);
        let k = rec.kubernetes.clone().unwrap();
        let ok = deployment(&p, &rec, &k);
        assert!(violations(&ok).is_empty());
        let pod: &[&str] = &["spec", "template", "spec"];
        let app: &[&str] = &["spec", "template", "spec", "containers", "0"];
        let sc: &[&str] = &["spec", "template", "spec", "containers", "0", "securityContext"];
        let caps = |add: &'static str| map([("drop", list([s("ALL")])), ("add", list([s(add)]))]);
        let cases = [
            ("hostNetwork", pod, Change::Set("hostNetwork", Node::Bool(true))),
            ("hostPID", pod, Change::Set("hostPID", Node::Bool(true))),
            ("hostIPC", pod, Change::Set("hostIPC", Node::Bool(true))),
            ("volume", pod, Change::Set("volumes", list([map([("name", s("h")), ("hostPath", map([("path", s("/"))]))])]))),
            ("runAsNonRoot", pod, Change::Drop("securityContext")),
            ("seccompProfile", pod, Change::Set("securityContext", map([("runAsNonRoot", Node::Bool(true))]))),
            ("sysctl", pod, Change::Set("securityContext", map([("runAsNonRoot", Node::Bool(true)), ("seccompProfile", map([("type", s("RuntimeDefault"))])), ("sysctls", list([map([("name", s("net.core.somaxconn")), ("value", s("1024"))])]))]))),
            ("privileged", sc, Change::Set("privileged", Node::Bool(true))),
            ("allowPrivilegeEscalation", sc, Change::Drop("allowPrivilegeEscalation")),
            ("allowPrivilegeEscalation", sc, Change::Set("allowPrivilegeEscalation", Node::Bool(true))),
            ("runAsUser 0", sc, Change::Set("runAsUser", int(0))),
            ("runAsNonRoot false", sc, Change::Set("runAsNonRoot", Node::Bool(false))),
            ("drop ALL", sc, Change::Set("capabilities", map([("drop", list([s("NET_RAW")]))]))),
            ("adds capability", sc, Change::Set("capabilities", caps("SYS_ADMIN"))),
            ("seccompProfile Unconfined", sc, Change::Set("seccompProfile", map([("type", s("Unconfined"))]))),
            ("procMount", sc, Change::Set("procMount", s("Unmasked"))),
            ("hostProcess", sc, Change::Set("windowsOptions", map([("hostProcess", Node::Bool(true))]))),
            ("hostPort", app, Change::Set("ports", list([map([("containerPort", int(8000)), ("hostPort", int(8000))])]))),
        ];
        for (what, keys, change) in &cases {
            let mut bad = ok.clone();
            apply(&mut bad, keys, change);
            let v = violations(&bad);
            assert!(v.iter().any(|m| m.contains(what)), "{what}: {v:?}");
        }
        // Adding NET_BIND_SERVICE alone is allowed.
        let mut fine = ok.clone();
        apply(&mut fine, sc, &Change::Set("capabilities", caps("NET_BIND_SERVICE")));
        assert_eq!(violations(&fine), Vec::<String>::new());
    }
}
