//! IP addresses read as std's `IpAddr` reads them (RFC 4291 §2.2 text forms of IPv6, the
//! dotted-decimal IPv4 of four octets without leading zeros), in far less code: std's
//! parser is about 1 KB of the page's gzipped first load. A test holds the two equal
//! over a million strings in `make fuzz` ([`tests`]).

/// The address's bits, an IPv4 address in the top 32, and its width in bits (32 or 128);
/// None when `s` is not an address.
pub fn parse(s: &str) -> Option<(u128, u32)> {
    if s.contains(':') {
        v6(s).map(|bits| (bits, 128))
    } else {
        v4(s).map(|bits| (u128::from(bits) << 96, 32))
    }
}

/// Four decimal octets 0–255 separated by dots, without leading zeros.
fn v4(s: &str) -> Option<u32> {
    let mut out = 0u32;
    let mut n = 0;
    for part in s.split('.') {
        let digits = !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit());
        if n == 4 || !digits || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        let octet = part.bytes().fold(0u32, |a, b| a * 10 + u32::from(b - b'0'));
        if octet > 255 {
            return None;
        }
        out = out << 8 | octet;
        n += 1;
    }
    (n == 4).then_some(out)
}

/// Eight groups of 1–4 hex digits separated by colons, one run of zero groups written
/// `::` (standing for at least one), and the last two groups as IPv4 when wanted.
fn v6(s: &str) -> Option<u128> {
    // By bytes, not `split_once("::")`: a substring search costs the page a searcher.
    let gap = s.as_bytes().windows(2).position(|w| w == b"::");
    let (head, tail) = match gap {
        Some(i) => (groups(&s[..i], false)?, Some(groups(&s[i + 2..], true)?)),
        None => (groups(s, true)?, None),
    };
    match tail {
        None => (head.1 == 8).then_some(head.0),
        // An empty head shifts 0 by 128 bits: checked, as a plain shift would overflow.
        Some(tail) if head.1 + tail.1 <= 7 => Some(head.0.checked_shl(16 * (8 - head.1)).unwrap_or(0) | tail.0),
        Some(_) => None,
    }
}

/// The groups of a colon-separated run ("" has none) as bits, and how many; with
/// `v4_last`, its last part may be an IPv4 address, two groups.
fn groups(s: &str, v4_last: bool) -> Option<(u128, u32)> {
    let (mut bits, mut n) = (0u128, 0u32);
    if s.is_empty() {
        return Some((bits, n));
    }
    let mut parts = s.split(':').peekable();
    while let Some(part) = parts.next() {
        if v4_last && parts.peek().is_none() && part.contains('.') {
            bits = bits << 32 | u128::from(v4(part)?);
            n += 2;
        } else if !part.is_empty() && part.len() <= 4 {
            let mut group = 0u128;
            for b in part.bytes() {
                group = group << 4 | u128::from(char::from(b).to_digit(16)?);
            }
            bits = bits << 16 | group;
            n += 1;
        } else {
            return None;
        }
        if n > 8 {
            return None;
        }
    }
    Some((bits, n))
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::model::rng::Rng;
    use std::net::IpAddr;

    /// std's reading, as `parse` gives it.
    fn std_parse(s: &str) -> Option<(u128, u32)> {
        match s.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => Some((u128::from(u32::from(v4)) << 96, 32)),
            IpAddr::V6(v6) => Some((u128::from(v6), 128)),
        }
    }

    #[test]
    fn addresses_read_as_std_reads_them() {
        for s in [
            "0.0.0.0", "255.255.255.255", "10.0.0.1", "01.0.0.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "", ".", "::", "::1", "1::",
            "2001:db8::", "2001:DB8::ff00:42:8329", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::2::3",
            ":1::", "1:::2", "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "::1.2.3.4:1", "12345::",
            "fe80::1%eth0", "0:0:0:0:0:0:0:0", "::0.0.0.0", "+1::", "1:2:3:4:5:6::1.2.3.4", "g::", " ::1", "::1 ", "1.2.3.04", "0.0.0.00",
        ] {
            assert_eq!(parse(s), std_parse(s), "{s:?}");
        }
    }

    #[test]
    fn random_strings_read_as_std_reads_them() {
        // Strings of the characters addresses are made of, and valid addresses with one
        // character changed: `make fuzz` runs a million (ADDRESS_CASES).
        let cases: usize = std::env::var("ADDRESS_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
        let alphabet: Vec<char> = "0123456789abcdefABCDEF:.:..::0f1".chars().collect();
        let valid = ["::ffff:192.0.2.1", "2001:db8::1", "10.0.0.255", "1:2:3:4:5:6:7:8", "fe80::", "1:2:3:4:5:6:1.2.3.4", "::"];
        let mut rng = Rng(0xADD2_E55E5);
        let mut read = 0;
        for i in 0..cases {
            let s: String = if i % 2 == 0 {
                (0..rng.below(24)).map(|_| alphabet[rng.below(alphabet.len())]).collect()
            } else {
                let mut chars: Vec<char> = valid[rng.below(valid.len())].chars().collect();
                let at = rng.below(chars.len() + 1);
                match rng.below(3) {
                    0 if at < chars.len() => drop(chars.remove(at)),
                    1 if at < chars.len() => chars[at] = alphabet[rng.below(alphabet.len())],
                    _ => chars.insert(at, alphabet[rng.below(alphabet.len())]),
                }
                chars.into_iter().collect()
            };
            let ours = parse(&s);
            assert_eq!(ours, std_parse(&s), "{s:?}");
            read += usize::from(ours.is_some());
        }
        assert!(cases < 1000 || read * 10 > cases, "only {read} of {cases} were addresses");
    }
}
