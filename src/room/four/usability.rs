//! 可用性 (DA/T 70-2018): the metadata reads, every file opens and decodes, its format
//! is one the archive keeps, and nothing is encrypted or packed away.

use super::items::{Seen, item, not_applicable, note};
use super::report::{Check, FourError, Property};
use crate::room::{item, settings};

/// The items of 可用性.
pub(super) fn checks(seen: &Seen<'_>) -> Result<Vec<Check>, FourError> {
    let Seen {
        archive,
        state,
        opened,
        ..
    } = seen;
    let n = seen.n;
    let mut checks = Vec::new();
    let mut unreadable_meta = Vec::new();
    for (logical, _) in state.iter().filter(|(p, _)| crate::archive::replaceable(p)) {
        let bytes = archive
            .stored(n, logical)
            .and_then(|p| std::fs::read(p).ok());
        let ok = match bytes {
            Some(b) if logical.starts_with(item::DIR) => item::parse(&b).is_some(),
            Some(b) => String::from_utf8(b)
                .ok()
                .is_some_and(|t| toml::from_str::<settings::Settings>(&t).is_ok()),
            None => false,
        };
        if !ok {
            unreadable_meta.push(format!("{logical}：无法读取或解析"));
        }
    }
    checks.push(item(
        Property::Usability,
        "元数据可读性检测",
        "读取并解析版本清单、档案设置和每件的著录信息",
        unreadable_meta.clone(),
        note(
            &unreadable_meta,
            "全部可以读取和解析".into(),
            "元数据无法读取",
        ),
    ));
    checks.push(not_applicable(
        Property::Usability,
        "目标数据库中的元数据可访问性检测",
        "核对导入档案管理系统数据库的元数据可以访问",
        "dashi 不把元数据导入数据库：元数据存于档案自身的版本清单和著录信息文件中，其可读性由 3-1 检测",
    ));
    let broken = seen.files_where(&|o| o.broken.clone().filter(|b| b != "文件不存在"));
    checks.push(item(
        Property::Usability,
        "内容数据可读性检测",
        "逐一打开每个文件并完整解码：PDF 由解析器读出全部对象、解码全部数据流并绘制每一页，OFD 读出每个部件并核对校验码，JPEG、PNG、TIFF 解码全部像素，MP4 读取影片头，数据文件按 TOML、JSON 解析",
        broken.clone(),
        note(&broken, format!("{} 个文件都能正常打开", opened.len()), "文件无法打开"),
    ));
    let unlisted = seen.files_where(&|o| {
        (!o.listed && o.kind.is_some())
            .then(|| format!("{} 不在归档格式范围内", o.kind.map_or("", |k| k.name())))
    });
    let (pdfa, plain_pdfs) = seen.pdfs();
    let declared = seen.declared_pdfa();
    let declared = if declared.is_empty() {
        "PDF/A".to_string()
    } else {
        declared.join("、")
    };
    checks.push(item(
        Property::Usability,
        "内容数据格式检测",
        "由文件内容识别格式，须为归档格式：版式文档 PDF（宜为 PDF/A）或 OFD，图像 JPEG、TIFF、PNG，视频 MP4，数据和说明为 UTF-8 文本。PDF/A 只读取文件的声明，未经 veraPDF 等工具验证",
        unlisted.clone(),
        note(
            &unlisted,
            format!(
                "格式全部符合；其中声明为 {declared} 的 {pdfa} 个（未经 veraPDF 验证），其他 PDF {plain_pdfs} 个（扫描件合订本等）"
            ),
            "格式不符",
        ),
    ));
    checks.push(environment(seen));
    let sealed = seen.files_where(&|o| o.sealed.clone());
    checks.push(item(
        Property::Usability,
        "加密和非公开压缩检测",
        "检查 PDF 是否加密，是否有压缩包、复合文档等无法直接检测内容的文件",
        sealed.clone(),
        note(&sealed, "没有加密或打包的文件".into(), "加密或打包的文件"),
    ));

    Ok(checks)
}

/// 3-5: what it takes to read the files is known: each file's format is identified from
/// its content and recorded in its 件's description, and the programs for those formats
/// are named (a 移交 package's 说明文件 names them too).
fn environment(seen: &Seen<'_>) -> Check {
    let mut faults = Vec::new();
    let mut needs: Vec<&str> = Vec::new();
    for i in &seen.items {
        for f in &i.files {
            if f.format.trim().is_empty() {
                faults.push(format!(
                    "件 {}（{}）：{}：著录中没有文件格式",
                    i.archival_code, i.id, f.path
                ));
            }
        }
    }
    for (logical, o) in &seen.opened {
        match o.kind {
            Some(kind) if kind != crate::room::formats::Kind::Other => {
                let need = reader(kind);
                if !needs.contains(&need) {
                    needs.push(need);
                }
            }
            _ if o.broken.is_none() => faults.push(format!(
                "{}：由内容识别不出格式，不知道用什么软件读取",
                seen.owners.name(logical)
            )),
            _ => {}
        }
    }
    item(
        Property::Usability,
        "软硬件环境检测",
        "由文件内容识别每个文件的格式，核对著录中记有格式，并列出读取这些格式所需的软件；均为公开格式，通用计算机即可读取，不依赖特定硬件",
        faults.clone(),
        note(
            &faults,
            format!("读取所需：{}", needs.join("、")),
            "读取环境不明",
        ),
    )
}

/// The program a reader needs for a format.
fn reader(kind: crate::room::formats::Kind) -> &'static str {
    use crate::room::formats::Kind;
    match kind {
        Kind::Pdf => "PDF 阅读器",
        Kind::Ofd => "OFD 阅读器",
        Kind::Jpeg | Kind::Png | Kind::Tiff => "图片查看器",
        Kind::Mp4 => "视频播放器（H.264/MP4）",
        Kind::Text => "文本编辑器（UTF-8）",
        _ => "相应格式的专用软件",
    }
}
