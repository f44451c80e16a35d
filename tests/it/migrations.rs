//! Older formats migrate step by step: each step has a fixture in
//! `tests/fixtures/format-N.journey.ron` and the expected result after all
//! steps, in the current format, in `format-N.migrated.journey.ron`.

use std::path::Path;

use waymark::io;
use waymark::model::FORMAT_VERSION;

use crate::common::{fixture, waymark};

#[test]
fn format_0_migrates_to_the_current_format() {
    let loaded = io::open(&fixture("format-0.journey.ron")).unwrap();
    assert_eq!(loaded.migrated_from, Some(0));
    assert!(loaded.repairs.is_empty(), "{:?}", loaded.repairs);
    let journey = loaded.journey;
    assert_eq!(journey.format, FORMAT_VERSION);
    assert_eq!(journey.title, "Renewing a library card");
    assert_eq!(journey.curves.len(), 2, "one curve per persona");
    assert_eq!(journey.curves[0].points.len(), 3);
    assert!(journey.problems().is_empty(), "{:?}", journey.problems());
    // The whole result, byte for byte, in canonical form.
    let expected = std::fs::read_to_string(fixture("format-0.migrated.journey.ron")).unwrap();
    assert_eq!(io::to_string(&journey), expected);
    // The migrated text is plain current-format input.
    let again = io::parse_str(&expected, Path::new("x")).unwrap();
    assert_eq!(again, journey);
}

/// The examples as format 1 shipped them migrate to exactly the canonical
/// format 2 text: every field kept, nothing new filled in.
#[test]
fn format_1_examples_migrate_to_the_current_format() {
    for name in ["format-1", "format-1-saas"] {
        let loaded = io::open(&fixture(&format!("{name}.journey.ron"))).unwrap();
        assert_eq!(loaded.migrated_from, Some(1), "{name}");
        assert!(loaded.repairs.is_empty(), "{name}: {:?}", loaded.repairs);
        let journey = loaded.journey;
        assert!(journey.problems().is_empty(), "{:?}", journey.problems());
        assert!(!journey.cards.is_empty() && !journey.pain_points.is_empty());
        assert!(journey.objective.is_empty() && journey.revisions.is_empty());
        let expected =
            std::fs::read_to_string(fixture(&format!("{name}.migrated.journey.ron"))).unwrap();
        assert_eq!(io::to_string(&journey), expected, "{name}");
        assert_eq!(io::parse_str(&expected, Path::new("x")).unwrap(), journey);
    }
}

#[test]
fn a_format_1_file_with_a_format_2_field_is_refused_where_it_stands() {
    let text = std::fs::read_to_string(fixture("format-1.journey.ron")).unwrap();
    let broken = text.replacen(
        "  personas: [",
        "  objective: \"Too new\",\n  personas: [",
        1,
    );
    let err = io::parse_str(&broken, Path::new("old.journey.ron"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("old.journey.ron:"), "{err}");
    assert!(err.contains("objective"), "{err}");
}

#[test]
fn a_format_1_curve_with_a_state_or_samples_is_refused_where_it_stands() {
    let text = std::fs::read_to_string(fixture("format-1.journey.ron")).unwrap();
    for field in ["state: Future,", "samples: {},"] {
        let broken = text.replacen(
            "      persona: 1,",
            &format!("      persona: 1,\n      {field}"),
            1,
        );
        assert_ne!(broken, text);
        let err = io::parse_str(&broken, Path::new("old.journey.ron"))
            .unwrap_err()
            .to_string();
        let name = field.split(':').next().unwrap_or_default();
        assert!(err.starts_with("old.journey.ron:422:"), "{err}");
        assert!(err.contains(name), "{err}");
    }
}

#[test]
fn a_format_0_file_is_not_changed_by_opening_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.journey.ron");
    std::fs::copy(fixture("format-0.journey.ron"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    io::open(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_malformed_format_0_file_is_a_located_error() {
    let text = std::fs::read_to_string(fixture("format-0.journey.ron")).unwrap();
    let broken = text.replace("score: 1.5", "score: \"high\"");
    let err = io::parse_str(&broken, Path::new("old.journey.ron"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("old.journey.ron:"), "{err}");
    assert!(err.contains(':'), "{err}");
}

#[test]
fn an_unknown_older_format_and_a_newer_one_are_refused() {
    // Formats below the oldest migration do not exist; none are below 0, so
    // check the newer side and that the message names the format.
    let err = io::parse_str("(format: 3, title: \"x\")", Path::new("n.journey.ron"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "n.journey.ron: saved by a newer version of Waymark (format 3); this version reads up to format {FORMAT_VERSION}"
        )
    );
}

#[test]
fn check_says_an_old_format_file_is_valid_and_how_to_upgrade_it() {
    let output = waymark()
        .arg("check")
        .arg(fixture("format-0.journey.ron"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("written in format 0"), "{stdout}");
    assert!(stdout.contains("waymark fmt"), "{stdout}");
    // A current file says nothing about formats.
    let output = waymark()
        .args(["check", "examples/grocery-checkout.journey.ron"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("format"));
}
