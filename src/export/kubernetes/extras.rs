//! The objects beside the app's: the ConfigMaps holding the exported nginx.conf,
//! redis.conf and pgbouncer.ini, and the Redis and PgBouncer pods with their Services
//! and NetworkPolicies (only the app's pods may connect).

use super::pod::{config_volume, container_security, empty_dir, mount, pod_spec, redis_secret, resources, secret_env};
use super::{labels, metadata, name_with, object};
use crate::export::pgbouncer::{AUTH_FILE, PORT as PGBOUNCER_PORT};
use crate::export::tree::{int, list, map, s, text, Node};
use crate::model::rules::kubernetes::Container;
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::Plan;

/// Redis's image: the official Alpine build, which runs as its redis user (999).
pub const REDIS_IMAGE: &str = "redis:7.2-alpine";
/// Redis's port (its default).
pub const REDIS_PORT: u32 = 6379;
/// There is no official PgBouncer image: this name is none a node can pull (nor a valid
/// reference: upper case), so the pod does not start until one is set, and nothing runs
/// with an image nobody chose (fails closed).
pub const PGBOUNCER_IMAGE: &str = "PLACEHOLDER-pgbouncer-image:1.18-or-later";

/// The text of another exported file of the plan, exactly as it is exported.
fn exported(plan: &Plan, rec: &Recommendation, file: &str) -> String {
    crate::export::written(plan, rec, file).map(|f| f.text).unwrap_or_default()
}

/// A ConfigMap `<name>-<part>` holding one exported file under its own name.
pub fn config_map<'a>(plan: &'a Plan, rec: &Recommendation, part: &str, file: &'static str) -> Node<'a> {
    object("v1", "ConfigMap", metadata(name_with(plan, part), labels(plan)), ("data", map([(file, text(exported(plan, rec, file)))])))
}

/// The labels of a component's pods: `app: <name>-<part>`, so the app's Service, PDB and
/// HPA never select them.
fn part_labels(plan: &Plan, part: &str) -> Node<'static> {
    map([("app", s(name_with(plan, part)))])
}

/// A one-pod Deployment of a component (never scaled: one Redis cache, one PgBouncer
/// whose server connections are counted for one instance).
fn deployment<'a>(plan: &'a Plan, part: &str, container: Node<'a>, volumes: Vec<Node<'a>>) -> Node<'a> {
    let spec = map([
        ("replicas", int(1)),
        ("selector", map([("matchLabels", part_labels(plan, part))])),
        ("template", map([("metadata", map([("labels", part_labels(plan, part))])), ("spec", pod_spec(vec![], vec![container], volumes))])),
    ]);
    object("apps/v1", "Deployment", metadata(name_with(plan, part), part_labels(plan, part)), ("spec", spec))
}

/// A ClusterIP Service of a component on one port.
fn service<'a>(plan: &'a Plan, part: &str, port: u32) -> Node<'a> {
    let spec = map([
        ("type", s("ClusterIP")),
        ("selector", part_labels(plan, part)),
        ("ports", list([map([("name", s(part.to_string())), ("port", int(port)), ("targetPort", int(port))])])),
    ]);
    object("v1", "Service", metadata(name_with(plan, part), part_labels(plan, part)), ("spec", spec))
}

/// A NetworkPolicy: the component's pods accept TCP on `port` from the app's pods only.
pub fn network_policy<'a>(plan: &'a Plan, part: &str, port: u32) -> Node<'a> {
    let from = list([map([("podSelector", map([("matchLabels", labels(plan))]))])]);
    let spec = map([
        ("podSelector", map([("matchLabels", part_labels(plan, part))])),
        ("policyTypes", list([s("Ingress")])),
        ("ingress", list([map([("from", from), ("ports", list([map([("protocol", s("TCP")), ("port", int(port))])]))])])),
    ]);
    object("networking.k8s.io/v1", "NetworkPolicy", metadata(name_with(plan, part), part_labels(plan, part)), ("spec", spec))
}

/// The app's NetworkPolicy when nginx shares its pod: only nginx's port and the metrics
/// port (.env's METRICS_PORT) admit connections, so nothing bypasses nginx to the app's
/// port. The app still binds every interface: the kubelet's probes reach it (traffic from
/// the node is always allowed, Kubernetes's NetworkPolicy docs), and nginx over loopback.
pub fn app_network_policy<'a>(plan: &'a Plan, rec: &Recommendation, nginx_port: u32) -> Node<'a> {
    let metrics = crate::export::env::variables(plan, rec).into_iter().find(|v| v.name == "METRICS_PORT").and_then(|v| v.value.parse::<u32>().ok());
    let ports = std::iter::once(nginx_port).chain(metrics).map(|port| map([("protocol", s("TCP")), ("port", int(port))]));
    let spec = map([
        ("podSelector", map([("matchLabels", labels(plan))])),
        ("policyTypes", list([s("Ingress")])),
        ("ingress", list([map([("ports", list(ports))])])),
    ]);
    object("networking.k8s.io/v1", "NetworkPolicy", metadata(plan.name.as_str(), labels(plan)), ("spec", spec))
}

/// Redis: the exported redis.conf, the password from the `<name>-redis` Secret (not
/// exported: a pod without it does not start), a writable /data.
pub fn redis<'a>(plan: &'a Plan, rec: &Recommendation, c: &Container) -> Vec<Node<'a>> {
    let container = map([
        ("name", s("redis")),
        ("image", s(REDIS_IMAGE)),
        ("args", list([s("redis-server"), s("/etc/redis/redis.conf"), s("--requirepass"), s("$(REDIS_PASSWORD)")])),
        ("env", list([secret_env("REDIS_PASSWORD", redis_secret(plan), "password")])),
        ("ports", list([map([("name", s("redis")), ("containerPort", int(REDIS_PORT))])])),
        ("resources", resources(&c.resources)),
        ("securityContext", container_security(c)),
        ("volumeMounts", list([mount("config", "/etc/redis/redis.conf", Some("redis.conf")), mount("data", "/data", None)])),
    ]);
    let volumes = vec![config_volume("config", "configMap", "name", name_with(plan, "redis")), empty_dir("data")];
    vec![
        config_map(plan, rec, "redis", "redis.conf"),
        deployment(plan, "redis", container, volumes),
        service(plan, "redis", REDIS_PORT),
        network_policy(plan, "redis", REDIS_PORT),
    ]
}

/// PgBouncer: the exported pgbouncer.ini, the userlist from the `<name>-pgbouncer` Secret
/// (not exported), its unix socket in a writable /tmp.
pub fn pgbouncer<'a>(plan: &'a Plan, rec: &Recommendation, c: &Container) -> Vec<Node<'a>> {
    let container = map([
        ("name", s("pgbouncer")),
        ("image", s(PGBOUNCER_IMAGE)),
        ("command", list([s("pgbouncer"), s("/etc/pgbouncer/pgbouncer.ini")])),
        ("ports", list([map([("name", s("pgbouncer")), ("containerPort", int(PGBOUNCER_PORT))])])),
        ("resources", resources(&c.resources)),
        ("securityContext", container_security(c)),
        (
            "volumeMounts",
            list([
                mount("config", "/etc/pgbouncer/pgbouncer.ini", Some("pgbouncer.ini")),
                mount("userlist", AUTH_FILE, Some("userlist.txt")),
                mount("tmp", "/tmp", None),
            ]),
        ),
    ]);
    let volumes = vec![
        config_volume("config", "configMap", "name", name_with(plan, "pgbouncer")),
        config_volume("userlist", "secret", "secretName", name_with(plan, "pgbouncer")),
        empty_dir("tmp"),
    ];
    vec![
        config_map(plan, rec, "pgbouncer", "pgbouncer.ini"),
        deployment(plan, "pgbouncer", container, volumes),
        service(plan, "pgbouncer", PGBOUNCER_PORT),
        network_policy(plan, "pgbouncer", PGBOUNCER_PORT),
    ]
}

/// Every object beside the app's Deployment, Service, HPA and PDB.
pub fn objects<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Vec<Node<'a>> {
    let mut out = vec![];
    if let Some(c) = &k.redis {
        out.extend(redis(plan, rec, c));
    }
    if let Some(c) = &k.pgbouncer {
        out.extend(pgbouncer(plan, rec, c));
    }
    out
}
