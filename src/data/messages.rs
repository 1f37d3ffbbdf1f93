//! Chinese wording for what the TOML, JSON and serde readers say in English, so that a
//! wrong type or a misspelt choice reads as advice to a person, not a parser dump.

use super::schema::Kind;

/// A small file's structural error (unknown or missing key) or wrong value, as serde
/// words it for a file read straight into a type (a holiday file), in Chinese.
pub fn file_message(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let choices = choices_cn(expected.trim_start_matches("one of "));
        return if choices.is_empty() {
            format!("不认识的字段名 {}", quote_cn(field))
        } else {
            format!("不认识的字段名 {}，可用的字段：{choices}", quote_cn(field))
        };
    }
    if let Some(field) = raw.strip_prefix("missing field ") {
        return format!("缺少字段 {}", quote_cn(field));
    }
    value_message(raw)
}

/// Turns a serde/toml/serde_json error message into a Chinese sentence.
pub fn value_message(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "类型不对：这里应填{}，实际写的是{}",
            expected_cn(expected),
            found_cn(found)
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "值不对：这里应填{}，实际写的是{}",
            expected_cn(expected),
            found_cn(found)
        );
    }
    if let Some(rest) = raw.strip_prefix("unknown variant ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "{} 不是可选的值，只能填：{}",
            quote_cn(found),
            choices_cn(expected)
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid length ")
        && let Some((_, expected)) = rest.split_once(", expected ")
    {
        return format!("项数不对：应为{}", expected_cn(expected));
    }
    if !raw.is_ascii() {
        // Our own messages (dates) are already Chinese.
        return raw.to_string();
    }
    format!("值不对（{raw}）")
}

fn expected_cn(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "a string" | "a borrowed string" | "string" => "文字（用英文双引号括起来）".into(),
        "u32" | "u64" | "u16" | "u8" | "usize" => "不带小数的非负整数".into(),
        "i32" | "i64" => "整数".into(),
        "f64" | "f32" => "数字".into(),
        "a boolean" => "true 或 false".into(),
        "a sequence" => "列表（用方括号 [ ] 括起来）".into(),
        _ if e.starts_with("struct ") || e == "a map" => "一个表（若干“字段 = 值”）".into(),
        _ if e.starts_with("enum ") || e.starts_with("one of ") || e.starts_with('`') => {
            format!("以下之一：{}", choices_cn(e))
        }
        _ if e.contains('“') => e.into(),
        _ => format!("正确的值（{e}）"),
    }
}

fn found_cn(found: &str) -> String {
    let f = found.trim();
    if let Some(v) = f.strip_prefix("integer ") {
        return format!("整数 {}", v.trim_matches('`'));
    }
    if let Some(v) = f.strip_prefix("floating point ") {
        return format!("小数 {}", v.trim_matches('`'));
    }
    if let Some(v) = f.strip_prefix("string ") {
        return format!("文字 {}", quote_cn(v));
    }
    if let Some(v) = f.strip_prefix("boolean ") {
        return v.trim_matches('`').to_string();
    }
    match f {
        "sequence" => "列表".into(),
        "map" => "表".into(),
        "unit value" | "unit" => "空值".into(),
        _ => f.into(),
    }
}

fn quote_cn(text: &str) -> String {
    let t = text.trim().trim_matches('`').trim_matches('"');
    format!("“{t}”")
}

fn choices_cn(expected: &str) -> String {
    let e = expected
        .trim()
        .trim_start_matches("one of ")
        .replace(" or ", ", ");
    e.split(',')
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// What to write instead of a text given where a number or a date belongs: the number
/// without its unit (`"320平方米"` → `320`), the date in the data format
/// (`"2026年11月20日"` → `"2026-11-20"`).
pub fn value_hint(path: &str, kind: &Kind, written: &str) -> Option<String> {
    let key = path.rsplit('.').next().unwrap_or(path);
    let numbers = number_runs(written, false);
    match kind {
        Kind::Number | Kind::Integer => {
            let number = number_runs(written, true).into_iter().next()?;
            let number = &number;
            let unit: String = written
                .split(number.as_str())
                .nth(1)
                .unwrap_or("")
                .trim()
                .to_string();
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!("，单位“{unit}”不用写")
            };
            Some(format!("只写数字，不加引号{unit}：{key} = {number}"))
        }
        Kind::Date if numbers.len() == 3 => {
            let date = super::dates::Date::parse(&format!(
                "{:0>4}-{:0>2}-{:0>2}",
                numbers[0], numbers[1], numbers[2]
            ))?;
            Some(format!("按“年-月-日”写成：{key} = \"{date}\""))
        }
        Kind::YearMonth if numbers.len() == 2 => {
            let month =
                super::dates::YearMonth::parse(&format!("{:0>4}-{:0>2}", numbers[0], numbers[1]))?;
            Some(format!("按“年-月”写成：{key} = \"{month}\""))
        }
        _ => None,
    }
}

/// The runs of ASCII digits (with one decimal point when `decimal`) in a text,
/// full-width digits read as ASCII.
fn number_runs(text: &str, decimal: bool) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        };
        if c.is_ascii_digit()
            || (decimal && c == '.' && !current.is_empty() && !current.contains('.'))
        {
            current.push(c);
        } else if !current.is_empty() {
            runs.push(
                std::mem::take(&mut current)
                    .trim_end_matches('.')
                    .to_string(),
            );
        }
    }
    if !current.is_empty() {
        runs.push(current.trim_end_matches('.').to_string());
    }
    runs
}

/// The choices an `unknown variant` message offers, for suggesting the nearest.
pub fn variant_choices(raw: &str) -> Option<(String, Vec<String>)> {
    let rest = raw.trim().strip_prefix("unknown variant ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let found = found.trim().trim_matches('`').to_string();
    let choices = choices_cn(expected)
        .split('、')
        .map(str::to_string)
        .collect();
    Some((found, choices))
}

/// A Chinese explanation of a TOML/JSON syntax error, with a hint drawn from the line
/// itself: Chinese quotes, full-width `＝` and unquoted text are the common slips.
/// What a TOML or JSON parser's message says, in Chinese (the parsers speak English).
pub fn syntax_detail(raw: &str) -> String {
    let raw = raw.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| raw.contains(w));
    let said = if has(&["duplicate key"]) {
        "同一个字段写了两次（或同一个表头出现两次）"
    } else if has(&["unclosed table", "invalid table header"]) {
        "表头（方括号中的名称）没有写完整，应为 [名称] 或 [[名称]]"
    } else if has(&["unclosed array"]) {
        "列表的方括号没有闭合，应以 ] 结束"
    } else if has(&["inline table"]) {
        "花括号 { } 中的写法有误"
    } else if has(&["key with no value", "expected `=`"]) {
        "字段名后缺少 = 和值"
    } else if has(&["invalid key", "unquoted key", "key must be a string"]) {
        "字段名中有不允许的字符（含中文或空格的字段名须加英文引号）"
    } else if has(&["escape"]) {
        "文字中的反斜杠 \\ 须写成两个反斜杠 \\\\"
    } else if has(&[
        "invalid string",
        "basic string",
        "literal string",
        "unterminated",
        "eof while parsing a string",
    ]) {
        "文字没有用英文引号括完整"
    } else if has(&["number", "integer", "float"]) {
        "数字的写法有误"
    } else if has(&["date", "time"]) {
        "日期的写法有误，应为 2027-03-15"
    } else if has(&["trailing comma"]) {
        "最后一项后面多了逗号"
    } else if has(&["eof", "end of file", "unexpected end"]) {
        "文件在这里意外结束，可能缺少引号或括号"
    } else if has(&["expected newline", "unexpected content"]) {
        "一行只能写一个字段，值后面多出了内容"
    } else {
        "这一行不符合数据文件的写法"
    };
    said.to_string()
}

pub fn syntax_hint(line: &str) -> String {
    if line.contains(['“', '”', '‘', '’']) {
        return "值两边的引号须为英文双引号 \"，不能用中文引号“”；文字中的中文引号可以保留".into();
    }
    if line.contains('＝') {
        return "等号须为英文半角 =，不能用全角＝".into();
    }
    if line.contains('：') && !line.contains('=') {
        return "字段名和值之间用英文 = 连接，如 name = \"张三\"".into();
    }
    if let Some((_, value)) = line.split_once('=') {
        let v = value.trim();
        if !v.is_empty()
            && !v.starts_with(['"', '\'', '[', '{'])
            && !v
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
            && !matches!(v, "true" | "false")
        {
            return "文字值须用英文双引号括起来，如 name = \"张三\"".into();
        }
    }
    "请对照样例（dashi init 生成的 studio.toml）检查这一行的写法".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_common_serde_messages() {
        assert_eq!(
            value_message("invalid type: integer `5`, expected a string"),
            "类型不对：这里应填文字（用英文双引号括起来），实际写的是整数 5"
        );
        assert_eq!(
            value_message("unknown variant `男性`, expected `男` or `女`"),
            "“男性” 不是可选的值，只能填：男、女"
        );
        assert_eq!(
            variant_choices("unknown variant `x`, expected one of `a`, `b`, `c`").unwrap(),
            ("x".to_string(), vec!["a".into(), "b".into(), "c".into()])
        );
    }

    #[test]
    fn numbers_and_dates_written_as_text() {
        assert_eq!(
            value_hint("studio.area", &Kind::Number, "320平方米").unwrap(),
            "只写数字，不加引号，单位“平方米”不用写：area = 320"
        );
        assert_eq!(
            value_hint("unit.education_fund.total", &Kind::Number, "186.5万元").unwrap(),
            "只写数字，不加引号，单位“万元”不用写：total = 186.5"
        );
        assert_eq!(
            value_hint("filled_on", &Kind::Date, "2026年11月20日").unwrap(),
            "按“年-月-日”写成：filled_on = \"2026-11-20\""
        );
        assert_eq!(
            value_hint("master.birth", &Kind::YearMonth, "1978.5").unwrap(),
            "按“年-月”写成：birth = \"1978-05\""
        );
        assert_eq!(value_hint("filled_on", &Kind::Date, "2026年2月30日"), None);
    }

    #[test]
    fn hints_at_chinese_punctuation() {
        assert!(syntax_hint("name = “张三”").contains("英文双引号"));
        assert!(syntax_hint("name ＝ \"张三\"").contains("全角"));
        assert!(syntax_hint("name = 张三").contains("括起来"));
    }
}
