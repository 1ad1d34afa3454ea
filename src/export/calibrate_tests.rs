use super::*;
use crate::model::figure::grouped;
use crate::export::request::{self, answer_calibrate};

/// The tested host of the fixtures (tests/fixtures/loadtest/ORIGIN.md).
const HOST: &str = "cores=2&server=gthread&workers=2&threads=8&db=none&proxy=none&cache=none";

/// A fixture's text.
fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/loadtest/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_wrk_sweep_is_a_row_per_run_beside_the_model_with_the_fit_chart_and_plan() {
    let plan = query::decode_strict(HOST).unwrap();
    let c = calibrate(&plan, &fixture("wrk-sweep.txt")).unwrap_or_else(|e| panic!("{e}"));
    let m = &c.markup;
    assert_eq!(m.matches("<tr><th scope=\"row\">").count(), 4, "{m}");
    for (line, conc, rps, mean, p99) in [(1, "1", "389.95", "2.56", "3.64"), (14, "2", "751.88", "2.66", "3.41"), (27, "4", "1,508.09", "2.65", "3.78"), (40, "8", "2,845.11", "2.82", "4.86")] {
        let start = m.find(&format!("<th scope=\"row\">line {line}</th>")).unwrap_or_else(|| panic!("line {line}: {m}"));
        let row = &m[start..start + m[start..].find("</tr>").unwrap()];
        let want = format!("<td>wrk</td><td>{conc}</td><td>{}</td>", grouped(rps.replace(',', "").parse().unwrap(), 1));
        assert!(row.contains(&want), "{row} lacks {want}");
        assert!(row.contains(&format!("<td>{mean}</td>")) && row.contains(&format!("<td>{p99}</td>")), "{row}");
        assert!(row.ends_with("<td>0</td><td>0</td>"), "no errors, no non-2xx: {row}");
        assert_eq!(row.matches("<td>").count(), 10, "{row}");
    }
    for h in ["Throughput (r/s)", "Model (r/s)", "Mean (ms)", "p99 (ms)", "Non-2xx"] {
        assert!(m.contains(&format!("<th scope=\"col\">{h}</th>")), "{h}");
    }
    assert!(m.contains("<li>CPU per request: 0.") && m.contains(" overhead included</li>"), "{m}");
    assert!(m.contains("<li>Wait per request: 2.") && m.contains("fitted to the percentiles"), "{m}");
    assert!(m.contains("<li>USL: λ ") && m.contains("6 or more"), "{m}");
    // The chart: 4 measured dots, the model's line, the USL's curve, titled axes.
    let chart = &c.chart;
    assert!(chart.contains("<svg") && chart.contains("aria-label=\"Throughput against concurrency\""), "{chart}");
    assert!(chart.contains("concurrency (connections in flight)") && chart.contains("r/s)"), "{chart}");
    assert!(chart.contains("USL fit") && chart.contains("calibrated model") && chart.contains("measured"), "{chart}");
    assert!(chart.contains("8 connections: 2,845 r/s measured"), "{chart}");
    // The calibrated plan is a plan the page reads, with the fitted CPU and wait.
    let calibrated = query::decode_strict(&c.query).unwrap_or_else(|e| panic!("{}: {e}", c.query));
    assert_ne!(calibrated, plan);
    assert_eq!((calibrated.cores, calibrated.workers), (plan.cores, plan.workers));
    assert!(c.query.contains("wait_ms="), "{}", c.query);
    let mark = calibration::source("wrk", 4, 0.0, &calibrate::today());
    assert!(calibrated.measured.starts_with("wrk: 4 runs, ") && calibrated.measured.ends_with(&mark[mark.len() - 12..]), "marked measured: {}", calibrated.measured);
    let escaped = |q: &str| q.replace('&', "&amp;");
    let asked = escaped(&query::encode(&plan));
    let links = format!("id=\"calibrate-use\" href=\"#{}\" data-asked=\"{asked}\">Use these figures</a><a id=\"calibrate-undo\" href=\"#{asked}\">Undo</a>", escaped(&c.query));
    assert!(c.apply.contains(&links), "{}", c.apply);
}

#[test]
fn the_worker_answers_a_calibrate_request_with_the_same() {
    let text = fixture("wrk-sweep.txt");
    let c = calibrate(&query::decode_strict(HOST).unwrap(), &text).unwrap();
    assert_eq!(answer_calibrate(&request::calibrate("calibrate", HOST, &text)), Some((c.markup + &c.chart + &c.apply, "calibrate-result")));
    let parts = vec![answer_calibrate(&request::calibrate("calibrate-form", HOST, "")).expect("a form")];
    let (form, "calibrate-body") = parts[0].clone() else { panic!("not the form") };
    let area = input("a<b");
    assert!(area.contains(">a&lt;b</textarea>") && area.ends_with("<input type=\"file\" id=\"calibrate-file\"></p>"), "{area}");
    assert!(form.contains("<label for=\"calibrate-text\">Load-test output</label><textarea id=\"calibrate-text\""), "{form}");
    assert!(form.contains("id=\"calibrate-result\"") && form.contains("id=\"calibrate-run\">Calibrate</button>"), "{form}");
    assert_eq!(request::verb(&request::calibrate("calibrate", HOST, &text)), "calibrate");
}

#[test]
fn bad_text_is_a_message_naming_its_line_never_a_panic() {
    let plan = query::decode_strict(HOST).unwrap();
    let junk = calibrate(&plan, "hello world\nthis is not wrk").unwrap_err();
    assert!(junk.starts_with("Not a load-test output: line 1: "), "{junk}");
    let bad = fixture("wrk-plain.txt").replace("3109.73", "x");
    assert!(calibrate(&plan, &bad).unwrap_err().contains("line 7: "), "a bad number names its line");
    assert!(calibrate(&plan, "  \n").unwrap_err().starts_with("Paste the output"));
    let parts = vec![answer_calibrate(&request::calibrate("calibrate", HOST, "junk <b>")).expect("an answer")];
    let (e, "calibrate-result") = parts[0].clone() else { panic!("not the result") };
    assert!(e.starts_with("<p class=\"error\" role=\"alert\">Not a load-test output: line 1: "), "{e}");
    assert!(!e.contains("<b>"), "the text is escaped: {e}");
    // Cut anywhere, a fixture is an answer or a message.
    let sweep = fixture("wrk-sweep.txt");
    for cut in (0..sweep.len()).step_by(97).filter(|&i| sweep.is_char_boundary(i)) {
        let _ = calibrate(&plan, &sweep[..cut]);
    }
}

#[test]
fn one_run_has_no_usl_and_open_loop_runs_no_dots() {
    let plan = query::decode_strict(HOST).unwrap();
    let one = calibrate(&plan, &fixture("hey-plain.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert!(one.markup.contains("USL: fewer than 3 concurrency levels") && one.markup.contains("cannot tell the CPU from the wait"), "{}", one.markup);
    assert!(!one.chart.contains("USL fit"));
    if let Ok(open) = calibrate(&plan, &fixture("vegeta-text.txt")) {
        assert!(open.markup.contains("<td>open loop</td>"), "{}", open.markup);
        assert!(open.chart.contains("open-loop runs only"), "{}", open.chart);
    }
}

#[test]
fn every_fixture_answers_or_says_why() {
    let plan = query::decode_strict(HOST).unwrap();
    let dir = format!("{}/tests/fixtures/loadtest", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Ok(c) = calibrate(&plan, &text) {
            assert!(query::decode_strict(&c.query).is_ok(), "{:?}", entry.path());
            assert!(!c.chart.contains("NaN"), "{:?}", entry.path());
        }
    }
}

#[test]
fn runs_after_a_host_line_are_fitted_on_that_host_and_say_so() {
    // The gunicorn sync sweeps of README "Calibration from a load test", 2 and 4 workers.
    let plan = query::decode_strict("cores=2&server=sync&workers=2&db=none&proxy=none&cache=none").unwrap();
    let text = format!("{}# host: workers=4\n{}", fixture("gunicorn-sync-w2.txt"), fixture("gunicorn-sync-w4.txt"));
    let c = calibrate(&plan, &text).unwrap_or_else(|e| panic!("{e}"));
    let on4 = c.markup.matches(" (workers=4)</th>").count();
    assert!(on4 >= 3 && c.markup.matches("<tr><th scope=\"row\">").count() > on4, "{}", c.markup);
    // Fitted together, both sweeps give the same CPU as README's joint fit, 3.6 ms ± 15 %.
    let cpu = c.markup.split("<li>CPU per request: ").nth(1).and_then(|t| t.split(" ms").next()).and_then(|t| t.parse::<f64>().ok()).unwrap();
    assert!((3.1..=4.2).contains(&cpu), "{cpu}");
    // The calibrated plan stays the plan's host (2 workers): the host line is the run's only.
    assert_eq!(query::decode_strict(&c.query).unwrap().workers, Some(2));
    // The chart: a colour per host, each named in the legend and in the words beside it.
    for legend in ["model, this plan's host", "measured, this plan's host", "model, workers=4", "measured, workers=4", "USL fit, this plan's host"] {
        assert!(c.chart.contains(&format!(">{}<", legend.replace('\'', "&apos;"))), "{legend}: {}", c.chart);
    }
    assert!(c.chart.contains("workers=4, 16 connections: 409 r/s measured"), "{}", c.chart);
    let bad = calibrate(&plan, &format!("# host: workers=zero\n{}", fixture("gunicorn-sync-w2.txt"))).unwrap_err();
    assert!(bad.contains("workers=zero") && bad.contains("workers"), "{bad}");
}
