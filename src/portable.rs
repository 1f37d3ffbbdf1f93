//! File names that every system the clerks use can hold. dashi names files and folders
//! after user data (a studio, a holder of a certificate, a record id); on Windows a
//! name may not contain `< > : " / \ | ? *` or control characters, may not end in a dot
//! or a space, and may not be a device name (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
//! `LPT1`–`LPT9`, also with superscript digits), in any case and with or without an
//! extension (`con.txt`, `Nul.tar.gz`).

/// Characters Windows refuses in a name (besides control characters), and `%`, which
/// BagIt manifests would have to encode.
const FORBIDDEN: &str = "<>:\"/\\|?*%";

/// Whether `name`, before its first dot and any trailing spaces, is a Windows device.
pub fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let (head, digit) = (upper.get(..3), upper.get(3..).unwrap_or(""));
            matches!(head, Some("COM" | "LPT"))
                && matches!(
                    digit,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

/// The first part of `path` that is a device name, if any.
pub fn device_in(path: &std::path::Path) -> Option<String> {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .find(|part| is_reserved(part))
        .map(str::to_string)
}

/// Whether `c` is invisible or reorders text: a control character, or a Unicode
/// format character (bidirectional overrides such as U+202E, zero-width characters,
/// the byte-order mark). Such a character in a name can make `exe.pdf` look like
/// `fdp.exe`.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// `text` with every invisible character shown as its code point (`<U+202E>`), for a
/// register a person reads.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as a person may read it anywhere, on screen or on paper: invisible and
/// reordering characters as code points (`shown`), and on Unix, in a name that is not
/// UTF-8 (a GBK name from an old Windows zip tool), each byte outside ASCII as `<xB9>`:
/// such a name is never half-decoded into other characters, and two never look alike.
pub fn path_shown(path: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        bytes
            .split(|&b| b == b'/')
            .map(|name| match std::str::from_utf8(name) {
                Ok(text) => shown(text),
                Err(_) => name
                    .iter()
                    .map(|&b| {
                        if b.is_ascii() && !b.is_ascii_control() {
                            char::from(b).to_string()
                        } else {
                            format!("<x{b:02X}>")
                        }
                    })
                    .collect(),
            })
            .collect::<Vec<String>>()
            .join("/")
    }
    #[cfg(not(unix))]
    {
        shown(&path.to_string_lossy())
    }
}

/// `text` with its invisible characters shown as code points, line by line: what a
/// message that may quote a user's value prints (its line breaks kept).
pub fn shown_lines(text: &str) -> String {
    text.split('\n').map(shown).collect::<Vec<_>>().join("\n")
}

/// `text` cut to at most `max` characters.
pub fn shortened(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Whether `name` can be used as it is on Windows and everywhere else.
pub fn is_portable(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| is_invisible(c) || FORBIDDEN.contains(c))
        && !name.ends_with(['.', ' '])
        && !is_reserved(name)
}

/// `name` made portable: forbidden and control characters dropped, trailing dots and
/// spaces cut, a device name given a `_` after its stem (`CON` → `CON_`,
/// `nul.txt` → `nul_.txt`); `fallback` when nothing is left.
pub fn portable(name: &str, fallback: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| !is_invisible(*c) && !FORBIDDEN.contains(*c))
        .collect();
    let trimmed = kept.trim().trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        return fallback.to_string();
    }
    if is_reserved(trimmed) {
        let (stem, rest) = trimmed.split_at(trimmed.find('.').unwrap_or(trimmed.len()));
        return format!("{}_{rest}", stem.trim_end());
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_not_utf8_and_reordering_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        // 工作申报 in GBK: its last two bytes also read as UTF-8 (걨), and are escaped.
        let gbk = std::ffi::OsStr::from_bytes(b"in/\xb9\xa4\xd7\xf7\xc9\xea\xb1\xa8.zip");
        assert_eq!(
            path_shown(std::path::Path::new(gbk)),
            "in/<xB9><xA4><xD7><xF7><xC9><xEA><xB1><xA8>.zip"
        );
        assert_eq!(
            path_shown(std::path::Path::new("a\u{202E}piz.exe")),
            "a<U+202E>piz.exe"
        );
    }

    #[test]
    fn device_names_in_any_case_with_or_without_extension() {
        for name in [
            "CON",
            "con",
            "Nul",
            "PRN.pdf",
            "aux.tar.gz",
            "COM1",
            "com9.zip",
            "LPT3",
            "COM¹",
            "lpt².txt",
            "CON .txt",
            "conin$",
        ] {
            assert!(is_reserved(name), "{name}");
            assert!(!is_portable(name), "{name}");
        }
        for name in [
            "CONSOLE",
            "COM10",
            "COM0",
            "LPT",
            "NUL1",
            "工作室",
            "ab王",
            "con-1",
            "xCON",
        ] {
            assert!(!is_reserved(name), "{name}");
        }
    }

    #[test]
    fn trailing_dots_spaces_and_forbidden_characters() {
        for name in [
            "a.", "a ", "a<b", "a:b", "a\"b", "a/b", "a\\b", "a|b", "a?b", "a*b", "a\tb", "",
        ] {
            assert!(!is_portable(name), "{name:?}");
        }
        assert!(is_portable("01-身份证-王建军.jpg"));
        assert!(is_portable("呼和浩特市王建军技能大师工作室"));
    }

    #[test]
    fn device_names_found_in_paths() {
        use std::path::Path;
        assert_eq!(device_in(Path::new("out/CON/a.pdf")), Some("CON".into()));
        assert_eq!(device_in(Path::new("nul.zip")), Some("nul.zip".into()));
        assert_eq!(device_in(Path::new("申报材料/01-承诺书.pdf")), None);
    }

    #[test]
    fn made_portable() {
        assert_eq!(portable("CON", "x"), "CON_");
        assert_eq!(portable("nul.txt", "x"), "nul_.txt");
        assert_eq!(portable("Com1 . ", "x"), "Com1_");
        assert_eq!(portable("工作室...", "x"), "工作室");
        assert_eq!(portable("a<b>:c|d?*e", "x"), "abcde");
        assert_eq!(portable(" ... ", "申报材料"), "申报材料");
        assert_eq!(
            portable("王建军技能大师工作室", "x"),
            "王建军技能大师工作室"
        );
        for name in ["CON", "a.", "nul.txt", "Com1 . ", "x/y\\z"] {
            assert!(is_portable(&portable(name, "x")), "{name}");
        }
    }
}
