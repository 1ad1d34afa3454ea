//! The one piece of UI state: what the person typed, the last valid plan, and the
//! message of each field that does not read. Everything shown derives from `plan`.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::model::{Field, FieldError, Plan};

/// What the form holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The last valid plan: the page keeps showing it while a field is invalid.
    pub plan: Plan,
    /// The text of every field as the person typed it.
    pub texts: BTreeMap<Field, String>,
    /// Fields whose text does not read, with their message.
    pub errors: BTreeMap<Field, FieldError>,
}

/// What the person can do to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A field's text changed.
    Set(Field, String),
    /// Back to the default plan.
    Reset,
    /// A whole plan from a link, a saved plan or a file.
    Load(Plan),
}

impl Form {
    pub fn new(plan: Plan) -> Form {
        let texts = Field::ALL.iter().map(|&f| (f, plan.get(f))).collect();
        Form { plan, texts, errors: BTreeMap::new() }
    }

    pub fn text(&self, field: Field) -> &str {
        self.texts.get(&field).map(String::as_str).unwrap_or("")
    }

    /// Applies an action, returning the next form.
    pub fn apply(&self, action: Action) -> Form {
        match action {
            Action::Reset => Form::new(Plan::default()),
            Action::Load(plan) => Form::new(plan),
            Action::Set(field, text) => {
                let mut next = self.clone();
                match next.plan.set(field, &text) {
                    Ok(()) => {
                        next.errors.remove(&field);
                        // A tier sets cores and RAM; cores and RAM set the tier: show
                        // what the plan now holds in every other field that reads.
                        for &f in Field::ALL {
                            if f != field && !next.errors.contains_key(&f) {
                                next.texts.insert(f, next.plan.get(f));
                            }
                        }
                    }
                    Err(err) => {
                        next.errors.insert(field, err);
                    }
                }
                next.texts.insert(field, text);
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
        assert!(bad.errors[&Field::Cores].to_string().contains("1–256 cores"));
        let fixed = bad.apply(Action::Set(Field::Cores, "12".into()));
        assert!(fixed.errors.is_empty());
        assert_eq!(fixed.plan.cores, 12);
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
        let loaded = form.apply(Action::Load(large.clone()));
        assert_eq!(loaded, Form::new(large));
        assert_eq!(loaded.text(Field::Cores), "8");
    }

    #[test]
    fn reset_returns_to_the_default_plan() {
        let form = Form::default().apply(Action::Set(Field::Cores, "0".into())).apply(Action::Reset);
        assert_eq!(form, Form::default());
    }
}
