//! `kubernetes.yaml`: the app's Deployment (no `replicas:`: the HPA owns the count), its
//! Service, HorizontalPodAutoscaler (autoscaling/v2, CPU only, with guide 002's
//! behaviour) and PodDisruptionBudget (policy/v1); nginx in the app's pod with its
//! ConfigMap; Redis and PgBouncer in their own pods, each with its ConfigMap, Service and
//! NetworkPolicy. Every pod meets the "restricted" Pod Security Standard. The objects are
//! data printed by the shared YAML writer; the same trees feed `deployment.nix`.

pub mod extras;
pub mod pod;
#[cfg(test)]
mod restricted;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use super::tree::{int, list, map, s, write_yaml, Node};
use crate::model::rules::kubernetes::ScalePolicy;
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::text::{cat, digits, push_all};
use crate::model::Plan;

/// The pod labels and the selector of the app's objects.
pub fn labels(plan: &Plan) -> Node<'_> {
    map([("app", s(plan.name.as_str()))])
}

/// `<name>-<part>`: the name of a component's objects.
pub fn name_with(plan: &Plan, part: &str) -> String {
    cat(&[&plan.name, "-", part])
}

pub fn metadata<'a>(name: impl Into<Cow<'a, str>>, labels: Node<'a>) -> Node<'a> {
    map([("name", s(name)), ("labels", labels)])
}

/// An object: apiVersion, kind, metadata and its one body field (spec or data).
pub fn object<'a>(api: &'a str, kind: &'a str, meta: Node<'a>, body: (&'a str, Node<'a>)) -> Node<'a> {
    map([("apiVersion", s(api)), ("kind", s(kind)), ("metadata", meta), body])
}

/// The app's Deployment: no `replicas:` (the HPA sets the count; a replicas field would
/// reset it on every apply).
pub fn deployment<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    let spec = map([("selector", map([("matchLabels", labels(plan))])), ("template", pod::app_template(plan, rec, k))]);
    object("apps/v1", "Deployment", metadata(plan.name.as_str(), labels(plan)), ("spec", spec))
}

/// The Service's ports: 80 to the pod's `http` port (nginx's with a proxy, else the app's).
pub fn service_ports() -> Node<'static> {
    list([map([("name", s("http")), ("port", int(80)), ("targetPort", s("http"))])])
}

pub fn service(plan: &Plan) -> Node<'_> {
    let spec = map([("type", s("ClusterIP")), ("selector", labels(plan)), ("ports", service_ports())]);
    object("v1", "Service", metadata(plan.name.as_str(), labels(plan)), ("spec", spec))
}

fn scaling(p: &ScalePolicy) -> Node<'static> {
    map([
        ("stabilizationWindowSeconds", int(p.stabilization_window_s.value)),
        ("policies", list([map([("type", s("Percent")), ("value", int(p.percent.value)), ("periodSeconds", int(p.period_s.value))])])),
    ])
}

/// The HPA's one metric: the CPU used on average per pod, as an amount (`AverageValue`):
/// the app container's (`ContainerResource`) when nginx shares its pod, else the pod's.
fn cpu_metric<'a>(plan: &'a Plan, k: &Kubernetes) -> Node<'a> {
    let target = map([("type", s("AverageValue")), ("averageValue", s(cat(&[&digits(k.hpa.cpu_average_m.value), "m"])))]);
    if k.nginx.is_some() {
        let source = map([("name", s("cpu")), ("container", s(plan.name.as_str())), ("target", target)]);
        map([("type", s("ContainerResource")), ("containerResource", source)])
    } else {
        map([("type", s("Resource")), ("resource", map([("name", s("cpu")), ("target", target)]))])
    }
}

pub fn hpa<'a>(plan: &'a Plan, k: &Kubernetes) -> Node<'a> {
    let h = &k.hpa;
    let spec = map([
        ("scaleTargetRef", map([("apiVersion", s("apps/v1")), ("kind", s("Deployment")), ("name", s(plan.name.as_str()))])),
        ("minReplicas", int(h.min_replicas.value)),
        ("maxReplicas", int(h.max_replicas.value)),
        ("metrics", list([cpu_metric(plan, k)])),
        ("behavior", map([("scaleDown", scaling(&h.scale_down)), ("scaleUp", scaling(&h.scale_up))])),
    ]);
    object("autoscaling/v2", "HorizontalPodAutoscaler", metadata(plan.name.as_str(), labels(plan)), ("spec", spec))
}

/// The PodDisruptionBudget; None below two pods (see the rule).
pub fn pdb<'a>(plan: &'a Plan, k: &Kubernetes) -> Option<Node<'a>> {
    let min = k.pdb_min_available.as_ref()?;
    let spec = map([("minAvailable", int(min.value)), ("selector", map([("matchLabels", labels(plan))]))]);
    Some(object("policy/v1", "PodDisruptionBudget", metadata(cat(&[&plan.name, "-pdb"]), labels(plan)), ("spec", spec)))
}

/// Every object of the file, in the order they are applied: the nginx ConfigMap before
/// the pods that mount it, the app's objects, then Redis's and PgBouncer's.
pub fn objects<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Vec<Node<'a>> {
    let mut out = Vec::with_capacity(16);
    if rec.nginx.is_some() {
        out.push(extras::config_map(plan, rec, "nginx", "nginx.conf"));
    }
    out.extend([deployment(plan, rec, k), service(plan)]);
    if let Some(n) = &rec.nginx {
        out.push(extras::app_network_policy(plan, rec, n.listen_port.value));
    }
    out.push(hpa(plan, k));
    out.extend(pdb(plan, k));
    out.extend(extras::objects(plan, rec, k));
    out
}

/// The header's instructions, in `comment` lines: the image, who owns the replica count,
/// and the Secrets to create first (they are never exported).
pub fn instructions(out: &mut String, comment: &str, plan: &Plan, k: &Kubernetes) {
    let mut line = |text: &str| {
        push_all(out, &[comment, " ", text, "\n"]);
    };
    line("Set the app's image to your build: it runs as uid 10001 on a read-only root filesystem (/tmp is");
    line("writable), and needs `sleep` for the preStop pause (python and nginx images have it).");
    line("The Deployment has no `replicas:`: the HorizontalPodAutoscaler owns the count (a replicas field");
    line("would reset the scale on every apply).");
    if k.nginx.is_some() {
        line("Only nginx's port (and the metrics port) admit connections to the app's pods (NetworkPolicy");
        line(&cat(&[&plan.name, "): the app's own port answers the kubelet's probes and nginx in the pod."]));
    }
    if k.redis.is_some() || k.pgbouncer.is_some() {
        line("Create the Secrets first (they are not in this file; a pod whose Secret is missing does not start):");
    }
    if k.redis.is_some() {
        line(&cat(&["  kubectl create secret generic ", &plan.name, "-redis --from-literal=password=\"$(openssl rand -hex 32)\""]));
    }
    if k.pgbouncer.is_some() {
        line(&cat(&["  kubectl create secret generic ", &plan.name, "-pgbouncer --from-file=userlist.txt"]));
        line("  (userlist.txt: one line per user, \"name\" \"SCRAM-SHA-256$...\", as pgbouncer.ini's auth_file).");
        line(&cat(&["PgBouncer has no official image: ", extras::PGBOUNCER_IMAGE, " is no image a node can"]));
        line("pull, so its pod does not start until you set one (1.18 or later; it runs as uid 70).");
    }
}

/// kubernetes.yaml below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation, k: &Kubernetes) {
    out.push_str("# Apply with kubectl apply -f kubernetes.yaml.\n");
    instructions(out, "#", plan, k);
    for o in &objects(plan, rec, k) {
        out.push_str("---\n");
        write_yaml(out, o);
    }
}
