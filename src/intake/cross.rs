//! The checks no single submission can make (第十五条 弄虚作假, 第九条（一）): the same
//! resident ID in two studios, the same scan in two submissions, one certificate number
//! claimed by two people, two submissions for one studio or one master, a member who
//! leads another studio. Each finding goes to every submission it joins and names the
//! others by 受理编号. Only intact submissions take part: a damaged bag accuses no one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::secret::{PREFIX, Secret};
use super::{Problem, Submission};
use crate::finding::Code;

/// What one submission holds that others may also hold. Kept in intake.json, so a
/// later run checks all submissions together again; resident ID numbers are kept there
/// only as keyed digests (`Person::stored`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Traits {
    pub studio: String,
    pub credit_code: String,
    pub master: Option<Person>,
    pub members: Vec<Person>,
    pub scans: Vec<Scan>,
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Upper case, trimmed; or, as stored, its keyed digest (`hmac-sha256:…`).
    pub id: String,
    /// The ID masked for showing (first 6, last 4), kept with a stored digest.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub masked: String,
}

impl Person {
    /// Whether the ID is kept only as a digest (read from intake.json).
    fn is_stored(&self) -> bool {
        self.id.starts_with(PREFIX)
    }

    /// What identifies the person across submissions: the keyed digest of the ID
    /// number (empty when there is none).
    pub fn key(&self, secret: &Secret) -> String {
        if self.id.is_empty() || self.is_stored() {
            self.id.clone()
        } else {
            secret.id(&self.id)
        }
    }

    /// The person as intake.json keeps them: the ID as a keyed digest, and masked.
    pub fn stored(&self, secret: &Secret) -> Person {
        Person {
            name: self.name.clone(),
            id: self.key(secret),
            masked: if self.is_stored() {
                self.masked.clone()
            } else {
                super::mask::id(&self.id)
            },
        }
    }
}

impl Traits {
    /// The traits as intake.json keeps them.
    pub fn stored(&self, secret: &Secret) -> Traits {
        Traits {
            master: self.master.as_ref().map(|p| p.stored(secret)),
            members: self.members.iter().map(|p| p.stored(secret)).collect(),
            certificates: self
                .certificates
                .iter()
                .map(|c| Certificate {
                    holder: c.holder.stored(secret),
                    ..c.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// Whether it holds an ID digest of an older intake.json (a plain SHA-256, which
    /// the mask leaves open to a search of birth dates).
    pub fn has_plain_digests(&self) -> bool {
        self.people().any(|p| p.id.starts_with("sha256:"))
    }

    /// The traits with plain ID digests taken out (the names and masks stay).
    pub fn without_plain_digests(&self) -> Traits {
        let clear = |p: &Person| Person {
            id: if p.id.starts_with("sha256:") {
                String::new()
            } else {
                p.id.clone()
            },
            ..p.clone()
        };
        Traits {
            master: self.master.as_ref().map(clear),
            members: self.members.iter().map(clear).collect(),
            certificates: self
                .certificates
                .iter()
                .map(|c| Certificate {
                    holder: clear(&c.holder),
                    ..c.clone()
                })
                .collect(),
            ..self.clone()
        }
    }

    fn people(&self) -> impl Iterator<Item = &Person> {
        self.master
            .iter()
            .chain(&self.members)
            .chain(self.certificates.iter().map(|c| &c.holder))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scan {
    pub digest: String,
    /// Its path in the bag.
    pub name: String,
    /// Its item in the catalogue.
    pub number: usize,
    /// The unit's own (licence …): two studios of one unit share it rightly.
    pub unit_owned: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Certificate {
    /// Without spaces, upper case.
    pub number: String,
    pub holder: Person,
    pub title: String,
}

/// Adds the cross-submission findings to `all` (submissions with their traits; those
/// without take no part): one rule at a time, then each finding, with its hint, to
/// every submission it joins. The findings of a pair of submissions come together, in
/// the order of the rules below.
pub fn check(all: &mut [(Submission, Option<Traits>)], full_id: bool, secret: &Secret) {
    let numbers: Vec<String> = all.iter().map(|(s, _)| s.number.clone()).collect();
    let traits: Vec<(usize, &Traits)> = all
        .iter()
        .enumerate()
        .filter_map(|(i, (_, t))| Some((i, t.as_ref()?)))
        .collect();
    let seen = Seen {
        numbers: &numbers,
        traits: &traits,
        full_id,
        secret,
    };
    let mut found = Found::default();
    let doubles = double_submissions(&seen, &mut found);
    masters_as_members(&seen, &doubles, &mut found);
    shared_ids(&seen, &doubles, &mut found);
    shared_scans(&seen, &doubles, &mut found);
    shared_certificates(&seen, &doubles, &mut found);
    for (i, problem) in found.in_order() {
        let hint = hint(problem.code);
        all[i].0.problems.push(problem.hint(hint));
    }
}

/// What to do about a cross finding.
fn hint(code: Code) -> &'static str {
    match code {
        Code::DoubleSubmission => "核实是否重复报送：同一工作室、同一领办人只受理一份申报",
        _ => "请两份申报的单位说明情况并提供原件核实（第十五条：弄虚作假的，取消相应资格）",
    }
}

/// The intact submissions' traits, by index, and how findings name them.
struct Seen<'a> {
    numbers: &'a [String],
    traits: &'a [(usize, &'a Traits)],
    full_id: bool,
    secret: &'a Secret,
}

impl Seen<'_> {
    fn number(&self, i: usize) -> &str {
        &self.numbers[i]
    }

    fn key(&self, person: &Person) -> String {
        person.key(self.secret)
    }

    /// Whether two people have one (non-empty) ID number.
    fn same_id(&self, a: &Person, b: &Person) -> bool {
        !a.id.is_empty() && !b.id.is_empty() && self.key(a) == self.key(b)
    }

    /// A person's resident ID as findings show it (masked unless `--full-id`; an
    /// earlier submission's only masked, as that is all intake.json keeps).
    fn id(&self, person: &Person) -> String {
        if person.is_stored() {
            person.masked.clone()
        } else if self.full_id {
            person.id.clone()
        } else {
            super::mask::id(&person.id)
        }
    }

    /// Every pair of intact submissions, in order.
    fn pairs(&self) -> impl Iterator<Item = ((usize, &Traits), (usize, &Traits))> + '_ {
        self.traits
            .iter()
            .enumerate()
            .flat_map(move |(x, &a)| self.traits[x + 1..].iter().map(move |&b| (a, b)))
    }

    /// `pairs`, less the pairs that are two copies of one application (R514 says all
    /// there is to say of them).
    fn pairs_apart<'a>(
        &'a self,
        doubles: &'a Doubles,
    ) -> impl Iterator<Item = ((usize, &'a Traits), (usize, &'a Traits))> + 'a {
        self.pairs()
            .filter(move |((a, _), (b, _))| !doubles.contains(&(*a, *b)))
    }
}

/// Pairs of submissions (lower index first) that are two copies of one application.
type Doubles = std::collections::BTreeSet<(usize, usize)>;

/// Findings as the rules make them, each with the pair it belongs to (for the order).
#[derive(Default)]
struct Found {
    /// (pair, rule, submission, problem); a finding within one submission has the pair
    /// (i, usize::MAX).
    all: Vec<((usize, usize), u8, usize, Problem)>,
}

impl Found {
    /// One finding told to both `a` and `b`, each naming the other.
    fn pair(&mut self, rule: Code, (a, b): (usize, usize), seen: &Seen, about: [String; 2]) {
        let [about_a, about_b] = about;
        let key = (a.min(b), a.max(b));
        let rank = rank(rule);
        self.all.push((
            key,
            rank,
            a,
            Problem {
                joins: vec![seen.number(b).to_string()],
                ..Problem::new(rule, about_a)
            },
        ));
        self.all.push((
            key,
            rank,
            b,
            Problem {
                joins: vec![seen.number(a).to_string()],
                ..Problem::new(rule, about_b)
            },
        ));
    }

    /// A finding within one submission.
    fn single(&mut self, rule: Code, i: usize, about: String) {
        self.all
            .push(((i, usize::MAX), rank(rule), i, Problem::new(rule, about)));
    }

    /// Pairwise findings pair by pair, the rules in their order within a pair; the
    /// certificate findings last.
    fn in_order(mut self) -> impl Iterator<Item = (usize, Problem)> {
        // Stable: findings of one pair and rule keep the order they were made in.
        self.all.sort_by_key(|&(pair, r, _, _)| {
            let group = match (r == rank(Code::SharedCertificate), pair.1 == usize::MAX) {
                (false, _) => 0,
                (true, false) => 1,
                (true, true) => 2,
            };
            (group, if group == 0 { pair } else { (0, 0) }, r)
        });
        self.all.into_iter().map(|(_, _, i, p)| (i, p))
    }
}

/// The order of the rules within a pair.
fn rank(rule: Code) -> u8 {
    match rule {
        Code::DoubleSubmission => 0,
        Code::MasterAsMember => 1,
        Code::SharedId => 2,
        Code::SharedScan => 3,
        _ => 4,
    }
}

/// R514: one studio or one master in two submissions. Two copies of one application
/// share everything else too, so the other rules pass over such a pair.
fn double_submissions(seen: &Seen, found: &mut Found) -> Doubles {
    let mut doubles = Doubles::new();
    for ((a, ta), (b, tb)) in seen.pairs() {
        let same_studio = !ta.studio.is_empty() && ta.studio == tb.studio;
        let same_master = matches!((&ta.master, &tb.master),
            (Some(ma), Some(mb)) if seen.same_id(ma, mb));
        if !(same_studio || same_master) {
            continue;
        }
        doubles.insert((a, b));
        let what = match (same_studio, &ta.master) {
            (true, _) => format!("工作室“{}”", ta.studio),
            (false, Some(m)) => format!("领办人{}（身份证号 {}）", m.name, seen.id(m)),
            (false, None) => String::new(),
        };
        found.pair(
            Code::DoubleSubmission,
            (a, b),
            seen,
            [
                format!("{what}另有一份申报：受理编号 {}", seen.number(b)),
                format!("{what}另有一份申报：受理编号 {}", seen.number(a)),
            ],
        );
    }
    doubles
}

/// R515: a member of one studio is the master of another.
fn masters_as_members(seen: &Seen, doubles: &Doubles, found: &mut Found) {
    for ((a, ta), (b, tb)) in seen.pairs_apart(doubles) {
        for (one, other, one_n, other_n) in [(ta, tb, a, b), (tb, ta, b, a)] {
            let Some(master) = &other.master else {
                continue;
            };
            for m in one.members.iter().filter(|m| seen.same_id(m, master)) {
                found.pair(
                    Code::MasterAsMember,
                    (one_n, other_n),
                    seen,
                    [
                        format!(
                            "成员{}（身份证号 {}）是受理编号 {} 的工作室“{}”的领办人",
                            m.name,
                            seen.id(m),
                            seen.number(other_n),
                            other.studio
                        ),
                        format!(
                            "领办人{}（身份证号 {}）又是受理编号 {} 的工作室“{}”的成员",
                            master.name,
                            seen.id(master),
                            seen.number(one_n),
                            one.studio
                        ),
                    ],
                );
            }
        }
    }
}

/// R511: one resident ID among the members of two studios.
fn shared_ids(seen: &Seen, doubles: &Doubles, found: &mut Found) {
    for ((a, ta), (b, tb)) in seen.pairs_apart(doubles) {
        for ma in ta.members.iter().filter(|m| !m.id.is_empty()) {
            let Some(mb) = tb.members.iter().find(|m| seen.same_id(m, ma)) else {
                continue;
            };
            let said = |one: &Person, other_n: usize, other: &Person| {
                format!(
                    "成员{}的身份证号 {} 也是受理编号 {} 的成员{}的",
                    one.name,
                    seen.id(one),
                    seen.number(other_n),
                    other.name
                )
            };
            found.pair(
                Code::SharedId,
                (a, b),
                seen,
                [said(ma, b, mb), said(mb, a, ma)],
            );
        }
    }
}

/// R512: one scan in two submissions (a unit's own papers may serve two of its
/// studios).
fn shared_scans(seen: &Seen, doubles: &Doubles, found: &mut Found) {
    for ((a, ta), (b, tb)) in seen.pairs_apart(doubles) {
        for sa in &ta.scans {
            for sb in tb.scans.iter().filter(|s| s.digest == sa.digest) {
                if sa.unit_owned && sb.unit_owned && ta.credit_code == tb.credit_code {
                    continue;
                }
                let short = &sa.digest[..16];
                found.pair(
                    Code::SharedScan,
                    (a, b),
                    seen,
                    [
                        format!(
                            "扫描件 {} 与受理编号 {} 的 {} 完全相同（SHA-256 {short}…）",
                            sa.name,
                            seen.number(b),
                            sb.name
                        ),
                        format!(
                            "扫描件 {} 与受理编号 {} 的 {} 完全相同（SHA-256 {short}…）",
                            sb.name,
                            seen.number(a),
                            sa.name
                        ),
                    ],
                );
            }
        }
    }
}

/// Whether two holders are one person: by their ID numbers when both have one (two
/// people may share a name, never an ID number), else by name.
fn same_person(seen: &Seen, a: &Person, b: &Person) -> bool {
    if !a.id.is_empty() && !b.id.is_empty() {
        seen.same_id(a, b)
    } else {
        a.name == b.name
    }
}

/// R513: one certificate number claimed by two holders, in two submissions or in one.
fn shared_certificates(seen: &Seen, doubles: &Doubles, found: &mut Found) {
    let mut by_number: BTreeMap<&str, Vec<(usize, &Certificate)>> = BTreeMap::new();
    for &(i, t) in seen.traits {
        for c in &t.certificates {
            by_number.entry(&c.number).or_default().push((i, c));
        }
    }
    for (cert, claims) in by_number {
        for (x, &(a, ca)) in claims.iter().enumerate() {
            for &(b, cb) in &claims[x + 1..] {
                // One person, or two copies of one application (R514 says it).
                let same_person = same_person(seen, &ca.holder, &cb.holder);
                if same_person || doubles.contains(&(a.min(b), a.max(b))) {
                    continue;
                }
                let claim = |c: &Certificate, other: &Certificate, where_other: &str| {
                    format!(
                        "证书编号 {cert} 既是{}的“{}”，又是{where_other}{}的“{}”",
                        c.holder.name, c.title, other.holder.name, other.title
                    )
                };
                if a == b {
                    found.single(Code::SharedCertificate, a, claim(ca, cb, "同一申报中"));
                } else {
                    let where_b = format!("受理编号 {} 的", seen.number(b));
                    let where_a = format!("受理编号 {} 的", seen.number(a));
                    found.pair(
                        Code::SharedCertificate,
                        (a, b),
                        seen,
                        [claim(ca, cb, &where_b), claim(cb, ca, &where_a)],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(n: u32) -> Submission {
        let mut s = Submission::blank(format!("2027-{n:03}"), n, String::new());
        s.integrity.intact = true;
        s
    }

    fn person(name: &str, id: &str) -> Person {
        Person {
            name: name.into(),
            id: id.into(),
            masked: String::new(),
        }
    }

    fn traits(studio: &str, master: Person, members: Vec<Person>) -> Traits {
        Traits {
            studio: studio.into(),
            credit_code: "X".into(),
            master: Some(master),
            members,
            ..Traits::default()
        }
    }

    fn codes(s: &Submission) -> Vec<&str> {
        let mut codes: Vec<&str> = s.problems.iter().map(|p| p.code.id()).collect();
        codes.sort_unstable();
        codes
    }

    #[test]
    fn each_sharing_is_its_own_finding() {
        let a = traits(
            "甲",
            person("甲", "A"),
            vec![person("乙", "B"), person("丙", "C")],
        );
        // 甲's member 乙 is also a member of 丁 (under another name).
        let b = traits("丁", person("丁", "D"), vec![person("乙二", "B")]);
        // 戊's member is 甲 (the master of 甲).
        let c = traits("戊", person("戊", "E"), vec![person("甲", "A")]);
        // Same master as 戊, another studio name.
        let d = traits("己", person("戊", "E"), vec![]);
        let mut all = vec![
            (submission(1), Some(a)),
            (submission(2), Some(b)),
            (submission(3), Some(c)),
            (submission(4), Some(d)),
            (submission(5), None),
        ];
        check(&mut all, false, &Secret::fixed());
        assert_eq!(codes(&all[0].0), vec!["R511", "R515"]);
        assert_eq!(codes(&all[1].0), vec!["R511"]);
        assert_eq!(codes(&all[2].0), vec!["R514", "R515"]);
        assert_eq!(codes(&all[3].0), vec!["R514"]);
        assert!(all[4].0.problems.is_empty());
        assert_eq!(all[1].0.problems[0].joins, vec!["2027-001"]);
    }

    #[test]
    fn certificates_and_scans() {
        let cert = |number: &str, holder: Person| Certificate {
            number: number.into(),
            holder,
            title: "证书".into(),
        };
        let scan = |digest: &str, unit_owned: bool| Scan {
            digest: digest.repeat(64),
            name: "data/佐证材料/01-x.jpg".into(),
            number: 1,
            unit_owned,
        };
        let mut a = traits("甲", person("甲", "A"), vec![]);
        a.certificates = vec![cert("N1", person("甲", "A"))];
        a.scans = vec![scan("a", true), scan("b", false)];
        let mut b = traits("乙", person("乙", "B"), vec![]);
        b.certificates = vec![cert("N1", person("乙", "B")), cert("N2", person("乙", "B"))];
        b.scans = vec![scan("a", true)];
        let mut c = traits("丙", person("丙", "C"), vec![]);
        c.certificates = vec![cert("N2", person("乙", "B"))];
        c.scans = vec![scan("b", false)];
        let mut all = vec![
            (submission(1), Some(a)),
            (submission(2), Some(b)),
            (submission(3), Some(c)),
        ];
        check(&mut all, false, &Secret::fixed());
        // The unit's shared licence (same unit) is no finding; 乙 holding N2 twice is none.
        assert_eq!(codes(&all[0].0), vec!["R512", "R513"]);
        assert_eq!(codes(&all[1].0), vec!["R513"]);
        assert_eq!(codes(&all[2].0), vec!["R512"]);
    }

    fn run(mut subs: Vec<Traits>) -> Vec<Vec<&'static str>> {
        let mut all: Vec<(Submission, Option<Traits>)> = subs
            .drain(..)
            .enumerate()
            .map(|(i, t)| (submission(i as u32 + 1), Some(t)))
            .collect();
        check(&mut all, false, &Secret::fixed());
        all.iter()
            .map(|(s, _)| {
                let mut codes: Vec<&'static str> = s.problems.iter().map(|p| p.code.id()).collect();
                codes.sort_unstable();
                codes
            })
            .collect()
    }

    #[test]
    fn r514_one_master_twice_and_nothing_else_said_of_the_pair() {
        let a = traits("甲", person("甲", "A"), vec![person("乙", "B")]);
        let b = traits("甲二", person("甲", "A"), vec![person("乙", "B")]);
        assert_eq!(run(vec![a, b]), vec![vec!["R514"], vec!["R514"]]);
    }

    #[test]
    fn r515_a_member_who_leads_another_studio() {
        let a = traits("甲", person("甲", "A"), vec![person("乙", "B")]);
        let b = traits("乙", person("乙", "B"), vec![]);
        assert_eq!(run(vec![a, b]), vec![vec!["R515"], vec!["R515"]]);
    }

    #[test]
    fn r511_one_id_in_two_studios() {
        let a = traits("甲", person("甲", "A"), vec![person("丙", "C")]);
        let b = traits("乙", person("乙", "B"), vec![person("丙丙", "C")]);
        let c = traits("丁", person("丁", "D"), vec![person("丙", "X")]);
        assert_eq!(run(vec![a, b, c]), vec![vec!["R511"], vec!["R511"], vec![]]);
    }

    #[test]
    fn r512_one_scan_twice_but_a_units_licence_may_serve_two_studios() {
        let scan = |digest: &str, unit_owned: bool| Scan {
            digest: digest.repeat(64),
            name: "data/佐证材料/01-x.jpg".into(),
            number: 1,
            unit_owned,
        };
        let mut a = traits("甲", person("甲", "A"), vec![]);
        a.scans = vec![scan("a", true), scan("b", false)];
        let mut b = traits("乙", person("乙", "B"), vec![]);
        b.scans = vec![scan("a", true)];
        let mut c = traits("丙", person("丙", "C"), vec![]);
        c.credit_code = "Y".into();
        c.scans = vec![scan("a", true), scan("b", false)];
        // a–b: same unit's licence, no finding; a–c: both scans; b–c: the licence of
        // another unit.
        assert_eq!(
            run(vec![a, b, c]),
            vec![
                vec!["R512", "R512"],
                vec!["R512"],
                vec!["R512", "R512", "R512"]
            ]
        );
    }

    #[test]
    fn r513_one_certificate_two_holders_within_one_submission_too() {
        let cert = |number: &str, holder: Person| Certificate {
            number: number.into(),
            holder,
            title: "证书".into(),
        };
        let mut a = traits("甲", person("甲", "A"), vec![]);
        a.certificates = vec![cert("N1", person("甲", "A")), cert("N1", person("丙", "C"))];
        let mut b = traits("乙", person("乙", "B"), vec![]);
        b.certificates = vec![cert("N2", person("乙", "B"))];
        let mut c = traits("丁", person("丁", "D"), vec![]);
        c.certificates = vec![cert("N2", person("乙", "B"))];
        // N1 twice in 甲 (two people); N2 held by the same person in 乙 and 丁.
        assert_eq!(run(vec![a, b, c]), vec![vec!["R513"], vec![], vec![]]);
    }

    #[test]
    fn r513_one_name_under_two_id_numbers_is_two_people() {
        let cert = |holder: Person| Certificate {
            number: "N9".into(),
            holder,
            title: "高级技师证书".into(),
        };
        let mut a = traits("甲", person("张伟", "A1"), vec![]);
        a.certificates = vec![cert(person("张伟", "A1"))];
        let mut b = traits("乙", person("张伟", "B2"), vec![]);
        b.certificates = vec![cert(person("张伟", "B2"))];
        // Same name, different ID numbers: two people claiming one certificate.
        assert_eq!(run(vec![a, b]), vec![vec!["R513"], vec!["R513"]]);
        // An ID missing on one side: the name decides.
        let mut c = traits("丙", person("李红", "C3"), vec![]);
        c.certificates = vec![cert(person("李红", "C3"))];
        let mut d = traits("丁", person("李红", ""), vec![]);
        d.certificates = vec![cert(person("李红", ""))];
        assert_eq!(run(vec![c, d]), vec![Vec::<&str>::new(), vec![]]);
    }
}
