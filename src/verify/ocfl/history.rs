//! A version inventory held against the head's own text. dashi writes every inventory
//! the same way, so the inventory of version n is the head inventory's text with the
//! head named `vn` and the members of later versions left out (their version blocks,
//! and the manifest and fixity entries of their content). The head's text is cut once
//! into those members; each version inventory is then compared piece by piece, at the
//! speed of comparing bytes, instead of being parsed. An inventory written any other
//! way is not matched and goes on to `fast::projection`, then to a full reading.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::inventory::version_number;

/// The head inventory's text, cut where a version inventory differs from it.
pub(super) struct History<'a> {
    text: &'a [u8],
    /// Disjoint, in text order.
    regions: Vec<Region>,
    /// The OCFL version the head's `type` names (a version inventory matched has it).
    spec: Option<String>,
}

enum Region {
    /// The value of `head` (a JSON string).
    Head(Range<usize>),
    /// An object whose members belong to versions: `members` in text order, each with
    /// the version it needs; `lead`, `sep`, `trail` the text around and between them.
    Object {
        span: Range<usize>,
        lead: Range<usize>,
        sep: Range<usize>,
        trail: Range<usize>,
        members: Vec<(Range<usize>, u32)>,
    },
}

impl Region {
    fn span(&self) -> &Range<usize> {
        match self {
            Region::Head(span) | Region::Object { span, .. } => span,
        }
    }
}

/// The members of an inventory that a version inventory restricts, as raw text.
#[derive(Deserialize)]
struct Members<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(borrow)]
    head: &'a RawValue,
    #[serde(borrow)]
    manifest: &'a RawValue,
    #[serde(borrow)]
    versions: &'a RawValue,
    #[serde(borrow, default)]
    fixity: Option<&'a RawValue>,
}

/// A version a member of a later version never has.
const NEVER: u32 = u32::MAX;

impl<'a> History<'a> {
    /// Cuts `text`, a head inventory; `None` when it is not laid out evenly enough to
    /// be cut (then nothing is matched this way).
    pub(super) fn cut(text: &'a [u8]) -> Option<History<'a>> {
        let members: Members = serde_json::from_slice(text).ok()?;
        let versions = entries(members.versions)?;
        let number: BTreeMap<&str, u32> = versions
            .keys()
            .map(|name| Some((*name, version_number(name)?.0)))
            .collect::<Option<_>>()?;
        // A content path needs the version its first segment names.
        let needs = |paths: &RawValue| {
            let paths: Vec<&str> = serde_json::from_str(paths.get()).ok()?;
            Some(
                paths
                    .iter()
                    .map(|p| p.split('/').next().and_then(|v| number.get(v).copied()))
                    .try_fold(0, |most: u32, n| Some(most.max(n?)))
                    .unwrap_or(NEVER),
            )
        };
        let mut regions = vec![Region::Head(span(text, members.head.get()))];
        let manifest = entries(members.manifest)?;
        regions.push(object(text, members.manifest, &manifest, |_, paths| {
            needs(paths)
        })?);
        regions.push(object(text, members.versions, &versions, |key, _| {
            number.get(key).copied()
        })?);
        if let Some(fixity) = members.fixity {
            for block in entries(fixity)?.values() {
                let paths = entries(block)?;
                regions.push(object(text, block, &paths, |_, paths| needs(paths))?);
            }
        }
        regions.sort_by_key(|r| r.span().start);
        if regions
            .windows(2)
            .any(|w| w[0].span().end > w[1].span().start)
        {
            return None;
        }
        let spec = members
            .kind
            .strip_prefix("https://ocfl.io/")
            .and_then(|k| k.strip_suffix("/spec/#inventory"))
            .map(str::to_string);
        let history = History {
            text,
            regions,
            spec,
        };
        // The cut must give the head's own text back whole, or it is not trusted.
        let last = number.values().max().copied()?;
        let head: &str = serde_json::from_str(members.head.get()).ok()?;
        history
            .version(text, last, head)
            .is_some()
            .then_some(history)
    }

    /// Whether `bytes` is the inventory of version `n` (folder `name`) as dashi writes
    /// it: the head's text restricted to versions 1..=n, byte for byte. Then the OCFL
    /// version its `type` names (the head's).
    pub(super) fn version(&self, bytes: &[u8], n: u32, name: &str) -> Option<Option<String>> {
        let mut expected = self.expect(n, name)?;
        expected.feed(bytes);
        expected.version()
    }

    /// The inventory of version `n` (folder `name`), to be held against a text that
    /// comes in pieces (`Expected::feed`); `None` when no text can be it.
    pub(super) fn expect(&self, n: u32, name: &str) -> Option<Expected<'_>> {
        if name.contains(['"', '\\']) {
            return None;
        }
        let mut expected = Expected {
            history: self,
            name: format!("\"{name}\"").into_bytes(),
            pieces: Vec::new(),
            at: 0,
            offset: 0,
            same: true,
        };
        let mut copied = 0;
        for region in &self.regions {
            expected.push(copied..region.span().start);
            match region {
                Region::Head(_) => expected.pieces.push(Piece::Name),
                Region::Object {
                    lead,
                    sep,
                    trail,
                    members,
                    ..
                } => {
                    expected.push(lead.clone());
                    let mut first = true;
                    for (member, need) in members {
                        if *need > n {
                            continue;
                        }
                        // After the first, each with the separator before it (every
                        // member but the object's first has one just before it).
                        let from = if first {
                            member.start
                        } else {
                            member.start - sep.len()
                        };
                        expected.push(from..member.end);
                        first = false;
                    }
                    // An object left empty would be written `{}`: not for this path.
                    if first {
                        return None;
                    }
                    expected.push(trail.clone());
                }
            }
            copied = region.span().end;
        }
        expected.push(copied..self.text.len());
        Some(expected)
    }
}

/// The text an inventory must be, in pieces of the head's text and the version's
/// name, matched against a text fed to it as it is read.
pub(super) struct Expected<'h> {
    history: &'h History<'h>,
    /// The version's name as the value of `head`.
    name: Vec<u8>,
    pieces: Vec<Piece>,
    /// The piece being matched, and how far into it.
    at: usize,
    offset: usize,
    /// No byte fed has differed.
    same: bool,
}

enum Piece {
    Text(Range<usize>),
    Name,
}

impl Expected<'_> {
    /// A range of the head's text next (joined to the last when they meet).
    fn push(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        if let Some(Piece::Text(last)) = self.pieces.last_mut()
            && last.end == range.start
        {
            last.end = range.end;
            return;
        }
        self.pieces.push(Piece::Text(range));
    }

    /// The next bytes of the text.
    pub(super) fn feed(&mut self, mut bytes: &[u8]) {
        while self.same && !bytes.is_empty() {
            let want = match self.pieces.get(self.at) {
                Some(Piece::Text(range)) => &self.history.text[range.clone()],
                Some(Piece::Name) => &self.name[..],
                None => {
                    self.same = false;
                    return;
                }
            };
            let want = &want[self.offset..];
            let k = want.len().min(bytes.len());
            if want[..k] != bytes[..k] {
                self.same = false;
                return;
            }
            bytes = &bytes[k..];
            if k == want.len() {
                self.at += 1;
                self.offset = 0;
            } else {
                self.offset += k;
            }
        }
    }

    /// When the whole text was fed and it is the inventory expected: the OCFL version
    /// its `type` names (the head's).
    pub(super) fn version(&self) -> Option<Option<String>> {
        (self.same && self.at == self.pieces.len()).then(|| self.history.spec.clone())
    }
}

/// The members of an object as text, by key.
fn entries(raw: &RawValue) -> Option<BTreeMap<&str, &RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

/// Where `part`, borrowed from `text`, lies in it.
fn span(text: &[u8], part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - text.as_ptr() as usize;
    start..start + part.len()
}

/// An object of `text` (its `entries`) cut into its members, each with the version
/// `need` gives its key and value (`None`: the cut fails); `None` when its members are
/// not evenly separated.
fn object<'a>(
    text: &[u8],
    raw: &'a RawValue,
    entries: &BTreeMap<&'a str, &'a RawValue>,
    need: impl Fn(&str, &RawValue) -> Option<u32>,
) -> Option<Region> {
    let whole = span(text, raw.get());
    let mut members = Vec::with_capacity(entries.len());
    for (name, raw_value) in entries {
        // The key as borrowed lies just inside its quotes.
        let (key, value) = (span(text, name), span(text, raw_value.get()));
        // Nothing but the colon between them (a key written twice keeps its first
        // place and its last value).
        let between = text.get(key.end..value.start)?;
        let colon = between.first() == Some(&b'"')
            && between[1..]
                .iter()
                .filter(|b| !b.is_ascii_whitespace())
                .eq([&b':']);
        if !colon {
            return None;
        }
        members.push((key.start.checked_sub(1)?..value.end, need(name, raw_value)?));
    }
    members.sort_by_key(|(m, _)| m.start);
    let (first, last) = (members.first()?.0.clone(), members.last()?.0.clone());
    let sep = match members.get(1) {
        Some((second, _)) => first.end..second.start,
        None => first.end..first.end,
    };
    // Only the braces and blank space around the members (a member the map did not
    // keep, a key written twice, would lie there), one separator between each two.
    let blank = |part: &[u8]| part.iter().all(u8::is_ascii_whitespace);
    let even = text[whole.start] == b'{'
        && blank(&text[whole.start + 1..first.start])
        && blank(&text[last.end..whole.end - 1])
        && members
            .windows(2)
            .all(|w| text[w[0].0.end..w[1].0.start] == text[sep.clone()]);
    even.then_some(Region::Object {
        lead: whole.start..first.start,
        trail: last.end..whole.end,
        span: whole,
        sep,
        members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A head inventory of three versions, one file added in each (and v1's again
    /// in v3 under a second name), laid out as `serde_json` pretty-prints it.
    fn head() -> Value {
        json!({
            "id": "urn:x",
            "type": "https://ocfl.io/1.1/spec/#inventory",
            "digestAlgorithm": "sha512",
            "head": "v3",
            "manifest": {
                "aa": ["v1/content/a.txt"],
                "bb": ["v2/content/b.txt"],
                "cc": ["v3/content/c.txt"],
                "dd": ["v1/content/d.txt", "v3/content/d.txt"]
            },
            "versions": {
                "v1": {"created": "2027-01-01T00:00:00+08:00", "state": {"aa": ["a.txt"]}},
                "v2": {"created": "2027-04-01T00:00:00+08:00", "state": {"aa": ["a.txt"], "bb": ["b.txt"]}},
                "v3": {"created": "2027-07-01T00:00:00+08:00", "state": {"aa": ["a.txt"], "cc": ["c.txt"]}}
            },
            "fixity": {"sha256": {"a2": ["v1/content/a.txt"], "c2": ["v3/content/c.txt"]}}
        })
    }

    /// The head restricted to versions 1..=n, as a writer would write it.
    fn restricted(n: u32) -> Value {
        let mut v = head();
        let later = |path: &str| path[1..2].parse::<u32>().unwrap() > n;
        // Entries naming content of a later version go.
        let own = |paths: &Value| {
            !paths
                .as_array()
                .unwrap()
                .iter()
                .any(|p| later(p.as_str().unwrap()))
        };
        v["head"] = json!(format!("v{n}"));
        v["manifest"]
            .as_object_mut()
            .unwrap()
            .retain(|_, paths| own(paths));
        v["versions"]
            .as_object_mut()
            .unwrap()
            .retain(|name, _| !later(name));
        v["fixity"]["sha256"]
            .as_object_mut()
            .unwrap()
            .retain(|_, paths| own(paths));
        v
    }

    fn pretty(v: &Value) -> Vec<u8> {
        serde_json::to_vec_pretty(v).unwrap()
    }

    #[test]
    fn a_version_inventory_is_the_heads_text_restricted() {
        let text = pretty(&head());
        let history = History::cut(&text).expect("an evenly laid-out head is cut");
        for n in 1..=3 {
            let version = pretty(&restricted(n));
            assert_eq!(
                history.version(&version, n, &format!("v{n}")),
                Some(Some("1.1".to_string())),
                "v{n}"
            );
        }
        // The entry of a file stored in v1 and v3 belongs to v3.
        assert!(
            !String::from_utf8(pretty(&restricted(2)))
                .unwrap()
                .contains("\"dd\"")
        );
    }

    /// Fed in pieces of any size, as files are read, a text is judged as it is whole.
    #[test]
    fn a_text_fed_in_pieces_is_judged_as_whole() {
        let text = pretty(&head());
        let history = History::cut(&text).unwrap();
        let v2 = pretty(&restricted(2));
        let mut changed = v2.clone();
        changed[v2.len() / 3] ^= 1;
        for size in [1, 2, 7, 64, v2.len() - 1, v2.len()] {
            let fed = |bytes: &[u8]| {
                let mut expected = history.expect(2, "v2").unwrap();
                bytes.chunks(size).for_each(|piece| expected.feed(piece));
                expected.version()
            };
            assert_eq!(fed(&v2), Some(Some("1.1".to_string())), "pieces of {size}");
            assert_eq!(fed(&changed), None, "pieces of {size}");
            assert_eq!(fed(&v2[..v2.len() - 1]), None, "pieces of {size}");
        }
        // Nothing fed is not the inventory.
        assert_eq!(history.expect(2, "v2").unwrap().version(), None);
    }

    #[test]
    fn anything_else_is_not_matched() {
        let text = pretty(&head());
        let history = History::cut(&text).unwrap();
        let v2 = pretty(&restricted(2));
        // Another version, another folder name, or the head's own text.
        assert_eq!(history.version(&v2, 3, "v3"), None);
        assert_eq!(history.version(&v2, 2, "v02"), None);
        assert_eq!(history.version(&text, 2, "v2"), None);
        // One byte changed anywhere, a byte added or cut off at the end.
        for at in [10, v2.len() / 2, v2.len() - 3] {
            let mut changed = v2.clone();
            changed[at] ^= 1;
            assert_eq!(history.version(&changed, 2, "v2"), None, "byte {at}");
        }
        let mut longer = v2.clone();
        longer.push(b'\n');
        assert_eq!(history.version(&longer, 2, "v2"), None);
        assert_eq!(history.version(&v2[..v2.len() - 1], 2, "v2"), None);
        // A member of a later version kept, or one of its own left out.
        let mut extra = restricted(2);
        extra["manifest"]["cc"] = json!(["v3/content/c.txt"]);
        assert_eq!(history.version(&pretty(&extra), 2, "v2"), None);
        let mut fewer = restricted(2);
        fewer["fixity"]["sha256"]
            .as_object_mut()
            .unwrap()
            .remove("a2");
        assert_eq!(history.version(&pretty(&fewer), 2, "v2"), None);
        // The same inventory laid out otherwise (left to the full reading).
        let compact = serde_json::to_vec(&restricted(2)).unwrap();
        assert_eq!(history.version(&compact, 2, "v2"), None);
    }

    #[test]
    fn an_unevenly_laid_out_head_is_not_cut() {
        let text = String::from_utf8(pretty(&head())).unwrap();
        // Two members on one line: the cut would not give the text back.
        let uneven = text.replacen("],\n    \"bb\"", "], \"bb\"", 1);
        assert_ne!(uneven, text);
        assert!(History::cut(uneven.as_bytes()).is_none());
        // A key written twice.
        let twice = text.replacen(
            "\"aa\": [",
            "\"aa\": [\n      \"v1/content/a.txt\"\n    ],\n    \"aa\": [",
            1,
        );
        assert!(History::cut(twice.as_bytes()).is_none());
    }
}
