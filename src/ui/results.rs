//! What the plan implies, summary first: workers, pools, capacity, p95, the bottleneck
//! and the verdict, each with the rule behind it; the tier table, collapsed.

use yew::prelude::*;

use crate::model::capacity::TierRow;
use crate::model::figure::whole;
use super::suggestions;
use crate::model::summary::{self, bottleneck_label, Value};
use crate::model::{FieldError, Fit, Outcome, Plan};

/// One summary value: its title, number, unit and why.
fn value(v: &Value) -> Html {
    html! {
        <div class="value" id={v.id}>
            <dt>{ v.title }</dt>
            <dd><span class="number">{ v.number.clone() }</span>{ v.unit.clone() }</dd>
            <dd class="why">{ v.why.clone() }</dd>
        </div>
    }
}

/// While a field does not read: what the results show instead, and the field to fix
/// (its label and message; the first of several, with their count).
fn stale(invalid: &[&FieldError]) -> Html {
    let Some(first) = invalid.first() else { return html! {} };
    let more = match invalid.len() {
        1 => String::new(),
        n => format!(" ({} more field{} to fix)", n - 1, if n == 2 { "" } else { "s" }),
    };
    html! {
        <p class="stale" id="stale" role="alert">
            <strong>{ "Showing the last valid plan." }</strong>
            { format!(" Fix {} ({}): {}{more}", first.field.label(), first.field.key(), first.message) }
        </p>
    }
}

/// What the App gives the summary besides the plan: the fields that do not read, the
/// suggestion last applied (its why), and what applying one or undoing it does.
pub struct Acts<'a> {
    /// The plan's query ([`crate::model::query::encode`]), written once per render.
    pub link: &'a str,
    pub invalid: &'a [&'a FieldError],
    pub applied: Option<&'a str>,
    pub on_apply: &'a Callback<(String, String)>,
    pub on_undo: &'a Callback<MouseEvent>,
    /// The files' worker's suggestions ([`suggestions::use_answer`]).
    pub answer: &'a str,
}

/// Whether the outcome misses its target (and runs): there is something to suggest.
pub fn missed(o: &Outcome) -> bool {
    matches!(o.verdict.fit, Fit::AtRisk | Fit::OverCapacity)
}

/// The summary (the verdict, what would meet the target, and `values`, from the App's
/// memo). A plain function: the App renders again only for a new plan or new notices.
/// Focusable from the phone's result bar, which jumps to it.
pub fn view(plan: &Plan, o: &Outcome, values: &[Value], acts: &Acts) -> Html {
    html! {
        <section class="card summary" id="summary" tabindex="-1" aria-labelledby="rec-title">
            <h2 id="rec-title">{ "Recommendation" }</h2>
            { stale(acts.invalid) }
            // The fit as data, not a class: a computed class goes through yew's `Classes`, an
            // IndexSet (about 0.4 KB of the first load).
            <p class="verdict fit" data-fit={o.verdict.fit.key()} id="v-verdict" role="status">
                <strong>{ o.verdict.fit.label() }</strong>{ ". " }{ o.verdict.message.clone() }
            </p>
            { suggestions::view(acts.answer, acts.link, missed(o), acts.applied, acts.on_apply, acts.on_undo) }
            <dl class="values">
                { for values.iter().map(value) }
            </dl>
            { class_table(plan, o) }
        </section>
    }
}

/// The summary's class rows ([`summary::class_rows`]): each class's share, p50, p95 and
/// p99 against its objective. Shown with two classes or more.
fn class_table(plan: &Plan, o: &Outcome) -> Html {
    let rows = summary::class_rows(plan, o);
    if rows.is_empty() {
        return Html::default();
    }
    let mut table = String::from("<table><thead><tr>");
    for h in ["Class", "Share %", "p50 ms", "p95 ms", "p99 ms", "Objective ms"] {
        table.push_str(&format!("<th scope=\"col\">{h}</th>"));
    }
    table.push_str("</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        table.push_str(&format!("<tr id=\"class-{i}\" class=\"{}\"><th scope=\"row\">", if r.met { "met" } else { "missed" }));
        crate::model::details::html::escaped(&mut table, &r.name);
        let time = |k: usize| r.ms.map_or("Unbounded".to_string(), |ms| whole(ms[k]));
        table.push_str(&format!(
            "</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            whole(r.share_pct),
            time(0),
            time(1),
            time(2),
            whole(r.objective_ms)
        ));
    }
    table.push_str("</tbody></table>");
    html! {
        <div class="table-scroll classes" tabindex="0" role="region" aria-label="Latency per request class">
            { Html::from_html_unchecked(table.into()) }
        </div>
    }
}

/// The FastAPI guide's benchmark nodes (004) with the plan's other inputs, and the plan's
/// own row: a comparison, collapsed until opened (printed open).
pub fn tier_table(tiers: &[TierRow], p: &TierRow) -> Html {
    // The table as one string of markup: numbers and fixed labels, no text of the
    // person's (a node per cell cost the page about 0.5 KB of code).
    let mut table = String::from("<table><thead><tr>");
    for h in ["Node", "Cores", "Processes", "r/s", "p50 ms", "p95 ms", "In flight", "Bottleneck"] {
        table.push_str(&format!("<th scope=\"col\">{h}</th>"));
    }
    table.push_str("</tr></thead><tbody>");
    let rows = tiers.iter().map(|t| (t, t.tier.label(), "")).chain([(p, "This plan", "plan-row")]);
    for (t, name, class) in rows {
        table.push_str(&format!(
            "<tr class=\"{class}\" id=\"tier-{}\"><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.name,
            t.cores,
            t.processes,
            whole(t.rps),
            whole(t.p50_ms),
            whole(t.p95_ms),
            whole(t.users),
            bottleneck_label(t.bottleneck)
        ));
    }
    table.push_str("</tbody></table>");
    html! {
        <details class="card tiers" aria-labelledby="tiers-title">
            <summary><h2 id="tiers-title">{ "Benchmark tiers" }</h2></summary>
            <p class="why">{ summary::TIERS_WHY }</p>
            // Scrolls sideways on a narrow screen: focusable, so the keyboard scrolls it too.
            <div class="table-scroll" tabindex="0" role="region" aria-label="Benchmark tiers table">
                { Html::from_html_unchecked(table.into()) }
            </div>
        </details>
    }
}
