//! The routes of the form: the page and its assets (embedded), the schema, the data,
//! findings of the unsaved data, save and reload. Every request passes the guard first;
//! work that reads files or runs the rules runs off the network threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State as Got};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::guard::{self, Asked, Guard, Verdict};
use super::session::{Saved, Session};
use crate::finding::Finding;
use crate::typeset::Renderer;

/// The largest request body (the data as JSON is far smaller).
const MAX_BODY: usize = 8 * 1024 * 1024;

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

#[derive(Clone)]
pub struct State {
    pub session: Arc<Mutex<Session>>,
    pub renderer: Arc<Renderer>,
    pub guard: Arc<Guard>,
    /// The folder given, when a folder was (offers the sample if it has no data file).
    pub folder: Option<PathBuf>,
    /// The files of the last build, the only ones offered for download.
    pub built: Arc<Mutex<Vec<PathBuf>>>,
    /// How long a request's body may take to arrive.
    pub request_timeout: std::time::Duration,
}

pub fn router(state: State) -> Router {
    let guard = state.guard.clone();
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { page(STYLE, "text/css; charset=utf-8") }),
        )
        .route("/api/schema", get(schema))
        .route("/api/data", get(data))
        .route("/api/ping", get(|| async { Json(json!({ "ok": true })) }))
        .route("/api/vocab", get(vocab))
        .route("/api/check", post(check))
        .route("/api/save", post(save))
        .route("/api/reload", post(reload))
        .route("/api/init", post(init))
        .route("/api/preview", post(preview))
        .route("/api/thumb", get(thumb))
        .route("/api/build", post(build))
        .route("/api/roster", post(roster))
        .route(
            "/api/verify",
            post(verify_picked).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/files/{name}", get(download))
        .route(
            "/api/evidence",
            axum::routing::put(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(
            state.request_timeout,
            whole_body,
        ))
        .layer(middleware::from_fn_with_state(guard, gate))
        .with_state(state)
}

/// The request's body, read whole within the time allowed (a body that trickles is
/// refused and its connection closed), and within the largest scan's size.
async fn whole_body(
    Got(timeout): Got<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    // A zip or disc image to verify may be gigabytes: it streams to disk (and only the
    // page, past the guard, can send one).
    if parts.uri.path() == "/api/verify" {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let limit = super::files::MAX_SCAN + 1024 * 1024;
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "上传的文件太大（每个扫描件不超过 {} MB）或没有传完，没有处理",
                super::files::MAX_SCAN / (1024 * 1024)
            ),
        ),
        Err(_) => refused(
            StatusCode::REQUEST_TIMEOUT,
            "请求的内容在限定时间内没有送完，连接已关闭",
        ),
    }
}

fn page(body: &'static str, kind: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The guard, and the headers every answer carries.
async fn gate(Got(guard): Got<Arc<Guard>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let verdict = guard.judge(&Asked {
        writes,
        host: text(header::HOST),
        origin: text(header::ORIGIN),
        cookie: text(header::COOKIE),
        query: request.uri().query(),
    });
    let wants_page = !writes && text(header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    let mut response = match verdict {
        Verdict::Refuse(why) if wants_page => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            refusal_page(why),
        )
            .into_response(),
        Verdict::Refuse(why) => {
            (StatusCode::FORBIDDEN, Json(json!({ "message": why }))).into_response()
        }
        Verdict::Allow => next.run(request).await,
        Verdict::AllowAndRemember => {
            let cookie = guard.cookie();
            let mut response = next.run(request).await;
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            if let Some(Ok(value)) = guard.where_cookie().map(|c| HeaderValue::from_str(&c)) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
    };
    secure(response.headers_mut());
    response
}

/// What a browser shows for a refused page: what happened and what to do, in Chinese.
fn refusal_page(why: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>dashi：无法打开</title></head>\
         <body style=\"font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6\">\
         <h1>无法打开这个页面</h1><p>{why}。</p>\
         <p>请回到运行 <code>dashi serve</code> 的窗口，复制它显示的地址（带 token=…）在浏览器中打开。\
         如果那个窗口已经关闭，请重新运行 <code>dashi serve</code>：每次运行的地址都不同，旧地址不再可用。</p>\
         <p>同时运行几个 dashi serve 时，各用各的地址，互不影响。</p></body></html>"
    )
}

fn secure(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", guard::CSP);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "cache-control", "no-store");
    set(headers, "x-frame-options", "DENY");
}

fn refused(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "message": message.into() }))).into_response()
}

/// Runs a handler's blocking work off the network threads.
async fn off_thread(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    blocking(work).await.unwrap_or_else(|r| r)
}

/// Runs work that writes the user's files (saves, scans, the sample) on the one thread
/// that writes them, in the order asked: writes never interleave, and each one's system
/// calls come from the same thread (what strace counts when a test kills a save).
async fn on_writer(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    type Job = Box<dyn FnOnce() + Send>;
    static WRITER: std::sync::OnceLock<std::sync::mpsc::Sender<Job>> = std::sync::OnceLock::new();
    let writer = WRITER.get_or_init(|| {
        let (sender, jobs) = std::sync::mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for job in jobs {
                // A job that panics drops its answer (the request gets 500); the thread
                // goes on with the next.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
        });
        sender
    });
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(work());
    });
    if writer.send(job).is_err() {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "处理请求时出错");
    }
    answered
        .await
        .unwrap_or_else(|_| refused(StatusCode::INTERNAL_SERVER_ERROR, "处理请求时出错"))
}

/// Runs blocking work off the network threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| refused(StatusCode::INTERNAL_SERVER_ERROR, "处理请求时出错"))
}

async fn schema() -> Response {
    let text = crate::data::schema::schema_text();
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The lists the rules accept, for the selects of 民族, 政治面貌 and 技能等级.
async fn vocab() -> Response {
    use crate::check::vocab::{ETHNICITIES, POLITICAL_STATUSES, SKILL_LEVELS};
    Json(json!({
        "ethnicity": ETHNICITIES.to_vec(),
        "political_status": POLITICAL_STATUSES.iter().map(|names| names[0]).collect::<Vec<_>>(),
        "skill_level": SKILL_LEVELS.iter().map(|names| names[0]).collect::<Vec<_>>(),
    }))
    .into_response()
}

fn lock(state: &State) -> std::sync::MutexGuard<'_, Session> {
    state.session.lock().unwrap_or_else(|e| e.into_inner())
}

fn data_answer(session: &Session, folder: Option<&PathBuf>) -> Value {
    json!({
        "path": session.path.display().to_string(),
        "data": session.json(),
        "order": session.doc.as_ref().map(super::edit::key_order),
        "version": session.version,
        "problem": session.problem,
        "can_init": session.doc.is_none() && folder.is_some() && !session.path.exists(),
    })
}

/// The data as the file on disk holds it now (a reload of the page reads the disk).
async fn data(Got(state): Got<State>) -> Response {
    let work = move || {
        let mut session = lock(&state);
        session.reload();
        Json(data_answer(&session, state.folder.as_ref())).into_response()
    };
    off_thread(work).await
}

#[derive(Deserialize)]
struct CheckAsk {
    data: Value,
    /// Also say which 可另附页 cells continue (when the preview is not of the 申报表,
    /// whose preview says it).
    #[serde(default)]
    continued: bool,
}

/// One finding as the page shows it at its field.
fn finding_json(f: &Finding, doc: &crate::data::load::Document) -> Value {
    let line = f
        .span
        .clone()
        .or_else(|| doc.span_of(&f.path))
        .map(|s| crate::finding::line_col(&doc.text, s.start).0);
    json!({
        "code": f.code.id(),
        "level": f.severity().label(),
        "article": f.code.article(),
        "what": f.code.what(),
        "message": super::words::in_form(&f.message),
        "hint": f.hint.as_deref().map(super::words::in_form),
        "path": f.path,
        "line": line,
    })
}

async fn check(Got(state): Got<State>, Json(body): Json<CheckAsk>) -> Response {
    let work = move || {
        let (path, text) = {
            let session = lock(&state);
            (session.path.clone(), session.text_for(&body.data))
        };
        let text = match text {
            Ok(text) => text,
            Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        };
        let continued = if body.continued && super::preview::too_long(&text).is_none() {
            crate::packet::layout_unsaved(
                &state.renderer,
                &path,
                text.clone(),
                crate::render::Doc::APPLICATION_FORM,
            )
            .map_or_else(|_| Vec::new(), |d| super::preview::continued(&d))
        } else {
            Vec::new()
        };
        let today = state.renderer.today();
        match crate::check::check_text(&path, text, state.renderer.as_ref(), today) {
            Ok(report) => {
                let findings: Vec<Value> = report
                    .findings
                    .iter()
                    .map(|f| finding_json(f, &report.doc))
                    .collect();
                // Each evidence entry's number in the catalogue (目录) of the volume.
                let catalogue: Vec<usize> = report.app.as_ref().map_or_else(Vec::new, |app| {
                    let mut numbers = vec![0; app.evidence.len()];
                    for (n, i) in crate::data::catalogue::order(app).into_iter().enumerate() {
                        numbers[i] = n + 1;
                    }
                    numbers
                });
                Json(
                    json!({ "findings": findings, "catalogue": catalogue, "continued": continued }),
                )
                .into_response()
            }
            Err(e) => refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        }
    };
    off_thread(work).await
}

#[derive(Deserialize)]
struct SaveAsk {
    data: Value,
    /// The revision (digest of the file) the page's data was edited from.
    version: String,
}

async fn save(Got(state): Got<State>, Json(body): Json<SaveAsk>) -> Response {
    let work = move || {
        let mut session = lock(&state);
        match session.save(&body.data, &body.version) {
            Saved::Done(version) => Json(json!({ "version": version })).into_response(),
            Saved::Stale => {
                let mut answer = data_answer(&session, state.folder.as_ref());
                answer["message"] = json!(
                    "数据文件在本页载入后已被改动（另一个窗口保存过，或被其他程序修改），这次没有保存。可以重新载入，或把本页改过的项合并到新的文件中再保存"
                );
                (StatusCode::CONFLICT, Json(answer)).into_response()
            }
            Saved::Refused(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
            Saved::Invalid(doc, findings) => {
                let findings: Vec<Value> = findings.iter().map(|f| finding_json(f, &doc)).collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({
                        "message": "这些数据不能构成完整的数据文件，没有保存，原文件未改动",
                        "findings": findings,
                    })),
                )
                    .into_response()
            }
        }
    };
    on_writer(work).await
}

async fn reload(Got(state): Got<State>) -> Response {
    let work = move || {
        let mut session = lock(&state);
        session.reload();
        Json(data_answer(&session, state.folder.as_ref())).into_response()
    };
    off_thread(work).await
}

/// A folder without a data file: starts from the sample, as `dashi init` does.
async fn init(Got(state): Got<State>) -> Response {
    let work = move || {
        let Some(folder) = state.folder.clone() else {
            return refused(StatusCode::CONFLICT, "只有给出文件夹时才能从样例开始");
        };
        if let Err(e) = crate::init::init(&folder, false) {
            return refused(StatusCode::CONFLICT, e.to_string());
        }
        let mut session = lock(&state);
        session.reload();
        Json(data_answer(&session, state.folder.as_ref())).into_response()
    };
    on_writer(work).await
}

#[derive(Deserialize)]
struct PreviewAsk {
    data: Value,
    doc: String,
    #[serde(default)]
    known: Vec<String>,
}

/// The pages of one document of the unsaved data.
async fn preview(Got(state): Got<State>, Json(ask): Json<PreviewAsk>) -> Response {
    let work = move || {
        let Some(&(_, doc)) = super::preview::DOCS
            .iter()
            .find(|(name, _)| *name == ask.doc)
        else {
            return refused(
                StatusCode::BAD_REQUEST,
                format!("没有“{}”这份文书", ask.doc),
            );
        };
        let (path, text) = {
            let session = lock(&state);
            (session.path.clone(), session.text_for(&ask.data))
        };
        let text = match text {
            Ok(text) => text,
            Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        };
        if let Some(why) = super::preview::too_long(&text) {
            return refused(StatusCode::UNPROCESSABLE_ENTITY, why);
        }
        match crate::packet::layout_unsaved(&state.renderer, &path, text, doc) {
            Ok(document) if document.pages().len() > super::preview::MAX_PAGES => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "这份文书有 {} 页，超过实时预览的 {} 页，不再实时预览；保存后按“生成申报材料”得到完整的 PDF",
                    document.pages().len(),
                    super::preview::MAX_PAGES
                ),
            ),
            Ok(document) => {
                let pages = super::preview::pages(&document, &ask.known);
                let continued = (doc == crate::render::Doc::APPLICATION_FORM)
                    .then(|| super::preview::continued(&document));
                // Typst's memo of earlier layouts makes the next one fast; the last few
                // are enough, so memory stays flat over a long session of edits.
                typst::comemo::evict(4);
                Json(json!({ "pages": pages, "continued": continued })).into_response()
            }
            Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        }
    };
    off_thread(work).await
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct VerifyAsk {
    name: String,
    #[serde(default)]
    expect: String,
}

/// A zip or disc image the clerk picked, verified (with the digest from the 承诺书 when
/// typed); streamed to a temporary file, never held whole in memory.
async fn verify_picked(
    axum::extract::Query(ask): axum::extract::Query<VerifyAsk>,
    body: axum::body::Body,
) -> Response {
    use http_body_util::BodyExt;
    let expect = match ask.expect.trim() {
        "" => None,
        typed => match crate::verify::expected_digest(typed) {
            Ok(digest) => Some(digest),
            Err(why) => {
                return refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("{why}（照承诺书上印的电子材料摘要输入，可以带空格分组）"),
                );
            }
        },
    };
    let mut picked = match super::picked::Picked::new(&ask.name) {
        Ok(p) => p,
        Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, why),
    };
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return refused(StatusCode::BAD_REQUEST, "文件没有传完整，请再试一次");
        };
        if let Some(bytes) = frame.data_ref()
            && let Err(why) = picked.write(bytes)
        {
            return refused(StatusCode::INSUFFICIENT_STORAGE, why);
        }
    }
    let work = move || {
        let (intact, text) = picked.verify(&ask.name, expect.as_deref());
        Json(json!({ "intact": intact, "text": text })).into_response()
    };
    off_thread(work).await
}

/// A member roster (Excel or CSV) read for the page, which shows it before it replaces or
/// adds members; nothing is written here.
async fn roster(
    axum::extract::Query(named): axum::extract::Query<Named>,
    body: axum::body::Bytes,
) -> Response {
    let work = move || match crate::roster::read(&named.name, &body) {
        Ok(roster) => Json(json!(roster)).into_response(),
        Err(e) => {
            use crate::failure::Failure;
            let hint = e.hint().map(|h| format!("（{h}）")).unwrap_or_default();
            refused(StatusCode::UNPROCESSABLE_ENTITY, format!("{e}{hint}"))
        }
    };
    off_thread(work).await
}

/// A scan dropped on an evidence entry: size-limited, checked, stored under a safe name.
async fn upload(
    Got(state): Got<State>,
    axum::extract::Query(named): axum::extract::Query<Named>,
    body: axum::body::Body,
) -> Response {
    let limit = super::files::MAX_SCAN;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "文件太大：扫描件不能超过 {} MB，请用较低的分辨率（300 dpi 即可）重新扫描",
                limit >> 20
            ),
        );
    };
    let work = move || {
        let base = lock(&state).base_dir();
        match super::files::store_scan(&base, &named.name, &bytes) {
            Ok(file) => Json(json!({ "file": file })).into_response(),
            Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        }
    };
    on_writer(work).await
}

#[derive(Deserialize)]
struct FileAsk {
    file: String,
}

/// A small picture of a scan the data file names (only files under `evidence/`).
async fn thumb(
    Got(state): Got<State>,
    axum::extract::Query(ask): axum::extract::Query<FileAsk>,
) -> Response {
    let work = move || {
        let ok = ask.file.starts_with("evidence/")
            && !ask
                .file
                .split(['/', '\\'])
                .any(|p| p == ".." || p.is_empty());
        if !ok {
            return refused(StatusCode::FORBIDDEN, "只能查看 evidence 文件夹中的扫描件");
        }
        let base = lock(&state).base_dir();
        // One thumbnail decoded at a time: eight large scans at once stay within memory.
        static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        match crate::media::thumbnail(&base.join(&ask.file)) {
            Some(t) => ([(header::CONTENT_TYPE, "image/jpeg")], t.jpeg).into_response(),
            None => StatusCode::NO_CONTENT.into_response(),
        }
    };
    off_thread(work).await
}

#[derive(Deserialize, Default)]
struct BuildAsk {
    /// Also the submission disc's image (`dashi build --disc`).
    #[serde(default)]
    disc: bool,
}

/// `dashi build` (and, if asked, the disc) of the saved file into `输出/` beside it.
async fn build(Got(state): Got<State>, body: Option<Json<BuildAsk>>) -> Response {
    let ask = body.map(|Json(a)| a).unwrap_or_default();
    let work = move || {
        let path = {
            let session = lock(&state);
            if !session.unchanged_on_disk() {
                return refused(
                    StatusCode::CONFLICT,
                    "数据文件在本页打开后被其他程序改动过，请先重新载入",
                );
            }
            session.path.clone()
        };
        let out = path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("输出");
        match crate::packet::build_with(&state.renderer, &path, &out) {
            Ok(mut built) => {
                if ask.disc {
                    match crate::packet::disc_input::disc_for(&built, crate::disc::Media::Dvd) {
                        Ok((iso, _)) => built.files.push(iso),
                        Err(e) => {
                            return refused(
                                StatusCode::UNPROCESSABLE_ENTITY,
                                format!("申报材料已生成，光盘映像没有生成：{e}"),
                            );
                        }
                    }
                }
                let names: Vec<String> = built
                    .files
                    .iter()
                    .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().to_string()))
                    .collect();
                *state.built.lock().unwrap_or_else(|e| e.into_inner()) = built.files.clone();
                Json(json!({
                    "folder": out.display().to_string(),
                    "files": names,
                    "digest": built.digest.to_string(),
                    "digest_groups": built.digest.groups(),
                    "seal": built.seal.to_string(),
                }))
                .into_response()
            }
            Err(e) => {
                // The earlier packet, if any, is out of date now (and so marked).
                state
                    .built
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                let earlier = crate::packet::outdated::earlier(&out);
                let mut said = format!("没有生成：{}。", e.said());
                if !earlier.is_empty() {
                    said.push_str(&format!(
                        "“输出”文件夹中此前生成的 {} 个文件已过期，与现在的数据不一致，请不要提交它们",
                        earlier.len()
                    ));
                    if out.join(crate::packet::outdated::NOTE).is_file() {
                        said.push_str(&format!("（见其中的“{}”）", crate::packet::outdated::NOTE));
                    }
                    said.push('。');
                }
                refused(StatusCode::UNPROCESSABLE_ENTITY, said)
            }
        }
    };
    off_thread(work).await
}

/// A file of the last build.
async fn download(
    Got(state): Got<State>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    let file = {
        let built = state.built.lock().unwrap_or_else(|e| e.into_inner());
        super::files::built(&built, &name)
    };
    let Some(file) = file else {
        return refused(StatusCode::NOT_FOUND, "没有这个文件：请先生成");
    };
    let work = move || std::fs::read(&file);
    match blocking(work).await {
        Ok(Ok(bytes)) => {
            let kind = if name.ends_with(".pdf") {
                "application/pdf"
            } else if name.ends_with(".iso") {
                "application/x-iso9660-image"
            } else {
                "application/zip"
            };
            let disposition = format!(
                "attachment; filename*=UTF-8''{}",
                name.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    })
                    .collect::<String>()
            );
            let mut response = ([(header::CONTENT_TYPE, kind)], bytes).into_response();
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Ok(Err(e)) => refused(StatusCode::NOT_FOUND, crate::fsio::why(&e)),
        Err(r) => r,
    }
}
