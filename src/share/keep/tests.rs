//! The panel's requests as the page sends them, and the worker's answers.

use super::*;
use crate::model::{Field, Plan, Tier};
use crate::share::{FILE_FORMAT, MAX_FILE_BYTES};

/// The answer to a `keep` request.
#[track_caller]
fn keep_answer(change: &str, a: &str, b: &str, stored: Option<&str>) -> (Option<String>, String, bool, String, String) {
    match answer(&request("7", change, a, b, "", "", stored)) {
        Some(Reply { store, said, bad, undo, list: Some(list), name, open: None, download: None }) if name.is_empty() => (store, said, bad, undo, list),
        other => panic!("{other:?}"),
    }
}

/// The answer to a file imported.
fn import(file: &str, text: &str) -> Reply {
    answer(&request("2", "import", file, "", "", "", Some(text))).unwrap_or_else(|| panic!("no answer"))
}

/// The names in a list's markup, in order.
fn names(list: &str) -> Vec<&str> {
    list.split("<span class=\"saved-name\">").skip(1).filter_map(|s| s.split('<').next()).collect()
}

fn stored(plans: &[(&str, &Plan)]) -> String {
    let mut s = SavedPlans::default();
    for (name, plan) in plans {
        s.save(name, plan).unwrap_or_default();
    }
    s.to_json()
}

#[test]
fn a_request_carries_its_id_and_every_field_on_its_own_line() {
    let r = request("12", "save", "a\nb", "v=1", "", "", Some("{\n}"));
    assert_eq!(r, "keep\n12\nsave\na b\nv=1\n\n\n{\n}");
    assert_eq!(id(&r), "12");
    assert_eq!(request("3", "read", "", "", "", "", None), "keep\n3\nread\n\n\n\n");
    assert_eq!(answer("list\nv=1\n"), None, "another panel's request");
    assert_eq!(answer("keep"), None);
    assert_eq!(answer("keep\n1").map(|r| r.bad), Some(true), "no change: an unknown one");
}

#[test]
fn nothing_stored_reads_as_no_plans_and_a_first_save_stores_the_document() {
    assert_eq!(keep_answer("read", "", "", None), (None, String::new(), false, String::new(), String::new()));
    let plan = Plan::from_sets(&[(Field::Cores, "6")]);
    let (store, said, bad, undo, list) = keep_answer("save", " alpha ", &query::encode(&plan), None);
    assert_eq!((said.as_str(), bad, undo.as_str()), ("Saved 'alpha'.", false, ""));
    assert_eq!(store, Some(stored(&[("alpha", &plan)])));
    assert_eq!(names(&list), ["alpha"]);
    assert!(list.contains("data-name=\"alpha\" data-plan=\"v=1&amp;cores=6\""), "{list}");
    assert!(list.contains("aria-label=\"Open alpha\">Open</button>") && list.contains("aria-label=\"Delete alpha\">Delete</button>"), "{list}");
}

#[test]
fn each_change_says_what_it_did_as_the_page_said_it() {
    let doc = stored(&[("alpha", &Plan::default()), ("beta", &Plan::for_tier(Tier::Large))]);
    let doc = Some(doc.as_str());
    let said = |change: &str, a: &str, b: &str| {
        let (store, said, bad, _, _) = keep_answer(change, a, b, doc);
        (said, bad, store.is_some())
    };
    assert_eq!(said("save", "beta", "v=1"), ("Replaced the saved plan 'beta'.".to_string(), false, true));
    assert_eq!(said("save", "  ", "v=1"), ("Not saved: a plan needs a name.".to_string(), true, false));
    assert_eq!(said("rename", "alpha", "beta"), ("Not renamed: a saved plan is already named 'beta'.".to_string(), true, false));
    assert_eq!(said("rename", "alpha", " gamma "), ("Renamed 'alpha' to 'gamma'.".to_string(), false, true));
    assert_eq!(said("delete", "nope", ""), ("No saved plan is named 'nope'.".to_string(), true, false));
    assert_eq!(said("restore", "[1]", ""), ("Nothing to put back.".to_string(), true, false));
    let (_, _, _, _, list) = keep_answer("rename", "alpha", "beta", doc);
    assert_eq!(names(&list), ["alpha", "beta"], "a refused change lists what is stored");
}

#[test]
fn a_deleted_plan_comes_back_from_its_token_exactly() {
    // A plan as a person may have edited it by hand: kept as it is written.
    let doc = r#"{"format":"capacity-planner-saved-plans","version":1,"plans":[{"name":"a \"b\"","plan":"v=1&cores=3\nx"},{"name":"c","plan":"v=1"}]}"#;
    let (store, said, _, undo, list) = keep_answer("delete", "a \"b\"", "", Some(doc));
    assert_eq!(said, "Deleted 'a \"b\"'.");
    assert!(!undo.contains('\n'), "one line: {undo}");
    assert_eq!(names(&list), ["c"]);
    let (back, said, bad, undo, list) = keep_answer("restore", &undo, "", store.as_deref());
    assert_eq!((said.as_str(), bad, undo.as_str()), ("Put back 'a \"b\"'.", false, ""));
    assert_eq!(back.as_deref(), Some(doc));
    assert_eq!(names(&list), ["a &quot;b&quot;", "c"]);
}

#[test]
fn unreadable_stored_plans_are_said_left_as_they_are_and_replaced_by_a_save() {
    let broken = "{\"format\":\"capacity-planner-saved-plans\",";
    let (store, said, bad, _, list) = keep_answer("read", "", "", Some(broken));
    assert_eq!(store, None);
    assert!(bad && said.starts_with("The saved plans in this browser could not be read: it is not JSON (EOF"), "{said}");
    assert!(said.ends_with("They are left as they are until you save a plan."), "{said}");
    assert_eq!(list, "");
    let (_, said, bad, _, _) = keep_answer("delete", "x", "", Some(broken));
    assert_eq!((said.as_str(), bad), ("No saved plan is named 'x'.", true));
    let (store, said, ..) = keep_answer("save", "new", "v=1", Some(broken));
    assert_eq!((store, said.as_str()), (Some(stored(&[("new", &Plan::default())])), "Saved 'new'."));
}

#[test]
fn the_plan_being_renamed_is_its_form_holding_what_was_typed() {
    let doc = stored(&[("alpha", &Plan::default()), ("<b>", &Plan::default())]);
    let Some(Reply { list: Some(list), said, .. }) = answer(&request("1", "read", "", "", "alpha", "new \"name\"", Some(&doc))) else { panic!() };
    assert_eq!(said, "");
    assert!(list.contains("<li class=\"saved-plan renaming\" data-name=\"alpha\"><form><input class=\"rename-name\" aria-label=\"New name for alpha\" value=\"new &quot;name&quot;\" maxlength=\"80\"><button type=\"submit\" class=\"rename-ok\">Rename</button><button type=\"button\" class=\"rename-cancel\">Cancel</button></form></li>"), "{list}");
    assert!(list.contains("<span class=\"saved-name\">&lt;b&gt;</span>") && !list.contains("<b>"), "escaped: {list}");
    assert_eq!(list.matches("<li").count(), 2);
}

#[test]
fn an_imported_file_gives_its_name_and_its_plan_as_written_or_why_not() {
    let p = Plan::from_sets(&[(Field::Tier, "large"), (Field::Name, "shop")]);
    let text = plan_file("Shop API", &p);
    let opened = Reply { said: "Opened the plan in Shop.json.".to_string(), name: "Shop API".to_string(), open: Some(query::encode(&p)), ..Reply::default() };
    assert_eq!(import("Shop.json", &text), opened);
    let odd = format!("{{\"format\":\"{FILE_FORMAT}\",\"version\":1,\"plan\":\"v=1&cores=8&colour=red\"}}");
    assert_eq!((import("x", &odd).name, import("x", &odd).open), (String::new(), Some("v=1&cores=8&colour=red".to_string())));
    let big = "x".repeat(MAX_FILE_BYTES + 1);
    let bad = [
        ("{\"format\":\"capacity-planner-plan\",\"version\":1,\"plan\":\"v=1&co", "it is not JSON (EOF while parsing a string at line 1 column 60)"),
        ("{\"name\":\"x\",\"version\":\"1.0.0\"}", "it is not a capacity planner file"),
        ("{\"format\":\"capacity-planner-plan\",\"version\":2,\"plan\":\"v=2\"}", "it has format version 2, newer than this planner's 1; use a newer planner"),
        ("", "it is not JSON (EOF while parsing a value at line 1 column 0)"),
        (&big, "it is 65537 bytes, more than a plan file's 65536"),
    ];
    for (text, says) in bad {
        let said = format!("my\nfile.json was not imported: {says}. The plan on screen is unchanged.").replace('\n', " ");
        assert_eq!(import("my\nfile.json", text), Reply { said, bad: true, ..Reply::default() }, "{text:.80}");
    }
}

#[test]
fn an_exported_file_is_named_after_the_name_typed_else_the_service() {
    let p = Plan::from_sets(&[(Field::Tier, "large"), (Field::Server, "gthread")]);
    let q = query::encode(&p);
    let export = |name: &str| answer(&request("1", "export", name, &q, "", "", Some("stored"))).unwrap_or_default();
    let file = |name: &str, label: &str| Reply { said: format!("Exported {name}."), download: Some((name.to_string(), plan_file(label, &p))), ..Reply::default() };
    assert_eq!(export("Shop API"), file("Shop-API.plan.json", "Shop API"));
    assert_eq!(export("  "), file("app.plan.json", "app"));
}
