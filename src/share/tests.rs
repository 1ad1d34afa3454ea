//! Tests of sharing and keeping a plan through the public functions.

use super::*;
use crate::model::Tier;

/// A plan built from the default by `Plan::set`, as the form builds one.
fn plan(sets: &[(Field, &str)]) -> Plan {
    Plan::from_sets(sets)
}

#[track_caller]
fn err_text<T: std::fmt::Debug>(r: Result<T, ShareError>) -> String {
    r.expect_err("an error").to_string()
}

#[test]
fn the_fragment_is_the_query_string_with_only_non_default_values() {
    assert_eq!(fragment(&Plan::default()), "v=1");
    let p = plan(&[(Field::Cores, "8"), (Field::Server, "sync")]);
    assert_eq!(fragment(&p), "v=1&cores=8&server=sync");
}

#[test]
fn the_page_url_keeps_the_path_and_a_foreign_query_but_drops_an_old_query_link() {
    let p = plan(&[(Field::Tier, "large")]);
    assert_eq!(page_url("/", "", "", &p), "/#v=1&tier=large");
    assert_eq!(page_url("/sub/path/", "?utm=x", "#v=1", &p), "/sub/path/?utm=x#v=1&tier=large");
    assert_eq!(page_url("/sub/", "?cores=8&ram=16", "", &p), "/sub/#v=1&tier=large");
    // The pinned plans of "Compare plans" stay in the address when the plan changes.
    assert_eq!(page_url("/", "", "#v=1&cores=3&compare=v%3D1", &p), "/#v=1&tier=large&compare=v%3D1");
}

#[test]
fn only_parts_with_a_version_or_a_field_key_carry_a_plan() {
    for yes in ["v=1", "#v=1", "?cores=8", "x=1&server=sync", " cores =8"] {
        assert!(carries_plan(yes), "{yes}");
    }
    for no in ["", "#", "#results", "?utm_source=x", "Cores=8", "colour=blue&&"] {
        assert!(!carries_plan(no), "{no}");
    }
}

#[test]
fn a_link_opens_its_plan_exactly() {
    let p = plan(&[(Field::Tier, "large"), (Field::Server, "gthread"), (Field::Threads, "3"), (Field::Name, "shop")]);
    let link = format!("https://planner.example/sub/#{}", fragment(&p));
    assert_eq!(from_link(&link), Some(Loaded { plan: p.clone(), notices: vec![] }));
    let old = format!("https://planner.example/?{}", fragment(&p));
    assert_eq!(from_link(&old).map(|l| l.plan), Some(p));
}

#[test]
fn a_page_without_a_plan_in_its_link_is_not_a_link() {
    for href in ["https://planner.example/", "https://planner.example/sub/?utm=x#results", "http://h/#"] {
        assert_eq!(from_link(href), None, "{href}");
    }
}

#[test]
fn a_link_wins_over_the_kept_plan_which_wins_over_the_default() {
    let kept = "v=1&cores=6";
    assert_eq!(start("https://h/#v=1&cores=2", Some(kept)).plan.cores, 2);
    assert_eq!(start("https://h/", Some(kept)).plan.cores, 6);
    assert_eq!(start("https://h/#results", None), Loaded { plan: Plan::default(), notices: vec![] });
}

#[test]
fn unknown_keys_and_invalid_values_give_a_notice_each_naming_the_key() {
    let loaded = from_link("https://h/#v=1&cores=0&colour=blue&server=tornado&replicas=3").unwrap_or_else(|| panic!());
    assert_eq!(loaded.plan, plan(&[(Field::Replicas, "3")]));
    let [cores, server, unknown] = loaded.notices.as_slice() else { panic!("{:?}", loaded.notices) };
    assert!(cores.starts_with("The link: cores — ") && cores.ends_with("the default (4) is used."), "{cores}");
    assert!(server.contains("'tornado' is not one of"), "{server}");
    assert_eq!(unknown, "The link has keys this planner does not know; they were ignored: 'colour'.");
}

#[test]
fn another_version_is_read_as_version_one_with_a_notice() {
    let loaded = Loaded::read("v=2&cores=8", "The link");
    assert_eq!(loaded.plan.cores, 8);
    assert_eq!(loaded.notices, ["The link says it is version '2'; this planner knows version 1 and read it as that."]);
}

#[test]
fn notices_stay_short_whatever_the_link_holds() {
    let keys: String = (0..50).map(|i| format!("k{i}=1&")).collect();
    let link = format!("{keys}cores={}&{}=1", "9".repeat(10_000), "x".repeat(10_000));
    let loaded = Loaded::read(&link, "The link");
    assert!(loaded.notices.iter().all(|n| n.chars().count() < 400), "{:?}", loaded.notices);
    assert!(loaded.notices.iter().any(|n| n.contains("and 43 more")), "{:?}", loaded.notices);
}

#[test]
fn the_kept_plan_reads_like_a_link_and_foreign_text_only_gives_notices() {
    let loaded = start("https://h/", Some("{\"not\":\"a plan\"}"));
    assert_eq!(loaded.plan, Plan::default());
    assert_eq!(loaded.notices, ["The plan kept in this browser is not a plan this planner can read; the default plan is shown."]);
    let partly = start("https://h/", Some("v=1&cores=8&colour=red"));
    assert_eq!(partly.plan.cores, 8);
    assert!(partly.notices[0].starts_with("The plan kept in this browser has keys"), "{:?}", partly.notices);
}

#[test]
fn names_are_trimmed_one_line_and_bounded() {
    assert_eq!(clean_name("  shop api \n").ok().as_deref(), Some("shop api"));
    assert_eq!(clean_name("a\tb").ok().as_deref(), Some("a b"));
    assert_eq!(err_text(clean_name("   ")), "a plan needs a name");
    assert!(clean_name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
    assert_eq!(err_text(clean_name(&"é".repeat(MAX_NAME_CHARS + 1))), "a name has at most 80 characters");
}

#[test]
fn saved_plans_save_open_rename_and_delete() {
    let mut saved = SavedPlans::default();
    let small = Plan::for_tier(Tier::Small);
    assert_eq!(saved.save(" shop ", &small).ok().as_deref(), Some("shop"));
    saved.save("Batch", &plan(&[(Field::Workload, "job")])).unwrap_or_default();
    saved.save("api", &Plan::default()).unwrap_or_default();
    let names = |s: &SavedPlans| s.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&saved), ["api", "Batch", "shop"]);
    assert_eq!(saved.open("shop"), Some(Loaded { plan: small.clone(), notices: vec![] }));
    assert_eq!(saved.open("nope"), None);

    assert_eq!(saved.rename("shop", "web").ok().as_deref(), Some("web"));
    assert_eq!(names(&saved), ["api", "Batch", "web"]);
    assert_eq!(err_text(saved.rename("web", "api")), "a saved plan is already named 'api'");
    assert_eq!(err_text(saved.rename("gone", "x")), "no saved plan is named 'gone'");
    assert_eq!(saved.rename("web", "WEB").ok().as_deref(), Some("WEB"));

    let deleted = saved.delete("api");
    assert_eq!(names(&saved), ["Batch", "WEB"]);
    saved.restore(deleted.unwrap_or_else(|| panic!("deleted")));
    assert_eq!(names(&saved), ["api", "Batch", "WEB"]);
    assert_eq!(saved.delete("api").map(|p| p.plan), Some("v=1".to_string()));
    assert_eq!(saved.delete("api"), None);
}

#[test]
fn saving_under_a_taken_name_replaces_that_plan() {
    let mut saved = SavedPlans::default();
    saved.save("shop", &Plan::default()).unwrap_or_default();
    saved.save("shop", &Plan::for_tier(Tier::Large)).unwrap_or_default();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved.open("shop").map(|l| l.plan.tier), Some(Tier::Large));
}

#[test]
fn saved_plans_round_trip_through_their_stored_document() {
    let mut saved = SavedPlans::default();
    saved.save("shop \"1\"", &Plan::for_tier(Tier::Large)).unwrap_or_default();
    saved.save("été", &Plan::default()).unwrap_or_default();
    let json = saved.to_json();
    assert!(json.starts_with(r#"{"format":"capacity-planner-saved-plans","version":1,"plans":[{"name":"#), "{json}");
    assert_eq!(SavedPlans::from_json(&json), Ok(saved));
    assert_eq!(SavedPlans::from_json(&SavedPlans::default().to_json()), Ok(SavedPlans::default()));
}

#[test]
fn a_stored_document_skips_entries_it_cannot_read() {
    let json = r#"{"format":"capacity-planner-saved-plans","version":1,"plans":[
        {"name":"ok","plan":"v=1&cores=8"},{"name":"","plan":"v=1"},{"name":3,"plan":"v=1"},{"plan":"v=1"},7,
        {"name":"ok","plan":"v=1&cores=2"},{"name":"extra","plan":"v=1","later":true}]}"#;
    let saved = SavedPlans::from_json(json).unwrap_or_default();
    let got: Vec<_> = saved.iter().map(|p| (p.name.as_str(), p.plan.as_str())).collect();
    assert_eq!(got, [("extra", "v=1"), ("ok", "v=1&cores=2")]);
}

#[test]
fn corrupt_or_foreign_stored_documents_are_errors() {
    let cases = [
        ("", "it is not JSON (EOF while parsing a value at line 1 column 0)"),
        ("{\"format\":", "it is not JSON (EOF while parsing a value at line 1 column 10)"),
        ("[1,2]", "it is not a capacity planner file"),
        ("{\"plans\":[]}", "it is not a capacity planner file"),
        (r#"{"format":"capacity-planner-plan","version":1,"plan":"v=1"}"#, "it is not a capacity planner file"),
        (r#"{"format":"capacity-planner-saved-plans","plans":[]}"#, "it is not a capacity planner file"),
        (r#"{"format":"capacity-planner-saved-plans","version":2}"#, "it has format version 2, newer than this planner's 1; use a newer planner"),
    ];
    for (text, says) in cases {
        assert_eq!(err_text(SavedPlans::from_json(text)), says, "{text}");
    }
}

#[test]
fn a_plan_file_carries_the_name_and_the_query_string() {
    let p = plan(&[(Field::Tier, "large"), (Field::Name, "shop")]);
    let text = plan_file("Shop \"prod\"", &p);
    assert_eq!(
        text,
        "{\n  \"format\": \"capacity-planner-plan\",\n  \"version\": 1,\n  \"name\": \"Shop \\\"prod\\\"\",\n  \"plan\": \"v=1&name=shop&tier=large\"\n}\n"
    );
    let imported = read_plan_file(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported, Imported { name: "Shop \"prod\"".to_string(), loaded: Loaded { plan: p, notices: vec![] } });
}

#[test]
fn version_one_plan_files_stay_readable() {
    // A file as the first release wrote it: never change this text.
    let text = "\u{feff}{\"format\":\"capacity-planner-plan\",\"version\":1,\"name\":\"old\",\"plan\":\"v=1&cores=8&server=sync&colour=red\"}";
    let imported = read_plan_file(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((imported.name.as_str(), imported.loaded.plan.cores), ("old", 8));
    assert_eq!(imported.loaded.notices, ["The file has keys this planner does not know; they were ignored: 'colour'."]);
    let nameless = read_plan_file(r#"{"format":"capacity-planner-plan","version":1,"plan":"tier=small"}"#);
    assert_eq!(nameless.map(|i| (i.name, i.loaded.plan.tier)), Ok((String::new(), Tier::Small)));
}

#[test]
fn corrupt_or_foreign_plan_files_are_errors() {
    let big = format!("{{\"format\":\"capacity-planner-plan\",\"version\":1,\"plan\":\"{}\"}}", "x".repeat(MAX_FILE_BYTES));
    let cases = [
        ("\u{0}\u{1}PNG", "it is not JSON (expected value at line 1 column 1)"),
        ("{\"name\":\"x\"}", "it is not a capacity planner file"),
        ("\"v=1&cores=8\"", "it is not a capacity planner file"),
        (r#"{"format":"capacity-planner-saved-plans","version":1,"plans":[]}"#, "it is not a capacity planner file"),
        (r#"{"format":"capacity-planner-plan","version":"1","plan":"v=1"}"#, "it has format version \"1\", newer than this planner's 1; use a newer planner"),
        (r#"{"format":"capacity-planner-plan","version":3,"plan":"v=1"}"#, "it has format version 3, newer than this planner's 1; use a newer planner"),
        (r#"{"format":"capacity-planner-plan","version":1}"#, "it holds no plan"),
        (r#"{"format":"capacity-planner-plan","version":1,"plan":{"cores":8}}"#, "it holds no plan"),
        (&big, "it is 65592 bytes, more than a plan file's 65536"),
    ];
    for (text, says) in cases {
        assert_eq!(err_text(read_plan_file(text)), says, "{text:.80}");
    }
}

#[test]
fn file_names_keep_safe_characters_only() {
    assert_eq!(file_name("shop-api"), "shop-api.plan.json");
    assert_eq!(file_name(" Shop API / prod "), "Shop-API---prod.plan.json");
    assert_eq!(file_name("../.."), "plan.plan.json");
    assert_eq!(file_name(""), "plan.plan.json");
}
