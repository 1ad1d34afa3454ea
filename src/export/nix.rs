//! `deployment.nix`: the Kubernetes objects of [`super::kubernetes`] in guide 002's Nix
//! style: `k8s.mkDeployment { … }` and `k8s.mkService { … }` from the library's
//! kubernetes-core.nix, the HPA and PDB as plain attribute sets, all printed by the
//! shared Nix writer.

use super::kubernetes::{container, hpa, labels, pdb, service_ports};
use super::tree::{int, list, map, s, write_nix, Node};
use crate::model::rules::{Kubernetes, Recommendation};
use crate::model::Plan;

/// deployment.nix below its header.
pub fn body(out: &mut String, plan: &Plan, rec: &Recommendation, k: &Kubernetes) {
    let deployment = map([
        ("name", s(plan.name.as_str())),
        ("replicas", int(k.replicas.value)),
        ("labels", labels(plan)),
        ("containers", list([container(plan, rec, k)])),
    ]);
    let service = map([
        ("name", s(plan.name.as_str())),
        ("type", s("ClusterIP")),
        ("selector", labels(plan)),
        ("ports", service_ports()),
    ]);
    out.push_str("{ lib, ... }:\nlet\n  k8s = import ./src/lib/kubernetes-core.nix { inherit lib; };\nin\n{\n");
    let mut attr = |before: &str, node: &Node, after: &str| {
        out.push_str(before);
        write_nix(out, node, 2);
        out.push_str(after);
    };
    attr("  deployment = k8s.mkDeployment ", &deployment, ";\n\n");
    attr("  service = k8s.mkService ", &service, ";\n\n");
    attr("  hpa = ", &hpa(plan, k), ";\n");
    if let Some(p) = pdb(plan, k) {
        attr("\n  pdb = ", &p, ";\n");
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text_of;
    use crate::model::Platform;

    #[test]
    fn the_deployment_is_written_in_the_guide_002_style() {
        let mut plan = Plan::default();
        plan.platform = Platform::K8s;
        plan.replicas = 3;
        let t = text_of(&plan, "deployment.nix");
        assert!(t.contains("  deployment = k8s.mkDeployment {\n    name = \"app\";\n    replicas = 3;\n"), "{t}");
        for line in ["cpu = \"100m\";", "memory = \"128Mi\";", "minAvailable = 2;", "stabilizationWindowSeconds = 300;", "apiVersion = \"autoscaling/v2\";"] {
            assert!(t.contains(line), "{line} in {t}");
        }
        assert_eq!(t.matches('{').count(), t.matches('}').count());
    }
}
