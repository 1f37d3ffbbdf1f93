//! 杀毒软件 and 病毒 (DA/T 70-2018 4-1, 4-2) with ClamAV, where `clamscan` is on PATH.
//! dashi carries no antivirus of its own: without one, 4-1 is left to a person
//! (人工检测) and 4-2 reads 未检测 — never 通过, never 不适用.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::items::item;
use super::report::{Check, Outcome, Property};

const PROGRAM: &str = "杀毒软件检测";
const SCAN: &str = "病毒检测";

/// `clamscan` on PATH, with what it says of its version and signatures.
struct Clam {
    program: PathBuf,
    /// "ClamAV 1.4.6/27490/Sun Dec  6 08:35:00 2026": engine, signatures, their date.
    version: String,
}

fn find() -> Option<Clam> {
    let name = if cfg!(windows) {
        "clamscan.exe"
    } else {
        "clamscan"
    };
    let program = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())?;
    let out = Command::new(&program).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && version.starts_with("ClamAV")).then_some(Clam { program, version })
}

fn check(outcome: Outcome, name: &str, method: &str, note: String) -> Check {
    super::items::without_faults(Property::Security, name, method, outcome, note)
}

/// 4-1 and 4-2 over every file below `dir`.
pub(super) fn checks(dir: &Path) -> Vec<Check> {
    let method_program = "在 PATH 中查找 ClamAV 的 clamscan，读取其引擎版本和病毒库版本、日期";
    let method_scan =
        "用 clamscan 逐一扫描档案和移交包中的全部文件（含压缩包内部），列出报告的病毒名称";
    let Some(clam) = find() else {
        return vec![
            check(
                Outcome::Manual,
                PROGRAM,
                method_program,
                "本机未找到 clamscan；请由检测人注明所用杀毒软件及病毒库日期".into(),
            ),
            check(
                Outcome::NotChecked,
                SCAN,
                method_scan,
                "没有可用的杀毒软件，未扫描；安装 ClamAV（clamscan）后重新检测，或用本单位的杀毒软件扫描后在报告上注明".into(),
            ),
        ];
    };
    let program = check(
        Outcome::Pass,
        PROGRAM,
        method_program,
        format!("{}（{}）", clam.version, clam.program.display()),
    );
    let run = Command::new(&clam.program)
        .args(["--recursive", "--infected", "--stdout"])
        .arg(dir)
        .output();
    let scan = match run {
        Err(e) => check(
            Outcome::NotChecked,
            SCAN,
            method_scan,
            format!("clamscan 无法运行：{}", crate::fsio::why(&e)),
        ),
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            let found: Vec<String> = text
                .lines()
                .filter_map(|l| l.strip_suffix(" FOUND"))
                .filter_map(|l| l.rsplit_once(": "))
                .map(|(path, virus)| {
                    let path = Path::new(path);
                    let shown = path.strip_prefix(dir).unwrap_or(path);
                    format!("{}：{virus}", shown.to_string_lossy().replace('\\', "/"))
                })
                .collect();
            let figure = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim().to_string())
            };
            let code = out.status.code();
            match code {
                Some(0) | Some(1) if code == Some(0) || !found.is_empty() => {
                    let files = figure("Scanned files:").unwrap_or_default();
                    let signatures = figure("Known viruses:").unwrap_or_default();
                    let ok = format!(
                        "clamscan 扫描 {files} 个文件，未发现病毒（病毒库 {signatures} 条特征）"
                    );
                    let mut c = item(Property::Security, SCAN, method_scan, found, ok);
                    if c.outcome == Outcome::Fail {
                        c.note = format!("clamscan 报告 {} 个文件含病毒", c.faults.len());
                    }
                    c
                }
                _ => {
                    let why = String::from_utf8_lossy(&out.stderr);
                    let why = why
                        .lines()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("没有说明原因");
                    check(
                        Outcome::NotChecked,
                        SCAN,
                        method_scan,
                        format!(
                            "clamscan 未能完成扫描（{why}）；常见原因是没有病毒库，运行 freshclam 更新后重新检测"
                        ),
                    )
                }
            }
        }
    };
    vec![program, scan]
}
