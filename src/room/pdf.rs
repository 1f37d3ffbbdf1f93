//! A PDF opened the way a reader opens it (hayro): its objects parsed, every stream
//! decoded, every page drawn. What it says of itself is read from its objects, never by
//! searching its bytes: the PDF/A part its XMP metadata declares, whether it is
//! encrypted, and active content (JavaScript, launch actions), with names read through
//! their `#xx` escapes. Bytes that merely look like `/JS` inside a compressed stream are
//! data, not an action.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use hayro::hayro_interpret::{InterpreterSettings, InterpreterWarning};
use hayro_syntax::object::{Dict, MaybeRef, Object};

/// What opening one PDF found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pdf {
    pub pages: u32,
    /// The PDF/A part and conformance its XMP metadata declares ("2B"), if any. A
    /// declaration only: dashi does not validate PDF/A (veraPDF does).
    pub pdfa: Option<String>,
    pub encrypted: bool,
    /// Active content among its objects, in words.
    pub active: Vec<&'static str>,
    /// Why a stream cannot be decoded or a page cannot be drawn.
    pub broken: Option<String>,
}

/// How far into nested dictionaries and arrays the search for actions goes.
const DEPTH: usize = 32;

/// The scale pages are drawn at to prove they draw (an A4 page is then 60 × 84 pixels).
const DRAW_SCALE: f32 = 0.1;

/// Opens a PDF: `Err` with the reason when it cannot be parsed at all. With `draw`,
/// every page is drawn.
pub fn open(bytes: Vec<u8>, draw: bool) -> Result<Pdf, String> {
    let data = Arc::new(bytes);
    let pdf = match hayro_syntax::Pdf::new(data.clone()) {
        Ok(pdf) => pdf,
        Err(hayro_syntax::LoadPdfError::Decryption(_)) => {
            return Ok(Pdf {
                encrypted: true,
                broken: Some("PDF 已加密，须输入密码才能打开".into()),
                ..Pdf::default()
            });
        }
        Err(_) => return Err("PDF 无法解析".into()),
    };
    let mut out = Pdf {
        pages: pdf.pages().len() as u32,
        pdfa: declared(&pdf),
        // An unencrypted PDF opens with any password; one encrypted with an empty user
        // password opens without one, and only then refuses a wrong one.
        encrypted: hayro_syntax::Pdf::new_with_password(data, "\u{1}dashi-not-a-password").is_err(),
        ..Pdf::default()
    };
    if out.pages == 0 {
        out.broken = Some("PDF 没有页面".into());
    }
    let mut active = BTreeSet::new();
    let mut undecodable = Vec::new();
    for object in pdf.objects() {
        walk(&object, 0, &mut active);
        if let Object::Stream(stream) = &object
            && !decodes(stream)
        {
            undecodable.push(stream.obj_id().obj_number);
        }
    }
    out.active = active.into_iter().collect();
    if let Some(first) = undecodable.first()
        && out.broken.is_none()
    {
        out.broken = Some(format!(
            "PDF 有 {} 个数据流无法解码（第一个是对象 {first}）",
            undecodable.len()
        ));
    }
    if draw && out.broken.is_none() {
        out.broken = undrawn(&pdf);
    }
    Ok(out)
}

/// Whether a stream decodes. hayro paints what it can of a broken deflate stream (as
/// viewers do), so a deflated stream is first inflated strictly, to its end.
fn decodes(stream: &hayro_syntax::object::Stream<'_>) -> bool {
    let first_filter = match stream.dict().get::<Object<'_>>(b"Filter") {
        Some(Object::Name(name)) => Some(name.to_vec()),
        Some(Object::Array(filters)) => filters.iter::<Object<'_>>().next().and_then(|f| match f {
            Object::Name(name) => Some(name.to_vec()),
            _ => None,
        }),
        _ => None,
    };
    match first_filter.as_deref() {
        Some(b"FlateDecode" | b"Fl") if !inflates(&stream.raw_data()) => false,
        // Images decode only with what the page that draws them says of them: drawing
        // the pages finds a broken one.
        Some(
            b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode",
        ) => true,
        _ => stream.decoded().is_ok(),
    }
}

/// Whether deflated data (zlib, or raw deflate as some writers leave it) inflates to its
/// end without error.
fn inflates(data: &[u8]) -> bool {
    use std::io::Read;
    let whole = |mut r: Box<dyn Read + '_>| std::io::copy(&mut r, &mut std::io::sink()).is_ok();
    whole(Box::new(flate2::read::ZlibDecoder::new(data)))
        || whole(Box::new(flate2::read::DeflateDecoder::new(data)))
}

/// Draws every page; the first that cannot be drawn, and why.
fn undrawn(pdf: &hayro_syntax::Pdf) -> Option<String> {
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let sink = warnings.clone();
    let interpreter = InterpreterSettings {
        warning_sink: Arc::new(move |w: InterpreterWarning| {
            if let Ok(mut all) = sink.lock() {
                all.push(w);
            }
        }),
        ..InterpreterSettings::default()
    };
    let settings = hayro::RenderSettings {
        x_scale: DRAW_SCALE,
        y_scale: DRAW_SCALE,
        ..Default::default()
    };
    let cache = hayro::RenderCache::new();
    for (n, page) in pdf.pages().iter().enumerate() {
        if page.raw().contains_key(b"Contents") && page.page_stream().is_none() {
            return Some(format!("第 {} 页的内容无法解码", n + 1));
        }
        hayro::render(page, &cache, &interpreter, &settings);
        let drawn = warnings.lock().map(|mut w| std::mem::take(&mut *w));
        if let Some(warning) = drawn.ok().and_then(|w| w.into_iter().next()) {
            let why = match warning {
                InterpreterWarning::ImageDecodeFailure => "图像无法解码",
                InterpreterWarning::UnsupportedFont => "字体无法使用",
            };
            return Some(format!("第 {} 页无法完整绘制：{why}", n + 1));
        }
    }
    None
}

/// Searches an object for actions: `/S /JavaScript`, `/JS`, a `/JavaScript` name tree
/// and `/S /Launch`.
fn walk(object: &Object<'_>, depth: usize, found: &mut BTreeSet<&'static str>) {
    if depth > DEPTH {
        return;
    }
    match object {
        Object::Dict(dict) => walk_dict(dict, depth, found),
        Object::Stream(stream) => walk_dict(stream.dict(), depth, found),
        Object::Array(array) => {
            for entry in array.raw_iter() {
                if let MaybeRef::NotRef(inner) = entry {
                    walk(&inner, depth + 1, found);
                }
            }
        }
        _ => {}
    }
}

fn walk_dict(dict: &Dict<'_>, depth: usize, found: &mut BTreeSet<&'static str>) {
    // Not `Dict::entries`: it unwraps each value, and a damaged one panics there.
    for key in dict.keys() {
        let Some(value) = dict.get_raw::<Object<'_>>(&*key) else {
            continue;
        };
        if matches!(&*key, b"JS" | b"JavaScript") {
            found.insert(JAVASCRIPT);
        }
        let MaybeRef::NotRef(value) = value else {
            continue;
        };
        if &*key == b"S"
            && let Object::Name(name) = &value
        {
            match &**name {
                b"JavaScript" => {
                    found.insert(JAVASCRIPT);
                }
                b"Launch" => {
                    found.insert(LAUNCH);
                }
                _ => {}
            }
        }
        walk(&value, depth + 1, found);
    }
}

const JAVASCRIPT: &str = "JavaScript";
const LAUNCH: &str = "启动动作（/Launch）";

/// A PDF's page count and the PDF/A its catalog's metadata declares; `None` when it
/// cannot be parsed. What the 件 description records at 归档.
pub fn facts(bytes: &[u8]) -> Option<(u32, Option<String>)> {
    let pdf = hayro_syntax::Pdf::new(Arc::new(bytes.to_vec())).ok()?;
    Some((pdf.pages().len() as u32, declared(&pdf)))
}

/// The PDF/A the catalog's XMP metadata declares.
fn declared(pdf: &hayro_syntax::Pdf) -> Option<String> {
    let xref = pdf.xref();
    let catalog = xref.get::<Dict<'_>>(xref.root_id())?;
    let metadata = catalog.get::<hayro_syntax::object::Stream<'_>>(b"Metadata")?;
    declared_pdfa(&metadata.decoded().ok()?)
}

/// The PDF/A part and conformance an XMP packet declares, as "2B".
fn declared_pdfa(xmp: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(xmp);
    let part = xmp_value(&text, "pdfaid:part")?;
    let conformance = xmp_value(&text, "pdfaid:conformance").unwrap_or_default();
    Some(format!("{part}{}", conformance.to_ascii_uppercase()))
}

/// The value of an XMP property written as an attribute (`name="2"`) or an element
/// (`<name>2</name>`).
fn xmp_value(text: &str, name: &str) -> Option<String> {
    let at = text.find(name)? + name.len();
    let rest = text[at..].trim_start();
    let rest = rest
        .strip_prefix('=')
        .map(|r| r.trim_start().trim_start_matches(['"', '\'']))
        .or_else(|| rest.strip_prefix('>'))?;
    let value: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF whose catalog carries `extra` and whose objects are `more`.
    fn pdf(extra: &str, more: &[&str]) -> Vec<u8> {
        let mut objects = vec![
            format!("<< /Type /Catalog /Pages 2 0 R {extra} >>"),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string(),
        ];
        objects.extend(more.iter().map(|s| s.to_string()));
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for at in offsets {
            out.extend(format!("{at:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn actions_are_found_through_escaped_names_and_not_in_stream_data() {
        let plain = open(pdf("", &[]), true).unwrap();
        assert_eq!((plain.pages, plain.encrypted), (1, false));
        assert!(plain.active.is_empty() && plain.broken.is_none());
        let js = open(
            pdf(
                "/OpenAction 4 0 R",
                &["<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"],
            ),
            true,
        )
        .unwrap();
        assert_eq!(js.active, ["JavaScript"]);
        let launch = open(pdf("/OpenAction << /S /L#61unch /F (x.exe) >>", &[]), true).unwrap();
        assert_eq!(launch.active, ["启动动作（/Launch）"]);
        // `/JS` as the data of a stream is no action.
        let data = "/JS (x) /S /Launch";
        let stream = format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len());
        let quiet = open(pdf("", &[&stream]), true).unwrap();
        assert!(quiet.active.is_empty(), "{quiet:?}");
    }

    /// A value hayro cannot read back (a name with a bad `#xx` escape, a number `+-1`;
    /// `Dict::entries` panics on them, found by the fuzz run) is passed over, and the
    /// dictionary's other entries are still read.
    #[test]
    fn an_unreadable_value_is_passed_over_and_the_rest_is_read() {
        for bad in ["/A#ZZ", "+-1"] {
            let catalog = format!("/Foo {bad} /OpenAction << /S /JavaScript /JS (x) >>");
            let opened = open(pdf(&catalog, &[]), true).unwrap();
            assert_eq!(opened.active, ["JavaScript"], "{bad}");
        }
    }

    #[test]
    fn a_destroyed_stream_and_a_declared_pdfa_are_told() {
        let garbage = "x\u{1}\u{2}garbage";
        let stream = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n{garbage}\nendstream",
            garbage.len()
        );
        let broken = open(pdf("", &[&stream]), true).unwrap();
        assert!(broken.broken.unwrap().contains("无法解码"));
        let xmp = r#"<rdf:Description pdfaid:part="2" pdfaid:conformance="B"/>"#;
        let meta = format!(
            "<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n{xmp}\nendstream",
            xmp.len()
        );
        let declared = open(pdf("/Metadata 4 0 R", &[&meta]), true).unwrap();
        assert_eq!(declared.pdfa.as_deref(), Some("2B"));
        assert_eq!(
            xmp_value("<pdfaid:part>3</pdfaid:part>", "pdfaid:part").as_deref(),
            Some("3")
        );
        assert!(open(b"%PDF-1.7\ngarbage".to_vec(), true).is_err());
        // Deflated data cut short, or overwritten with other bytes, does not inflate.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i * 7919).to_le_bytes())
            .collect();
        std::io::Write::write_all(&mut z, &text).unwrap();
        let good = z.finish().unwrap();
        assert!(inflates(&good));
        assert!(!inflates(&good[..good.len() / 2]));
        let mut seed = 7u32;
        let noise: Vec<u8> = (0..good.len())
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        assert!(!inflates(&noise));
    }
}
