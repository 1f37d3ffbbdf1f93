//! `dashi report --samples DIR`: the files a studio or the bureau starts from — the
//! built-in indicator set (考核指标.toml, to be replaced by the bureau's own) and a
//! self-evaluation with every field explained (考核自评.toml) — each beside its JSON
//! Schema, so an editor prompts the fields.

use std::path::{Path, PathBuf};

use crate::record::sample::SampleError;

/// The indicator file's name.
pub const INDICATORS: &str = "考核指标.toml";
/// The self-evaluation's name.
pub const EVALUATION: &str = "考核自评.toml";

/// A self-evaluation that reads cleanly against the built-in indicators.
const SELF_EVALUATION: &str = "#:schema ./evaluation.schema.json
# 考核自评（第十二条）。dashi report 档案文件夹 --from 2027-01 --to 2028-12 --evaluation 考核自评.toml
#
# 由档案记录计算得分的指标（考核指标.toml 中写了 measure 的，如带徒传技、技术创新攻关、技术交流）
# 不必填，填了也以记录为准；其余指标在 [scores] 中按“指标编号 = 分数”自评，分数在 0 与该项权重之间。

# 格式版本（目前为 1）
format_version = 1

# 存在问题：写进报告的“存在问题”一节；空一行另起一段
problems = \"\"\"
部分学徒的技能等级认定尚在进行中，取得证书后补充带徒进展记录。
\"\"\"

# 下一步计划：写进报告的“下一步计划”一节；空一行另起一段
plans = \"\"\"
继续按申报时的计划每年培养青年技术技能骨干，组织技术交流活动，推广已有成果。
\"\"\"

[scores]
# 基础条件：有固定的场所和必要的设备，依托单位落实资金（权重 10）
A1 = 9
# 基础条件：工作室成员稳定，形成团队（权重 5）
A2 = 5
# 日常管理：专门档案完整，重大活动和重大成果及时报告（权重 7）
B2 = 6
";

/// Writes the two files and their schemas into `dir` (made if missing); refuses to
/// overwrite any of them. Returns every file written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, SampleError> {
    let (indicator_schema, evaluation_schema) = (
        super::inputs::indicators_format().text(),
        super::inputs::evaluation_format().text(),
    );
    let files: [(&str, &str); 4] = [
        (INDICATORS, super::inputs::DEFAULT_INDICATORS),
        ("indicators.schema.json", &indicator_schema),
        (EVALUATION, SELF_EVALUATION),
        ("evaluation.schema.json", &evaluation_schema),
    ];
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    if let Some(existing) = paths.iter().find(|p| p.exists()) {
        return Err(SampleError::InFolder(existing.clone()));
    }
    crate::fsio::create_dirs(dir).map_err(|source| SampleError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for (path, (_, text)) in paths.iter().zip(files) {
        crate::fsio::write_atomic(path, text.as_bytes()).map_err(|source| SampleError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(paths)
}
