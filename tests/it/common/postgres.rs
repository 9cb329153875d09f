//! A private PostgreSQL for tests that stop the database under the gateway: `initdb` and
//! `pg_ctl` from the local installation (`/usr/lib/postgresql/*/bin`), a data directory
//! in a temp dir, a free port. It can be stopped like a crash (`-m immediate`) and started
//! again on the same port, which the shared `SG_TEST_POSTGRES_URL` server cannot offer.
//!
//! PostgreSQL refuses to run as root, so as root every command runs as the `postgres`
//! user (`runuser -u postgres --`), created when missing, as `scripts/test.sh` does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

pub struct Postgres {
    bin: PathBuf,
    dir: TempDir,
    pub port: u16,
    running: bool,
}

/// The newest installed server's `bin` directory.
fn bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Postgres {
    /// A fresh server, or why there cannot be one. In CI (`CI` set) a missing
    /// installation fails the test; elsewhere the caller skips with the reason printed.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = bin_dir() else {
            let reason = "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin \
                          (scripts/test.sh installs them)";
            assert!(std::env::var_os("CI").is_none(), "{reason}");
            eprintln!("skipped: {reason}");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        if is_root() {
            let exists = Command::new("id")
                .arg("postgres")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !exists {
                run(Command::new("useradd").args(["--system", "--no-create-home", "postgres"]));
            }
            run(Command::new("chown").arg("postgres").arg(dir.path()));
        }
        let mut pg = Postgres {
            bin,
            dir,
            port: free_port(),
            running: false,
        };
        let data = pg.data();
        pg.run_pg(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        );
        pg.start_again();
        Some(pg)
    }

    fn data(&self) -> String {
        self.dir.path().join("pg").display().to_string()
    }

    fn run_pg(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        cmd.args(args);
        run(&mut cmd);
    }

    /// The admin URL, in the form `SG_TEST_POSTGRES_URL` takes.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts (again) on the same port and waits until it accepts connections.
    pub fn start_again(&mut self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("pg.log").display().to_string();
        let data = self.data();
        self.run_pg(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-o", &options, "start"],
        );
        self.running = true;
    }

    /// Stops at once, like a crash: no checkpoint, clients cut off.
    pub fn stop(&mut self) {
        if self.running {
            let data = self.data();
            self.run_pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
            self.running = false;
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.running {
            let data = self.data();
            let program = self.bin.join("pg_ctl");
            let mut cmd = if is_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            };
            let _ = cmd
                .args(["-D", &data, "-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
