//! The plan's form: every field with its label, unit and inline message.

use yew::prelude::*;

use super::state::Form;
use crate::model::Field;

/// The form: every group of fields, and the reset button. A plain function, not a
/// component: it re-renders with the App, as its callbacks are the App's.
pub fn view(form: &Form, on_set: &Callback<(Field, String)>, on_reset: &Callback<()>) -> Html {
    let reset = on_reset.reform(|_: MouseEvent| ());
    html! {
        <section class="inputs" aria-label="Your deployment">
            { for Field::groups().into_iter().map(|(title, fields)| html! {
                <fieldset class="group">
                    <legend>{ title }</legend>
                    { for fields.iter().map(|&field| {
                        field_input(field, form.text(field), form.error(field).map(|e| e.message.as_str()), on_set)
                    }) }
                </fieldset>
            }) }
            <button type="button" class="reset" onclick={reset}>{ "Reset to defaults" }</button>
        </section>
    }
}

/// One labelled input or select; its message sits right under it. A plain function, not
/// a component: with the App's new `on_set` each render, a component re-rendered anyway.
fn field_input(field: Field, text: &str, error: Option<&str>, on_set: &Callback<(Field, String)>) -> Html {
    let id = format!("f-{}", field.key());
    let err_id = format!("e-{}", field.key());
    // The unit with the valid range, "1–256 cores", always shown beside the label.
    let range = field.range_text();
    let control = match field.options() {
        Some(options) => {
            let onchange = on_set.reform(move |e: Event| {
                (field, e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
            });
            html! {
                <select id={id.clone()} name={field.key()} {onchange}>
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
            let step = step(field);
            let kind = if step.is_some() { "number" } else { "text" };
            let range = field.range().filter(|_| step.is_some());
            let (min, max) = (range.map(|r| r.0.to_string()), range.map(|r| r.1.to_string()));
            html! {
                <input id={id.clone()} name={field.key()} type={kind} {step} {min} {max}
                    autocomplete="off" spellcheck="false"
                    value={text.to_string()} placeholder={placeholder(field)}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={err_id.clone()} {oninput} />
            }
        }
    };
    let body = html! {
        <>
            <label for={id}>{ field.label() }
                if !range.is_empty() { <span class="unit">{ format!(" ({range})") }</span> }
            </label>
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
        Field::Cv | Field::Overhead => Some("0.1"),
        f => f.range().map(|_| "1"),
    }
}

/// What an empty optional field means.
fn placeholder(field: Field) -> &'static str {
    match field {
        Field::Threads | Field::Concurrency | Field::Workers | Field::Overhead => "auto",
        Field::Rps => "0 = none",
        _ => "",
    }
}
