//! The archive room's papers, typeset in the house style: each record's 记录单 with its
//! 归档章 (made at 归档), the 归档文件目录 of a volume, the 四性检测报告 and the
//! 移交与接收登记表.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::catalogue::Volume;
use super::filing::{Sheets, Stamp};
use crate::data::dates::Date;
use crate::data::model::Application;
use crate::data::record::Record;
use crate::render::Doc;
use crate::typeset::coverage::FontPlan;
use crate::typeset::{Renderer, TypesetError};

/// Makes 记录单 with the studio's application (its fonts, its name).
pub struct SheetMaker<'a> {
    pub renderer: &'a Renderer,
    pub app: Application,
    pub plan: FontPlan,
    pub date: Date,
}

impl<'a> SheetMaker<'a> {
    /// A maker for the archive's studio; `None` when the archive has no application
    /// whose fonts can print it (then 件 are numbered without sheets).
    pub fn new(renderer: &'a Renderer, app: Option<Application>, date: Date) -> Option<Self> {
        let app = app?;
        let plan = FontPlan::for_application(&app, &renderer.fonts).ok()?;
        Some(SheetMaker {
            renderer,
            app,
            plan,
            date: renderer.source_date.unwrap_or(date),
        })
    }
}

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct FileRow {
    name: String,
    shows: String,
}

#[derive(Serialize)]
struct Sheet<'a> {
    stamp: &'a Stamp,
    kind: &'static str,
    id: String,
    date: String,
    title: String,
    rows: Vec<Row>,
    files: Vec<FileRow>,
    source: String,
}

/// A field value as the sheet prints it.
fn shown(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { "是" } else { "否" }.into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The rows of a record's own table (its kind's part), labelled as the record format
/// names them, then who recorded it and what it corrects.
fn rows(record: &Record) -> Vec<Row> {
    let value = serde_json::to_value(record).expect("a record serializes");
    let format = crate::data::record::format();
    let mut out = Vec::new();
    for table in record.filled_tables() {
        if let Some(Value::Object(fields)) = value.get(table) {
            for (key, v) in fields {
                if let Some(text) = shown(v) {
                    let label = format.label(&format!("{table}.{key}"));
                    let label = label.rsplit('·').next().unwrap_or(&label).to_string();
                    out.push(Row { label, value: text });
                }
            }
        }
    }
    if record.major {
        out.push(Row {
            label: "重大事项".into(),
            value: "是（已向市人社局报告，第十一条）".into(),
        });
    }
    if let Some(c) = record.corrects.as_deref().filter(|c| !c.trim().is_empty()) {
        out.push(Row {
            label: "更正的记录".into(),
            value: c.trim().to_string(),
        });
    }
    if let Some(by) = record
        .recorded_by
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        out.push(Row {
            label: "记录人".into(),
            value: by.trim().to_string(),
        });
    }
    out
}

impl Sheets for SheetMaker<'_> {
    fn sheet(&self, record: &Record, stamp: &Stamp) -> Result<Vec<u8>, String> {
        let folder = crate::room::filing::record_folder(record);
        let files = record
            .named_files()
            .into_iter()
            .map(|(field, file)| FileRow {
                name: std::path::Path::new(file.trim())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                shows: crate::data::record::shows_of(record, &field),
            })
            .collect();
        let sheet = Sheet {
            stamp,
            kind: record.kind.label(),
            id: record.id.trim().to_string(),
            date: record.date.chinese(),
            title: record.title.trim().to_string(),
            rows: rows(record),
            files,
            source: format!("{folder}.toml"),
        };
        let doc = Doc::RECORD_SHEET;
        let ident = format!("dashi/{}/{}", stamp.code, record.id.trim());
        let pdf = self
            .typeset(
                doc,
                &serde_json::json!({ "sheet": sheet }),
                BTreeMap::new(),
                &ident,
            )
            .map_err(|e| e.to_string());
        // One sheet a record: what typst memoized for this one is not needed again.
        typst::comemo::evict(0);
        pdf
    }
}

impl SheetMaker<'_> {
    /// Typesets one archive-room document with the studio's fonts.
    pub fn typeset(
        &self,
        doc: Doc,
        extra: &impl Serialize,
        served: BTreeMap<String, crate::typeset::world::Served>,
        ident: &str,
    ) -> Result<Vec<u8>, TypesetError> {
        let world = self
            .renderer
            .world(&self.app, &self.plan, extra, &served, doc)?;
        let document = self.renderer.layout(&world, doc)?;
        let (bytes, _) = self
            .renderer
            .export_as(&world, &document, doc, ident, self.date, false)?;
        Ok(bytes)
    }

    /// A catalogue volume as PDF: cover, then the list with its header on every page.
    pub fn catalogue(&self, volume: &Volume) -> Result<Vec<u8>, TypesetError> {
        let ident = format!("dashi/{}/{}", volume.fonds, volume.stem());
        self.typeset(
            Doc::CATALOGUE,
            &serde_json::json!({ "volume": volume }),
            BTreeMap::new(),
            &ident,
        )
    }
}

/// One property's items, as the 检测报告 lists them.
#[derive(Serialize)]
struct PropertyChecks<'a> {
    heading: String,
    checks: Vec<&'a crate::room::four::Check>,
}

/// The 四性检测报告 as PDF, in the studio's fonts when the archive has its application
/// (else the built-in faces), ending with the digest's QR code.
pub fn four_report(
    renderer: &Renderer,
    app: Option<Application>,
    report: &crate::room::four::FourReport,
    date: Date,
) -> Result<Vec<u8>, TypesetError> {
    use crate::room::four::Property;
    let numerals = ["一", "二", "三", "四"];
    let properties: Vec<PropertyChecks> = Property::ALL
        .iter()
        .zip(numerals)
        .map(|(p, n)| PropertyChecks {
            heading: format!("{n}、{}检测", p.words()),
            checks: report.checks.iter().filter(|c| c.property == *p).collect(),
        })
        .collect();
    let ident = format!(
        "dashi/{}/{}/{}",
        report.object, report.version, report.stage_words
    );
    paper(
        renderer,
        app,
        Doc::FOUR_CHECKS,
        serde_json::json!({ "four": report, "properties": properties }),
        &report.digest,
        &ident,
        date,
        &report.studio,
    )
}

/// The 电子档案移交与接收登记表 as PDF: the rows, the package's digest as text and QR,
/// and blank cells for the receiving room and the signatures.
pub fn transfer_register(
    renderer: &Renderer,
    app: Option<Application>,
    rows: &impl Serialize,
    digest: &str,
    studio: &str,
    date: Date,
) -> Result<Vec<u8>, TypesetError> {
    let groups = crate::seal::digest::hex_groups(digest);
    paper(
        renderer,
        app,
        Doc::TRANSFER_REGISTER,
        serde_json::json!({ "rows": rows, "digest": digest, "digest_groups": groups }),
        digest,
        &format!("dashi/移交/{digest}"),
        date,
        studio,
    )
}

/// One of the room's papers, in the studio's fonts when the archive has its
/// application (else the built-in faces), with `qr` as the QR code it may show.
#[allow(clippy::too_many_arguments)]
fn paper(
    renderer: &Renderer,
    app: Option<Application>,
    doc: Doc,
    mut data: Value,
    qr: &str,
    ident: &str,
    date: Date,
    studio: &str,
) -> Result<Vec<u8>, TypesetError> {
    let mut served = BTreeMap::new();
    served.insert(
        crate::typeset::qr::PATH.to_string(),
        crate::typeset::qr::served(qr),
    );
    let date = renderer.source_date.unwrap_or(date);
    match app.and_then(|app| SheetMaker::new(renderer, Some(app), date)) {
        Some(maker) => maker.typeset(doc, &data, served, ident),
        None => {
            data["studio"] = serde_json::json!({ "name": studio });
            Ok(renderer.pdf_of(&data, doc, "dashi", served, ident, date)?)
        }
    }
}
