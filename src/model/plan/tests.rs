use super::*;

#[test]
fn the_default_plan_is_valid() {
    assert_eq!(Plan::default().validate(), vec![]);
}

#[test]
fn every_field_reads_back_what_it_writes() {
    let plan = Plan::default();
    for &f in Field::ALL {
        let mut copy = Plan::default();
        copy.set(f, &plan.get(f)).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert_eq!(copy, plan, "{f:?}");
    }
}

#[test]
fn choosing_a_tier_sets_cores_and_ram() {
    let mut plan = Plan::default();
    plan.set(Field::Tier, "large").unwrap();
    assert_eq!((plan.cores, plan.ram_gib), (8, 16.0));
}

#[test]
fn changing_cores_away_from_a_tier_makes_it_custom() {
    let mut plan = Plan::for_tier(Tier::Small);
    plan.set(Field::Cores, "3").unwrap();
    assert_eq!(plan.tier, Tier::Custom);
    plan.set(Field::Cores, "2").unwrap();
    assert_eq!(plan.tier, Tier::Small);
}

#[test]
fn a_rejected_value_leaves_the_plan_unchanged() {
    let mut plan = Plan::default();
    assert!(plan.set(Field::Cores, "0").is_err());
    assert!(plan.set(Field::Mix, "50,50,50").is_err());
    assert_eq!(plan, Plan::default());
}

#[test]
fn a_name_that_kubernetes_objects_would_overflow_is_refused_there_only() {
    let long = "a".repeat(54);
    let mut plan = Plan::default();
    plan.set(Field::Name, &long).unwrap();
    let err = plan.set(Field::Platform, "k8s").unwrap_err();
    assert!(err.to_string().starts_with("platform: on Kubernetes the service name is at most 53"), "{err}");
    plan.set(Field::Name, &"a".repeat(53)).unwrap();
    plan.set(Field::Platform, "k8s").unwrap();
    assert!(plan.set(Field::Name, &long).unwrap_err().to_string().starts_with("name: on Kubernetes"));
    assert_eq!(plan.validate(), vec![]);
}

#[test]
fn an_empty_optional_field_means_computed() {
    let mut plan = Plan::default();
    plan.set(Field::Workers, "12").unwrap();
    assert_eq!(plan.workers, Some(12));
    plan.set(Field::Workers, " ").unwrap();
    assert_eq!(plan.workers, None);
}

#[test]
fn three_unnamed_classes_are_the_guides_kinds_by_position() {
    let names: Vec<String> = Plan::default().classes().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["CPU-bound", "I/O-bound", "mixed"]);
    assert_eq!(Plan::default().kind_pct(), [20, 50, 30]);
}

#[test]
fn the_mix_sets_the_number_of_classes_and_the_others_follow() {
    let mut plan = Plan::default();
    plan.set(Field::Mix, "60,40").unwrap();
    assert_eq!((plan.class_count, plan.get(Field::CpuMs), plan.get(Field::WaitMs)), (2, "6,1".into(), "2,30".into()));
    assert_eq!(plan.classes()[1].name, "class 2");
    plan.set(Field::Mix, "10,10,10,10,10,10,10,30").unwrap();
    assert_eq!(plan.get(Field::CpuMs), "6,1,1,1,1,1,1,1");
    let err = plan.set(Field::CpuMs, "1,2").unwrap_err();
    assert_eq!(err.to_string(), "cpu_ms: cpu_ms has 2 values; mix has 8 classes: one value per class");
    plan.set(Field::Mix, "100").unwrap();
    assert_eq!((plan.get(Field::CpuMs), plan.cpu_ms[1]), ("6".into(), 0.0));
}

#[test]
fn cv_and_p95_take_one_value_or_one_per_class() {
    let mut plan = Plan::default();
    plan.set(Field::P95, "100,300,200").unwrap();
    plan.set(Field::Cv, "0.5,2,1").unwrap();
    assert_eq!((plan.p95_objective_ms, plan.cv), (100.0, 2.0), "the strictest objective, the largest cv");
    let c = plan.classes();
    assert_eq!((c[1].p95_objective_ms, c[1].cv), (300.0, 2.0));
    plan.set(Field::Cv, "1,1,1").unwrap();
    assert_eq!((plan.cv_each, plan.get(Field::Cv)), (None, "1".into()));
    assert!(plan.set(Field::P95, "100,0,100").is_err());
}

#[test]
fn names_are_one_per_class_in_a_safe_charset() {
    let mut plan = Plan::default();
    plan.set(Field::Classes, " search , check_out-2 ,I/O bound").unwrap();
    assert_eq!(plan.get(Field::Classes), "search,check_out-2,I/O bound");
    assert!(plan.set(Field::Classes, "a,b").is_err());
    assert!(plan.set(Field::Classes, "a,b,abcdefghijklmnopqrstuvwxy").is_err());
    assert!(plan.set(Field::Classes, "a,b,é").is_err());
    plan.set(Field::Classes, "").unwrap();
    assert_eq!(plan, Plan::default());
}

#[test]
fn named_classes_are_kinds_by_their_wait_against_their_cpu() {
    let mut plan = Plan::default();
    plan.set(Field::Classes, "a,b,c").unwrap();
    plan.set(Field::CpuMs, "5,1,2").unwrap();
    plan.set(Field::WaitMs, "4.9,10,19.9").unwrap();
    assert_eq!((plan.kind(0), plan.kind(1), plan.kind(2)), (Class::Cpu, Class::Io, Class::Mixed));
    assert_eq!(plan.kind_pct(), [20, 50, 30]);
    plan.set(Field::WaitMs, "50,10,19.9").unwrap();
    assert_eq!(plan.kind_pct(), [0, 70, 30]);
}

#[test]
fn classes_are_added_up_to_eight_and_removed_down_to_one_keeping_names_and_shares() {
    let mut plan = Plan::default();
    plan.add_class();
    assert_eq!(plan.get(Field::Classes), "CPU-bound,I/O-bound,mixed,class 4");
    assert_eq!((plan.get(Field::Mix), plan.get(Field::CpuMs)), ("20,50,30,0".into(), "6,1,2.5,2.5".into()));
    for _ in 0..10 {
        plan.add_class();
    }
    assert_eq!(plan.class_count, 8);
    assert_eq!(plan.validate(), vec![]);
    plan.set(Field::P95, "100,200,300,400,500,600,700,800").unwrap();
    plan.remove_class(0);
    assert_eq!(plan.get(Field::Classes), "I/O-bound,mixed,class 4,class 5,class 6,class 7,class 8");
    assert_eq!((plan.get(Field::Mix), plan.p95_objective_ms), ("70,30,0,0,0,0,0".into(), 200.0));
    for _ in 0..10 {
        plan.remove_class(0);
    }
    assert_eq!((plan.class_count, plan.get(Field::Mix), plan.get(Field::P95)), (1, "100".into(), "800".into()));
    assert_eq!(plan.validate(), vec![]);
    plan.remove_class(5);
}
