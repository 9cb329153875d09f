//! The `shipgate` binary as a child process, for tests that need what only a real process
//! gives: configuration from the environment, start-up failures, and SIGKILL.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The admin key every binary started by [`command`] bootstraps for the `demo` tenant.
pub const KEY: &str = "sg_binary_test_key_0123456789";

/// A running gateway process; killed when dropped.
pub struct Gateway {
    pub child: Child,
    pub url: String,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Gateway {
    /// Every line the process wrote to stderr so far (its log).
    pub fn logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with a clean environment: a free port, `db`, the bootstrap key [`KEY`].
pub fn command(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    cmd.env_clear()
        .env("SHIPGATE_LISTEN", "127.0.0.1:0")
        .env("SHIPGATE_DATABASE_URL", db)
        .env("SHIPGATE_BOOTSTRAP_API_KEY", KEY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Starts the binary and waits (up to 30 s) for its "listening on" line.
pub fn start(cmd: Command) -> Gateway {
    start_until(cmd, "shipgate listening on ")
}

/// Starts the binary and waits (up to 30 s) for a line `ready` followed by its URL.
pub fn start_until(mut cmd: Command, ready: &str) -> Gateway {
    let mut child = cmd.spawn().expect("start shipgate");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let kept = logs.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line.clone());
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(rest) = line.strip_prefix(ready) {
                let url = rest.split_whitespace().next().unwrap().to_string();
                return Gateway { child, url, logs };
            }
            seen.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("shipgate did not start: {seen:#?}");
}
