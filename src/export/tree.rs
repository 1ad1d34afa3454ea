//! Structured file contents as data (a small ordered tree), and the two writers that
//! print it: YAML (Kubernetes manifests, Prometheus rules) and Nix (guide 002's style).
//! Generators build a [`Node`]; only these writers decide quoting and escaping, so no
//! value can break the syntax of the file it lands in.

use std::borrow::Cow;

/// A value of a structured file. Maps keep their order (apiVersion before kind before spec).
/// Strings borrow from the plan and the rules where they can: a file is printed on every
/// change, and its tree is dropped right after.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Str(Cow<'a, str>),
    /// A whole file's text: YAML writes it as a literal block (`key: |`, its lines as they
    /// are) when it can, so a config inside a ConfigMap reads as the file; else as a string.
    Text(Cow<'a, str>),
    Int(i64),
    Num(f64),
    Bool(bool),
    List(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// A string node.
pub fn s<'a>(text: impl Into<Cow<'a, str>>) -> Node<'a> {
    Node::Str(text.into())
}

/// A text node (a file's whole text).
pub fn text<'a>(text: impl Into<Cow<'a, str>>) -> Node<'a> {
    Node::Text(text.into())
}

/// Whether YAML can hold `t` as a literal block that reads back as exactly `t`: one final
/// newline (the block's default, clip), a first character that is not a space (which
/// would set the block's indentation), and no control character but the tab.
fn block_ok(t: &str) -> bool {
    t.ends_with('\n')
        && !t.ends_with("\n\n")
        && !t.starts_with([' ', '\t', '\n'])
        && !t.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{feff}')
}

/// An integer node.
pub fn int<'a>(x: impl Into<i64>) -> Node<'a> {
    Node::Int(x.into())
}

/// A map node from (key, value) pairs, in order.
pub fn map<'a>(pairs: impl IntoIterator<Item = (&'a str, Node<'a>)>) -> Node<'a> {
    Node::Map(pairs.into_iter().collect())
}

/// A list node.
pub fn list<'a>(items: impl IntoIterator<Item = Node<'a>>) -> Node<'a> {
    Node::List(items.into_iter().collect())
}

/// A number as both writers print it: integral values without a fraction.
fn number(out: &mut String, x: f64) {
    if x.is_finite() {
        out.push_str(&crate::model::decimal::shortest(x));
    } else {
        out.push('0');
    }
}

fn integer(out: &mut String, i: i64) {
    if i < 0 {
        out.push('-');
    }
    out.push_str(&crate::model::text::digits(i.unsigned_abs()));
}

fn spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > 0 {
        let k = left.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        left -= k;
    }
}

/// A string as a double-quoted scalar: JSON's escaping is valid YAML.
fn yaml_str(out: &mut String, text: &str) {
    crate::share::json::quote_into(out, text);
}

/// A map key, plain when it is a simple word, else quoted.
fn yaml_key(out: &mut String, key: &str) {
    let plain = key.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'));
    if plain {
        out.push_str(key);
    } else {
        yaml_str(out, key);
    }
}

/// Whether a node is printed on its key's line: scalars and empty collections.
fn is_inline(node: &Node) -> bool {
    match node {
        Node::Text(t) => !block_ok(t),
        Node::List(xs) => xs.is_empty(),
        Node::Map(kv) => kv.is_empty(),
        _ => true,
    }
}

/// Prints a node that [`is_inline`] (a collection here is empty).
fn yaml_inline(out: &mut String, node: &Node) {
    match node {
        Node::Str(t) | Node::Text(t) => yaml_str(out, t),
        Node::Int(i) => integer(out, *i),
        Node::Num(x) => number(out, *x),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

/// The node as a YAML block document (without the `---` line).
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    write_yaml(&mut out, node);
    out
}

/// [`to_yaml`] appended to `out`.
pub fn write_yaml(out: &mut String, node: &Node) {
    yaml_lines(node, 0, None, out);
}

/// Where a block's first line starts: at its indent, or after a list item's dash.
#[derive(Clone, Copy)]
struct First {
    /// The indent of the line holding the dashes.
    indent: usize,
    /// The "- " written before the block's first line (nested items write several).
    dashes: usize,
}

/// Writes `node` as block lines at `indent`; `first` replaces the indent of the first
/// line (a list item's "- " prefix), so no line is written twice.
fn yaml_lines(node: &Node, indent: usize, mut first: Option<First>, out: &mut String) {
    fn pad(first: &mut Option<First>, indent: usize, out: &mut String) {
        match first.take() {
            Some(f) => {
                spaces(out, f.indent);
                for _ in 0..f.dashes {
                    out.push_str("- ");
                }
            }
            None => spaces(out, indent),
        }
    }
    match node {
        Node::Map(kv) if !kv.is_empty() => {
            for (k, v) in kv {
                pad(&mut first, indent, out);
                yaml_key(out, k);
                if is_inline(v) {
                    out.push_str(": ");
                    yaml_inline(out, v);
                    out.push('\n');
                } else if let Node::Text(t) = v {
                    out.push_str(": |\n");
                    for line in t.lines() {
                        if !line.is_empty() {
                            spaces(out, indent + 2);
                            out.push_str(line);
                        }
                        out.push('\n');
                    }
                } else {
                    out.push_str(":\n");
                    // Lists sit at their key's indent (the common Kubernetes style).
                    let inner = if matches!(v, Node::List(_)) { indent } else { indent + 2 };
                    yaml_lines(v, inner, None, out);
                }
            }
        }
        Node::List(xs) if !xs.is_empty() => {
            for x in xs {
                let item = first.take().map_or(First { indent, dashes: 1 }, |f| First { dashes: f.dashes + 1, ..f });
                if is_inline(x) {
                    pad(&mut Some(item), indent, out);
                    yaml_inline(out, x);
                    out.push('\n');
                } else {
                    // The item's first line follows "- ", the rest is indented under it.
                    yaml_lines(x, indent + 2, Some(item), out);
                }
            }
        }
        other => {
            pad(&mut first, indent, out);
            yaml_inline(out, other);
            out.push('\n');
        }
    }
}

/// A string as a Nix string literal that cannot interpolate.
pub fn nix_str(text: &str) -> String {
    let mut out = String::new();
    write_nix_str(&mut out, text);
    out
}

fn write_nix_str(out: &mut String, text: &str) {
    out.push('"');
    crate::share::json::escape_runs(out, text, |bytes, i| match bytes[i] {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        b'\n' => Some("\\n"),
        b'\r' => Some("\\r"),
        b'\t' => Some("\\t"),
        b'$' if bytes.get(i + 1) == Some(&b'{') => Some("\\$"),
        _ => None,
    });
    out.push('"');
}

/// An attribute name, bare when it is a Nix identifier, else quoted.
fn nix_key(out: &mut String, key: &str) {
    let ident = key.as_bytes().first().is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'\''));
    if ident {
        out.push_str(key);
    } else {
        write_nix_str(out, key);
    }
}

/// The node as a Nix expression, indented for a line that starts at `indent`.
pub fn to_nix(node: &Node, indent: usize) -> String {
    let mut out = String::new();
    write_nix(&mut out, node, indent);
    out
}

/// [`to_nix`] appended to `out`.
pub fn write_nix(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Str(t) | Node::Text(t) => write_nix_str(out, t),
        Node::Int(i) if *i < 0 => {
            out.push('(');
            integer(out, *i);
            out.push(')');
        }
        Node::Int(i) => integer(out, *i),
        Node::Num(x) if *x < 0.0 => {
            out.push('(');
            number(out, *x);
            out.push(')');
        }
        Node::Num(x) => number(out, *x),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::List(xs) if xs.is_empty() => out.push_str("[ ]"),
        Node::Map(kv) if kv.is_empty() => out.push_str("{ }"),
        Node::List(xs) => {
            out.push_str("[\n");
            for x in xs {
                spaces(out, indent + 2);
                write_nix(out, x, indent + 2);
                out.push('\n');
            }
            spaces(out, indent);
            out.push(']');
        }
        Node::Map(kv) => {
            out.push_str("{\n");
            for (k, v) in kv {
                spaces(out, indent + 2);
                nix_key(out, k);
                out.push_str(" = ");
                write_nix(out, v, indent + 2);
                out.push_str(";\n");
            }
            spaces(out, indent);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node<'static> {
        map([
            ("apiVersion", s("v1")),
            ("metadata", map([("name", s("app")), ("labels", map([("app.kubernetes.io/name", s("app"))]))])),
            ("ports", list([map([("port", int(80)), ("targetPort", int(8000))])])),
            ("args", list([s("a"), s("b c")])),
            ("empty", list([])),
        ])
    }

    #[test]
    fn yaml_nests_maps_and_lists_in_block_style() {
        assert_eq!(
            to_yaml(&sample()),
            "apiVersion: \"v1\"\nmetadata:\n  name: \"app\"\n  labels:\n    app.kubernetes.io/name: \"app\"\nports:\n- port: 80\n  targetPort: 8000\nargs:\n- \"a\"\n- \"b c\"\nempty: []\n"
        );
    }

    /// Lists in lists, maps in lists, empty collections: each item's "- " prefixes nest.
    fn nested() -> Node<'static> {
        map([
            ("xs", list([list([int(1), int(-2)]), list([map([("a", int(1)), ("b", list([s("c")]))]), list([])]), map([])])),
            ("m", map([("k", list([list([list([Node::Bool(true), Node::Num(1.5)])])]))])),
        ])
    }

    #[test]
    fn yaml_nests_list_items_after_their_dashes() {
        assert_eq!(
            to_yaml(&nested()),
            "xs:\n- - 1\n  - -2\n- - a: 1\n    b:\n    - \"c\"\n  - []\n- {}\nm:\n  k:\n  - - - true\n      - 1.5\n"
        );
    }

    #[test]
    fn nix_nests_lists_and_sets_by_indent() {
        assert_eq!(
            to_nix(&nested(), 2),
            "{\n    xs = [\n      [\n        1\n        (-2)\n      ]\n      [\n        {\n          a = 1;\n          b = [\n            \"c\"\n          ];\n        }\n        [ ]\n      ]\n      { }\n    ];\n    m = {\n      k = [\n        [\n          [\n            true\n            1.5\n          ]\n        ]\n      ];\n    };\n  }"
        );
    }

    #[test]
    fn yaml_strings_are_quoted_and_escaped() {
        assert_eq!(to_yaml(&map([("a: b", s("x\"\n#y"))])), "\"a: b\": \"x\\\"\\n#y\"\n");
    }

    #[test]
    fn nix_writes_attribute_sets_and_lists() {
        let text = to_nix(&map([("name", s("app")), ("xs", list([int(1), int(-2)])), ("a.b", Node::Bool(true))]), 0);
        assert_eq!(text, "{\n  name = \"app\";\n  xs = [\n    1\n    (-2)\n  ];\n  \"a.b\" = true;\n}");
    }

    #[test]
    fn nix_strings_cannot_interpolate() {
        assert_eq!(nix_str("a${b}\"c\\"), "\"a\\${b}\\\"c\\\\\"");
    }

    #[test]
    fn a_files_text_is_a_literal_block_when_it_reads_back_the_same() {
        let conf = "# a file\nkey \"value\";  # why\n\n    indented $x ${y}\n";
        let y = to_yaml(&map([("data", map([("a.conf", text(conf))]))]));
        assert_eq!(y, "data:\n  a.conf: |\n    # a file\n    key \"value\";  # why\n\n        indented $x ${y}\n");
        // Not a block: two final newlines, a leading space, no final newline, a control character.
        for t in ["a\n\n", " a\n", "a", "a\rb\n"] {
            let y = to_yaml(&map([("k", text(t))]));
            assert!(y.starts_with("k: \""), "{t:?}: {y}");
        }
        assert_eq!(to_nix(&map([("k", text(conf))]), 0), to_nix(&map([("k", s(conf))]), 0));
    }

}
