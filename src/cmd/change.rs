//! `dashi change`: the 变更领办人申请 (第十二条（二）).

use dashi::failure::{Exit, Plain};
use dashi::say;

use super::{Context, Outcome};
use crate::cli::ChangeArgs;

pub fn run(args: &ChangeArgs, context: &Context) -> Outcome {
    if let Some(sample) = &args.sample {
        dashi::data::change::write_sample(sample, context.today()).map_err(|e| {
            Plain::new(format!(
                "无法写入 {}：{}",
                sample.display(),
                dashi::fsio::why(&e)
            ))
            .hint("换一个可以写入的位置")
        })?;
        say!(
            "已写入：{}\n改好后运行：dashi change 数据文件 --request {} -o 输出文件夹\n",
            sample.display(),
            sample.display()
        );
        return Ok(Exit::Success);
    }
    let (Some(data), Some(request), Some(output)) = (&args.data, &args.request, &args.output)
    else {
        return Err(Box::new(
            Plain::new("没有给出数据文件、变更申请和输出文件夹")
                .hint("如：dashi change studio.toml --request 变更申请.toml -o 变更"),
        ));
    };
    let renderer = context.renderer(&args.font_paths, None)?;
    let changed = dashi::packet::change::build(&renderer, data, request, output)?;
    for (doc, warnings) in &changed.warnings {
        say!(
            "{}",
            dashi::output::findings::render(doc, warnings, context.color)
        );
    }
    say!(
        "{}：领办人由{}变更为{}。已生成 {} 个文件：\n",
        changed.studio,
        changed.former_master,
        changed.new_master,
        changed.files.len()
    );
    for file in &changed.files {
        say!("  {}\n", file.display());
    }
    say!(
        "封存值（tagmanifest-sha256.txt 的 SHA-256）：{}\n压缩包交市人力资源和社会保障局核准；申请表打印后由依托单位盖章。\n",
        changed.seal
    );
    Ok(Exit::Success)
}
