//! Mutation fuzzing of every reader of a user's file: JPEG, PNG and TIFF scans, PDF
//! scans, the data file (TOML and JSON), record files, zip, ISO and bag inputs to
//! `verify` and `intake`, OCFL inventories, the decisions xlsx and CSV, the holidays
//! TOML, and what the bureau's ledger reads (lists, score sheets, report JSON and PDF). Each reader starts from real inputs (the sample project, the conformance
//! fixtures, a bag and a disc dashi makes) and is given seeded, repeatable mutations of
//! them: bits flipped, bytes set to edge values, runs cut, copied or spliced with the
//! format's own markers. A panic, or a defect a reader caught and turned into its
//! error, is a failure, with the input kept under target/fuzz-failures.
//!
//! `tests::fuzz` runs `RUNS` mutations per reader; `benches/fuzz.rs` (the same engine)
//! runs a million in all and watches time and memory too.

use std::path::{Path, PathBuf};

/// Mutations per reader in the test suite.
pub const RUNS: usize = 2000;

/// A seeded xorshift64* generator: the same seed gives the same mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Edge values a length or a count is often checked against.
const EDGES: [&[u8]; 8] = [
    &[0x00],
    &[0xFF],
    &[0x7F],
    &[0x80],
    &[0xFF, 0xFF],
    &[0x00, 0x00],
    &[0x7F, 0xFF, 0xFF, 0xFF],
    &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
];

/// One to four mutations of `seed`, with `tokens` (the format's markers) to splice in.
pub fn mutate(rng: &mut Rng, seed: &[u8], tokens: &[&[u8]]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                bytes[i] = rng.next() as u8;
            }
            2 => {
                let edge = EDGES[rng.below(EDGES.len())];
                let end = (at + edge.len()).min(len);
                bytes.splice(at..end, edge.iter().copied());
            }
            3 if len > 0 => {
                let n = 1 + rng.below(64.min(len - at.min(len - 1)));
                let from = at.min(len - 1);
                bytes.drain(from..(from + n).min(len));
            }
            4 if len > 0 => {
                // A run copied elsewhere (a segment or an entry written twice).
                let from = rng.below(len);
                let n = 1 + rng.below(256.min(len - from));
                let run: Vec<u8> = bytes[from..from + n].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, run);
            }
            5 if !tokens.is_empty() => {
                let token = tokens[rng.below(tokens.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            6 if !tokens.is_empty() && len > 0 => {
                // A marker in place of what was there.
                let token = tokens[rng.below(tokens.len())];
                let end = (at + token.len()).min(len);
                bytes.splice(at..end, token.iter().copied());
            }
            7 => bytes.truncate(at),
            _ => {
                let n = 1 + rng.below(16);
                let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, noise);
            }
        }
    }
    bytes
}

/// One reader: its name, its seeds (file name, bytes), the markers of its format, and
/// how to read a file of it. `read` returns what a caught defect said, if one was met.
pub struct Reader {
    pub name: &'static str,
    pub seeds: Vec<(String, Vec<u8>)>,
    pub tokens: Vec<&'static [u8]>,
    pub read: Read,
}

/// Reads the file at the given path (in a folder of its own, which holds whatever else
/// the format needs); `Err` with what a caught defect said.
pub type Read = Box<dyn Fn(&Path) -> Result<(), String> + Sync>;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A defect turned into an error by `failure::caught` says so in these words.
fn defect(said: &str) -> Result<(), String> {
    if said.contains("内部错误") {
        Err(said.to_string())
    } else {
        Ok(())
    }
}

/// The scans' check and their thumbnail.
pub fn scan_reader(path: &Path) -> Result<(), String> {
    if let Err(problem) = dashi::media::scan::inspect(path) {
        defect(&problem.to_string())?;
    }
    let _ = dashi::media::thumbnail(path);
    Ok(())
}

const JPEG: [&[u8]; 8] = [
    &[0xFF, 0xD8],
    &[0xFF, 0xC4, 0x00, 0x1F, 0x00],
    &[0xFF, 0xDA, 0x00, 0x0C, 0x03],
    &[0xFF, 0xDB, 0x00, 0x43, 0x00],
    &[0xFF, 0xC0, 0x00, 0x11, 0x08],
    &[0xFF, 0xDD, 0x00, 0x04, 0x00, 0x01],
    &[0xFF, 0xD0],
    &[0xFF, 0xD9],
];

/// Every reader of a user's file, each with its seeds.
pub fn readers() -> Vec<Reader> {
    let evidence = |names: &[&str]| -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|n| (n.to_string(), read(&format!("samples/evidence/{n}"))))
            .collect()
    };
    let fixture = |rel: &str| -> (String, Vec<u8>) {
        let name = Path::new(rel)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        (name, read(rel))
    };
    let data_toml = read("samples/studio.toml");
    let data_json = {
        let value: toml::Value = toml::from_str(std::str::from_utf8(&data_toml).unwrap()).unwrap();
        serde_json::to_vec_pretty(&value).unwrap()
    };
    let records = {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        for kind in dashi::data::record::RecordKind::ALL {
            let dest = dir.path().join(format!("{}.toml", kind.label()));
            dashi::record::sample::write(kind, &dest, today(), false).unwrap();
            out.push((
                format!("{}.toml", kind.label()),
                std::fs::read(&dest).unwrap(),
            ));
        }
        out
    };
    let (bag_zip, disc_iso) = bag_and_disc();
    vec![
        Reader {
            name: "jpeg",
            seeds: {
                let mut s = evidence(&["营业执照.jpg", "张伟-身份证.jpg"]);
                s.push(fixture("tests/fixtures/scans/cmyk.jpg"));
                s
            },
            tokens: JPEG.to_vec(),
            read: Box::new(scan_reader),
        },
        Reader {
            name: "png",
            seeds: vec![fixture("tests/fixtures/scans/alpha.png")],
            tokens: vec![b"IHDR", b"IDAT", b"IEND", b"PLTE", b"tRNS", &[0x78, 0x9C]],
            read: Box::new(scan_reader),
        },
        Reader {
            name: "tiff",
            seeds: vec![fixture("tests/fixtures/scans/scanner.tif")],
            tokens: vec![b"II*\0", b"MM\0*", &[0x00, 0x01, 0x03, 0x00], &[0x11, 0x01, 0x04, 0x00]],
            read: Box::new(scan_reader),
        },
        Reader {
            name: "pdf",
            seeds: {
                let mut s = evidence(&["王建军-专利证书.pdf"]);
                s.push(fixture("tests/fixtures/scans/three-pages.pdf"));
                s
            },
            tokens: vec![
                b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"/Type /Page",
                b"/Length 999999", b"%%EOF", b"<<", b">>", b"/Filter /FlateDecode", b"/Kids [",
            ],
            read: Box::new(|path| {
                scan_reader(path)?;
                // The 四性 opener (its verdict says when dashi itself failed).
                let opened = dashi::room::four::files::open(path, "x.pdf");
                defect(opened.broken.as_deref().unwrap_or(""))?;
                // The text of a received report (the bureau's round).
                if let Ok(bytes) = std::fs::read(path) {
                    let _ = dashi::media::pdf_text::lines(bytes);
                }
                Ok(())
            }),
        },
        Reader {
            name: "data-toml",
            seeds: vec![("studio.toml".into(), data_toml)],
            tokens: vec![b"[", b"]", b"[[", b"=", b"\"", b"'''", b"\n", b"\\u", b"1e999", b"-"],
            read: Box::new(data_reader),
        },
        Reader {
            name: "data-json",
            seeds: vec![("studio.json".into(), data_json)],
            tokens: vec![b"{", b"}", b"[", b"]", b"\"", b",", b":", b"\\u", b"1e999", b"null"],
            read: Box::new(data_reader),
        },
        Reader {
            name: "record",
            seeds: records,
            tokens: vec![b"[", b"]", b"[[files]]", b"=", b"\"", b"\n", b"major = true", b"2027-02-30"],
            read: Box::new(|path| {
                if let Ok(checked) = dashi::record::check_file(path, today()) {
                    for f in &checked.findings {
                        defect(&f.message)?;
                    }
                }
                Ok(())
            }),
        },
        Reader {
            name: "zip",
            seeds: vec![("bag.zip".into(), bag_zip)],
            tokens: vec![b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"bagit.txt", b"../"],
            read: Box::new(verify_reader),
        },
        Reader {
            name: "iso",
            seeds: vec![("disc.iso".into(), disc_iso)],
            tokens: vec![b"\x01CD001\x01", b"\x02CD001\x01", b"\xFFCD001\x01", b"%/E", &[0x00; 8]],
            read: Box::new(verify_reader),
        },
        Reader {
            name: "bag",
            seeds: vec![
                fixture("tests/fixtures/bagit/v1.0/valid/basicBag/manifest-sha512.txt"),
                fixture("tests/fixtures/bagit/v1.0/valid/basicBag/bagit.txt"),
            ],
            tokens: vec![b"  ", b"\t", b"data/", b"../", b"%0A", b"\r\n", b"BagIt-Version: 1.0"],
            read: Box::new(|path| {
                // The tag file goes into a copy of the conformance bag.
                let bag = path.parent().unwrap().join("bag");
                if !bag.exists() {
                    copy_tree(&repo("tests/fixtures/bagit/v1.0/valid/basicBag"), &bag);
                }
                std::fs::copy(path, bag.join(path.file_name().unwrap())).unwrap();
                verify_reader(&bag)
            }),
        },
        Reader {
            name: "ocfl",
            seeds: ["spec-ex-full", "updates_all_actions"]
                .iter()
                .map(|o| {
                    let inventory = format!("tests/fixtures/ocfl/1.1/good-objects/{o}/inventory.json");
                    (format!("{o}.json"), read(&inventory))
                })
                .collect(),
            tokens: vec![
                b"{", b"}", b"\"", b",", b"\"v1\"", b"\"v0\"", b"\"head\"", b"\"manifest\"",
                b"\"state\"", b"\"fixity\"", b"\"sha512\"", b"1e999", b"\\u0000", b"../",
            ],
            read: Box::new(|path| {
                let seed = path.file_stem().unwrap().to_str().unwrap();
                let object = path.parent().unwrap().join(seed);
                if !object.exists() {
                    copy_tree(&repo(&format!("tests/fixtures/ocfl/1.1/good-objects/{seed}")), &object);
                }
                std::fs::copy(path, object.join("inventory.json")).unwrap();
                verify_reader(&object)
            }),
        },
        Reader {
            name: "decisions-csv",
            seeds: vec![(
                "决定.csv".into(),
                "受理编号,结论,说明\n2026-001,同意,\"材料齐全，\n符合条件\"\n2026-002，不同意，\"\"\"缺\"\"件\"\n"
                    .as_bytes()
                    .to_vec(),
            )],
            tokens: vec![b",", b"\xEF\xBC\x8C", b"\"", b"\n", b"\r", b"\t", b"\xEF\xBB\xBF", b"\xB2\xBB"],
            read: Box::new(|path| {
                let _ = dashi::intake::publish::decision_rows(path);
                Ok(())
            }),
        },
        Reader {
            name: "decisions-xlsx",
            seeds: vec![("决定.xlsx".into(), decisions_xlsx())],
            tokens: vec![b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"<row", b"<c r=\"A1\"", b"t=\"s\""],
            read: Box::new(|path| {
                let _ = dashi::intake::publish::decision_rows(path);
                Ok(())
            }),
        },
        Reader {
            name: "roster-csv",
            seeds: vec![(
                "名册.csv".into(),
                "姓名,性别,身份证号码,职务,职业（工种）,技能等级\n张三,,150102199003070015,技术骨干,焊工,高级技师\n李四,M,\"1501,02\",,电工,\n"
                    .as_bytes()
                    .to_vec(),
            )],
            tokens: vec![b",", b"\xEF\xBC\x8C", b"\"", b"\n", b"\r", b"\xEF\xBB\xBF", b"\xB2\xBB", "姓名".as_bytes()],
            read: Box::new(|path| {
                let Ok(bytes) = std::fs::read(path) else {
                    return Ok(());
                };
                let _ = dashi::roster::read("名册.csv", &bytes);
                Ok(())
            }),
        },
        Reader {
            name: "roster-xlsx",
            seeds: vec![("名册.xlsx".into(), roster_xlsx())],
            tokens: vec![b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"<row", b"<c r=\"XFD1\"", b"t=\"n\"", b"<v>1e308</v>"],
            read: Box::new(|path| {
                let Ok(bytes) = std::fs::read(path) else {
                    return Ok(());
                };
                let _ = dashi::roster::read("名册.xlsx", &bytes);
                Ok(())
            }),
        },
        Reader {
            name: "ledger-list",
            seeds: vec![(
                "认定名单.csv".into(),
                "编号,工作室名称,领办人,依托单位,统一社会信用代码,级别,认定日期\nT001,甲工作室,张三,甲公司,91150100MA0N00000X,市级,2024-06-01\nT002,乙工作室,李四,乙公司,,自治区级,45444\n"
                    .as_bytes()
                    .to_vec(),
            )],
            tokens: vec![b",", b"\"", b"\n", b"2024-02-30", b"45444", b"\xEF\xBB\xBF", "年".as_bytes()],
            read: Box::new(|path| {
                let _ = dashi::ledger::enter::from_list(&Default::default(), path);
                Ok(())
            }),
        },
        Reader {
            name: "score-sheet",
            seeds: vec![(
                "评分表.csv".into(),
                "编号,一级指标,指标内容,分值,自评分,计算依据,专家评分\nA1,基础条件,场所,10,8,工作室自评,9\nC1,带徒传技,带徒,15,15,年均 3 名,12.5\n工作室编号,2027-001\n"
                    .as_bytes()
                    .to_vec(),
            )],
            tokens: vec![b",", b"\"", b"\n", b"1e308", b"-0", b"NaN", "专家评分".as_bytes()],
            read: Box::new(|path| {
                let _ = dashi::ledger::results::scores(path);
                Ok(())
            }),
        },
        Reader {
            name: "report-json",
            seeds: vec![(
                "报告.json".into(),
                r#"{"kind":"考核","period":{"from":"2026-12","to":"2028-11"},"date":"2028年12月8日","version":"v3","digest":"ab","indicators_title":"指标","scores":[{"id":"A1","score":"8"}],"problems":["甲"],"plans":[]}"#
                    .as_bytes()
                    .to_vec(),
            )],
            tokens: vec![b"{", b"}", b"[", b"]", b"\"", b":", b"null", "年".as_bytes()],
            read: Box::new(|path| {
                if let Ok(bytes) = std::fs::read(path) {
                    let _ = dashi::ledger::compare::claimed(&bytes);
                }
                Ok(())
            }),
        },
        Reader {
            name: "holidays",
            seeds: vec![("holidays.toml".into(), read("src/intake/holidays.toml"))],
            tokens: vec![b"..", b"2026-02-29", b"9999-12-31", b"\"", b"[", b"]", b"years = [", b"-"],
            read: Box::new(|path| {
                let _ = dashi::intake::calendar::Calendar::load(path);
                Ok(())
            }),
        },
    ]
}

/// The fixed day the fuzzed readers take as today.
fn today() -> dashi::data::dates::Date {
    dashi::data::dates::Date::parse("2027-03-15").unwrap()
}

/// A data file loaded and, when it reads, checked (its evidence is not beside it, so
/// each scan is a missing file, quickly).
fn data_reader(path: &Path) -> Result<(), String> {
    if let Ok(loaded) = dashi::data::load::load(path) {
        for f in dashi::check::run(&loaded.app, path.parent().unwrap(), today()) {
            defect(&f.message)?;
        }
    }
    Ok(())
}

fn verify_reader(path: &Path) -> Result<(), String> {
    if let Ok(report) = dashi::verify::verify_any(path, None, &dashi::progress::Silent) {
        let _ = report;
    }
    Ok(())
}

/// A bag dashi seals from the sample project, as a zip, and the disc of its folder.
fn bag_and_disc() -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let day = today();
    let zip = dir.path().join("bag.zip");
    let source = dir.path().join("材料");
    copy_tree(&repo("samples/evidence"), &source);
    std::fs::copy(repo("samples/studio.toml"), source.join("studio.toml")).unwrap();
    dashi::seal::folder::seal_folder(&source, &zip, day, &dashi::progress::Silent).unwrap();
    let iso = dir.path().join("disc.iso");
    dashi::disc::write(
        &repo("tests/fixtures/bagit/v1.0/valid/basicBag"),
        &iso,
        dashi::disc::Media::Cd,
        day,
    )
    .unwrap();
    (std::fs::read(zip).unwrap(), std::fs::read(iso).unwrap())
}

/// A member roster as Excel writes one: an ID typed as a number among them.
fn roster_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, head) in ["姓名", "性别", "身份证号", "职业（工种）"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *head).unwrap();
    }
    sheet.write_string(1, 0, "钱七").unwrap();
    sheet.write_number(1, 2, 150102199508080024.0).unwrap();
    sheet.write_string(1, 3, "焊工").unwrap();
    book.save_to_buffer().unwrap()
}

/// A decisions workbook as Excel writes one.
fn decisions_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [
        ["受理编号", "结论"],
        ["2026-001", "同意"],
        ["2026-002", "不同意"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    sheet.write_number(3, 0, 2026.0).unwrap();
    book.save_to_buffer().unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What went wrong with one input.
#[derive(Debug)]
pub struct Failed {
    pub reader: &'static str,
    pub run: usize,
    pub what: String,
    /// Where the input is kept.
    pub input: PathBuf,
}

/// What watches each input: told before it is read, and asked after it whether it went
/// wrong in a way the reader does not say (too much memory); the bench's watchdog.
pub trait Watch: Sync {
    fn before(&self, _reader: &str, _run: usize, _input: &[u8]) {}
    fn after(&self) -> Option<String> {
        None
    }
}

/// Watches nothing (the test suite).
pub struct Unwatched;

impl Watch for Unwatched {}

/// Runs `runs` mutations of `reader`'s seeds from `seed`; returns what failed.
pub fn fuzz(reader: &Reader, runs: usize, seed: u64, watch: &dyn Watch) -> Vec<Failed> {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(seed ^ fnv(reader.name));
    let mut failed = Vec::new();
    for run in 0..runs {
        let (name, bytes) = &reader.seeds[run % reader.seeds.len()];
        let input = mutate(&mut rng, bytes, &reader.tokens);
        let path = dir.path().join(name);
        std::fs::write(&path, &input).unwrap();
        watch.before(reader.name, run, &input);
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (reader.read)(&path)));
        let what = match (outcome, watch.after()) {
            (Ok(Ok(())), None) => continue,
            (Ok(Ok(())), Some(said)) => said,
            (Ok(Err(said)), _) => said,
            (Err(payload), _) => payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into()),
        };
        failed.push(Failed {
            reader: reader.name,
            run,
            what,
            input: keep(reader.name, run, name, &input),
        });
    }
    failed
}

/// Keeps a failing input under target/fuzz-failures.
pub fn keep(reader: &str, run: usize, name: &str, input: &[u8]) -> PathBuf {
    let dir = repo("target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{reader}-{run}-{name}"));
    std::fs::write(&path, input).unwrap();
    path
}

/// FNV-1a, to give each reader its own stream from one seed.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A valid sample JPEG with a bad Huffman table (DHT) put just before its end marker, 24
/// bytes: three codes of one bit, where one bit has room for two. The hand decoder
/// that stood before the library filled its lookup table past its end on it (a panic
/// in `dashi check`, `build` and `record add`).
pub fn crafted_jpeg() -> Vec<u8> {
    let mut bytes = read("samples/evidence/营业执照.jpg");
    let end = bytes.len() - 2;
    let mut dht = vec![0xFF, 0xC4, 0x00, 0x16, 0x00, 3];
    dht.extend([0; 15]);
    dht.extend([0, 1, 2]);
    assert_eq!(dht.len(), 24);
    bytes.splice(end..end, dht);
    bytes
}
