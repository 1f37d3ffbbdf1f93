//! 第十二条（二）: a change of 领办人. The new master in the data file is checked by
//! every rule of an application (第七条 included); these rules check the change
//! request beside it: the former master has a valid ID (R702) and is another person
//! than the new one (R701: the same ID; namesakes are two people).

use crate::data::change::ChangeRequest;
use crate::data::model::Application;
use crate::finding::{Code, Finding};

/// The rules of a change request, against the application naming the new master.
pub fn check(app: &Application, change: &ChangeRequest, out: &mut Vec<Finding>) {
    let id = |s: &str| s.trim().to_uppercase();
    let former_id = id(&change.former_id_number);
    match super::identity::parse(&former_id) {
        Err(problem) => out.push(
            Finding::new(
                Code::FormerId,
                "former_id_number",
                format!(
                    "原领办人{}的身份证号不对：{}",
                    change.former_master.trim(),
                    super::identity::describe(problem)
                ),
            )
            .hint("照原领办人的身份证抄写 18 位号码（最后一位可以是 X）"),
        ),
        Ok(_) if former_id == id(&app.master.id_number) => out.push(
            Finding::new(
                Code::SameMaster,
                "former_id_number",
                format!(
                    "原领办人的身份证号与数据文件中的领办人{}相同：变更后仍是同一人",
                    app.master.name.trim()
                ),
            )
            .hint("数据文件的 [master] 写新领办人；本文件写离任的原领办人"),
        ),
        Ok(_) => {}
    }
}
