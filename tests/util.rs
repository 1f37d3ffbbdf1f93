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

/// Runs `dashi` with `args` in `dir`.
pub fn dashi(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dashi"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dashi runs");
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

    pub fn check(&self) -> Run {
        let run = dashi(self.dir(), &["check", "studio.toml"]);
        run.assert_no_panic();
        run
    }
}
