//! What a batch build prints at its end: each input, its folder or its failure.

use super::Color;
use crate::packet::batch::Outcome;

/// The table printed after a batch: each input, its folder or its failure.
pub fn batch(outcomes: &[Outcome], color: Color) -> String {
    let mut out = String::from("\n序号  结果  数据文件 → 输出\n");
    for (i, o) in outcomes.iter().enumerate() {
        match &o.result {
            Ok(built) => out.push_str(&format!(
                "{:>4}  成功  {} → {}（{} 个文件，摘要 {}…）\n",
                i + 1,
                o.input.display(),
                o.folder.display(),
                built.files.len(),
                &built.digest.to_string()[..16]
            )),
            Err(e) => {
                let reason = match e {
                    crate::packet::BuildError::Findings { findings, .. } => {
                        let (errors, _) = crate::finding::tally(findings);
                        format!(
                            "数据有 {errors} 个错误，运行 dashi check {} 查看",
                            o.input.display()
                        )
                    }
                    other => other.to_string(),
                };
                out.push_str(&format!(
                    "{:>4}  {}  {}：{}\n",
                    i + 1,
                    if color == Color::Always {
                        "\x1b[1;31m失败\x1b[0m"
                    } else {
                        "失败"
                    },
                    o.input.display(),
                    reason
                ));
            }
        }
    }
    let ok = outcomes.iter().filter(|o| o.result.is_ok()).count();
    out.push_str(&format!(
        "共 {} 份：成功 {ok} 份，失败 {} 份。\n",
        outcomes.len(),
        outcomes.len() - ok
    ));
    out
}
