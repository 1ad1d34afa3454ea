//! The settings list as HTML, written by the config files' worker for the page: the page
//! keeps the list, and the code that lays it out, out of its first load, and shows this
//! text once the person opens the section. Every text is escaped; the markup is fixed:
//! a `<details>` per component (`#d-<id>`), a `.setting` per value (`#s-<id>-<name>`,
//! dots as '-') with its name, value and unit, and why with its source.

use super::Section;

/// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe in text and in
/// a double-quoted attribute.
pub fn escaped(out: &mut String, text: &str) {
    crate::share::json::escape_runs(out, text, |bytes, i| match bytes[i] {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Appends each piece, the odd ones (the values) escaped, the even ones (the markup) as
/// they are.
pub fn put(out: &mut String, pieces: &[&str]) {
    for (i, p) in pieces.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(p);
        } else {
            escaped(out, p);
        }
    }
}

/// The sections' markup; the components whose ids are in `open` are open.
pub fn html(sections: &[Section], open: &[&str]) -> String {
    let mut out = String::new();
    for s in sections {
        let is_open = if open.contains(&s.id.as_str()) { " open" } else { "" };
        let count = format!(" · {} values", s.lines.len());
        put(&mut out, &["<details class=\"component\" id=\"d-", &s.id, &format!("\"{is_open}><summary>"), &s.title, "<span class=\"count\">", &count, "</span></summary><dl class=\"settings\">"]);
        for l in &s.lines {
            let id = format!("s-{}-{}", s.id, l.name.replace('.', "-"));
            put(&mut out, &["<div class=\"setting\" id=\"", &id, "\"><dt><code>", &l.name, "</code></dt><dd class=\"v\">", &l.value]);
            if !l.unit.is_empty() {
                put(&mut out, &["<span class=\"unit\"> ", &l.unit, "</span>"]);
            }
            put(&mut out, &["</dd><dd class=\"why\">", &l.why, "<span class=\"source\"> — ", &l.source, "</span></dd></div>"]);
        }
        out.push_str("</dl></details>");
    }
    out
}

/// The components open until the person opens or closes one: the app server's and
/// PostgreSQL's, the values most plans are about.
pub const OPEN_AT_FIRST: &[&str] = &["gunicorn", "postgres"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::details::{sections, Line};
    use crate::model::{rules, Plan};

    #[test]
    fn every_value_of_the_plan_is_in_its_setting_with_unit_why_and_source() {
        let s = sections(&rules::recommend(&Plan::default()));
        let h = html(&s, OPEN_AT_FIRST);
        assert!(h.starts_with("<details class=\"component\" id=\"d-gunicorn\" open><summary>App server<span class=\"count\"> · 10 values</span>"), "{h}");
        assert!(h.contains("<div class=\"setting\" id=\"s-gunicorn-timeout\"><dt><code>timeout</code></dt><dd class=\"v\">30<span class=\"unit\"> s</span></dd>"), "{h}");
        assert!(h.contains("<details class=\"component\" id=\"d-nginx\"><summary>"), "closed unless asked");
        let lines: usize = s.iter().map(|x| x.lines.len()).sum();
        assert_eq!(h.matches("<div class=\"setting\"").count(), lines);
        assert_eq!(h.matches("<details").count(), s.len());
        assert_eq!(h.matches("</details>").count(), s.len());
    }

    #[test]
    fn text_is_escaped_so_no_value_writes_markup() {
        let s = vec![Section {
            id: "x".into(),
            title: "<b>".into(),
            lines: vec![Line { name: "a\"b".into(), value: "<script>&'".into(), unit: String::new(), why: "w".into(), source: "s".into() }],
        }];
        let h = html(&s, &[]);
        assert!(h.contains("<summary>&lt;b&gt;<span"), "{h}");
        assert!(h.contains("id=\"s-x-a&quot;b\""), "{h}");
        assert!(h.contains("<dd class=\"v\">&lt;script&gt;&amp;&#39;</dd>"), "{h}");
        assert!(!h.contains("<script>") && !h.contains("<b>"), "{h}");
    }
}
