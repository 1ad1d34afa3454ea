//! Tests of the query string through its public functions: round trips, the reading
//! rules, and a property test over random and mutated links.

use super::*;
use crate::model::rng::Rng;

/// A plan built from the default by `Plan::set`, as the form builds one.
fn plan(sets: &[(Field, &str)]) -> Plan {
    Plan::from_sets(sets)
}

#[track_caller]
fn round_trips(p: &Plan) {
    let text = encode(p);
    let d = decode(&text);
    assert_eq!((&d.errors, &d.unknown, &d.bad_version), (&vec![], &vec![], &None), "{text}");
    assert_eq!(&d.plan, p, "{text}");
}

#[test]
fn the_default_plan_encodes_as_the_version_alone() {
    assert_eq!(encode(&Plan::default()), "v=1");
    assert_eq!(decode("v=1").plan, Plan::default());
    assert_eq!(decode("").plan, Plan::default());
}

#[test]
fn only_values_that_differ_from_the_defaults_are_written() {
    let p = plan(&[(Field::Server, "sync"), (Field::Mix, "10,70,20"), (Field::Name, "shop")]);
    assert_eq!(encode(&p), "v=1&name=shop&server=sync&mix=10,70,20");
}

#[test]
fn a_benchmark_tier_is_written_instead_of_its_node() {
    assert_eq!(encode(&Plan::for_tier(Tier::Large)), "v=1&tier=large");
    let p = plan(&[(Field::Tier, "large"), (Field::Cores, "12")]);
    assert_eq!(encode(&p), "v=1&cores=12&ram=16");
    assert_eq!(encode(&plan(&[(Field::Cores, "3")])), "v=1&cores=3");
}

#[test]
fn many_plans_round_trip() {
    let cases: &[&[(Field, &str)]] = &[
        &[],
        &[(Field::Tier, "small")],
        &[(Field::Tier, "large"), (Field::Cores, "12")],
        &[(Field::Tier, "custom")],
        &[(Field::Tier, "large"), (Field::Tier, "custom")],
        &[(Field::Cores, "8"), (Field::Ram, "16")],
        &[(Field::Ram, "0.5"), (Field::Cores, "1")],
        &[(Field::Ram, "2.75"), (Field::DbRam, "1.5")],
        &[(Field::Name, "shop-2"), (Field::Replicas, "3"), (Field::Storage, "nvme")],
        &[(Field::Server, "gthread"), (Field::Threads, "4")],
        &[(Field::Server, "gevent"), (Field::Concurrency, "500"), (Field::Overhead, "0.25")],
        &[(Field::Workers, "7"), (Field::WorkerMem, "200"), (Field::Cv, "0")],
        &[(Field::Mix, "0,0,100"), (Field::CpuMs, "0.01,3,600000"), (Field::WaitMs, "0,0,0")],
        &[(Field::Rps, "1234.5"), (Field::P95, "1")],
        &[(Field::Db, "none"), (Field::DbHost, "app"), (Field::DbCores, "256")],
        &[(Field::DbStorage, "hdd"), (Field::Pgbouncer, "on"), (Field::DbShare, "0")],
        &[(Field::DbHold, "0.1"), (Field::Cache, "none"), (Field::CacheMem, "16")],
        &[(Field::Proxy, "none"), (Field::Platform, "k8s"), (Field::Workload, "job")],
        &[(Field::Rps, "0.1"), (Field::Ram, "1.1234567891234")],
    ];
    for sets in cases {
        round_trips(&plan(sets));
    }
}

#[test]
fn the_tier_applies_first_wherever_it_stands() {
    for text in ["tier=large&cores=12", "cores=12&tier=large"] {
        let p = decode(text).plan;
        assert_eq!((p.cores, p.ram_gib, p.tier), (12, 16.0, Tier::Custom), "{text}");
    }
}

#[test]
fn a_value_checked_against_another_key_reads_wherever_that_key_stands() {
    for text in ["spare=1&replicas=3", "replicas=3&spare=1", "db_cpu_ms=8&db_hold_ms=10", "db_hold_ms=10&db_cpu_ms=8"] {
        let d = decode(text);
        assert!(d.errors.is_empty(), "{text}: {:?}", d.errors);
    }
    let p = decode("spare=1&replicas=3&db_cpu_ms=8&db_hold_ms=10").plan;
    assert_eq!((p.spare, p.replicas, p.db_cpu_ms, p.db_hold_ms), (1, 3, Some(8.0), 10.0));
    // Still refused when the other key does not allow it, wherever it stands.
    let d = decode("spare=3&replicas=3");
    assert_eq!((d.errors.len(), d.errors[0].field, d.plan.spare), (1, Field::Spare, 0));
}

#[test]
fn unknown_keys_are_reported_not_fatal() {
    let d = decode("v=1&cores=8&colour=blue&Cores=3");
    assert_eq!(d.plan.cores, 8);
    assert_eq!(d.unknown, ["colour", "Cores"]);
    assert!(d.errors.is_empty());
    assert_eq!(decode_strict("cores=8&colour=blue").map(|p| p.cores), Ok(8));
}

#[test]
fn each_invalid_value_is_reported_with_its_key_and_keeps_the_default() {
    let d = decode("cores=0&ram=abc&mix=50,50,50&server=tornado&name=My%20App&replicas=2");
    let keys: Vec<_> = d.errors.iter().map(|e| e.field.key()).collect();
    assert_eq!(keys, ["cores", "ram", "mix", "server", "name"]);
    assert!(d.errors[0].to_string().contains("1–256 cores"), "{}", d.errors[0]);
    assert_eq!(d.errors[1].value, "abc");
    let want = Plan { replicas: 2, ..Plan::default() };
    assert_eq!(d.plan, want);
}

#[test]
fn strict_reading_fails_on_the_first_invalid_value() {
    let err = decode_strict("cores=0&ram=abc").unwrap_err();
    assert!(matches!(&err, QueryError::Field(e) if e.field == Field::Cores), "{err}");
    assert!(err.to_string().starts_with("cores: "));
}

#[test]
fn a_missing_version_means_one_and_another_is_reported() {
    assert_eq!(decode("cores=8").bad_version, None);
    let d = decode("v=2&cores=8");
    assert_eq!((d.bad_version.as_deref(), d.plan.cores), (Some("2"), 8));
    assert!(decode_strict("v=2").unwrap_err().to_string().starts_with("v: "));
}

#[test]
fn the_last_of_duplicate_keys_wins() {
    assert_eq!(decode("cores=2&cores=6").plan.cores, 6);
    let d = decode("cores=6&cores=0");
    assert_eq!((d.plan.cores, d.errors.len()), (4, 1));
    // Each unknown key once, where it last stands, however many a link holds.
    let keys: String = (0..30_000).map(|i| format!("k{}=1&", i % 20_000)).collect();
    let d = decode(&format!("{keys}cores=3&k5=x"));
    let want: Vec<String> = (10_000..20_000).chain(0..5).chain(6..10_000).chain([5]).map(|i| format!("k{i}")).collect();
    assert_eq!((d.plan.cores, d.unknown.len()), (3, 20_000));
    assert_eq!(d.unknown, want);
}

#[test]
fn links_are_read_from_their_fragment_or_query() {
    let cores = |t: &str| decode(t).plan.cores;
    assert_eq!(cores("?cores=8"), 8);
    assert_eq!(cores("#cores=8"), 8);
    assert_eq!(cores("https://host/path/?x#v=1&cores=8"), 8);
    assert_eq!(cores("https://host/path/?cores=6#results"), 6);
    assert_eq!(cores("https://host/?cores=6#cores=8"), 8);
    assert_eq!(cores("https://host/path"), 4);
    assert_eq!(cores("  https://host/#cores=8\n"), 8);
    assert!(decode("https://host/path/#results").unknown.is_empty());
}

#[test]
fn values_are_percent_decoded_and_plus_is_a_space() {
    let d = decode("name=shop%2D2&mix=20,+50,%2030&cv=%32");
    assert_eq!((d.plan.name.as_str(), d.plan.mix_pct, d.plan.cv), ("shop-2", crate::model::plan::three([20, 50, 30]), 2.0));
}

#[test]
fn odd_text_never_panics_and_reports_what_it_can() {
    for text in ["&&&", "=", "==&=", "%", "%FF=%FF", "cores=%ZZ", "#", "?#?#", "cores", "\u{0}=\u{0}"] {
        let d = decode(text);
        assert!(d.plan.validate().is_empty(), "{text}");
    }
    let huge = "cores=8&".repeat(100_000) + &"x".repeat(1_000_000);
    let d = decode(&huge);
    assert_eq!(d.plan.cores, 8);
    assert!(d.unknown[0].chars().count() <= MAX_REPORTED_KEY_CHARS + 1);
}

/// Values worth trying in any field: valid, boundary and garbage.
const VALUES: &[&str] = &[
    "", "0", "1", "2", "8", "12", "256", "257", "-1", "0.5", "1e3", "NaN", "inf", "auto", "abc",
    "small", "medium", "large", "custom", "sync", "gthread", "gevent", "async", "none", "postgres",
    "redis", "nginx", "k8s", "hosts", "generic", "django", "flask", "fastapi", "on", "off", "app", "own", "hdd", "nvme", "web", "job",
    "20,50,30", "0,0,100", "50,50,50", "1,2", "1,2,3", "0.01,0,600000", "shop", "My%20App", "%FF",
    "%", "+", "é", "4294967296",
];

/// A value that often fits the field: one of [`VALUES`] the field accepts, a number in
/// its range (sometimes with a half), or a mix summing to 100.
fn fitting_value(rng: &mut Rng, field: Field) -> String {
    let accepted: Vec<&str> = VALUES.iter().copied().filter(|v| Plan::default().set(field, v).is_ok()).collect();
    let Some((lo, hi)) = field.range() else {
        return rng.pick(&accepted).to_string();
    };
    let mut number = || {
        let span = (hi - lo).min(1000.0) as usize + 1;
        let half = if rng.below(4) == 0 { ".5" } else { "" };
        format!("{}{half}", lo.ceil() as usize + rng.below(span))
    };
    match field {
        Field::Mix => {
            let a = rng.below(101);
            let b = rng.below(101 - a);
            format!("{a},{b},{}", 100 - a - b)
        }
        Field::CpuMs | Field::WaitMs => format!("{},{},{}", number(), number(), number()),
        _ => number(),
    }
}

/// A random link: known and unknown keys with values that fit, from [`VALUES`], or
/// random bytes.
fn random_link(rng: &mut Rng) -> String {
    let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).chain(["v", "zz", ""]).collect();
    let mut out = String::from(*rng.pick(&["", "?", "#", "https://h/p?a=b#", "https://h/#x&"]));
    for _ in 0..rng.below(12) {
        let key = *rng.pick(&keys);
        let value = match (rng.below(8), Field::from_key(key)) {
            (0, _) => random_bytes(rng, 6),
            (1..=4, Some(field)) => fitting_value(rng, field),
            _ => rng.pick(VALUES).to_string(),
        };
        out.push_str(&format!("{key}={value}&"));
    }
    out
}

/// Up to `n` random bytes, read leniently as UTF-8.
fn random_bytes(rng: &mut Rng, n: usize) -> String {
    let bytes: Vec<u8> = (0..rng.below(n + 1)).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The link with a few characters replaced, inserted or removed.
fn mutate(rng: &mut Rng, link: &str) -> String {
    let mut chars: Vec<char> = link.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(chars.len() + 1);
        let c = *rng.pick(&['%', '&', '=', '#', '?', '+', ',', '0', '9', 'F', 'é', '\u{0}']);
        match rng.below(3) {
            0 if at < chars.len() => chars[at] = c,
            1 if at < chars.len() => drop(chars.remove(at)),
            _ => chars.insert(at, c),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn random_and_mutated_links_decode_to_valid_plans_that_round_trip() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut changed = 0;
    for i in 0..12_000 {
        let link = match i % 3 {
            0 => random_link(&mut rng),
            1 => {
                let link = random_link(&mut rng);
                mutate(&mut rng, &link)
            }
            _ => random_bytes(&mut rng, 40),
        };
        let d = decode(&link);
        changed += usize::from(d.plan != Plan::default());
        assert_eq!(d.plan.validate(), vec![], "{link:?}");
        let again = decode(&encode(&d.plan));
        assert_eq!(again.plan, d.plan, "{link:?} -> {}", encode(&d.plan));
        assert!(again.errors.is_empty() && again.unknown.is_empty(), "{link:?}");
        let strict_ok = d.errors.is_empty() && d.bad_version.is_none();
        assert_eq!(decode_strict(&link).is_ok(), strict_ok, "{link:?}");
    }
    // The generator must reach real plans, not only the default one.
    assert!(changed > 4_000, "only {changed} links changed the plan");
}

#[test]
fn one_to_eight_classes_with_names_and_their_own_objectives_round_trip() {
    for n in 1..=8 {
        let mut plan = Plan::default();
        let mix: Vec<String> = (0..n).map(|i| if i == 0 { (100 - 10 * (n - 1)).to_string() } else { "10".into() }).collect();
        let each = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(",");
        plan.set(Field::Mix, &mix.join(",")).unwrap();
        plan.set(Field::Classes, &each(&|i| format!("class_{i} a/b"))).unwrap();
        plan.set(Field::CpuMs, &each(&|i| format!("{}.5", i + 1))).unwrap();
        plan.set(Field::WaitMs, &each(&|i| format!("{}", 10 * i))).unwrap();
        plan.set(Field::P95, &each(&|i| format!("{}", 100 + i))).unwrap();
        plan.set(Field::Cv, &each(&|i| format!("0.{}", i + 1))).unwrap();
        let link = encode(&plan);
        assert_eq!(decode_strict(&link), Ok(plan.clone()), "{link}");
        assert_eq!(plan.classes().len(), n);
    }
}
