//! The direction of dependencies (ARCHITECTURE.md), read from the source: every
//! `crate::` and `super::` path of every file under src/, resolved to the file it names.
//! No cycle between top-level modules, no cycle of more than two files inside one,
//! `verify` a generic validator, and the ground importing nothing above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`["room", "four", "items"]`) → file (relative to src/).
type Files = BTreeMap<Vec<String>, String>;

/// Every `.rs` file below `src` with its text, by module path.
fn read_tree(src: &Path) -> (Files, BTreeMap<String, String>) {
    let mut files = Files::new();
    let mut texts = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(src)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(module_of(&rel), rel.clone());
                texts.insert(rel, text);
            }
        }
    }
    (files, texts)
}

/// The module a file holds: `a/b.rs` and `a/b/mod.rs` are `a::b`; lib.rs and main.rs
/// the crate.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The text without `//` comments (doc comments name modules in prose).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names from `at` on: after `crate` or `super` (`member` false), or
/// a member of a `{…}` group (`member` true: it begins with a name); each member of a
/// group is a path of its own.
fn paths_at(code: &str, prefix: Vec<String>, at: usize, member: bool, out: &mut Vec<Vec<String>>) {
    let ident_len = |s: &str| {
        s.char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(s.len(), |(i, _)| i)
    };
    let mut path = prefix;
    let mut i = at;
    let mut expect_name = member;
    loop {
        let rest = &code[i..];
        if expect_name {
            let trimmed = rest.trim_start();
            let n = ident_len(trimmed);
            if n == 0 {
                break;
            }
            path.push(trimmed[..n].to_string());
            i += rest.len() - trimmed.len() + n;
            expect_name = false;
        } else if let Some(group) = rest.strip_prefix("::{") {
            let base = i + 3;
            let (mut depth, mut start) = (0, 0);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    ',' | '}' if depth == 0 => {
                        paths_at(code, path.clone(), base + start, true, out);
                        if c == '}' {
                            return;
                        }
                        start = j + 1;
                    }
                    _ => {}
                }
            }
            return;
        } else if rest.starts_with("::") {
            i += 2;
            expect_name = true;
        } else {
            break;
        }
    }
    out.push(path);
}

/// The file each path names: the longest prefix of it that is a module file.
fn resolve(files: &Files, path: &[String]) -> Option<String> {
    let mut path = path.to_vec();
    // `super` steps up from where it stands.
    while let Some(i) = path.iter().position(|p| p == "super") {
        if i == 0 {
            return None;
        }
        path.drain(i - 1..=i);
    }
    (1..=path.len())
        .rev()
        .find_map(|n| files.get(&path[..n]).cloned())
}

/// File → files it names.
fn edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let (files, texts) = read_tree(src);
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &texts {
        let me = module_of(rel);
        let code = code_of(text);
        let mut named = Vec::new();
        for (at, _) in code.match_indices(['c', 's']) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail = &code[at..];
            if tail.starts_with("crate::") {
                paths_at(&code, Vec::new(), at + "crate".len(), false, &mut named);
            } else if tail.starts_with("super::") {
                // `super` of a/b.rs (module a::b) is a; of a/b/mod.rs (a::b) also a.
                let mut base = me.clone();
                base.pop();
                paths_at(&code, base, at + "super".len(), false, &mut named);
            }
        }
        let targets = out.entry(rel.clone()).or_default();
        for path in named {
            if let Some(file) = resolve(&files, &path)
                && &file != rel
            {
                targets.insert(file);
            }
        }
    }
    out
}

/// The top-level module of a file (`lib` for lib.rs and main.rs).
fn top(rel: &str) -> String {
    module_of(rel)
        .first()
        .cloned()
        .unwrap_or_else(|| "lib".into())
}

/// The strongly connected components of more than one node (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

/// Top-level module → top-level modules it names.
fn modules(files: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in files {
        let a = top(from);
        if a == "lib" {
            continue;
        }
        let named = out.entry(a.clone()).or_default();
        for to in targets {
            let b = top(to);
            if b != a && b != "lib" {
                named.insert(b);
            }
        }
    }
    out
}

/// Every broken rule, in words.
fn broken_rules(src: &Path) -> Vec<String> {
    let files = edges(src);
    let modules = modules(&files);
    let mut broken = Vec::new();
    for cycle in cycles(&modules) {
        broken.push(format!("modules in a cycle: {}", cycle.join(" ")));
    }
    let inside: BTreeMap<String, BTreeSet<String>> = files
        .iter()
        .map(|(from, to)| {
            let same: BTreeSet<String> =
                to.iter().filter(|t| top(t) == top(from)).cloned().collect();
            (from.clone(), same)
        })
        .collect();
    for cycle in cycles(&inside) {
        if cycle.len() > 2 {
            broken.push(format!("files in a cycle: {}", cycle.join(" ")));
        }
    }
    let forbidden: [(&str, &[&str]); 5] = [
        (
            "verify",
            &[
                "archive", "room", "record", "report", "check", "data", "intake", "packet",
                "render", "typeset", "serve", "output",
            ],
        ),
        ("failure", &["*"]),
        ("finding", &["*"]),
        ("fsio", &["*"]),
        (
            "media",
            &[
                "check", "packet", "report", "record", "room", "archive", "intake", "serve",
                "verify", "output",
            ],
        ),
    ];
    // What the ground may name: only other ground.
    let ground = [
        "failure", "finding", "fsio", "portable", "walk", "progress", "console",
    ];
    for (module, never) in forbidden {
        for named in modules.get(module).into_iter().flatten() {
            let bad = if never == ["*"] {
                !ground.contains(&named.as_str())
            } else {
                never.contains(&named.as_str())
            };
            if bad {
                broken.push(format!("{module} imports {named}"));
            }
        }
    }
    broken
}

#[test]
fn dependencies_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = edges(&src);
    // The reading finds what it must: a module that plainly names others.
    assert!(
        files["packet/mod.rs"].contains("typeset/mod.rs"),
        "{:?}",
        files["packet/mod.rs"]
    );
    let broken = broken_rules(&src);
    assert!(
        broken.is_empty(),
        "ARCHITECTURE.md is broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn a_cycle_or_an_arrow_back_up_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub mod verify;\npub mod finding;\n",
    );
    write("a/mod.rs", "mod x;\nmod y;\nmod z;\nuse crate::b::thing;\n");
    write("a/x.rs", "use super::y::Y;\n");
    write("a/y.rs", "use super::{z::Z, x};\n");
    write("a/z.rs", "pub fn f() { crate::a::x::g() }\n");
    write("b.rs", "use crate::{a::x, verify};\n");
    write("verify/mod.rs", "pub fn v() {}\n");
    write(
        "finding.rs",
        "// crate::a is only named in a comment\nuse crate::b;\n",
    );
    let broken = broken_rules(dir.path());
    assert!(
        broken.contains(&"modules in a cycle: a b".to_string()),
        "{broken:?}"
    );
    assert!(
        broken.contains(&"files in a cycle: a/x.rs a/y.rs a/z.rs".to_string()),
        "{broken:?}"
    );
    assert!(
        broken.contains(&"finding imports b".to_string()),
        "{broken:?}"
    );
    assert_eq!(broken.len(), 3, "{broken:?}");
}
