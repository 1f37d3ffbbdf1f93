//! Working days for the 公示期 (第九条（四）：不少于5个工作日): Monday to Friday, less
//! the public holidays, plus the weekend days worked in their place (调休), as the
//! holiday files list them. The built-in file is the State Council's arrangement for
//! 2026; `--holidays` adds a year's arrangement to it. A period that reaches a year no
//! file covers is refused: counting a holiday as a working day would make the 公示
//! shorter than the law allows.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::data::dates::Date;

/// The built-in holiday file.
pub const BUILT_IN: &str = include_str!("holidays.toml");

/// A holiday file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: String,
    years: Vec<u32>,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// Holidays and 调休 working days.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub source: String,
    pub years: BTreeSet<u32>,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    /// What looks wrong but may be right (a year without a 国庆 or 春节 holiday).
    pub warnings: Vec<String>,
}

/// A 公示期.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    pub working_days: u32,
    /// The start date asked for, when it was not a working day (the period starts
    /// on the next one).
    pub asked: Option<Date>,
}

/// Why no lawful period could be counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered {
    /// The first year the period reaches that no holiday file covers.
    pub year: u32,
}

impl Calendar {
    pub fn built_in() -> Calendar {
        Calendar::parse(BUILT_IN, Path::new("（内置节假日安排）"))
            .expect("the built-in calendar reads")
    }

    /// Reads a holiday file; errors name the file, the line and what is wrong.
    pub fn load(path: &Path) -> Result<Calendar, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("无法读取 {}：{}", path.display(), crate::fsio::why(&e)))?;
        Calendar::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<Calendar, String> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            format!(
                "{} 第 {line} 行：{}",
                path.display(),
                crate::data::messages::file_message(e.message())
            )
        })?;
        let years: BTreeSet<u32> = file.years.iter().copied().collect();
        let line_of = |item: &str| {
            text.lines()
                .position(|l| l.contains(item))
                .map_or(0, |i| i + 1)
        };
        let days = |list: &[String], what: &str| -> Result<BTreeSet<Date>, String> {
            let mut out = BTreeSet::new();
            for item in list {
                let (a, b) = item.split_once("..").unwrap_or((item, item));
                let bad = || {
                    let line = line_of(item);
                    format!(
                        "{} 第 {line} 行：{what}“{item}”不是日期（写作 2027-01-01，连续几天写作 2027-02-10..2027-02-16）",
                        path.display()
                    )
                };
                let (a, b) = (
                    Date::parse(a.trim()).ok_or_else(bad)?,
                    Date::parse(b.trim()).ok_or_else(bad)?,
                );
                if let Some(outside) = [a, b].into_iter().find(|d| !years.contains(&d.year)) {
                    let listed: Vec<String> = years.iter().map(u32::to_string).collect();
                    return Err(format!(
                        "{} 第 {} 行：{what}“{item}”在 {} 年，而本文件的 years = [{}] 不含该年",
                        path.display(),
                        line_of(item),
                        outside.year,
                        listed.join(", ")
                    ));
                }
                if b < a {
                    let line = line_of(item);
                    return Err(format!(
                        "{} 第 {line} 行：{what}“{item}”是倒过来的日期范围：结束日期早于开始日期（应写作 {}..{}）",
                        path.display(),
                        b,
                        a
                    ));
                }
                let mut day = Some(a);
                while let Some(d) = day.filter(|d| *d <= b) {
                    out.insert(d);
                    day = next(d);
                }
            }
            Ok(out)
        };
        let holidays = days(&file.holidays, "放假日期")?;
        let workdays = days(&file.workdays, "调休上班日期")?;
        let mut warnings = Vec::new();
        for &year in &years {
            // 春节 falls between 21 January and 20 February; its holiday may run on a
            // few days either side. 国庆 is 1 to 3 October at least.
            for (name, (m1, d1), (m2, d2)) in
                [("春节", (1, 15), (2, 28)), ("国庆节", (10, 1), (10, 8))]
            {
                let from = Date {
                    year,
                    month: m1,
                    day: d1,
                };
                let to = Date {
                    year,
                    month: m2,
                    day: d2,
                };
                if !holidays.range(from..=to).any(|_| true) {
                    warnings.push(format!(
                        "{} 中 {year} 年没有{name}的放假日期；核对是否漏写，否则{name}会被当作工作日计入公示期",
                        path.display()
                    ));
                }
            }
        }
        Ok(Calendar {
            source: file.source,
            years,
            holidays,
            workdays,
            warnings,
        })
    }

    /// Whether offices work on `day`.
    pub fn is_working(&self, day: Date) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !self.holidays.contains(&day) && !matches!(weekday(day), 0 | 6)
    }

    /// This calendar with `other`'s years, holidays and 调休 working days added.
    pub fn with(mut self, other: Calendar) -> Calendar {
        self.source = format!("{}；{}", self.source, other.source);
        self.warnings.extend(other.warnings);
        self.years.extend(other.years);
        self.holidays.extend(other.holidays);
        self.workdays.extend(other.workdays);
        self
    }

    /// The period that starts on `from` (or, when offices do not work that day, on
    /// the next working day) and holds `days` working days: it ends on the `days`-th
    /// working day counted from its start (inclusive). Every day of it must lie in a
    /// year the calendar covers.
    pub fn period(&self, from: Date, days: u32) -> Result<Period, Uncovered> {
        let covered = |day: Date| {
            if self.years.contains(&day.year) {
                Ok(())
            } else {
                Err(Uncovered { year: day.year })
            }
        };
        let mut start = from;
        loop {
            covered(start)?;
            if self.is_working(start) {
                break;
            }
            start = next(start).ok_or(Uncovered {
                year: start.year + 1,
            })?;
        }
        let mut day = start;
        let mut counted = 0;
        loop {
            covered(day)?;
            if self.is_working(day) {
                counted += 1;
                if counted == days {
                    break;
                }
            }
            day = next(day).ok_or(Uncovered { year: day.year + 1 })?;
        }
        Ok(Period {
            from: start,
            to: day,
            working_days: counted,
            asked: (start != from).then_some(from),
        })
    }
}

/// The day after; `None` after 9999-12-31, the last day dashi writes.
pub fn next(day: Date) -> Option<Date> {
    Date::from_unix((day.days_since_epoch() + 1) * 86_400)
}

/// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
pub fn weekday(day: Date) -> u32 {
    (day.days_since_epoch() + 4).rem_euclid(7) as u32
}

/// 星期一 … 星期日.
pub fn weekday_name(day: Date) -> &'static str {
    [
        "星期日",
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
    ][weekday(day) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(d("2026-11-30")), 1);
        assert_eq!(weekday_name(d("2027-04-03")), "星期六");
    }

    #[test]
    fn built_in_2026() {
        let c = Calendar::built_in();
        // 国庆: 10-01 (Thu) to 10-07 off, Saturday 10-10 worked.
        let p = c.period(d("2026-09-30"), 5).unwrap();
        assert_eq!(p.to, d("2026-10-12"));
        assert!(c.is_working(d("2026-10-10")));
        // A period reaching a year no file covers is refused, never counted on
        // weekends alone.
        assert_eq!(c.period(d("2026-12-30"), 5), Err(Uncovered { year: 2027 }));
    }

    #[test]
    fn a_start_on_a_holiday_moves_to_the_next_working_day() {
        let c = Calendar::built_in();
        // Saturday 2026-10-03 is in the 国庆 holiday: the period starts Thursday 10-08.
        let p = c.period(d("2026-10-03"), 5).unwrap();
        assert_eq!(p.asked, Some(d("2026-10-03")));
        assert_eq!(p.from, d("2026-10-08"));
        assert_eq!(p.to, d("2026-10-13"));
    }

    #[test]
    fn a_file_adds_its_year_to_the_built_in_one() {
        let text = "source = \"2027 年安排\"\nyears = [2027]\nholidays = [\"2027-10-01..2027-10-07\"]\nworkdays = [\"2027-09-26\"]\n";
        let added = Calendar::parse(text, Path::new("h.toml")).unwrap();
        let c = Calendar::built_in().with(added);
        // 2026's holidays still count, and 2027's 国庆 is skipped.
        assert!(!c.is_working(d("2026-10-05")));
        let p = c.period(d("2027-09-29"), 5).unwrap();
        assert_eq!(p.to, d("2027-10-12"));
    }

    #[test]
    fn file_errors_are_in_chinese() {
        let reversed = "source = \"x\"\nyears = [2027]\nholidays = [\"2027-10-07..2027-10-01\"]\n";
        let e = Calendar::parse(reversed, Path::new("h.toml")).unwrap_err();
        assert!(e.contains("倒过来的日期范围"), "{e}");
        let unknown = "source = \"x\"\nyear = [2027]\n";
        let e = Calendar::parse(unknown, Path::new("h.toml")).unwrap_err();
        assert!(!e.contains("unknown field") && e.contains("不认识"), "{e}");
        assert!(e.contains("year"), "{e}");
    }

    /// The last day dashi writes has no day after it: a holiday range ending there, and
    /// a period reaching past it, are read and said, never a panic (found by the fuzz
    /// bench, seed 2027).
    #[test]
    fn the_last_day_has_no_next() {
        assert_eq!(next(d("9999-12-31")), None);
        assert_eq!(next(d("2026-12-31")), Some(d("2027-01-01")));
        let text = "source = \"x\"\nyears = [9999]\nholidays = [\"9999-12-30..9999-12-31\"]\nworkdays = []\n";
        let calendar = Calendar::parse(text, Path::new("h.toml")).unwrap();
        assert!(!calendar.is_working(d("9999-12-31")));
        assert!(calendar.period(d("9999-12-29"), 5).is_err());
    }
}
