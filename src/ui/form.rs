//! The plan's form: every field with its label, unit, help and inline message.

use yew::prelude::*;

use super::state::{Action, Form};
use crate::model::Field;

/// The form: every group of fields, and the reset button. `on_set` and `on_reset` are
/// the App's, made once: a field whose text and message did not change is not rendered
/// again (an edit usually changes one field, or a few through the tier).
pub fn view(form: &Form, on_set: &Callback<(Field, String)>, on_reset: &Callback<MouseEvent>, on_act: &Callback<Action>) -> Html {
    html! {
        <section class="inputs" aria-label="Your deployment">
            { for Field::FORM.iter().map(|&(title, fields)| html! {
                <fieldset class="group">
                    <legend>{ title }</legend>
                    { for fields.iter().filter(|f| !f.retired()).map(|&field| match field {
                        // The per-class fields are one table, a row per class.
                        Field::Mix => super::classes::view(form, on_act),
                        Field::Classes | Field::CpuMs | Field::WaitMs => html! {},
                        _ => html! {
                            <FieldInput {field} text={AttrValue::from(form.text(field).to_string())}
                                error={form.error(field).map(|e| AttrValue::from(e.message.clone()))} on_set={on_set.clone()} />
                        },
                    }) }
                </fieldset>
            }) }
            <button type="button" class="reset" onclick={on_reset.clone()}>{ "Reset to defaults" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub field: Field,
    /// What the person typed, or what the plan holds.
    pub text: AttrValue,
    /// Why the text does not read.
    pub error: Option<AttrValue>,
    pub on_set: Callback<(Field, String)>,
}

/// One labelled input or select; its message sits right under it.
#[component]
pub fn FieldInput(props: &FieldProps) -> Html {
    let FieldProps { field, text, error, on_set } = props;
    let (field, error) = (*field, error.as_deref());
    let id = format!("f-{}", field.key());
    let err_id = format!("e-{}", field.key());
    let help_id = format!("h-{}", field.key());
    // Screen readers read the help, then the message, after the label.
    let described = format!("{help_id} {err_id}");
    // The unit with the valid range, "1–256 cores", always shown beside the label.
    let range = field.range_text();
    let control = match field.options() {
        Some(options) => {
            let text = text.as_str();
            let onchange = on_set.reform(move |e: Event| {
                (field, e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
            });
            html! {
                <select id={id.clone()} name={field.key()} aria-describedby={described} {onchange}>
                    { for options.into_iter().map(|(key, label)| html! {
                        <option value={key} selected={key == text}>{ label }</option>
                    }) }
                </select>
            }
        }
        None => {
            let oninput = on_set.reform(move |e: InputEvent| {
                (field, e.target_unchecked_into::<web_sys::HtmlInputElement>().value())
            });
            // A single number is a number input (spin buttons, arrow keys, a numeric
            // keyboard) with its range and step; the name and the triples are text.
            // cv and p95 with a value per class are lists.
            let step = step(field).filter(|_| !text.contains(','));
            let kind = if step.is_some() { "number" } else { "text" };
            let range = field.range().filter(|_| step.is_some());
            let (min, max) = (range.map(|r| crate::model::decimal::shortest(r.0)), range.map(|r| crate::model::decimal::shortest(r.1)));
            html! {
                <input id={id.clone()} name={field.key()} type={kind} {step} {min} {max}
                    autocomplete="off" spellcheck="false"
                    value={text.clone()} placeholder={placeholder(field)}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={described} {oninput} />
            }
        }
    };
    let body = html! {
        <>
            <label for={id}>{ field.label() }
                if !range.is_empty() { <span class="unit">{ format!(" ({range})") }</span> }
            </label>
            <p class="help" id={help_id}>{ field.help() }</p>
            { control }
            <p class="message" id={err_id} role="status">{ error.unwrap_or_default().to_string() }</p>
        </>
    };
    // Literal classes: a computed one goes through yew's `Classes`, an IndexSet.
    match error {
        Some(_) => html! { <div class="field invalid">{ body }</div> },
        None => html! { <div class="field">{ body }</div> },
    }
}

/// The step of a field typed as one number; None for text, choices and the triples.
fn step(field: Field) -> Option<&'static str> {
    match field {
        Field::Mix | Field::CpuMs | Field::WaitMs => None,
        Field::Ram | Field::DbRam | Field::DbHold => Some("0.5"),
        Field::Cv | Field::Overhead | Field::DbCpu | Field::Peak | Field::PodCpu | Field::PodMem => Some("0.1"),
        Field::UslSigma => Some("0.01"),
        Field::UslKappa => Some("0.00001"),
        Field::CostCoreH | Field::CostGibH => Some("0.000001"),
        f => f.range().map(|_| "1"),
    }
}

/// What an empty optional field means.
fn placeholder(field: Field) -> &'static str {
    match field {
        Field::Threads | Field::Concurrency | Field::Workers | Field::Overhead | Field::PgbouncerPool | Field::DbMaxConnections => "auto",
        Field::DbCpu => "1 ms",
        Field::Rps => "0 = none",
        Field::ServerName => "example.com www.example.com",
        Field::LbCidr => "none: clients connect directly",
        Field::CachePaths => "none, e.g. /api/status",
        _ => "",
    }
}
