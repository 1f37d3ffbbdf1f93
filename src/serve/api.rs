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
use crate::packet::Renderer;

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
        .route("/api/vocab", get(vocab))
        .route("/api/check", post(check))
        .route("/api/save", post(save))
        .route("/api/reload", post(reload))
        .route("/api/init", post(init))
        .route("/api/preview", post(preview))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(guard, gate))
        .with_state(state)
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
    let mut response = match verdict {
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
            response
        }
    };
    secure(response.headers_mut());
    response
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

async fn data(Got(state): Got<State>) -> Response {
    let session = lock(&state);
    Json(data_answer(&session, state.folder.as_ref())).into_response()
}

#[derive(Deserialize)]
struct WithData {
    data: Value,
}

/// One finding as the page shows it at its field.
fn finding_json(f: &Finding, doc: &crate::data::load::Document) -> Value {
    let line = f
        .span
        .clone()
        .or_else(|| doc.span_of(&f.path))
        .map(|s| crate::diag::line_col(&doc.text, s.start).0);
    json!({
        "code": f.code.id(),
        "level": f.severity().label(),
        "article": f.code.article(),
        "what": f.code.what(),
        "message": f.message,
        "hint": f.hint,
        "path": f.path,
        "line": line,
    })
}

async fn check(Got(state): Got<State>, Json(body): Json<WithData>) -> Response {
    let work = move || {
        let (path, text) = {
            let session = lock(&state);
            (session.path.clone(), session.text_for(&body.data))
        };
        let text = match text {
            Ok(text) => text,
            Err(why) => return refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        };
        match crate::packet::check_text(&state.renderer, &path, text) {
            Ok(report) => {
                let findings: Vec<Value> = report
                    .findings
                    .iter()
                    .map(|f| finding_json(f, &report.doc))
                    .collect();
                Json(json!({ "findings": findings })).into_response()
            }
            Err(e) => refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        }
    };
    blocking(work).await.unwrap_or_else(|r| r)
}

async fn save(Got(state): Got<State>, Json(body): Json<WithData>) -> Response {
    let work = move || {
        let mut session = lock(&state);
        match session.save(&body.data) {
            Saved::Done(version) => Json(json!({ "version": version })).into_response(),
            Saved::Changed => refused(
                StatusCode::CONFLICT,
                "数据文件在本页打开后被其他程序改动过，没有保存。请先重新载入（页面上的修改会丢失），或把修改记下后再载入",
            ),
            Saved::Refused(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        }
    };
    blocking(work).await.unwrap_or_else(|r| r)
}

async fn reload(Got(state): Got<State>) -> Response {
    let work = move || {
        let mut session = lock(&state);
        session.reload();
        Json(data_answer(&session, state.folder.as_ref())).into_response()
    };
    blocking(work).await.unwrap_or_else(|r| r)
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
    blocking(work).await.unwrap_or_else(|r| r)
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
        match crate::packet::layout_unsaved(&state.renderer, &path, text, doc) {
            Ok(document) => {
                let pages = super::preview::pages(&document, &ask.known);
                typst::comemo::evict(30);
                Json(json!({ "pages": pages })).into_response()
            }
            Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
        }
    };
    blocking(work).await.unwrap_or_else(|r| r)
}
