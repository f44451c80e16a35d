//! The command line contract: `new`, `check` and `fmt`, their exit codes and
//! their messages, run against the real binary.

use std::path::{Path, PathBuf};

use waymark::model::{Card, CardId, LaneKind, StepId};

use crate::common::{self, on_one_line, waymark};

/// Runs `waymark ARGS` and returns (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let output = waymark().args(args).output().unwrap();
    (
        output.status.code().expect("the process exited normally"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

macro_rules! run {
    ($($arg:expr),* $(,)?) => {
        run(&[$(std::ffi::OsStr::new($arg)),*])
    };
}

/// Writes `text` into a fresh file in `dir`.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A valid journey in canonical form, made by `new`.
fn new_map(dir: &Path, template: &str) -> PathBuf {
    let path = dir.join(format!("{template}.journey.ron"));
    let (code, stdout, stderr) = run!("new", "--template", template, "-o", &path);
    assert_eq!(code, 0, "new --template {template}: {stderr}");
    assert!(stdout.contains("wrote"), "{stdout}");
    path
}

#[test]
fn new_check_fmt_for_every_template() {
    let dir = tempfile::tempdir().unwrap();
    for template in ["blank", "four-stage", "six-stage"] {
        let path = new_map(dir.path(), template);
        let canonical = std::fs::read(&path).unwrap();

        let (code, stdout, stderr) = run!("check", &path);
        assert_eq!(code, 0, "check {template}: {stderr}");
        assert!(stdout.contains(": ok ("), "{stdout}");
        assert!(stderr.is_empty(), "{stderr}");

        // Already canonical: fmt changes nothing.
        let (code, _, stderr) = run!("fmt", &path);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            canonical,
            "fmt of {template} is not idempotent"
        );

        // Valid but laid out by hand: fmt restores the canonical bytes, and a
        // second fmt is a no-op.
        let text = String::from_utf8(canonical.clone()).unwrap();
        std::fs::write(&path, on_one_line(&text)).unwrap();
        assert_ne!(std::fs::read(&path).unwrap(), canonical);
        let (code, _, stderr) = run!("check", &path);
        assert_eq!(
            code, 0,
            "the hand-laid-out {template} map should be valid: {stderr}"
        );
        let (code, _, stderr) = run!("fmt", &path);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            canonical,
            "fmt of {template}"
        );
        let (code, _, stderr) = run!("fmt", &path);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            canonical,
            "second fmt of {template}"
        );
    }
}

#[test]
fn new_uses_the_title_and_the_default_template() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launch.journey.ron");
    let (code, _, stderr) = run!("new", "--title", "Launch \"beta\" ✈", "-o", &path);
    assert_eq!(code, 0, "{stderr}");
    let journey = waymark::io::load(&path).unwrap();
    assert_eq!(journey.title, "Launch \"beta\" ✈");
    assert_eq!(
        journey.stages.len(),
        4,
        "four-stage is the default template"
    );
}

#[test]
fn fmt_rewrites_several_files_and_keeps_a_bom_free_canonical_form() {
    let dir = tempfile::tempdir().unwrap();
    let a = new_map(dir.path(), "blank");
    let b = new_map(dir.path(), "six-stage");
    let canonical_a = std::fs::read_to_string(&a).unwrap();
    let canonical_b = std::fs::read_to_string(&b).unwrap();
    std::fs::write(&a, format!("\u{feff}{}", canonical_a.replace("  ", "\t"))).unwrap();
    std::fs::write(&b, canonical_b.replace('\n', "\r\n")).unwrap();
    let (code, _, stderr) = run!("fmt", &a, &b);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), canonical_a);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), canonical_b);
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "mine.journey.ron", "precious");
    let (code, stdout, stderr) = run!("new", "-o", &path);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
}

#[test]
fn new_into_a_missing_folder_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("x.journey.ron");
    let (code, _, stderr) = run!("new", "-o", &path);
    assert_eq!(code, 1);
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // Line 3 lacks its trailing comma, so the parser stops at the start of line 4.
    let path = write(
        dir.path(),
        "broken.journey.ron",
        "(\n  format: 1,\n  title: \"Broken\"\n  description: \"\",\n)\n",
    );
    for command in ["check", "fmt"] {
        let (code, stdout, stderr) = run!(command, &path);
        assert_eq!(code, 1, "{command}");
        assert!(stdout.is_empty(), "{stdout}");
        let expected = format!("{}:4:3: ", path.display());
        assert!(stderr.starts_with(&expected), "{command}: {stderr}");
        assert!(stderr.contains("comma"), "{stderr}");
    }
}

#[test]
fn unknown_variant_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "lane.journey.ron",
        "(\n  format: 1,\n  title: \"x\",\n  personas: [],\n  stages: [],\n  lanes: [\n    (id: 1, kind: Sideways, name: \"L\"),\n  ],\n)\n",
    );
    let (code, _, stderr) = run!("check", &path);
    assert_eq!(code, 1);
    // Column 19 is the `S` of `Sideways`.
    let expected = format!("{}:7:19: ", path.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(stderr.contains("Sideways"), "{stderr}");
}

#[test]
fn invalid_utf8_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.journey.ron");
    std::fs::write(&path, b"(\n  format: 1,\n  title: \"Caf\xe9\",\n)\n").unwrap();
    let (code, _, stderr) = run!("check", &path);
    assert_eq!(code, 1);
    let expected = format!("{}:3:14: ", path.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");
}

#[test]
fn empty_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.journey.ron", "  \n");
    let (code, _, stderr) = run!("check", &path);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!("{}:1:1: ", path.display())),
        "{stderr}"
    );
}

#[test]
fn missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere.journey.ron");
    for command in ["check", "fmt"] {
        let (code, stdout, stderr) = run!(command, &path);
        assert_eq!(code, 1, "{command}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.starts_with(&format!("{}: ", path.display())),
            "{command}: {stderr}"
        );
    }
    assert!(!path.exists(), "fmt must not create a missing file");
}

#[test]
fn dangling_reference_fails_check_and_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_map(dir.path(), "four-stage");
    let mut journey = waymark::io::load(&path).unwrap();
    let lane = journey
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Actions)
        .unwrap()
        .id;
    let id = CardId(journey.next_id());
    journey
        .cards
        .push(Card::new(id, StepId(999), lane, "Lost card"));
    waymark::io::save(&path, &journey).unwrap();

    let (code, stdout, stderr) = run!("check", &path);
    assert_eq!(code, 1);
    assert!(!stdout.contains("ok"), "{stdout}");
    let expected = format!(
        "{}: card {} \"Lost card\" is in step 999, which does not exist",
        path.display(),
        id.0
    );
    assert!(stderr.contains(&expected), "{stderr}");

    // fmt and export refuse it with check's message and write nothing.
    let before = std::fs::read(&path).unwrap();
    std::fs::write(&path, on_one_line(&String::from_utf8(before).unwrap())).unwrap();
    let before = std::fs::read(&path).unwrap();
    let (code, _, fmt_err) = run!("fmt", &path);
    assert_eq!(code, 1);
    assert!(fmt_err.contains(&expected), "{fmt_err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "fmt left the file alone"
    );
    let png = dir.path().join("out.png");
    let (code, _, export_err) = run!("export", &path, "-o", &png);
    assert_eq!(code, 1);
    assert!(export_err.contains(&expected), "{export_err}");
    assert!(!png.exists());
}

#[test]
fn fmt_makes_the_repairs_that_lose_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_map(dir.path(), "four-stage");
    let mut journey = waymark::io::load(&path).unwrap();
    let persona = journey.personas[0].id;
    journey.curves[0].points.insert(StepId(999), 1.0);
    journey.pain_points.push(waymark::model::PainPoint {
        id: waymark::model::PainId(journey.next_id()),
        severity: 2,
        text: "Slow".into(),
        anchor: waymark::model::Anchor::Step(journey.stages[0].steps[0].id),
        opportunity: Some(CardId(998)),
        solved_in_future: false,
    });
    waymark::io::save(&path, &journey).unwrap();
    assert_eq!(
        run!("check", &path).0,
        1,
        "check reports the file as written"
    );

    let (code, _, stderr) = run!("fmt", &path);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("link to opportunity card 998"), "{stderr}");
    assert!(
        stderr.contains(&format!("persona {} at step 999", persona.0)),
        "{stderr}"
    );
    let (code, _, stderr) = run!("check", &path);
    assert_eq!(code, 0, "repaired: {stderr}");
}

/// Writes a four-stage map whose first curve point's score is `score`, as
/// text, so values serde would not write (1e40, NaN) can be tried.
fn with_score(dir: &Path, score: &str) -> PathBuf {
    let dir = dir.join(score);
    std::fs::create_dir(&dir).unwrap();
    let path = new_map(&dir, "four-stage");
    let mut journey = waymark::io::load(&path).unwrap();
    let step = journey.stages[0].steps[0].id;
    journey.curves[0].points.insert(step, 1.25);
    let text = waymark::io::to_string(&journey).replace("1.25", score);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn scores_that_are_not_finite_are_refused_where_they_stand() {
    let dir = tempfile::tempdir().unwrap();
    for score in ["1e40", "inf", "-inf", "NaN"] {
        let path = with_score(dir.path(), score);
        let text = std::fs::read_to_string(&path).unwrap();
        let line = 1 + text.lines().position(|l| l.contains(score)).unwrap();
        for command in ["check", "fmt", "export"] {
            let png = dir.path().join("out.png");
            let (code, _, stderr) = if command == "export" {
                run!(command, &path, "-o", &png)
            } else {
                run!(command, &path)
            };
            assert_eq!(code, 1, "{command} {score}");
            let place = format!("{}:{line}:", path.display());
            assert!(stderr.contains(&place), "{command} {score}: {stderr}");
            assert!(stderr.contains("must be a number from -2 to 2"), "{stderr}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
            assert!(!png.exists());
        }
    }
}

#[test]
fn out_of_range_scores_and_severities_fail_fmt_like_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = with_score(dir.path(), "7.5");
    let (code, _, check_err) = run!("check", &path);
    assert_eq!(code, 1);
    let (code, _, fmt_err) = run!("fmt", &path);
    assert_eq!(code, 1);
    assert!(fmt_err.contains("outside -2..=2"), "{fmt_err}");
    assert_eq!(check_err, fmt_err, "the same messages as check");
}

#[test]
fn export_scales_and_margins_outside_their_range_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let map = new_map(dir.path(), "four-stage");
    for (flag, value, range) in [
        ("--scale", "1e-4", "from 0.1 to 8"),
        ("--scale", "1e-9", "from 0.1 to 8"),
        ("--scale", "1e9", "from 0.1 to 8"),
        ("--scale", "NaN", "from 0.1 to 8"),
        ("--scale", "0", "from 0.1 to 8"),
        ("--margin", "NaN", "from 0 to 400"),
        ("--margin", "-0.5", "from 0 to 400"),
        ("--margin", "1e30", "from 0 to 400"),
    ] {
        for out in ["out.png", "out.svg"] {
            let out = dir.path().join(out);
            let (code, _, stderr) = run!("export", &map, "-o", &out, &format!("{flag}={value}"));
            assert_eq!(code, 2, "{flag} {value}: {stderr}");
            assert!(stderr.contains(flag) && stderr.contains(range), "{stderr}");
            assert!(!out.exists(), "{flag} {value}");
        }
    }
    let out = dir.path().join("edge.png");
    let (code, _, stderr) = run!(
        "export", &map, "-o", &out, "--scale", "0.1", "--margin", "0"
    );
    assert_eq!(code, 0, "the ends of the ranges are accepted: {stderr}");
}

#[test]
fn check_reports_every_file_and_fails_if_any_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let good = new_map(dir.path(), "blank");
    let bad = write(dir.path(), "bad.journey.ron", "(format: 1,");
    let (code, stdout, stderr) = run!("check", &bad, &good);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!("{}: ok", good.display())),
        "{stdout}"
    );
    // Counts in the right number: the blank map has one stage and one step.
    assert!(
        stdout.contains("(1 stage, 1 step, ") && stdout.contains(", 0 cards, 0 pain points)"),
        "{stdout}"
    );
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
}

#[test]
fn newer_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A future file with fields this version does not know.
    let text = "(\n  format: 99,\n  title: \"From the future\",\n  hologram: Some((x: 1)),\n)\n";
    let path = write(dir.path(), "future.journey.ron", text);
    for command in ["check", "fmt"] {
        let (code, _, stderr) = run!(command, &path);
        assert_eq!(code, 1, "{command}");
        assert!(
            stderr.starts_with(&format!("{}: ", path.display())),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("newer version of Waymark (format 99)"),
            "{command}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "fmt must leave a newer file untouched"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_map(dir.path(), "blank");
    let cases: &[&[&str]] = &[
        &["check"],
        &["fmt"],
        &["check", "--bogus", "x.journey.ron"],
        &["fmt", "--in-place", "x.journey.ron"],
        &["new"],
        &["new", "--template", "nine-stage", "-o", "x.journey.ron"],
    ];
    for args in cases {
        let output = waymark()
            .current_dir(dir.path())
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "waymark {}", args.join(" "));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with("error: "),
            "waymark {}: {stderr}",
            args.join(" ")
        );
    }
    // Nothing was written by the failed commands.
    assert!(!dir.path().join("x.journey.ron").exists());
    assert!(path.exists());
}

#[test]
fn help_and_version_exit_0() {
    for args in [["--help"], ["--version"]] {
        let (code, stdout, _) = run!(args[0]);
        assert_eq!(code, 0, "{args:?}");
        assert!(stdout.contains("waymark"), "{stdout}");
    }
}

#[test]
fn version_names_the_package_version() {
    let (code, stdout, _) = run!("--version");
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        format!("waymark {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn examples_pass_check_and_are_canonical() {
    let mut seen = 0;
    for entry in std::fs::read_dir(common::repo().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".journey.ron") {
            continue;
        }
        seen += 1;
        let (code, stdout, stderr) = run!("check", &path);
        assert_eq!(code, 0, "{}: {stderr}", path.display());
        assert!(stdout.contains(": ok ("), "{stdout}");
        let text = std::fs::read_to_string(&path).unwrap();
        let journey = waymark::io::parse_str(&text, &path).unwrap();
        assert_eq!(
            waymark::io::to_string(&journey),
            text,
            "{} is not in canonical form; run `waymark fmt` on it",
            path.display()
        );
    }
    assert!(
        seen >= 2,
        "expected the example maps in {}",
        common::repo().join("examples").display()
    );
}

/// A new file should get the usual permissions (0666 minus the umask), as a
/// text editor would create it; the atomic save's temp file is 0600.
#[cfg(unix)]
#[test]
fn new_file_is_readable_by_others() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = new_map(dir.path(), "blank");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
}

/// A failed export names the image the user asked for, never the hidden
/// temp file it was being written into.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_export_names_the_target_not_the_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let map = new_map(dir.path(), "four-stage");
    for target in ["/proc/waymark-test.png", "/sys/waymark-test.svg"] {
        let (code, _, stderr) = run!("export", &map, "-o", target);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(target), "{stderr}");
        assert!(!stderr.contains(".waymark-test."), "a temp name: {stderr}");
    }
}

#[test]
fn export_slide_writes_numbered_slides_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.png");
    let (code, stdout, stderr) = run!("export", common::EXAMPLE, "-o", &out, "--slide", "1080");
    assert_eq!(code, 0, "{stderr}");
    let journey = common::load(common::EXAMPLE);
    let options = waymark::export::ExportOptions {
        target: waymark::export::Target::Slide(waymark::export::SlideSize::Hd),
        ..waymark::export::ExportOptions::for_images()
    };
    let count = waymark::export::slides(&journey, &options).len();
    assert!(count > 1, "the example is split");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), count, "{stdout}");
    for (index, line) in lines.iter().enumerate() {
        let file = dir.path().join(format!("deck-{}.png", index + 1));
        assert_eq!(*line, format!("wrote {} (1920x1080)", file.display()));
        let image = image::open(&file).unwrap();
        assert_eq!((image.width(), image.height()), (1920, 1080));
    }
    assert!(!out.exists());

    // SVG too, and 4K; into a folder, named after the map.
    let (code, stdout, stderr) = run!(
        "export",
        common::EXAMPLE,
        "-o",
        dir.path(),
        "--format",
        "svg",
        "--slide",
        "2160"
    );
    assert_eq!(code, 0, "{stderr}");
    let first = dir.path().join("grocery-checkout-1.svg");
    assert!(
        stdout.starts_with(&format!("wrote {} (3840x2160)", first.display())),
        "{stdout}"
    );
    assert!(
        std::fs::read_to_string(&first)
            .unwrap()
            .contains(r#"width="3840" height="2160""#)
    );
}

#[test]
fn export_slide_refuses_a_scale_and_unknown_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.png");
    let (code, _, stderr) = run!(
        "export",
        common::EXAMPLE,
        "-o",
        &out,
        "--slide",
        "1080",
        "--scale",
        "2"
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--slide")
            && stderr.contains("cannot be used with")
            && stderr.contains("--scale"),
        "{stderr}"
    );
    let (code, _, stderr) = run!("export", common::EXAMPLE, "-o", &out, "--slide", "720");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("1080") && stderr.contains("2160"),
        "{stderr}"
    );
    let nothing: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(nothing.is_empty(), "{nothing:?}");
    let (_, help, _) = run!("export", "--help");
    assert!(
        help.contains("--slide <HEIGHT>") && help.contains("NAME-1.png"),
        "{help}"
    );
}

#[test]
fn export_defaults_to_scale_two() {
    let dir = tempfile::tempdir().unwrap();
    let map = new_map(dir.path(), "four-stage");
    let out = dir.path().join("map.png");
    let (code, stdout, stderr) = run!("export", &map, "-o", &out);
    assert_eq!(code, 0, "{stderr}");
    let journey = waymark::io::load(&map).unwrap();
    let one =
        waymark::export::image_size(&journey, &waymark::export::ExportOptions::default()).unwrap();
    let image = image::open(&out).unwrap();
    assert_eq!((image.width(), image.height()), (one.0 * 2, one.1 * 2));
    assert!((waymark::export::DEFAULT_SCALE - 2.0).abs() < f32::EPSILON);
    assert!((waymark::export::ExportOptions::for_images().scale - 2.0).abs() < f32::EPSILON);
    assert!(
        stdout.contains(&format!("({}x{})", one.0 * 2, one.1 * 2)),
        "{stdout}"
    );
}

/// A four-stage map with one overdue opportunity, one without owner or due
/// date, a KPI without target and a pain no opportunity addresses.
fn plan_map(dir: &Path) -> PathBuf {
    use waymark::model::{ActionItem, Anchor, Date, Kpi, PainId, PainPoint, Status};
    let mut j = waymark::model::templates::Template::FourStage.build("Plan");
    let lane = j
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Opportunities)
        .unwrap()
        .id;
    let step = j.stages[1].steps[0].id;
    let mut late = Card::new(CardId(700), step, lane, "Show fees up front");
    late.plan = Some(ActionItem {
        owner: "Priya".into(),
        status: Status::Planned,
        due: Some(Date::constant(2026, 11, 30)),
        ..ActionItem::default()
    });
    j.cards.push(late);
    j.cards
        .push(Card::new(CardId(701), step, lane, "Save the basket"));
    let mut nps = Kpi::named("NPS");
    nps.value = Some(21.0);
    j.stages[0].kpis.push(nps);
    j.pain_points.push(PainPoint {
        id: PainId(702),
        severity: 3,
        text: "Fees appear at the last step".into(),
        anchor: Anchor::Step(step),
        opportunity: Some(CardId(700)),
        solved_in_future: false,
    });
    j.pain_points.push(PainPoint {
        id: PainId(703),
        severity: 1,
        text: "Slot list is long".into(),
        anchor: Anchor::Step(step),
        opportunity: None,
        solved_in_future: false,
    });
    let path = dir.join("plan.journey.ron");
    waymark::io::save(&path, &j).unwrap();
    path
}

#[test]
fn check_prints_plan_warnings_and_still_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan_map(dir.path());
    let (code, stdout, stderr) = run!("check", "--today", "2026-12-07", &path);
    assert_eq!(code, 0, "warnings never fail check: {stderr}");
    // The plan rules' findings, without their rule ids.
    let plan_rules = [
        "overdue",
        "opportunity-without-owner",
        "opportunity-without-due",
        "kpi-without-target",
        "pain-without-opportunity",
    ];
    let mut warnings: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_once(": warning: ").map(|(_, w)| w))
        .filter_map(|w| {
            let (message, rule) = w.rsplit_once(" [")?;
            plan_rules
                .contains(&rule.trim_end_matches(']'))
                .then_some(message)
        })
        .collect();
    // Findings are listed rule by rule; the plan's warnings in map order.
    let plan = waymark::io::load(&path).unwrap();
    let in_plan_order: Vec<String> = plan
        .plan_warnings(jiff::civil::date(2026, 12, 7))
        .into_iter()
        .map(|w| w.message)
        .collect();
    warnings.sort_by_key(|w| in_plan_order.iter().position(|p| p == w));
    assert_eq!(
        warnings,
        [
            "opportunity 700 \"Show fees up front\" was due on 2026-11-30 and is planned",
            "opportunity 701 \"Save the basket\" has no owner",
            "opportunity 701 \"Save the basket\" has no due date",
            "KPI \"NPS\" of stage \"Awareness\" has no target",
            "pain point 703 \"Slot list is long\" has no opportunity to address it",
        ],
        "{stdout}"
    );
    // The day decides what is overdue.
    let (_, stdout, _) = run!("check", "--today", "2026-11-01", &path);
    assert!(!stdout.contains("was due"), "{stdout}");
}

#[test]
fn export_plan_writes_the_action_plan_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = plan_map(dir.path());
    let out = dir.path().join("plan.csv");
    let (code, stdout, stderr) = run!(
        "export",
        &path,
        "--plan",
        "--date",
        "2026-12-07",
        "-o",
        &out
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("(2 opportunities)"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("title,priority,owner,status,due,overdue,pains addressed,stage,step")
    );
    assert_eq!(
        lines.next(),
        Some(
            "Show fees up front,Medium,Priya,Planned,2026-11-30,yes,Fees appear at the last step,Consideration,Compares options"
        ),
        "{text}"
    );
    assert_eq!(
        lines.next(),
        Some("Save the basket,,,,,,,Consideration,Compares options")
    );
    assert_eq!(lines.next(), None);

    // Into a folder, one NAME-plan.csv per map.
    let (code, _, stderr) = run!("export", &path, "--plan", "-o", dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.path().join("plan-plan.csv").is_file());

    // Anything but .csv is refused, naming the file; --plan takes no image options.
    let png = dir.path().join("p.png");
    let (code, _, stderr) = run!("export", &path, "--plan", "-o", &png);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("p.png: with --plan the output must be a .csv file"),
        "{stderr}"
    );
    let (code, _, _) = run!("export", &path, "--plan", "--slide", "1080", "-o", &out);
    assert_eq!(code, 2);
}
