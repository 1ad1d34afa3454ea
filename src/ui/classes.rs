//! The request classes: a row per class (name, share, CPU, wait, cv, p95 objective) with
//! Remove, and Add below; each cell edits its class's item of the field's list.

use yew::prelude::*;

use super::state::{Action, Form};
use crate::model::plan::MAX_CLASSES;
use crate::model::Field;

/// The table's columns: the field and its heading.
const COLUMNS: [(Field, &str); 6] =
    [(Field::Classes, "Class"), (Field::Mix, "Share %"), (Field::CpuMs, "CPU ms"), (Field::WaitMs, "Wait ms"), (Field::Cv, "CV"), (Field::P95, "p95 ms")];

pub fn view(form: &Form, on_act: &Callback<Action>) -> Html {
    let n = form.plan.class_count;
    let row = |i: usize| {
        let name = form.cell(Field::Classes, i);
        html! {
            <tr>
                { for COLUMNS.iter().map(|&(field, head)| {
                    let key = field.key();
                    let oninput = on_act.reform(move |e: InputEvent| Action::Cell(field, i, e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
                    html! {
                        <td><input id={format!("f-{key}-{i}")} spellcheck="false"
                            aria-label={format!("{head} of {name}")} aria-describedby={format!("h-{key} e-{key}")}
                            value={form.cell(field, i)} {oninput} /></td>
                    }
                }) }
                <td><button type="button" disabled={n < 2} aria-label={format!("Remove {name}")}
                    onclick={on_act.reform(move |_| Action::Classes(Some(i)))}>{ "Remove" }</button></td>
            </tr>
        }
    };
    html! {
        <div class="class-rows">
            <div class="table-scroll">
                <table>
                    <caption>{ "Request classes" }</caption>
                    <thead><tr>{ for COLUMNS.iter().map(|c| html! { <th scope="col">{ c.1 }</th> }) }<td /></tr></thead>
                    <tbody>{ for (0..n).map(row) }</tbody>
                </table>
            </div>
            <button type="button" id="add-class" disabled={n >= MAX_CLASSES} onclick={on_act.reform(|_| Action::Classes(None))}>{ "Add class" }</button>
            { for COLUMNS[..4].iter().map(|&(field, _)| html! {
                <>
                    <p class="help" id={format!("h-{}", field.key())}>{ field.help() }</p>
                    <p class="message" id={format!("e-{}", field.key())} role="status">{ form.error(field).map(|e| e.message.clone()).unwrap_or_default() }</p>
                </>
            }) }
        </div>
    }
}
