//! One test per finding code: a change to the sample that makes it fire.

use crate::util::Project;

/// Codes covered below; `every_code_has_a_test` keeps this list complete.
const TESTED: &[&str] = &[
    "D001", "D002", "D003", "D004", "D005", "R101", "R102", "R103", "R104", "R105", "R111", "R112",
    "R113", "R114", "R121", "R122", "R123", "R124", "R125", "R131", "R132", "R133", "R134", "R135",
    "R136", "R137", "R138", "R141", "R142", "R143", "R144", "R151", "R152", "R161", "R162", "R163",
    "R164", "R165", "R171", "R172", "R173", "R181", "R191", "R192", "R193", "R194",
    // R201 and R202 need the fonts: they are tested in render.rs; R203 in check_cli.rs.
    "R201", "R202", "R203", // The rules of archive records: tested in archive.rs.
    "R301", "R302", "R303", "R304", "R305", "R306", "R307", "R308", "R309", "R310", "R311", "R312",
    "R313", "R314", "R315", "R316",
    "R317", // The rules of the evaluation: tested in evaluation.rs.
    "R401", "R402", "R403", "R404", "R405", "R406", "R407", "R408", "R409", "R410",
    // The rules of the bureau's intake: tested in intake.rs.
    "R501", "R502", "R503", "R504", "R505", "R511", "R512", "R513", "R514", "R515",
    // The archive room's settings: tested in room.rs.
    "R601", // The change of 领办人: tested in ledger.rs.
    "R701", "R702", "R703", "R711", "R712",
];

#[test]
fn every_code_has_a_test() {
    let all: Vec<&str> = dashi::finding::Code::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(all, TESTED);
}

/// Applies `change` to a fresh sample, checks it, and asserts that `code` fires with
/// the expected exit code and its article.
fn fires(code: &str, exit: i32, change: impl FnOnce(&Project)) -> String {
    let p = Project::sample();
    change(&p);
    let run = p.check();
    crate::util::assert_fired(&run, code);
    assert_eq!(run.code, exit, "{}", run.stdout);
    run.stdout
}

macro_rules! rule {
    ($name:ident, $code:literal, $exit:literal, |$p:ident| $change:expr) => {
        #[test]
        fn $name() {
            fires($code, $exit, |$p: &Project| {
                $change;
            });
        }
    };
}

rule!(d001_syntax, "D001", 2, |p| p
    .replace("name = \"刘国强\"", "name = “刘国强”"));
rule!(d002_unknown_key, "D002", 1, |p| p
    .replace("sex = \"男\"", "sex = \"男\"\nnmae = \"x\""));
rule!(d003_missing_key, "D003", 1, |p| p
    .replace("area = 320\n", ""));
rule!(d004_wrong_type, "D004", 1, |p| p
    .replace("area = 320", "area = \"大约320\""));
rule!(d005_format_version, "D005", 1, |p| p
    .replace("format_version = 1", "format_version = 2"));
rule!(r101_studio_name, "R101", 1, |p| p.replace(
    "name = \"呼和浩特市王建军技能大师工作室\"",
    "name = \"呼和浩特市王建军焊接技能大师工作室\""
));
rule!(r102_outside_hohhot, "R102", 0, |p| p.replace(
    "location = \"呼和浩特市赛罕区金桥开发区青城装备制造有限公司二号厂房东侧\"",
    "location = \"包头市昆都仑区钢铁大街\""
));
rule!(r103_empty_text, "R103", 1, |p| p.replace(
    "opinion = \"情况属实，同意推荐。\"",
    "opinion = \"  \""
));
rule!(r104_no_members, "R104", 1, |p| p
    .cut("[[members]]", "# ── 计划目标"));
/// The sample with its master renamed in the name fields only: the old name still
/// stands in the 申报书 (2 fields), the 推荐报告 and the evidence titles and files, and
/// each place is a finding naming its field.
#[test]
fn r105_the_old_masters_name_left_in_the_texts() {
    let p = Project::sample();
    p.replace(
        "name = \"呼和浩特市王建军技能大师工作室\"",
        "name = \"呼和浩特市孙志强技能大师工作室\"",
    )
    .replace("\nname = \"王建军\"", "\nname = \"孙志强\"");
    let run = p.check();
    crate::util::assert_fired(&run, "R105");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let places: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("错误[R105]"))
        .collect();
    assert_eq!(places.len(), 10, "{}", run.stdout);
    for field in [
        "proposal.necessity",
        "proposal.introduction",
        "recommendation.report",
        "evidence[1].title",
        "evidence[2].title",
        "evidence[1].file",
    ] {
        assert!(run.stdout.contains(field), "{field}: {}", run.stdout);
    }
    assert!(run.stdout.contains("仍写着“王建军”"), "{}", run.stdout);
    // Confirmed as meant, the names are no finding.
    p.replace(
        "format_version = 1\n",
        "format_version = 1\nconfirmed_names = [\"王建军\", \"呼和浩特市王建军技能大师工作室\"]\n",
    );
    let run = p.check();
    assert!(!run.stdout.contains("R105"), "{}", run.stdout);
}

/// The sample renamed throughout (its scans too) holds nothing of the sample's names.
#[test]
fn r105_not_in_a_sample_renamed_throughout() {
    let p = Project::sample();
    p.write_data(&p.data().replace("王建军", "孙志强"));
    for e in std::fs::read_dir(p.path("evidence")).unwrap() {
        let path = e.unwrap().path();
        let name = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .replace("王建军", "孙志强");
        std::fs::rename(&path, p.path("evidence").join(name)).unwrap();
    }
    let run = p.check();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("R105"), "{}", run.stdout);
}

/// A 填报时间 after today is an error (today is the fixed source date here), so an
/// award dated after today cannot pass by a form dated further ahead.
#[test]
fn r181_filed_after_today() {
    let p = Project::sample();
    p.replace("filled_on = \"2026-11-20\"", "filled_on = \"2031-01-01\"")
        .replace("awarded_on = \"2019-09\"", "awarded_on = \"2029-01\"");
    // 2026-12-05 in China.
    let run = crate::util::dashi_at(p.dir(), "1796400000", &["check", "studio.toml"]);
    crate::util::assert_fired(&run, "R181");
    assert!(
        run.stdout
            .contains("填报时间 2031-01-01 晚于今天 2026-12-05"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
}

rule!(r111_category, "R111", 1, |p| p
    .replace("\ncategory = 1\n", "\ncategory = 4\n"));
rule!(r111_category3_without_condition, "R111", 1, |p| p
    .replace("\ncategory = 1\n", "\ncategory = 3\n"));
rule!(r112_no_matching_honour, "R112", 1, |p| p.replace(
    "title = \"全国技术能手\"",
    "title = \"全国优秀技工\""
));
rule!(r113_honour_without_evidence, "R113", 1, |p| p
    .replace("evidence = \"E04\"\n", ""));
rule!(r114_master_not_high_skill, "R114", 1, |p| p.replace(
    "skill_level = \"高级技师\"",
    "skill_level = \"中级工\""
));
rule!(r121_education_fund_share, "R121", 1, |p| p
    .replace("high_skill = 112.0", "high_skill = 80.0"));
rule!(r122_fund_figures, "R122", 1, |p| p
    .replace("high_skill = 112.0", "high_skill = 200.0"));
rule!(r123_no_site, "R123", 1, |p| p
    .replace("provides_site = true", "provides_site = false"));
rule!(r124_training_institution, "R124", 1, |p| p
    .replace("kind = \"企业\"", "kind = \"职业培训机构\""));
rule!(r125_no_premises, "R125", 1, |p| p
    .replace("area = 320", "area = 0"));
rule!(r131_no_licence, "R131", 1, |p| p.replace(
    "kind = \"营业执照\"\nowner = \"单位\"",
    "kind = \"其他\"\nowner = \"单位\""
));
rule!(r132_no_id_card, "R132", 1, |p| p.replace(
    "title = \"张伟身份证\"\nkind = \"身份证\"",
    "title = \"张伟身份证\"\nkind = \"其他\""
));
rule!(r133_no_qualification, "R133", 1, |p| p.replace(
    "title = \"张伟高级工职业技能等级证书\"\nkind = \"职业技能等级证书\"",
    "title = \"张伟高级工职业技能等级证书\"\nkind = \"其他\""
));
rule!(r134_missing_file, "R134", 1, |p| p.replace(
    "file = \"evidence/营业执照.jpg\"",
    "file = \"evidence/营业执照-副本.jpg\""
));
rule!(r136_id_card_by_number, "R136", 1, |p| p.replace(
    "file = \"evidence/王建军-身份证.jpg\"",
    "certificate_number = \"150105197805120310\""
));
rule!(r137_unknown_member, "R137", 1, |p| p
    .replace("member = \"张伟\"", "member = \"张玮\""));
rule!(r141_id_check_digit, "R141", 1, |p| p
    .replace("\"15010519780512031X\"", "\"150105197805120311\""));
rule!(r142_birth_disagrees, "R142", 1, |p| p
    .replace("birth = \"1978-05\"", "birth = \"1978-06\""));
rule!(r143_sex_disagrees, "R143", 1, |p| p.replace(
    "name = \"李红梅\"\nsex = \"女\"",
    "name = \"李红梅\"\nsex = \"男\""
));
rule!(r144_duplicate_id, "R144", 1, |p| p
    .replace("\"150104199003150579\"", "\"150102198609230242\""));
rule!(r151_credit_code, "R151", 1, |p| p
    .replace("\"91150100MA0Q7K3B27\"", "\"91150100MA0Q7K3B2\""));
rule!(r152_credit_check_digit, "R152", 0, |p| p
    .replace("\"91150100MA0Q7K3B27\"", "\"91150100MA0Q7K3B28\""));
rule!(r161_mobile, "R161", 1, |p| p
    .replace("\"13904710826\"", "\"1390471082\""));
rule!(r162_phone, "R162", 1, |p| p
    .replace("\"0471-6609826\"", "\"0471-66098\""));
rule!(r163_email, "R163", 1, |p| p.replace(
    "\"hr@qingcheng-zb.example.cn\"",
    "\"hr＠qingcheng\""
));
rule!(r164_postal_code, "R164", 1, |p| p
    .replace("\"010070\"", "\"01007\""));
rule!(r165_bank_account, "R165", 1, |p| p
    .replace("\"0602 0012 0920 0123 456\"", "\"账号待定\""));
rule!(r171_ethnicity, "R171", 1, |p| p
    .replace("\"汉族\"", "\"蒙族\""));
rule!(r172_political_status, "R172", 1, |p| p
    .replace("\"中共党员\"", "\"党员\""));
rule!(r173_skill_level, "R173", 1, |p| p
    .replace("skill_level = \"技师\"", "skill_level = \"技术员\""));
rule!(r181_work_before_sixteen, "R181", 1, |p| p.replace(
    "work_start = \"1996-07\"",
    "work_start = \"1990-07\""
));
rule!(r181_honour_after_filing, "R181", 1, |p| p.replace(
    "awarded_on = \"2019-09\"",
    "awarded_on = \"2027-01\""
));
rule!(r191_few_apprentices, "R191", 0, |p| p.replace(
    "apprentices_per_year = 4",
    "apprentices_per_year = 2"
));
rule!(r192_few_advanced, "R192", 0, |p| p
    .replace("advanced_per_year = 2", "advanced_per_year = 1"));
rule!(r193_plan_inconsistent, "R193", 1, |p| p
    .replace("advanced_per_year = 2", "advanced_per_year = 6"));
rule!(r194_no_exchanges, "R194", 0, |p| p
    .replace("exchanges_per_year = 4", "exchanges_per_year = 0"));

#[test]
fn r135_jpeg_cut_in_half() {
    let out = fires("R135", 1, |p| {
        let path = p.path("evidence/营业执照.jpg");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    });
    assert!(out.contains("营业执照.jpg"));
    assert!(out.contains("不完整"), "{out}");
}

#[test]
fn r135_damaged_jpeg_body() {
    fires("R135", 1, |p| {
        let path = p.path("evidence/张伟-身份证.jpg");
        let mut bytes = std::fs::read(&path).unwrap();
        // Overwrite the frame header onwards with garbage, keeping the end marker.
        let n = bytes.len();
        for b in &mut bytes[2..n - 2] {
            *b = 0x5A;
        }
        std::fs::write(&path, &bytes).unwrap();
    });
}

#[test]
fn r135_not_a_scan() {
    let out = fires("R135", 1, |p| {
        std::fs::write(p.path("evidence/营业执照.jpg"), "这不是图片").unwrap();
    });
    assert!(out.contains("不是 JPEG、PNG、TIFF 或 PDF"), "{out}");
}

#[test]
fn r135_more_pixels_than_a_page_has() {
    // A PNG header announcing 40 000 × 40 000 pixels (1.6 GB decoded) over almost no
    // data: refused before anything is allocated, with its size named.
    let out = fires("R135", 1, |p| {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            [
                &(data.len() as u32).to_be_bytes()[..],
                kind,
                data,
                &crc.sum().to_be_bytes(),
            ]
            .concat()
        };
        let mut header = Vec::new();
        header.extend_from_slice(&40_000u32.to_be_bytes());
        header.extend_from_slice(&40_000u32.to_be_bytes());
        header.extend_from_slice(&[8, 0, 0, 0, 0]);
        let png = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(b"IHDR", &header),
            &chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
            &chunk(b"IEND", &[]),
        ]
        .concat();
        std::fs::write(p.path("evidence/营业执照.jpg"), png).unwrap();
    });
    assert!(out.contains("40000 × 40000 像素"), "{out}");
}

#[test]
fn r135_truncated_pdf() {
    fires("R135", 1, |p| {
        let path = p.path("evidence/王建军-专利证书.pdf");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    });
}

#[test]
fn a_whole_png_is_accepted_and_a_truncated_one_is_not() {
    let p = Project::sample();
    let img = image::RgbaImage::from_pixel(300, 200, image::Rgba([200, 180, 160, 128]));
    img.save(p.path("evidence/营业执照.png")).unwrap();
    p.replace("evidence/营业执照.jpg", "evidence/营业执照.png");
    assert_eq!(p.check().code, 0);
    let bytes = std::fs::read(p.path("evidence/营业执照.png")).unwrap();
    std::fs::write(p.path("evidence/营业执照.png"), &bytes[..bytes.len() - 20]).unwrap();
    assert!(p.check().codes().contains(&"R135".to_string()));
}

/// Overwrites 64 bytes in the middle of a JPEG's entropy-coded data with garbage that
/// holds no marker byte (0xFF): a forgiving decoder reads past it and prints noise.
pub fn garble_jpeg_data(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let sos = bytes
        .windows(2)
        .rposition(|w| w == [0xFF, 0xDA])
        .expect("a JPEG has a scan");
    let header = u16::from_be_bytes([bytes[sos + 2], bytes[sos + 3]]) as usize;
    let data = sos + 2 + header;
    let end = bytes.len() - 2;
    let middle = data + (end - data) / 2;
    let mut state = 0x2545_F491u32;
    for b in &mut bytes[middle..middle + 64] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        *b = (state % 255) as u8;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn r138_garbled_jpeg_data_is_a_warning_in_check_and_build() {
    let out = fires("R138", 0, |p| {
        garble_jpeg_data(&p.path("evidence/王建军-身份证.jpg"));
    });
    assert!(out.contains("王建军-身份证.jpg"), "{out}");
    assert!(out.contains("重新扫描"), "{out}");
    let p = Project::sample();
    garble_jpeg_data(&p.path("evidence/王建军-身份证.jpg"));
    let run = crate::util::dashi(p.dir(), &["build", "studio.toml", "-o", "out"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.codes().contains(&"R138".to_string()), "{}", run.stdout);
    // The clean sample has no such warning.
    assert!(
        !Project::sample()
            .check()
            .codes()
            .contains(&"R138".to_string())
    );
}
