//! No tofu: before anything is typeset, every character of every printed value is
//! looked up in the fonts it will be set in. A character no font has (rare name
//! characters, 生僻字, are common) is an error naming the field, the character and its
//! code point, never a blank box on paper.

use std::collections::BTreeSet;

use serde_json::Value;

use super::fonts::{FANG, FontSet, HEI, SONG};
use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The font families each kind of text is set in, first choice first.
#[derive(Debug, Clone)]
pub struct FontPlan {
    /// Body and form text (仿宋).
    pub body: Vec<String>,
    /// Headings (黑体).
    pub hei: Vec<String>,
    /// Titles (宋体).
    pub song: Vec<String>,
}

/// Fields that are never printed.
const UNPRINTED: [&str; 3] = ["$schema", "file", "fangsong_family"];
/// Fields that also appear in titles (Song) and headings (Hei).
const IN_TITLES: [&str; 3] = ["studio.name", "unit.name", "master.name"];

impl FontPlan {
    /// The plan for an application: its preferred 仿宋 family first, if it names one
    /// that is installed; otherwise a finding saying how to add it.
    pub fn for_application(app: &Application, fonts: &FontSet) -> Result<FontPlan, Finding> {
        let mut body = Vec::new();
        if let Some(family) = app
            .print
            .fangsong_family
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            if !fonts.has_family(family) {
                return Err(Finding::new(
                    Code::UnknownFont,
                    "print.fangsong_family",
                    format!("找不到字体“{family}”"),
                )
                .hint("用 --font-path 指定存放该字体文件的文件夹；或删去 fangsong_family，使用内置的 FandolFang"));
            }
            body.push(family.to_string());
        }
        body.push(FANG.to_string());
        Ok(FontPlan {
            body,
            hei: vec![HEI.to_string()],
            song: vec![SONG.to_string()],
        })
    }

    fn covered(fonts: &FontSet, families: &[String], c: char) -> bool {
        families.iter().any(|f| fonts.covers(f, c))
    }
}

/// Every printed character that the planned fonts lack.
pub fn check(app: &Application, fonts: &FontSet, plan: &FontPlan) -> Vec<Finding> {
    let value = serde_json::to_value(app).expect("the data serializes");
    let mut out = Vec::new();
    walk(&value, String::new(), &mut |path, text| {
        let titled = IN_TITLES.contains(&path);
        let mut seen = BTreeSet::new();
        for c in text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            let missing_body = !FontPlan::covered(fonts, &plan.body, c);
            let missing_title = titled
                && !(FontPlan::covered(fonts, &plan.song, c)
                    && FontPlan::covered(fonts, &plan.hei, c));
            if (missing_body || missing_title) && seen.insert(c) {
                let which = if missing_body {
                    "仿宋"
                } else {
                    "标题用的宋体、黑体"
                };
                out.push(
                    Finding::new(
                        Code::MissingGlyph,
                        path,
                        format!(
                            "{which}字体中没有“{c}”（U+{:04X}），打印出来会是空白方框",
                            c as u32
                        ),
                    )
                    .hint("生僻字须有含该字的字体：用 --font-path 指定字体文件夹（如装有方正仿宋、仿宋_GB2312 的文件夹），并在 [print] 中写 fangsong_family = \"字体名\"；若是笔误请改正"),
                );
            }
        }
    });
    out
}

fn walk(value: &Value, path: String, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::String(text) => f(&path, text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), f);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if !UNPRINTED.contains(&key.as_str()) {
                    walk(item, crate::data::tree::join_key(&path, key), f);
                }
            }
        }
        _ => {}
    }
}
