//! A request to change the 领办人 during the build period (第十二条（二）): the unit
//! writes the new master into its data file (his qualifications and evidence, checked
//! by the same 第七条 rules as an application) and says in this small file who left,
//! when and why. `dashi change` seals both into the 变更领办人申请; the bureau's ledger
//! receives it (`dashi ledger change`).

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::data::dates::Date;
use crate::data::schema::Format;

/// The change request's path inside the sealed bag: outside `data/源数据/` and
/// `data/佐证材料/`, which the evidence digest covers.
pub const BAG_PATH: &str = "data/变更申请/变更申请.toml";

/// A change of 领办人.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "变更领办人申请",
    description = "建设期内因调离、退休等原因变更技能大师工作室领办人（第十二条（二））；新领办人写在数据文件的 [master] 中"
)]
pub struct ChangeRequest {
    #[serde(rename = "$schema", default)]
    #[schemars(title = "数据格式说明文件")]
    pub schema: Option<String>,
    #[schemars(title = "格式版本", description = "目前为 1")]
    pub format_version: u32,
    #[schemars(
        title = "认定时的编号",
        description = "受理编号或认定文号，如 2026-003"
    )]
    pub studio_number: String,
    #[schemars(title = "原领办人姓名")]
    pub former_master: String,
    #[schemars(title = "原领办人身份证号")]
    pub former_id_number: String,
    #[schemars(title = "变更原因", description = "调离、退休或其他")]
    pub reason: ChangeReason,
    #[schemars(title = "原领办人离任日期", description = "格式 2028-05-31")]
    pub left_on: Date,
    #[schemars(
        title = "情况说明",
        description = "变更的经过、新领办人接任的安排，以及建设项目如何继续实施"
    )]
    pub explanation: String,
}

/// Why the master changes (第十二条（二）: 调离、退休等).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ChangeReason {
    #[serde(rename = "调离")]
    Transfer,
    #[serde(rename = "退休")]
    Retirement,
    #[serde(rename = "其他")]
    Other,
}

impl ChangeReason {
    pub fn label(self) -> &'static str {
        match self {
            ChangeReason::Transfer => "调离",
            ChangeReason::Retirement => "退休",
            ChangeReason::Other => "其他",
        }
    }
}

/// The change request's format (its schema and field names, for diagnostics).
pub fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(Format::of::<ChangeRequest>)
}

/// A change request to fill in, each field explained, dated `today`.
pub fn write_sample(path: &std::path::Path, today: Date) -> std::io::Result<()> {
    let text = format!(
        r#"# 变更领办人申请（第十二条（二））
# 建设期内因调离、退休等原因变更领办人时：数据文件（studio.toml）的 [master] 改写为新领办人，
# 连同他的证书等佐证材料（evidence）；本文件写原领办人和变更的原因。
# 改好后运行：dashi change studio.toml --request 本文件 -o 变更
format_version = 1
studio_number = "2026-001"                  # 认定时的受理编号或文号
former_master = "原领办人姓名"
former_id_number = "150105197805120311"     # 原领办人身份证号（18 位，最后一位可以是 X）
reason = "退休"                             # 调离、退休或其他
left_on = "{today}"                   # 原领办人离任日期
explanation = """
原领办人于某年某月退休。经单位研究，由新领办人接任，建设项目按原计划继续实施。
"""
"#
    );
    crate::fsio::write_atomic(path, text.as_bytes())
}
