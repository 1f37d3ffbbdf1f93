//! The one escape function for typst markup. Every value a template prints goes
//! through it (tera's autoescape), so user text is always literal text: it can never
//! open a code block, read a file, change the layout or end the content block it is in.

/// Escapes `text` for a typst markup (content) position:
/// - a backslash before every ASCII punctuation character (`#`, `$`, `*`, `_`, `<`,
///   `@`, `=`, `-`, `/`, `[`, `]`, `\`, …), so none of them has markup meaning;
/// - each line break becomes a paragraph break (blank lines collapse into one);
/// - other control characters are dropped, tabs become spaces.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut pending_break = false;
    for line in text.split(['\n', '\r']) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if pending_break {
            out.push_str("\n\n");
        }
        pending_break = true;
        for ch in line.chars() {
            match ch {
                '\t' => out.push(' '),
                c if c.is_control() => {}
                c if c.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markup;

    #[test]
    fn punctuation_is_escaped() {
        assert_eq!(
            markup("#read(\"/etc/passwd\")"),
            r#"\#read\(\"\/etc\/passwd\"\)"#
        );
        assert_eq!(
            markup("$x$ *粗* <a> // x \\"),
            r"\$x\$ \*粗\* \<a\> \/\/ x \\"
        );
        assert_eq!(markup("= 标题"), r"\= 标题");
        assert_eq!(markup("1. 第一"), r"1\. 第一");
    }

    #[test]
    fn lines_become_paragraphs() {
        assert_eq!(markup("甲\n\n\n乙\r\n丙"), "甲\n\n乙\n\n丙");
        assert_eq!(markup("  甲\u{7}乙\t丙  "), "甲乙 丙");
        assert_eq!(markup("\n\n"), "");
    }
}
