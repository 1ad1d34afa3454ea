//! The JSON reader and quoter: what they read and write, what they refuse and where,
//! and, on random and mutated documents, the same values and errors as serde_json.

use super::*;
use crate::model::rng::Rng;

#[track_caller]
fn ok(text: &str) -> Value {
    parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The error reading `text`, which serde_json words and places the same way.
#[track_caller]
fn err(text: &str) -> String {
    let says = match parse(text) {
        Ok(v) => panic!("{text:?} read as {v:?}"),
        Err(e) => e.to_string(),
    };
    let serde_says = serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
    assert_eq!(serde_says.as_ref().err(), Some(&says), "{text:?}");
    says
}

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

#[test]
fn documents_read_to_their_values() {
    assert_eq!(ok(" null "), Value::Null);
    assert_eq!(ok("true"), Value::Bool(true));
    assert_eq!(ok("\t\r\nfalse\n"), Value::Bool(false));
    assert_eq!(ok("-0.5e+3"), Value::Number("-0.5e+3".to_string()));
    assert_eq!(ok(r#"[1, "a", [], {}]"#), Value::Array(vec![Value::Number("1".into()), s("a"), Value::Array(vec![]), Value::Object(vec![])]));
    let doc = ok(r#"{"format":"x","version":1,"plans":[{"name":"a","plan":"v=1"}]}"#);
    assert_eq!(doc.get("format").and_then(Value::as_str), Some("x"));
    assert_eq!(doc.get("version").and_then(Value::as_u64), Some(1));
    assert_eq!(doc.get("plans").and_then(Value::as_array).map(<[Value]>::len), Some(1));
    assert_eq!(doc.get("missing"), None);
    assert_eq!(s("x").get("format"), None);
}

#[test]
fn only_whole_non_negative_numbers_read_as_u64() {
    for (text, n) in [("1", Some(1)), ("0", Some(0)), ("18446744073709551615", Some(u64::MAX))] {
        assert_eq!(ok(text).as_u64(), n, "{text}");
    }
    for text in ["1.0", "1e0", "-0", "-1", "18446744073709551616", "\"1\""] {
        assert_eq!(ok(text).as_u64(), None, "{text}");
    }
}

#[test]
fn a_repeated_key_reads_as_its_last_value() {
    let doc = ok(r#"{"version":2,"name":"a","version":1}"#);
    assert_eq!(doc.get("version").and_then(Value::as_u64), Some(1));
    assert_eq!(doc.get("name").and_then(Value::as_str), Some("a"));
}

#[test]
fn escapes_read_to_their_characters() {
    assert_eq!(ok(r#""a\"b\\c\/d\b\f\n\r\t""#), s("a\"b\\c/d\u{8}\u{c}\n\r\t"));
    assert_eq!(ok(r#""\u00e9t\u00C9 \u20ac""#), s("étÉ €"));
    assert_eq!(ok(r#""\ud83d\ude00 \uD834\uDD1E""#), s("😀 𝄞"));
    assert_eq!(ok("\"été ✓\""), s("été ✓"));
}

#[test]
fn broken_escapes_are_errors_saying_where() {
    let cases = [
        (r#""\x""#, "invalid escape at line 1 column 3"),
        (r#""\u12G4""#, "invalid escape at line 1 column 7"),
        (r#""\u12"#, "EOF while parsing a string at line 1 column 5"),
        (r#""\"#, "EOF while parsing a string at line 1 column 2"),
        (r#""\ude00""#, "lone leading surrogate in hex escape at line 1 column 7"),
        (r#""\ud83d""#, "unexpected end of hex escape at line 1 column 8"),
        (r#""\ud83dx""#, "unexpected end of hex escape at line 1 column 8"),
        (r#""\ud83d\n""#, "unexpected end of hex escape at line 1 column 9"),
        (r#""\ud83d\u0041""#, "lone leading surrogate in hex escape at line 1 column 13"),
        (r#""\ud83d"#, "EOF while parsing a string at line 1 column 7"),
        ("\"a\u{1}b\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"),
        ("\"ab", "EOF while parsing a string at line 1 column 3"),
    ];
    for (text, says) in cases {
        assert_eq!(err(text), says, "{text}");
    }
}

#[test]
fn broken_documents_are_errors_saying_what_and_where() {
    let cases = [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("  \n ", "EOF while parsing a value at line 2 column 1"),
        ("\u{0}\u{1}PNG", "expected value at line 1 column 1"),
        ("{\"format\":", "EOF while parsing a value at line 1 column 10"),
        ("{\n  \"a\": 1,\n  \"b\" 2}", "expected `:` at line 3 column 7"),
        ("{\"a\":1 \"b\":2}", "expected `,` or `}` at line 1 column 8"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("[1,]", "trailing comma at line 1 column 4"),
        ("{\"a\":1,}", "trailing comma at line 1 column 8"),
        ("{1:2}", "key must be a string at line 1 column 2"),
        ("{\"a\":1,2}", "key must be a string at line 1 column 8"),
        ("[1,", "EOF while parsing a value at line 1 column 3"),
        ("[1", "EOF while parsing a list at line 1 column 2"),
        ("{\"a\":1", "EOF while parsing an object at line 1 column 6"),
        ("{\"a\"", "EOF while parsing an object at line 1 column 4"),
        ("[,1]", "expected value at line 1 column 2"),
        ("nul", "EOF while parsing a value at line 1 column 3"),
        ("trUe", "expected ident at line 1 column 3"),
        ("{} x", "trailing characters at line 1 column 4"),
        ("01", "invalid number at line 1 column 2"),
        ("-", "EOF while parsing a value at line 1 column 1"),
        ("-x", "invalid number at line 1 column 2"),
        ("1.", "EOF while parsing a value at line 1 column 2"),
        ("1.e3", "invalid number at line 1 column 3"),
        ("1e", "EOF while parsing a value at line 1 column 2"),
        ("1e+x", "invalid number at line 1 column 4"),
        ("1e999", "number out of range at line 1 column 5"),
        ("[-1e400]", "number out of range at line 1 column 7"),
        ("'a'", "expected value at line 1 column 1"),
    ];
    for (text, says) in cases {
        assert_eq!(err(text), says, "{text:?}");
    }
    assert_eq!(ok("1e-999"), Value::Number("1e-999".to_string()));
}

#[test]
fn nesting_stops_at_127_levels() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&deep(127)).is_ok());
    assert_eq!(err(&deep(128)), "recursion limit exceeded at line 1 column 128");
    let objects = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
    assert_eq!(err(&objects), "recursion limit exceeded at line 1 column 636");
    // Far deeper than any stack allows for an unbounded reader.
    assert!(err(&"[".repeat(1_000_000)).starts_with("recursion limit exceeded"));
}

#[test]
fn values_print_as_compact_json_with_numbers_as_written() {
    let doc = ok("{ \"a\" : [ 1.50 , true , null ] , \"b\\n\" : \"\\u00e9\" }");
    assert_eq!(doc.to_string(), "{\"a\":[1.50,true,null],\"b\\n\":\"é\"}");
}

#[test]
fn quoting_escapes_what_json_must_and_nothing_else() {
    assert_eq!(quote("shop \"1\" \\ é ✓"), r#""shop \"1\" \\ é ✓""#);
    assert_eq!(quote("\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}"), "\"\\n\\r\\t\\b\\f\\u0000\\u001f\u{7f}\"");
    for c in (0..0x80u8).map(char::from).chain(['é', '\u{2028}', '😀']) {
        let text = format!("a{c}b");
        assert_eq!(quote(&text), serde_json::to_string(&text).unwrap_or_default(), "{c:?}");
        assert_eq!(ok(&quote(&text)), Value::String(text));
    }
}

/// Our value as serde_json's: numbers read by serde_json, members inserted in order (so
/// a repeated key keeps its last value in both).
fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|e| panic!("{n}: {e}")),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => {
            serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
        }
    }
}

#[test]
fn random_and_mutated_documents_read_as_serde_json_reads_them() {
    const SEEDS: &[&str] = &[
        r#"{"format":"capacity-planner-saved-plans","version":1,"plans":[{"name":"shop \"1\"","plan":"v=1&cores=8"},{"name":"été","plan":"v=1"}]}"#,
        "{\n  \"format\": \"capacity-planner-plan\",\n  \"version\": 1,\n  \"name\": \"a\\u00e9\\ud83d\\ude00\",\n  \"plan\": \"v=1\"\n}\n",
        r#"[null,true,false,-0,0.5,1e3,-12.5E-3,18446744073709551616,[],{},[[{"a":[1,{"b":"\n\t\\\/"}]}]]]"#,
        r#"{"a":1,"a":2,"b":{"a":3}}"#,
    ];
    const JUNK: &[&str] = &[
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "0", "-", ".", "e", "E", "+", "1", "9", " ",
        "\n", "\t", "\u{0}", "\u{1f}", "n", "t", "f", "é", "😀", "1e999", "null", "true",
    ];
    let mut rng = Rng(0x0150_2025);
    for _ in 0..20_000 {
        let mut text = rng.pick(SEEDS).to_string();
        for _ in 0..=rng.below(4) {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let end = (at + rng.below(3)).min(text.len());
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
            match rng.below(3) {
                0 => text.replace_range(at..end, ""),
                1 => text.insert_str(at, JUNK[rng.below(JUNK.len())]),
                _ => text.replace_range(at..end, JUNK[rng.below(JUNK.len())]),
            }
        }
        let ours = parse(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(&to_serde(a), b, "{text:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text:?}"),
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }
}

#[test]
fn any_byte_finds_every_byte_it_looks_for_at_any_position() {
    let naive = |bytes: &[u8], below: u8, a: u8, b: u8| bytes.iter().any(|&c| c < below || c == a || c == b);
    for (below, a, b) in [(0x20, 0x7f, 0xc2), (0x20, b'"', b'\\'), (0x80, 0, 0xff), (1, 0x80, 0x7f)] {
        // Every byte value at every position of texts of 1–24 bytes, the rest printable.
        for len in 1..=24 {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = c;
                    assert_eq!(any_byte(&bytes, below, a, b), naive(&bytes, below, a, b), "{c:#x} at {at} of {len}");
                }
            }
        }
        // Random words of any bytes, where one byte's borrow could reach another.
        let mut rng = Rng(0x0c0e_11fe);
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..8 + rng.below(9)).map(|_| rng.next() as u8).collect();
            assert_eq!(any_byte(&bytes, below, a, b), naive(&bytes, below, a, b), "{bytes:x?}");
        }
    }
}

#[test]
fn strings_without_anything_to_escape_are_quoted_as_they_are() {
    for text in ["", "plain", "a longer text of more than eight bytes — with UTF-8 é 😀", "x\"y", "tab\there", "back\\slash", "\u{1f}"] {
        let expected = serde_json::to_string(text).unwrap();
        assert_eq!(quote(text), expected, "{text:?}");
    }
}
