//! `dashi record new KIND`: a record of that kind with every field explained in
//! Chinese, valid as written, and the sample files it names written beside it (scans
//! and photos drawn here, marked as samples), so that `record new` then `record add`
//! works out of the box.

use std::path::{Path, PathBuf};

use crate::data::dates::Date;
use crate::data::record::RecordKind;

/// Why a sample could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A file of that name is already there; nothing was written.
    #[error("{} 已存在，未做任何改动", .0.display())]
    Exists(PathBuf),
    /// A file that a folder of samples would hold is already there; nothing was written.
    #[error("{} 已存在，未做任何改动", .0.display())]
    InFolder(PathBuf),
    /// A file could not be written.
    #[error("无法写入 {}：{}", path.display(), crate::fsio::why(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::failure::Failure for SampleError {
    fn hint(&self) -> Option<String> {
        match self {
            SampleError::Exists(_) => Some("用 -o 指定另一个文件名，或加 --force 覆盖".into()),
            SampleError::InFolder(_) => Some("换一个文件夹，或先移走这个文件".into()),
            SampleError::Write { .. } => Some("确认文件夹可以写入".into()),
        }
    }
}

/// The sample's text and the files it names (name, what the picture is).
fn sample(kind: RecordKind, date: Date, stem: &str) -> (String, Vec<(String, u32)>) {
    let id = format!("{}-{}-样例", kind.label(), date.year);
    let head = format!(
        "#:schema ./record.schema.json\n\
         # 工作室档案记录（第十一条）。一个文件写一条记录；加入档案后不能修改，更正时另写一条记录，\n\
         # 用 corrects = \"被更正的记录编号\" 指明。路径都相对于本文件所在的文件夹。\n\
         # 写好后运行：dashi record add 档案文件夹 本文件\n\
         \n\
         # 记录格式版本（目前为 1）\n\
         format_version = 1\n\
         # 记录类别：带徒、带徒进展、活动、成果、制度、成员、荣誉、经费\n\
         kind = \"{label}\"\n\
         # 记录编号：档案中唯一，由汉字、字母、数字和 - _ 组成\n\
         id = \"{id}\"\n\
         # 日期：事情发生的日期\n\
         date = \"{date}\"\n",
        label = kind.label(),
    );
    let (body, files) = body(kind, stem, date);
    (format!("{head}{body}"), files)
}

/// What a sample body is made from.
struct Sample<'a> {
    stem: &'a str,
    date: Date,
}

/// The part of a sample record after its head: the kind's own table, commented, and
/// the sample files it names (name, and a number that makes each picture distinct).
fn body(kind: RecordKind, stem: &str, date: Date) -> (String, Vec<(String, u32)>) {
    let sample = Sample { stem, date };
    match kind {
        RecordKind::Apprentice => apprentice(&sample),
        RecordKind::Progress => progress(&sample),
        RecordKind::Activity => activity(&sample),
        RecordKind::Innovation => innovation(&sample),
        RecordKind::Rule => rule(&sample),
        RecordKind::Member => member(&sample),
        RecordKind::Honour => honour(&sample),
        RecordKind::Fund => fund(&sample),
    }
}

/// The 带徒 sample's own table and files.
fn apprentice(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"收徒：刘小东（焊工）\"\n\n\
         [apprentice]\n\
         # 学徒姓名、身份证号（GB 11643 校验）\n\
         name = \"刘小东\"\n\
         id_number = \"150105200103150017\"\n\
         # 职业（工种）\n\
         occupation = \"焊工\"\n\
         # 带徒时的职业技能等级（尚无等级可删去此行）\n\
         level_at_start = \"中级工\"\n\
         # 师傅（不填时为工作室领办人）\n\
         # master = \"王建军\"\n\
         # 带徒协议（师徒协议的扫描件）\n\
         agreement = \"{}\"\n",
            scan("带徒协议")
        ),
        vec![(scan("带徒协议"), 1)],
    )
}
/// The 带徒进展 sample's own table and files.
fn progress(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    let date = s.date;
    (
        format!(
            "# 标题\ntitle = \"刘小东取得高级工职业技能等级\"\n\n\
         [progress]\n\
         # 该学徒“带徒”记录的编号\n\
         apprentice = \"带徒-{}-样例\"\n\
         name = \"刘小东\"\n\
         # 取得的国家职业技能等级\n\
         level = \"高级工\"\n\
         # 证书编号（没有时附证书扫描件）\n\
         certificate_number = \"S000015010004231000123\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"职业技能等级证书扫描件\"\n",
            date.year,
            scan("证书")
        ),
        vec![(scan("证书"), 2)],
    )
}
/// The 活动 sample's own table and files.
fn activity(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let photo = |n: u32| format!("{}-照片{n}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"厚板焊接技术交流会\"\n\
         # 重大活动时改为 true：加入档案时同时生成向市人社局的报告\n\
         major = false\n\n\
         [activity]\n\
         # 活动类别：技术交流、培训、竞赛、讲座、其他\n\
         category = \"技术交流\"\n\
         place = \"青城装备制造有限公司二号厂房工作室\"\n\
         participants = 36\n\
         # 活动内容（可分段）\n\
         summary = \"\"\"\n\
         邀请市内三家企业的焊接技术骨干，交流厚板窄间隙焊的工艺要点。\n\n\
         王建军现场演示全位置焊接，学徒分组实操，专家点评。\"\"\"\n\n\
         # 照片、视频等附件：每个一段 [[files]]\n\
         [[files]]\nfile = \"{}\"\nshows = \"现场演示\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"学徒分组实操\"\n",
            photo(1),
            photo(2)
        ),
        vec![(photo(1), 3), (photo(2), 4)],
    )
}
/// The 成果 sample's own table and files.
fn innovation(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"高寒地区输气管道全位置焊接操作法\"\n\
         # 重大成果时改为 true：加入档案时同时生成向市人社局的报告\n\
         major = false\n\n\
         [innovation]\n\
         # 成果类别：技术革新、技术攻关、专利、操作法、绝技绝活\n\
         category = \"操作法\"\n\
         # 成果内容和效果（可分段）\n\
         result = \"形成企业操作法一项，一次合格率由 94% 提高到 99.2%。\"\n\
         # 经济效益（万元，没有可删去此行）\n\
         benefit = 46.5\n\
         # 专利号或证书编号（没有可删去此行）\n\
         # number = \"ZL 2027 2 0000000.0\"\n\
         # 推广应用情况\n\
         spread = \"已在公司三个车间和两家协作企业推广\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"操作法文本首页\"\n",
            scan("操作法")
        ),
        vec![(scan("操作法"), 5)],
    )
}
/// The 制度 sample's own table and files.
fn rule(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"技能大师工作室带徒管理制度\"\n\n\
         [rule]\n\
         # 主要内容\n\
         summary = \"规定师徒结对、培养计划、考核和激励办法。\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"制度文本\"\n",
            scan("制度")
        ),
        vec![(scan("制度"), 6)],
    )
}
/// The 成员 sample's own table and files.
fn member(_: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    (
        "# 标题\ntitle = \"赵海军加入工作室\"\n\n\
     [member]\n\
     # 变动类别：加入、退出、职务变动、更换领办人（更换领办人须附核准文件 approval）\n\
     change = \"加入\"\n\
     name = \"赵海军\"\n\
     id_number = \"150104199207080058\"\n\
     role = \"技术骨干\"\n\
     skill_level = \"技师\"\n"
            .to_string(),
        Vec::new(),
    )
}
/// The 荣誉 sample's own table and files.
fn honour(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"工作室获评市级优秀技能大师工作室\"\n\
         major = false\n\n\
         [honour]\n\
         # 获得者：“工作室”，或领办人、成员的姓名\n\
         holder = \"工作室\"\n\
         # 级别：国家级、自治区级、市级、其他\n\
         level = \"市级\"\n\
         issuer = \"呼和浩特市人力资源和社会保障局\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"荣誉证书扫描件\"\n",
            scan("荣誉证书")
        ),
        vec![(scan("荣誉证书"), 7)],
    )
}
/// The 经费 sample's own table and files.
fn fund(s: &Sample<'_>) -> (String, Vec<(String, u32)>) {
    let scan = |what: &str| format!("{}-{what}.jpg", s.stem);
    (
        format!(
            "# 标题\ntitle = \"收到市级技能大师工作室建设补助资金\"\n\n\
         [fund]\n\
         # 收支：收入、支出\n\
         direction = \"收入\"\n\
         # 金额（万元）\n\
         amount = 5.0\n\
         purpose = \"高技能人才培养补助项目资金（第四章）\"\n\n\
         [[files]]\nfile = \"{}\"\nshows = \"到账凭证\"\n",
            scan("凭证")
        ),
        vec![(scan("凭证"), 8)],
    )
}

/// Writes the sample record of `kind` to `dest` and its files beside it; refuses to
/// overwrite anything unless `force`. Returns every file written.
pub fn write(
    kind: RecordKind,
    dest: &Path,
    today: Date,
    force: bool,
) -> Result<Vec<PathBuf>, SampleError> {
    let dir = dest
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = dest.file_stem().map_or_else(
        || kind.label().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let (text, files) = sample(kind, today, &stem);
    let mut all = vec![dest.to_path_buf()];
    all.extend(files.iter().map(|(name, _)| dest.with_file_name(name)));
    all.push(dir.join("record.schema.json"));
    if !force && let Some(existing) = all[..all.len() - 1].iter().find(|p| p.exists()) {
        return Err(SampleError::Exists(existing.clone()));
    }
    let write = |path: &Path, bytes: &[u8]| {
        crate::fsio::write_atomic(path, bytes).map_err(|source| SampleError::Write {
            path: path.to_path_buf(),
            source,
        })
    };
    for (name, seed) in &files {
        write(&dir.join(name), &picture(*seed))?;
    }
    write(
        &dir.join("record.schema.json"),
        super::format().text().as_bytes(),
    )?;
    write(dest, text.as_bytes())?;
    Ok(all)
}

/// A small picture standing for a photo or a scan: paper, a few coloured blocks, a red
/// stamp-like ring; the same seed always gives the same bytes.
fn picture(seed: u32) -> Vec<u8> {
    let (w, h) = (480u32, 360u32);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([244, 241, 232]));
    let mut state = 0x2545_F491u32 ^ seed.wrapping_mul(0x9E37_79B9);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for _ in 0..6 {
        let (x0, y0) = (next() % (w - 80), next() % (h - 60));
        let colour = image::Rgb([
            (next() % 160) as u8 + 40,
            (next() % 160) as u8 + 40,
            (next() % 160) as u8 + 40,
        ]);
        for y in y0..y0 + 20 + next() % 40 {
            for x in x0..x0 + 40 + next() % 40 {
                img.put_pixel(x.min(w - 1), y.min(h - 1), colour);
            }
        }
    }
    let (cx, cy, r) = (w as f64 * 0.75, h as f64 * 0.7, 50.0);
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)).sqrt();
            if (d - r).abs() < 4.0 {
                img.put_pixel(x, y, image::Rgb([200, 30, 30]));
            }
        }
    }
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&img)
        .expect("an image in memory encodes");
    bytes
}
