//! Fuzzing what a person can hand the page: random and mutated links (seeded from
//! `golden_links.txt`), plan files and stored saved-plans documents. Nothing may panic;
//! every plan read is valid, its link reads back to the same plan, and notices stay short.
//!
//! `cargo test --test fuzz_links` runs a short round (20,000 cases, part of `make test`);
//! `make fuzz` runs `FUZZ_CASES=1000000` in release mode and prints the count and time.

use std::time::Instant;

mod fuzzing;
use fuzzing::{mutate_chars, random_bytes, Rng};

use planner::model::query::{decode, decode_strict, encode};
use planner::model::{Field, Plan};
use planner::share::{self, keep, SavedPlans};

const GOLDEN: &str = include_str!("golden_links.txt");


const VALUES: &[&str] = &[
    "", "0", "1", "2", "3", "8", "16", "256", "257", "-1", "0.5", "1e3", "1e999", "NaN", "inf", "auto",
    "small", "medium", "large", "custom", "sync", "gthread", "gevent", "async", "none", "postgres", "redis",
    "nginx", "k8s", "django", "flask", "fastapi", "generic", "on", "off", "app", "own", "hdd", "nvme", "job", "20,50,30", "0,0,100", "50,50,50",
    "1,2,3", "%FF", "%", "+", "%20", "é", "<b>", "\"", "4294967296",
    // Request classes: 1 to 8 (and 9), names.
    "100", "50,50", "60,40", "10,10,10,10,10,10,10,30", "10,10,10,10,10,10,10,10,20", "1,2", "5,5,5,5,5,5,5,5",
    "search,checkout", "a,b,c", "I/O-bound,x,y", "a%2Cb", "class+1", "x;y,z,w", "100,200",
];
const JUNK: &[char] = &['%', '&', '=', '#', '?', '+', ',', '0', '9', 'F', 'é', '\u{0}', ' ', '"', '\\', '{', '}', '[', ']', ':'];


fn random_link(rng: &mut Rng) -> String {
    let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).chain(["v", "zz", "", "V", "cores ", "compare"]).collect();
    let mut out = String::from(*rng.pick(&["", "?", "#", "https://h/p/?a=b#", "https://h/#x&", "/sub/#"]));
    for _ in 0..rng.below(14) {
        let key = *rng.pick(&keys);
        let value = match rng.below(6) {
            0 => random_bytes(rng, 8),
            1 => (rng.below(300) as i64 - 20).to_string(),
            _ => rng.pick(VALUES).to_string(),
        };
        out.push_str(&format!("{key}={value}&"));
    }
    out
}


/// The links of `golden_links.txt`, as mutation seeds.
fn golden() -> Vec<&'static str> {
    GOLDEN
        .lines()
        .filter_map(|l| l.split_once(" => ").map(|(link, _)| link.trim()))
        .filter(|l| !l.is_empty())
        .collect()
}

#[track_caller]
fn check_link(link: &str) {
    let d = decode(link);
    assert_eq!(d.plan.validate(), vec![], "{link:?}");
    let again = decode(&encode(&d.plan));
    assert_eq!(again.plan, d.plan, "{link:?}");
    assert!(again.errors.is_empty() && again.unknown.is_empty() && again.bad_version.is_none(), "{link:?}");
    assert_eq!(decode_strict(link).is_ok(), d.errors.is_empty() && d.bad_version.is_none(), "{link:?}");
    // As the page reads it: from its address, with notices, then written back.
    let href = format!("https://h/sub/#{link}");
    let opened = share::from_link(&href).map_or_else(|| share::start(&href, Some(link)), |l| l);
    assert!(opened.notices.iter().all(|n| n.chars().count() < 600), "{link:?}");
    let url = format!("https://h{}", share::page_url("/sub/", "?utm=x", link, &opened.plan));
    assert_eq!(share::from_link(&url).map(|l| (l.plan, l.notices)), Some((opened.plan, vec![])), "{link:?}");
    // The pinned plans of "Compare plans": any value reads to queries that read back the same.
    let pinned = share::compare::decode(link);
    assert_eq!(share::compare::decode(&share::compare::encode(&pinned)), pinned, "{link:?}");
}

fn check_file(text: &str) {
    if let Ok(imported) = share::read_plan_file(text) {
        assert_eq!(imported.loaded.plan.validate(), vec![], "{text:?}");
    }
    if let Ok(saved) = SavedPlans::from_json(text) {
        assert_eq!(SavedPlans::from_json(&saved.to_json()).as_ref(), Ok(&saved), "{text:?}");
    }
    // What the files' worker answers the page, the text stored or imported.
    let _ = keep::answer(&keep::request("1", "delete", "a \"plan\"", "", "", "", Some(text)));
    let _ = keep::answer(&keep::request("1", "import", "f.json", "", "", "", Some(text)));
}

#[test]
fn links_and_files_never_panic_and_always_read_to_valid_plans() {
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let seeds = golden();
    let mut saved = SavedPlans::default();
    let _ = saved.save("a \"plan\"", &Plan::default());
    let files = [share::plan_file("shop", &Plan::default()), saved.to_json()];
    let mut rng = Rng(0x5EED_0F_1175_u64);
    let started = Instant::now();
    let mut changed = 0usize;
    for i in 0..cases {
        match i % 5 {
            0 => check_link(&random_link(&mut rng)),
            1 => {
                let link = random_link(&mut rng);
                check_link(&mutate_chars(&mut rng, &link, JUNK));
            }
            2 => {
                let seed = rng.pick(&seeds).to_string();
                let link = mutate_chars(&mut rng, &seed, JUNK);
                changed += usize::from(decode(&link).plan != Plan::default());
                check_link(&link);
            }
            3 => check_link(&random_bytes(&mut rng, 48)),
            _ => {
                let file = rng.pick(&files).clone();
                let link = random_link(&mut rng).replace('"', "");
                check_file(&mutate_chars(&mut rng, &file.replace("v=1", &link), JUNK));
            }
        }
    }
    assert!(cases < 1000 || changed * 10 > cases / 5, "mutated golden links reach real plans: {changed}");
    eprintln!("fuzz: {cases} links and files in {:.1} s", started.elapsed().as_secs_f64());
}

/// The worker's answer to "Compare plans" with a random or mutated comparison (each
/// answer solves up to four plans and their files: fewer cases): never a panic, and
/// the comparison it answers reads back as it was kept.
#[test]
fn comparisons_never_panic() {
    use planner::export::compare::markup::answer;
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).map_or(120, |n: usize| n / 200);
    let mut rng = Rng(0xC0_4BA4E_u64);
    let seeds = golden();
    for i in 0..cases {
        let queries: Vec<String> = (0..1 + rng.below(4)).map(|_| if i % 2 == 0 { random_link(&mut rng) } else { rng.pick(&seeds).to_string() }).collect();
        let mut value = share::compare::encode(&queries);
        if i % 3 == 0 {
            value = mutate_chars(&mut rng, &value, JUNK);
        }
        let action = *rng.pick(&["show", "pin", "remove 1", "remove 9", "clear", "", "pin\nx"]);
        let (kept, markup) = answer(&format!("compare\n{}\n{action}\n{value}", random_link(&mut rng)));
        assert!(share::compare::decode(&kept).len() <= 4, "{value:?}");
        assert!(markup.starts_with('<'), "{value:?}");
    }
}
