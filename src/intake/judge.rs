//! Judging all submissions of an output folder together, on every run: the
//! cross-submission findings are made afresh over earlier and new submissions alike,
//! a studio's later submission replaces its earlier one (补正), and every conclusion
//! follows from the findings. A verdict a later arrival changes says what changed and
//! why, in the submission's history.

use std::collections::BTreeMap;

use super::cross::{self, Traits};
use super::secret::Secret;
use super::{
    ADMISSIBLE, Conclusion, INCOMPLETE, INELIGIBLE, Ledger, Problem, SUPERSEDED, Submission,
};
use crate::finding::Code;

/// The codes of findings between submissions: made afresh on every run.
const CROSS: [Code; 5] = [
    Code::SharedId,
    Code::SharedScan,
    Code::SharedCertificate,
    Code::DoubleSubmission,
    Code::MasterAsMember,
];

/// Codes whose error means a condition of 第七条 (or 第三条) is not met: the
/// submission is 不符合条件, not merely incomplete.
const UNQUALIFYING: [Code; 7] = [
    Code::QualificationCategory,
    Code::QualificationHonour,
    Code::MasterLevel,
    Code::EducationFund,
    Code::WorkingConditions,
    Code::VocationalTraining,
    Code::StudioPremises,
];

/// Judges every submission of the ledger: `fresh` holds the traits of this run's
/// submissions (with whole ID numbers), the others are judged on their stored traits.
/// Returns a note for each earlier submission whose conclusion changed.
pub fn all(
    ledger: &mut Ledger,
    fresh: &BTreeMap<String, Traits>,
    full_id: bool,
    secret: &Secret,
    day: &str,
) -> Vec<String> {
    let before: BTreeMap<String, Submission> = ledger
        .submissions
        .iter()
        .filter(|s| !s.conclusion.verdict.is_empty())
        .map(|s| (s.number.clone(), s.clone()))
        .collect();
    for s in &mut ledger.submissions {
        s.problems.retain(|p| !CROSS.contains(&p.code));
        s.superseded_by = None;
        s.supersedes.clear();
    }
    let copies = damaged_copies(&mut ledger.submissions);
    supersede(&mut ledger.submissions, &copies);
    let mut all: Vec<(Submission, Option<Traits>)> = std::mem::take(&mut ledger.submissions)
        .into_iter()
        .map(|s| {
            let traits = if s.superseded_by.is_some() || !s.integrity.intact {
                None
            } else if s.carried {
                s.traits.clone()
            } else {
                fresh.get(&s.number).cloned()
            };
            (s, traits)
        })
        .collect();
    cross::check(&mut all, full_id, secret);
    let mut notes = Vec::new();
    for (mut s, traits) in all {
        s.cross_checked = traits.is_some();
        if !s.carried {
            s.traits = traits.as_ref().map(|t| t.stored(secret));
        }
        s.conclusion = match &s.superseded_by {
            Some(later) => Conclusion {
                verdict: SUPERSEDED.into(),
                reasons: vec![format!("以受理编号 {later} 的申报为准")],
            },
            None => conclude(&s.problems),
        };
        if let Some(old) = before.get(&s.number)
            && let Some(line) = changed(old, &s)
        {
            notes.push(format!("受理编号 {}：{line}", s.number));
            s.history.push(format!("{day}：{line}"));
        }
        ledger.submissions.push(s);
    }
    notes
}

/// What changed of an earlier conclusion, and why, in one line; `None` when it stands.
fn changed(old: &Submission, new: &Submission) -> Option<String> {
    if old.conclusion.line() == new.conclusion.line() {
        return None;
    }
    let key = |p: &Problem| (p.code, p.joins.clone());
    let was: Vec<_> = old.problems.iter().map(key).collect();
    let is: Vec<_> = new.problems.iter().map(key).collect();
    let mut why: Vec<String> = Vec::new();
    for (code, joins) in is.iter().filter(|k| !was.contains(k)) {
        if !joins.is_empty() {
            why.push(format!(
                "与受理编号 {} 交叉核对发现 {code}",
                joins.join("、")
            ));
        }
    }
    for (code, joins) in was.iter().filter(|k| !is.contains(k)) {
        if !joins.is_empty() {
            why.push(format!(
                "与受理编号 {} 的 {code} 已不再成立",
                joins.join("、")
            ));
        }
    }
    if let Some(later) = &new.superseded_by {
        why.push(format!("受理编号 {later} 是同一工作室后来的申报"));
    }
    if why.is_empty() {
        why.push("重新检查的结果不同".into());
    }
    Some(format!(
        "初审结论由“{}”改为“{}”（{}）",
        old.conclusion.verdict,
        new.conclusion.verdict,
        why.join("；")
    ))
}

/// R514 for a damaged copy of a submission that is also here intact: the same seal,
/// its own number, and the intact one named. Returns the damaged copies' positions.
fn damaged_copies(all: &mut [Submission]) -> Vec<usize> {
    let intact: Vec<(String, String)> = all
        .iter()
        .filter(|s| s.integrity.intact)
        .filter_map(|s| Some((s.seal.clone()?, s.number.clone())))
        .collect();
    let mut copies = Vec::new();
    for (i, s) in all.iter_mut().enumerate() {
        if s.integrity.intact {
            continue;
        }
        let Some(seal) = &s.seal else { continue };
        let Some((_, number)) = intact.iter().find(|(sl, n)| sl == seal && *n != s.number) else {
            continue;
        };
        copies.push(i);
        s.problems.push(
            Problem {
                joins: vec![number.clone()],
                ..Problem::new(
                    Code::DoubleSubmission,
                    format!("这是受理编号 {number} 的申报的一份损坏的副本（封存值相同）"),
                )
            }
            .hint("以完好的一份为准；损坏的副本不作评审依据"),
        );
    }
    copies
}

/// A studio's submissions with other bytes (a 补正 or a resubmission): the last
/// received replaces the earlier ones. One studio is one name of one unit (统一社会
/// 信用代码), both read from the data file; damaged copies of another submission are
/// not resubmissions.
fn supersede(all: &mut [Submission], damaged_copies: &[usize]) {
    let mut studios: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, s) in all.iter().enumerate() {
        let Some(f) = &s.facts else { continue };
        if f.data_file.is_empty()
            || f.studio.trim().is_empty()
            || f.credit_code.trim().is_empty()
            || damaged_copies.contains(&i)
        {
            continue;
        }
        let key = (
            f.studio.trim().to_string(),
            f.credit_code.trim().to_string(),
        );
        studios.entry(key).or_default().push(i);
    }
    for mut indices in studios.into_values().filter(|v| v.len() > 1) {
        indices.sort_by_key(|&i| all[i].sequence);
        let last = *indices.last().expect("two or more");
        let latest = all[last].number.clone();
        let earlier: Vec<String> = indices[..indices.len() - 1]
            .iter()
            .map(|&i| all[i].number.clone())
            .collect();
        for &i in &indices[..indices.len() - 1] {
            all[i].superseded_by = Some(latest.clone());
        }
        all[last].supersedes = earlier;
    }
}

/// The conclusion the findings lead to.
pub fn conclude(problems: &[Problem]) -> Conclusion {
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    let unqualifying: Vec<&Problem> = errors
        .iter()
        .copied()
        .filter(|p| UNQUALIFYING.contains(&p.code))
        .collect();
    let mut reasons: Vec<String> = Vec::new();
    let mut push = |line: String| {
        if !reasons.contains(&line) {
            reasons.push(line);
        }
    };
    if !unqualifying.is_empty() {
        for p in &unqualifying {
            push(format!("{}：{}", p.article, p.code.what()));
        }
        return Conclusion {
            verdict: INELIGIBLE.into(),
            reasons,
        };
    }
    if errors.is_empty() {
        return Conclusion {
            verdict: ADMISSIBLE.into(),
            reasons,
        };
    }
    for p in errors {
        push(format!("{}（{}）", p.code.what(), p.code));
    }
    Conclusion {
        verdict: INCOMPLETE.into(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: Code) -> Problem {
        Problem::new(code, "")
    }

    #[test]
    fn conclusions() {
        assert_eq!(conclude(&[]).verdict, ADMISSIBLE);
        assert_eq!(
            conclude(&[problem(Code::EvidenceDamaged)]).verdict,
            ADMISSIBLE
        );
        let c = conclude(&[problem(Code::IdNumber), problem(Code::EducationFund)]);
        assert_eq!(c.verdict, INELIGIBLE);
        assert_eq!(
            c.reasons,
            vec!["第七条（二）：职工教育经费用于高技能人才的部分不低于50%"]
        );
        let c = conclude(&[problem(Code::Integrity)]);
        assert_eq!(c.verdict, INCOMPLETE);
        assert!(c.line().starts_with("需补正（电子材料未通过完整性校验"));
    }
}
