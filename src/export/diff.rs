//! Unified diffs of two texts by lines (issue 23: what to change in production to go from
//! one plan's files to another's): the longest common subsequence of their lines, then
//! hunks of the changes with three lines of context, as `diff -u` writes them and `patch`
//! reads them.
// Source: POSIX `diff -u` / GNU diffutils manual, "Detailed Description of Unified Format"
// (the hunk header `@@ -l,s +l,s @@`, a start of 0 for an empty range).

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// One line of the edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The edit script from `a` to `b`: for each step, the op and the line's index in `a`
/// (Same, Removed) or `b` (Added).
fn script(a: &[&str], b: &[&str]) -> Vec<(Op, usize)> {
    // The common prefix and suffix need no table.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
    let w = mb.len() + 1;
    let mut lcs = vec![0u32; (ma.len() + 1) * w];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i * w + j] = if ma[i] == mb[j] { lcs[(i + 1) * w + j + 1] + 1 } else { lcs[(i + 1) * w + j].max(lcs[i * w + j + 1]) };
        }
    }
    let mut out: Vec<(Op, usize)> = (0..prefix).map(|i| (Op::Same, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            out.push((Op::Same, prefix + i));
            i += 1;
            j += 1;
        } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            // Removals before additions, as `diff -u` writes a changed run.
            out.push((Op::Removed, prefix + i));
            i += 1;
        } else {
            out.push((Op::Added, prefix + j));
            j += 1;
        }
    }
    out.extend((0..suffix).map(|k| (Op::Same, a.len() - suffix + k)));
    out
}

/// The unified diff from `a` (named `from`) to `b` (named `to`); "" when they are equal. A
/// text that does not end with a newline gets `\ No newline at end of file` after its
/// last line, as `diff` writes it.
pub fn unified(from: &str, to: &str, a: &str, b: &str) -> String {
    if a == b {
        return String::new();
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let ops = script(&la, &lb);
    // Each op's line numbers (1-based) in a and b before it.
    let mut at = Vec::with_capacity(ops.len());
    let (mut na, mut nb) = (0usize, 0usize);
    for &(op, _) in &ops {
        at.push((na, nb));
        match op {
            Op::Same => {
                na += 1;
                nb += 1;
            }
            Op::Removed => na += 1,
            Op::Added => nb += 1,
        }
    }
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| o.0 != Op::Same).map(|(k, _)| k).collect();
    let mut out = format!("--- {from}\n+++ {to}\n");
    let mut k = 0;
    while k < changed.len() {
        // A hunk: from CONTEXT before this change to CONTEXT after the last change closer
        // than twice the context (unchanged lines between them) to the one before it, as
        // `diff -u` joins them.
        let start = changed[k].saturating_sub(CONTEXT);
        let mut last = changed[k];
        while k + 1 < changed.len() && changed[k + 1] - last <= 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        let end = (last + CONTEXT + 1).min(ops.len());
        let span = &ops[start..end];
        let count = |keep: Op| span.iter().filter(|o| o.0 == Op::Same || o.0 == keep).count();
        let (ca, cb) = (count(Op::Removed), count(Op::Added));
        let first = |n: usize, c: usize| if c == 0 { n } else { n + 1 };
        out.push_str(&format!("@@ -{} +{} @@\n", range(first(at[start].0, ca), ca), range(first(at[start].1, cb), cb)));
        for &(op, idx) in span {
            let (mark, line, text) = match op {
                Op::Same => (' ', la[idx], a),
                Op::Removed => ('-', la[idx], a),
                Op::Added => ('+', lb[idx], b),
            };
            out.push(mark);
            out.push_str(line);
            out.push('\n');
            let lines = if op == Op::Added { lb.len() } else { la.len() };
            if idx + 1 == lines && !text.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
        k += 1;
    }
    out
}

/// `start,count` as the header writes it (`start` alone for one line).
fn range(start: usize, count: usize) -> String {
    if count == 1 {
        start.to_string()
    } else {
        format!("{start},{count}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_one_hunk_with_its_context() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(unified("a", "b", a, b), "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
        assert_eq!(unified("a", "b", a, a), "");
    }

    #[test]
    fn files_present_in_one_plan_only_diff_from_or_to_nothing() {
        assert_eq!(unified("/dev/null", "b/x", "", "one\ntwo\n"), "--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n");
        assert_eq!(unified("a/x", "/dev/null", "one\n", ""), "--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-one\n");
        assert_eq!(unified("a", "b", "x", "y"), "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n");
    }

    #[test]
    fn far_apart_changes_are_separate_hunks_and_near_ones_one() {
        let a: String = (1..=30).map(|i| format!("{i}\n")).collect();
        let far = a.replace("\n5\n", "\nfive\n").replace("\n25\n", "\ntwenty-five\n");
        assert_eq!(unified("a", "b", &a, &far).matches("@@ -").count(), 2);
        let near = a.replace("\n5\n", "\nfive\n").replace("\n10\n", "\nten\n");
        assert_eq!(unified("a", "b", &a, &near).matches("@@ -").count(), 1);
    }

    /// `a` with a unified diff applied, hunk by hunk, checking every context and removed
    /// line against `a` (what `patch` does, without fuzz).
    fn apply(a: &str, diff: &str) -> String {
        let lines: Vec<&str> = a.lines().collect();
        let mut out: Vec<String> = Vec::new();
        let mut next = 0; // the next line of `a` not yet copied
        for hunk in diff.split("\n@@ -").skip(1) {
            let start: usize = hunk.split([',', ' ']).next().unwrap().parse().unwrap();
            let count_a = hunk.split(' ').next().unwrap().split(',').nth(1).map_or(1, |c| c.parse().unwrap());
            let from = if count_a == 0 { start } else { start - 1 };
            out.extend(lines[next..from].iter().map(|l| l.to_string()));
            next = from;
            for line in hunk.lines().skip(1) {
                match line.split_at(1) {
                    (" ", text) | ("-", text) => {
                        assert_eq!(lines[next], text, "context or removal at {next}");
                        if line.starts_with(' ') {
                            out.push(text.to_string());
                        }
                        next += 1;
                    }
                    ("+", text) => out.push(text.to_string()),
                    _ => {}
                }
            }
        }
        out.extend(lines[next..].iter().map(|l| l.to_string()));
        out.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn any_diff_applied_to_a_gives_b() {
        let mut rng = crate::model::rng::Rng(0xD1FF);
        for _ in 0..3000 {
            let text = |rng: &mut crate::model::rng::Rng| -> String { (0..rng.below(40)).map(|_| format!("{}\n", ["x", "y", "z", "w", ""][rng.below(5)])).collect() };
            let (a, b) = (text(&mut rng), text(&mut rng));
            let d = unified("a", "b", &a, &b);
            assert_eq!(d.is_empty(), a == b);
            assert_eq!(apply(&a, &d), b, "{a:?} → {b:?}:\n{d}");
        }
    }
}
