//! Runs the real `dashi` binary in a temporary project folder.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `dashi` printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Rule codes (`R141`, `D002`) in the output, in order.
    pub fn codes(&self) -> Vec<String> {
        let mut codes = Vec::new();
        for line in self.stdout.lines() {
            if let Some(start) = line.find('[')
                && let Some(end) = line[start..].find(']')
                && (line.starts_with("错误") || line.starts_with("警告"))
            {
                codes.push(line[start + 1..start + end].to_string());
            }
        }
        codes
    }

    /// The value `dashi build` prints after a label (`已印在承诺书上）：` for the
    /// evidence digest, `封存值（tagmanifest-sha256.txt 的 SHA-256）：` for the seal).
    pub fn printed(&self, label: &str) -> String {
        self.stdout
            .lines()
            .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_string()))
            .unwrap_or_else(|| panic!("no “{label}” in:\n{}", self.stdout))
    }

    /// Fails with the whole output when `dashi` panicked.
    pub fn assert_no_panic(&self) {
        assert_ne!(
            self.code, 101,
            "dashi panicked:\n{}\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

/// Asserts that `run` reported `code` and cited its article.
pub fn assert_fired(run: &Run, code: &str) {
    assert!(
        run.codes().iter().any(|c| c == code),
        "{code} did not fire:\n{}{}",
        run.stdout,
        run.stderr
    );
    let article = dashi::finding::Code::ALL
        .iter()
        .find(|c| c.id() == code)
        .unwrap()
        .article();
    assert!(
        run.stdout.contains(&format!("依据：{article}")),
        "{}",
        run.stdout
    );
}

/// The sample's studio: the name of its bag, zip and disc.
pub const BAG: &str = "呼和浩特市王建军技能大师工作室";

/// Asserts that `run` refused a bag that does not verify: exit 1, the verify report
/// naming `altered` as 已篡改, and nothing written at `unmade`.
pub fn assert_refused_as_broken(run: &Run, altered: &str, unmade: &Path) {
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(&format!("[已篡改] {altered}")),
        "{}",
        run.stdout
    );
    assert!(!unmade.exists(), "{} was written", unmade.display());
}

/// Runs `dashi` with `args` in `dir`.
pub fn dashi(dir: &Path, args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir))
}

/// Runs `dashi` with `args` in `dir`, its clock fixed at `epoch` (Unix seconds).
pub fn dashi_at(dir: &Path, epoch: &str, args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", epoch))
}

/// Runs `dashi` with `args` in `dir` with one more environment variable.
pub fn dashi_env(dir: &Path, var: (&str, &str), args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir)
        .env(var.0, var.1))
}

/// Runs `dashi` with `args` in `dir` at `epoch`, logged in as `account`, or with no
/// account in its environment at all.
pub fn dashi_as(dir: &Path, epoch: &str, account: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dashi"));
    command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", epoch);
    for var in ["USERNAME", "USER", "LOGNAME"] {
        command.env_remove(var);
    }
    if let Some(name) = account {
        command.env("USER", name);
    }
    run(&mut command)
}

fn run(command: &mut Command) -> Run {
    let out = command.env("NO_COLOR", "1").output().expect("dashi runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A sample project made by `dashi init` in a temporary folder.
pub struct Project {
    pub tmp: tempfile::TempDir,
}

impl Project {
    pub fn sample() -> Project {
        let tmp = tempfile::tempdir().expect("temp dir");
        let run = dashi(tmp.path(), &["init", "."]);
        assert_eq!(run.code, 0, "{run:?}");
        Project { tmp }
    }

    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir().join(rel)
    }

    pub fn data(&self) -> String {
        std::fs::read_to_string(self.path("studio.toml")).expect("studio.toml")
    }

    pub fn write_data(&self, text: &str) {
        std::fs::write(self.path("studio.toml"), text).expect("write studio.toml");
    }

    /// Replaces text that occurs in studio.toml (the first occurrence).
    pub fn replace(&self, from: &str, to: &str) -> &Project {
        let data = self.data();
        assert!(data.contains(from), "sample has no {from:?}");
        self.write_data(&data.replacen(from, to, 1));
        self
    }

    /// Removes the part of studio.toml from `start` up to (not including) `end`.
    pub fn cut(&self, start: &str, end: &str) -> &Project {
        let data = self.data();
        let a = data.find(start).expect("start marker");
        let b = a + data[a..].find(end).expect("end marker");
        self.write_data(&format!("{}{}", &data[..a], &data[b..]));
        self
    }

    /// Writes the sample's data once per master name into `dir` (files `000.toml`, …),
    /// beside a link to the sample's evidence, for batch builds; returns the files.
    pub fn batch(&self, dir: &str, names: &[String]) -> Vec<PathBuf> {
        let text = self.data();
        let batch = self.path(dir);
        std::fs::create_dir(&batch).unwrap();
        std::os::unix::fs::symlink(self.path("evidence"), batch.join("evidence")).unwrap();
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let data = crate::renamed::renamed(&text, "王建军", name);
                let file = batch.join(format!("{i:03}.toml"));
                std::fs::write(&file, data).unwrap();
                file
            })
            .collect()
    }

    /// A minimal valid bag folder `dir` whose one payload file is `size` bytes of zeros,
    /// held sparse so it costs no disk.
    pub fn sparse_bag(&self, dir: &str, size: u64) {
        let bag = self.path(dir);
        std::fs::create_dir_all(bag.join("data")).unwrap();
        std::fs::write(
            bag.join("bagit.txt"),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        )
        .unwrap();
        let f = std::fs::File::create(bag.join("data/big.bin")).unwrap();
        f.set_len(size).unwrap();
        // Its manifest, so that it verifies: the digest of `size` zero bytes.
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        let zeros = vec![0u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            hasher.update(&zeros[..n]);
            left -= n as u64;
        }
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::fs::write(
            bag.join("manifest-sha256.txt"),
            format!("{digest}  data/big.bin\n"),
        )
        .unwrap();
    }

    /// Builds the sample into `out/` and unzips its bag into the project folder; returns
    /// the bag folder.
    pub fn unzipped_bag(&self) -> PathBuf {
        let run = dashi(self.dir(), &["build", "studio.toml", "-o", "out"]);
        assert_eq!(run.code, 0, "{run:?}");
        let out = Command::new("unzip")
            .args(["-q", &format!("out/{BAG}.zip")])
            .current_dir(self.dir())
            .output()
            .unwrap();
        assert!(out.status.success(), "unzip failed");
        self.path(BAG)
    }

    pub fn check(&self) -> Run {
        let run = dashi(self.dir(), &["check", "studio.toml"]);
        run.assert_no_panic();
        run
    }
}

/// Runs `dashi` with `args` in `dir` under strace, killed (SIGKILL) at the `n`-th call
/// of any of `syscalls` (e.g. `"rename,renameat,renameat2"`): a kill at a point the
/// process itself reaches, not after a sleep. Returns whether it was killed there
/// (false: it finished before reaching that call) and its output.
pub fn killed_at(dir: &Path, syscalls: &str, n: u32, args: &[&str]) -> (bool, Run) {
    let out = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        .arg(format!("trace={syscalls}"))
        .arg("-e")
        .arg(format!("inject={syscalls}:signal=KILL:when={n}"))
        .arg(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("strace must be installed (tests/run installs it)");
    let code = out.status.code().unwrap_or(-1);
    (
        was_killed(&out.status),
        Run {
            code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
    )
}

/// Runs `dashi args` in `dir` with its first `calls` reads of `file` (and no other
/// file's) each held back `delay_ms` (strace fault injection): a carrier that reads
/// slowly, as a scratched disc does.
pub fn slowed(dir: &Path, file: &Path, delay_ms: u64, calls: u64, args: &[&str]) -> Run {
    run(Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-P"])
        .arg(file)
        .args(["-e", "trace=read,pread64,readv,preadv", "-e"])
        .arg(format!(
            "inject=read,pread64,readv,preadv:delay_exit={}:when=1..{calls}",
            delay_ms * 1000
        ))
        .arg(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir))
}

/// Whether a process (or strace, which ends as its tracee ended) was killed by SIGKILL.
pub fn was_killed(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(9) {
            return true;
        }
    }
    status.code() == Some(137)
}

/// Runs `dashi args` in `dir` as an ordinary user (uid 65534, through setpriv), for
/// what root never meets: a file or folder the system refuses to read. Everything in
/// `dir` is made readable to that user (and a copy of dashi placed there) except
/// `shut`, which is made unreadable for the run and opened again after it.
#[cfg(unix)]
pub fn as_ordinary_user(dir: &Path, shut: &Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::PermissionsExt;
    let set = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let copy = dir.join("dashi");
    std::fs::copy(env!("CARGO_BIN_EXE_dashi"), &copy).unwrap();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        set(&d, 0o755);
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                set(&path, if path == copy { 0o755 } else { 0o644 });
            }
        }
    }
    set(shut, 0o000);
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("setpriv (util-linux)");
    set(shut, if shut.is_dir() { 0o755 } else { 0o644 });
    out
}
