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
    /// A PDF's pages and PDF/A declaration.
    pub pdf: Option<(u32, bool)>,
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

/// Opens one file as its format asks.
pub fn open(path: &Path) -> Opened {
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
    let kind = formats::identify(&head);
    out.kind = Some(kind);
    out.listed = matches!(
        kind,
        Kind::Pdf | Kind::Jpeg | Kind::Tiff | Kind::Png | Kind::Mp4 | Kind::Text
    );
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if kind == Kind::Executable {
        out.active = Some("可执行程序或脚本".into());
    } else if ACTIVE_EXTENSIONS.contains(&ext.as_str()) {
        out.active = Some(format!("扩展名 .{ext} 是程序或脚本"));
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
            Ok(bytes) => pdf(&bytes, &mut out),
            Err(why) => out.broken = Some(why),
        },
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

/// A file's size and its first 4 KiB.
fn head_of(path: &Path) -> std::io::Result<(u64, Vec<u8>)> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = Vec::with_capacity(4096);
    file.take(4096).read_to_end(&mut head)?;
    Ok((size, head))
}

/// A PDF: parses with all its pages, is not encrypted, has no JavaScript or launch
/// action (searched in its objects and in its deflated streams).
fn pdf(bytes: &[u8], out: &mut Opened) {
    if has_name(bytes, b"/Encrypt") {
        out.sealed = Some("PDF 已加密".into());
    }
    match formats::pdf_facts(bytes) {
        Some((pages, pdfa)) if pages > 0 => out.pdf = Some((pages, pdfa)),
        Some(_) => out.broken = Some("PDF 没有页面".into()),
        None => out.broken = Some("PDF 无法解析".into()),
    }
    let mut found = active_names(bytes);
    if found.is_empty() {
        for stream in streams(bytes) {
            found = active_names(&stream);
            if !found.is_empty() {
                break;
            }
        }
    }
    if !found.is_empty() {
        out.active = Some(format!("PDF 含 {}", found.join("、")));
    }
}

fn active_names(bytes: &[u8]) -> Vec<&'static str> {
    [
        (&b"/JavaScript"[..], "JavaScript"),
        (b"/JS", "JavaScript（/JS）"),
        (b"/Launch", "启动动作（/Launch）"),
    ]
    .into_iter()
    .filter(|(name, _)| has_name(bytes, name))
    .map(|(_, what)| what)
    .fold(Vec::new(), |mut v, w| {
        if !v
            .iter()
            .any(|x: &&str| x.starts_with("JavaScript") && w.starts_with("JavaScript"))
        {
            v.push(w);
        }
        v
    })
}

/// Whether a PDF name occurs, followed by a delimiter (so `/JS` is not `/JSON`).
fn has_name(bytes: &[u8], name: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], name) {
        let end = from + at + name.len();
        match bytes.get(end) {
            None => return true,
            Some(c) if b" \t\r\n\x0c\0/<>[]()%".contains(c) => return true,
            _ => from = end,
        }
    }
    false
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The deflated streams of a PDF, inflated (object streams hide dictionaries there).
fn streams(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream") {
        let mut start = from + at + 6;
        if bytes.get(start..start + 2) == Some(b"\r\n") {
            start += 2;
        } else if matches!(bytes.get(start), Some(b'\n') | Some(b'\r')) {
            start += 1;
        } else {
            from = start;
            continue;
        }
        let Some(len) = find(&bytes[start..], b"endstream") else {
            break;
        };
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[start..start + len]);
        if decoder
            .by_ref()
            .take(64 * 1024 * 1024)
            .read_to_end(&mut inflated)
            .is_ok()
            || !inflated.is_empty()
        {
            out.push(inflated);
        }
        from = start + len + 9;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_is_found_in_plain_and_deflated_objects() {
        assert_eq!(
            active_names(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
            ["JavaScript"]
        );
        assert!(active_names(b"<< /Type /JSON >>").is_empty());
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, b"<< /OpenAction << /S /Launch /F (x.exe) >> >>")
            .unwrap();
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /ObjStm >> stream\n".to_vec();
        pdf.extend(z.finish().unwrap());
        pdf.extend(b"\nendstream endobj\n");
        let found: Vec<_> = streams(&pdf).iter().flat_map(|s| active_names(s)).collect();
        assert_eq!(found, ["启动动作（/Launch）"]);
    }
}
