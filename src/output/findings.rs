//! Prints findings the way rustc and typst print errors: a headline with severity and
//! code, `file:line:column`, the source line with the span underlined and the field
//! named, then the article it comes from and what to do.

use std::fmt::Write as _;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::Color;
use crate::finding::{Blocked, Finding, Located, Severity, floor_char_boundary, line_col, tally};

/// What to do before the blocked step can run.
fn advice(blocked: Blocked) -> &'static str {
    match blocked {
        Blocked::Packet => "改正全部错误后才能生成申报材料。",
        Blocked::Archive => "改正全部错误后才能加入档案；档案未作改动。",
        Blocked::Report => "改正全部错误后才能生成报告。",
    }
}

/// Renders every finding of a data file, sorted by position, then the summary line.
pub fn render(doc: &dyn Located, findings: &[Finding], color: Color) -> String {
    let mut out = render_findings(doc, findings, color);
    out.push_str(&summary(findings, color, Blocked::Packet));
    out
}

/// Renders the findings of several files, each file's sorted by position, then one
/// summary line for them all.
pub fn render_all(all: &[(&dyn Located, &[Finding])], color: Color, blocked: Blocked) -> String {
    let mut out = String::new();
    for (doc, findings) in all {
        out.push_str(&render_findings(*doc, findings, color));
    }
    let every: Vec<Finding> = all.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
    out.push_str(&summary(&every, color, blocked));
    out
}

/// Every finding of one file, sorted by position.
fn render_findings(doc: &dyn Located, findings: &[Finding], color: Color) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| {
        let span = f.span.clone().or_else(|| doc.span_of(&f.path));
        (span.map_or(usize::MAX, |s| s.start), f.code)
    });
    let mut out = String::new();
    for finding in sorted {
        out.push_str(&render_one(doc, finding, color));
        out.push('\n');
    }
    out
}

/// The closing line: how many errors and warnings, and what errors block.
pub fn summary(findings: &[Finding], color: Color, blocked: Blocked) -> String {
    let (errors, warnings) = tally(findings);
    if errors == 0 {
        format!(
            "{}：{errors} 个错误，{warnings} 个警告。\n",
            color.paint("1;32", "检查通过")
        )
    } else {
        format!(
            "{}：{errors} 个错误，{warnings} 个警告。{}\n",
            color.paint("1;31", "检查未通过"),
            advice(blocked)
        )
    }
}

fn render_one(doc: &dyn Located, f: &Finding, color: Color) -> String {
    let severity_color = match f.severity() {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
    };
    let mut out = String::new();
    let head = format!("{}[{}]", f.severity().label(), f.code.id());
    let _ = writeln!(
        out,
        "{}{}",
        color.paint(severity_color, &head),
        color.paint(
            "1",
            &format!("：{}", crate::portable::shown_lines(&f.message))
        )
    );
    let field = if f.path.is_empty() {
        String::new()
    } else {
        format!("{}（{}）", f.path, doc.label(&f.path))
    };
    let span = f.span.clone().or_else(|| doc.span_of(&f.path));
    let display_path = doc.path().display();
    match span {
        Some(span) => {
            let (line, col) = line_col(doc.text(), span.start);
            let gutter = " ".repeat(line.to_string().len());
            let blue = |s: &str| color.paint("1;34", s);
            let _ = writeln!(out, "{gutter}{} {display_path}:{line}:{col}", blue("-->"));
            let _ = writeln!(out, "{gutter} {}", blue("|"));
            let (source, marks) = underline(doc.text(), span);
            let _ = writeln!(out, "{} {source}", blue(&format!("{line} |")));
            let _ = writeln!(
                out,
                "{gutter} {} {}{}",
                blue("|"),
                color.paint(severity_color, &marks),
                if field.is_empty() {
                    String::new()
                } else {
                    format!(" {}", color.paint(severity_color, &field))
                }
            );
            let _ = writeln!(out, "{gutter} {}", blue("|"));
            let _ = writeln!(out, "{gutter} = 依据：{}", f.code.article());
            if let Some(hint) = &f.hint {
                let _ = writeln!(
                    out,
                    "{gutter} = 提示：{}",
                    crate::portable::shown_lines(hint)
                );
            }
        }
        None => {
            let _ = writeln!(out, "  --> {display_path}");
            if !field.is_empty() {
                let _ = writeln!(out, "  = 字段：{field}");
            }
            let _ = writeln!(out, "  = 依据：{}", f.code.article());
            if let Some(hint) = &f.hint {
                let _ = writeln!(out, "  = 提示：{}", crate::portable::shown_lines(hint));
            }
        }
    }
    out
}

/// The line holding the span's start, tabs expanded, and carets under the span (cut at
/// the end of the line), measured in terminal columns so CJK text lines up.
fn underline(text: &str, span: Range<usize>) -> (String, String) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = floor_char_boundary(text, span.end.clamp(start, line_end));
    let mut source = String::new();
    let mut marks = String::new();
    for (i, ch) in text[line_start..line_end].char_indices() {
        let at = line_start + i;
        let (shown, width) = match ch {
            '\t' => ("    ".to_string(), 4),
            '\r' => (String::new(), 0),
            // A direction mark would turn the line around on screen: shown escaped.
            c if crate::portable::is_invisible(c) => {
                let escaped = crate::portable::shown(&c.to_string());
                let width = escaped.len();
                (escaped, width)
            }
            c => (c.to_string(), c.width().unwrap_or(0)),
        };
        source.push_str(&shown);
        let mark = if at >= start && (at < end || (start == end && at == start)) {
            '^'
        } else {
            ' '
        };
        if at < end.max(start + 1) {
            marks.extend(std::iter::repeat_n(mark, width));
        }
    }
    if marks.trim().is_empty() {
        marks.push('^');
    }
    (source, marks.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "a = 1\nname = \"王五\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 13), (2, 8));
    }

    #[test]
    fn carets_cover_wide_characters() {
        let text = "name = \"王五\"\n";
        let (source, marks) = underline(text, 7..15);
        assert_eq!(source, "name = \"王五\"");
        assert_eq!(marks, "       ^^^^^^");
    }
}
