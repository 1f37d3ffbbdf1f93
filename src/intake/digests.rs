//! The evidence digests typed from the paper pledges (附件1 carries the digest of the
//! electronic materials): a CSV of `申报, 摘要` lines, where 申报 is the 受理编号, the
//! studio's name or the input file's name, and the digest is typed as on paper (in
//! groups, with spaces, in either case). Excel's CSV (UTF-8 with a BOM, or GBK) reads.

use std::path::{Path, PathBuf};

use super::{IntakeError, Problem, Submission};
use crate::finding::Code;

/// One typed line.
#[derive(Debug, Clone)]
pub struct Typed {
    pub line: usize,
    pub who: String,
    pub digest: String,
}

/// The typed digests of `path`; a line that is not `申报, 摘要` is an error naming it.
pub fn read(path: &Path) -> Result<(PathBuf, Vec<Typed>), IntakeError> {
    let mut typed = Vec::new();
    for row in super::table::read(path)? {
        let line_no = row.line;
        let cells: Vec<&str> = row.cells.iter().map(|c| c.trim()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let (who, digest) = match cells.as_slice() {
            [who, digest, ..] => (*who, *digest),
            _ => {
                return Err(IntakeError::input(
                    format!("{} 第 {line_no} 行只有一栏", path.display()),
                    "每行写“受理编号或工作室名称,电子材料摘要”，两栏之间用逗号分隔",
                ));
            }
        };
        match crate::verify::expected_digest(digest) {
            Ok(digest) if digest.len() == 64 => typed.push(Typed {
                line: line_no,
                who: who.to_string(),
                digest,
            }),
            // A header line (工作室名称,电子材料摘要) is skipped.
            Err(_) if line_no == 1 && !digest.chars().any(|c| c.is_ascii_hexdigit()) => {}
            Ok(_) => {
                return Err(IntakeError::input(
                    format!(
                        "{} 第 {line_no} 行：电子材料摘要应为 64 位十六进制数",
                        path.display()
                    ),
                    "照承诺书上印的电子材料摘要录入（8 组、每组 8 位），不是 128 位的档案版本清单摘要",
                ));
            }
            Err(why) => {
                return Err(IntakeError::input(
                    format!(
                        "{} 第 {line_no} 行（{who}）：{}",
                        path.display(),
                        why.replacen("期望的摘要", "摘要", 1)
                    ),
                    "照承诺书上印的电子材料摘要录入；分组之间的空格可有可无，大小写均可",
                ));
            }
        }
    }
    Ok((path.to_path_buf(), typed))
}

/// Sets the typed digest of each submission of this run and adds R502 (differs) or
/// R503 (none typed); returns notes on typed lines that match no submission.
pub fn compare((path, typed): &(PathBuf, Vec<Typed>), all: &mut [Submission]) -> Vec<String> {
    let mut used = vec![false; typed.len()];
    for s in all.iter_mut().filter(|s| !s.carried) {
        // Its file, or a copy of it received again, by name with or without `.zip`.
        let mut names: Vec<String> = Vec::new();
        for input in std::iter::once(&s.input).chain(s.copies.iter().map(|c| &c.input)) {
            let path = Path::new(input);
            names.extend(path.file_name().map(|n| n.to_string_lossy().to_string()));
            names.extend(path.file_stem().map(|n| n.to_string_lossy().to_string()));
        }
        let studio = s
            .facts
            .as_ref()
            .map(|f| f.studio.clone())
            .unwrap_or_default();
        let matches = |who: &str| {
            !who.is_empty() && (who == s.number || who == studio || names.iter().any(|n| n == who))
        };
        let found: Vec<usize> = (0..typed.len())
            .filter(|&i| matches(&typed[i].who))
            .collect();
        for &i in &found {
            used[i] = true;
        }
        let Some(&first) = found.first() else {
            s.problems.push(
                Problem::new(
                    Code::DigestMissing,
                    format!("{} 中没有这份申报的电子材料摘要", path.display()),
                )
                .hint("照纸质承诺书录入一行“受理编号或工作室名称,电子材料摘要”后重新运行 dashi intake"),
            );
            continue;
        };
        let t = &typed[first];
        s.typed_digest = Some(t.digest.clone());
        let Some(actual) = &s.evidence_digest else {
            continue;
        };
        if &t.digest != actual {
            s.problems.push(
                Problem::new(
                    Code::DigestMismatch,
                    format!(
                        "纸质承诺书上的电子材料摘要 {}（{} 第 {} 行）与光盘材料计算出的 {} 不符",
                        group(&t.digest),
                        path.display(),
                        t.line,
                        group(actual)
                    ),
                )
                .hint("先核对录入是否有误；录入无误时，说明纸质材料与电子材料不是同一版本，请申报单位说明并重新报送"),
            );
        }
    }
    typed
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(t, _)| {
            format!(
                "{} 第 {} 行的“{}”没有对应的申报",
                path.display(),
                t.line,
                t.who
            )
        })
        .collect()
}

/// A digest in groups of eight, as printed on the pledge.
fn group(digest: &str) -> String {
    crate::seal::digest::hex_groups(digest).join(" ")
}
