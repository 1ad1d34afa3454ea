use super::*;
use crate::model::Plan;

#[test]
fn the_form_starts_with_the_target_and_holds_every_field_once() {
    let titles: Vec<&str> = Field::FORM.iter().map(|g| g.0).collect();
    assert_eq!(titles, ["Target", "Node", "App server", "Workload", "Database", "Cache", "Proxy", "Platform"]);
    assert_eq!(Field::FORM[0].1, [Field::Rps, Field::P95, Field::Peak]);
    // Every field in exactly one group.
    let mut flat: Vec<Field> = Field::FORM.iter().flat_map(|g| g.1.iter().copied()).collect();
    flat.sort();
    let mut all = Field::ALL.to_vec();
    all.sort();
    assert_eq!(flat, all);
    assert_eq!(Field::FORM[7].1, [Field::Platform, Field::Workload, Field::PodCpu, Field::PodMem, Field::DaemonsetCpu, Field::DaemonsetMem, Field::MaxPods, Field::CostCoreH, Field::CostGibH]);
}

#[track_caller]
fn rejects(field: Field, text: &str, says: &str) {
    let err = Plan::default().set(field, text).expect_err(text);
    assert_eq!(err.field, field);
    assert!(err.to_string().contains(says), "{err} should say {says}");
    assert!(err.to_string().starts_with(field.key()), "{err} should name {}", field.key());
}

#[test]
fn keys_are_unique_and_round_trip() {
    for &f in Field::ALL {
        assert_eq!(Field::from_key(f.key()), Some(f));
    }
}

#[test]
fn bad_input_names_the_field_the_value_and_the_range() {
    rejects(Field::Cores, "0", "1–256 cores");
    rejects(Field::Cores, "abc", "'abc' is not a whole number");
    rejects(Field::Cores, "10000", "10,000 is out of range; enter 1–256 cores");
    rejects(Field::Rps, "2e7", "20,000,000 is out of range; enter 0–10,000,000 r/s");
    rejects(Field::CpuMs, "0.005,1,1", "0.005 is out of range; enter 0.01–600,000 ms");
    rejects(Field::Cores, "-3", "not a whole number");
    rejects(Field::Ram, "NaN", "not a number");
    rejects(Field::Ram, "inf", "not a number");
    rejects(Field::Server, "tornado", "sync|gthread|gevent|async");
    rejects(Field::Mix, "10,10", "sum to 20 %");
    rejects(Field::Mix, "10,10,10,10,10,10,10,10,20", "at most 8 classes");
    rejects(Field::CpuMs, "1,2", "cpu_ms has 2 values; mix has 3 classes: one value per class");
    rejects(Field::Cv, "1,2", "cv has 2 values; mix has 3 classes: one value per class");
    rejects(Field::WaitMs, "5", "wait_ms has 1 value; mix has 3 classes: one value per class");
    rejects(Field::Classes, "a,b", "classes has 2 values; mix has 3 classes: one value per class");
    rejects(Field::Classes, "a,b,c;d", "'c;d': use 1–24 letters");
    rejects(Field::Classes, "a,,c", "'': use 1–24");
    rejects(Field::Mix, "10,10,10", "sum to 30 %");
    rejects(Field::Name, "my app", "lowercase letters");
    rejects(Field::Name, "a;rm", "lowercase letters");
    rejects(Field::Name, "../etc", "lowercase letters");
    rejects(Field::Name, "x\ny", "lowercase letters");
    rejects(Field::PgVersion, "12", "13–18");
    rejects(Field::PgVersion, "19", "13–18");
    rejects(Field::ServerName, "example.com _", "any Host");
    rejects(Field::LbCidr, "10.0.0.0/8 ::/0", "every address");
    rejects(Field::AppCidr, "10.0.0.1/8", "first address");
    rejects(Field::CachePaths, "/api/../admin", "not a path prefix");
}

#[test]
fn a_list_is_kept_in_one_spelling() {
    let mut plan = Plan::default();
    plan.set(Field::ServerName, " Shop.Example.com  www.example.com,").unwrap();
    assert_eq!(plan.server_name, "shop.example.com,www.example.com");
    assert_eq!(plan.get(Field::ServerName), "shop.example.com,www.example.com");
    plan.set(Field::LbCidr, "").unwrap();
    assert_eq!(plan.lb_cidr, "");
}

#[test]
fn every_field_on_the_form_has_short_help_ending_with_a_period_and_naming_its_unit() {
    for &f in Field::ALL.iter().filter(|f| !f.retired()) {
        let help = f.help();
        assert!((20..=120).contains(&help.chars().count()), "{}: {} chars: {help}", f.key(), help.chars().count());
        assert!(help.ends_with('.'), "{}: {help}", f.key());
        assert!(f.unit().is_empty() || help.contains(f.unit()), "{}: {help} should say {}", f.key(), f.unit());
        assert!(!help.contains("  ") && !help.contains(" ."), "{}: {help}", f.key());
    }
    assert_eq!(Field::Workload.help(), "");
    assert!(Field::Tier.help().contains("FastAPI guide"));
    assert!(Field::DbHold.help().contains("avg_xact_time"), "how to measure it");
    assert!(Field::DbCpu.help().contains("total_exec_time ÷ calls × queries") && Field::DbCpu.help().contains("CPU s ÷ requests"), "both ways to measure it");
    assert!(Field::UslSigma.help().contains("Gunther's Guerrilla Capacity Planning (2007) ch. 4–5") && Field::UslSigma.help().contains("0.01–0.05"), "its source");
    assert!(Field::UslKappa.help().contains("scale-up, not scale-out"), "what σ and κ slow");
}
