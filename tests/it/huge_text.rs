//! Text the map cannot show is never laid out: a map with a 50 MB
//! description exports to PNG and SVG within the memory ceiling of any
//! export. The export runs in a child run of this test binary, so the peak
//! memory it reads from `/proc/self/status` is the export's alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use waymark::cli::Command as Cli;

use crate::common::{EXAMPLE, load};

/// The ceiling for any export's peak memory.
const CEILING_MB: u64 = 300;
/// Set in the child run, to the folder to work in.
const CHILD: &str = "WAYMARK_HUGE_TEXT_CHILD";

/// The example map with a description of about 50 MB.
fn huge_map(dir: &Path) -> PathBuf {
    let mut journey = load(EXAMPLE);
    journey.description =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(900_000);
    let path = dir.join("huge.journey.ron");
    waymark::io::save(&path, &journey).unwrap();
    path
}

/// Peak resident memory of this process so far, in MB.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kb: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024)
}

fn export(map: &Path, output: PathBuf) {
    let code = waymark::cli::run(Cli::Export {
        files: vec![map.to_path_buf()],
        output,
        format: waymark::cli::ExportFormat::Png,
        scale: 2.0,
        slide: None,
        page: waymark::export::pdf::Page::Fit,
        background: waymark::export::Background::White,
        margin: 24.0,
        no_header: false,
        no_legend: false,
        state: waymark::view::states::StateView::Current,
        date: None,
        plan: false,
    });
    assert_eq!(code, std::process::ExitCode::SUCCESS);
}

#[test]
fn a_50_mb_description_exports_within_the_memory_ceiling() {
    if let Some(dir) = std::env::var_os(CHILD) {
        // The child: make the map, export it both ways, report the peak.
        let dir = PathBuf::from(dir);
        let map = huge_map(&dir);
        export(&map, dir.join("huge.png"));
        export(&map, dir.join("huge.svg"));
        println!("peak {} MB", peak_mb().unwrap());
        return;
    }
    if peak_mb().is_none() {
        eprintln!("skipped: no /proc/self/status to read peak memory from");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "huge_text::a_50_mb_description_exports_within_the_memory_ceiling",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env(CHILD, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let peak: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak "))
        .and_then(|l| l.trim_end_matches(" MB").parse().ok())
        .unwrap_or_else(|| panic!("no peak in {stdout}"));
    eprintln!("a 50 MB description: PNG and SVG exports peak at {peak} MB");
    assert!(peak <= CEILING_MB, "peak {peak} MB");
    let png = std::fs::metadata(dir.path().join("huge.png"))
        .unwrap()
        .len();
    let svg = std::fs::metadata(dir.path().join("huge.svg"))
        .unwrap()
        .len();
    assert!(png > 0 && svg < 10_000_000, "png {png} B, svg {svg} B");
}
