//! No tofu: before anything is typeset, every character of every printed value is
//! looked up in the fonts it will be set in. Each kind of text (仿宋 body, 宋体 titles,
//! 黑体 headings) has its chosen family first and the user's extra fonts after it, so a
//! rare name character (生僻字, common in names) missing from the chosen family is
//! drawn from an extra font that has it — a 警告 says which. Only a character that no
//! font has is an error naming the field, the character and its code point, never a
//! blank box on paper.

use std::collections::BTreeMap;

use serde_json::Value;

use super::fonts::{FANG, FontSet, HEI, SONG};
use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The font families each kind of text is set in, first choice first, then fallbacks.
#[derive(Debug, Clone)]
pub struct FontPlan {
    /// Body and form text (仿宋).
    pub body: Vec<String>,
    /// Headings (黑体).
    pub hei: Vec<String>,
    /// Titles, covers and the evidence volume's page feet (宋体).
    pub song: Vec<String>,
}

/// Fields that are never printed.
const UNPRINTED: [&str; 3] = ["$schema", "file", "fangsong_family"];
/// Fields that are also printed in 宋体: titles, the covers, the evidence feet.
const IN_SONG: [&str; 6] = [
    "studio.name",
    "unit.name",
    "master.name",
    "studio.occupation",
    "master.skill_level",
    "evidence[].title",
];

/// One kind of text: its name in messages and its families.
struct Role<'a> {
    name: &'static str,
    families: &'a [String],
}

impl FontPlan {
    /// The plan for an application: its preferred 仿宋 family first, if it names one
    /// that is installed (otherwise a finding saying how to add it), then the built-in
    /// faces, then every family from the user's font folders as fallbacks.
    pub fn for_application(app: &Application, fonts: &FontSet) -> Result<FontPlan, Box<Finding>> {
        let mut body = Vec::new();
        if let Some(family) = app
            .print
            .fangsong_family
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
        {
            if !fonts.has_family(family) {
                return Err(Box::new(Finding::new(
                    Code::UnknownFont,
                    "print.fangsong_family",
                    format!("找不到字体“{family}”"),
                )
                .hint("用 --font-path 指定存放该字体文件的文件夹；或删去 fangsong_family，使用内置的 FandolFang")));
            }
            body.push(family.to_string());
        }
        Ok(Self::with_body(body, fonts))
    }

    /// The plan of documents that are not an application's (the bureau's intake
    /// sheets): the built-in faces, then the user's font folders.
    pub fn standard(fonts: &FontSet) -> FontPlan {
        Self::with_body(Vec::new(), fonts)
    }

    fn with_body(mut body: Vec<String>, fonts: &FontSet) -> FontPlan {
        body.push(FANG.to_string());
        let with_fallbacks = |mut first: Vec<String>, serif: bool| {
            for family in fonts.fallback_families(serif) {
                if !first.iter().any(|f| f.eq_ignore_ascii_case(&family)) {
                    first.push(family);
                }
            }
            first
        };
        FontPlan {
            body: with_fallbacks(body, true),
            hei: with_fallbacks(vec![HEI.to_string()], false),
            song: with_fallbacks(vec![SONG.to_string()], true),
        }
    }

    fn roles(&self, path: &str) -> Vec<Role<'_>> {
        let mut roles = vec![Role {
            name: "仿宋",
            families: &self.body,
        }];
        if IN_SONG.contains(&crate::data::tree::generic(path).as_str()) {
            roles.push(Role {
                name: "宋体",
                families: &self.song,
            });
        }
        roles
    }
}

/// What happens to one character in one kind of text.
enum Fate {
    /// The first family has it.
    Drawn,
    /// A fallback family has it.
    Fallback(String),
    /// No family has it.
    Missing,
}

fn fate(fonts: &FontSet, families: &[String], c: char) -> Fate {
    match families.iter().position(|f| fonts.covers(f, c)) {
        Some(0) => Fate::Drawn,
        Some(i) => Fate::Fallback(families[i].clone()),
        None => Fate::Missing,
    }
}

/// Every printed character that the planned fonts lack (R201, an error), and every one
/// drawn from a fallback font (R203, a warning), once per character, at the field that
/// comes first by `position` (its place in the data file).
pub fn check(
    app: &Application,
    fonts: &FontSet,
    plan: &FontPlan,
    position: &dyn Fn(&str) -> usize,
) -> Vec<Finding> {
    check_value(app, fonts, plan, position)
}

/// The same for any printed data (a record): its text is set in the body face.
pub fn check_value(
    data: &impl serde::Serialize,
    fonts: &FontSet,
    plan: &FontPlan,
    position: &dyn Fn(&str) -> usize,
) -> Vec<Finding> {
    let value = serde_json::to_value(data).expect("the data serializes");
    // Character → (first field, roles lacking it, fallback used / None when missing).
    let mut seen: BTreeMap<char, (String, Vec<&'static str>, Option<String>)> = BTreeMap::new();
    walk(&value, String::new(), &mut |path, text| {
        for c in text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            for role in plan.roles(path) {
                let (lacking, fallback) = match fate(fonts, role.families, c) {
                    Fate::Drawn => continue,
                    Fate::Fallback(family) => (role.name, Some(family)),
                    Fate::Missing => (role.name, None),
                };
                let entry = seen
                    .entry(c)
                    .or_insert_with(|| (path.to_string(), Vec::new(), fallback.clone()));
                if position(path) < position(&entry.0) {
                    entry.0 = path.to_string();
                }
                if !entry.1.contains(&lacking) {
                    entry.1.push(lacking);
                }
                if fallback.is_none() {
                    entry.2 = None;
                }
            }
        }
    });
    seen.iter()
        .map(|(&c, (path, roles, fallback))| {
            let roles = roles.join("、");
            match fallback {
                Some(family) => Finding::new(
                    Code::FallbackGlyph,
                    path.clone(),
                    format!(
                        "{roles}字体中没有“{c}”（U+{:04X}），将用“{family}”字体打印这个字",
                        c as u32
                    ),
                )
                .hint("打印后请核对这个字；若是笔误请改正"),
                None => Finding::new(
                    Code::MissingGlyph,
                    path.clone(),
                    format!(
                        "{roles}字体中没有“{c}”（U+{:04X}），打印出来会是空白方框",
                        c as u32
                    ),
                )
                .hint("生僻字须有含该字的字体：用 --font-path 指定装有这种字体的文件夹（如含 Noto Serif CJK 或方正字体的文件夹），dashi check 和 dashi build 都加上它，缺的字会自动用该字体打印；若是笔误请改正"),
            }
        })
        .collect()
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
