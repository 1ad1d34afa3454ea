//! Percent-encoding of query values and splitting of a query into decoded pairs
//! (the `application/x-www-form-urlencoded` reading browsers use, made lenient).

/// Whether a byte is written as it is in a value: RFC 3986 unreserved characters,
/// plus `,` so the triples (`mix=20,50,30`) stay readable.
fn is_kept(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',')
}

/// The value with every other byte of its UTF-8 written as `%XX` (space as `%20`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if is_kept(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The text with `+` read as a space and `%XX` as a byte; a `%` not followed by two
/// hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
                (Some(hi), Some(lo)) => {
                    out.push((hi << 4) | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of one hex digit.
fn hex(b: &u8) -> Option<u8> {
    char::from(*b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// The query's `key=value` pairs, decoded, in order. Keys are trimmed (`cores =8`);
/// a pair without `=` has an empty value; empty pairs and empty keys are skipped.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key).trim().to_string();
            (!key.is_empty()).then(|| (key, decode(value)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_and_commas_stay_literal() {
        assert_eq!(encode("my-app_1.2~x,y"), "my-app_1.2~x,y");
    }

    #[test]
    fn separators_spaces_and_non_ascii_are_escaped() {
        assert_eq!(encode("a&b=c#d%e f"), "a%26b%3Dc%23d%25e%20f");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn decoding_reverses_encoding() {
        for s in ["a&b=c#d%e f", "é+ü", "%", "plain"] {
            assert_eq!(decode(&encode(s)), s);
        }
    }

    #[test]
    fn plus_is_a_space_and_bad_escapes_stay() {
        assert_eq!(decode("a+b%2Bc"), "a b+c");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode("%"), "%");
    }

    #[test]
    fn pairs_skip_empty_parts_and_keys() {
        let p = pairs("&&a=1&&b&=5&+=6& c+=x=y");
        let want = [("a", "1"), ("b", ""), ("c", "x=y")].map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(p, want);
    }
}
