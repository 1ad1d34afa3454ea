//! Structured file contents as data (a small ordered tree), and the two writers that
//! print it: YAML (Kubernetes manifests, Prometheus rules) and Nix (guide 002's style).
//! Generators build a [`Node`]; only these writers decide quoting and escaping, so no
//! value can break the syntax of the file it lands in.

/// A value of a structured file. Maps keep their order (apiVersion before kind before spec).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A string node.
pub fn s(text: impl Into<String>) -> Node {
    Node::Str(text.into())
}

/// An integer node.
pub fn int(x: impl Into<i64>) -> Node {
    Node::Int(x.into())
}

/// A map node from (key, value) pairs, in order.
pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Node {
    Node::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// A list node.
pub fn list(items: impl IntoIterator<Item = Node>) -> Node {
    Node::List(items.into_iter().collect())
}

/// A number as both writers print it: integral values without a fraction.
fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".to_string()
    }
}

/// A string as a double-quoted scalar: JSON's escaping is valid YAML.
fn yaml_str(text: &str) -> String {
    crate::share::json::quote(text)
}

/// A map key, plain when it is a simple word, else quoted.
fn yaml_key(key: &str) -> String {
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if plain {
        key.to_string()
    } else {
        yaml_str(key)
    }
}

/// Whether a node is printed on the key's line (scalars and empty collections).
fn yaml_inline(node: &Node) -> Option<String> {
    match node {
        Node::Str(t) => Some(yaml_str(t)),
        Node::Int(i) => Some(i.to_string()),
        Node::Num(x) => Some(number(*x)),
        Node::Bool(b) => Some(b.to_string()),
        Node::List(xs) if xs.is_empty() => Some("[]".to_string()),
        Node::Map(kv) if kv.is_empty() => Some("{}".to_string()),
        _ => None,
    }
}

/// The node as a YAML block document (without the `---` line).
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    yaml_block(node, 0, &mut out);
    out
}

fn yaml_block(node: &Node, indent: usize, out: &mut String) {
    yaml_lines(node, indent, None, out);
}

/// Writes `node` as block lines at `indent`; `first` replaces the indent of the first
/// line (a list item's "- " prefix), so no line is written twice.
fn yaml_lines(node: &Node, indent: usize, mut first: Option<&str>, out: &mut String) {
    fn pad(first: &mut Option<&str>, indent: usize, out: &mut String) {
        match first.take() {
            Some(prefix) => out.push_str(prefix),
            None => out.extend(std::iter::repeat_n(' ', indent)),
        }
    }
    match node {
        Node::Map(kv) if !kv.is_empty() => {
            for (k, v) in kv {
                pad(&mut first, indent, out);
                out.push_str(&yaml_key(k));
                match yaml_inline(v) {
                    Some(text) => {
                        out.push_str(": ");
                        out.push_str(&text);
                        out.push('\n');
                    }
                    None => {
                        out.push_str(":\n");
                        // Lists sit at their key's indent (the common Kubernetes style).
                        let inner = if matches!(v, Node::List(_)) { indent } else { indent + 2 };
                        yaml_lines(v, inner, None, out);
                    }
                }
            }
        }
        Node::List(xs) if !xs.is_empty() => {
            let dash = format!("{}- ", " ".repeat(indent));
            for x in xs {
                match yaml_inline(x) {
                    Some(text) => {
                        pad(&mut first, indent, out);
                        out.push_str("- ");
                        out.push_str(&text);
                        out.push('\n');
                    }
                    None => {
                        // The item's first line follows "- ", the rest is indented under it.
                        let prefix = match first.take() {
                            Some(p) => format!("{p}- "),
                            None => dash.clone(),
                        };
                        yaml_lines(x, indent + 2, Some(&prefix), out);
                    }
                }
            }
        }
        other => {
            pad(&mut first, indent, out);
            out.push_str(&yaml_inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

pub fn nix_str(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An attribute name, bare when it is a Nix identifier, else quoted.
fn nix_key(key: &str) -> String {
    let ident = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
    if ident {
        key.to_string()
    } else {
        nix_str(key)
    }
}

/// The node as a Nix expression, indented for a line that starts at `indent`.
pub fn to_nix(node: &Node, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let end = " ".repeat(indent);
    match node {
        Node::Str(t) => nix_str(t),
        Node::Int(i) if *i < 0 => format!("({i})"),
        Node::Int(i) => i.to_string(),
        Node::Num(x) if *x < 0.0 => format!("({})", number(*x)),
        Node::Num(x) => number(*x),
        Node::Bool(b) => b.to_string(),
        Node::List(xs) if xs.is_empty() => "[ ]".to_string(),
        Node::Map(kv) if kv.is_empty() => "{ }".to_string(),
        Node::List(xs) => {
            let items: Vec<String> = xs.iter().map(|x| format!("{pad}{}\n", to_nix(x, indent + 2))).collect();
            format!("[\n{}{end}]", items.concat())
        }
        Node::Map(kv) => {
            let items: Vec<String> =
                kv.iter().map(|(k, v)| format!("{pad}{} = {};\n", nix_key(k), to_nix(v, indent + 2))).collect();
            format!("{{\n{}{end}}}", items.concat())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
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
}
