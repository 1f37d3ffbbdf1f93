//! A studio as large as a real one gets: the sample with `members` members (each with a
//! valid resident ID), `achievements` entries of 业绩, and two scans per member (ID card
//! and certificate) drawn as A4 pages at the given size. Shared by the tests and by
//! `benches/memory.rs` (through `#[path]`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to make.
pub struct Studio {
    pub members: usize,
    pub achievements: usize,
    /// Scan size in pixels (an A4 page at 300 dpi is 2480 × 3508).
    pub scan: (u32, u32),
}

const SAMPLE: &str = include_str!("../samples/studio.toml");
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 12] = [
    "建国", "志强", "春燕", "海军", "丽娟", "国华", "永刚", "秀英", "晓东", "春生", "玉兰", "德胜",
];

/// A valid 18-digit resident ID (GB 11643) for a birth date and sex.
pub fn resident_id(birth: &str, sequence: u32, male: bool) -> String {
    let seq = sequence % 500 * 2 + u32::from(male);
    let first17 = format!("150105{birth}{seq:03}");
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

/// Writes the studio into `dir`; returns its data file.
pub fn write(dir: &Path, studio: &Studio) -> PathBuf {
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    // The sample's own scans stay (unit licence, the master's papers).
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/evidence")).unwrap()
    {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("evidence").join(path.file_name().unwrap())).unwrap();
    }
    // The sample's two members stay; the new ones follow them.
    let plan_start = SAMPLE.find("# ── 计划目标").unwrap();
    let mut text = String::new();
    text.push_str(&SAMPLE[..plan_start]);
    let mut evidence = String::new();
    for i in 0..studio.members {
        let name = format!(
            "{}{}{}",
            SURNAMES[i % 10],
            GIVEN[(i / 10) % 12],
            ["", "一", "二", "三", "四", "五"][(i / 120) % 6]
        );
        let male = i % 3 != 0;
        let id = resident_id(
            &format!("19{:02}0{}1{}", 80 + i % 20, 1 + i % 9, i % 10),
            i as u32,
            male,
        );
        let _ = write!(
            text,
            "[[members]]\nname = \"{name}\"\nsex = \"{}\"\nid_number = \"{id}\"\nrole = \"技术骨干\"\noccupation = \"焊工\"\nskill_level = \"高级工\"\n\n",
            if male { "男" } else { "女" }
        );
        for (n, (kind, what)) in [("身份证", "身份证"), ("职业技能等级证书", "高级工证书")]
            .iter()
            .enumerate()
        {
            let file = format!("evidence/m{i:03}-{n}.jpg");
            scan(&dir.join(&file), studio.scan, (i * 2 + n) as u32);
            let _ = write!(
                evidence,
                "[[evidence]]\nid = \"M{i:03}-{n}\"\ntitle = \"{name}{what}\"\nkind = \"{kind}\"\nowner = \"成员\"\nmember = \"{name}\"\nfile = \"{file}\"\n\n"
            );
        }
    }
    let print_start = SAMPLE.find("# ── 打印与装订").unwrap();
    let mut rest = SAMPLE[plan_start..print_start].to_string();
    rest.push_str(&evidence);
    rest.push_str(&SAMPLE[print_start..]);
    text.push_str(&rest);
    let achievements_at = text.find("[[master.achievements]]").unwrap();
    let mut more = String::new();
    for i in 0..studio.achievements {
        let _ = write!(
            more,
            "[[master.achievements]]\ndate = \"20{:02}-0{}\"\ncontent = \"主持第 {} 项焊接工艺改进，攻克大型结构件焊接变形和厚板多层多道焊的质量难题\"\nresult = \"一次合格率提高到 99% 以上，年节约返修费用约 {} 万元，已在协作企业推广\"\n\n",
            10 + i % 14,
            1 + i % 9,
            i + 1,
            10 + i
        );
    }
    text.insert_str(achievements_at, &more);
    let data = dir.join("studio.toml");
    std::fs::write(&data, text).unwrap();
    data
}

/// A page that looks scanned: off-white paper, dark lines of "text", a red seal; the
/// seed varies every page so no two files are alike.
fn scan(path: &Path, (width, height): (u32, u32), seed: u32) {
    let mut state = 0x9E37_79B9u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut img = image::RgbImage::from_pixel(width, height, image::Rgb([246, 244, 238]));
    let line = (height / 40).max(4);
    let mut y = height / 10;
    while y + line < height * 9 / 10 {
        let start = width / 10 + next() % (width / 20 + 1);
        let end = width * 9 / 10 - next() % (width / 3 + 1);
        for yy in y..y + line / 2 {
            for x in start..end.max(start) {
                if next() % 4 != 0 {
                    img.put_pixel(x, yy, image::Rgb([40, 40, 48]));
                }
            }
        }
        y += line;
    }
    let (cx, cy, r) = (width * 2 / 3, height * 3 / 4, width / 8);
    for yy in cy.saturating_sub(r)..(cy + r).min(height) {
        for x in cx.saturating_sub(r)..(cx + r).min(width) {
            let d = ((x as i64 - cx as i64).pow(2) + (yy as i64 - cy as i64).pow(2)) as f64;
            if (d.sqrt() - r as f64 * 0.9).abs() < r as f64 * 0.06 {
                img.put_pixel(x, yy, image::Rgb([200, 40, 40]));
            }
        }
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    image::codecs::jpeg::JpegEncoder::new_with_quality(file, 85)
        .encode_image(&img)
        .unwrap();
}
