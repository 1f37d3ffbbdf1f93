//! Calendar values of the forms: 年月 (出生年月, 参加工作时间) and full dates (填报时间).
//!
//! They are written as strings (`"1978-05"`, `"2026-11-20"`); a bare TOML date is
//! accepted too. A value that is not a real month or day fails at its own line.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};

/// China's offset from UTC, in seconds (no daylight saving).
pub const CHINA_OFFSET: i64 = 8 * 3600;

/// A month of a year, as the forms' 出生年月 and 参加工作时间 ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: u32,
    pub month: u32,
}

/// A quarter of a year (季度): the studio archive files pending records by quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: u32,
    /// 1 to 4.
    pub number: u32,
}

impl Quarter {
    /// The quarter a day falls in.
    pub fn of(date: Date) -> Quarter {
        Quarter {
            year: date.year,
            number: (date.month.clamp(1, 12) - 1) / 3 + 1,
        }
    }

    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.number >= 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年第{}季度", self.year, self.number)
    }
}

/// A day, as 填报时间 asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl YearMonth {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let ym = YearMonth {
            year: digits(y)?,
            month: digits(m)?,
        };
        (ym.year >= 1900 && (1..=12).contains(&ym.month)).then_some(ym)
    }

    /// Whole years from `self` to `later`, counting only completed years.
    pub fn years_until(self, later: YearMonth) -> i64 {
        let months = (later.year as i64 * 12 + later.month as i64)
            - (self.year as i64 * 12 + self.month as i64);
        months.div_euclid(12)
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting days a month does not have.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: digits(y)?,
            month: digits(m)?,
            day: digits(d)?,
        };
        date.is_real().then_some(date)
    }

    /// A day of the years dashi writes: 1900 to 9999 (four digits, as every form and
    /// typst's dates take them).
    fn is_real(self) -> bool {
        (1900..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
    }

    pub fn year_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }

    /// The UTC day of a Unix time (Howard Hinnant's civil_from_days).
    pub fn from_unix(seconds: i64) -> Option<Date> {
        let z = seconds.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = u32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        let date = Date { year, month, day };
        date.is_real().then_some(date)
    }

    /// Today in China (UTC+8) by the system clock: the one clock of every "today"
    /// dashi uses (record dates, sample dates, 收件日期, report dates).
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::china_day(seconds).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// The day in China (UTC+8) at a moment given in Unix seconds: at 22:36 UTC it is
    /// already the next day in Hohhot.
    pub fn china_day(unix_seconds: i64) -> Option<Date> {
        Date::from_unix(unix_seconds.checked_add(CHINA_OFFSET)?)
    }

    /// The same day `years` years later (29 February becomes 28 February), or `None`
    /// past 9999.
    pub fn plus_years(self, years: u32) -> Option<Date> {
        let year = self.year.checked_add(years)?;
        let day = self.day.min(days_in_month(year, self.month));
        let date = Date { year, day, ..self };
        date.is_real().then_some(date)
    }

    /// The day `days` days later (or earlier, when negative).
    pub fn plus_days(self, days: i64) -> Option<Date> {
        Date::from_unix((self.days_since_epoch() + days) * 86_400)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for timestamps.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in a month of a year.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(text: &str) -> Option<u32> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Reads a calendar value written as a string or as a bare TOML date (which the toml
/// crate hands over as a one-entry map holding its text).
struct CalendarVisitor<T> {
    parse: fn(&str) -> Option<T>,
    expecting: &'static str,
}

impl<'de, T> Visitor<'de> for CalendarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.parse)(text.trim()).ok_or_else(|| {
            E::custom(format_args!(
                "“{text}”不是有效的日期，应写成{}",
                self.expecting
            ))
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let entry: Option<(Cow<'de, str>, String)> = map.next_entry()?;
        match entry {
            Some((_, text)) => self.visit_str(&text),
            None => Err(de::Error::custom(format_args!("应写成{}", self.expecting))),
        }
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CalendarVisitor {
            parse: YearMonth::parse,
            expecting: "“年-月”，如 \"1978-05\"",
        })
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CalendarVisitor {
            parse: Date::parse,
            expecting: "“年-月-日”，如 \"2026-11-20\"",
        })
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl YearMonth {
    /// As the forms print it: 1978年5月.
    pub fn chinese(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl Date {
    /// As the forms print it: 2026年11月20日.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl JsonSchema for YearMonth {
    fn schema_name() -> Cow<'static, str> {
        "YearMonth".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
            "examples": ["1978-05"]
        })
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "examples": ["2026-11-20"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(YearMonth::parse("1978-05").unwrap().month, 5);
        assert!(YearMonth::parse("1978-13").is_none());
        assert!(YearMonth::parse("1978-5").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-04-31").is_none());
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11017);
        assert_eq!(Date::from_unix(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix(1_795_000_000).unwrap().to_string(),
            "2026-11-18"
        );
    }

    #[test]
    fn years_past_9999_and_overflowing_times_are_no_day() {
        assert_eq!(
            Date::china_day(253_402_271_999).unwrap().to_string(),
            "9999-12-31"
        );
        assert!(Date::china_day(253_402_272_000).is_none());
        assert!(Date::from_unix(253_402_300_800).is_none());
        assert!(Date::china_day(i64::MAX).is_none());
        assert!(Date::china_day(i64::MIN).is_none());
        assert!(Date::parse("0999-01-01").is_none());
    }

    #[test]
    fn completed_years() {
        let birth = YearMonth::parse("1978-05").unwrap();
        assert_eq!(birth.years_until(YearMonth::parse("1994-04").unwrap()), 15);
        assert_eq!(birth.years_until(YearMonth::parse("1994-05").unwrap()), 16);
    }
}
