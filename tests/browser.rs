//! In-browser tests (wasm-bindgen-test in headless Chromium): the app mounted in a
//! real DOM, driven through real DOM events.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use planner::chart::{connections, latency, memory, throughput, workers};
use planner::model::{Field, Plan};
use web_sys::{Element, Event, EventInit, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets the page settle: a short wait for what the browser does first, then every render
/// and effect Yew has queued (on a busy machine a render can take longer than any wait).
async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    yew::scheduler::flush().await;
}

/// The page's URL with `fragment` (none when empty) and no kept plan, as on a first visit.
fn visit(fragment: &str) {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    let url = if fragment.is_empty() { path } else { format!("{path}#{fragment}") };
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)).unwrap();
    window.local_storage().unwrap().unwrap().remove_item("planner.plan").unwrap();
}

fn fragment() -> String {
    web_sys::window().unwrap().location().hash().unwrap()
}

/// The fragment once it is `want`, or what it is after a second (the effect that
/// writes it runs after the render).
async fn fragment_becomes(want: &str) -> String {
    for _ in 0..30 {
        if fragment() == want {
            break;
        }
        tick().await;
    }
    fragment()
}

/// An app mounted for one test, in an element of its own.
struct Mounted {
    root: Element,
    app: yew::AppHandle<planner::ui::App>,
}

impl std::ops::Deref for Mounted {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.root
    }
}

impl Mounted {
    /// Unmounts the app, then removes its element. Without the unmount the app lives on:
    /// its plan, still waiting to be remembered (`persist::use_remember`), would be written
    /// into the URL during a later test.
    fn remove(self) {
        self.app.destroy();
        self.root.remove();
    }
}

/// Mounts the app as on a first visit without a link.
async fn mount() -> Mounted {
    visit("");
    mount_here().await
}

/// Mounts the app at the page's current URL and storage.
async fn mount_here() -> Mounted {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<planner::ui::App>::with_root(root.clone()).render();
    tick().await;
    // The charts are drawn once the first render is painted.
    for _ in 0..30 {
        if root.query_selector("#chart-throughput").unwrap().is_some() {
            break;
        }
        tick().await;
    }
    Mounted { root, app }
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("{selector} not found"))
}

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
}

async fn type_into(root: &Element, key: &str, text: &str) {
    let input: HtmlInputElement = find(root, &format!("#f-{key}")).unchecked_into();
    input.set_value(text);
    fire(&input, "input");
    tick().await;
}

async fn choose(root: &Element, key: &str, value: &str) {
    let select: HtmlSelectElement = find(root, &format!("#f-{key}")).unchecked_into();
    select.set_value(value);
    fire(&select, "change");
    tick().await;
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// An element and those under it as `name attr="value"…|text`, attributes sorted and
/// `xmlns` aside: a drawing as the browser holds it, whatever order it was built in.
fn drawn(el: &Element) -> Vec<String> {
    let mut attrs: Vec<String> = el
        .get_attribute_names()
        .iter()
        .filter_map(|name| name.as_string())
        .filter(|name| name != "xmlns")
        .map(|name| format!("{name}=\"{}\"", el.get_attribute(&name).unwrap_or_default()))
        .collect();
    attrs.sort();
    let mut line = format!("{} {}", el.local_name(), attrs.join(" "));
    if el.first_element_child().is_none() {
        line.push_str(&format!("|{}", el.text_content().unwrap_or_default()));
    }
    let mut out = vec![line];
    let mut child = el.first_element_child();
    while let Some(c) = child {
        out.extend(drawn(&c));
        child = c.next_element_sibling();
    }
    out
}

/// The chart in `selector` as the page patched it equals `chart`'s download as the
/// browser parses it.
#[track_caller]
fn assert_drawn_as(root: &Element, selector: &str, chart: &planner::chart::Chart) {
    let file = document().create_element("div").unwrap();
    file.set_inner_html(&chart.svg());
    let (page, file) = (drawn(&find(root, &format!("{selector} svg"))), drawn(&file.first_element_child().unwrap()));
    assert!(page.len() > 20, "{selector}: {page:?}");
    if let Some(i) = (0..page.len().max(file.len())).find(|&i| page.get(i) != file.get(i)) {
        panic!("{selector}: element {i} differs: on the page {:?}, in the download {:?}", page.get(i), file.get(i));
    }
}

/// The default plan with the fields set as a person would type them.
fn plan(fields: &[(Field, &str)]) -> Plan {
    let mut plan = Plan::default();
    for (field, text) in fields {
        plan.set(*field, text).unwrap();
    }
    plan
}

#[wasm_bindgen_test]
async fn typing_cores_and_picking_sync_recomputes_the_workers_chart() {
    let root = mount().await;
    type_into(&root, "cores", "6").await;
    choose(&root, "server", "sync").await;
    assert!(text(&root, "#v-workers").contains("13 processes"), "{}", text(&root, "#v-workers"));
    assert!(text(&root, "#v-workers").contains("2 × 6 cores + 1"));
    assert!(find(&root, "#chart-workers").inner_html().contains("this plan: 6 cores → 13 processes"));
    assert_drawn_as(&root, "#chart-workers", &workers::chart(&plan(&[(Field::Cores, "6"), (Field::Server, "sync")])));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_four_charts_show_with_their_words_and_typing_cores_moves_the_plan_on_the_throughput_chart() {
    let root = mount().await;
    for id in ["chart-throughput", "chart-latency", "chart-memory", "chart-connections"] {
        let figure = find(&root, &format!("#{id}"));
        assert!(figure.query_selector("svg").unwrap().is_some(), "{id}: no svg");
        let caption = text(&root, &format!("#{id}-text"));
        assert!(caption.len() > 40, "{id}: {caption}");
        assert_eq!(find(&root, &format!("#{id} [role=img]")).get_attribute("aria-describedby").as_deref(), Some(format!("{id}-text").as_str()));
        assert_eq!(text(&root, &format!("#{id}-download")), "Download SVG");
    }
    let chart = find(&root, "#chart-throughput").inner_html();
    assert!(chart.contains("this plan: 4 cores → 988 r/s"), "{chart}");
    assert!(text(&root, "#chart-throughput-text").contains("The plan (4 cores) sustains 988 r/s"));
    type_into(&root, "cores", "8").await;
    let chart = find(&root, "#chart-throughput").inner_html();
    assert!(chart.contains("this plan: 8 cores → ") && !chart.contains("this plan: 4 cores"), "the marker follows the cores");
    assert!(text(&root, "#chart-throughput-text").contains("The plan (8 cores) sustains"));
    assert!(find(&root, "#chart-memory").inner_html().contains("recommended: 16 processes"));
    // Patched, not drawn afresh: each chart is still exactly its download.
    let eight = plan(&[(Field::Cores, "8")]);
    assert_drawn_as(&root, "#chart-throughput", &throughput::chart(&eight));
    assert_drawn_as(&root, "#chart-latency", &latency::chart(&eight));
    assert_drawn_as(&root, "#chart-memory", &memory::chart(&eight));
    assert_drawn_as(&root, "#chart-connections", &connections::chart(&eight));
    assert_drawn_as(&root, "#chart-workers", &workers::chart(&eight));
    choose(&root, "db", "none").await;
    assert!(text(&root, "#chart-connections").contains("No database in this plan"), "{}", text(&root, "#chart-connections"));
    assert_drawn_as(&root, "#chart-connections", &connections::chart(&plan(&[(Field::Cores, "8"), (Field::Db, "none")])));
    root.remove();
}

/// Every setting on the page as `id|value unit|why — source`, in page order.
fn settings_on_page(root: &Element) -> Vec<String> {
    let all = root.query_selector_all(".setting").unwrap();
    (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
        .map(|s| format!("{}|{}|{}", s.id(), text(&s, ".v"), text(&s, ".why")))
        .collect()
}

/// The settings the model gives `plan`, written as [`settings_on_page`] reads them.
fn settings_of(plan: &Plan) -> Vec<String> {
    let rules = planner::model::rules::recommend(plan);
    planner::model::details::sections(&rules)
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                let unit = if l.unit.is_empty() { String::new() } else { format!(" {}", l.unit) };
                format!("s-{}-{}|{}{unit}|{} — {}", s.id, l.name.replace('.', "-"), l.value, l.why, l.source)
            })
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_settings_markup_reads_as_the_models_settings() {
    // The page shows the worker's markup as it is (e2e/app.test.mjs opens it on the page
    // and edits): in a real DOM every setting reads as the model gives it, for plans
    // whose lines differ.
    use planner::model::details::{html::html, sections};
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let mut fields = vec![];
    for (field, value) in [(Field::Cores, "8"), (Field::Server, "gevent"), (Field::Cores, "3"), (Field::Server, "sync"), (Field::Platform, "k8s")] {
        fields.push((field, value));
        let p = plan(&fields);
        root.set_inner_html(&html(&sections(&planner::model::rules::recommend(&p)), &[]));
        let (page, model) = (settings_on_page(&root), settings_of(&p));
        assert!(page.len() > 40, "{page:?}");
        if let Some(i) = (0..page.len().max(model.len())).find(|&i| page.get(i) != model.get(i)) {
            panic!("after {fields:?}, setting {i}: on the page {:?}, from the model {:?}", page.get(i), model.get(i));
        }
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn bad_input_shows_a_message_next_to_the_field_and_keeps_the_last_plan() {
    let root = mount().await;
    for (bad, says) in [("0", "1–256 cores"), ("abc", "not a whole number"), ("10000", "1–256 cores")] {
        type_into(&root, "cores", bad).await;
        assert!(text(&root, "#e-cores").contains(says), "{bad}: {}", text(&root, "#e-cores"));
        assert!(text(&root, "#v-workers").contains("8 processes"), "last valid plan kept");
    }
    // The results say they are the last valid plan, and which field to fix.
    assert_eq!(text(&root, "#stale"), "Showing the last valid plan. Fix CPU cores (cores): 10,000 is out of range; enter 1–256 cores");
    type_into(&root, "cores", "2").await;
    assert_eq!(text(&root, "#e-cores"), "");
    assert!(root.query_selector("#stale").unwrap().is_none());
    // Never clamped: a target of 1e12 is refused, not read as the largest allowed.
    type_into(&root, "rps", "500").await;
    type_into(&root, "rps", "1e12").await;
    assert!(text(&root, "#stale").contains("Fix Target rate (rps): 1,000,000,000,000 is out of range; enter 0–10,000,000 r/s"), "{}", text(&root, "#stale"));
    assert!(text(&root, "#v-verdict").contains("500 r/s"), "the last valid target: {}", text(&root, "#v-verdict"));
    type_into(&root, "cores", "0").await;
    assert!(text(&root, "#stale").ends_with("(1 more field to fix)"), "{}", text(&root, "#stale"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_answer_is_rendered_first_and_the_charts_once_it_is_painted() {
    visit("");
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<planner::ui::App>::with_root(root.clone()).render();
    // Every render and effect of the first pass, with no frame in between.
    yew::scheduler::flush().await;
    assert!(text(&root, "#v-verdict").starts_with("No target rate set."));
    assert!(root.query_selector("#chart-throughput").unwrap().is_none(), "drawn before the first paint");
    assert_eq!(root.query_selector_all(".charts figure svg").unwrap().length(), 4, "a blank of each chart's size");
    let mounted = Mounted { root, app };
    for _ in 0..30 {
        if mounted.query_selector("#chart-throughput").unwrap().is_some() {
            break;
        }
        tick().await;
    }
    assert_drawn_as(&mounted, "#chart-throughput", &throughput::chart(&Plan::default()));
    assert_drawn_as(&mounted, "#chart-workers", &workers::chart(&Plan::default()));
    mounted.remove();
}

#[wasm_bindgen_test]
async fn the_files_panel_is_a_button_until_opened() {
    // Its worker is a file of the built site: opening it is tested end to end (e2e/app.test.mjs).
    let root = mount().await;
    assert!(text(&root, "#show-files").contains("Show the config files"));
    assert!(root.query_selector("#file-text").unwrap().is_none());
    // So is the settings list, which the same worker writes.
    assert_eq!(text(&root, "#show-settings"), "Show every setting");
    assert!(root.query_selector(".setting").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_link_opens_its_plan_and_editing_rewrites_the_fragment() {
    visit("v=1&cores=6&server=sync&colour=blue");
    let root = mount_here().await;
    assert!(text(&root, "#v-workers").contains("13 processes"), "{}", text(&root, "#v-workers"));
    assert!(text(&root, "#notices").contains("'colour'"), "{}", text(&root, "#notices"));
    assert_eq!(fragment_becomes("#v=1&cores=6&server=sync").await, "#v=1&cores=6&server=sync");
    type_into(&root, "cores", "2").await;
    assert_eq!(fragment_becomes("#v=1&cores=2&server=sync").await, "#v=1&cores=2&server=sync");
    root.remove();
}

#[wasm_bindgen_test]
async fn without_a_link_the_last_plan_comes_back() {
    let first = mount().await;
    type_into(&first, "cores", "3").await;
    // The plan is kept by an effect after the render, which the charts make longer.
    let kept = || web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("planner.plan").unwrap().unwrap_or_default();
    for _ in 0..30 {
        if kept().contains("cores=3") {
            break;
        }
        tick().await;
    }
    first.remove();
    visit_keeping_storage();
    let again = mount_here().await;
    assert_eq!(find(&again, "#f-cores").unchecked_into::<HtmlInputElement>().value(), "3");
    again.remove();
}

/// The page's URL without a fragment; what the browser keeps stays.
fn visit_keeping_storage() {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)).unwrap();
}
