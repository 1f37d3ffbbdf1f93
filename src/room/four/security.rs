//! 安全性 (DA/T 70-2018): no programs, scripts or macros, no active content in PDFs,
//! nothing outside what the inventories and the package list, and a carrier that reads
//! back whole.

use super::items::{Seen, item, not_applicable, note};
use super::report::{Check, FourError, Outcome, Property};
use crate::room::formats;
use crate::room::four::package;

/// The items of 安全性.
pub(super) fn checks(seen: &Seen<'_>) -> Result<Vec<Check>, FourError> {
    let (pdfa, plain_pdfs) = seen.pdfs();
    let Seen { package, .. } = seen;
    let mut extra = seen.extra.clone();
    let mut checks = Vec::new();
    let programs = seen.files_where(&|o| o.active.clone().filter(|_| o.pdf.is_none()));
    checks.push(item(
        Property::Security,
        "可执行程序、脚本和宏检测",
        "由文件内容和记录中的文件名（不是去重后存储副本的名称）识别可执行程序（PE、ELF、Mach-O）、脚本（#!、.js、.vbs、.bat、.ps1 等）、可含宏的复合文档和 EICAR 测试串",
        programs.clone(),
        note(&programs, "没有可执行程序、脚本或宏".into(), "程序或脚本"),
    ));
    let scripts = seen.files_where(&|o| {
        o.active
            .clone()
            .filter(|_| o.pdf.is_some() || o.kind == Some(formats::Kind::Pdf))
    });
    checks.push(item(
        Property::Security,
        "PDF 活动内容检测",
        "由 PDF 解析器逐一读取每个对象（含对象流中的对象，名称按 #xx 转义还原），查找 JavaScript 动作、/JS、/JavaScript 名称树和启动动作（/Launch）；页面内容和图像数据不是动作，不在查找之列",
        scripts.clone(),
        note(
            &scripts,
            format!("{} 个 PDF 都没有 JavaScript 或启动动作", pdfa + plain_pdfs),
            "PDF 含活动内容",
        ),
    ));
    if let Some(dir) = &package.transfer {
        for entry in crate::walk::below(dir, |e| {
            e.depth() > 1 || e.file_name() != package::ARCHIVE_DIR
        }) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(u) => {
                    extra.push(u.to_string());
                    continue;
                }
            };
            let rel = crate::walk::relative(dir, entry.path());
            let top = rel.split('/').next().unwrap_or("");
            let expected: [&str; 8] = [
                crate::room::sums::FILE,
                package::ARCHIVE_DIR,
                package::CATALOGUE_DIR,
                package::REPORT_PDF,
                package::REPORT_JSON,
                package::README,
                package::CATALOGUE_XML,
                package::PROCESS,
            ];
            if !expected.contains(&top) {
                extra.push(format!("{rel}：不属于移交包"));
            }
        }
    }
    checks.push(item(
        Property::Security,
        "非归档文件检测",
        "检查档案对象和移交包中没有清单以外的文件或文件夹",
        extra.clone(),
        note(&extra, "没有清单以外的文件".into(), "清单以外的文件"),
    ));
    match &package.carrier {
        Some(carrier) => checks.push(item(
            Property::Security,
            "载体读取检测",
            &format!(
                "从光盘映像的 Rock Ridge 和 Joliet 两个目录树列出文件，核对二者指向相同的数据，完整读出每个文件并计时：用时超过 {} 秒且平均低于 {:.0} MB/s 的判为读取过慢",
                super::package::MEASURED_AFTER.as_secs(),
                super::package::MIN_SPEED / 1e6
            ),
            carrier.faults.clone(),
            note(
                &carrier.faults,
                format!(
                    "完整读出 {} 个文件、{} 字节，读取速度正常",
                    carrier.files, carrier.bytes
                ),
                "文件读取失败或读取过慢",
            ),
        )),
        None => checks.push(not_applicable(
            Property::Security,
            "载体读取检测",
            "完整读出光盘映像中的每个文件",
            "检测对象是文件夹，不是光盘映像",
        )),
    }
    let scanned = package.transfer.as_deref().unwrap_or(&package.root);
    checks.extend(super::antivirus::checks(scanned));
    let by_hand = |name: &str, method: &str, what: &str| match &package.carrier {
        Some(_) => super::items::without_faults(
            Property::Security,
            name,
            method,
            Outcome::Manual,
            what.into(),
        ),
        None => not_applicable(
            Property::Security,
            name,
            method,
            "检测对象是文件夹，没有光盘等载体",
        ),
    };
    checks.push(by_hand(
        "载体外观检测",
        "由检测人查看光盘",
        "请查看光盘：盘面无划痕、无污渍，盘面标签与登记表上的载体编号一致；在结果栏填写并签名",
    ));
    checks.push(by_hand(
        "光盘合格性检测",
        "由检测人按 DA/T 38 检查光盘",
        "请按 DA/T 38 核对光盘类型（CD-R、DVD-R 或 BD-R 档案级光盘）和刻录质量；在结果栏填写并签名",
    ));

    Ok(checks)
}
