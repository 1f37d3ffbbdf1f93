//! Resident identity numbers (GB 11643-1999): format, region, birth date, check digit,
//! and agreement with the 出生年月 and 性别 written on the form.

use std::collections::BTreeMap;

use crate::data::dates::Date;
use crate::data::model::{Application, Sex};
use crate::finding::{Code, Finding};

/// What an identity number says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidentId {
    pub birth: Date,
    pub sex: Sex,
}

/// Why an identity number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Not 18 characters.
    Length(usize),
    /// Something other than digits (and a final X).
    Characters,
    /// The first two digits are no province.
    Region,
    /// Digits 7–14 are no real date.
    BirthDate,
    /// The check character does not match.
    CheckDigit { expected: char, found: char },
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const PROVINCES: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// Parses and validates an 18-character resident identity number.
pub fn parse(id: &str) -> Result<ResidentId, IdProblem> {
    let id = id.trim();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(IdProblem::Length(chars.len()));
    }
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X' || bytes[17] == b'x')
    {
        return Err(IdProblem::Characters);
    }
    let province: u32 = id[..2].parse().unwrap_or(0);
    if !PROVINCES.contains(&province) {
        return Err(IdProblem::Region);
    }
    let birth = Date::parse(&format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]))
        .ok_or(IdProblem::BirthDate)?;
    let expected = check_char(&bytes[..17]);
    let found = (bytes[17] as char).to_ascii_uppercase();
    if expected != found {
        return Err(IdProblem::CheckDigit { expected, found });
    }
    let sex = if (bytes[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok(ResidentId { birth, sex })
}

/// Identity numbers of the master and members: valid, agreeing with the form, unique.
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    let mut people = vec![(
        "master".to_string(),
        super::called(&app.master.name, None),
        app.master.id_number.as_str(),
        app.master.sex,
    )];
    for (i, m) in app.members.iter().enumerate() {
        people.push((
            format!("members[{i}]"),
            super::called(&m.name, Some(i)),
            &m.id_number,
            m.sex,
        ));
    }

    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (base, name, id_number, sex) in &people {
        let path = format!("{base}.id_number");
        match parse(id_number) {
            Err(problem) => out.push(problem_finding(&path, name, problem)),
            Ok(id) => {
                if *base == "master" && id.birth.year_month() != app.master.birth {
                    out.push(
                        Finding::new(
                            Code::IdBirth,
                            "master.birth",
                            format!(
                                "出生年月填的是 {}，身份证号中的出生日期是 {}",
                                app.master.birth, id.birth
                            ),
                        )
                        .uses(path.clone())
                        .hint(format!(
                            "核对身份证原件：若身份证号无误，出生年月应为 \"{}\"",
                            id.birth.year_month()
                        )),
                    );
                }
                if id.sex != *sex {
                    out.push(
                        Finding::new(
                            Code::IdSex,
                            format!("{base}.sex"),
                            format!(
                                "{name}的性别填的是“{}”，身份证号第17位表示“{}”",
                                sex.label(),
                                id.sex.label()
                            ),
                        )
                        .uses(path.clone())
                        .hint("核对身份证原件，改正性别或身份证号"),
                    );
                }
            }
        }
        let key = id_number.trim().to_ascii_uppercase();
        if let Some(first) = seen.get(&key) {
            out.push(
                Finding::new(
                    Code::IdDuplicate,
                    path,
                    format!("{name}的身份证号与{first}的相同"),
                )
                .hint("每人的身份证号不同，请核对"),
            );
        } else if !key.is_empty() {
            seen.insert(key, name);
        }
    }
}

/// What is wrong with an identity number, in a few words.
pub fn describe(problem: IdProblem) -> String {
    match problem {
        IdProblem::Length(n) => format!("有 {n} 位，应为 18 位"),
        IdProblem::Characters => "含有数字以外的字符".into(),
        IdProblem::Region => "前两位不是有效的省级行政区划代码".into(),
        IdProblem::BirthDate => "第7至14位不是有效的出生日期".into(),
        IdProblem::CheckDigit { expected, found } => {
            format!("校验位应为 {expected}，实为 {found}")
        }
    }
}

fn problem_finding(path: &str, name: &str, problem: IdProblem) -> Finding {
    let (message, hint) = match problem {
        IdProblem::Length(n) => (
            format!("{name}的身份证号有 {n} 位，应为 18 位"),
            "按身份证原件填写 18 位号码；15 位旧号码须换用 18 位新号码".to_string(),
        ),
        IdProblem::Characters => (
            format!("{name}的身份证号含有数字以外的字符"),
            "前 17 位是数字，最后一位是数字或 X；注意不要用全角数字或字母 O".to_string(),
        ),
        IdProblem::Region => (
            format!("{name}的身份证号前两位不是有效的省级行政区划代码"),
            "核对身份证原件上的号码".to_string(),
        ),
        IdProblem::BirthDate => (
            format!("{name}的身份证号第7至14位不是有效的出生日期"),
            "核对身份证原件上的号码".to_string(),
        ),
        IdProblem::CheckDigit { expected, found } => (
            format!("{name}的身份证号校验位不对：最后一位应为 {expected}，实为 {found}"),
            format!(
                "按 GB 11643 计算，前 17 位对应的校验位是 {expected}；请核对身份证原件，前 17 位有误时校验位也会不符"
            ),
        ),
    };
    Finding::new(Code::IdNumber, path, message).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_check_digit() {
        // The example number of GB 11643-1999.
        let id = parse("11010519491231002X").unwrap();
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.birth.to_string(), "1949-12-31");
        assert_eq!(
            parse("110105194912310021"),
            Err(IdProblem::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(parse("1101051949123100"), Err(IdProblem::Length(16)));
        assert_eq!(parse("990105194912310021"), Err(IdProblem::Region));
        assert_eq!(parse("110105194913310021"), Err(IdProblem::BirthDate));
    }
}
