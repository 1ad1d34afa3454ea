//! `deployment.nix`: the objects of [`super::kubernetes`] in guide 002's Nix style:
//! `k8s.mkDeployment { … }` (the pod spec's fields beside its name and labels) and
//! `k8s.mkService { … }` from the library's kubernetes-core.nix, the other objects as
//! plain attribute sets, all from the same trees as kubernetes.yaml, printed by the
//! shared Nix writer.

use super::kubernetes::{extras, hpa, instructions, labels, pdb, pod, service_ports};
use super::tree::{map, s, write_nix, Node};
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::Plan;

/// The app's Deployment for `mkDeployment`: its name and labels, then its pod spec's
/// fields. No `replicas`: the HPA owns the count.
fn deployment<'a>(plan: &'a Plan, rec: &Recommendation, k: &Kubernetes) -> Node<'a> {
    let mut fields = vec![("name", s(plan.name.as_str())), ("labels", labels(plan))];
    if let Node::Map(spec) = pod::app_pod_spec(plan, rec, k) {
        fields.extend(spec);
    }
    Node::Map(fields)
}

/// deployment.nix below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation, k: &Kubernetes) {
    let service = map([
        ("name", s(plan.name.as_str())),
        ("type", s("ClusterIP")),
        ("selector", labels(plan)),
        ("ports", service_ports()),
    ]);
    instructions(out, "#", plan, k);
    out.push_str("{ lib, ... }:\nlet\n  k8s = import ./src/lib/kubernetes-core.nix { inherit lib; };\nin\n{\n");
    let mut attr = |before: &str, node: &Node, after: &str| {
        out.push_str(before);
        write_nix(out, node, 2);
        out.push_str(after);
    };
    if rec.nginx.is_some() {
        attr("  nginxConfig = ", &extras::config_map(plan, rec, "nginx", "nginx.conf"), ";\n\n");
    }
    attr("  deployment = k8s.mkDeployment ", &deployment(plan, rec, k), ";\n\n");
    attr("  service = k8s.mkService ", &service, ";\n\n");
    if let Some(n) = &rec.nginx {
        attr("  networkPolicy = ", &extras::app_network_policy(plan, rec, n.listen_port.value), ";\n\n");
    }
    attr("  hpa = ", &hpa(plan, k), ";\n");
    if let Some(p) = pdb(plan, k) {
        attr("\n  pdb = ", &p, ";\n");
    }
    if let Some(c) = &k.redis {
        attr("\n  redis = ", &Node::List(extras::redis(plan, rec, c)), ";\n");
    }
    if let Some(c) = &k.pgbouncer {
        attr("\n  pgbouncer = ", &Node::List(extras::pgbouncer(plan, rec, c)), ";\n");
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::{Platform, Switch};

    fn plan() -> Plan {
        Plan { platform: Platform::K8s, replicas: 3, pgbouncer: Switch::On, ..Plan::default() }
    }

    #[test]
    fn the_deployment_is_written_in_the_guide_002_style() {
        let t = text_of(&plan(), "deployment.nix");
        assert!(t.contains("  deployment = k8s.mkDeployment {\n    name = \"app\";\n    labels = {\n      app = \"app\";\n    };\n    automountServiceAccountToken = false;\n"), "{t}");
        for line in ["cpu = \"2800m\";", "memory = \"1472Mi\";", "minAvailable = 2;", "stabilizationWindowSeconds = 300;", "apiVersion = \"autoscaling/v2\";", "runAsNonRoot = true;", "terminationGracePeriodSeconds = 45;"] {
            assert!(t.contains(line), "{line} in {t}");
        }
        assert!(!t.contains("replicas = 3;"), "{t}");
        assert_eq!(t.matches('{').count(), t.matches('}').count());
    }

    /// The Nix file carries the same objects as kubernetes.yaml.
    #[test]
    fn it_carries_every_object_of_the_manifest() {
        let (nix, yaml) = (text_of(&plan(), "deployment.nix"), text_of(&plan(), "kubernetes.yaml"));
        for kind in ["ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"] {
            // The app's Deployment and Service are mkDeployment / mkService calls, without a kind.
            let app = usize::from(matches!(kind, "Deployment" | "Service"));
            let in_yaml = yaml.matches(&format!("kind: \"{kind}\"\n")).count();
            assert_eq!(nix.matches(&format!("kind = \"{kind}\";")).count() + app, in_yaml, "{kind}");
        }
        assert!(nix.contains("# Create the Secrets first"), "{nix}");
    }
}
