//! Every command-line type of `dashi`. The `///` comments are the help users read.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use dashi::data::dates::{Date, YearMonth};
use dashi::data::record::RecordKind;

/// dashi（大师）：呼和浩特市技能大师工作室申报材料的检查、生成、封存与校验工具。
///
/// 一个数据文件（studio.toml）写一份申报的全部内容；dashi 按《呼和浩特市技能大师工作室建设项目实施细则》逐条检查，生成可直接打印的申报材料。
#[derive(Debug, Parser)]
#[command(name = "dashi", version, override_usage = "dashi [选项] <命令>")]
#[command(
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
#[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "命令")]
#[command(subcommand_value_name = "命令", next_help_heading = "选项")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// 何时使用彩色输出：auto（输出到终端时，默认）、always（总是）、never（从不）
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        global = true,
        value_name = "何时",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub color: ColorChoice,

    /// 所有输出文件使用的固定日期（Unix 时间秒数），通常由环境变量 SOURCE_DATE_EPOCH 给出
    #[arg(
        long,
        env = "SOURCE_DATE_EPOCH",
        global = true,
        hide = true,
        value_name = "秒",
        value_parser = source_epoch
    )]
    pub source_date_epoch: Option<i64>,

    /// 档案正被另一个 dashi 使用时最多等待多久（毫秒；默认 3000）
    #[arg(long, global = true, hide = true, value_name = "毫秒")]
    pub lock_wait: Option<u64>,

    /// 同时工作的线程数（默认为处理器核心数）：批量生成、校验、受理都不超过此数
    #[arg(long, value_name = "数量", global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// 显示帮助
    #[arg(short, long, action = ArgAction::Help, global = true)]
    pub help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version)]
    pub version: Option<bool>,
}

/// Help layout with Chinese headings.
const HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 在指定文件夹中生成一个完整的样例项目（studio.toml 和样例扫描件）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi init [选项] <文件夹>")]
    Init(InitArgs),
    /// 按实施细则检查数据文件和佐证材料，一次列出全部问题
    ///
    /// 退出码：0 没有错误（可以有警告），1 有错误，2 文件无法读取或解析。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi check [选项] <数据文件>")]
    Check(CheckArgs),
    /// 检查后生成全套打印材料：打印说明、承诺书、申报表、申报书、单位推荐报告、佐证材料
    ///
    /// 有错误时不生成任何文件；输出文件夹中原有的文件只在全部生成成功后才被替换。给出多个数据文件或一个文件夹时，每份申报生成到以工作室命名的子文件夹，所有处理器核心同时工作，某一份出错不影响其他各份，最后列出汇总表。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi build [选项] <数据文件或文件夹>... -o <输出文件夹>")]
    Build(BuildArgs),
    /// 把一个文件夹封存为 BagIt 压缩包（zip），每个文件都记下 SHA-256 摘要
    ///
    /// 文件夹本身已是 BagIt 包（解压后的档案、光盘上的文件）时，先校验，完好才原样封装，文件和封存值都不变；没有通过校验的不予封装。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi seal [选项] <文件夹> -o <压缩包.zip>")]
    Seal(SealArgs),
    /// 制作报送光盘的映像（ISO 9660 + Joliet + Rock Ridge）
    ///
    /// 输入可以是封存的压缩包、解压后的包文件夹，或数据文件（先生成申报材料）。光盘中是解压后的电子档案（每个 PDF 可直接打开），另有 index.html 和 校验说明.txt。压缩包和包文件夹先经过校验，没有通过校验的不制作光盘。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi disc [选项] <输入> -o <光盘映像.iso>")]
    Disc(DiscArgs),
    /// 校验 BagIt 包（文件夹、zip 压缩包或光盘映像）或工作室档案（OCFL 对象）：逐个核对每个文件的摘要
    ///
    /// 加 --四性 时对工作室档案或移交包做电子档案四性检测（DA/T 70-2018），逐项列出结果，可写出检测报告 PDF。
    ///
    /// 退出码：0 完好（可以有警告；四性检测全部通过或不适用），1 有文件被篡改、缺失或多余等完整性问题（四性检测有不通过的项目），2 无法读取。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi verify [选项] <包>")]
    Verify(VerifyArgs),
    /// 工作室专门档案（第十一条）：建立档案、查看历史、归档、导出任一版本、修复中断的添加或归档；档案室设置、归档文件目录、移交
    #[command(subcommand, help_template = HELP_TEMPLATE, override_usage = "dashi archive <命令>")]
    #[command(subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Archive(ArchiveCommand),
    /// 档案记录：写一条样例记录，或把记录加入档案（先预归档，按季度归档为新版本）
    #[command(subcommand, help_template = HELP_TEMPLATE, override_usage = "dashi record <命令>")]
    #[command(subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Record(RecordCommand),
    /// 由工作室档案计算考核自评报告（第十二条）或建设项目验收总结（第十条）
    ///
    /// 每项数字注明所依据的记录，报告末页印有所依据的档案版本及其版本清单摘要。先列出检查发现的问题；有错误时不生成报告。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi report [选项] <档案文件夹> --to <年-月>")]
    Report(ReportArgs),
    /// 市人社局受理（第九条）：批量校验、检查和交叉核对申报，生成受理登记表、初审意见表和专家评审表
    ///
    /// 输入可以是封存的压缩包、光盘映像、解压后的包文件夹，或存放它们的文件夹（任意混合）。每份申报先像 dashi verify 一样校验（不解压到输出文件夹以外），再按 dashi check 的全部规则检查其中的数据文件和佐证材料，并在各份申报之间核对重复的身份证号、扫描件、证书编号。某一份损坏不影响其他各份。同一输出文件夹再次受理时，已给出的受理编号不变。
    ///
    /// 公示：dashi intake publish 输出文件夹 --decisions 决定.xlsx --from 2027-04-01
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi intake [选项] <申报>... -o <输出文件夹>\n       dashi intake publish [选项] <输出文件夹> --decisions <决定.xlsx> --from <日期>")]
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_help_heading = "命令",
        subcommand_value_name = "命令"
    )]
    Intake(IntakeArgs),
    /// 变更领办人（第十二条（二））：数据文件中写新领办人，变更申请中写原领办人和原因；按申报的全部规则检查后，生成变更领办人申请表、佐证材料和封存的压缩包
    ///
    /// 先用 --sample 写一份带说明的变更申请，改好后运行 dashi change 数据文件 --request 变更申请.toml -o 输出文件夹。压缩包交市人社局（dashi ledger change）。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi change [选项] <数据文件> --request <变更申请.toml> -o <输出文件夹>\n       dashi change --sample <变更申请.toml>")]
    Change(ChangeArgs),
    /// 市人社局的台账（第十二条等）：认定后的每个工作室，考核、验收、整改、撤销，以及到期事项和名单
    ///
    /// 台账是一个文件夹（OCFL 对象），每次操作加一个版本，记下日期和经办人，从不覆盖；dashi verify 可以校验它。
    #[command(subcommand, help_template = HELP_TEMPLATE, override_usage = "dashi ledger <命令>")]
    #[command(subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Ledger(LedgerCommand),
    /// 在浏览器中填写申报：按数据文件生成表单，边填边检查，保存时保留文件中的注释
    ///
    /// 只在本机（127.0.0.1）提供服务，地址中带有本次运行的随机令牌；断网也能使用。按 Ctrl+C 结束。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi serve [选项] [数据文件或文件夹]")]
    Serve(ServeArgs),
    /// 从 Excel 或 CSV 成员名册导入工作室成员（先预览，确认后写入数据文件）
    ///
    /// 名册第一行是表头：姓名、性别、身份证号、工作室职务、职业（工种）、职业技能等级，按表头对应，列的先后不限；从第二行起每行一位成员。不加 --replace 或 --add 时只显示读到的内容，不改动数据文件。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi roster [选项] <名册>")]
    Roster(RosterArgs),
    /// 输出数据文件（或档案记录）的 JSON Schema（供编辑器提示字段）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi schema [record]")]
    Schema(SchemaArgs),
}

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// 建立工作室档案：第一版就是封存的申报材料（压缩包、包文件夹，或数据文件——先生成再封存）
    ///
    /// 申报材料先经过校验，没有通过校验的不建立档案。档案是 OCFL 1.1 对象，可用 dashi verify 校验。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive init <档案文件夹> --from <申报材料>")]
    Init(ArchiveInitArgs),
    /// 列出档案的每个版本：时间、记录人、加入的记录、文件、版本清单摘要；预归档（尚未归档）的记录列在最后
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive log [选项] <档案文件夹>")]
    Log(ArchiveLogArgs),
    /// 把档案的某个版本导出为封存的 BagIt 压缩包（可交市人社局，或用 dashi disc 刻盘）；导出最新版本前先归档预归档的记录
    ///
    /// 第 1 版导出的就是当初封存的申报材料压缩包，逐字节相同。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive export [选项] <档案文件夹> -o <压缩包.zip>")]
    Export(ArchiveExportArgs),
    /// 归档：把预归档的记录作为一个不可更改的新版本存入档案
    ///
    /// 记录加入时先预归档（已安全存盘、可校验）；出具报告、导出档案之前，以及加入更晚一个季度的记录时，dashi 会自动归档。也可随时用本命令归档，例如年底或移交档案之前。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive commit [选项] <档案文件夹>")]
    Commit(ArchiveCommitArgs),
    /// 档案室设置：全宗号、全宗名称、门类代码、机构代码和各类件的保管期限（DA/T 22-2015）
    ///
    /// 不带选项时列出当前设置。改动作为预归档存入档案，下次归档时生效：全宗号在档案馆给出之前留空，给出后填入每一件（已有全宗号的件改用新的，并在备注中记下更改）；其余改动只影响以后编号的件，已编的件号不变。也可用 --file 读入档案室编辑好的设置文件。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive set [选项] <档案文件夹>")]
    Set(ArchiveSetArgs),
    /// 编制归档文件目录（DA/T 22-2015）：按年度、保管期限各一册，xlsx 和 PDF（含封面）各一份
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive catalogue [选项] <档案文件夹> -o <文件夹>")]
    Catalogue(ArchiveCatalogueArgs),
    /// 完成或回滚一次中断的添加或归档（断电、程序被终止），并说明是哪一种
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi archive repair <档案文件夹>")]
    Repair(ArchivePathArgs),
}

#[derive(Debug, clap::Args)]
pub struct ArchiveSetArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 读入档案室编辑好的设置文件（TOML，格式同 dashi archive set 列出的内容）
    #[arg(long, value_name = "设置文件", help_heading = "选项")]
    pub file: Option<PathBuf>,
    /// 全宗号（4 位数字或大写字母，如 0001、J001）
    #[arg(long = "全宗号", value_name = "全宗号", help_heading = "选项")]
    pub fonds: Option<String>,
    /// 全宗名称（立档单位的全称或规范化简称）
    #[arg(long = "全宗名称", value_name = "名称", help_heading = "选项")]
    pub fonds_name: Option<String>,
    /// 档案门类代码（2 位大写字母，如 WS）
    #[arg(long = "门类代码", value_name = "代码", help_heading = "选项")]
    pub category: Option<String>,
    /// 机构（问题）代码（1 至 4 位大写字母或数字）
    #[arg(long = "机构代码", value_name = "代码", help_heading = "选项")]
    pub unit: Option<String>,
    /// 经办人：以后在档案中加入、撤回、归档的人，记入每个版本的处理过程（不设时记本机登录账户名）
    #[arg(long = "经办人", value_name = "姓名", help_heading = "选项")]
    pub operator: Option<String>,
    /// 某类件的保管期限，如 活动=D10（Y 永久、D30 定期30年、D10 定期10年）；可写多次
    #[arg(long = "保管期限", value_name = "类别=代码", help_heading = "选项")]
    pub retention: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveCatalogueArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 只编某一年度（如 2027；默认每个年度）
    #[arg(long, value_name = "年度", help_heading = "选项")]
    pub year: Option<u32>,
    /// 写入的文件夹
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveCommitArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 新版本的说明（默认列出所归档的记录）
    #[arg(short, long, value_name = "说明", help_heading = "选项")]
    pub message: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// 写一条带说明的样例记录（和它用到的样例附件），改好后即可加入档案
    ///
    /// 类别：带徒、带徒进展、活动、成果、制度、成员、荣誉、经费。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi record new [选项] <类别>")]
    New(RecordNewArgs),
    /// 检查记录及其附件，全部无误后加入档案（预归档）；重大活动、重大成果随即归档并生成报告
    ///
    /// 有错误时档案不作任何改动。与档案中已有文件相同的附件只作引用，不重复存储。预归档的记录在加入更晚一个季度的记录、出具报告、导出档案之前，或运行 dashi archive commit 时归档为新版本。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi record add [选项] <档案文件夹> <记录文件>...")]
    Add(RecordAddArgs),
    /// 撤回预归档（尚未归档）的记录：记录、它的附件和只有它用到的文件一并从档案中去掉
    ///
    /// 只能撤回尚未归档的记录；已归档的记录永久保存，要改正时另写一条更正记录。用 dashi archive log 查看预归档的记录。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi record withdraw [选项] <档案文件夹> <记录编号>...")]
    Withdraw(RecordWithdrawArgs),
}

#[derive(Debug, clap::Args)]
pub struct RecordWithdrawArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 要撤回的记录编号（记录文件中的 id，如 活动-2027-03），可给多个
    #[arg(value_name = "记录编号", help_heading = "参数", required = true)]
    pub ids: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveInitArgs {
    /// 新档案的文件夹（不存在，或是空文件夹）
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 申报材料：dashi build 封存的 .zip、包文件夹，或数据文件（.toml / .json）
    #[arg(long, value_name = "申报材料", help_heading = "选项")]
    pub from: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveLogArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 以 JSON 输出（供程序读取）
    #[arg(long, help_heading = "选项")]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveExportArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 导出哪个版本（数字，如 1；默认最新版本）
    #[arg(
        long,
        value_name = "版本",
        help_heading = "选项",
        conflicts_with = "transfer"
    )]
    pub version: Option<u32>,
    /// 写出向档案室移交的包：整个档案、归档文件目录、四性检测报告和说明（-o 给文件夹，或 .iso 光盘映像）
    #[arg(long = "移交", help_heading = "选项")]
    pub transfer: bool,
    /// 移交光盘的类型：cd、dvd（默认）、dvd-dl、bd
    #[arg(long, value_enum, default_value_t = dashi::disc::Media::Dvd, value_name = "类型", help_heading = "选项", hide_possible_values = true, hide_default_value = true)]
    pub media: dashi::disc::Media,
    /// 压缩包文件名（.zip）；移交时为文件夹或光盘映像（.iso）
    #[arg(short, long, value_name = "压缩包.zip", help_heading = "选项")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ArchivePathArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RecordNewArgs {
    /// 记录类别：带徒、带徒进展、活动、成果、制度、成员、荣誉、经费
    #[arg(value_name = "类别", help_heading = "参数", value_parser = record_kind)]
    pub kind: RecordKind,
    /// 记录文件名（默认“类别.toml”）
    #[arg(short, long, value_name = "记录文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 文件已存在时也覆盖
    #[arg(long, help_heading = "选项")]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct RecordAddArgs {
    /// 档案文件夹
    #[arg(value_name = "档案文件夹", help_heading = "参数")]
    pub archive: PathBuf,
    /// 记录文件（.toml），可给多个；一次加入的记录成为档案的同一个版本
    #[arg(value_name = "记录文件", help_heading = "参数", required = true)]
    pub records: Vec<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定），用于记录中的生僻字
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// 档案文件夹
    #[arg(
        value_name = "档案文件夹",
        help_heading = "参数",
        required_unless_present = "samples"
    )]
    pub archive: Option<PathBuf>,
    /// 起始月份，如 2027-01（验收时默认为申报时的填报月份）
    #[arg(long, value_name = "年-月", help_heading = "选项", value_parser = month)]
    pub from: Option<YearMonth>,
    /// 截止月份，如 2028-12
    #[arg(
        long,
        value_name = "年-月",
        help_heading = "选项",
        required_unless_present = "samples",
        value_parser = month
    )]
    pub to: Option<YearMonth>,
    /// 整改报告对照的指标：限期整改通知书中未达到要求的指标编号，如 C1,E1
    #[arg(
        long,
        value_name = "编号",
        help_heading = "选项",
        value_delimiter = ','
    )]
    pub failed: Vec<String>,
    /// 报告类别：考核（默认，第十二条）、验收（第十条，计划与完成对照）或 整改（第十二条（三），须给出 --from 和 --failed）
    #[arg(
        long,
        value_enum,
        value_name = "类别",
        default_value_t = ReportKind::Evaluation,
        help_heading = "选项",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub kind: ReportKind,
    /// 报告文件名（默认“考核自评报告.pdf”或“验收总结.pdf”）
    #[arg(short, long, value_name = "文件.pdf", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 考核指标文件（TOML，格式同内置指标；默认用内置指标）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub indicators: Option<PathBuf>,
    /// 工作室的自评文件（TOML：自评分、存在问题、下一步计划）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub evaluation: Option<PathBuf>,
    /// 只检查并列出问题，不生成报告
    #[arg(long, help_heading = "选项")]
    pub check: bool,
    /// 以 JSON 输出报告中的全部数字（供程序读取）
    #[arg(long, help_heading = "选项")]
    pub json: bool,
    /// 生成后把报告（及其 JSON）作为一个新版本加入档案
    #[arg(long, help_heading = "选项")]
    pub record: bool,
    /// 只在此文件夹写出内置考核指标（考核指标.toml）和带说明的自评文件样例（考核自评.toml），
    /// 改好后用 --indicators、--evaluation 指定
    #[arg(
        long,
        value_name = "文件夹",
        help_heading = "选项",
        conflicts_with_all = ["archive", "check", "json", "record"]
    )]
    pub samples: Option<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct IntakeArgs {
    #[command(subcommand)]
    pub command: Option<IntakeCommand>,
    /// 申报：压缩包（.zip）、光盘映像（.iso）、包文件夹，或存放它们的文件夹
    #[arg(value_name = "申报", help_heading = "参数")]
    pub inputs: Vec<PathBuf>,
    /// 输出文件夹：受理登记表.xlsx、初审/、专家评审表/、intake.json
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 收件日期，如 2027-03-15（默认今天；此前已受理的保持原日期）
    #[arg(long, value_name = "日期", help_heading = "选项", value_parser = date)]
    pub received: Option<Date>,
    /// 从纸质承诺书录入的电子材料摘要（CSV：每行“受理编号或工作室名称,摘要”）
    #[arg(long, value_name = "文件.csv", help_heading = "选项")]
    pub digests: Option<PathBuf>,
    /// 登记表和意见表中显示完整的身份证号（默认只显示前 6 位和后 4 位）
    #[arg(long, help_heading = "选项")]
    pub full_id: bool,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// 按会议决定生成拟认定名单公示（PDF 和 xlsx），公示期不少于 5 个工作日（第九条（四））
    ///
    /// 决定文件（xlsx 或 CSV）第一行为表头，含“受理编号”（或“工作室名称”）和“决定”两栏；决定写“拟认定”或“不予认定”。公示期从起始日期算起，跳过周六、周日和法定节假日，调休上班日计入。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi intake publish [选项] <输出文件夹> --decisions <决定.xlsx> --from <日期>")]
    Publish(PublishArgs),
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// dashi intake 的输出文件夹
    #[arg(value_name = "输出文件夹", help_heading = "参数")]
    pub dir: PathBuf,
    /// 会议决定（xlsx 或 CSV）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub decisions: PathBuf,
    /// 公示起始日期，如 2027-04-01
    #[arg(long, value_name = "日期", help_heading = "选项", value_parser = date)]
    pub from: Date,
    /// 节假日安排（TOML：放假日期和调休上班日；默认用内置的 2026 年安排）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub holidays: Option<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 数据文件（studio.toml）或存放它的文件夹（默认当前文件夹）
    #[arg(
        value_name = "数据文件或文件夹",
        default_value = ".",
        help_heading = "参数"
    )]
    pub target: PathBuf,
    /// 端口（默认由系统选择一个空闲端口）
    #[arg(long, value_name = "端口", default_value_t = 0, help_heading = "选项")]
    pub port: u16,
    /// 不自动打开浏览器（只显示地址）
    #[arg(long, help_heading = "选项")]
    pub no_open: bool,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
    /// 一个连接在多少秒内须送完请求（默认 30；供测试缩短）
    #[arg(long, value_name = "秒", default_value_t = 30, hide = true)]
    pub request_timeout: u64,
}

#[derive(Debug, clap::Args)]
pub struct RosterArgs {
    /// 成员名册：Excel（.xlsx）或 CSV 文件
    #[arg(value_name = "名册", help_heading = "参数")]
    pub roster: PathBuf,
    /// 数据文件（studio.toml）或存放它的文件夹（默认当前文件夹）
    #[arg(
        long,
        value_name = "数据文件",
        default_value = ".",
        help_heading = "选项"
    )]
    pub data: PathBuf,
    /// 用名册中的成员替换数据文件中现有的成员
    #[arg(long, conflicts_with = "add", help_heading = "选项")]
    pub replace: bool,
    /// 把名册中的成员添加到现有成员之后
    #[arg(long, help_heading = "选项")]
    pub add: bool,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// 不写时输出数据文件（studio.toml）的格式；record：档案记录；indicators：考核指标；evaluation：考核自评
    #[arg(value_name = "record", help_heading = "参数")]
    pub which: Option<SchemaWhich>,
}

/// Which format `dashi schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaWhich {
    /// 档案记录
    Record,
    /// 考核指标
    Indicators,
    /// 考核自评
    Evaluation,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// 要写入样例的文件夹（不存在时自动创建）
    #[arg(value_name = "文件夹", help_heading = "参数")]
    pub dir: PathBuf,
    /// 文件夹中已有 studio.toml 时也覆盖
    #[arg(long, help_heading = "选项")]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 数据文件（.toml，或 .json）
    #[arg(value_name = "数据文件", help_heading = "参数")]
    pub file: PathBuf,
    /// 另外加载此文件夹中的字体（可多次指定），与 dashi build 相同：检查生僻字时也用这些字体
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// 数据文件（.toml，或 .json），可给多个；或含多个数据文件的文件夹
    #[arg(
        value_name = "数据文件或文件夹",
        help_heading = "参数",
        required = true
    )]
    pub inputs: Vec<PathBuf>,
    /// 输出文件夹（不存在时自动创建）
    #[arg(short, long, value_name = "输出文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 用此文件夹中的同名模板代替内置模板（高级用法）
    #[arg(long, value_name = "文件夹", help_heading = "选项")]
    pub templates: Option<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定），如装有仿宋_GB2312 的文件夹
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
    /// 同时制作报送光盘映像（输出文件夹中的“工作室名称.iso”）
    #[arg(long, help_heading = "选项")]
    pub disc: bool,
    /// 光盘类型：cd、dvd（默认）、dvd-dl、bd
    #[arg(long, value_enum, default_value_t = dashi::disc::Media::Dvd, value_name = "类型", help_heading = "选项", hide_possible_values = true, hide_default_value = true)]
    pub media: dashi::disc::Media,
}

#[derive(Debug, clap::Args)]
pub struct SealArgs {
    /// 要封存的文件夹
    #[arg(value_name = "文件夹", help_heading = "参数")]
    pub dir: PathBuf,
    /// 压缩包文件名（以 .zip 结尾；包内顶层文件夹与之同名）
    #[arg(short, long, value_name = "压缩包.zip", help_heading = "选项")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// BagIt 包：解压后的文件夹（或放入光驱的光盘）、zip 压缩包、.iso 光盘映像；或工作室档案文件夹
    #[arg(value_name = "包", help_heading = "参数")]
    pub path: PathBuf,
    /// 承诺书上印的电子材料摘要（或封存值），或档案报告上印的版本清单摘要，须与之一致；可以照纸面带空格分组输入，整个摘要用引号括起来
    #[arg(long, value_name = "摘要", help_heading = "选项")]
    pub expect: Option<String>,
    /// 以 JSON 输出校验报告（供程序读取）
    #[arg(long, help_heading = "选项")]
    pub json: bool,
    /// 电子档案四性检测（DA/T 70-2018）：真实性、完整性、可用性、安全性逐项检测，可写出检测报告
    #[arg(long = "四性", help_heading = "选项")]
    pub four: bool,
    /// 检测环节：归档、移交（移交与接收）、保存（长期保存）；默认档案为归档，移交包为移交
    #[arg(long = "环节", value_name = "环节", value_parser = stage, help_heading = "选项", requires = "four")]
    pub stage: Option<dashi::room::four::Stage>,
    /// 检测报告 PDF 的文件名（随四性检测使用）
    #[arg(
        short,
        long,
        value_name = "检测报告.pdf",
        help_heading = "选项",
        requires = "four"
    )]
    pub output: Option<PathBuf>,
}

fn stage(text: &str) -> Result<dashi::room::four::Stage, String> {
    dashi::room::four::Stage::from_words(text).ok_or_else(|| "可选：归档、移交、保存".to_string())
}

#[derive(Debug, clap::Args)]
pub struct DiscArgs {
    /// 封存的 .zip、包文件夹，或数据文件（.toml / .json）
    #[arg(value_name = "输入", help_heading = "参数")]
    pub input: PathBuf,
    /// 光盘映像文件名（.iso）
    #[arg(short, long, value_name = "光盘映像.iso", help_heading = "选项")]
    pub output: PathBuf,
    /// 光盘类型：cd、dvd（默认）、dvd-dl、bd；放不下时报错，超过 95% 时提醒
    #[arg(long, value_enum, default_value_t = dashi::disc::Media::Dvd, value_name = "类型", help_heading = "选项", hide_possible_values = true, hide_default_value = true)]
    pub media: dashi::disc::Media,
}

#[derive(Debug, clap::Args)]
pub struct ChangeArgs {
    /// 数据文件（studio.toml），其中 [master] 已改写为新领办人
    #[arg(
        value_name = "数据文件",
        help_heading = "参数",
        required_unless_present = "sample"
    )]
    pub data: Option<PathBuf>,
    /// 变更申请（TOML：原领办人、身份证号、变更原因、离任日期、情况说明）
    #[arg(
        long,
        value_name = "变更申请.toml",
        help_heading = "选项",
        required_unless_present = "sample"
    )]
    pub request: Option<PathBuf>,
    /// 输出文件夹
    #[arg(
        short,
        long,
        value_name = "文件夹",
        help_heading = "选项",
        required_unless_present = "sample"
    )]
    pub output: Option<PathBuf>,
    /// 写一份带说明的变更申请样例到此文件，不做其他事
    #[arg(long, value_name = "变更申请.toml", help_heading = "选项")]
    pub sample: Option<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// 建立台账（第一版记下设置：机关名称、建设期、合格分、整改期限）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger init [选项] <台账文件夹> --经办人 <姓名>")]
    Init(LedgerInitArgs),
    /// 录入认定的工作室：公示后按会议决定从受理文件夹录入，或从认定名单（xlsx 或 CSV）录入此前认定的
    ///
    /// 名单第一行为表头：编号、工作室名称、领办人、依托单位、认定日期（可另有统一社会信用代码、职业（工种）、级别）。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger enter [选项] <台账文件夹> --intake <受理文件夹> --decisions <决定.xlsx> --date <认定日期> --经办人 <姓名>\n       dashi ledger enter [选项] <台账文件夹> --list <认定名单.xlsx> --经办人 <姓名>")]
    Enter(LedgerEnterArgs),
    /// 列出某一天的到期事项：考核（每 2 年）、验收、整改期限、待撤销、领办人变更待核准、资金待核算（屏幕显示，并可写出 xlsx 和 PDF）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger status [选项] <台账文件夹>")]
    Status(LedgerStatusArgs),
    /// 一轮考核、验收或整改复核：校验各工作室报送的档案导出包，由其中的记录重新计算报告并逐项核对，写出汇总表和专家评分表
    ///
    /// 每个工作室的报送放在一个文件夹中：dashi report --json 写出的报告 JSON、报告 PDF，以及报告所依据版本的档案导出包（dashi archive export --version）。某一份有问题不影响其他各份。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger round [选项] <台账文件夹> <报送文件夹>... --kind <类别> -o <输出文件夹> --经办人 <姓名>")]
    Round(LedgerRoundArgs),
    /// 按专家填好的评分表录入本轮结果（合格／不合格）；不合格的写出限期整改通知书（第十二条（三））
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger results [选项] <台账文件夹> <评分表>... --kind <类别> -o <输出文件夹> --经办人 <姓名>")]
    Results(LedgerResultsArgs),
    /// 撤销一个工作室（第十二条（一）至（四）），写出撤销决定（国家级、自治区级为情况反馈）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger revoke [选项] <台账文件夹> --studio <编号> --case <情形> -o <输出文件夹> --经办人 <姓名>")]
    Revoke(LedgerRevokeArgs),
    /// 领办人变更（第十二条（二））：收取工作室的变更领办人申请（dashi change 写出的压缩包），像受理一样校验和检查，与台账中其他工作室交叉核对新领办人；给出决定时写出核准意见
    ///
    /// 不加 --decision 时只记为“待核准”，列在到期事项中；有错误时不能核准。
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger change [选项] <台账文件夹> <变更申请.zip> --studio <编号> [--decision <核准|不予核准>] -o <输出文件夹> --经办人 <姓名>")]
    Change(LedgerChangeArgs),
    /// 记录拨付给工作室的资金（第四章、第十六条）：金额、日期、凭证号；验收时对照工作室档案中的经费记录核算
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger funds [选项] <台账文件夹> --studio <编号> --amount <万元> --voucher <凭证号> --经办人 <姓名>")]
    Funds(LedgerFundsArgs),
    /// 写出第六条的自治区级推荐名单、第十四条的验收合格工作室领办人名单和第十六条的资金拨付与核算表（xlsx 和 PDF）
    #[command(help_template = HELP_TEMPLATE, override_usage = "dashi ledger lists [选项] <台账文件夹> -o <输出文件夹>")]
    Lists(LedgerListsArgs),
}

/// What every command that changes the ledger takes.
#[derive(Debug, clap::Args)]
pub struct LedgerWrite {
    /// 台账文件夹
    #[arg(value_name = "台账文件夹", help_heading = "参数")]
    pub ledger: PathBuf,
    /// 经办人姓名，记入这次操作
    #[arg(long = "经办人", value_name = "姓名", help_heading = "选项")]
    pub by: String,
    /// 这次操作的日期（默认今天）
    #[arg(long, value_name = "日期", help_heading = "选项", value_parser = date)]
    pub date: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerInitArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// 机关名称（默认“呼和浩特市人力资源和社会保障局”）
    #[arg(long = "机关", value_name = "名称", help_heading = "选项")]
    pub bureau: Option<String>,
    /// 建设期（年，默认 2）：自认定至验收
    #[arg(long = "建设期", value_name = "年", help_heading = "选项", value_parser = clap::value_parser!(u32).range(1..=10))]
    pub build_years: Option<u32>,
    /// 合格分（默认 60）
    #[arg(long = "合格分", value_name = "分", help_heading = "选项")]
    pub pass_mark: Option<f64>,
    /// 不合格后的整改期限（天，默认 90）
    #[arg(long = "整改期限", value_name = "天", help_heading = "选项", value_parser = clap::value_parser!(u32).range(1..=730))]
    pub rectify_days: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerEnterArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// dashi intake 的输出文件夹
    #[arg(
        long,
        value_name = "文件夹",
        help_heading = "选项",
        requires = "decisions",
        conflicts_with = "list"
    )]
    pub intake: Option<PathBuf>,
    /// 会议决定（xlsx 或 CSV，与公示时相同）
    #[arg(long, value_name = "文件", help_heading = "选项", requires = "intake")]
    pub decisions: Option<PathBuf>,
    /// 此前认定的工作室名单（xlsx 或 CSV）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub list: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerStatusArgs {
    /// 台账文件夹
    #[arg(value_name = "台账文件夹", help_heading = "参数")]
    pub ledger: PathBuf,
    /// 哪一天（默认今天）
    #[arg(long, value_name = "日期", help_heading = "选项", value_parser = date)]
    pub date: Option<Date>,
    /// 另外写出“到期事项.xlsx”和“到期事项.pdf”到此文件夹
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: Option<PathBuf>,
}

/// Which round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoundKindArg {
    /// 考核（第十二条）
    #[value(name = "考核")]
    Evaluation,
    /// 验收（第十条）
    #[value(name = "验收")]
    Acceptance,
    /// 整改后复核（第十二条（三））
    #[value(name = "整改复核")]
    Review,
}

#[derive(Debug, clap::Args)]
pub struct LedgerRoundArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// 各工作室的报送文件夹，或存放它们的文件夹
    #[arg(value_name = "报送文件夹", help_heading = "参数", required = true)]
    pub inputs: Vec<PathBuf>,
    /// 类别：考核、验收、整改复核
    #[arg(
        long,
        value_enum,
        value_name = "类别",
        help_heading = "选项",
        hide_possible_values = true
    )]
    pub kind: RoundKindArg,
    /// 本轮名称（默认如“2029年考核”）
    #[arg(long, value_name = "名称", help_heading = "选项")]
    pub name: Option<String>,
    /// 输出文件夹：汇总表和专家评分表
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 考核指标文件（默认用内置指标）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub indicators: Option<PathBuf>,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerResultsArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// 填好的专家评分表（xlsx），或存放它们的文件夹
    #[arg(value_name = "评分表", help_heading = "参数", required = true)]
    pub sheets: Vec<PathBuf>,
    /// 类别：考核、验收、整改复核
    #[arg(
        long,
        value_enum,
        value_name = "类别",
        help_heading = "选项",
        hide_possible_values = true
    )]
    pub kind: RoundKindArg,
    /// 本轮名称（默认如“2029年考核”）
    #[arg(long, value_name = "名称", help_heading = "选项")]
    pub name: Option<String>,
    /// 输出文件夹：限期整改通知书
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerRevokeArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// 工作室编号（受理编号）
    #[arg(long, value_name = "编号", help_heading = "选项")]
    pub studio: String,
    /// 第十二条的情形：一、二、三或四
    #[arg(long, value_name = "情形", help_heading = "选项", value_parser = case)]
    pub case: dashi::ledger::entry::Case,
    /// 作出决定的会议（默认“局长办公会”）
    #[arg(
        long,
        value_name = "会议",
        help_heading = "选项",
        default_value = "局长办公会"
    )]
    pub body: String,
    /// 事由（写入决定）
    #[arg(long, value_name = "文字", help_heading = "选项", default_value = "")]
    pub reason: String,
    /// 输出文件夹：撤销决定或情况反馈
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerChangeArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// dashi change 写出的压缩包
    #[arg(value_name = "变更申请.zip", help_heading = "参数")]
    pub request: PathBuf,
    /// 工作室编号（受理编号）
    #[arg(long, value_name = "编号", help_heading = "选项")]
    pub studio: String,
    /// 决定：核准 或 不予核准（不写则只收取，待核准）
    #[arg(long, value_name = "决定", help_heading = "选项", value_parser = decision)]
    pub decision: Option<bool>,
    /// 输出文件夹：核准意见
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

/// 核准 or 不予核准.
fn decision(text: &str) -> Result<bool, String> {
    match text.trim() {
        "核准" | "同意" => Ok(true),
        "不予核准" | "不同意" => Ok(false),
        other => Err(format!("“{other}”不是决定；写“核准”或“不予核准”")),
    }
}

#[derive(Debug, clap::Args)]
pub struct LedgerFundsArgs {
    #[command(flatten)]
    pub write: LedgerWrite,
    /// 工作室编号（受理编号）
    #[arg(long, value_name = "编号", help_heading = "选项")]
    pub studio: String,
    /// 金额（万元），如 5
    #[arg(long, value_name = "万元", help_heading = "选项", value_parser = amount)]
    pub amount: f64,
    /// 拨付凭证号
    #[arg(long, value_name = "凭证号", help_heading = "选项")]
    pub voucher: String,
}

/// An amount in 万元: positive, at most 1000.
fn amount(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|a| *a > 0.0 && *a <= 1000.0)
        .ok_or_else(|| format!("“{text}”不是金额；以万元为单位写正数，如 5 或 2.5"))
}

#[derive(Debug, clap::Args)]
pub struct LedgerListsArgs {
    /// 台账文件夹
    #[arg(value_name = "台账文件夹", help_heading = "参数")]
    pub ledger: PathBuf,
    /// 截至哪一天（默认今天）
    #[arg(long, value_name = "日期", help_heading = "选项", value_parser = date)]
    pub date: Option<Date>,
    /// 输出文件夹
    #[arg(short, long, value_name = "文件夹", help_heading = "选项")]
    pub output: PathBuf,
    /// 另外加载此文件夹中的字体（可多次指定）
    #[arg(long = "font-path", value_name = "文件夹", help_heading = "选项")]
    pub font_paths: Vec<PathBuf>,
}

/// A case of 第十二条.
fn case(text: &str) -> Result<dashi::ledger::entry::Case, String> {
    dashi::ledger::entry::Case::parse(text)
        .ok_or_else(|| format!("“{text}”不是第十二条的情形；写一、二、三或四"))
}

/// Which report `dashi report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// 考核自评报告（第十二条）
    #[value(name = "考核")]
    Evaluation,
    /// 验收总结（第十条）
    #[value(name = "验收")]
    Acceptance,
    /// 整改报告（第十二条（三））：自限期整改通知书起，对照其中未达到要求的指标
    #[value(name = "整改")]
    Rectification,
}

/// A record kind by its Chinese label.
fn record_kind(text: &str) -> Result<RecordKind, String> {
    RecordKind::from_label(text.trim()).ok_or_else(|| {
        format!(
            "没有“{text}”这个记录类别；类别为：带徒、带徒进展、活动、成果、制度、成员、荣誉、经费"
        )
    })
}

/// A month written 年-月.
fn month(text: &str) -> Result<YearMonth, String> {
    YearMonth::parse(text.trim())
        .ok_or_else(|| format!("“{text}”不是年月；按“年-月”写，如 2027-01"))
}

/// A fixed time of outputs in Unix seconds, whose day in China time lies in 1900–9999.
fn source_epoch(text: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|seconds| Date::china_day(*seconds).is_some())
        .ok_or_else(|| {
            format!(
                "“{text}”不是可用的时间；SOURCE_DATE_EPOCH 须是 1900 年至 9999 年之间某一时刻的 Unix 秒数，如 1767225600"
            )
        })
}

/// A day written 年-月-日.
fn date(text: &str) -> Result<Date, String> {
    Date::parse(text.trim())
        .ok_or_else(|| format!("“{text}”不是日期；按“年-月-日”写，如 2027-03-15"))
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// 在终端中使用彩色
    Auto,
    /// 总是使用彩色
    Always,
    /// 不使用彩色
    Never,
}

/// Prints help and version as clap renders them, and usage errors in Chinese: clap's
/// own error text is English. Exit 0 for help and version, 2 for a usage error.
/// An unknown option that is really a file named with a leading dash (`-rf.zip`) is
/// told how to give it.
pub fn report_usage_error(e: clap::Error) -> std::process::ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return std::process::ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return std::process::ExitCode::from(2);
        }
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", context(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => {
            format!("不认识的参数“{}”", context(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少参数：{}", context(ContextKind::InvalidArg))
        }
        ErrorKind::ValueValidation => match std::error::Error::source(&e) {
            Some(why) => format!("参数 {} 有误：{why}", context(ContextKind::InvalidArg)),
            None => format!("参数 {} 的值无效", context(ContextKind::InvalidArg)),
        },
        ErrorKind::InvalidValue => format!(
            "参数 {} 的值“{}”无效，可选：{}",
            context(ContextKind::InvalidArg),
            context(ContextKind::InvalidValue),
            context(ContextKind::ValidValue)
        ),
        _ => "命令行参数有误".to_string(),
    };
    if e.kind() == ErrorKind::UnknownArgument
        && let Some(name) = dash_file()
    {
        let hint = format!(
            "“{name}”是一个文件：以 - 开头的文件名要写成 ./{name}，或写在 -- 之后（例如 dashi intake -- {name}）"
        );
        dashi::output::error(&message, Some(&hint));
        return std::process::ExitCode::from(2);
    }
    dashi::output::error(&message, Some("运行 dashi --help 查看用法"));
    std::process::ExitCode::from(2)
}

/// The first argument that starts with a dash and names an existing file or folder,
/// or looks like a file name (`-rf.zip`), shown as typed.
fn dash_file() -> Option<String> {
    std::env::args_os().skip(1).find_map(|arg| {
        let text = arg.to_string_lossy();
        let looks_like_file = text.starts_with('-')
            && !text.starts_with("--")
            && text.len() > 2
            && (std::path::Path::new(&arg).exists() || text.contains('.'));
        looks_like_file.then(|| dashi::portable::shown(&text))
    })
}
