//! Each file of the archive opened as its format asks (可用性) and searched for what
//! must not be kept (安全性): programs, scripts, macros, JavaScript and launch actions in
//! PDFs, encryption.

use std::io::Read;
use std::path::Path;

use crate::room::formats::{self, Kind};

/// What opening one file found.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    pub kind: Option<Kind>,
    /// Why it does not open, if it does not.
    pub broken: Option<String>,
    /// Whether its format is on the archive's format list.
    pub listed: bool,
    /// Encrypted or packed in a way the archive cannot read.
    pub sealed: Option<String>,
    /// Active content: a program, a script, a macro, JavaScript or a launch action.
    pub active: Option<String>,
    /// A PDF's pages and the PDF/A it declares ("2B").
    pub pdf: Option<(u32, Option<String>)>,
    pub bytes: u64,
}

/// Extensions of scripts and programs, whatever their bytes.
const ACTIVE_EXTENSIONS: [&str; 16] = [
    "exe", "dll", "com", "scr", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "sh", "jar",
    "msi", "lnk",
];

/// The largest PDF or text file read whole to be parsed (a PDF's objects and a JSON or
/// TOML file can only be parsed from all their bytes); a larger one is judged by its
/// head alone. Everything else is read as a stream, never whole.
const WHOLE: u64 = 256 * 1024 * 1024;

/// Opens one file as its format asks. `name` is the file's own name (the record's, not
/// the de-duplicated stored copy's): scripts are known by it as well as by their bytes.
pub fn open(path: &Path, name: &str) -> Opened {
    crate::failure::caught(Path::new(name), || open_caught(path, name)).unwrap_or_else(|_| Opened {
        broken: Some("dashi 打开此文件时出现内部错误，未能判断；请人工检查".into()),
        ..Opened::default()
    })
}

fn open_caught(path: &Path, name: &str) -> Opened {
    let mut out = Opened::default();
    let unreadable = |e: std::io::Error| format!("无法读取：{}", crate::fsio::why(&e));
    let (size, head) = match head_of(path) {
        Ok(read) => read,
        Err(e) => {
            out.broken = Some(unreadable(e));
            return out;
        }
    };
    out.bytes = size;
    let kind = match std::fs::File::open(path) {
        Ok(file) => formats::identify_in(&head, file),
        Err(e) => {
            out.broken = Some(unreadable(e));
            return out;
        }
    };
    out.kind = Some(kind);
    out.listed = matches!(
        kind,
        Kind::Pdf | Kind::Ofd | Kind::Jpeg | Kind::Tiff | Kind::Png | Kind::Mp4 | Kind::Text
    );
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if kind == Kind::Executable {
        out.active = Some("可执行程序或脚本".into());
    } else if ACTIVE_EXTENSIONS.contains(&ext.as_str()) {
        out.active = Some(format!("扩展名 .{ext} 是程序或脚本"));
    } else if let Some(what) = eicar(&head) {
        out.active = Some(what.into());
    } else if kind == Kind::Container {
        let what = if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "Office 复合文档（可能含宏）"
        } else {
            "压缩包（内容无法逐一检测）"
        };
        out.sealed = Some(what.into());
    }
    let whole = || -> Result<Vec<u8>, String> {
        if size > WHOLE {
            return Err(format!("文件过大（{size} 字节），无法完整解析"));
        }
        std::fs::read(path).map_err(unreadable)
    };
    match kind {
        Kind::Pdf => match whole() {
            Ok(bytes) => {
                if let Some(what) = eicar(&bytes) {
                    out.active = Some(what.into());
                }
                pdf(bytes, &mut out);
            }
            Err(why) => out.broken = Some(why),
        },
        Kind::Ofd => {
            if let Err(why) = ofd(path) {
                out.broken = Some(why);
            }
        }
        // The strict decoder of the evidence check, which notices what forgiving
        // decoders paint over.
        Kind::Jpeg | Kind::Png | Kind::Tiff => match crate::media::scan::inspect(path) {
            Err(problem) => out.broken = Some(problem.to_string()),
            Ok(scan) => {
                if let Some(problem) = scan.damage {
                    out.broken = Some(format!("JPEG 图像数据损坏：{problem}"));
                }
            }
        },
        Kind::Mp4 if crate::media::video_seconds(path).is_none() => {
            out.broken = Some("MP4 视频缺少 moov/mvhd，无法播放".into());
        }
        Kind::Text if ext == "json" || ext == "toml" => match whole() {
            Ok(bytes) if ext == "json" => {
                if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() {
                    out.broken = Some("JSON 无法解析".into());
                }
            }
            Ok(bytes) => {
                if std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|t| t.parse::<toml::Table>().ok())
                    .is_none()
                {
                    out.broken = Some("TOML 无法解析".into());
                }
            }
            Err(why) => out.broken = Some(why),
        },
        _ => {}
    }
    out
}

/// The EICAR anti-virus test string (harmless; every virus scanner reports it, as a
/// file of its own or appended to another), found anywhere in `bytes`.
fn eicar(bytes: &[u8]) -> Option<&'static str> {
    const EICAR: &[u8] = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    bytes
        .windows(EICAR.len())
        .any(|w| w == EICAR)
        .then_some("含 EICAR 病毒检测测试串（杀毒软件会报告为病毒）")
}

/// An OFD document: every part of its zip reads back whole, each checked against its
/// CRC.
fn ofd(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| crate::fsio::why(&e))?;
    let mut zip = ::zip::ZipArchive::new(file).map_err(|_| "OFD 文件无法解析".to_string())?;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|_| format!("OFD 的第 {} 个部件无法读取", i + 1))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        std::io::copy(&mut part, &mut std::io::sink())
            .map_err(|_| format!("OFD 的部件 {name} 已损坏"))?;
    }
    Ok(())
}

/// A file's size and its first 4 KiB.
fn head_of(path: &Path) -> std::io::Result<(u64, Vec<u8>)> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = Vec::with_capacity(4096);
    file.take(4096).read_to_end(&mut head)?;
    Ok((size, head))
}

/// A PDF opened through its parser: every stream decoded, every page drawn, its
/// encryption and actions read from its objects.
fn pdf(bytes: Vec<u8>, out: &mut Opened) {
    match crate::room::pdf::open(bytes, true) {
        Ok(pdf) => {
            if pdf.encrypted {
                out.sealed = Some("PDF 已加密".into());
            }
            if !pdf.active.is_empty() {
                out.active = Some(format!("PDF 含 {}", pdf.active.join("、")));
            }
            out.broken = pdf.broken;
            out.pdf = Some((pdf.pages, pdf.pdfa));
        }
        Err(why) => out.broken = Some(why),
    }
}
