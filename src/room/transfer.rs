//! 移交 (DA/T 22-2015, DA/T 70-2018 移交与接收, DA/T 38): the archive handed to an archive
//! room as one package — `档案/` (the OCFL object as filed, without its logs), the
//! 归档文件目录 of every volume as xlsx and PDF, the sender's 检测报告 (环节 移交与接收) with
//! its data, `文件目录.xml` (every 件: 顺序号, 档号, 责任者, 题名, 日期, 密级, 电子档案名称, the 存储位置 of
//! each file, 备注) and
//! `说明文件.txt` (the carrier's note) — written as a folder or as a disc image. The package is
//! assembled in a staging folder beside the destination and appears whole or not at all.

use std::path::{Path, PathBuf};

use super::catalogue;
use super::print::{self, SheetMaker};
use crate::archive::{Archive, ArchiveError};
use crate::data::dates::Date;
use crate::room::four::{self, FourReport};
use crate::typeset::Renderer;

/// What a 移交 wrote.
pub struct Transferred {
    pub report: FourReport,
    /// The package's digest: the SHA-256 of its `SHA256SUMS` (what the 登记表 prints).
    pub digest: String,
    pub volumes: usize,
    pub disc: Option<crate::disc::Disc>,
}

/// Why a package could not be written; nothing is left at the destination.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("{} 已存在且不是空文件夹", .0.display())]
    Occupied(PathBuf),
    #[error("无法排版：{0}")]
    Typeset(#[from] crate::typeset::TypesetError),
    #[error("无法写出归档文件目录：{0}")]
    Xlsx(String),
    #[error(transparent)]
    Four(#[from] four::FourError),
    #[error(transparent)]
    Disc(#[from] crate::disc::DiscError),
}

impl crate::failure::Failure for TransferError {
    fn hint(&self) -> Option<String> {
        match self {
            TransferError::Archive(e) => e.hint(),
            TransferError::Occupied(_) => {
                Some("换一个不存在的文件夹名，或写成光盘映像（-o 移交.iso）".into())
            }
            TransferError::Disc(e) => e.hint(),
            _ => Some("档案未改变；确认磁盘可以写入后重试".into()),
        }
    }
}

/// Writes the 移交 package of the (already filed) archive at `root` to `dest` (a
/// folder, or an `.iso` image).
pub fn export(
    root: &Path,
    dest: &Path,
    renderer: &Renderer,
    today: Date,
    now: i64,
    media: crate::disc::Media,
) -> Result<Transferred, TransferError> {
    let as_disc = dest
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("iso"));
    if !as_disc && dest.exists() && std::fs::read_dir(dest).map_or(true, |mut d| d.next().is_some())
    {
        return Err(TransferError::Occupied(dest.to_path_buf()));
    }
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = dest.with_file_name(format!(".{name}.dashi-staging-{}", std::process::id()));
    let result = assemble(
        root,
        &staging,
        renderer,
        (today, now),
        as_disc.then_some(media),
    );
    let done = result.and_then(|(report, volumes, digest)| {
        let disc = if as_disc {
            let archive = Archive::open(root)?;
            let label = archive
                .application()
                .map_or_else(String::new, |a| a.studio.name);
            Some(crate::disc::write_folder(
                &staging, dest, media, today, &label,
            )?)
        } else {
            if dest.exists() {
                std::fs::remove_dir(dest).map_err(ArchiveError::io(dest))?;
            }
            std::fs::rename(&staging, dest).map_err(ArchiveError::io(dest))?;
            None
        };
        Ok(Transferred {
            report,
            digest,
            volumes,
            disc,
        })
    });
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    done
}

/// Fills the staging folder: the object, the catalogue, the note, then the check of
/// that very package and its report.
fn assemble(
    root: &Path,
    staging: &Path,
    renderer: &Renderer,
    (today, now): (Date, i64),
    media: Option<crate::disc::Media>,
) -> Result<(FourReport, usize, String), TransferError> {
    let archive = Archive::open(root)?;
    let object = staging.join(four::package::ARCHIVE_DIR);
    let kept = |e: &crate::walk::DirEntry| {
        e.depth() != 1 || (e.file_name() != "logs" && e.file_name() != "extensions")
    };
    for entry in crate::walk::below(root, kept) {
        let entry = entry.map_err(|u| ArchiveError::Io {
            path: u.path,
            source: u.source,
        })?;
        if !kept(&entry) {
            continue;
        }
        let rel = entry.path().strip_prefix(root).expect("under the root");
        let to = object.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).map_err(ArchiveError::io(&to))?;
        } else {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(ArchiveError::io(parent))?;
            }
            std::fs::copy(entry.path(), &to).map_err(ArchiveError::io(&to))?;
        }
    }
    let dir = staging.join(four::package::CATALOGUE_DIR);
    std::fs::create_dir_all(&dir).map_err(ArchiveError::io(&dir))?;
    let volumes = catalogue::volumes(&archive, None);
    let app = archive.application();
    let maker = SheetMaker::new(renderer, app.clone(), today);
    for volume in &volumes {
        let xlsx =
            catalogue::xlsx(volume, today).map_err(|e| TransferError::Xlsx(e.to_string()))?;
        let path = dir.join(format!("{}.xlsx", volume.stem()));
        std::fs::write(&path, xlsx).map_err(ArchiveError::io(&path))?;
        if let Some(maker) = &maker {
            let pdf = maker.catalogue(volume)?;
            let path = dir.join(format!("{}.pdf", volume.stem()));
            std::fs::write(&path, pdf).map_err(ArchiveError::io(&path))?;
        }
    }
    let note = readme(&archive, &volumes, media);
    let path = staging.join(four::package::README);
    std::fs::write(&path, note).map_err(ArchiveError::io(&path))?;
    let path = staging.join(four::package::PROCESS);
    std::fs::write(&path, super::listing::process_csv(&archive))
        .map_err(ArchiveError::io(&path))?;
    let path = staging.join(four::package::CATALOGUE_XML);
    std::fs::write(&path, super::listing::xml(&archive, &volumes))
        .map_err(ArchiveError::io(&path))?;
    let report = four::check_sending(staging, now)?;
    let pdf = print::four_report(renderer, app, &report, today)?;
    for (name, bytes) in [
        (four::package::REPORT_PDF, pdf),
        (
            four::package::REPORT_JSON,
            serde_json::to_vec_pretty(&report).expect("a report serializes"),
        ),
    ] {
        let path = staging.join(name);
        std::fs::write(&path, bytes).map_err(ArchiveError::io(&path))?;
    }
    // Last, the sums of everything above; their digest goes on the 登记表.
    let sums = super::sums::of_folder(staging, &crate::progress::Silent)
        .map_err(ArchiveError::io(staging))?;
    let sums = super::sums::text(&sums);
    let path = staging.join(super::sums::FILE);
    std::fs::write(&path, &sums).map_err(ArchiveError::io(&path))?;
    Ok((report, volumes.len(), super::sums::digest(sums.as_bytes())))
}

/// 说明文件.txt: the carrier, what the package holds and how the receiving room checks
/// it.
fn readme(
    archive: &Archive,
    volumes: &[catalogue::Volume],
    media: Option<crate::disc::Media>,
) -> String {
    let app = archive.application();
    let studio = app
        .as_ref()
        .map_or_else(String::new, |a| a.studio.name.clone());
    let unit = app
        .as_ref()
        .map_or_else(String::new, |a| a.unit.name.clone());
    let carrier = match media {
        Some(m) => format!(
            "光盘映像（ISO 9660 + Joliet + Rock Ridge），供刻录{}",
            m.label()
        ),
        None => "文件夹（可复制到移动硬盘等载体）".into(),
    };
    let facts = super::listing::facts(archive, volumes);
    let mut out = format!(
        "{studio}专门档案 移交包\r\n\r\n\
         载体类型：{carrier}\r\n\
         载体制作单位：{unit}（dashi {}）\r\n\
         读取环境：能读光盘或文件夹的任一计算机；PDF 阅读器；xlsx 用 Excel 或 WPS；检测和校验用 dashi\r\n\
         {}\r\n\r\n\
         内容：\r\n\
         档案/            工作室专门档案（OCFL 1.1 对象：每个版本的文件、版本清单及其摘要）\r\n\
         归档文件目录/    按年度、保管期限编制的归档文件目录（DA/T 22-2015），xlsx 和 PDF 各一份\r\n\
         检测报告.pdf     移交方的电子档案四性检测报告（DA/T 70-2018，移交与接收环节）\r\n\
         检测报告.json    检测报告的数据\r\n\
         文件目录.xml     每件一条：顺序号、档号、责任者、题名、日期、密级、页数、电子档案名称、存储位置、备注\r\n\
         处理过程.csv     档案的处理过程：每个版本的时间、经办人、说明、加入的记录和版本清单摘要\r\n\
         说明文件.txt     本文件\r\n\
         SHA256SUMS       以上每个文件的 SHA-256 摘要\r\n\r\n\
         接收方检测：dashi verify 本光盘或文件夹 --四性 --环节 移交 --expect 登记表上的数字摘要 -o 接收检测报告.pdf\r\n\
         核对档案一字未改：dashi verify 档案 --expect 上面的版本清单摘要\r\n\r\n\
         不用 dashi 核对移交包（在本光盘或文件夹中执行）：\r\n\
         1. 移交包的数字摘要是 SHA256SUMS 文件的 SHA-256，须与移交与接收登记表上的数字摘要相同：\r\n\
            Linux：sha256sum SHA256SUMS\r\n\
            Windows：certutil -hashfile SHA256SUMS SHA256\r\n\
         2. 每个文件须与 SHA256SUMS 中的摘要相同：\r\n\
            Linux：sha256sum -c SHA256SUMS（每行显示“成功”或 OK）\r\n\
            Windows：certutil -hashfile 文件名 SHA256，逐一与 SHA256SUMS 中该文件的一行比较\r\n",
        env!("CARGO_PKG_VERSION"),
        facts[..3].join("\r\n"),
    );
    out += "\r\n归档文件目录：\r\n";
    for line in &facts[3..] {
        out += &format!("{line}\r\n");
    }
    out
}

/// Where the 移交与接收登记表 of a package at `dest` is written, as `ext` (csv, pdf):
/// beside it, for it names the package's digest and so cannot be inside it.
pub fn register_path(dest: &Path, ext: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!("{name}-移交与接收登记表.{ext}"))
}

/// One row of the 移交与接收登记表: the field, the sender's entry, the receiver's (left
/// for the receiving room to fill in).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegisterRow {
    pub field: String,
    pub sender: String,
    pub receiver: String,
}

/// The 电子档案移交与接收登记表 (GB/T 18894): each field with the sender's entry; the
/// 载体外观 and signature rows blank for people. A property whose items a person or an
/// absent antivirus still has to complete says so, not 通过.
pub fn register_rows(
    done: &Transferred,
    studio: &str,
    unit: &str,
    today: Date,
) -> Vec<RegisterRow> {
    let r = &done.report;
    let outcome = |p: four::Property| {
        let checks: Vec<_> = r.checks.iter().filter(|c| c.property == p).collect();
        let count = |o: four::Outcome| checks.iter().filter(|c| c.outcome == o).count();
        let open = count(four::Outcome::Unverified)
            + count(four::Outcome::NotChecked)
            + count(four::Outcome::Manual);
        match count(four::Outcome::Fail) {
            0 if open == 0 => "通过".to_string(),
            0 => format!("机检通过，{open} 项待检"),
            failed => format!("不通过（{failed} 项）"),
        }
    };
    let carrier = match &done.disc {
        Some(_) => "光盘（由光盘映像刻录）",
        None => "文件夹（移动硬盘等）",
    };
    let rows: Vec<(&str, String)> = vec![
        ("交接工作名称", format!("{studio}专门档案移交")),
        (
            "内容描述",
            format!("{studio}专门档案，档案版本 {}", r.version),
        ),
        (
            "移交电子档案数量",
            format!("{} 件，{} 个文件", r.totals.items, r.totals.files),
        ),
        ("移交数据量", format!("{} 字节", r.totals.bytes)),
        ("载体类型", carrier.into()),
        ("载体起止顺序号", "1—1".into()),
        ("准确性检验", outcome(four::Property::Authenticity)),
        ("完整性检验", outcome(four::Property::Integrity)),
        ("可用性检验", outcome(four::Property::Usability)),
        ("安全性检验", outcome(four::Property::Security)),
        ("载体外观检验", String::new()),
        ("数字摘要（SHA-256）", done.digest.clone()),
        ("单位（印章）", unit.into()),
        ("填表人（签名）", String::new()),
        ("审核人（签名）", String::new()),
        ("日期", today.to_string()),
    ];
    rows.into_iter()
        .map(|(field, sender)| RegisterRow {
            field: field.into(),
            sender,
            receiver: String::new(),
        })
        .collect()
}

/// The 登记表 as CSV for Excel or WPS (UTF-8 with a byte order mark).
pub fn register_csv(rows: &[RegisterRow]) -> String {
    let mut out = String::from("\u{feff}项目,移交单位,接收单位\r\n");
    let cell = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    for row in rows {
        out += &format!(
            "{},{},{}\r\n",
            cell(&row.field),
            cell(&row.sender),
            cell(&row.receiver)
        );
    }
    out
}
