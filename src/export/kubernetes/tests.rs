//! The manifest's objects against the plan's rules, and every exported pod against the
//! restricted Pod Security Standard.

use super::restricted::get;
use super::*;
use crate::export::text_of;
use crate::export::tree::text as file_text;
use crate::model::rules::recommend;
use crate::model::{query, Platform};

fn plan(q: &str) -> Plan {
    let mut p = query::decode_strict(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    p.platform = Platform::K8s;
    p
}

/// The plan's objects, as the file prints them.
fn with_objects<T>(p: &Plan, f: impl FnOnce(&Recommendation, &[Node]) -> T) -> T {
    let rec = recommend(p);
    let k = rec.kubernetes.clone().expect("a Kubernetes plan");
    let objects = objects(p, &rec, &k);
    f(&rec, &objects)
}

#[track_caller]
fn find<'n, 'a>(objects: &'n [Node<'a>], kind: &str, name: &str) -> &'n Node<'a> {
    objects
        .iter()
        .find(|o| get(o, "kind") == Some(&s(kind)) && get(get(o, "metadata").unwrap(), "name") == Some(&s(name)))
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[track_caller]
fn at<'n, 'a>(node: &'n Node<'a>, keys: &[&str]) -> &'n Node<'a> {
    keys.iter().fold(node, |n, k| match (n, k.parse::<usize>()) {
        (Node::List(xs), Ok(i)) => &xs[i],
        _ => get(n, k).unwrap_or_else(|| panic!("no {k} in {keys:?}")),
    })
}

fn text(q: &str) -> String {
    text_of(&plan(q), "kubernetes.yaml")
}

#[test]
fn the_deployment_has_no_replicas_the_hpa_owns_the_count() {
    with_objects(&plan("replicas=3"), |_, objects| {
        assert!(get(at(find(objects, "Deployment", "app"), &["spec"]), "replicas").is_none());
    });
    let t = text("replicas=3");
    assert!(t.contains("# The Deployment has no `replicas:`: the HorizontalPodAutoscaler owns the count"), "{t}");
    assert!(!t.contains("\n  replicas: 3\n"), "{t}");
}

#[test]
fn the_app_container_takes_its_resources_from_the_workers() {
    // 8 async processes × 150 MiB × 1.2 = 1440 → 1472 MiB; 4 cores: 2800m requested, 4000m allowed.
    with_objects(&plan(""), |_, objects| {
        let app = at(find(objects, "Deployment", "app"), &["spec", "template", "spec", "containers", "0", "resources"]);
        assert_eq!(at(app, &["requests", "cpu"]), &s("2800m"));
        assert_eq!(at(app, &["limits", "cpu"]), &s("4000m"));
        assert_eq!(at(app, &["requests", "memory"]), &s("1472Mi"));
        assert_eq!(at(app, &["limits", "memory"]), &s("1472Mi"));
    });
}

#[test]
fn the_hpa_scales_on_cpu_only_at_the_cpu_request() {
    with_objects(&plan("proxy=none&db=none"), |_, objects| {
        let metrics = at(find(objects, "HorizontalPodAutoscaler", "app"), &["spec", "metrics"]);
        assert_eq!(metrics, &list([map([("type", s("Resource")), ("resource", map([("name", s("cpu")), ("target", map([("type", s("AverageValue")), ("averageValue", s("2800m"))]))]))])]));
    });
    with_objects(&plan(""), |_, objects| {
        let m = at(find(objects, "HorizontalPodAutoscaler", "app"), &["spec", "metrics", "0"]);
        assert_eq!(at(m, &["type"]), &s("ContainerResource"));
        assert_eq!(at(m, &["containerResource", "container"]), &s("app"));
        assert_eq!(at(m, &["containerResource", "target", "averageValue"]), &s("2800m"));
    });
    assert!(!text("").contains("memory\"\n      target"));
}

#[test]
fn the_hpa_never_opens_more_connections_than_postgresql_takes() {
    // sync, 1 core: 3 processes × (1 + 2) = 9 per pod; 197 / 9 = 21 pods, 002's 20 binds.
    with_objects(&plan("cores=1&server=sync&cache=none"), |_, objects| {
        assert_eq!(at(find(objects, "HorizontalPodAutoscaler", "app"), &["spec", "maxReplicas"]), &int(20));
    });
    // sync, 4 cores: 9 processes × 3 = 27 per pod; 197 / 27 = 7 pods.
    with_objects(&plan("server=sync&cache=none"), |_, objects| {
        assert_eq!(at(find(objects, "HorizontalPodAutoscaler", "app"), &["spec", "maxReplicas"]), &int(7));
    });
}

#[test]
fn probes_are_ready_by_http_and_alive_by_tcp() {
    with_objects(&plan(""), |_, objects| {
        let app = at(find(objects, "Deployment", "app"), &["spec", "template", "spec", "containers", "0"]);
        assert_eq!(at(app, &["readinessProbe", "httpGet", "path"]), &s("/health/ready"));
        assert_eq!(at(app, &["readinessProbe", "timeoutSeconds"]), &int(5));
        assert_eq!(at(app, &["livenessProbe", "tcpSocket", "port"]), &int(8000));
        assert!(get(at(app, &["livenessProbe"]), "httpGet").is_none());
        assert_eq!(at(app, &["livenessProbe", "periodSeconds"]), &int(10));
        assert_eq!(at(app, &["livenessProbe", "failureThreshold"]), &int(6));
    });
}

#[test]
fn the_pod_stops_after_a_pause_and_gunicorns_graceful_timeout() {
    // graceful_timeout 30 s + the 10 s pause + 5.
    with_objects(&plan(""), |_, objects| {
        let spec = at(find(objects, "Deployment", "app"), &["spec", "template", "spec"]);
        assert_eq!(at(spec, &["terminationGracePeriodSeconds"]), &int(45));
        let sleep = list([s("sleep"), s("10")]);
        for i in ["0", "1"] {
            assert_eq!(at(spec, &["containers", i, "lifecycle", "preStop", "exec", "command"]), &sleep);
        }
    });
}

#[test]
fn nginx_runs_beside_the_app_with_the_exported_nginx_conf() {
    let p = plan("");
    with_objects(&p, |rec, objects| {
        let spec = at(find(objects, "Deployment", "app"), &["spec", "template", "spec"]);
        let nginx = at(spec, &["containers", "1"]);
        assert_eq!(at(nginx, &["name"]), &s("nginx"));
        assert_eq!(at(nginx, &["image"]), &s(pod::NGINX_IMAGE));
        assert_eq!(at(nginx, &["ports", "0"]), &map([("name", s("http")), ("containerPort", int(8080))]));
        assert_eq!(at(nginx, &["volumeMounts", "0", "subPath"]), &s("nginx.conf"));
        assert_eq!(at(spec, &["containers", "0", "ports", "0", "name"]), &s("app"));
        let conf = crate::export::file(&p, rec, "nginx.conf").unwrap().unwrap().text;
        assert_eq!(at(find(objects, "ConfigMap", "app-nginx"), &["data", "nginx.conf"]), &file_text(conf));
        assert_eq!(at(find(objects, "Service", "app"), &["spec", "ports", "0", "targetPort"]), &s("http"));
    });
    with_objects(&plan("proxy=none"), |_, objects| {
        let spec = at(find(objects, "Deployment", "app"), &["spec", "template", "spec"]);
        assert_eq!(at(spec, &["containers", "0", "ports", "0", "name"]), &s("http"));
        assert!(items_len(at(spec, &["containers"])) == 1);
    });
    with_objects(&plan("name=nginx"), |_, objects| {
        let spec = at(find(objects, "Deployment", "nginx"), &["spec", "template", "spec"]);
        assert_eq!(at(spec, &["containers", "1", "name"]), &s("nginx-proxy"));
    });
}

/// With nginx in the pod, only nginx's port and the metrics port admit connections.
#[test]
fn only_nginx_and_the_metrics_port_admit_connections_to_the_app() {
    with_objects(&plan(""), |_, objects| {
        let spec = at(find(objects, "NetworkPolicy", "app"), &["spec"]);
        assert_eq!(at(spec, &["podSelector", "matchLabels"]), &map([("app", s("app"))]));
        let tcp = |port: u32| map([("protocol", s("TCP")), ("port", int(port))]);
        assert_eq!(at(spec, &["ingress"]), &list([map([("ports", list([tcp(8080), tcp(9090)]))])]));
    });
    with_objects(&plan("proxy=none"), |_, objects| {
        assert!(!objects.iter().any(|o| get(o, "kind") == Some(&s("NetworkPolicy")) && at(o, &["metadata", "name"]) == &s("app")));
    });
}

fn items_len(n: &Node) -> usize {
    match n {
        Node::List(xs) => xs.len(),
        _ => 0,
    }
}

#[test]
fn redis_runs_in_its_own_pod_with_a_password_from_a_secret() {
    let p = plan("");
    with_objects(&p, |rec, objects| {
        let secret = map([("secretKeyRef", map([("name", s("app-redis")), ("key", s("password"))]))]);
        let redis = at(find(objects, "Deployment", "app-redis"), &["spec", "template", "spec", "containers", "0"]);
        assert_eq!(at(redis, &["image"]), &s("redis:7.2-alpine"));
        assert_eq!(at(redis, &["args"]), &list([s("redis-server"), s("/etc/redis/redis.conf"), s("--requirepass"), s("$(REDIS_PASSWORD)")]));
        assert_eq!(at(redis, &["env", "0", "valueFrom"]), &secret);
        assert_eq!(at(redis, &["securityContext", "runAsUser"]), &int(999));
        let conf = crate::export::file(&p, rec, "redis.conf").unwrap().unwrap().text;
        assert_eq!(at(find(objects, "ConfigMap", "app-redis"), &["data", "redis.conf"]), &file_text(conf));
        assert_eq!(at(find(objects, "Service", "app-redis"), &["spec", "ports", "0", "port"]), &int(6379));
        let policy = at(find(objects, "NetworkPolicy", "app-redis"), &["spec"]);
        assert_eq!(at(policy, &["podSelector", "matchLabels", "app"]), &s("app-redis"));
        assert_eq!(at(policy, &["ingress", "0", "from", "0", "podSelector", "matchLabels"]), &map([("app", s("app"))]));
        assert_eq!(at(policy, &["ingress", "0", "ports"]), &list([map([("protocol", s("TCP")), ("port", int(6379))])]));
        // The app reads the same Secret, and no empty password is left beside it.
        let env = at(find(objects, "Deployment", "app"), &["spec", "template", "spec", "containers", "0", "env"]);
        let Node::List(vars) = env else { panic!() };
        let named: Vec<_> = vars.iter().filter(|v| get(v, "name") == Some(&s("REDIS_PASSWORD"))).collect();
        assert_eq!(named.len(), 1);
        assert_eq!(at(named[0], &["valueFrom"]), &secret);
    });
    let t = text("");
    assert!(t.contains("#   kubectl create secret generic app-redis --from-literal=password=\"$(openssl rand -hex 32)\"\n"), "{t}");
    assert!(!text("cache=none").contains("app-redis"));
}

#[test]
fn pgbouncer_runs_in_its_own_pod_behind_a_network_policy() {
    let p = plan("pgbouncer=on");
    with_objects(&p, |rec, objects| {
        let pod = at(find(objects, "Deployment", "app-pgbouncer"), &["spec", "template", "spec"]);
        let c = at(pod, &["containers", "0"]);
        assert_eq!(at(c, &["image"]), &s(extras::PGBOUNCER_IMAGE));
        assert_eq!(at(c, &["securityContext", "runAsUser"]), &int(70));
        assert_eq!(at(c, &["volumeMounts", "1", "mountPath"]), &s("/etc/pgbouncer/userlist.txt"));
        assert_eq!(at(pod, &["volumes", "1", "secret", "secretName"]), &s("app-pgbouncer"));
        let ini = crate::export::file(&p, rec, "pgbouncer.ini").unwrap().unwrap().text;
        assert_eq!(at(find(objects, "ConfigMap", "app-pgbouncer"), &["data", "pgbouncer.ini"]), &file_text(ini));
        assert_eq!(at(find(objects, "Service", "app-pgbouncer"), &["spec", "ports", "0", "port"]), &int(6432));
        let policy = at(find(objects, "NetworkPolicy", "app-pgbouncer"), &["spec", "ingress", "0"]);
        assert_eq!(at(policy, &["ports", "0", "port"]), &int(6432));
        assert_eq!(at(policy, &["from", "0", "podSelector", "matchLabels", "app"]), &s("app"));
    });
    let t = text("pgbouncer=on");
    assert!(t.contains("kubectl create secret generic app-pgbouncer --from-file=userlist.txt"), "{t}");
    assert!(t.contains("PLACEHOLDER-pgbouncer-image:1.18-or-later is no image a node can"), "{t}");
    assert!(!text("").contains("pgbouncer"));
}

/// The app's Service, HPA and PDB select the app's pods only: Redis's and PgBouncer's
/// carry labels of their own.
#[test]
fn the_app_selectors_never_select_the_other_pods() {
    with_objects(&plan("pgbouncer=on"), |_, objects| {
        for part in ["app-redis", "app-pgbouncer"] {
            let labels = at(find(objects, "Deployment", part), &["spec", "template", "metadata", "labels"]);
            assert_eq!(labels, &map([("app", s(part))]));
        }
    });
}

#[test]
fn one_replica_gets_a_disruption_budget_for_the_hpas_two_pods() {
    with_objects(&plan("replicas=1"), |_, objects| {
        assert_eq!(at(find(objects, "PodDisruptionBudget", "app-pdb"), &["spec", "minAvailable"]), &int(1));
    });
    with_objects(&plan("replicas=3"), |_, objects| {
        assert_eq!(at(find(objects, "PodDisruptionBudget", "app-pdb"), &["spec", "minAvailable"]), &int(2));
    });
}

#[test]
fn the_file_prints_every_object_once() {
    let t = text("pgbouncer=on&replicas=3");
    for (kind, n) in [("Deployment", 3), ("Service", 3), ("HorizontalPodAutoscaler", 1), ("PodDisruptionBudget", 1), ("ConfigMap", 3), ("NetworkPolicy", 3)] {
        assert_eq!(t.matches(&format!("\nkind: \"{kind}\"\n")).count(), n, "{kind} in {t}");
    }
    assert_eq!(t.matches("\n---\n").count(), 14);
}
