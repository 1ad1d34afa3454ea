//! The page rendered natively (Yew's server renderer): what a person first sees.
#![cfg(not(target_arch = "wasm32"))]

use planner::ui::App;

async fn page() -> String {
    yew::ServerRenderer::<App>::new().render().await
}

#[tokio::test]
async fn the_first_page_shows_every_input_the_recommendation_its_rule_the_chart_and_offers_the_files() {
    let html = page().await;
    for key in ["cores", "ram", "worker_mem", "server", "pg_version", "server_name", "lb_cidr", "cache_paths", "app_cidr"] {
        assert!(html.contains(&format!("id=\"f-{key}\"")), "input {key} missing");
    }
    // A retired field (nothing reads it; old links still decode it) is not on the form.
    assert!(!html.contains("id=\"f-workload\""));
    // Default plan: Medium tier, async, WORKERS_PER_CORE 2 → 8 processes.
    assert!(html.contains("4 cores × WORKERS_PER_CORE 2 for this mix (FastAPI guide)"), "rule missing");
    // Guides are named by title, never by their file number.
    assert!(html.contains("The FastAPI guide&#x27;s Small") || html.contains("The FastAPI guide's Small"), "tier table caption");
    assert!(!html.contains("guide 00") && !html.contains("(003)") && !html.contains("004's"), "a guide by number");
    assert!(html.contains("<span class=\"number\">8</span>"), "worker count missing");
    assert!(html.contains("<svg") && html.contains("processes per node"), "chart missing");
    // The files come from their worker when the panel opens (tests/e2e/app.test.mjs).
    assert!(html.contains("id=\"show-files\"") && !html.contains("workers = 8"), "the files' button missing");
}

#[tokio::test]
async fn every_field_has_its_help_under_its_label_describing_its_control() {
    use planner::model::Field;
    let html = page().await;
    for &f in Field::ALL.iter().filter(|f| !f.retired()) {
        let key = f.key();
        let help = format!("<p id=\"h-{key}\" class=\"help\">");
        let at = html.find(&help).unwrap_or_else(|| panic!("help of {key} missing"));
        // The per-class fields are the columns of the classes' table: their cells have labels.
        let per_class = [Field::Classes, Field::Mix, Field::CpuMs, Field::WaitMs].contains(&f);
        assert!(per_class || html[..at].rfind("<label").is_some_and(|l| html[l..at].contains(&format!("for=\"f-{key}\""))), "{key}: the help follows its label");
        assert!(html.contains(&format!("aria-describedby=\"h-{key} e-{key}\"")), "{key}: its control is described by the help and the message");
        let text = text_of(&html, &format!("h-{key}"));
        assert_eq!(text, f.help(), "{key}");
    }
}

#[tokio::test]
async fn every_input_has_a_label() {
    let html = page().await;
    let controls: Vec<&str> = html.split('<').filter(|t| t.starts_with("input") || t.starts_with("select")).collect();
    assert!(controls.len() >= 20);
    for control in controls {
        let id = control.split("id=\"").nth(1).and_then(|rest| rest.split('"').next());
        let label = control.contains("aria-label=\"") || id.is_some_and(|id| html.contains(&format!("for=\"{id}\"")));
        assert!(label, "no label: <{control}");
    }
}

/// The text inside the element with `id`, tags removed (the first closing tag of the
/// same name ends it, enough for these leaf-ish elements).
fn text_of(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} missing"));
    let tag_start = html[..start].rfind('<').unwrap();
    let tag: String = html[tag_start + 1..].chars().take_while(|c| c.is_alphanumeric()).collect();
    let end = start + html[start..].find(&format!("</{tag}>")).unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    // Without the comments Yew's server rendering puts around raw markup.
    let mut body = html[start..end].to_string();
    while let (Some(a), Some(b)) = (body.find("<!--"), body.find("-->")) {
        if b < a {
            break;
        }
        body.replace_range(a..b + 3, "");
    }
    for c in body.chars().skip_while(|&c| c != '>').skip(1) {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_summary_shows_the_models_capacity_latency_bottleneck_verdict_and_the_tiers() {
    use planner::model::figure::whole;
    use planner::model::{outcome, Plan};
    let html = page().await;
    let o = outcome(&Plan::default());
    let capacity = text_of(&html, "v-capacity");
    assert!(capacity.contains(&format!("{} r/s", whole(o.eval.capacity.rps))), "{capacity}");
    assert!(capacity.contains("CPU at 70 % busy (link-server guide)"), "{capacity}");
    let p95 = text_of(&html, "v-p95");
    assert!(p95.contains(&format!("{} ms", whole(o.eval.latency.p95_ms))) && p95.contains("objective 200 ms"), "{p95}");
    assert!(text_of(&html, "v-bottleneck").starts_with("BottleneckCPU"), "{}", text_of(&html, "v-bottleneck"));
    let pool = text_of(&html, "v-pool");
    assert!(pool.contains("10 + 10 connections") && pool.contains("the fleet opens 160 of PostgreSQL's 197"), "{pool}");
    let verdict = text_of(&html, "v-verdict");
    assert!(verdict.starts_with("No target rate set.") && verdict.contains("set a target rate"), "{verdict}");
    assert!(capacity.contains(&format!("{} r/s with every slot busy", whole(o.eval.capacity.max_rps))), "{capacity}");
    let l = &o.eval.latency;
    assert!(p95.contains(&format!("p50 {} ms, p99 {} ms", whole(l.p50_ms), whole(l.p99_ms))), "{p95}");
    // Every resource's 70 % rate, as the summary writes them (its own test checks each
    // figure against the capacity).
    let bottleneck = text_of(&html, "v-bottleneck");
    let limits = planner::model::summary::values(&Plan::default(), &o).into_iter().find(|v| v.id == "v-bottleneck").expect("a bottleneck").why;
    assert!(bottleneck.ends_with(&limits), "{bottleneck}");
    let database = text_of(&html, "v-database");
    let busy = whole(100.0 * l.db_utilisation.max(l.db_cpu_utilisation));
    assert!(database.starts_with(&format!("Database{busy} % busy")), "{database}");
    let why = format!("database host CPU {} % of 4 cores at {} r/s", whole(100.0 * l.db_cpu_utilisation), whole(l.rate_rps));
    assert!(database.contains("(pool of the fleet: 197 server connections)") && database.ends_with(&why), "{database}");
    assert!(text_of(&html, "v-per-process").contains(&format!("{} slots per node", whole(o.eval.node.slots as f64))));
    // Every cell of every tier row, in the table's column order.
    for t in &o.tiers {
        let row = text_of(&html, &format!("tier-{}", t.name));
        let cells = format!("{}{}{}{}{}{}CPU", t.cores, t.processes, whole(t.rps), whole(t.p50_ms), whole(t.p95_ms), whole(t.users));
        assert!(row.ends_with(&cells), "{row} should end with {cells}");
    }
    let plan = text_of(&html, "tier-plan");
    assert!(plan.starts_with("This plan48") && plan.contains(&whole(o.plan_row.rps)), "{plan}");
}

#[tokio::test]
async fn the_result_bar_shows_the_verdicts_fit_and_the_summarys_figures() {
    use planner::model::figure::whole;
    use planner::model::{outcome, Plan};
    let html = page().await;
    let o = outcome(&Plan::default());
    let bar = text_of(&html, "result-bar");
    let (c, l) = (&o.eval.capacity, &o.eval.latency);
    let want = format!("No target rate set8 processes{} r/sp95 {} msCPUFull result", whole(c.rps), whole(l.p95_ms));
    assert_eq!(bar, want);
    assert_eq!(text_of(&html, "bar-capacity"), format!("{} r/s", whole(c.rps)));
    // First in the page, before the header: a screen reader meets the answer first.
    assert!(html.find("id=\"result-bar\"") < html.find("<header"));
}

#[tokio::test]
async fn the_first_page_shows_the_four_charts_each_with_its_numbers_in_words_and_a_download() {
    let html = page().await;
    for id in ["chart-throughput", "chart-latency", "chart-memory", "chart-connections"] {
        let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id} missing"));
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        assert!(figure.contains("<svg") && figure.contains(&format!("<figcaption id=\"{id}-text\">")), "{id}");
        assert!(figure.contains(&format!("aria-describedby=\"{id}-text\"")) && figure.contains("Download SVG"), "{id}");
    }
    assert!(html.contains("Capacity at the 70 % target grows from 255 r/s at 1 core"), "throughput in words");
    assert!(html.contains("The fleet's pools may open 160 connections"), "connections in words");
}

/// An SVG's elements as `name attr="value"…|text`, attributes sorted and entities
/// decoded, so the page's markup and a standalone file compare as drawings: a tag
/// written `<x/>` or `<x></x>`, attribute order, comments (the server renderer marks
/// components with them) and the root's `xmlns` aside.
fn svg_elements(svg: &str) -> Vec<String> {
    let decode = |s: &str| s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&#39;", "'").replace("&amp;", "&");
    let mut svg = svg.to_string();
    while let Some(start) = svg.find("<!--") {
        let end = start + svg[start..].find("-->").expect("unclosed comment") + "-->".len();
        svg.replace_range(start..end, "");
    }
    let mut out: Vec<String> = vec![];
    for piece in svg.split('<').skip(1) {
        let (tag, text) = piece.split_once('>').unwrap_or_else(|| panic!("unclosed <{piece}"));
        if !tag.starts_with('/') {
            let tag = tag.trim_end_matches('/');
            let name = tag.split_whitespace().next().unwrap();
            let mut attrs: Vec<String> = tag[name.len()..]
                .split('"')
                .collect::<Vec<_>>()
                .chunks(2)
                .filter(|kv| kv.len() == 2)
                .map(|kv| format!("{}\"{}\"", kv[0].trim(), decode(kv[1])))
                .filter(|a| !a.starts_with("xmlns="))
                .collect();
            attrs.sort();
            out.push(format!("{name} {}", attrs.join(" ")));
        }
        if let Some(last) = out.last_mut().filter(|_| !text.trim().is_empty()) {
            last.push_str(&format!("|{}", decode(text)));
        }
    }
    out
}

#[tokio::test]
async fn each_chart_on_the_page_is_drawn_as_its_download_says() {
    use planner::chart::{connections, latency, memory, throughput, workers};
    use planner::model::Plan;
    let html = page().await;
    let plan = Plan::default();
    let charts = [
        ("chart-throughput", throughput::chart(&plan)),
        ("chart-latency", latency::chart(&plan)),
        ("chart-memory", memory::chart(&plan)),
        ("chart-connections", connections::chart(&plan)),
        ("chart-workers", workers::chart(&plan)),
    ];
    for (id, chart) in charts {
        let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id} missing"));
        let start = at + html[at..].find("<svg").unwrap();
        let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
        let (page, file) = (svg_elements(&html[start..end]), svg_elements(&chart.svg()));
        assert!(file.len() > 20, "{id}: {} elements", file.len());
        if let Some(i) = (0..page.len().max(file.len())).find(|&i| page.get(i) != file.get(i)) {
            panic!("{id}: element {i} differs: on the page {:?}, in the download {:?}", page.get(i), file.get(i));
        }
    }
    let marked = "<svg a=\"1\" xmlns=\"x\"><!--<[Part]>--><text b=\"&lt;2\">a &amp; b</text><rect/><!--</[Part]>--></svg>";
    assert_eq!(svg_elements(marked), ["svg a=\"1\"", "text b=\"<2\"|a & b", "rect "]);
}

/// The summary of the plan a link gives, rendered as the page renders it.
#[derive(yew::Properties, PartialEq)]
struct Link {
    query: &'static str,
}

#[yew::component]
fn Summary(props: &Link) -> yew::Html {
    use planner::model::{outcome, query::decode_strict, summary};
    let plan = decode_strict(props.query).unwrap();
    let o = outcome(&plan);
    let values = summary::values(&plan, &o);
    let (on_apply, on_undo) = (yew::Callback::noop(), yew::Callback::noop());
    let acts = planner::ui::results::Acts { link: props.query, invalid: &[], applied: None, on_apply: &on_apply, on_undo: &on_undo, answer: "" };
    planner::ui::results::view(&plan, &o, &values, &acts)
}

async fn summary_of(query: &'static str) -> String {
    yew::ServerRenderer::<Summary>::with_props(move || Link { query }).render().await
}

#[tokio::test]
async fn a_large_fleet_shows_the_database_cpu_as_its_bottleneck_and_how_busy_the_database_is() {
    use planner::model::figure::whole;
    use planner::model::{outcome, query::decode_strict};
    let query = "v=1&replicas=40";
    let html = summary_of(query).await;
    let o = outcome(&decode_strict(query).unwrap());
    let l = &o.eval.latency;
    assert!(text_of(&html, "v-bottleneck").starts_with("Bottleneckdatabase CPUreaches 70 % first"), "{}", text_of(&html, "v-bottleneck"));
    let database = text_of(&html, "v-database");
    let want = format!(
        "Database{} % busyconnections {} % (pool of the fleet: 197 server connections), database host CPU {} % of 4 cores at {} r/s",
        whole(100.0 * l.db_cpu_utilisation),
        whole(100.0 * l.db_utilisation),
        whole(100.0 * l.db_cpu_utilisation),
        whole(l.rate_rps)
    );
    assert_eq!(database, want);
}

#[tokio::test]
async fn the_summary_says_whether_the_fleet_carries_the_target_without_its_spare_nodes() {
    let html = summary_of("v=1&spare=1&replicas=3&rps=2000").await;
    // Broken (the pools open more than PostgreSQL accepts), and the spares still said.
    assert!(text_of(&html, "v-verdict").starts_with("Broken."));
    let spare = text_of(&html, "v-spare");
    assert_eq!(spare, "Losing the sparesNot carriedlosing 1 node, the other 2 nodes would not carry 2,000 r/s within 70 % busy and the 200 ms objective");
    let html = summary_of("v=1&spare=1&replicas=4&rps=2000&pgbouncer=on").await;
    assert!(text_of(&html, "v-verdict").contains("Losing 1 node, the other 3 nodes still carry it."), "{}", text_of(&html, "v-verdict"));
    assert!(text_of(&html, "v-spare").starts_with("Losing the sparesCarried"));
}

#[tokio::test]
async fn over_capacity_the_p95_says_what_each_server_does_with_the_excess() {
    use planner::model::figure::whole;
    use planner::model::{outcome, query::decode_strict};
    for (query, says) in [
        ("v=1&rps=3000", "uvicorn refuses about"),
        ("v=1&rps=3000&server=gevent&pgbouncer=on", "refused at the listen backlog"),
        ("v=1&rps=3000&server=sync", "requests queue without limit"),
    ] {
        let p95 = text_of(&summary_of(query).await, "v-p95");
        let lat = outcome(&decode_strict(query).unwrap()).eval.latency;
        let number = lat.rejected_pct.map_or("Unbounded".to_string(), |r| format!("{} % refused", whole(r)));
        assert!(p95.starts_with(&format!("p95 latency{number}")) && p95.contains(says), "{query}: {p95}");
    }
}

#[tokio::test]
async fn every_number_input_accepts_its_own_value_and_steps_through_its_range() {
    let html = page().await;
    let inputs: Vec<&str> = html.split("<input").skip(1).map(|t| t.split('>').next().unwrap()).filter(|t| t.contains("type=\"number\"")).collect();
    assert!(inputs.len() > 15);
    let attr = |t: &str, name: &str| t.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).map(str::to_string);
    for t in inputs {
        let id = attr(t, "id").unwrap();
        let (step, min, value) = (attr(t, "step").unwrap(), attr(t, "min").unwrap(), attr(t, "value").unwrap_or_default());
        let (step, min): (f64, f64) = (step.parse().unwrap(), min.parse().unwrap());
        if let Ok(v) = value.parse::<f64>() {
            let steps = (v - min) / step;
            assert!((steps - steps.round()).abs() < 1e-6, "{id}: {value} is not min {min} + a whole number of steps {step}");
        }
    }
    for key in ["db_cpu_ms", "pgbouncer_pool", "db_max_connections", "spare", "peak", "usl_sigma", "usl_kappa"] {
        assert!(html.contains(&format!("id=\"f-{key}\"")), "{key} on the form");
    }
}

#[tokio::test]
async fn the_summary_shows_a_row_per_class_with_the_models_figures_and_its_objective() {
    use planner::model::figure::whole;
    use planner::model::{outcome, query::decode_strict, summary};
    let query = "v=1&mix=85,15,0&classes=search,checkout,idle&cpu_ms=3,40,1&wait_ms=20,5,0&p95=100,300,50&rps=300";
    let html = summary_of(query).await;
    let plan = decode_strict(query).unwrap();
    let rows = summary::class_rows(&plan, &outcome(&plan));
    assert_eq!(rows.len(), 2);
    for (i, r) in rows.iter().enumerate() {
        let ms = r.ms.unwrap();
        let want = format!("{}{}{}{}{}{}", r.name, whole(r.share_pct), whole(ms[0]), whole(ms[1]), whole(ms[2]), whole(r.objective_ms));
        assert_eq!(text_of(&html, &format!("class-{i}")), want);
        let class = if r.met { "met" } else { "missed" };
        assert!(html.contains(&format!("<tr id=\"class-{i}\" class=\"{class}\">")), "row {i} {class}");
    }
    assert!(!html.contains("id=\"class-2\""), "the unused class has no row");
    let over = summary_of("v=1&mix=85,15&cpu_ms=3,40&wait_ms=20,5&rps=100000").await;
    assert!(text_of(&over, "class-0").contains("UnboundedUnboundedUnbounded"));
    assert!(!summary_of("v=1&mix=100,0,0").await.contains("id=\"class-0\""));
}
