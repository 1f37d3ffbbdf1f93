//! `dashi serve` over real HTTP: the guard (token, Host, Origin), uploads, saves that
//! keep the file's comments and never leave it half-written, and (tests/serve_browser.py)
//! the form in a real headless Chromium driven through WebDriver.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::util::Project;

/// A running `dashi serve` on a sample project; stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub token: String,
    /// What it printed up to its address.
    pub said: String,
}

impl Server {
    pub fn start(dir: &Path) -> Server {
        Server::start_with(dir, Command::new(env!("CARGO_BIN_EXE_dashi")))
    }

    /// A server whose requests must arrive within `seconds`.
    pub fn start_with_timeout(dir: &Path, seconds: u32) -> Server {
        let command = Command::new(env!("CARGO_BIN_EXE_dashi"));
        Server::start_with_args(dir, command, &["--request-timeout", &seconds.to_string()])
    }

    /// The most memory the server has used so far (VmHWM), in MiB.
    pub fn peak_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap()
            / 1024
    }

    /// The server under strace, killed at the `n`-th call of any of `syscalls`.
    pub fn start_killed_at(dir: &Path, syscalls: &str, n: u32) -> Server {
        let mut strace = Command::new("strace");
        strace
            .args(["-f", "-qq", "-o", "/dev/null", "-e"])
            .arg(format!("trace={syscalls}"))
            .arg("-e")
            .arg(format!("inject={syscalls}:signal=KILL:when={n}"))
            .arg(env!("CARGO_BIN_EXE_dashi"));
        Server::start_with(dir, strace)
    }

    fn start_with(dir: &Path, command: Command) -> Server {
        Server::start_with_args(dir, command, &[])
    }

    fn start_with_args(dir: &Path, mut command: Command, extra: &[&str]) -> Server {
        let mut child = command
            .args(["serve", ".", "--no-open"])
            .args(extra)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dashi serve starts");
        let mut out = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        let (url, said) = loop {
            assert_eq!(
                out.read(&mut byte).unwrap(),
                1,
                "dashi serve printed no address"
            );
            seen.push(byte[0]);
            let text = String::from_utf8_lossy(&seen).to_string();
            if let Some(line) = text.lines().find(|l| l.starts_with("http://"))
                && text.ends_with('\n')
            {
                break (line.to_string(), text.clone());
            }
        };
        let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
        let (port, token) = rest.split_once("/?token=").unwrap();
        Server {
            child,
            port: port.parse().unwrap(),
            token: token.to_string(),
            said,
        }
    }

    /// One HTTP/1.1 request; returns the status and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        http(self.port, method, path, headers, body)
    }

    /// A request the page would make: with the cookie and, for writes, its Origin.
    pub fn page(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        from_page(self.port, &self.token, method, path, body)
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to the server on `port`; status 0 when it cannot be reached.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return (0, String::new());
    }
    // A server that refuses early may close before the whole body is sent.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A request as the page makes it: with the cookie and, for writes, its Origin.
pub fn from_page(port: u16, token: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let cookie = format!("dashi_token_{port}={token}");
    let origin = format!("http://127.0.0.1:{port}");
    let mut headers = vec![
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/json"),
    ];
    if method != "GET" {
        headers.push(("Origin", origin.as_str()));
    }
    http(port, method, path, &headers, body)
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn data_of(server: &Server) -> serde_json::Value {
    loaded(server).0
}

/// The data as the page loads it, and its revision.
fn loaded(server: &Server) -> (serde_json::Value, String) {
    let (status, body) = server.page("GET", "/api/data", b"");
    assert_eq!(status, 200, "{body}");
    let answer = serde_json::from_str::<serde_json::Value>(&body).unwrap();
    (
        answer["data"].clone(),
        answer["version"].as_str().unwrap().to_string(),
    )
}

/// Saves `data` edited from revision `version`; the status and the answer.
fn save(server: &Server, data: &serde_json::Value, version: &str) -> (u16, serde_json::Value) {
    let body = serde_json::json!({ "data": data, "version": version }).to_string();
    let (status, answer) = server.page("POST", "/api/save", body.as_bytes());
    (status, serde_json::from_str(&answer).unwrap_or_default())
}

#[test]
fn the_guard_refuses_what_does_not_come_from_the_page() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let token_path = format!("/?token={}", server.token);
    // The address dashi printed lets the browser in and sets the cookie.
    let (status, _) = server.request("GET", &token_path, &[], b"");
    assert_eq!(status, 200);
    // No token: 403.
    let (status, body) = server.request("GET", "/api/data", &[], b"");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("令牌"), "{body}");
    // A wrong token: 403.
    let (status, _) = server.request("GET", "/?token=0000", &[], b"");
    assert_eq!(status, 403);
    // Another host name (DNS rebinding): 403 even with the token.
    let (status, body) = server.request("GET", &token_path, &[("Host", "evil.example")], b"");
    assert_eq!(status, 403, "{body}");
    // A write from another origin: 403, and the file is untouched.
    let before = p.data();
    let (data, version) = loaded(&server);
    let data = serde_json::json!({ "data": data, "version": version }).to_string();
    let cookie = format!("dashi_token_{}={}", server.port, server.token);
    let (status, _) = server.request(
        "POST",
        "/api/save",
        &[
            ("Cookie", &cookie),
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        data.as_bytes(),
    );
    assert_eq!(status, 403);
    // A write without any Origin: 403.
    let (status, _) = server.request(
        "POST",
        "/api/save",
        &[("Cookie", &cookie), ("Content-Type", "application/json")],
        data.as_bytes(),
    );
    assert_eq!(status, 403);
    assert_eq!(p.data(), before);
    // Every answer forbids loading anything from elsewhere.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET {token_path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut head = String::new();
    stream.read_to_string(&mut head).unwrap();
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-security-policy: default-src 'none'"),
        "{head}"
    );
    assert!(
        head.contains("httponly") && head.contains("samesite=strict"),
        "{head}"
    );
}

#[test]
fn uploads_land_in_evidence_under_a_safe_name_and_big_ones_are_refused() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let jpeg = std::fs::read(p.path("evidence/营业执照.jpg")).unwrap();
    let (status, body) = server.page("PUT", "/api/evidence?name=..%2F..%2Fx.jpg", &jpeg);
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["file"], "evidence/x.jpg");
    assert_eq!(std::fs::read(p.path("evidence/x.jpg")).unwrap(), jpeg);
    assert!(!p.dir().parent().unwrap().join("x.jpg").exists());
    assert!(!p.dir().join("x.jpg").exists());
    // Not a scan: refused, nothing kept.
    let (status, body) = server.page("PUT", "/api/evidence?name=a.jpg", b"MZ not a picture");
    assert_eq!(status, 422, "{body}");
    assert!(!p.path("evidence/a.jpg").exists());
    // Too big: refused with a message.
    let big = vec![0xFFu8; 41 * 1024 * 1024];
    let (status, body) = server.page("PUT", "/api/evidence?name=big.jpg", &big);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("文件太大"), "{body}");
    assert!(!p.path("evidence/big.jpg").exists());
    // Larger than any request dashi reads: refused, and the limit is stated.
    let huge = vec![0xFFu8; 50 * 1024 * 1024];
    let (status, body) = server.page("PUT", "/api/evidence?name=huge.jpg", &huge);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("不超过 40 MB"), "{body}");
}

#[test]
fn a_save_changes_only_the_changed_lines_and_notices_a_file_changed_on_disk() {
    let p = Project::sample();
    let original = p.data();
    let server = Server::start(p.dir());
    let (mut data, version) = loaded(&server);
    data["unit"]["name"] = "呼和浩特市新城机械厂".into();
    let (status, body) = save(&server, &data, &version);
    assert_eq!(status, 200, "{body}");
    let version = body["version"].as_str().unwrap().to_string();
    let saved = p.data();
    // The file as it was before is kept beside it, one generation.
    assert_eq!(
        std::fs::read_to_string(p.path("studio.toml.bak")).unwrap(),
        original
    );
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(original.lines().count(), saved.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("呼和浩特市新城机械厂"));
    // Findings of unsaved data come from the rules: a wrong check digit is R141.
    data["master"]["id_number"] = "150105197805120310".into();
    let (status, body) = server.page(
        "POST",
        "/api/check",
        serde_json::json!({ "data": data }).to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("\"R141\"") && body.contains("master.id_number"),
        "{body}"
    );
    // Another program changes the file: the page's save is refused, nothing overwritten.
    std::fs::write(p.path("studio.toml"), format!("{saved}\n# 别处的修改\n")).unwrap();
    let (status, body) = save(&server, &data, &version);
    assert_eq!(status, 409, "{body}");
    assert!(p.data().ends_with("# 别处的修改\n"));
    // The refusal carries the file as it is now, for the page to reload or merge.
    assert!(
        body["data"].is_object() && body["version"] != version.as_str(),
        "{body}"
    );
}

#[test]
fn a_server_killed_during_saves_leaves_the_old_or_a_new_file_whole() {
    let p = Project::sample();
    // Killed at its sixth rename: each save renames the backup, then the file, so the
    // third save's new file is written and about to replace the old one. (strace counts
    // per thread; every write of the user's files runs on dashi serve's one writer
    // thread, so its count is the saves'.)
    let mut server = Server::start_killed_at(p.dir(), "rename,renameat,renameat2", 6);
    let (data, mut version) = loaded(&server);
    let (port, token) = (server.port, server.token.clone());
    let mut saved = 0;
    for i in 0..10 {
        let mut data = data.clone();
        data["proposal"]["necessity"] =
            format!("第 {i} 次保存。{}", "很长的说明。".repeat(4000)).into();
        let body = serde_json::json!({ "data": data, "version": version }).to_string();
        let (status, answer) = from_page(port, &token, "POST", "/api/save", body.as_bytes());
        if status != 200 {
            break;
        }
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        version = answer["version"].as_str().unwrap().to_string();
        saved += 1;
    }
    let status = server.child.wait().unwrap();
    assert!(
        crate::util::was_killed(&status),
        "not killed by the injected signal: {status}"
    );
    assert_eq!(saved, 2, "two saves done, the third killed at its rename");
    let text = p.data();
    let doc: toml_edit::DocumentMut = text.parse().expect("the data file is whole TOML");
    let necessity = doc["proposal"]["necessity"].as_str().unwrap();
    assert!(
        necessity.starts_with("第 1 次保存。"),
        "not the last whole save: {}",
        &necessity[..60.min(necessity.len())]
    );
    // The backup the third save made is the second save's file.
    let backup = std::fs::read_to_string(p.path("studio.toml.bak")).unwrap();
    assert_eq!(backup, text);
    // The third save's file was whole and never took the name; it stays hidden.
    let temporary: Vec<String> = std::fs::read_dir(p.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(temporary.len(), 1, "{temporary:?}");
    assert!(temporary[0].starts_with('.'), "{temporary:?}");
    let run = crate::util::dashi(p.dir(), &["check", "studio.toml"]);
    run.assert_no_panic();
}

/// The whole flow in a real headless Chromium (tests/serve_browser.py through WebDriver):
/// the unit's name reaches the 申报表 preview; a wrong check digit shows R141 at its
/// field and goes when corrected; a member is added with an uploaded ID card scan; the
/// save keeps every comment and changes only what changed; the built zip downloads and
/// `dashi verify` passes on it.
#[test]
fn the_form_in_a_real_browser() {
    let p = Project::sample();
    let original = p.data();
    let server = Server::start(p.dir());
    let elsewhere = tempfile::tempdir().unwrap();
    let scan = elsewhere.path().join("王强 身份证.jpg");
    std::fs::copy(p.path("evidence/张伟-身份证.jpg"), &scan).unwrap();
    let downloads = elsewhere.path().join("下载");
    std::fs::create_dir(&downloads).unwrap();
    let shot = elsewhere.path().join("form.png");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_browser.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(format!(
            "http://127.0.0.1:{}/?token={}",
            server.port, server.token
        ))
        .arg(&scan)
        .arg(&downloads)
        .arg(&shot)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "the browser flow stopped: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(seen["title"], "dashi：技能大师工作室申报");
    assert_eq!(
        seen["optional_boolean"],
        serde_json::json!(["（不填）", "是", "否"])
    );
    // The scan came from elsewhere; it now sits in evidence/ under its own name.
    assert_eq!(seen["uploaded_as"], "evidence/王强 身份证.jpg");
    assert!(p.path("evidence/王强 身份证.jpg").is_file());
    // The save: every line of the original is still there but the unit's name and the
    // master's post that named it (R105 until retyped); the additions are whole tables
    // at the end of their lists.
    assert_eq!(seen["r105_gone"], true, "{seen}");
    // A scan over the limit was refused in the page, said in the colour of errors.
    assert_eq!(seen["too_big_color"], "rgba(179, 38, 30, 1)", "{seen}");
    // 不填此项 on the fund was taken back with its values.
    assert!(
        seen["fund_undone"].as_str().is_some_and(|v| !v.is_empty()),
        "{seen}"
    );
    // A number typed in words was not stored as 0; the box said why.
    assert!(
        seen["area_words_note"]
            .as_str()
            .is_some_and(|n| n.contains("阿拉伯数字")),
        "{seen}"
    );
    let saved = p.data();
    let gone: Vec<&str> = original
        .lines()
        .filter(|l| !saved.lines().any(|s| s == *l))
        .collect();
    assert_eq!(
        gone,
        vec![
            "name = \"呼和浩特市青城装备制造有限公司\"",
            "employer_and_title = \"呼和浩特市青城装备制造有限公司 焊接技术中心主任\""
        ],
        "{saved}"
    );
    assert!(saved.contains("呼和浩特市新城机械厂"));
    assert!(saved.contains("name = \"王强\"") && saved.contains("150102199201010013"));
    for comment in original.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(saved.contains(comment), "comment lost: {comment}");
    }
    assert_eq!(seen["build_said_in_view"], true, "{seen}");
    // Verified in the page too, with the digest as printed; a copy with one byte
    // changed is refused there.
    assert_eq!(seen["verified_in_page"][0], "true", "{seen}");
    let said = seen["verified_in_page"][1].as_str().unwrap();
    assert!(
        said.contains("核对通过") && !said.contains("dashi-核对"),
        "{seen}"
    );
    assert_eq!(seen["tampered_in_page"][0], "false", "{seen}");
    assert!(
        seen["tampered_in_page"][1]
            .as_str()
            .unwrap()
            .contains("改过一个字节.zip"),
        "{seen}"
    );
    // The zip the browser downloaded verifies, with the digest the page showed.
    let zip = seen["downloaded"].as_str().expect("a zip downloaded");
    let digest = seen["digest"].as_str().unwrap();
    let run = crate::util::dashi(p.dir(), &["verify", zip, "--expect", digest]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_long_cell_is_said_to_continue_on_an_attached_page() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let mut data = data_of(&server);
    let ask = |data: &serde_json::Value| -> serde_json::Value {
        let (status, body) = server.page(
            "POST",
            "/api/check",
            serde_json::json!({ "data": data, "continued": true })
                .to_string()
                .as_bytes(),
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    assert_eq!(ask(&data)["continued"], serde_json::json!([]));
    data["studio"]["facilities"] = "配备数字化逆变焊机、机器人焊接工作站和焊接模拟训练系统。\n\n"
        .repeat(40)
        .into();
    assert_eq!(
        ask(&data)["continued"],
        serde_json::json!(["studio.facilities"])
    );
    // The preview of the 申报表 shows the attached page, and only changed pages come back.
    let first = serde_json::json!({ "data": data, "doc": "申报表" }).to_string();
    let (status, body) = server.page("POST", "/api/preview", first.as_bytes());
    assert_eq!(status, 200, "{body}");
    let pages: serde_json::Value = serde_json::from_str(&body).unwrap();
    let pages = pages["pages"].as_array().unwrap().clone();
    let text: String = pages.iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert!(text.contains("附页：工作室基本设施（续）"), "{text}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer["continued"],
        serde_json::json!(["studio.facilities"])
    );
    let known: Vec<&str> = pages
        .iter()
        .map(|p| p["digest"].as_str().unwrap())
        .collect();
    let again = serde_json::json!({ "data": data, "doc": "申报表", "known": known }).to_string();
    let (_, body) = server.page("POST", "/api/preview", again.as_bytes());
    let again: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        again["pages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["svg"].is_null()),
        "unchanged pages were sent again"
    );
}

#[test]
fn build_with_the_disc_offers_both_for_download_and_both_verify() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (status, body) = server.page("POST", "/api/build", br#"{"disc": true}"#);
    assert_eq!(status, 200, "{body}");
    let built: serde_json::Value = serde_json::from_str(&body).unwrap();
    let files: Vec<&str> = built["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let iso = files
        .iter()
        .find(|f| f.ends_with(".iso"))
        .expect("the disc image");
    let zip = files.iter().find(|f| f.ends_with(".zip")).expect("the zip");
    let digest = built["digest"].as_str().unwrap();
    for name in [iso, zip] {
        let run = crate::util::dashi(&p.path("输出"), &["verify", name, "--expect", digest]);
        assert_eq!(run.code, 0, "{run:?}");
        // Offered for download by its name only.
        let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, _) = server.page("GET", &format!("/files/{encoded}"), b"");
        assert_eq!(status, 200, "{name}");
    }
    let (status, _) = server.page("GET", "/files/studio.toml", b"");
    assert_eq!(status, 404);
}

/// Two tabs load the same revision; the second saves first. The first tab's save, made
/// from the older revision, is refused with the file as it is now, and nothing of the
/// second tab's change is lost.
#[test]
fn a_save_from_an_older_revision_is_refused_and_loses_nothing() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (first, version) = loaded(&server);
    let (mut second, same) = loaded(&server);
    assert_eq!(version, same);
    second["unit"]["contact"]["name"] = "李四".into();
    let (status, _) = save(&server, &second, &same);
    assert_eq!(status, 200);
    let mut first = first;
    first["unit"]["name"] = "呼和浩特市新城机械厂".into();
    let (status, answer) = save(&server, &first, &version);
    assert_eq!(status, 409, "{answer}");
    assert_eq!(
        answer["data"]["unit"]["contact"]["name"], "李四",
        "{answer}"
    );
    assert!(p.data().contains("李四"));
    assert!(!p.data().contains("新城机械厂"));
}

/// A save whose data is not a studio file (a table missing, a wrong type) is refused
/// with its findings; the file stays as it was.
#[test]
fn a_save_cannot_destroy_the_file() {
    let p = Project::sample();
    let before = p.data();
    let server = Server::start(p.dir());
    let (data, version) = loaded(&server);
    let (status, answer) = save(&server, &serde_json::json!({ "studio": "x" }), &version);
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{answer}"
    );
    let mut wrong = data.clone();
    wrong["plan"]["apprentices_per_year"] = "三".into();
    let (status, answer) = save(&server, &wrong, &version);
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer.to_string().contains("apprentices_per_year"),
        "{answer}"
    );
    assert_eq!(p.data(), before);
    assert!(!p.path("studio.toml.bak").exists());
}

/// Loading the page reads the file from disk; a syntax error there is said in Chinese
/// at its line.
#[test]
fn loading_reads_the_disk_and_says_a_syntax_error_in_chinese() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (data, _) = loaded(&server);
    assert_ne!(data["unit"]["contact"]["name"], "王五");
    let text = p.data();
    let contact = data["unit"]["contact"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        p.path("studio.toml"),
        text.replacen(&format!("\"{contact}\""), "\"王五\"", 1),
    )
    .unwrap();
    let (data, _) = loaded(&server);
    assert_eq!(data["unit"]["contact"]["name"], "王五");
    std::fs::write(p.path("studio.toml"), format!("{text}\n[unit\n")).unwrap();
    let (status, body) = server.page("GET", "/api/data", b"");
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let problem = answer["problem"].as_str().unwrap();
    assert!(problem.contains("行"), "{problem}");
    // No parser English: only the names of the file and of a command remain.
    let words = problem.replace("studio.toml", "").replace("dashi init", "");
    assert!(
        !words.chars().any(|c| c.is_ascii_alphabetic()),
        "not all Chinese: {problem}"
    );
}

/// Two servers side by side (two studios): each sets a cookie of its own, so the
/// second never locks out the first tab; a page refused in the browser is a Chinese
/// page that says what to do, not JSON.
#[test]
fn two_servers_side_by_side_and_refusals_in_words() {
    let p = Project::sample();
    let q = Project::sample();
    let first = Server::start(p.dir());
    let second = Server::start(q.dir());
    let enter = |server: &Server| {
        let path = format!("/?token={}", server.token);
        let (status, head) = raw(server.port, &path);
        assert_eq!(status, 200);
        head.lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let (a, b) = (enter(&first), enter(&second));
    assert_ne!(a.split('=').next(), b.split('=').next(), "{a} {b}");
    // The browser sends both cookies to both (same host): each still gets in.
    let both = format!("{a}; {b}");
    for server in [&first, &second] {
        let (status, _) = server.request("GET", "/api/data", &[("Cookie", &both)], b"");
        assert_eq!(status, 200);
    }
    // A page opened without the token: a Chinese page with what to do.
    let (status, body) = first.request("GET", "/", &[("Accept", "text/html,*/*")], b"");
    assert_eq!(status, 403);
    assert!(
        body.contains("<html") && body.contains("dashi serve"),
        "{body}"
    );
    assert!(!body.trim_start().starts_with('{'), "{body}");
}

/// Status and headers (lowercase names) of a GET.
fn raw(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer).to_string();
    let head = text.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

/// A connection that sends nothing, or trickles its headers or its body, is closed when
/// its time is up (2 s here, 30 s by default).
#[test]
fn idle_and_trickling_connections_are_closed() {
    use std::time::{Duration, Instant};
    let p = Project::sample();
    let server = Server::start_with_timeout(p.dir(), 2);
    // How long a connection stayed open, and how much of `trickle` it had taken when the
    // server closed it. The guard of 60 s only keeps a broken server from hanging the
    // test; what proves the timer is that the server closed first.
    let closed_within = |mut stream: TcpStream, trickle: &[u8]| -> (Duration, usize) {
        let start = Instant::now();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut sent = 0;
        let mut answer = Vec::new();
        loop {
            assert!(start.elapsed() < Duration::from_secs(60), "never closed");
            if sent < trickle.len() && stream.write_all(&trickle[sent..sent + 1]).is_ok() {
                sent += 1;
            }
            let mut buf = [0u8; 1024];
            match stream.read(&mut buf) {
                Ok(0) => return (start.elapsed(), sent),
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return (start.elapsed(), sent),
            }
        }
    };
    let connect = || TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // Nothing at all: closed, and not before its time.
    let (took, _) = closed_within(connect(), b"");
    assert!(took >= Duration::from_millis(1500), "{took:?}");
    // Headers a byte at a time (one every 200 ms: 20 s for these).
    let head = format!(
        "GET /api/data HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: {}\r\n\r\n",
        server.port,
        "a".repeat(80)
    );
    let (took, sent) = closed_within(connect(), head.as_bytes());
    assert!(
        sent < head.len(),
        "closed only after the whole headers: {took:?}"
    );
    // A body a byte at a time, after whole headers.
    let mut stream = connect();
    let cookie = format!("dashi_token_{}={}", server.port, server.token);
    write!(
        stream,
        "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        port = server.port
    )
    .unwrap();
    let (took, sent) = closed_within(stream, &[b' '; 100]);
    assert!(sent < 100, "closed only after the whole body: {took:?}");
    // The server still serves.
    assert_eq!(server.page("GET", "/api/data", b"").0, 200);
}

/// Eight thumbnails of a 144-megapixel PNG at once, and a 7 MB text to preview: the
/// server stays within 300 MB, and the page is told why there is no preview.
#[test]
fn big_scans_and_long_texts_stay_within_memory() {
    let p = Project::sample();
    // A 12000 × 12000 PNG, small on disk (one colour).
    let (w, h) = (12_000u32, 12_000u32);
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for _ in 0..h {
        raw.push(0u8);
        raw.extend(std::iter::repeat_n(200u8, (w * 3) as usize));
    }
    let png = png_bytes(w, h, &raw);
    std::fs::write(p.path("evidence/巨幅.png"), &png).unwrap();
    let server = Server::start(p.dir());
    let before = server.peak_mib();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (port, token) = (server.port, server.token.clone());
            std::thread::spawn(move || {
                from_page(
                    port,
                    &token,
                    "GET",
                    "/api/thumb?file=evidence/巨幅.png",
                    b"",
                )
                .0
            })
        })
        .collect();
    for t in threads {
        let status = t.join().unwrap();
        assert!(status == 204 || status == 200, "{status}");
    }
    let (mut data, _) = loaded(&server);
    data["proposal"]["necessity"] = "很长的说明。".repeat(400_000).into();
    let body = serde_json::json!({ "data": data, "doc": "申报书" }).to_string();
    let (status, answer) = server.page("POST", "/api/preview", body.as_bytes());
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("不再实时预览"), "{answer}");
    let peak = server.peak_mib();
    assert!(peak <= 300, "peak {peak} MiB (at start {before} MiB)");
}

/// A PNG file of 8-bit RGB rows (each with its filter byte) — zlib stored by deflate.
fn png_bytes(w: u32, h: u32, raw: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32(kind, 0xffff_ffff);
        crc = crc32(data, crc);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&(!crc).to_be_bytes());
    }
    fn crc32(bytes: &[u8], mut crc: u32) -> u32 {
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        crc
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(raw).unwrap();
    let compressed = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &compressed);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Two windows, a refusal out of view, a stopped server (tests/serve_browser_tabs.py in
/// headless Chromium): the older window's save is refused in view and merged, nothing
/// of either window is lost; a killed server is noticed within 2 s, and after dashi
/// serve is run again (same address) 重新连接 and 保存 keep the edit made meanwhile.
#[test]
fn two_windows_and_a_stopped_server_lose_nothing() {
    let p = Project::sample();
    let mut server = Server::start(p.dir());
    let empty = tempfile::tempdir().unwrap();
    let bare = Server::start(empty.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_browser_tabs.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(format!(
            "http://127.0.0.1:{}/?token={}",
            server.port, server.token
        ))
        .arg(env!("CARGO_BIN_EXE_dashi"))
        .arg(p.dir())
        .arg(server.child.id().to_string())
        .arg(format!(
            "http://127.0.0.1:{}/?token={}",
            bare.port, bare.token
        ))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let seen: serde_json::Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|_| panic!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    assert!(seen.get("failed").is_none(), "{seen}");
    assert_eq!(seen["refusal_in_view"], true, "{seen}");
    assert_eq!(seen["gone_in_view"], true, "{seen}");
    assert!(seen["noticed_after_s"].as_f64().unwrap() <= 2.0, "{seen}");
    assert_eq!(seen["kept_in_browser"], true, "{seen}");
    assert_eq!(seen["same_address"], true, "{seen}");
    // Keyboard and screen readers.
    assert_eq!(seen["focus_after_add"][0], "members[2]", "{seen}");
    // The buttons say which item they act on; after a deletion the focus is on the
    // neighbour's.
    let label = seen["delete_label"].as_str().unwrap();
    assert!(
        label.starts_with("删除第3项") && label.len() > "删除第3项".len(),
        "{seen}"
    );
    let after = seen["focus_after_delete"][2].as_str().unwrap_or("");
    assert!(after.starts_with("删除第2项"), "{seen}");
    assert_eq!(seen["undone"], true, "{seen}");
    assert_eq!(seen["finding_focusable"], true, "{seen}");
    assert_eq!(seen["focused_below_header"], true, "{seen}");
    assert_eq!(seen["aria_invalid"], true, "{seen}");
    assert_eq!(seen["aria_describedby"], true, "{seen}");
    assert_eq!(seen["ctrl_s_saved"], true, "{seen}");
    // A finding's button adds the missing evidence entry, filled in.
    let entry = &seen["fixed_entry"];
    let ids: Vec<u32> = p
        .data()
        .lines()
        .filter_map(|l| l.strip_prefix("id = \"E")?.strip_suffix('"')?.parse().ok())
        .collect();
    let next = format!("E{:02}", ids.iter().max().unwrap() + 1);
    assert_eq!(entry["id"], next.as_str(), "{seen}");
    assert_eq!(entry["kind"], "身份证", "{seen}");
    assert_eq!(entry["owner"], "成员", "{seen}");
    assert_eq!(entry["member"], "赵六", "{seen}");
    assert!(
        entry["member_choices"].as_array().unwrap().len() >= 3,
        "{seen}"
    );
    // An empty folder: said, not “正在检查…”; nothing to build until there is data.
    assert_eq!(seen["empty_summary"], "没有可检查的数据。", "{seen}");
    assert_eq!(seen["empty_build_disabled"], true, "{seen}");
    assert_eq!(seen["started_from_sample"], true, "{seen}");
    assert!(empty.path().join("studio.toml").is_file());
    let data = p.data();
    assert!(data.contains("李四"), "the second window's change was lost");
    assert!(
        data.contains("呼和浩特市断线后机械厂"),
        "the edit made offline was lost"
    );
    server.kill();
}

/// The form's own words: hints name the form's sections and labels, and a member whose
/// name is still blank is named by place, grammatically.
#[test]
fn findings_speak_the_forms_words() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (mut data, _) = loaded(&server);
    let mut blank = data["members"][0].clone();
    for key in ["name", "id_number"] {
        blank[key] = "".into();
    }
    data["members"].as_array_mut().unwrap().push(blank);
    let (status, body) = server.page(
        "POST",
        "/api/check",
        serde_json::json!({ "data": data }).to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let findings = answer["findings"].as_array().unwrap();
    let said: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f["message"], f["hint"]))
        .collect();
    let all = said.join("\n");
    assert!(all.contains("第 3 位成员（尚未填写姓名）"), "{all}");
    assert!(
        !all.contains("缺少的") && !all.contains("\"的身份证号"),
        "{all}"
    );
    let copy = said
        .iter()
        .find(|s| s.contains("身份证复印件"))
        .expect("the missing ID card copy is found");
    assert!(
        copy.contains("“佐证材料”") && copy.contains("“证明内容”为“身份证”"),
        "{copy}"
    );
    assert!(
        !copy.contains("kind =") && !copy.contains("evidence"),
        "{copy}"
    );
}

/// The 佐证材料 preview shows the real scans (a raster scan's thumbnail, not a grey
/// stand-in), and a PDF scan has a thumbnail in the form.
#[test]
fn the_evidence_preview_shows_the_scans() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (status, body) = server.page(
        "GET",
        "/api/thumb?file=evidence/%E7%8E%8B%E5%BB%BA%E5%86%9B-%E4%B8%93%E5%88%A9%E8%AF%81%E4%B9%A6.pdf",
        b"",
    );
    assert_eq!(status, 200, "a PDF scan has no thumbnail");
    assert!(body.len() > 2000, "{}", body.len());
    let (data, _) = loaded(&server);
    let ask = serde_json::json!({ "data": data, "doc": "佐证材料" }).to_string();
    let (status, body) = server.page("POST", "/api/preview", ask.as_bytes());
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let pages = answer["pages"].as_array().unwrap();
    // Each raster scan's page carries its picture: tens of kilobytes, where the grey
    // stand-in of one pixel takes a few hundred bytes.
    let pictured = pages
        .iter()
        .filter(|p| p["svg"].as_str().is_some_and(|s| s.len() > 150_000))
        .count();
    let scans = data["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["file"].as_str().is_some_and(|f| f.ends_with(".jpg")))
        .count();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["svg"].as_str().map_or(0, str::len))
        .collect();
    assert!(
        scans >= 5 && pictured >= scans,
        "{pictured} pages pictured for {scans} scans: {sizes:?}"
    );
}

/// Nothing unsaved is lost, the preview follows the edit, and the page serves keyboard,
/// screen reader and 200 % zoom (tests/serve_browser_keep.py in headless Chromium, with
/// axe-core): edits kept per tab and offered until taken or refused, a conflict settled
/// field by field, a reconnect that keeps trying after a failed save.
#[test]
fn every_edit_is_kept_and_the_page_serves_everyone() {
    let p = Project::sample();
    let mut server = Server::start(p.dir());
    let axe =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js");
    assert!(axe.is_file(), "axe-core is installed by tests/run");
    let shot = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_browser_keep.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(format!(
            "http://127.0.0.1:{}/?token={}",
            server.port, server.token
        ))
        .arg(env!("CARGO_BIN_EXE_dashi"))
        .arg(p.dir())
        .arg(server.child.id().to_string())
        .arg(&axe)
        .arg(shot.path().join("zoom.png"))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let seen: serde_json::Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|_| panic!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    assert!(seen.get("failed").is_none(), "{seen}");
    // Per tab, offered until settled, never erased by another tab's save.
    assert_eq!(seen["offers_name_fields"], true, "{seen}");
    assert_eq!(seen["offers_stay_while_typing"], true, "{seen}");
    assert_eq!(seen["restored_both"], true, "{seen}");
    assert_eq!(seen["live_tab_not_offered"], true, "{seen}");
    assert_eq!(seen["other_tabs_entry_survives_a_save"], true, "{seen}");
    // A conflict: both values shown, the saved one kept until the clerk chooses.
    let row = seen["conflict_row"].as_str().unwrap();
    assert!(
        row.contains("传真") && row.contains("0471-1111111") && row.contains("0471-2222222"),
        "{seen}"
    );
    assert_eq!(seen["saved_value_kept_until_chosen"], true, "{seen}");
    assert_eq!(seen["reconnect_button_after_failed_save"], true, "{seen}");
    assert_eq!(seen["same_address"], true, "{seen}");
    assert_eq!(seen["reconnected_by_itself"], true, "{seen}");
    // The preview went to the page of the edit, past the first.
    assert!(seen["followed_page"].as_u64().unwrap() > 1, "{seen}");
    // Keyboard and screen reader.
    assert_eq!(seen["first_tab_stop"], "跳到检查结果", "{seen}");
    assert_eq!(seen["skip_lands_on"], "checks", "{seen}");
    assert!(
        seen["member_legend"]
            .as_str()
            .is_some_and(|l| l.starts_with("工作室成员 2")),
        "{seen}"
    );
    let serious: Vec<&serde_json::Value> = seen["axe"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(serious.is_empty(), "axe-core: {serious:?}");
    // 200 % zoom on 1366×768.
    assert!(
        seen["zoomed_form_width"].as_f64().unwrap() >= 320.0,
        "{seen}"
    );
    assert_eq!(seen["zoomed_preview_folded"], true, "{seen}");
    assert_eq!(seen["zoomed_page_overflows"], false, "{seen}");
    assert_eq!(seen["unfolded"], true, "{seen}");
    // The old address taken: said by the next run, told to the page left there, which
    // goes to the new one with its edit.
    assert!(
        seen["moved_said"]
            .as_str()
            .is_some_and(|s| s.contains("已被其他程序占用")),
        "{seen}"
    );
    assert!(
        seen["old_page_told"]
            .as_str()
            .is_some_and(|s| s.contains("http://127.0.0.1:")),
        "{seen}"
    );
    assert_eq!(seen["carried_and_saved"], true, "{seen}");
    // The roster: shown, its bad cells said by row and column, added after a choice.
    assert_eq!(seen["roster_rows"], 2, "{seen}");
    assert_eq!(seen["members_before_choice"], true, "{seen}");
    let problems = seen["roster_problems"].to_string();
    assert!(
        problems.contains("第 3 行“性别”") && problems.contains("第 4 行“姓名”"),
        "{seen}"
    );
    assert_eq!(
        seen["roster_added"],
        serde_json::json!(["钱七", "孙八"]),
        "{seen}"
    );
    let data = p.data();
    assert!(
        data.contains("钱七") && data.contains("150102199508080024"),
        "{data}"
    );
    for kept in [
        "呼和浩特市换址后机械厂",
        "乙窗口联系人",
        "丙法人",
        "丁窗口地点",
        "0471-2222222",
        "核对预览标记",
    ] {
        assert!(data.contains(kept), "{kept} was lost: {data}");
    }
    server.kill();
}

/// `dashi serve` run again for the same file: while the first still serves, the second
/// says so and starts nothing; when another program holds the old address, the new one
/// is said with the reason.
#[test]
fn a_second_serve_of_one_file_says_where_it_is() {
    let p = Project::sample();
    let mut first = Server::start(p.dir());
    let run = crate::util::dashi(p.dir(), &["serve", ".", "--no-open"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("已经在运行"), "{run:?}");
    assert!(
        run.stdout.contains(&format!(
            "http://127.0.0.1:{}/?token={}",
            first.port, first.token
        )),
        "{run:?}"
    );
    first.kill();
    // Another program on the old port.
    let holder = std::net::TcpListener::bind(("127.0.0.1", first.port)).unwrap();
    let mut moved = Server::start(p.dir());
    assert_ne!(moved.port, first.port);
    let (code, _) = moved.page("GET", "/api/ping", b"");
    assert_eq!(code, 200);
    moved.kill();
    drop(holder);
    let said = &moved.said;
    assert!(
        said.contains(&format!("端口 {}", first.port)) && said.contains("已被其他程序占用"),
        "{said}"
    );
}

/// A 生成 that fails says why in words fitting the cause, and the packet an earlier
/// 生成 left in 输出 is marked out of date until a build succeeds again.
#[test]
fn a_failed_build_marks_the_earlier_packet_and_says_why() {
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (code, body) = server.page("POST", "/api/build", b"{}");
    assert_eq!(code, 200, "{body}");
    let note = p.path("输出").join(dashi::packet::outdated::NOTE);
    let original = p.data();
    // A cause in the data.
    let wrong = original.replacen(
        "name = \"呼和浩特市青城装备制造有限公司\"",
        "name = \"\"",
        1,
    );
    assert_ne!(wrong, original);
    std::fs::write(p.path("studio.toml"), &wrong).unwrap();
    server.page("POST", "/api/reload", b"");
    let (code, body) = server.page("POST", "/api/build", b"{}");
    assert_eq!(code, 422, "{body}");
    assert!(
        body.contains("请先改正检查结果中的错误") && body.contains("已过期"),
        "{body}"
    );
    let said = std::fs::read_to_string(&note).expect("the earlier packet is marked");
    assert!(said.contains("01-") && said.contains(".zip"), "{said}");
    // A cause on the disk: the output folder cannot take the build's staging folder.
    std::fs::write(p.path("studio.toml"), &original).unwrap();
    server.page("POST", "/api/reload", b"");
    let blocker = p.path("输出").join(format!(".dashi-{}", server.child.id()));
    std::fs::write(&blocker, b"").unwrap();
    let (code, body) = server.page("POST", "/api/build", b"{}");
    assert_eq!(code, 422, "{body}");
    assert!(!body.contains("检查结果"), "{body}");
    assert!(body.contains("磁盘") && body.contains("已过期"), "{body}");
    std::fs::remove_file(&blocker).unwrap();
    let (code, body) = server.page("POST", "/api/build", b"{}");
    assert_eq!(code, 200, "{body}");
    assert!(!note.exists(), "the note goes with a build that succeeds");
}

/// Every message the form can show speaks the form's words: the findings of a data file
/// emptied of every text and number, and of one whose numbers are out of range, the
/// server's refusals and the page's own texts hold no data-file key, table or
/// file-format word.
#[test]
fn no_message_of_the_form_speaks_the_data_files_words() {
    use serde_json::Value;
    let p = Project::sample();
    let server = Server::start(p.dir());
    let (data, _) = loaded(&server);
    let (_, schema) = server.page("GET", "/api/schema", b"");
    // The words a clerk must never read: every key of the data format, and the file's.
    let mut keys: std::collections::BTreeSet<String> = ["toml", "schema", "json", "studio"]
        .into_iter()
        .map(String::from)
        .collect();
    fn properties(node: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(p)) = map.get("properties") {
                    keys.extend(p.keys().filter(|k| k.len() > 2).cloned());
                }
                map.values().for_each(|v| properties(v, keys));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| properties(v, keys)),
            _ => {}
        }
    }
    properties(&serde_json::from_str(&schema).unwrap(), &mut keys);
    assert!(keys.contains("education_fund") && keys.contains("high_skill"));
    // The scans' folder on disk is named evidence: as a folder it is the clerk's word.
    let spoken = |text: &str| -> Vec<String> {
        let text = text.replace("evidence 文件夹", "").replace("evidence/", "");
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .flat_map(|w| w.split('.'))
            .filter(|w| keys.contains(*w))
            .map(String::from)
            .collect()
    };
    fn hollow(v: &mut Value) {
        match v {
            Value::String(s) => s.clear(),
            Value::Object(m) => {
                m.retain(|_, x| !x.is_number());
                m.values_mut().for_each(hollow);
            }
            Value::Array(a) => a.iter_mut().for_each(hollow),
            _ => {}
        }
    }
    fn stretch(v: &mut Value) {
        match v {
            Value::Number(_) => *v = Value::from(987_654_321u64),
            Value::Object(m) => m.values_mut().for_each(stretch),
            Value::Array(a) => a.iter_mut().for_each(stretch),
            _ => {}
        }
    }
    let mut emptied = data.clone();
    hollow(&mut emptied);
    let mut large = data.clone();
    stretch(&mut large);
    let mut heard = 0;
    for data in [emptied, large] {
        let (status, body) = server.page(
            "POST",
            "/api/check",
            serde_json::json!({ "data": data }).to_string().as_bytes(),
        );
        assert_eq!(status, 200, "{body}");
        let answer: Value = serde_json::from_str(&body).unwrap();
        for f in answer["findings"].as_array().unwrap() {
            heard += 1;
            let text = format!("{} {}", f["message"], f["hint"]);
            assert!(spoken(&text).is_empty(), "{:?} in {text}", spoken(&text));
        }
    }
    assert!(heard > 40, "only {heard} findings were heard");
    // The refusals and the page's own texts: every literal with Chinese in it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve");
    let mut sources = vec![root.join("assets/app.js"), root.join("assets/index.html")];
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        // mod.rs and address.rs speak only in the terminal, before there is a page;
        // words.rs holds the data file's phrases it translates (its output is above).
        let terminal = ["mod.rs", "address.rs", "words.rs"].map(std::ffi::OsStr::new);
        if path.extension().is_some_and(|e| e == "rs")
            && !terminal.contains(&path.file_name().unwrap())
        {
            sources.push(path);
        }
    }
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap();
        // A Rust file's own tests hold data files, not messages.
        let text = text.split("#[cfg(test)]").next().unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for literal in line.split(['\'', '`', '"']).skip(1).step_by(2) {
                if !literal
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                {
                    continue;
                }
                // Code inside a template literal or a format string, and markup, is
                // not read.
                let mut words = String::new();
                let mut depth: i32 = 0;
                for c in literal.chars() {
                    match c {
                        '{' | '<' => depth += 1,
                        '}' | '>' => depth = (depth - 1).max(0),
                        _ if depth == 0 => words.push(c),
                        _ => {}
                    }
                }
                assert!(
                    spoken(&words).is_empty(),
                    "{:?} in {}: {literal}",
                    spoken(&words),
                    source.display()
                );
            }
        }
    }
}
