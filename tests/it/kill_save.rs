//! Kill-during-save harness: `waymark fmt` rewrites a multi-megabyte map and
//! is killed with SIGKILL at a random moment, hundreds of times. After every
//! kill the file must be either the old version or the new one, complete and
//! valid: never missing, never a mix. The figures go in the README:
//!
//! ```sh
//! cargo test --test it kill_save -- --nocapture
//! ```
//!
//! `WAYMARK_KILL_RUNS=1000` runs more rounds (300 by default). Every other
//! kill is aimed at the end of an uninterrupted run, where the temp file is
//! written, synced and renamed.

#![cfg(unix)]

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{indents_doubled, waymark};

const DEFAULT_RUNS: usize = 300;

/// splitmix64: reproducible random delays without another dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..=max`.
    fn delay(&mut self, max: Duration) -> Duration {
        let micros = u64::try_from(max.as_micros()).unwrap_or(u64::MAX).max(1);
        Duration::from_micros(self.next() % (micros + 1))
    }
}

fn fmt(file: &Path) -> std::process::Child {
    waymark()
        .arg("fmt")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count()
}

#[derive(Debug, Default)]
struct Counts {
    old_valid: usize,
    new_valid: usize,
    corrupt: usize,
    missing: usize,
    /// Runs where `fmt` had already finished when the kill came.
    finished_first: usize,
    /// Runs killed while the temp file was being written (it was left behind).
    mid_write: usize,
}

#[test]
fn killing_fmt_mid_save_never_corrupts_or_loses_the_file() {
    let runs = std::env::var("WAYMARK_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_RUNS);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kill.journey.ron");
    let journey = waymark::model::templates::generated(1_200, 24_000);
    let new = waymark::io::to_string(&journey);
    let old = indents_doubled(&new);
    assert_ne!(old, new);
    // Both versions are the same valid map.
    assert_eq!(
        waymark::io::parse_str(&old, &file).unwrap(),
        waymark::io::parse_str(&new, &file).unwrap()
    );

    // How long one uninterrupted fmt takes here: kills land within it.
    let mut times = Vec::new();
    for _ in 0..3 {
        std::fs::write(&file, &old).unwrap();
        let start = Instant::now();
        assert!(fmt(&file).wait().unwrap().success());
        times.push(start.elapsed());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), new);
    }
    times.sort();
    let fmt_time = times[1];

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let mut rng = Rng(seed);
    let mut counts = Counts::default();
    let mut most_temps = 0;
    for run in 0..runs {
        let temps_before = temp_files(dir.path());
        std::fs::write(&file, &old).unwrap();
        let mut child = fmt(&file);
        // Every other kill is aimed at the end of the run (60% to 120% of
        // an uninterrupted one), where the temp file is written, synced and
        // renamed; the start is mostly parsing.
        let delay = if run % 2 == 0 {
            rng.delay(fmt_time)
        } else {
            fmt_time * 3 / 5 + rng.delay(fmt_time * 3 / 5)
        };
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_some() {
            counts.finished_first += 1;
        }
        // SIGKILL: no destructors, no cleanup, exactly like a power cut
        // for the process (the page cache survives; see the README).
        let _ = child.kill();
        child.wait().unwrap();
        match std::fs::read(&file) {
            Err(_) => counts.missing += 1,
            Ok(bytes) if bytes == old.as_bytes() => counts.old_valid += 1,
            Ok(bytes) if bytes == new.as_bytes() => counts.new_valid += 1,
            Ok(_) => counts.corrupt += 1,
        }
        let temps = temp_files(dir.path());
        if temps > temps_before {
            counts.mid_write += 1;
        }
        most_temps = most_temps.max(temps);
    }
    let left_before = temp_files(dir.path());
    // The next completed save of the file removes what killed saves left.
    std::fs::write(&file, &old).unwrap();
    assert!(fmt(&file).wait().unwrap().success());
    let left_after = temp_files(dir.path());

    println!(
        "kill harness: {runs} SIGKILLs of `waymark fmt` on a {:.1} MB map ({:.1} MB canonical); \
         an uninterrupted fmt takes {:.0} ms; kill delays uniform in 0-100% of that, \
         every other one in 60-120% (seed {seed})",
        old.len() as f64 / 1e6,
        new.len() as f64 / 1e6,
        fmt_time.as_secs_f64() * 1e3,
    );
    println!(
        "old-valid {}, new-valid {} ({} had finished before the kill), corrupt {}, missing {}; \
         {} kills landed while the temp file was being written",
        counts.old_valid,
        counts.new_valid,
        counts.finished_first,
        counts.corrupt,
        counts.missing,
        counts.mid_write
    );
    println!(
        "temp files left by killed saves: {left_before} (at most {most_temps} at once); after the next save: {left_after}"
    );
    assert_eq!(counts.corrupt, 0, "{counts:?}");
    assert_eq!(counts.missing, 0, "{counts:?}");
    assert_eq!(counts.old_valid + counts.new_valid, runs);
    assert_eq!(left_after, 0, "stale temp files are cleaned up");
}

/// Two processes saving one file at once (two `waymark fmt`, or the app and
/// a `fmt`): every save succeeds, neither removes the other's temp file
/// while it is being written, and the file is always one whole version.
#[test]
fn concurrent_saves_of_one_file_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.journey.ron");
    let new = waymark::io::to_string(&waymark::model::templates::generated(300, 6_000));
    let old = indents_doubled(&new);
    let rounds = 40;
    for round in 0..rounds {
        std::fs::write(&file, &old).unwrap();
        let runs: Vec<_> = (0..2)
            .map(|_| {
                waymark()
                    .arg("fmt")
                    .arg(&file)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            new,
            "round {round}"
        );
        assert_eq!(
            temp_files(dir.path()),
            0,
            "round {round}: a temp file was left"
        );
    }
}
