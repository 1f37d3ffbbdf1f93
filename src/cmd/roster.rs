//! `dashi roster`: members from an Excel or CSV roster. Without `--replace` or `--add`
//! it only shows what it read; with one of them it writes the members into the data
//! file, keeping every comment and everything else as it was.

use dashi::failure::{Exit, Plain};
use dashi::say;

use super::Outcome;
use crate::cli::RosterArgs;

pub fn run(args: &RosterArgs) -> Outcome {
    let shown = args.roster.display().to_string();
    let bytes = std::fs::read(&args.roster).map_err(|e| {
        Plain::new(format!("无法读取名册 {shown}：{}", dashi::fsio::why(&e)))
            .hint("核对名册文件的路径")
    })?;
    let name = args
        .roster
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let roster = dashi::roster::read(&name, &bytes)?;
    say!("名册 {shown} 中有 {} 位成员：\n", roster.members.len());
    for m in &roster.members {
        let cell = |k: &str| m[k].as_str().unwrap_or("").to_string();
        let sex = m["sex"].as_str().unwrap_or("（未填）");
        say!(
            "  {}  {sex}  {}  {}  {}  {}\n",
            cell("name"),
            cell("id_number"),
            cell("role"),
            cell("occupation"),
            cell("skill_level")
        );
    }
    for problem in &roster.problems {
        say!("  注意：{problem}\n");
    }
    if !roster.ignored.is_empty() {
        say!("  没有用到的列：{}\n", roster.ignored.join("、"));
    }
    if !args.replace && !args.add {
        say!(
            "\n以上只是预览，数据文件没有改动。确认无误后加上 --replace（替换现有成员）或 --add（添加到现有成员之后）再运行一次。\n"
        );
        return Ok(Exit::Success);
    }
    let path = dashi::serve::data_file(&args.data);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Plain::new(format!(
            "无法读取数据文件 {}：{}",
            path.display(),
            dashi::fsio::why(&e)
        ))
        .hint("用 --data 给出数据文件（studio.toml）或存放它的文件夹")
    })?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Plain::new(format!(
            "数据文件 {} 的格式有误：{}",
            path.display(),
            e.message()
        ))
        .hint("先用 dashi check 找到并改正这一处")
    })?;
    let mut data = dashi::serve::edit::to_json(&doc);
    let members = data
        .as_object_mut()
        .map(|o| o.entry("members").or_insert_with(|| serde_json::json!([])));
    let Some(serde_json::Value::Array(list)) = members else {
        return Err(Plain::new(format!(
            "数据文件 {} 中的成员一节不是成员列表",
            path.display()
        ))
        .into());
    };
    let before = list.len();
    if args.replace {
        list.clear();
    }
    list.extend(roster.members.iter().cloned());
    dashi::serve::edit::apply(&mut doc, &data).map_err(|e| Plain::new(e.0))?;
    dashi::fsio::write_atomic(&path, doc.to_string().as_bytes()).map_err(|e| {
        Plain::new(format!(
            "无法写入 {}：{}",
            path.display(),
            dashi::fsio::why(&e)
        ))
    })?;
    if args.replace {
        say!(
            "\n已用名册中的 {} 位成员替换原有的 {before} 位，写入 {}。请运行 dashi check 核对。\n",
            roster.members.len(),
            path.display()
        );
    } else {
        say!(
            "\n已把名册中的 {} 位成员添加到原有的 {before} 位之后，写入 {}。请运行 dashi check 核对。\n",
            roster.members.len(),
            path.display()
        );
    }
    Ok(Exit::Success)
}
