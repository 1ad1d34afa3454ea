//! The page rendered natively (Yew's server renderer): what a person first sees.
#![cfg(not(target_arch = "wasm32"))]

use planner::ui::App;

async fn page() -> String {
    yew::ServerRenderer::<App>::new().render().await
}

#[tokio::test]
async fn the_first_page_shows_every_input_the_recommendation_its_rule_the_chart_and_the_file() {
    let html = page().await;
    for key in ["cores", "ram", "worker_mem", "server"] {
        assert!(html.contains(&format!("id=\"f-{key}\"")), "input {key} missing");
    }
    // Default plan: Medium tier, async, WORKERS_PER_CORE 2 → 8 processes.
    assert!(html.contains("4 cores × WORKERS_PER_CORE 2 for this mix (guide 004)"), "rule missing");
    assert!(html.contains("<span class=\"number\">8</span>"), "worker count missing");
    assert!(html.contains("<svg") && html.contains("processes per node"), "chart missing");
    assert!(html.contains("gunicorn.conf.py") && html.contains("workers = 8"), "file missing");
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

#[tokio::test]
async fn the_first_page_shows_the_four_charts_each_with_its_numbers_in_words_and_a_download() {
    let html = page().await;
    for id in ["chart-throughput", "chart-latency", "chart-memory", "chart-connections"] {
        let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{id} missing"));
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        assert!(figure.contains("<svg") && figure.contains(&format!("<figcaption id=\"{id}-text\">")), "{id}");
        assert!(figure.contains(&format!("aria-describedby=\"{id}-text\"")) && figure.contains("Download SVG"), "{id}");
    }
    assert!(html.contains("Capacity at the 70 % target grows from 264 r/s at 1 core"), "throughput in words");
    assert!(html.contains("The fleet's pools may open 160 connections"), "connections in words");
}
