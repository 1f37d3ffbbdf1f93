//! The small grammar of an inventory: digests, URIs, RFC 3339 times, content and
//! logical paths, and paths that are unique and do not nest.

use super::codes::Code;
use std::collections::HashSet;

use serde_json::Value;

use super::Findings;

pub fn string_array(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// A content path: `/`-separated, no leading or trailing `/`, no `.`, `..` or empty
/// element (E098–E100). Returns whether it is well formed.
pub fn content_path_ok(path: &str, place: &str, out: &mut Findings) -> bool {
    if path.starts_with('/') || path.ends_with('/') {
        out.error(
            Code::E100,
            Some(place),
            format!("内容路径 “{path}” 以 / 开头或结尾"),
        );
        return false;
    }
    if path
        .split('/')
        .any(|e| e.is_empty() || e == "." || e == "..")
    {
        out.error(
            Code::E099,
            Some(place),
            format!("内容路径 “{path}” 含有 .、.. 或空的一段"),
        );
        return false;
    }
    if path.contains('\\') {
        out.error(
            Code::E035,
            Some(place),
            format!("内容路径 “{path}” 用了 \\ 作分隔符"),
        );
        return false;
    }
    true
}

pub fn logical_path_ok(path: &str, version: &str, place: &str, out: &mut Findings) {
    if path.starts_with('/') || path.ends_with('/') {
        out.error(
            Code::E053,
            Some(place),
            format!("版本 {version} 的逻辑路径 “{path}” 以 / 开头或结尾"),
        );
    } else if path
        .split('/')
        .any(|e| e.is_empty() || e == "." || e == "..")
    {
        out.error(
            Code::E052,
            Some(place),
            format!("版本 {version} 的逻辑路径 “{path}” 含有 .、.. 或空的一段"),
        );
    }
}

/// Paths must be unique and none may be a folder of another (E095, E101): a path
/// written twice is named where it comes again, a folder that is also a path in the
/// order of the paths within it.
pub fn unique_paths<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    code: Code,
    what: &str,
    place: &str,
    out: &mut Findings,
) {
    let paths = paths.into_iter();
    let mut seen: HashSet<&str> = HashSet::with_capacity(paths.size_hint().0);
    let mut unique = Vec::with_capacity(paths.size_hint().0);
    for path in paths {
        if seen.insert(path) {
            unique.push(path);
        } else {
            out.error(code, Some(place), format!("{what} “{path}” 出现不止一次"));
        }
    }
    let mut nested: Vec<(&str, &str)> = unique
        .into_iter()
        .filter_map(|path| {
            // Each folder the path is in, shortest first.
            let folder = path
                .match_indices('/')
                .map(|(at, _)| &path[..at])
                .find(|folder| !folder.is_empty() && seen.contains(folder))?;
            Some((path, folder))
        })
        .collect();
    nested.sort_unstable();
    for (path, folder) in nested {
        out.error(
            code,
            Some(place),
            format!("{what} “{folder}” 既是文件又是 “{path}” 的上级目录"),
        );
    }
}

/// A hex digest of the length its algorithm gives.
pub fn is_digest(digest: &str, algorithm: &str) -> bool {
    let len = match algorithm {
        "sha512" => 128,
        "sha256" => 64,
        _ => return is_hex(digest),
    };
    digest.len() == len && is_hex(digest)
}

/// Whether every byte is a hex digit.
fn is_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A URI: a scheme, then a colon (RFC 3986).
pub fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// RFC 3339 date-time with seconds and a time zone: `2024-05-06T07:08:09Z`,
/// `2024-05-06T07:08:09.123+08:00`.
pub fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19))
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A digest shortened for messages.
pub fn short(digest: &str) -> String {
    if digest.len() > 16 {
        format!("{}…", &digest[..16])
    } else {
        digest.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert!(is_rfc3339("2019-01-01T02:03:04Z"));
        assert!(is_rfc3339("2021-03-31T08:22:37.241208990-05:00"));
        assert!(!is_rfc3339("2019-01-01T02:03Z"));
        assert!(!is_rfc3339("2019-01-01T02:03:04"));
    }

    /// A digest is judged by its length and each of its bytes.
    #[test]
    fn hex_digits_and_digests() {
        for b in 0..=255u8 {
            let text = [b'a', b, b'0'];
            let Ok(text) = std::str::from_utf8(&text) else {
                continue;
            };
            assert_eq!(is_hex(text), b.is_ascii_hexdigit(), "byte {b:#04x}");
        }
        assert!(is_digest(&"aF09".repeat(32), "sha512"));
        assert!(!is_digest(&"aF09".repeat(16), "sha512"));
        assert!(is_digest(&"aF09".repeat(16), "sha256"));
        assert!(!is_digest(&format!("{}g", "a".repeat(63)), "sha256"));
        assert!(!is_digest(&format!("{}é", "a".repeat(62)), "sha256"));
        assert!(is_digest("0123abcd", "md5-like"));
    }

    /// A path written twice is named where it comes again; a path that is also a
    /// folder of others is named once for each, in the order of those paths.
    #[test]
    fn unique_and_not_nested() {
        let mut out = Findings::default();
        unique_paths(
            ["a/b", "c", "a/b/z", "a/b-x", "c", "a/b/y", "a/b"],
            Code::E095,
            "路径",
            "inventory.json",
            &mut out,
        );
        let said: Vec<&str> = out.0.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "路径 “c” 出现不止一次",
                "路径 “a/b” 出现不止一次",
                "路径 “a/b” 既是文件又是 “a/b/y” 的上级目录",
                "路径 “a/b” 既是文件又是 “a/b/z” 的上级目录",
            ]
        );
    }
}
