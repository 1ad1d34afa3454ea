//! The little JSON the planner reads and writes: its two documents (the saved plans and
//! the plan file) and JSON-quoted strings in YAML. A strict RFC 8259 reader that never
//! panics and a string quoter, instead of serde_json in the page (it was a tenth of it).
//!
//! The reader says what serde_json says and where ("expected value at line 1 column 1"),
//! and reads what it reads: a repeated key keeps its last value, nesting stops at 127
//! levels, a number beyond f64 is an error. Numbers are kept as their text: the
//! documents only compare a version with 1.

use std::fmt;

/// A JSON value. An object keeps its members in the document's order, repeats
/// included; [`Value::get`] reads the last of a repeated key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written (`1`, `-0.5e3`).
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object (the last one when repeated); None for other values.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The number when it is written as a whole number from 0 to `u64::MAX` (`1`, not
    /// `1.0` or `-0`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok(),
            _ => None,
        }
    }
}

/// Compact JSON, numbers as written.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(n),
            Value::String(s) => f.write_str(&quote(s)),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    write!(f, "{}{item}", if i == 0 { "" } else { "," })?;
                }
                f.write_str("]")
            }
            Value::Object(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    write!(f, "{}{}:{value}", if i == 0 { "" } else { "," }, quote(key))?;
                }
                f.write_str("}")
            }
        }
    }
}

/// `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, …
/// or `\u00XX`; everything else, non-ASCII included, as it is.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    quote_into(&mut out, text);
    out
}

/// [`quote`] appended to `out`, for writers that print a whole file into one buffer.
pub fn quote_into(out: &mut String, text: &str) {
    out.push('"');
    if !any_byte(text.as_bytes(), 0x20, b'"', b'\\') {
        // Nearly every string: nothing to escape.
        out.push_str(text);
        out.push('"');
        return;
    }
    escape_runs(out, text, |bytes, i| match bytes[i] {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        b'\n' => Some("\\n"),
        b'\r' => Some("\\r"),
        b'\t' => Some("\\t"),
        0x08 => Some("\\b"),
        0x0c => Some("\\f"),
        b if b < 0x20 => std::str::from_utf8(&CONTROL_ESCAPES[usize::from(b)]).ok(),
        _ => None,
    });
    out.push('"');
}

/// `\u00XX` for each control byte XX below 0x20.
const CONTROL_ESCAPES: [[u8; 6]; 32] = {
    let mut t = [*b"\\u0000"; 32];
    let mut b = 0;
    while b < 32 {
        t[b][4] = b'0' + (b / 16) as u8;
        t[b][5] = b"0123456789abcdef"[b % 16];
        b += 1;
    }
    t
};

/// Copies `text` into `out`, each byte `escape(bytes, i)` names replaced by its escape.
/// Runs of bytes without one are copied whole; every escaped byte is ASCII, so a run
/// never ends inside a UTF-8 sequence. The one loop of the JSON writer here and the Nix
/// writer (`export::tree`).
pub(crate) fn escape_runs(out: &mut String, text: &str, escape: impl Fn(&[u8], usize) -> Option<&'static str>) {
    let bytes = text.as_bytes();
    let mut run = 0;
    for i in 0..bytes.len() {
        if let Some(e) = escape(bytes, i) {
            out.push_str(&text[run..i]);
            out.push_str(e);
            run = i + 1;
        }
    }
    out.push_str(&text[run..]);
}

/// Whether any byte is below `below` (at most 0x80) or equal to `a` or `b`: the test
/// for a text that needs escaping, eight bytes at a time ("Bit Twiddling Hacks",
/// S. E. Anderson: `hasless`, `haszero`): a byte of `x` is below `n` when subtracting `n`
/// from it borrows into its clear high bit, and equal to `a` when `x ^ a` is below 1.
pub(crate) fn any_byte(bytes: &[u8], below: u8, a: u8, b: u8) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let has_below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS != 0;
    let has = |x: u64, v: u8| has_below(x ^ (ONES * u64::from(v)), 1);
    let mut words = bytes.chunks_exact(8);
    let found = words.by_ref().any(|w| {
        let x = u64::from_ne_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        has_below(x, below) || has(x, a) || has(x, b)
    });
    found || words.remainder().iter().any(|&c| c < below || c == a || c == b)
}

/// Why a text is not JSON, and where: serde_json's words, its line (from 1) and
/// column (bytes from the line's start; 0 before its first byte).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    what: &'static str,
    line: usize,
    column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}

impl Error {
    /// The line (from 1) where the text stops being JSON.
    pub fn line(&self) -> usize {
        self.line
    }
}

impl std::error::Error for Error {}

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EXPECTED_VALUE: &str = "expected value";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_END: &str = "expected `,` or `}`";
const KEY_NOT_STRING: &str = "key must be a string";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const INVALID_ESCAPE: &str = "invalid escape";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// Arrays and objects nest at most this deep (serde_json's limit).
const MAX_DEPTH: usize = 127;

/// Reads a whole JSON document: one value, with whitespace around it.
///
/// # Errors
/// When the text is not JSON, nests deeper than 127 levels, or holds a number beyond
/// f64; the error says what and where.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Parser { text, i: 0, depth: 0 };
    let value = p.value()?;
    match p.whitespace() {
        Some(_) => Err(p.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    }
}

/// The reader: `i` is the next byte. An error found at a byte already read is placed at
/// `i`, one found by peeking at `i + 1`, as serde_json places them.
struct Parser<'a> {
    text: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.i += usize::from(b.is_some());
        b
    }

    /// Skips whitespace; the next byte.
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    /// The error `what` at byte `at` (one copy, whatever the caller returns).
    #[cold]
    #[inline(never)]
    fn error_at(&self, at: usize, what: &'static str) -> Error {
        let before = &self.text.as_bytes()[..at.min(self.text.len())];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        Error { what, line, column: before.len() - line_start }
    }

    fn error(&self, what: &'static str) -> Error {
        self.error_at(self.i, what)
    }

    fn peek_error(&self, what: &'static str) -> Error {
        self.error_at(self.i + 1, what)
    }

    fn value(&mut self) -> Result<Value, Error> {
        let Some(b) = self.whitespace() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match b {
            b'n' => self.word("null", Value::Null),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'-' | b'0'..=b'9' => self.number(),
            b'"' => {
                self.i += 1;
                self.string().map(Value::String)
            }
            b'[' | b'{' => {
                if self.depth == MAX_DEPTH {
                    return Err(self.peek_error(RECURSION_LIMIT));
                }
                self.depth += 1;
                self.i += 1;
                let value = if b == b'[' { self.array() } else { self.object() };
                self.depth -= 1;
                value
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    /// `null`, `true` or `false`, whose first letter is the next byte.
    fn word(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        self.i += 1;
        for &want in &word.as_bytes()[1..] {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != want => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// Skips ASCII digits; how many.
    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') if matches!(self.peek(), Some(b'0'..=b'9')) => return Err(self.peek_error(INVALID_NUMBER)),
            Some(b'0') => {}
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.peek_error(if self.peek().is_some() { INVALID_NUMBER } else { EOF_VALUE }));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            let nonzero = self.text.as_bytes()[start..self.i].iter().any(|b| matches!(b, b'1'..=b'9'));
            self.i += 1;
            let negative = self.peek() == Some(b'-');
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            let mut exp = match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(d @ b'0'..=b'9') => i32::from(d - b'0'),
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            };
            // Like serde_json: an exponent beyond i32 is out of range where it overflows,
            // unless it makes the number 0.
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                match exp.checked_mul(10).and_then(|e| e.checked_add(i32::from(d - b'0'))) {
                    Some(e) => exp = e,
                    None if nonzero && !negative => return Err(self.error(OUT_OF_RANGE)),
                    None => {
                        self.digits();
                    }
                }
            }
        }
        // Only ASCII was read since `start`, so the slice is on character boundaries.
        let text = self.text.get(start..self.i).unwrap_or_default();
        if crate::model::decimal::parse_finite(text).is_none() {
            return Err(self.error(OUT_OF_RANGE));
        }
        Ok(Value::Number(text.to_string()))
    }

    /// A string's contents and closing quote (the opening one is read).
    fn string(&mut self) -> Result<String, Error> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => break,
                Some(b'\\') => self.escape(&mut out)?,
                Some(0..=0x1f) => return Err(self.error(CONTROL_CHARACTER)),
                Some(b) => out.push(b),
            }
        }
        // Whole UTF-8 sequences of the text between ASCII bytes, and whole characters
        // from escapes: always UTF-8.
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    /// An escape after its `\`.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        let b = match self.next() {
            None => return Err(self.error(EOF_STRING)),
            Some(b @ (b'"' | b'\\' | b'/')) => b,
            Some(b'b') => 8,
            Some(b'f') => 12,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                let c = self.unicode_escape()?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            Some(_) => return Err(self.error(INVALID_ESCAPE)),
        };
        out.push(b);
        Ok(())
    }

    /// The character of a `\uXXXX` escape after its `\u`, or of a surrogate pair of two.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = match high {
            0xDC00..=0xDFFF => return Err(self.error(LONE_SURROGATE)),
            0xD800..=0xDBFF => {
                for want in [b'\\', b'u'] {
                    match self.next() {
                        None => return Err(self.error(EOF_STRING)),
                        Some(b) if b != want => return Err(self.error(END_OF_HEX_ESCAPE)),
                        Some(_) => {}
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error(LONE_SURROGATE));
                }
                0x10000 + ((high - 0xD800) << 10 | (low - 0xDC00))
            }
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error(INVALID_ESCAPE))
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.text.as_bytes().get(self.i..self.i + 4) else {
            self.i = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut code = 0;
        for &d in digits {
            match char::from(d).to_digit(16) {
                Some(v) => code = code << 4 | v,
                None => return Err(self.error(INVALID_ESCAPE)),
            }
        }
        Ok(code)
    }

    /// An array's items and closing bracket (the opening one is read).
    fn array(&mut self) -> Result<Value, Error> {
        let mut items = vec![];
        loop {
            match self.whitespace() {
                None => return Err(self.peek_error(EOF_LIST)),
                Some(b']') => break,
                Some(b',') if !items.is_empty() => self.comma(b']')?,
                Some(_) if !items.is_empty() => return Err(self.peek_error(EXPECTED_LIST_END)),
                Some(_) => {}
            }
            items.push(self.value()?);
        }
        self.i += 1;
        Ok(Value::Array(items))
    }

    /// An object's members and closing brace (the opening one is read).
    fn object(&mut self) -> Result<Value, Error> {
        let mut members = vec![];
        loop {
            match self.whitespace() {
                None => return Err(self.peek_error(EOF_OBJECT)),
                Some(b'}') => break,
                Some(b',') if !members.is_empty() => self.comma(b'}')?,
                Some(_) if !members.is_empty() => return Err(self.peek_error(EXPECTED_OBJECT_END)),
                Some(_) => {}
            }
            if self.peek() != Some(b'"') {
                return Err(self.peek_error(KEY_NOT_STRING));
            }
            self.i += 1;
            let key = self.string()?;
            match self.whitespace() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            members.push((key, self.value()?));
        }
        self.i += 1;
        Ok(Value::Object(members))
    }

    /// The comma after an item of a list that `end` closes: another item must follow.
    fn comma(&mut self, end: u8) -> Result<(), Error> {
        self.i += 1;
        match self.whitespace() {
            None => Err(self.peek_error(EOF_VALUE)),
            Some(b) if b == end => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
