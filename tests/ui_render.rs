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
    let inputs = html.matches("<input").count() + html.matches("<select").count();
    let labels = html.matches("<label for=\"f-").count();
    assert!(inputs >= 20);
    assert_eq!(inputs, labels);
}
