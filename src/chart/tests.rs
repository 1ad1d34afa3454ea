//! The charts against the model, their SVG as XML, and every chart of every extreme
//! plan (each range's minimum and maximum, every choice) free of NaN and infinity.

use super::figure::{Colour, Shape};
use super::{connections, latency, memory, throughput, workers, Chart, Figure};
use crate::model::field::Field;
use crate::model::{capacity, curves, Plan, Server, Switch, Tier};

/// Each chart of the page: its name, the chart, the figure, the memo key.
type Charts = [(&'static str, fn(&Plan) -> Chart, fn(&Plan) -> Figure, fn(&Plan) -> Plan); 5];

const CHARTS: Charts = [
    ("throughput", throughput::chart, throughput::figure, throughput::inputs),
    ("latency", latency::chart, latency::figure, latency::inputs),
    ("memory", memory::chart, memory::figure, memory::inputs),
    ("connections", connections::chart, connections::figure, connections::inputs),
    ("workers", workers::chart, workers::figure, workers::inputs),
];

/// XML well-formedness, as much as an SVG from plotters needs: tags nest and close,
/// attributes are quoted and unique, `<` and `&` only start tags and entities.
fn well_formed(xml: &str) -> Result<(), String> {
    fn text(t: &str) -> Result<(), String> {
        let mut rest = t;
        while let Some(i) = rest.find('&') {
            let end = rest[i..].find(';').ok_or(format!("bare & in {t:?}"))?;
            let entity = &rest[i + 1..i + end];
            let numeric = entity.strip_prefix('#').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if !numeric && !["lt", "gt", "amp", "quot", "apos"].contains(&entity) {
                return Err(format!("unknown entity &{entity};"));
            }
            rest = &rest[i + end..];
        }
        if t.contains('<') { Err(format!("< in {t:?}")) } else { Ok(()) }
    }
    let mut open: Vec<&str> = vec![];
    let mut rest = xml.trim_start();
    while let Some(i) = rest.find('<') {
        text(&rest[..i])?;
        let end = i + rest[i..].find('>').ok_or("a tag is not closed")?;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name.trim()) {
                return Err(format!("</{name}> closes nothing open"));
            }
            continue;
        }
        let (body, closed) = tag.strip_suffix('/').map_or((tag, false), |b| (b, true));
        let name = body.split_whitespace().next().ok_or("a tag without a name")?;
        let mut attrs = &body[name.len()..];
        let mut seen = vec![];
        while !attrs.trim().is_empty() {
            let (key, value) = attrs.split_once("=\"").ok_or(format!("unquoted attribute in <{tag}>"))?;
            let close = value.find('"').ok_or(format!("attribute not closed in <{tag}>"))?;
            text(&value[..close])?;
            let key = key.trim();
            if seen.contains(&key) {
                return Err(format!("attribute {key} twice in <{tag}>"));
            }
            seen.push(key);
            attrs = &value[close + 1..];
        }
        if !closed {
            open.push(name);
        }
    }
    text(rest)?;
    if open.is_empty() { Ok(()) } else { Err(format!("not closed: {open:?}")) }
}

#[track_caller]
fn assert_svg(svg: &str, what: &str) {
    assert!(svg.starts_with("<svg") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{what}: not a standalone SVG");
    if let Err(e) = well_formed(svg) {
        panic!("{what}: {e}");
    }
    for bad in ["NaN", "inf", "var("] {
        assert!(!svg.contains(bad), "{what}: {bad} in the SVG");
    }
}

#[track_caller]
fn assert_contains(haystack: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(haystack.contains(n), "{what}: {n:?} missing");
    }
}

fn legend(f: &Figure) -> Vec<&str> {
    f.marks.iter().filter_map(|m| m.legend.as_deref()).collect()
}

/// The polyline points of the mark whose legend starts with `name`.
fn line<'f>(f: &'f Figure, name: &str) -> &'f [(f64, f64)] {
    match f.mark(name).map(|m| &m.shape) {
        Some(Shape::Line { points, .. } | Shape::Dots { points, .. }) => points,
        other => panic!("{name}: {other:?}"),
    }
}

fn bars<'f>(f: &'f Figure, name: &str) -> &'f [[f64; 4]] {
    match f.mark(name).map(|m| &m.shape) {
        Some(Shape::Bars(b)) => b,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn well_formed_rejects_what_a_browser_would() {
    assert_eq!(well_formed("<svg a=\"1\"><text>a &amp; b</text><line/></svg>"), Ok(()));
    for bad in ["<svg><text></svg>", "<svg a=\"1\" a=\"2\"/>", "<svg>a & b</svg>", "<svg a=1/>", "<svg>"] {
        assert!(well_formed(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_chart_of_the_default_plan_is_a_standalone_svg_with_titles_units_legend_and_the_plan() {
    let plan = Plan::default();
    let expected: [(&str, &[&str]); 4] = [
        ("throughput", &["Throughput against CPU cores", "CPU cores per node", "requests per second (r/s)", "capacity at the 70 % target", "saturation: every slot busy", "linear from 1 core", "FastAPI guide", "tiers (Small 2, Medium 4, Large 8 cores", "this plan: 4 cores → 988 r/s"]),
        ("latency", &["Latency against request rate", "request rate of the fleet (r/s)", "response time (ms)", ">p50<", ">p95<", ">p99<", "p95 objective 200 ms", "capacity (70 % target) 988 r/s"]),
        ("memory", &["Memory budget of one node", "memory of one node (GiB)", "OS reserve 0.4 GiB", "Redis 0.5 GiB", "nginx 0.06 GiB", "app processes (150 MiB each)", "80 % target 6.4 GiB", "RAM 8 GiB", "recommended: 8 processes × 150 MiB"]),
        ("connections", &["Database connection budget", "database connections", "pools", "overflow", "PostgreSQL: max_connections 200 − 3 reserved", "fleet: 1 node × 8 processes × (10 + 10) = 160"]),
    ];
    for ((name, chart, _, _), (what, needles)) in CHARTS.iter().zip(expected) {
        assert_eq!(*name, what);
        let c = chart(&plan);
        let svg = c.svg();
        assert_svg(&svg, name);
        assert_contains(&svg, needles, name);
        assert!(!c.summary.is_empty() && svg.contains(&format!(">{}</text>", c.title)), "{name}");
        // Reference lines are dashed.
        assert!(svg.contains("stroke-dasharray=\"6 4\""), "{name}");
    }
}

#[test]
fn the_summaries_say_the_key_numbers() {
    let plan = Plan { target_rps: 600.0, ..Plan::default() };
    assert_contains(&throughput::chart(&plan).summary, &["255 r/s at 1 core", "at 64 cores", "The plan (4 cores) sustains 988 r/s, limited by the CPU"], "throughput");
    assert_contains(&latency::chart(&plan).summary, &["capacity of 988 r/s", "p95 objective of 200 ms", "The target rate of 600 r/s: p95"], "latency");
    assert_contains(&memory::chart(&plan).summary, &["8 GiB of RAM", "8 processes × 150 MiB = 1.17 GiB", "under the 80 % target of 6.4 GiB"], "memory");
    assert_contains(&connections::chart(&plan).summary, &["160 connections (1 node × 8 processes × (10 pool + 10 overflow))", "within PostgreSQL's limit of 197"], "connections");
}

#[test]
fn throughput_is_the_capacity_model_with_only_the_cores_changed() {
    let plan = Plan { cores: 6, tier: Tier::Custom, ..Plan::default() };
    let f = throughput::figure(&plan);
    let curve = line(&f, "capacity at the 70 % target");
    assert_eq!(curve.iter().map(|p| p.0 as u32).collect::<Vec<_>>(), vec![1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64]);
    for &(cores, rps) in curve {
        assert_eq!(rps, capacity::capacity(&Plan { cores: cores as u32, ..plan.clone() }).rps, "{cores} cores");
    }
    assert_eq!(line(&f, "this plan"), &[(6.0, capacity::capacity(&plan).rps)]);
    let tiers: Vec<(f64, f64)> = capacity::tiers(&plan).iter().map(|t| (t.cores as f64, t.rps)).collect();
    assert_eq!(line(&f, "FastAPI guide's tiers"), tiers.as_slice());
    let between = Plan { cores: 5, ..plan.clone() };
    let f = throughput::figure(&between);
    assert!(line(&f, "capacity at the 70 % target").contains(&(5.0, capacity::capacity(&between).rps)), "the line passes through the plan");
    // The linear reference is the 1-core capacity times the cores: the gap is the USL's.
    let one = curve[0].1;
    assert_eq!(line(&f, "linear from 1 core")[1], (64.0, one * 64.0));
}

#[test]
fn latency_draws_the_models_percentiles_the_objective_and_the_target() {
    let plan = Plan { target_rps: 600.0, p95_objective_ms: 150.0, ..Plan::default() };
    let f = latency::figure(&plan);
    let model = curves::latency(&plan);
    let p95: Vec<(f64, f64)> = model.points.iter().map(|p| (p.rps, p.p95_ms)).collect();
    assert_eq!(line(&f, "p95"), p95.as_slice());
    assert!(p95[0].0 < 0.02 * model.max_rps && p95.last().unwrap().0 > 0.95 * model.max_rps);
    assert!(line(&f, "p95 objective 150 ms").iter().all(|p| p.1 == 150.0));
    assert!(line(&f, "target 600 r/s").iter().all(|p| p.0 == 600.0));
    assert!(latency::figure(&Plan::default()).mark("target").is_none(), "no target, no line");
    // Each class's p95 from the model, dashed, named at its end; the words give them near capacity.
    let first: Vec<(f64, f64)> = model.points.iter().zip(&model.classes[0].1).map(|(p, &y)| (p.rps, y)).collect();
    assert_eq!(line(&f, "p95 per class (dashed)"), first.as_slice());
    let labels: Vec<&str> = f.marks.iter().filter_map(|m| match &m.shape { Shape::Labels(l) => Some(l[0].2.as_str()), _ => None }).collect();
    assert_eq!(labels, ["CPU-bound", "I/O-bound", "mixed"]);
    let words = latency::chart(&plan).summary;
    let i = model.points.iter().rposition(|p| p.rps <= model.capacity_rps).expect("a point below capacity");
    let each = |k: usize| format!("{} {} ms", model.classes[k].0, crate::chart::format::num(model.classes[k].1[i]));
    assert!(words.contains(&format!("Each class's p95 there: {}, {}, {}.", each(0), each(1), each(2))), "{words}");
    // One class: no per-class lines.
    let one = Plan { mix_pct: [0, 100, 0, 0, 0, 0, 0, 0], ..plan };
    assert!(latency::figure(&one).mark("p95 per class (dashed)").is_none());
}

#[test]
fn memory_draws_the_budget_against_eighty_percent_of_ram() {
    let f = memory::figure(&Plan::default()); // 8 GiB
    assert!(line(&f, "80 % target").iter().all(|p| p.0 == 6.4), "{:?}", line(&f, "80 % target"));
    assert!(line(&f, "RAM").iter().all(|p| p.0 == 8.0));
    // OS 409.6 + Redis 512 + nginx 64 MiB, then 8 processes × 150 MiB.
    let workers = bars(&f, "app processes")[0];
    assert_eq!((workers[0] * 1024.0, workers[2] * 1024.0), (985.6, 985.6 + 1200.0));
    assert_eq!(bars(&f, "OS reserve")[0][2] * 1024.0, 409.6);
    // A cap: a second bar with the CPU rule's processes, over the line.
    let capped = Plan { cores: 64, ..Plan::default() };
    let f = memory::figure(&capped);
    let w = bars(&f, "app processes");
    assert_eq!(w.len(), 2);
    assert!(w[0][2] <= 6.4 && w[1][2] > 6.4, "{w:?}");
}

#[test]
fn connections_draw_the_fleet_formula_against_max_connections_and_pgbouncer() {
    let plan = Plan { replicas: 3, ..Plan::default() }; // 3 × 8 × (10 + 10)
    let f = connections::figure(&plan);
    assert_eq!(bars(&f, "pools")[0][2], 240.0);
    assert_eq!(bars(&f, "overflow")[0][2], 480.0);
    assert!(line(&f, "PostgreSQL").iter().all(|p| p.0 == 197.0));
    assert!(f.mark("PgBouncer").is_none());
    let on = Plan { pgbouncer: Switch::On, server: Server::Sync, ..plan }; // 3 × 9 × (1 + 2)
    let f = connections::figure(&on);
    assert_eq!(bars(&f, "overflow")[0][2], 81.0);
    assert_eq!(bars(&f, "PgBouncer → PostgreSQL")[0][2], 25.0);
    assert!(line(&f, "PgBouncer max_client_conn 100").iter().all(|p| p.0 == 100.0));
}

#[test]
fn without_a_database_the_connection_chart_says_so_and_draws_nothing() {
    let plan = Plan { db: crate::model::Database::None, ..Plan::default() };
    let f = connections::figure(&plan);
    assert!(f.marks.is_empty() && legend(&f).is_empty());
    let c = connections::chart(&plan);
    assert_svg(&c.svg(), "no database");
    assert_contains(&c.svg(), &[connections::NO_DATABASE, "database connections"], "no database");
    assert!(c.summary.contains("no database"));
}

/// The default plan with one field at `text`.
fn with(field: Field, text: &str) -> Plan {
    let mut p = Plan::default();
    p.set(field, text).unwrap_or_else(|e| panic!("{field:?} = {text}: {e}"));
    p
}

/// Every range's minimum and maximum, one field at a time, every choice of every
/// select, and the smallest and largest plan of all.
fn extreme_plans() -> Vec<(String, Plan)> {
    let mut plans = vec![];
    for &f in Field::ALL {
        if let Some(options) = f.options() {
            plans.extend(options.iter().map(|(key, _)| (format!("{f:?}={key}"), with(f, key))));
            continue;
        }
        let Some((lo, hi)) = f.range() else { continue };
        let texts = match f {
            Field::Mix => vec!["100,0,0".to_string(), "0,100,0".to_string(), "0,0,100".to_string()],
            Field::CpuMs | Field::WaitMs => vec![format!("{lo},{lo},{lo}"), format!("{hi},{hi},{hi}")],
            // at most the default hold time (4 ms); "every maximum" raises both
            Field::DbCpu => vec![lo.to_string(), "4".to_string()],
            // at most the default replicas less one
            Field::Spare => vec![lo.to_string()],
            _ => vec![lo.to_string(), hi.to_string()],
        };
        plans.extend(texts.into_iter().map(|t| (format!("{f:?}={t}"), with(f, &t))));
    }
    let all = |pick: fn((f64, f64)) -> f64| {
        let mut p = Plan::default();
        for &f in Field::ALL {
            match (f, f.range()) {
                (Field::Mix, _) | (_, None) => {}
                (Field::CpuMs | Field::WaitMs, Some(r)) => p.set(f, &vec![pick(r).to_string(); 3].join(",")).unwrap(),
                (_, Some(r)) => p.set(f, &pick(r).to_string()).unwrap(),
            }
        }
        p
    };
    plans.push(("every minimum".to_string(), all(|r| r.0)));
    plans.push(("every maximum".to_string(), all(|r| r.1)));
    plans
}

#[test]
fn no_extreme_plan_puts_nan_or_infinity_in_a_chart_and_each_memo_key_is_exact() {
    for (what, plan) in extreme_plans() {
        for (name, chart, _, inputs) in CHARTS {
            let c = chart(&plan);
            assert_svg(&c.svg(), &format!("{name}, {what}"));
            assert!(!c.summary.contains("NaN") && !c.summary.contains("inf") && !c.summary.contains('—'), "{name}, {what}: {}", c.summary);
            // The memo key keeps every input the chart reads: drawn from it, the chart is the same.
            assert_eq!(chart(&inputs(&plan)), c, "{name}, {what}: the key drops an input the chart reads");
        }
        let curve = curves::core_curve(&plan);
        assert_eq!(curves::core_curve(&throughput::curve_inputs(&plan)), curve, "{what}: the curve's key drops an input");
        // The page draws from the curve's memo and the outcome it has already solved.
        let o = crate::model::outcome(&plan);
        assert_eq!(throughput::chart_beside(&curve, &plan, &o.eval, &o.tiers), throughput::chart(&plan), "{what}");
        assert_eq!(latency::chart_beside(&plan, &o.eval), latency::chart(&plan), "{what}");
    }
}

#[test]
fn an_input_a_chart_does_not_read_leaves_its_key_unchanged() {
    let base = Plan::default();
    let unread = [
        ("throughput", Field::Rps, "500"),
        ("throughput", Field::P95, "50"),
        ("latency", Field::Name, "other"),
        ("memory", Field::Replicas, "5"),
        ("memory", Field::CpuMs, "9,9,9"),
        ("connections", Field::P95, "50"),
        ("connections", Field::Cv, "2"),
        ("workers", Field::Rps, "500"),
    ];
    for (name, field, text) in unread {
        let inputs = CHARTS.iter().find(|c| c.0 == name).unwrap().3;
        assert_eq!(inputs(&with(field, text)), inputs(&base), "{name} reads {field:?}");
    }
    for (name, _, _, inputs) in CHARTS {
        assert_ne!(inputs(&with(Field::Cores, "6")), inputs(&base), "{name} ignores the cores");
    }
    assert_eq!(throughput::curve_inputs(&with(Field::Cores, "6")), throughput::curve_inputs(&base), "the curve is the same for 6 cores");
    assert_ne!(throughput::curve_inputs(&with(Field::Cores, "100")), throughput::curve_inputs(&base), "but longer for 100");
}

#[test]
fn the_stylesheet_maps_every_chart_colour_to_its_property_in_both_themes() {
    let css = include_str!("../../styles/main.css");
    for c in Colour::ALL {
        let (hex, var) = (c.hex(), c.var());
        assert_contains(css, &[&format!("[fill=\"{hex}\"] {{ fill: var({var}); }}"), &format!("[stroke=\"{hex}\"] {{ stroke: var({var}); }}")], var);
        assert_eq!(css.matches(&format!("{var}: ")).count(), 4, "{var}: light, [data-theme=dark], prefers-color-scheme dark, print");
    }
    let hexes: Vec<&str> = Colour::ALL.iter().map(|c| c.hex()).collect();
    assert!(hexes.iter().enumerate().all(|(i, h)| !hexes[..i].contains(h)), "two colours share {hexes:?}");
}
