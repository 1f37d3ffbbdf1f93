//! 文件目录.xml: the list of a 移交 package's 件 that any XML reader can take, made by
//! the sender and made again by the receiver to compare.

use crate::archive::Archive;
use crate::room::catalogue;

/// Text for XML character data and attributes.
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c => c.to_string(),
        })
        .collect()
}

/// 文件目录.xml: one entry a 件, in catalogue order: its 电子档案名称 (the 件's name in
/// the archive) and the 存储位置 of each of its files on the carrier, each a path that
/// exists in the package.
pub fn xml(archive: &Archive, volumes: &[catalogue::Volume]) -> String {
    let n = archive.inventory.head_number();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<文件目录>\n");
    let mut count = 0;
    for v in volumes {
        for i in &v.items {
            count += 1;
            let name = match i.records.first() {
                Some(_) => i
                    .files
                    .iter()
                    .find(|f| f.path.ends_with(".toml"))
                    .map_or_else(String::new, |f| {
                        f.path.trim_end_matches(".toml").to_string()
                    }),
                None => i
                    .files
                    .first()
                    .and_then(|f| f.path.split('/').next())
                    .unwrap_or_default()
                    .to_string(),
            };
            let mut places = String::new();
            for f in &i.files {
                let stored = archive
                    .stored(n, &f.path)
                    .and_then(|p| p.strip_prefix(&archive.root).ok().map(|r| r.to_path_buf()));
                if let Some(rel) = stored {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    places += &format!(
                        "    <存储位置>{}</存储位置>\n",
                        escape(&format!(
                            "{}/{rel}",
                            crate::room::four::package::ARCHIVE_DIR
                        ))
                    );
                }
            }
            out += &format!(
                "  <文件>\n    <顺序号>{count}</顺序号>\n    <档号>{}</档号>\n    <责任者>{}</责任者>\n    <题名>{}</题名>\n    <日期>{}</日期>\n    <密级>{}</密级>\n    <页数>{}</页数>\n    <电子档案名称>{}</电子档案名称>\n{places}    <备注>{}</备注>\n  </文件>\n",
                escape(&i.archival_code),
                escape(&i.author),
                escape(&i.title),
                escape(&i.date),
                escape(&i.classification),
                i.pages,
                escape(&name),
                escape(&i.remarks),
            );
        }
    }
    out += "</文件目录>\n";
    out
}

/// What the 说明文件 states of the archive, line by line: its version, that version's
/// digest, the count of 件 and pages, then one line a volume. The receiver finds each
/// of these lines in the 说明文件 it got.
pub fn facts(archive: &Archive, volumes: &[catalogue::Volume]) -> Vec<String> {
    let items: usize = volumes.iter().map(|v| v.items.len()).sum();
    let pages: u32 = volumes.iter().map(|v| v.pages()).sum();
    let mut out = vec![
        format!("档案版本：{}（已归档的最新版本）", archive.inventory.head),
        format!("版本清单摘要（SHA-512）：{}", archive.digest),
        format!(
            "共 {items} 件，{pages} 页，{} 个归档文件目录。",
            volumes.len()
        ),
    ];
    for v in volumes {
        out.push(format!(
            "{}年 {}：{} 件，{} 页",
            v.year,
            v.retention.words(),
            v.items.len(),
            v.pages()
        ));
    }
    out
}

/// 处理过程.csv: the archive's history as filed, one version a row (版本, 时间, 经办人,
/// 说明, 记录, 新存文件数, 新存字节数, 版本清单摘要), for a receiver to read without
/// dashi (UTF-8 with a byte order mark, for Excel and WPS).
pub fn process_csv(archive: &Archive) -> String {
    let cell = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let mut out =
        String::from("\u{feff}版本,时间,经办人,说明,记录,新存文件数,新存字节数,版本清单摘要\r\n");
    for e in crate::archive::log::log(archive)
        .into_iter()
        .filter(|e| !e.pending)
    {
        let records: Vec<String> = e
            .records
            .iter()
            .map(|r| format!("{} {}", r.kind, r.id))
            .collect();
        out += &format!(
            "{},{},{},{},{},{},{},{}\r\n",
            cell(&e.version),
            cell(&e.created),
            cell(&e.user),
            cell(&e.message),
            cell(&records.join("、")),
            e.files_added - e.referenced,
            e.bytes_stored,
            cell(e.inventory_digest.as_deref().unwrap_or(""))
        );
    }
    out
}
