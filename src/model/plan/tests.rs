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
