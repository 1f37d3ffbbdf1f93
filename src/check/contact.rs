//! The unit's codes and every way to reach someone: unified social credit code
//! (GB 32100), mobile and office phones, fax, e-mail, postal code and bank account.

use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// Characters of a unified social credit code (no I, O, Z, S, V).
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Registration authorities of GB 32100 (position 1).
const CREDIT_AUTHORITIES: &str = "123456789ANY";

/// Why a credit code is wrong.
#[derive(Debug, PartialEq, Eq)]
pub enum CreditProblem {
    Length(usize),
    Character(char),
    Authority(char),
    Region,
    CheckDigit { expected: char, found: char },
}

/// Validates a unified social credit code.
pub fn credit_code(code: &str) -> Result<(), CreditProblem> {
    let chars: Vec<char> = code.trim().chars().collect();
    if chars.len() != 18 {
        return Err(CreditProblem::Length(chars.len()));
    }
    let mut values = Vec::with_capacity(18);
    for &c in &chars {
        match CREDIT_CHARS.find(c) {
            Some(v) => values.push(v),
            None => return Err(CreditProblem::Character(c)),
        }
    }
    if !CREDIT_AUTHORITIES.contains(chars[0]) {
        return Err(CreditProblem::Authority(chars[0]));
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return Err(CreditProblem::Region);
    }
    let sum: usize = values[..17]
        .iter()
        .zip(CREDIT_WEIGHTS)
        .map(|(v, w)| v * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    let expected = CREDIT_CHARS.as_bytes()[check] as char;
    if expected != chars[17] {
        return Err(CreditProblem::CheckDigit {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// The number with spaces and hyphens removed, and a leading +86 dropped.
fn digits_only(number: &str) -> String {
    let n: String = number
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '　'))
        .collect();
    n.strip_prefix("+86").unwrap_or(&n).to_string()
}

/// An 11-digit mainland mobile number.
pub fn is_mobile(number: &str) -> bool {
    let n = digits_only(number);
    n.len() == 11
        && n.starts_with('1')
        && matches!(n.as_bytes()[1], b'3'..=b'9')
        && n.bytes().all(|b| b.is_ascii_digit())
}

/// A landline: optional area code (0 and 2–3 more digits, maybe in brackets), 7–8
/// digits, optional extension (`-123` or `转123`).
pub fn is_landline(number: &str) -> bool {
    let n = number.trim();
    let (main, ext) = match n.split_once('转') {
        Some((m, e)) => (m, Some(e)),
        None => (n, None),
    };
    if ext.is_some_and(|e| e.is_empty() || !e.trim().bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let main = main.replace(['(', ')', '（', '）'], "-");
    let parts: Vec<&str> = main.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let local_ok = |p: &str| (7..=8).contains(&p.len()) && !p.starts_with('0');
    let area_ok = |p: &str| (3..=4).contains(&p.len()) && p.starts_with('0');
    match parts.as_slice() {
        [local] if local.starts_with('0') => {
            // Area code and number written together: 04716601234.
            (10..=12).contains(&local.len())
        }
        [local] => local_ok(local),
        [area, local] => area_ok(area) && local_ok(local),
        [area, local, ext] => area_ok(area) && local_ok(local) && (1..=6).contains(&ext.len()),
        _ => false,
    }
}

/// A plain e-mail address: one `@`, ASCII local part, a dotted domain.
pub fn is_email(address: &str) -> bool {
    let a = address.trim();
    let Some((local, domain)) = a.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

fn full_width_hint(value: &str) -> Option<&'static str> {
    value
        .chars()
        .any(|c| ('０'..='９').contains(&c) || c == '＠' || c == '－')
        .then_some("其中有全角字符（如０１２、＠），请改用半角")
}

/// Format checks of contact fields (附件2 填写要求五: 所填写信息必须准确).
pub fn check(app: &Application, out: &mut Vec<Finding>) {
    credit(app, out);
    phones(app, out);
    addresses(app, out);
}

/// The unified social credit code (GB 32100): R151, R152.
fn credit(app: &Application, out: &mut Vec<Finding>) {
    match credit_code(&app.unit.credit_code) {
        Ok(()) => {}
        Err(CreditProblem::CheckDigit { expected, found }) => out.push(
            Finding::new(
                Code::CreditCheckDigit,
                "unit.credit_code",
                format!("统一社会信用代码校验位按 GB 32100 应为 {expected}，实为 {found}"),
            )
            .hint("请对照营业执照核对；若执照上确是此号码（少数早期代码如此），可忽略本警告"),
        ),
        Err(problem) => {
            let message = match problem {
                CreditProblem::Length(n) => format!("统一社会信用代码有 {n} 位，应为 18 位"),
                CreditProblem::Character(c) => {
                    format!(
                        "统一社会信用代码中不应有“{c}”（只用数字和除 I、O、Z、S、V 外的大写字母）"
                    )
                }
                CreditProblem::Authority(c) => {
                    format!("统一社会信用代码第1位“{c}”不是登记管理部门代码")
                }
                CreditProblem::Region => {
                    "统一社会信用代码第3至8位应为行政区划码（6 位数字）".into()
                }
                CreditProblem::CheckDigit { .. } => unreachable!("handled above"),
            };
            out.push(
                Finding::new(Code::CreditCode, "unit.credit_code", message)
                    .hint("按营业执照（或事业单位法人证书）上的 18 位代码填写"),
            );
        }
    }
}

/// Mobile, office, fax numbers.
fn phones(app: &Application, out: &mut Vec<Finding>) {
    let mobiles = [
        ("unit.contact.mobile", &app.unit.contact.mobile),
        ("master.mobile", &app.master.mobile),
    ];
    for (path, number) in mobiles {
        if !is_mobile(number) {
            out.push(
                Finding::new(
                    Code::Mobile,
                    path,
                    format!("“{}”不是 11 位手机号码", number.trim()),
                )
                .hint(full_width_hint(number).unwrap_or("填写 11 位手机号码，如 13904710000")),
            );
        }
    }

    // Office phones may be a landline or a mobile; a fax is a landline.
    let phones = [
        ("unit.head.office_phone", &app.unit.head.office_phone, true),
        (
            "unit.contact.office_phone",
            &app.unit.contact.office_phone,
            true,
        ),
        ("master.phone", &app.master.phone, true),
    ];
    let fax = app
        .unit
        .fax
        .as_ref()
        .filter(|f| !f.trim().is_empty() && f.trim() != "无")
        .map(|f| ("unit.fax", f, false));
    for (path, number, mobile_ok) in phones.into_iter().chain(fax) {
        if !(is_landline(number) || (mobile_ok && is_mobile(number))) {
            out.push(
                Finding::new(
                    Code::Phone,
                    path,
                    format!("“{}”不像是电话号码", number.trim()),
                )
                .hint(
                    full_width_hint(number)
                        .unwrap_or("写成“区号-号码”，如 0471-6601234；分机写成 0471-6601234-801"),
                ),
            );
        }
    }
}

/// E-mail, postal code and bank account.
fn addresses(app: &Application, out: &mut Vec<Finding>) {
    if !is_email(&app.unit.email) {
        out.push(
            Finding::new(
                Code::Email,
                "unit.email",
                format!("“{}”不是有效的 E-mail 地址", app.unit.email.trim()),
            )
            .hint(full_width_hint(&app.unit.email).unwrap_or("写成 name@example.com 的形式")),
        );
    }

    let postal = app.unit.postal_code.trim();
    if !(postal.len() == 6 && postal.bytes().all(|b| b.is_ascii_digit())) {
        out.push(
            Finding::new(
                Code::PostalCode,
                "unit.postal_code",
                format!("邮政编码“{postal}”不是 6 位数字"),
            )
            .hint(full_width_hint(postal).unwrap_or("呼和浩特市的邮政编码以 010 开头，如 010010")),
        );
    }

    let account: String = app
        .unit
        .account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !((8..=32).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_digit())) {
        out.push(
            Finding::new(
                Code::BankAccount,
                "unit.account",
                format!("银行账号“{}”应为 8 至 32 位数字", app.unit.account.trim()),
            )
            .hint("按开户许可证或银行回单填写账号，可用空格分组"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes() {
        // A widely published example code with a correct check character.
        assert_eq!(credit_code("91350100M000100Y43"), Ok(()));
        assert!(matches!(
            credit_code("91350100M000100Y44"),
            Err(CreditProblem::CheckDigit { expected: '3', .. })
        ));
        assert_eq!(credit_code("9135"), Err(CreditProblem::Length(4)));
        assert_eq!(
            credit_code("91350100M000100YO3"),
            Err(CreditProblem::Character('O'))
        );
    }

    #[test]
    fn phones_and_mail() {
        assert!(is_mobile("139 0471 0000"));
        assert!(is_mobile("+8613904710000"));
        assert!(!is_mobile("12904710000"));
        assert!(is_landline("0471-6601234"));
        assert!(is_landline("(0471)6601234"));
        assert!(is_landline("0471-6601234-801"));
        assert!(is_landline("0471-6601234转801"));
        assert!(is_landline("04716601234"));
        assert!(!is_landline("0471-66012"));
        assert!(is_email("hr@example.com.cn"));
        assert!(!is_email("hr＠example.com"));
        assert!(!is_email("hr@example"));
    }
}
