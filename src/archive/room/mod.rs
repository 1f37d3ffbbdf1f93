//! The archive as an archive room (档案室) keeps it, after DA/T 22-2015 归档文件整理规则:
//! each record, each report and the application is one 件 with a 档号 given at 归档
//! (`filing`), described in `归档信息/` (`item`), numbered by the archive's settings
//! (`settings`); the 归档文件目录 is made from those descriptions (`catalogue`).

pub mod catalogue;
pub mod filing;
pub mod formats;
pub mod item;
pub mod print;
pub mod set;
pub mod settings;
pub mod transfer;

/// Whether a logical path is one the archive keeps current (a newer version may replace
/// it): the settings and the 件 descriptions. Everything else is added once, never
/// replaced.
pub fn replaceable(logical: &str) -> bool {
    logical == settings::LOGICAL
        || logical
            .strip_prefix(item::DIR)
            .is_some_and(|rest| rest.starts_with('/') && !rest[1..].contains('/'))
}
