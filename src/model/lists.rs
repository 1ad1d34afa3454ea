//! The plan's list fields: host names, address ranges and URL paths. Each ends up in
//! nginx, PgBouncer or YAML files, so each item is checked against a strict grammar (no
//! quote, space, `;`, brace, `$` or newline can pass) and written back in one spelling:
//! items separated by commas, host names in lowercase.

/// The most items a list field holds (a `server_name` or `set_real_ip_from` per item).
pub const MAX_ITEMS: usize = 32;

/// The items of a list field's stored value ("" is no item).
pub fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|s| !s.is_empty())
}

/// A list as typed (items separated by commas, spaces or both) in its one spelling, each
/// item once (a second `server_name` or `location` of the same text is an error in nginx).
pub fn normalize(text: &str, lowercase: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for item in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
        let item = if lowercase { item.to_ascii_lowercase() } else { item.to_string() };
        if items(&out).any(|seen| seen == item) {
            continue;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&item);
    }
    out
}

/// Why the first bad item of `list` is bad, checking each with `item`.
pub fn first_error(list: &str, item: fn(&str) -> Result<(), String>) -> Option<String> {
    if items(list).count() > MAX_ITEMS {
        return Some(format!("at most {MAX_ITEMS} items"));
    }
    items(list).find_map(|i| item(i).err())
}

/// A host name nginx may serve: DNS labels of letters, digits and '-' (RFC 1123), at most
/// 253 characters, optionally starting with `*.` for every subdomain. `_` and a bare `*`
/// (any Host) are refused: answering any Host is what lets a forged one poison the cache.
pub fn host_name(name: &str) -> Result<(), String> {
    let bare = name.strip_prefix("*.").unwrap_or(name);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name == "_" || name == "*" {
        return Err(format!("'{name}' would answer any Host header; list the names the service answers to"));
    }
    if name.len() > 253 || !bare.split('.').all(label_ok) {
        return Err(format!(
            "'{name}' is not a host name: use letters, digits and '-' between dots (example.com, *.example.com)"
        ));
    }
    Ok(())
}

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or one address, with
/// no bits set below the prefix and never every address (`0.0.0.0/0`, `::/0`).
pub fn cidr(text: &str) -> Result<(), String> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let bad = || format!("'{text}' is not an address or a range in CIDR notation (10.0.0.0/8, 2001:db8::/32)");
    let (bits, width) = ip::parse(addr).ok_or_else(bad)?;
    let prefix = match prefix {
        None => width,
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse::<u32>().map_err(|_| bad())?,
        Some(_) => return Err(bad()),
    };
    if prefix > width {
        return Err(format!("'{text}': the prefix length is at most {width}"));
    }
    if prefix == 0 {
        return Err(format!("'{text}' is every address: name the ranges you trust"));
    }
    // The host bits: below the prefix within the address's own width.
    let host_mask = if prefix == width { 0 } else { u128::MAX >> (128 - (width - prefix)) << (128 - width) };
    if bits & host_mask != 0 {
        return Err(format!("'{text}' has bits set below the /{prefix} prefix: write the range's first address"));
    }
    Ok(())
}

#[path = "lists/ip.rs"]
mod ip;

/// A URL path prefix nginx may cache: starts with '/', then letters, digits and `/ _ . ~ -`
/// (RFC 3986's unreserved characters), no empty, `.` or `..` segment, at most 200 characters.
pub fn url_path(path: &str) -> Result<(), String> {
    let bad = || {
        format!("'{path}' is not a path prefix: start with '/', use letters, digits and / _ . ~ - (e.g. /api/status, /static/)")
    };
    // ASCII only from here, so slicing by bytes is safe.
    let Some(rest) = path.strip_prefix('/') else { return Err(bad()) };
    if path.len() > 200 || !rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_.~-".contains(&b)) {
        return Err(bad());
    }
    let segments: Vec<&str> = rest.split('/').collect();
    // A trailing '/' (`/api/`) is an empty last segment: allowed.
    let last = segments.len() - 1;
    let segments_ok = rest.is_empty() || segments.iter().enumerate().all(|(i, s)| (!s.is_empty() || i == last) && *s != "." && *s != "..");
    if segments_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// A path nginx may cache: a [`url_path`] outside `/auth/` (login responses are never
/// cached, and the login location has its own rate limit) and `/static/` (served from disk).
pub fn cacheable_path(path: &str) -> Result<(), String> {
    url_path(path)?;
    for own in ["/auth/", "/static/"] {
        if path.starts_with(own) {
            return Err(format!("'{path}' is under {own}, which nginx never caches"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_written_with_commas_and_lowercase_host_names() {
        assert_eq!(normalize(" Example.com,  www.example.com\t,,api.example.com ", true), "example.com,www.example.com,api.example.com");
        assert_eq!(normalize("", true), "");
        assert_eq!(normalize("a.com A.com,a.com b.com", true), "a.com,b.com");
        assert_eq!(normalize("/A /A /a", false), "/A,/a");
        assert_eq!(items("a,b").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(items("").count(), 0);
    }

    #[test]
    fn host_names_are_dns_labels_and_never_any_host() {
        for ok in ["example.com", "*.example.com", "localhost", "a-1.b2.example", "xn--bcher-kva.example"] {
            assert_eq!(host_name(ok), Ok(()), "{ok}");
        }
        for bad in ["_", "*", "-a.com", "a-.com", "a..com", ".a.com", "a.com.", "a_b.com", "a;b", "a{b", "a$b", "é.com", "a*.com", "*.*.a"] {
            assert!(host_name(bad).is_err(), "{bad}");
        }
        assert!(host_name(&"a".repeat(64)).is_err());
    }

    #[test]
    fn ranges_are_cidr_without_host_bits_and_never_everything() {
        for ok in ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.7", "192.168.1.7/32", "2001:db8::/32", "fd00::1", "0.0.0.0/1"] {
            assert_eq!(cidr(ok), Ok(()), "{ok}");
        }
        for bad in ["0.0.0.0/0", "::/0", "10.1.0.0/8", "10.0.0.0/33", "2001:db8::1/32", "10.0.0.0/", "10.0.0.0/+8", "10.0.0/8", "a.b.c.d", "10.0.0.0/8;", "fe80::1%eth0"] {
            assert!(cidr(bad).is_err(), "{bad}");
        }
        assert!(cidr("10.1.0.0/8").unwrap_err().contains("first address"));
    }

    #[test]
    fn paths_are_plain_prefixes() {
        for ok in ["/", "/api/status", "/static/", "/a.b/c~d_e-f"] {
            assert_eq!(url_path(ok), Ok(()), "{ok}");
        }
        for bad in ["api", "//a", "/a//b", "/../etc", "/a/./b", "/a/..", "/a b", "/a;b", "/a{b", "/a$b", "/a?b", "/a#b", "/a%20b", "/a\"b"] {
            assert!(url_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn login_and_static_paths_are_never_cached() {
        assert_eq!(cacheable_path("/api/status"), Ok(()));
        assert_eq!(cacheable_path("/auth"), Ok(())); // /auth/… still matches the login location
        for bad in ["/auth/", "/auth/login", "/static/", "/static/app.css", "api"] {
            assert!(cacheable_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_reports_its_first_bad_item_and_its_length() {
        assert_eq!(first_error("10.0.0.0/8,bad", cidr).map(|m| m.contains("'bad'")), Some(true));
        assert_eq!(first_error("", cidr), None);
        let many = vec!["10.0.0.0/8"; MAX_ITEMS + 1].join(",");
        assert!(first_error(&many, cidr).unwrap().contains("at most"));
    }
}
