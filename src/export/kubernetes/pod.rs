//! The parts of a pod: the "restricted" Pod Security Standard's security contexts, the
//! writable volumes, resources, probes, and the app and nginx containers.

use super::{labels, name_with};
use crate::export::env;
use crate::export::tree::{int, list, map, s, Node};
use crate::model::rules::kubernetes::{Container, Probe, Resources, APP_PORT};
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::text::{cat, digits};
use crate::model::Plan;

/// nginx's image: the official build that runs as a non-root user (uid 101) and listens
/// on an unprivileged port.
pub const NGINX_IMAGE: &str = "nginxinc/nginx-unprivileged:1.27-alpine";

/// The pod's security context (restricted profile): never root, the runtime's default
/// seccomp filter for every container.
pub fn pod_security() -> Node<'static> {
    map([("runAsNonRoot", Node::Bool(true)), ("seccompProfile", map([("type", s("RuntimeDefault"))]))])
}

/// A container's security context (restricted profile): no privilege escalation, no
/// capabilities, a read-only root filesystem, a numeric non-root user and group.
pub fn container_security(c: &Container) -> Node<'static> {
    let [uid, gid] = c.run_as.value;
    map([
        ("allowPrivilegeEscalation", Node::Bool(false)),
        ("capabilities", map([("drop", list([s("ALL")]))])),
        ("readOnlyRootFilesystem", Node::Bool(true)),
        ("runAsUser", int(uid)),
        ("runAsGroup", int(gid)),
    ])
}

/// The pod spec's fields every exported pod shares, before its containers: no service
/// account token (the pods never call the API), the pod's security context.
pub fn pod_spec<'a>(extra: Vec<(&'a str, Node<'a>)>, containers: Vec<Node<'a>>, volumes: Vec<Node<'a>>) -> Node<'a> {
    let mut spec = vec![("automountServiceAccountToken", Node::Bool(false))];
    spec.extend(extra);
    spec.push(("securityContext", pod_security()));
    spec.push(("containers", Node::List(containers)));
    spec.push(("volumes", Node::List(volumes)));
    Node::Map(spec)
}

/// An emptyDir volume: where a program writes on a read-only root filesystem.
pub fn empty_dir(name: &str) -> Node<'_> {
    map([("name", s(name)), ("emptyDir", map([]))])
}

/// A volume of a ConfigMap (or a Secret) by name.
pub fn config_volume<'a>(name: &'a str, kind: &'a str, key: &'a str, object: String) -> Node<'a> {
    map([("name", s(name)), (kind, map([(key, s(object))]))])
}

/// A mount of a volume; `sub_path` mounts one key of a ConfigMap or Secret as a file.
pub fn mount<'a>(volume: &'a str, path: &'a str, sub_path: Option<&'a str>) -> Node<'a> {
    let mut m = vec![("name", s(volume)), ("mountPath", s(path))];
    if let Some(key) = sub_path {
        m.push(("subPath", s(key)));
        m.push(("readOnly", Node::Bool(true)));
    }
    Node::Map(m)
}

pub fn resources(r: &Resources) -> Node<'static> {
    let amounts = |cpu: u32, mem: u32| map([("cpu", s(cat(&[&digits(cpu), "m"]))), ("memory", s(cat(&[&digits(mem), "Mi"])))]);
    map([
        ("requests", amounts(r.cpu_request_m.value, r.memory_request_mib.value)),
        ("limits", amounts(r.cpu_limit_m.value, r.memory_limit_mib.value)),
    ])
}

pub fn probe(p: &Probe) -> Node<'static> {
    let port = int(p.port.value);
    let check = match &p.path {
        Some(path) => ("httpGet", map([("path", s(path.value)), ("port", port)])),
        None => ("tcpSocket", map([("port", port)])),
    };
    map([
        check,
        ("initialDelaySeconds", int(p.initial_delay_s.value)),
        ("periodSeconds", int(p.period_s.value)),
        ("timeoutSeconds", int(p.timeout_s.value)),
        ("failureThreshold", int(p.failure_threshold.value)),
    ])
}

/// The preStop pause: the endpoint goes from every proxy before the program gets SIGTERM.
pub fn pre_stop(seconds: u32) -> Node<'static> {
    map([("preStop", map([("exec", map([("command", list([s("sleep"), s(digits(seconds).to_string())]))]))]))])
}

/// An environment variable read from a key of a Secret.
pub fn secret_env<'a>(var: &'a str, secret: String, key: &'a str) -> Node<'a> {
    map([("name", s(var)), ("valueFrom", map([("secretKeyRef", map([("name", s(secret)), ("key", s(key))]))]))])
}

/// The Secret holding Redis's password (the person creates it; see the file's header).
pub fn redis_secret(plan: &Plan) -> String {
    name_with(plan, "redis")
}

/// The nginx container's name: `nginx`, unless the app's own container is called that.
pub fn nginx_name(plan: &Plan) -> &'static str {
    if plan.name == "nginx" {
        "nginx-proxy"
    } else {
        "nginx"
    }
}

/// The app container: image, port, the .env variables (Redis's password from its
/// Secret), resources, probes, the preStop pause, its user and its writable /tmp.
pub fn app_container<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    let mut env: Vec<Node> = env::variables(plan, rec)
        .into_iter()
        .filter(|v| v.name != "REDIS_PASSWORD")
        .map(|v| map([("name", s(v.name)), ("value", s(v.value))]))
        .collect();
    if rec.redis.is_some() {
        env.push(secret_env("REDIS_PASSWORD", redis_secret(plan), "password"));
    }
    // The Service's `http` port is nginx's when the pod has it, else the app's.
    let port = if k.nginx.is_some() { "app" } else { "http" };
    map([
        ("name", s(plan.name.as_str())),
        ("image", s(cat(&[&plan.name, ":latest"]))),
        ("args", list([s("gunicorn"), s("-c"), s("gunicorn.conf.py")])),
        ("ports", list([map([("name", s(port)), ("containerPort", int(APP_PORT))])])),
        ("env", Node::List(env)),
        ("resources", resources(&k.app.resources)),
        ("readinessProbe", probe(&k.readiness)),
        ("livenessProbe", probe(&k.liveness)),
        ("lifecycle", pre_stop(k.shutdown.pre_stop_sleep_s.value)),
        ("securityContext", container_security(&k.app)),
        ("volumeMounts", list([mount("tmp", "/tmp", None)])),
    ])
}

/// The nginx sidecar: the exported nginx.conf from the `<name>-nginx` ConfigMap, port
/// 8080 named `http` (the Service's target), the same preStop pause as the app.
pub fn nginx_container<'a>(plan: &'a Plan, k: &Kubernetes, n: &Container, port: u32) -> Node<'a> {
    map([
        ("name", s(nginx_name(plan))),
        ("image", s(NGINX_IMAGE)),
        ("ports", list([map([("name", s("http")), ("containerPort", int(port))])])),
        ("resources", resources(&n.resources)),
        ("lifecycle", pre_stop(k.shutdown.pre_stop_sleep_s.value)),
        ("securityContext", container_security(n)),
        ("volumeMounts", list([mount("nginx-conf", "/etc/nginx/nginx.conf", Some("nginx.conf")), mount("nginx-tmp", "/tmp", None)])),
    ])
}

/// The app pod's template: its labels and spec.
pub fn app_template<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    map([("metadata", map([("labels", labels(plan))])), ("spec", app_pod_spec(plan, rec, k))])
}

/// The app pod's spec: the app container, nginx beside it when the plan has a proxy.
pub fn app_pod_spec<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    let mut containers = vec![app_container(plan, rec, k)];
    let mut volumes = vec![empty_dir("tmp")];
    if let (Some(n), Some(conf)) = (&k.nginx, &rec.nginx) {
        containers.push(nginx_container(plan, k, n, conf.listen_port.value));
        volumes.push(config_volume("nginx-conf", "configMap", "name", name_with(plan, "nginx")));
        volumes.push(empty_dir("nginx-tmp"));
    }
    let grace = vec![("terminationGracePeriodSeconds", int(k.shutdown.termination_grace_s.value))];
    pod_spec(grace, containers, volumes)
}
