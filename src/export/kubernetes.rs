//! `kubernetes.yaml`: the app's Deployment (requests/limits, probes, env), Service,
//! HorizontalPodAutoscaler (autoscaling/v2 with guide 002's behaviour) and
//! PodDisruptionBudget (policy/v1), as data printed by the shared YAML writer. The same
//! objects feed `deployment.nix`.

use std::borrow::Cow;

use super::env;
use super::gunicorn::PORT;
use super::tree::{int, list, map, s, write_yaml, Node};
use crate::model::rules::kubernetes::{Probe, Resources, ScalePolicy};
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::Plan;

/// The pod labels and the selector of every object.
pub fn labels(plan: &Plan) -> Node<'_> {
    map([("app", s(plan.name.as_str()))])
}

fn metadata<'a>(name: impl Into<Cow<'a, str>>, plan: &'a Plan) -> Node<'a> {
    map([("name", s(name)), ("labels", labels(plan))])
}

fn resources(r: &Resources) -> Node<'static> {
    let amounts = |cpu: u32, mem: u32| map([("cpu", s(format!("{cpu}m"))), ("memory", s(format!("{mem}Mi")))]);
    map([
        ("requests", amounts(r.cpu_request_m.value, r.memory_request_mib.value)),
        ("limits", amounts(r.cpu_limit_m.value, r.memory_limit_mib.value)),
    ])
}

fn probe(p: &Probe) -> Node<'static> {
    map([
        ("httpGet", map([("path", s(p.path.value)), ("port", int(p.port.value))])),
        ("initialDelaySeconds", int(p.initial_delay_s.value)),
        ("periodSeconds", int(p.period_s.value)),
        ("timeoutSeconds", int(p.timeout_s.value)),
        ("failureThreshold", int(p.failure_threshold.value)),
    ])
}

/// The app container: image, port, the .env variables, resources and probes.
pub fn container<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    let env = env::variables(plan, rec).into_iter().map(|v| map([("name", s(v.name)), ("value", s(v.value))]));
    map([
        ("name", s(plan.name.as_str())),
        ("image", s(format!("{}:latest", plan.name))),
        ("args", list([s("gunicorn"), s("-c"), s("gunicorn.conf.py")])),
        ("ports", list([map([("name", s("http")), ("containerPort", int(PORT))])])),
        ("env", list(env)),
        ("resources", resources(&k.app)),
        ("readinessProbe", probe(&k.readiness)),
        ("livenessProbe", probe(&k.liveness)),
    ])
}

pub fn deployment<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    map([
        ("apiVersion", s("apps/v1")),
        ("kind", s("Deployment")),
        ("metadata", metadata(plan.name.as_str(), plan)),
        (
            "spec",
            map([
                ("replicas", int(k.replicas.value)),
                ("selector", map([("matchLabels", labels(plan))])),
                (
                    "template",
                    map([
                        ("metadata", map([("labels", labels(plan))])),
                        ("spec", map([("containers", list([container(plan, rec, k)]))])),
                    ]),
                ),
            ]),
        ),
    ])
}

/// The Service's ports: 80 to the container's `http` port.
pub fn service_ports() -> Node<'static> {
    list([map([("name", s("http")), ("port", int(80)), ("targetPort", s("http"))])])
}

pub fn service(plan: &Plan) -> Node<'_> {
    map([
        ("apiVersion", s("v1")),
        ("kind", s("Service")),
        ("metadata", metadata(plan.name.as_str(), plan)),
        ("spec", map([("type", s("ClusterIP")), ("selector", labels(plan)), ("ports", service_ports())])),
    ])
}

fn scaling(p: &ScalePolicy) -> Node<'static> {
    map([
        ("stabilizationWindowSeconds", int(p.stabilization_window_s.value)),
        ("policies", list([map([("type", s("Percent")), ("value", int(p.percent.value)), ("periodSeconds", int(p.period_s.value))])])),
    ])
}

fn utilization(resource: &'static str, pct: u32) -> Node<'static> {
    map([
        ("type", s("Resource")),
        ("resource", map([("name", s(resource)), ("target", map([("type", s("Utilization")), ("averageUtilization", int(pct))]))])),
    ])
}

pub fn hpa<'a>(plan: &'a Plan, k: &Kubernetes) -> Node<'a> {
    let h = &k.hpa;
    map([
        ("apiVersion", s("autoscaling/v2")),
        ("kind", s("HorizontalPodAutoscaler")),
        ("metadata", metadata(plan.name.as_str(), plan)),
        (
            "spec",
            map([
                ("scaleTargetRef", map([("apiVersion", s("apps/v1")), ("kind", s("Deployment")), ("name", s(plan.name.as_str()))])),
                ("minReplicas", int(h.min_replicas.value)),
                ("maxReplicas", int(h.max_replicas.value)),
                ("metrics", list([utilization("cpu", h.cpu_utilization_pct.value), utilization("memory", h.memory_utilization_pct.value)])),
                ("behavior", map([("scaleDown", scaling(&h.scale_down)), ("scaleUp", scaling(&h.scale_up))])),
            ]),
        ),
    ])
}

/// The PodDisruptionBudget; None with one replica (see the rule).
pub fn pdb<'a>(plan: &'a Plan, k: &Kubernetes) -> Option<Node<'a>> {
    let min = k.pdb_min_available.as_ref()?;
    Some(map([
        ("apiVersion", s("policy/v1")),
        ("kind", s("PodDisruptionBudget")),
        ("metadata", metadata(format!("{}-pdb", plan.name), plan)),
        ("spec", map([("minAvailable", int(min.value)), ("selector", map([("matchLabels", labels(plan))]))])),
    ]))
}

/// kubernetes.yaml below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation, k: &Kubernetes) {
    out.push_str("# Apply with kubectl apply -f kubernetes.yaml; set the image to your build.\n");
    let mut objects = vec![deployment(plan, rec, k), service(plan), hpa(plan, k)];
    objects.extend(pdb(plan, k));
    for o in &objects {
        out.push_str("---\n");
        write_yaml(out, o);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::Platform;

    fn plan(replicas: u32) -> Plan {
        let mut p = Plan::default();
        p.platform = Platform::K8s;
        p.replicas = replicas;
        p
    }

    fn text(p: &Plan) -> String {
        text_of(p, "kubernetes.yaml")
    }

    #[test]
    fn the_four_objects_carry_the_rules_values() {
        let t = text(&plan(3));
        for kind in ["kind: \"Deployment\"", "kind: \"Service\"", "kind: \"HorizontalPodAutoscaler\"", "kind: \"PodDisruptionBudget\""] {
            assert_eq!(t.matches(&format!("\n{kind}\n")).count(), 1, "{kind} in {t}");
        }
        for line in ["cpu: \"100m\"", "memory: \"512Mi\"", "averageUtilization: 70", "averageUtilization: 80", "stabilizationWindowSeconds: 300", "minAvailable: 2", "path: \"/health/ready\"", "value: \"65\""] {
            assert!(t.contains(line), "{line} in {t}");
        }
    }

    #[test]
    fn one_replica_has_no_disruption_budget() {
        assert!(!text(&plan(1)).contains("PodDisruptionBudget"));
    }
}
