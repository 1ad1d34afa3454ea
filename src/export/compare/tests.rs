//! "Compare plans": the table's values and directions, the answer to each action, and
//! what a bad plan or a plan too many gives.

use super::markup::answer;
use super::*;
use crate::model::query::encode;
use crate::share::compare;

fn plan(sets: &[(Field, &str)]) -> Plan {
    Plan::from_sets(sets)
}

/// The answer to `action` with `pinned` pinned and `current` on the form.
#[track_caller]
fn ask(current: &Plan, action: &str, pinned: &[&Plan]) -> (Vec<String>, String) {
    let queries: Vec<String> = pinned.iter().map(|p| encode(p)).collect();
    let (kept, markup) = answer(&format!("compare\n{}\n{action}\n{}", encode(current), compare::encode(&queries)));
    (compare::decode(&kept), markup)
}

/// The row named `name` (its start).
#[track_caller]
fn row<'a>(rows: &'a [Row], name: &str) -> &'a Row {
    rows.iter().find(|r| r.name.starts_with(name)).unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn more_cores_is_more_capacity_and_says_better() {
    let a = plan(&[(Field::Cores, "2"), (Field::Server, "sync")]);
    let b = plan(&[(Field::Cores, "8"), (Field::Server, "sync")]);
    let rows = results(&[a.clone(), b.clone()]);
    let cap = row(&rows, "Capacity");
    let (x, y) = (cap.cells[0].value.unwrap(), cap.cells[1].value.unwrap());
    assert!(y > x, "{x} → {y}");
    let (w, change) = cap.change(1);
    assert_eq!(w, Way::Better);
    assert_eq!(change, format!("+{} r/s, +{} %", whole(y - x), whole((y - x) / x * 100.0)));
    // The other way round it is worse, by the same amount.
    let back = results(&[b, a]);
    let (w, change) = row(&back, "Capacity").change(1);
    assert_eq!(w, Way::Worse);
    // A fall is written with the minus sign, the percentage of the first plan's.
    assert_eq!(change, format!("−{} r/s, −{} %", whole(y - x), whole((y - x) / y * 100.0)));
    // More nodes cost more: lower is better for the cost.
    let c = plan(&[(Field::Cores, "2"), (Field::Server, "sync"), (Field::Replicas, "3")]);
    let cost = results(&[plan(&[(Field::Cores, "2"), (Field::Server, "sync")]), c]);
    assert_eq!(row(&cost, "App nodes' cost").change(1).0, Way::Worse);
}

#[test]
fn way_reads_each_direction() {
    assert_eq!(way(1.0, 2.0, Better::Higher), Way::Better);
    assert_eq!(way(1.0, 2.0, Better::Lower), Way::Worse);
    assert_eq!(way(2.0, 2.0, Better::Lower), Way::Same);
    assert_eq!(way(1.0, 2.0, Better::Neither), Way::Changed);
    assert_eq!(way(f64::NAN, 2.0, Better::Higher), Way::Changed);
}

#[test]
fn the_table_names_the_inputs_that_differ_with_their_units_and_every_result_that_does() {
    let a = plan(&[(Field::Cores, "4")]);
    let b = plan(&[(Field::Cores, "8")]);
    let (kept, m) = ask(&b, "show", &[&a, &b]);
    assert_eq!(kept.len(), 2);
    assert!(m.contains("<th scope=\"row\">CPU cores <code>cores</code></th><td>4 cores</td><td>8 cores <span class=\"way\" data-way=\"changed\">(changed)</span></td>"), "{m}");
    assert!(m.contains("<caption"), "{m}");
    assert!(m.contains("Capacity at the 70 % target (r/s)</th>"), "{m}");
    assert!(m.contains(": better)</span>"), "{m}");
    // The bottleneck in words, its change without a direction.
    let rows = all_results(&[plan(&[(Field::Cores, "4")]), plan(&[(Field::Cores, "8"), (Field::Server, "sync")])]);
    let neck = row(&rows, "Bottleneck");
    assert_eq!((neck.cells[0].text.as_str(), neck.cells[1].text.as_str(), neck.change(1).0), ("CPU", "worker slots", Way::Changed));
    // The charts: one legend entry per plan, each with its text alternative.
    assert!(m.contains("aria-label=\"Throughput against CPU cores, plans overlaid\"") && m.contains("aria-label=\"Latency (p95) against request rate, plans overlaid\""), "{m}");
    for chart in [charts::throughput(&[("A", a.clone()), ("B", b.clone())]), charts::latency(&[("A", a.clone()), ("B", b.clone())])] {
        let svg = chart.svg();
        assert_eq!((svg.matches(">plan A: ").count(), svg.matches(">plan B: ").count()), (1, 1), "{}", chart.title);
        assert!(chart.summary.contains("plan A ") && chart.summary.contains("plan B "), "{}", chart.summary);
    }
    // A file that differs, as a unified diff from A to B.
    assert!(m.contains("<h3>Files, A → B</h3><details class=\"component diff\"><summary>"), "{m}");
    assert!(m.contains("--- a/") && m.contains("+++ b/"), "{m}");
}

#[test]
fn identical_plans_say_so() {
    let a = plan(&[(Field::Cores, "6")]);
    let (_, m) = ask(&a, "show", &[&a, &a]);
    assert!(m.contains("The plans are the same: no input differs."), "{m}");
    assert!(!m.contains("<table"), "{m}");
    assert!(results(&[a.clone(), a]).is_empty());
}

#[test]
fn pin_remove_and_clear_keep_up_to_four_plans() {
    let plans: Vec<Plan> = (1..=5).map(|c| plan(&[(Field::Cores, &c.to_string())])).collect();
    let (kept, m) = ask(&plans[0], "pin", &[]);
    assert_eq!(kept, vec![encode(&plans[0])]);
    assert!(m.contains("pinned as A") && m.contains(">Pin this plan as B</button>") && m.contains("Pin two plans or more"), "{m}");
    let (kept, m) = ask(&plans[3], "pin", &[&plans[0], &plans[1], &plans[2]]);
    assert_eq!(kept.len(), 4);
    assert!(!m.contains("Pin this plan as") && m.contains("<th scope=\"col\">Plan D</th>") && m.contains("<h3>Files, A → D</h3>"), "{m}");
    let (kept, m) = ask(&plans[4], "pin", &[&plans[0], &plans[1], &plans[2], &plans[3]]);
    assert_eq!(kept.len(), 4);
    assert!(m.contains("4 plans are pinned: unpin one to pin another."), "{m}");
    let (kept, m) = ask(&plans[4], "remove 1", &[&plans[0], &plans[1], &plans[2]]);
    assert_eq!(kept, vec![encode(&plans[0]), encode(&plans[2])]);
    assert!(m.contains("Plan B is unpinned"), "{m}");
    assert_eq!(ask(&plans[4], "remove 7", &[&plans[0]]).0.len(), 1);
    assert_eq!(ask(&plans[4], "clear", &[&plans[0], &plans[1]]).0, Vec::<String>::new());
}

#[test]
fn a_link_with_more_than_four_plans_compares_the_first_four() {
    let queries: Vec<String> = (1..=6).map(|c| format!("v=1&cores={c}")).collect();
    let (kept, m) = answer(&format!("compare\nv=1\nshow\n{}", compare::encode(&queries)));
    assert_eq!(compare::decode(&kept), queries[..4].to_vec());
    assert!(m.contains("The link holds 6 plans; the first 4 are compared."), "{m}");
    // The panel given more than four (answer never keeps them) shows four.
    let m = markup::panel(&queries, "", "");
    assert_eq!((m.matches("<li>").count(), m.contains("Pin this plan")), (4, false), "{m}");
}

#[test]
fn a_plan_that_cannot_be_read_is_named_never_a_panic() {
    let queries = ["v=1&cores=4".to_string(), "v=1&cores=0".to_string(), "v=1&cores=8".to_string()];
    let (_, m) = answer(&format!("compare\nv=1\nshow\n{}", compare::encode(&queries)));
    assert!(m.contains("role=\"alert\">Plan B cannot be read: cores"), "{m}");
    // A and C are still compared.
    assert!(m.contains("<th scope=\"col\">Plan C</th>") && !m.contains("<th scope=\"col\">Plan B</th>"), "{m}");
    for request in ["", "compare", "compare\n\n\n", "compare\nv=1&cores=x\npin\n", "compare\nv=1\nremove -1\n%ZZ%0A%0A", "compare\nv=1\nshow\n<b>%0Av=2"] {
        let (_, m) = answer(request);
        assert!(!m.contains("<b>"), "escaped: {m}");
    }
}

#[test]
fn the_cli_changes_are_the_inputs_of_two_plans() {
    let a = plan(&[(Field::Cores, "4"), (Field::Server, "sync")]);
    let b = plan(&[(Field::Cores, "8"), (Field::Server, "sync"), (Field::Name, "b")]);
    let c: Vec<(&str, String, String)> = changes(&a, &b).into_iter().map(|c| (c.key, c.from, c.to)).collect();
    let want = [("name", "app", "b"), ("tier", "medium", "custom"), ("cores", "4", "8")];
    assert_eq!(c, want.map(|(k, f, t)| (k, f.to_string(), t.to_string())));
}

#[test]
fn per_class_latency_rows_appear_for_plans_with_classes() {
    let a = plan(&[(Field::Mix, "60,40"), (Field::Classes, "search,checkout"), (Field::CpuMs, "5,20"), (Field::WaitMs, "10,10"), (Field::Rps, "100")]);
    let mut b = a.clone();
    b.set(Field::Cores, "8").unwrap();
    let rows = results(&[a, b]);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"p95 of class search (ms)") && names.contains(&"p99 of class checkout (ms)"), "{names:?}");
    assert_eq!(row(&rows, "p95 of class checkout").change(1).0, Way::Better, "{names:?}");
}

#[test]
fn memory_connections_and_the_verdict_are_the_reports() {
    use crate::model::report::report;
    let a = plan(&[(Field::Cores, "4"), (Field::Rps, "3000")]);
    let b = plan(&[(Field::Cores, "4"), (Field::Replicas, "4"), (Field::Pgbouncer, "on"), (Field::Rps, "3000")]);
    let rows = all_results(&[a.clone(), b.clone()]);
    for (i, p) in [a, b].iter().enumerate() {
        let r = report(p);
        let m = &r.memory;
        let used = m.os_mib + m.database_mib + m.cache_mib + m.proxy_mib + m.workers_mib;
        assert_eq!(row(&rows, "Memory in use per node").cells[i].text, format!("{} MiB", whole(used)));
        let connections = r.db.as_ref().map(|d| d.fleet_connections).unwrap();
        assert_eq!(row(&rows, "Database connections").cells[i].text, format!("{} connections", whole(connections as f64)));
        assert_eq!(row(&rows, "Verdict").cells[i].text, r.verdict.fit.replace('-', " "));
        assert_eq!(row(&rows, "App nodes' cost").cells[i].text, format!("{} USD", whole(crate::model::cost::monthly_usd(p))));
    }
    // Over capacity on one node, not on four: the verdict is better, and the p95 that now
    // exists is better than none.
    let verdict = row(&rows, "Verdict");
    assert_eq!((verdict.cells[0].text.as_str(), verdict.change(1).0), ("over capacity", Way::Better), "{:?}", verdict.cells);
    let p95 = row(&rows, "p95 at the target rate");
    assert_eq!((p95.cells[0].text.as_str(), p95.change(1).0), ("over capacity", Way::Better));
    // Without a database: no connections, said in words.
    let none = all_results(&[plan(&[(Field::Db, "none")]), plan(&[(Field::Db, "none"), (Field::Cores, "8")])]);
    assert_eq!(row(&none, "Database connections").cells[0].text, "no database");
}

#[test]
fn the_charts_words_give_each_plans_capacity() {
    use crate::model::capacity::capacity;
    let (a, b) = (plan(&[(Field::Cores, "4")]), plan(&[(Field::Cores, "8")]));
    let chart = charts::throughput(&[("A", a.clone()), ("B", b.clone())]);
    for (letter, p) in [("A", &a), ("B", &b)] {
        let want = format!("plan {letter} {} r/s at its {} cores", whole(capacity(p).rps), p.cores);
        assert!(chart.summary.contains(&want), "{want}: {}", chart.summary);
    }
    let l = charts::latency(&[("A", a.clone()), ("B", b)]);
    assert!(l.summary.contains(&format!("near its capacity of {} r/s", whole(capacity(&a).rps))), "{}", l.summary);
}
