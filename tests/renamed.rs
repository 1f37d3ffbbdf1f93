//! The sample with a person renamed throughout its text but for the scans' file names,
//! which keep the old name and are confirmed as meant (R105): what a clerk does who
//! renames the people but keeps the sample's scans. Shared by the tests and by the
//! benches (through `#[path]`).

/// `text` (the sample's data file) with `old` written as `new` on every line but the
/// `file = …` lines, and `old` listed in `confirmed_names`.
pub fn renamed(text: &str, old: &str, new: &str) -> String {
    let text: String = text
        .lines()
        .map(|l| match l.starts_with("file = ") {
            true => format!("{l}\n"),
            false => format!("{}\n", l.replace(old, new)),
        })
        .collect();
    text.replacen(
        "format_version = 1\n",
        &format!("format_version = 1\nconfirmed_names = [\"{old}\"]\n"),
        1,
    )
}
