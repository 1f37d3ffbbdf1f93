//! The checks no single submission can make (第十五条 弄虚作假, 第九条（一）): the same
//! resident ID in two studios, the same scan in two submissions, one certificate number
//! claimed by two people, two submissions for one studio or one master, a member who
//! leads another studio. Each finding goes to every submission it joins and names the
//! others by 受理编号. Only intact submissions take part: a damaged bag accuses no one.

use std::collections::BTreeMap;

use super::{Problem, Submission};
use crate::finding::Code;

/// What one submission holds that others may also hold.
#[derive(Debug, Clone, Default)]
pub struct Traits {
    pub studio: String,
    pub credit_code: String,
    pub master: Option<Person>,
    pub members: Vec<Person>,
    pub scans: Vec<Scan>,
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// Upper case, trimmed.
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct Scan {
    pub digest: String,
    /// Its path in the bag.
    pub name: String,
    /// Its item in the catalogue.
    pub number: usize,
    /// The unit's own (licence …): two studios of one unit share it rightly.
    pub unit_owned: bool,
}

#[derive(Debug, Clone)]
pub struct Certificate {
    /// Without spaces, upper case.
    pub number: String,
    pub holder: Person,
    pub title: String,
}

/// Adds the cross-submission findings to `all` (submissions with their traits).
pub fn check(all: &mut [(Submission, Option<Traits>)], full_id: bool) {
    let shown = |id: &str| {
        if full_id {
            id.to_string()
        } else {
            super::mask::id(id)
        }
    };
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let traits: Vec<(usize, &Traits)> = all
        .iter()
        .enumerate()
        .filter_map(|(i, (_, t))| Some((i, t.as_ref()?)))
        .collect();
    let number = |i: usize| all[i].0.number.clone();
    let mut doubles = std::collections::BTreeSet::new();
    let mut pair = |a: usize, b: usize, code: Code, about_a: String, about_b: String| {
        found.push((
            a,
            Problem {
                joins: vec![number(b)],
                ..Problem::new(code, about_a)
            },
        ));
        found.push((
            b,
            Problem {
                joins: vec![number(a)],
                ..Problem::new(code, about_b)
            },
        ));
    };
    for (x, &(a, ta)) in traits.iter().enumerate() {
        for &(b, tb) in &traits[x + 1..] {
            let (na, nb) = (number(a), number(b));
            // R514: one studio or one master, twice.
            let same_studio = !ta.studio.is_empty() && ta.studio == tb.studio;
            let same_master = matches!((&ta.master, &tb.master), (Some(ma), Some(mb)) if !ma.id.is_empty() && ma.id == mb.id);
            if same_studio || same_master {
                doubles.insert((a, b));
                let what = match (same_studio, &ta.master) {
                    (true, _) => format!("工作室“{}”", ta.studio),
                    (false, Some(m)) => format!("领办人{}（身份证号 {}）", m.name, shown(&m.id)),
                    (false, None) => String::new(),
                };
                pair(
                    a,
                    b,
                    Code::DoubleSubmission,
                    format!("{what}另有一份申报：受理编号 {nb}"),
                    format!("{what}另有一份申报：受理编号 {na}"),
                );
                // Two copies of one application share everything else too: the
                // double submission says it all.
                continue;
            }
            // R515 and R511: the same person in both, other than as both masters.
            for (one, other, one_n, other_n) in [(ta, tb, a, b), (tb, ta, b, a)] {
                if let Some(master) = &other.master {
                    for m in one
                        .members
                        .iter()
                        .filter(|m| !m.id.is_empty() && m.id == master.id)
                    {
                        let about_member = format!(
                            "成员{}（身份证号 {}）是受理编号 {} 的工作室“{}”的领办人",
                            m.name,
                            shown(&m.id),
                            number(other_n),
                            other.studio
                        );
                        let about_master = format!(
                            "领办人{}（身份证号 {}）又是受理编号 {} 的工作室“{}”的成员",
                            master.name,
                            shown(&master.id),
                            number(one_n),
                            one.studio
                        );
                        pair(
                            one_n,
                            other_n,
                            Code::MasterAsMember,
                            about_member,
                            about_master,
                        );
                    }
                }
            }
            for ma in ta.members.iter().filter(|m| !m.id.is_empty()) {
                if let Some(mb) = tb.members.iter().find(|m| m.id == ma.id) {
                    pair(
                        a,
                        b,
                        Code::SharedId,
                        format!(
                            "成员{}的身份证号 {} 也是受理编号 {nb} 的成员{}的",
                            ma.name,
                            shown(&ma.id),
                            mb.name
                        ),
                        format!(
                            "成员{}的身份证号 {} 也是受理编号 {na} 的成员{}的",
                            mb.name,
                            shown(&mb.id),
                            ma.name
                        ),
                    );
                }
            }
            // R512: one scan in both (a unit's own papers may serve two of its studios).
            for sa in &ta.scans {
                for sb in tb.scans.iter().filter(|s| s.digest == sa.digest) {
                    if sa.unit_owned && sb.unit_owned && ta.credit_code == tb.credit_code {
                        continue;
                    }
                    let short = &sa.digest[..16];
                    pair(
                        a,
                        b,
                        Code::SharedScan,
                        format!(
                            "扫描件 {} 与受理编号 {nb} 的 {} 完全相同（SHA-256 {short}…）",
                            sa.name, sb.name
                        ),
                        format!(
                            "扫描件 {} 与受理编号 {na} 的 {} 完全相同（SHA-256 {short}…）",
                            sb.name, sa.name
                        ),
                    );
                }
            }
        }
    }
    // R513: one certificate number, two holders (in any submissions, one included).
    let mut single: Vec<(usize, Problem)> = Vec::new();
    let mut by_number: BTreeMap<&str, Vec<(usize, &Certificate)>> = BTreeMap::new();
    for &(i, t) in &traits {
        for c in &t.certificates {
            by_number.entry(&c.number).or_default().push((i, c));
        }
    }
    for (cert, claims) in by_number {
        for (x, &(a, ca)) in claims.iter().enumerate() {
            for &(b, cb) in &claims[x + 1..] {
                // One person (by ID or by name: an ID mistyped in one of them is
                // another finding), or two copies of one application (R514 says it).
                let same_person = (!ca.holder.id.is_empty() && ca.holder.id == cb.holder.id)
                    || ca.holder.name == cb.holder.name;
                if same_person || doubles.contains(&(a.min(b), a.max(b))) {
                    continue;
                }
                let where_b = if a == b {
                    "同一申报中".to_string()
                } else {
                    format!("受理编号 {} 的", number(b))
                };
                let where_a = if a == b {
                    "同一申报中".to_string()
                } else {
                    format!("受理编号 {} 的", number(a))
                };
                if a == b {
                    single.push((
                        a,
                        Problem::new(
                            Code::SharedCertificate,
                            format!(
                                "证书编号 {cert} 既是{}的“{}”，又是{where_b}{}的“{}”",
                                ca.holder.name, ca.title, cb.holder.name, cb.title
                            ),
                        ),
                    ));
                } else {
                    pair(
                        a,
                        b,
                        Code::SharedCertificate,
                        format!(
                            "证书编号 {cert} 既是{}的“{}”，又是{where_b}{}的“{}”",
                            ca.holder.name, ca.title, cb.holder.name, cb.title
                        ),
                        format!(
                            "证书编号 {cert} 既是{}的“{}”，又是{where_a}{}的“{}”",
                            cb.holder.name, cb.title, ca.holder.name, ca.title
                        ),
                    );
                }
            }
        }
    }
    let hint = |code: &str| match code {
        "R514" => "核实是否重复报送：同一工作室、同一领办人只受理一份申报",
        _ => "请两份申报的单位说明情况并提供原件核实（第十五条：弄虚作假的，取消相应资格）",
    };
    for (i, problem) in found.into_iter().chain(single) {
        let hint = hint(&problem.code).to_string();
        all[i].0.problems.push(problem.hint(hint));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::{Conclusion, Integrity};

    fn submission(n: u32) -> Submission {
        Submission {
            number: format!("2027-{n:03}"),
            sequence: n,
            key: String::new(),
            input: String::new(),
            form: String::new(),
            received: String::new(),
            integrity: Integrity {
                intact: true,
                summary: String::new(),
                details: Vec::new(),
            },
            facts: None,
            evidence_digest: None,
            typed_digest: None,
            seal: None,
            pages: None,
            evidence_items: None,
            problems: Vec::new(),
            conclusion: Conclusion {
                verdict: String::new(),
                reasons: Vec::new(),
            },
            files: Vec::new(),
            carried: false,
        }
    }

    fn person(name: &str, id: &str) -> Person {
        Person {
            name: name.into(),
            id: id.into(),
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
        let mut codes: Vec<&str> = s.problems.iter().map(|p| p.code.as_str()).collect();
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
        check(&mut all, false);
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
        check(&mut all, false);
        // The unit's shared licence (same unit) is no finding; 乙 holding N2 twice is none.
        assert_eq!(codes(&all[0].0), vec!["R512", "R513"]);
        assert_eq!(codes(&all[1].0), vec!["R513"]);
        assert_eq!(codes(&all[2].0), vec!["R512"]);
    }
}
