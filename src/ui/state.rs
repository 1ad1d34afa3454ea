//! The one piece of UI state: what the person typed, the last valid plan, the message
//! of each field that does not read, and the notices of the last plan read from a link,
//! the browser or a file. Everything shown derives from `plan`.

use std::rc::Rc;

use yew::Reducible;

use crate::model::{Field, FieldError, Plan};
use crate::share::Loaded;

/// What the form holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The last valid plan: the page keeps showing it while a field is invalid.
    pub plan: Plan,
    /// The text of every field as the person typed it, at `field as usize` (a map
    /// would cost the page a B-tree).
    texts: Vec<String>,
    /// The message of each field whose text does not read, at `field as usize`.
    errors: Vec<Option<FieldError>>,
    /// What reading the last plan loaded did not take as it was, until dismissed.
    pub notices: Vec<String>,
    /// After a suggestion is applied: what it did, and the form before it, until the
    /// next change.
    pub applied: Option<(String, Box<Form>)>,
}

/// What the person can do to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A field's text changed.
    Set(Field, String),
    /// Back to the default plan.
    Reset,
    /// A whole plan from a link, a saved plan or a file, with its notices.
    Load(Box<Loaded>),
    /// The person read the notices.
    Dismiss,
    /// A verdict's suggestion: the fields it sets (`workers=24&server=gthread`) and why.
    Apply(String, String),
    /// Back to the form before the suggestion applied.
    Undo,
    /// One class's value of a per-class field ([`Form::cell`]) changed.
    Cell(Field, usize, String),
    /// A request class added (None) or class `i` removed.
    Classes(Option<usize>),
}

impl Form {
    pub fn new(plan: Plan) -> Form {
        let mut texts = vec![String::new(); Field::ALL.len()];
        for &f in Field::ALL {
            texts[f as usize] = plan.get(f);
        }
        Form { plan, texts, errors: vec![None; Field::ALL.len()], notices: vec![], applied: None }
    }

    /// The form of a plan just read, showing its notices.
    pub fn loaded(loaded: Loaded) -> Form {
        Form { notices: loaded.notices, ..Form::new(loaded.plan) }
    }

    pub fn text(&self, field: Field) -> &str {
        &self.texts[field as usize]
    }

    /// Class `i`'s value of a per-class field as typed: one value shows for every class,
    /// and the names are the defaults until set.
    pub fn cell(&self, field: Field, i: usize) -> String {
        let text = self.text(field);
        if field == Field::Classes && text.is_empty() {
            return self.plan.class_name(i);
        }
        let items: Vec<&str> = text.split(',').collect();
        items.get(if items.len() == 1 { 0 } else { i }).unwrap_or(&"").trim().to_string()
    }

    /// Why the field's text does not read, if it does not.
    pub fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors[field as usize].as_ref()
    }

    /// The fields whose text does not read, in the form's order: while any is, the page
    /// shows the last valid plan.
    pub fn invalid(&self) -> impl Iterator<Item = &FieldError> {
        Field::FORM.iter().flat_map(|g| g.1).filter_map(|&f| self.error(f))
    }

    /// Applies an action, returning the next form.
    pub fn apply(&self, action: Action) -> Form {
        match action {
            Action::Reset => Form { notices: self.notices.clone(), ..Form::default() },
            Action::Load(loaded) => Form::loaded(*loaded),
            Action::Dismiss => Form { notices: vec![], ..self.clone() },
            Action::Apply(fragment, _) if fragment.is_empty() => self.clone(),
            Action::Apply(fragment, why) => {
                let before = Form { applied: None, ..self.clone() };
                let mut next = before.clone();
                for (key, value) in fragment.split('&').filter_map(|pair| pair.split_once('=')) {
                    if let Some(field) = Field::from_key(key) {
                        next = next.apply(Action::Set(field, value.to_string()));
                    }
                }
                Form { applied: Some((why, Box::new(before))), ..next }
            }
            Action::Undo => match &self.applied {
                Some((_, before)) => Form { notices: self.notices.clone(), ..(**before).clone() },
                None => self.clone(),
            },
            Action::Cell(field, i, value) => {
                let mut items: Vec<String> = (0..self.plan.class_count).map(|j| self.cell(field, j)).collect();
                if let Some(item) = items.get_mut(i) {
                    *item = value;
                }
                self.apply(Action::Set(field, items.join(",")))
            }
            Action::Classes(remove) => {
                let mut plan = self.plan.clone();
                match remove {
                    Some(i) => plan.remove_class(i),
                    None => plan.add_class(),
                }
                Form { notices: self.notices.clone(), ..Form::new(plan) }
            }
            Action::Set(field, text) => {
                let mut next = Form { applied: None, ..self.clone() };
                match next.plan.set(field, &text) {
                    Ok(()) => {
                        next.errors[field as usize] = None;
                        if Field::MEASURED.contains(&field) {
                            next.plan.measured.clear();
                        }
                        // A field refused for another's value (spare for the replicas,
                        // db_cpu_ms for the hold time) may read now: try its text again.
                        for &f in Field::ALL {
                            if next.errors[f as usize].is_some() && next.plan.set(f, &self.texts[f as usize]).is_ok() {
                                next.errors[f as usize] = None;
                            }
                        }
                        // A tier sets cores and RAM; cores and RAM set the tier: show
                        // what the plan now holds in every other field that reads.
                        for &f in Field::ALL {
                            if next.errors[f as usize].is_none() {
                                next.texts[f as usize] = next.plan.get(f);
                            }
                        }
                    }
                    Err(err) => next.errors[field as usize] = Some(err),
                }
                next.texts[field as usize] = text;
                next
            }
        }
    }
}

impl Default for Form {
    fn default() -> Self {
        Form::new(Plan::default())
    }
}

impl Reducible for Form {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_keeps_the_last_valid_plan_and_shows_a_message() {
        let form = Form::default().apply(Action::Set(Field::Cores, "8".into()));
        let bad = form.apply(Action::Set(Field::Cores, "eight".into()));
        assert_eq!(bad.plan.cores, 8);
        assert_eq!(bad.text(Field::Cores), "eight");
        assert!(bad.error(Field::Cores).is_some_and(|e| e.to_string().contains("1–256 cores")));
        let fixed = bad.apply(Action::Set(Field::Cores, "12".into()));
        assert!(Field::ALL.iter().all(|&f| fixed.error(f).is_none()));
        assert_eq!(fixed.plan.cores, 12);
    }

    #[test]
    fn the_fields_to_fix_come_in_the_forms_order_the_target_first() {
        let form = Form::default().apply(Action::Set(Field::Cores, "0".into())).apply(Action::Set(Field::Rps, "x".into()));
        let keys: Vec<&str> = form.invalid().map(|e| e.field.key()).collect();
        assert_eq!(keys, ["rps", "cores"]);
    }

    #[test]
    fn picking_a_tier_updates_the_cores_and_ram_fields() {
        let form = Form::default().apply(Action::Set(Field::Tier, "large".into()));
        assert_eq!((form.text(Field::Cores), form.text(Field::Ram)), ("8", "16"));
    }

    #[test]
    fn editing_cores_or_ram_after_a_tier_shows_custom_until_they_match_a_tier_again() {
        let form = Form::default().apply(Action::Set(Field::Tier, "large".into()));
        let edited = form.apply(Action::Set(Field::Cores, "6".into()));
        assert_eq!(edited.text(Field::Tier), "custom");
        let edited = edited.apply(Action::Set(Field::Cores, "8".into())).apply(Action::Set(Field::Ram, "12".into()));
        assert_eq!(edited.text(Field::Tier), "custom");
        assert_eq!(edited.apply(Action::Set(Field::Ram, "16".into())).text(Field::Tier), "large");
    }

    #[test]
    fn loading_a_plan_replaces_every_field_and_clears_messages() {
        let form = Form::default().apply(Action::Set(Field::Cores, "x".into()));
        let large = Plan::for_tier(crate::model::Tier::Large);
        let loaded = form.apply(Action::Load(Box::new(Loaded { plan: large.clone(), notices: vec!["n".into()] })));
        assert_eq!(loaded, Form { notices: vec!["n".into()], ..Form::new(large) });
        assert_eq!(loaded.text(Field::Cores), "8");
    }

    #[test]
    fn notices_stay_through_edits_and_reset_until_dismissed() {
        let loaded = Loaded { plan: Plan::default(), notices: vec!["The link: cores …".into()] };
        let form = Form::loaded(loaded).apply(Action::Set(Field::Cores, "8".into())).apply(Action::Reset);
        assert_eq!(form.notices, ["The link: cores …"]);
        assert!(form.apply(Action::Dismiss).notices.is_empty());
    }

    #[test]
    fn a_suggestion_applies_its_fields_at_once_and_undo_brings_the_form_back() {
        let before = Form::default().apply(Action::Set(Field::Rps, "3000".into())).apply(Action::Set(Field::Cores, "x".into()));
        let after = before.apply(Action::Apply("server=gthread&threads=8".into(), "why".into()));
        assert_eq!((after.plan.server, after.plan.threads), (crate::model::Server::Gthread, Some(8)));
        assert_eq!((after.text(Field::Server), after.text(Field::Threads)), ("gthread", "8"));
        assert_eq!(after.applied.as_ref().map(|a| a.0.as_str()), Some("why"));
        assert_eq!(after.text(Field::Cores), "x", "a field being typed is kept");
        let undone = after.apply(Action::Undo);
        assert_eq!(undone, before);
        // The next change ends the undo.
        assert!(after.apply(Action::Set(Field::Cores, "6".into())).applied.is_none());
        assert_eq!(before.apply(Action::Undo), before);
    }

    #[test]
    fn a_field_refused_for_anothers_value_reads_once_that_one_changes() {
        let form = Form::default().apply(Action::Set(Field::Spare, "1".into()));
        assert_eq!(form.error(Field::Spare).map(|e| e.field), Some(Field::Spare), "1 node may not fail of 1");
        let fixed = form.apply(Action::Set(Field::Replicas, "3".into()));
        assert!(fixed.invalid().next().is_none());
        assert_eq!((fixed.plan.spare, fixed.plan.replicas), (1, 3));
        // Lowering the replicas under the spares is refused at the replicas, until the spares go.
        let low = fixed.apply(Action::Set(Field::Replicas, "1".into()));
        assert_eq!((low.plan.replicas, low.error(Field::Replicas).map(|e| e.field)), (3, Some(Field::Spare)));
        let both = low.apply(Action::Set(Field::Spare, "0".into()));
        assert!(both.invalid().next().is_none());
        assert_eq!((both.plan.spare, both.plan.replicas, both.text(Field::Replicas)), (0, 1, "1"));
    }

    #[test]
    fn a_class_is_added_renamed_edited_and_removed_a_cell_at_a_time() {
        let form = Form::default().apply(Action::Classes(None));
        assert_eq!((form.plan.class_count, form.cell(Field::Classes, 3), form.cell(Field::Mix, 3)), (4, "class 4".into(), "0".into()));
        let form = form.apply(Action::Cell(Field::Classes, 3, "search".into())).apply(Action::Cell(Field::Mix, 3, "10".into()));
        assert_eq!(form.error(Field::Mix).map(|e| e.message.as_str()), Some("the shares sum to 110 %; they must sum to 100 %"));
        let form = form.apply(Action::Cell(Field::Mix, 1, "40".into())).apply(Action::Cell(Field::P95, 3, "50".into()));
        assert!(form.invalid().next().is_none());
        assert_eq!((form.text(Field::Classes), form.text(Field::Mix), form.plan.p95_objective_ms), ("CPU-bound,I/O-bound,mixed,search", "20,40,30,10", 50.0));
        assert_eq!((form.cell(Field::P95, 0), form.cell(Field::Cv, 2)), ("200".into(), "1".into()));
        let form = form.apply(Action::Classes(Some(0)));
        assert_eq!((form.text(Field::Classes), form.text(Field::Mix), form.text(Field::P95)), ("I/O-bound,mixed,search", "60,30,10", "200,200,50"));
    }

    #[test]
    fn editing_a_measured_figure_clears_the_measured_mark_and_nothing_else_does() {
        let plan = Plan { measured: "wrk: 4 runs, 3.6 % rms, 2026-12-07".into(), ..Plan::default() };
        let form = Form::new(plan).apply(Action::Set(Field::Cores, "8".into())).apply(Action::Cell(Field::Mix, 0, "20".into()));
        assert_eq!(form.text(Field::Measured), "wrk: 4 runs, 3.6 % rms, 2026-12-07", "cores and the mix are not measured");
        for field in Field::MEASURED {
            let edited = form.apply(Action::Set(field, form.text(field).replace("auto", "").to_string()));
            assert!(edited.error(field).is_none(), "{field:?}");
            assert_eq!((edited.plan.measured.as_str(), edited.text(Field::Measured)), ("", ""), "{field:?}");
        }
        let cell = form.apply(Action::Cell(Field::CpuMs, 1, "3".into()));
        assert_eq!(cell.plan.measured, "", "a class's CPU is measured too");
        let own = cell.apply(Action::Set(Field::Measured, "APM, November".into()));
        assert_eq!(own.plan.measured, "APM, November", "a person may name their own source");
        let bad = own.apply(Action::Set(Field::Measured, "x".repeat(161)));
        assert!(bad.error(Field::Measured).is_some_and(|e| e.message == "at most 160 characters, on one line"));
    }

    #[test]
    fn reset_returns_to_the_default_plan() {
        let form = Form::default().apply(Action::Set(Field::Cores, "0".into())).apply(Action::Reset);
        assert_eq!(form, Form::default());
    }
}
