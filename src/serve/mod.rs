//! `dashi serve`: the application as a form in the browser, on this machine only. The
//! page is built from the data file's schema, every edit is checked by the same rules as
//! `dashi check`, and saving writes the data file back with its comments and untouched
//! formatting kept. The data file on disk stays the source of truth.

mod address;
mod api;
pub mod edit;
pub mod files;
pub mod guard;
mod picked;
pub mod preview;
mod session;
pub mod words;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::typeset::Renderer;

pub use session::Session;

/// What `dashi serve` is asked to do.
pub struct Options {
    /// The data file (or the folder holding it).
    pub target: PathBuf,
    pub port: u16,
    pub open: bool,
    pub renderer: Renderer,
    /// How long a connection may take to send a whole request (headers and body); one
    /// that sends nothing, or trickles, is closed then.
    pub request_timeout: std::time::Duration,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Data(String),
    #[error("无法在本机端口 {port} 上启动：{}", crate::fsio::why(source))]
    Bind { port: u16, source: std::io::Error },
    #[error("无法启动网页服务：{0}")]
    Runtime(std::io::Error),
}

impl crate::failure::Failure for ServeError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            ServeError::Data(_) => "给出数据文件（studio.toml），或存放它的文件夹".into(),
            ServeError::Bind { .. } => "用 --port 换一个端口，或不给 --port 由系统选择".into(),
            ServeError::Runtime(_) => return None,
        })
    }
}

/// The data file `target` names: the file itself, or `studio.toml` in a folder.
pub fn data_file(target: &std::path::Path) -> PathBuf {
    if target.is_dir() {
        target.join(crate::init::DATA_FILE)
    } else {
        target.to_path_buf()
    }
}

/// How `dashi serve` started, for the words it says.
pub enum Started<'a> {
    /// Serving at this address (the one it had before, or a first one).
    Serving(&'a str),
    /// The address it had (port `old`) is held by another program: serving at `url`.
    Moved { url: &'a str, old: u16 },
    /// A dashi serve of the same file is still serving here: nothing more was started.
    AlreadyServing(&'a str),
}

/// Runs the server until the process is stopped; `started` hears the address.
pub fn run(options: Options, started: impl FnOnce(Started<'_>)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Layouts and checks run on a few blocking threads; each thread that ever ran
        // one keeps its allocator arena, so they are few.
        .max_blocking_threads(4)
        .enable_io()
        .enable_time()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let path = data_file(&options.target);
        // Run again for the same file, dashi serve takes the address it had, so an open
        // page reconnects and keeps its edits (the browser keeps them per address). If
        // that run is still serving, it is the one to use; if another program holds the
        // address, a new one is taken and said.
        let earlier = (options.port == 0)
            .then(|| address::recalled(&path))
            .flatten();
        if let Some(a) = &earlier
            && address::answering(a)
        {
            let guard = guard::Guard {
                token: a.token.clone(),
                port: a.port,
                moved_from: None,
            };
            started(Started::AlreadyServing(&guard.url()));
            if options.open {
                open_browser(&guard.url());
            }
            return Ok(());
        }
        let bound = match &earlier {
            Some(a) => tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], a.port)))
                .await
                .ok(),
            None => None,
        };
        let moved_from = earlier.as_ref().filter(|_| bound.is_none()).map(|a| a.port);
        let (listener, earlier) = match bound {
            Some(listener) => (listener, earlier),
            None => {
                let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|source| ServeError::Bind {
                        port: options.port,
                        source,
                    })?;
                (listener, None)
            }
        };
        let port = listener.local_addr().map_err(ServeError::Runtime)?.port();
        let guard = match earlier {
            Some(a) => guard::Guard {
                token: a.token,
                port,
                moved_from: None,
            },
            None => guard::Guard {
                moved_from,
                ..guard::Guard::new(port).map_err(ServeError::Runtime)?
            },
        };
        address::remember(&path, &guard);
        let session = Session::open(&path);
        let state = api::State {
            session: Arc::new(Mutex::new(session)),
            renderer: Arc::new(options.renderer),
            guard: Arc::new(guard.clone()),
            folder: options.target.is_dir().then(|| options.target.clone()),
            built: Arc::new(Mutex::new(Vec::new())),
            request_timeout: options.request_timeout,
        };
        let url = guard.url();
        started(match moved_from {
            Some(old) => Started::Moved { url: &url, old },
            None => Started::Serving(&url),
        });
        if options.open {
            open_browser(&url);
        }
        accept(listener, api::router(state), options.request_timeout).await
    })
}

/// Serves every connection: one request each (a browser on this machine opens another
/// at no cost), whose headers must arrive within `timeout` — a connection that sends
/// nothing or trickles its headers is closed then (the body's own limit is in `api`).
async fn accept(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    timeout: std::time::Duration,
) -> Result<(), ServeError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a moment, keep serving.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .keep_alive(false);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Opens the default browser at `url` (never fails the server).
fn open_browser(url: &str) {
    let mut command = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    let _ = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
