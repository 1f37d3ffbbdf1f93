//! `dashi report`: the evaluation (考核) or acceptance (验收) report from the archive,
//! or the sample input files.

use dashi::failure::{Exit, Plain};
use dashi::finding::Blocked;
use dashi::report::Kind;
use dashi::say;

use super::{Context, Outcome};
use crate::cli::{ReportArgs, ReportKind};

pub fn run(args: &ReportArgs, context: &Context) -> Outcome {
    if let Some(dir) = &args.samples {
        return samples(dir);
    }
    let (Some(archive), Some(to)) = (&args.archive, args.to) else {
        return Err(Box::new(
            Plain::new("没有给出档案文件夹和截止月份")
                .hint("如：dashi report 档案文件夹 --from 2027-01 --to 2028-12"),
        ));
    };
    let kind = match args.kind {
        ReportKind::Evaluation => Kind::Evaluation,
        ReportKind::Acceptance => Kind::Acceptance,
        ReportKind::Rectification => Kind::Rectification,
    };
    if kind == Kind::Rectification && (args.from.is_none() || args.failed.is_empty()) {
        return Err(Box::new(
            Plain::new("整改报告须给出整改期的起始月份和未达到要求的指标").hint(
                "加上 --from 2029-01（收到限期整改通知书的月份）和 --failed C1,E1（通知书中列出的指标编号）",
            ),
        ));
    }
    if kind == Kind::Evaluation && args.from.is_none() {
        return Err(Box::new(
            Plain::new("考核报告须给出起始月份").hint("加上 --from 2027-01（考核期的第一个月）"),
        ));
    }
    let renderer = context.renderer(&args.font_paths, None)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| dashi::report::render::doc(kind).file_name().into());
    let options = dashi::report::command::Options {
        archive: archive.clone(),
        kind,
        from: args.from,
        to,
        focus: args.failed.clone(),
        output,
        indicators: args.indicators.clone(),
        evaluation: args.evaluation.clone(),
        check_only: args.check,
        record: args.record,
        today: context.today(),
        now: context.now(),
        renderer: &renderer,
        lock_wait: context.lock_wait,
    };
    let done = dashi::report::command::run(&options)?;
    let findings = dashi::output::findings::render_all(
        &dashi::finding::by_file(&done.findings),
        context.color,
        Blocked::Report,
    );
    if args.json {
        if !findings.is_empty() {
            eprint!("{findings}");
        }
        say!(
            "{}\n",
            serde_json::to_string_pretty(&done.evaluation).expect("a report serializes")
        );
        return Ok(Exit::Success);
    }
    if !findings.is_empty() {
        say!("{findings}\n");
    }
    let e = &done.evaluation;
    say!(
        "{}（{}），依据档案版本 {}：新带徒 {} 名，其中高级工以上 {} 人；制度 {} 项；成果 {} 项，经济效益 {}；活动 {} 次；照片 {} 张\n",
        e.title,
        e.period_text,
        e.version,
        e.trained_total,
        e.advanced_total,
        e.rules.len(),
        e.innovations.len(),
        e.benefit_total,
        e.activities.len(),
        e.photos.len()
    );
    if let Some(c) = &done.filed {
        say!(
            "报告前先归档：预归档的记录存为版本 {}，报告按这一版本计算\n",
            c.version
        );
    }
    if let Some(path) = &done.written {
        say!("已生成：{}\n", path.display());
    }
    if done.written.is_some() {
        say!(
            "所依据版本 {} 的版本清单摘要（SHA-512，已印在报告末页）：{}\n",
            e.version,
            e.digest
        );
    }
    if let Some(r) = &done.recorded {
        say!(
            "报告已加入档案（预归档，{} 的修订 {}），下次归档时存入版本 {}\n",
            r.version,
            r.revision,
            r.version
        );
    }
    Ok(Exit::Success)
}

/// `--samples DIR`: the built-in indicators and a commented self-evaluation.
fn samples(dir: &std::path::Path) -> Outcome {
    let written = dashi::report::samples::write(dir)?;
    say!("已写入（{} 个文件）：\n", written.len());
    for file in &written {
        say!("  {}\n", file.display());
    }
    say!(
        "自评文件改好后运行：dashi report 档案文件夹 --from 起始年月 --to 截止年月 --evaluation {}\n\
         考核指标：市人社局有自己的指标时按同样格式改写，用 --indicators {} 指定\n",
        dir.join(dashi::report::samples::EVALUATION).display(),
        dir.join(dashi::report::samples::INDICATORS).display()
    );
    Ok(Exit::Success)
}
