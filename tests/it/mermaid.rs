//! Mermaid `journey` import and export: every grammar case from a
//! hand-written fixture, errors with their line:column, both round trips
//! over arbitrary input, the CLI, and mermaid-cli drawing the examples.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use waymark::interop::mermaid::{Diagram, Imported, Item, NO_ACTOR, Task, export, import, parse};
use waymark::model::Journey;

use crate::common::{example_files, fixture, waymark};

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("mermaid/{name}"))).unwrap()
}

fn imported(name: &str) -> Imported {
    import(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn diagram(name: &str) -> Diagram {
    parse(&read(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .diagram
}

fn tasks(d: &Diagram) -> Vec<&Task> {
    d.items
        .iter()
        .filter_map(|i| match i {
            Item::Task(t) => Some(t),
            Item::Section(_) => None,
        })
        .collect()
}

fn sections(d: &Diagram) -> Vec<&str> {
    d.items
        .iter()
        .filter_map(|i| match i {
            Item::Section(s) => Some(s.as_str()),
            Item::Task(_) => None,
        })
        .collect()
}

fn names(journey: &Journey) -> Vec<&str> {
    journey.steps().map(|(_, s)| s.name.as_str()).collect()
}

fn score(journey: &Journey, persona: &str, step: &str) -> Option<f32> {
    let persona = journey.personas.iter().find(|p| p.name == persona)?;
    let (_, step) = journey.steps().find(|(_, s)| s.name == step)?;
    journey.curve(persona.id)?.points.get(&step.id).copied()
}

#[test]
fn basic_maps_sections_tasks_actors_and_scores() {
    let imported = imported("basic.mmd");
    let j = &imported.journey;
    assert_eq!(j.title, "Renewing a library card");
    let stages: Vec<&str> = j.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stages, ["Find out", "Renew"]);
    assert_eq!(names(j).len(), 4);
    let personas: Vec<&str> = j.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(personas, ["Ana", "Librarian"]);
    assert_eq!(score(j, "Ana", "Reads the reminder email"), Some(1.0));
    assert_eq!(score(j, "Ana", "Searches the website"), Some(-1.0));
    assert_eq!(score(j, "Librarian", "Searches the website"), Some(-1.0));
    assert_eq!(score(j, "Librarian", "Fills in the form"), None);
    assert_eq!(score(j, "Ana", "Gets a confirmation"), Some(2.0));
    // Every step has its action card, in an Actions lane.
    let actions = j
        .lanes
        .iter()
        .find(|l| l.kind == waymark::model::LaneKind::Actions)
        .unwrap();
    for (_, step) in j.steps() {
        let cards: Vec<_> = j.cards_in(step.id, actions.id).collect();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].title, step.name);
    }
    assert!(j.emotion_lane().is_some());
    assert!(j.problems().is_empty(), "{:?}", j.problems());
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert!(
        imported.mapped.contains("2 sections"),
        "{}",
        imported.mapped
    );
    assert!(imported.mapped.contains("4 tasks"), "{}", imported.mapped);
    assert!(imported.mapped.contains("2 actors"), "{}", imported.mapped);
}

#[test]
fn acc_title_and_one_line_acc_descr() {
    let d = diagram("accessibility.mmd");
    assert_eq!(d.acc_title.as_deref(), Some("Renewing a library card"));
    assert_eq!(
        d.acc_descr.as_deref(),
        Some("How a member renews a card online, step by step")
    );
    let j = imported("accessibility.mmd").journey;
    assert_eq!(
        j.title, "Renewing a library card",
        "accTitle stands in for a missing title"
    );
    assert_eq!(
        j.description,
        "How a member renews a card online, step by step"
    );
}

#[test]
fn an_acc_title_beside_a_different_title_is_dropped_with_a_warning() {
    let imported = import("journey\ntitle Shown\naccTitle: Read aloud\n").unwrap();
    assert_eq!(imported.journey.title, "Shown");
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(imported.warnings[0].contains("accTitle `Read aloud`"));
    let same = import("journey\ntitle Shown\naccTitle: Shown\n").unwrap();
    assert!(same.warnings.is_empty(), "{:?}", same.warnings);
}

#[test]
fn acc_descr_block_and_a_statement_after_its_brace() {
    let d = diagram("acc-block.mmd");
    assert_eq!(
        d.acc_descr.as_deref(),
        Some("How a member renews\na card online")
    );
    assert_eq!(d.title.as_deref(), Some("Renewing a library card"));
    assert_eq!(tasks(&d).len(), 1);
}

#[test]
fn comments_anywhere_and_directives() {
    let d = diagram("comments.mmd");
    assert_eq!(d.title.as_deref(), Some("Renewing a library card"));
    assert_eq!(d.acc_descr.as_deref(), Some("First line\nSecond line"));
    // Mermaid's lexer reads a mid-line `%%` in a section name as text.
    assert_eq!(
        sections(&d),
        ["Renew %% not a comment, part of the name as in Mermaid"]
    );
    assert_eq!(tasks(&d)[0].actors, ["Ana"]);
}

#[test]
fn br_variants_are_line_breaks_and_an_encoded_one_is_not() {
    let d = diagram("line-breaks.mmd");
    assert_eq!(sections(&d), ["Line1\nLine2\nLine3\nLine4\nLine5"]);
    let t = tasks(&d);
    assert_eq!(t[0].name, "Reads\nthe email");
    assert_eq!(t[1].name, "Literal <br> stays");
}

#[test]
fn entity_codes_are_decoded() {
    let d = diagram("entities.mmd");
    assert_eq!(d.title.as_deref(), Some("Fees; fines #1"));
    assert_eq!(sections(&d), ["Pay \"now\""]);
    let t = tasks(&d);
    assert_eq!(t[0].name, "Pays #42; done");
    assert_eq!(t[1].name, "Loves it \u{2665}");
    assert_eq!(t[1].actors, ["Ana, Bo"]);
    assert_eq!(t[2].name, "Unknown #foo; stays");
}

#[test]
fn tasks_before_any_section_get_a_blank_stage() {
    let j = imported("no-section.mmd").journey;
    let stages: Vec<(&str, usize)> = j
        .stages
        .iter()
        .map(|s| (s.name.as_str(), s.steps.len()))
        .collect();
    assert_eq!(stages, [("", 2), ("Work", 1)]);
}

#[test]
fn a_section_name_used_twice_makes_two_stages() {
    let j = imported("repeated-section.mmd").journey;
    let stages: Vec<&str> = j.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stages, ["Visit", "Wait", "Visit"]);
    assert_ne!(j.stages[0].id, j.stages[2].id);
}

#[test]
fn blank_actors_are_skipped_and_actorless_tasks_score_customer() {
    let d = diagram("blank-actors.mmd");
    let t = tasks(&d);
    assert!(t[0].actors.is_empty());
    assert_eq!(t[1].actors, ["Ana", "Bo"]);
    assert!(t[2].actors.is_empty());
    let imported = imported("blank-actors.mmd");
    let j = &imported.journey;
    let customer = j
        .personas
        .iter()
        .find(|p| p.description == NO_ACTOR)
        .unwrap();
    assert_eq!(customer.name, "Customer");
    assert_eq!(score(j, "Customer", "Trailing colon"), Some(2.0));
    assert_eq!(score(j, "Customer", "No actors at all"), Some(-1.0));
    assert_eq!(score(j, "Customer", "Blank between commas"), None);
    assert!(imported.mapped.contains("Customer"), "{}", imported.mapped);
}

#[test]
fn spaces_around_colons_and_names_are_ignored() {
    let d = diagram("spaces.mmd");
    assert_eq!(d.title.as_deref(), Some("Spaced out"));
    assert_eq!(sections(&d), ["Renew"]);
    let t = tasks(&d);
    assert_eq!(t[0].name, "Fills in the form");
    assert!((t[0].score - 4.0).abs() < 1e-9);
    assert_eq!(t[0].actors, ["Ana", "Bo"]);
    assert_eq!(t[1].name, "Waits");
    assert_eq!(t[1].actors, ["Ana"]);
}

#[test]
fn non_ascii_names() {
    let j = imported("unicode.mmd").journey;
    assert_eq!(j.title, "Bibliothèque — carte");
    assert_eq!(names(&j), ["Café à l’accueil", "Ждёт 🙂"]);
    let personas: Vec<&str> = j.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(personas, ["Zoë", "田中"]);
}

#[test]
fn scores_outside_one_to_five_are_clamped_with_a_warning_naming_the_line() {
    let imported = imported("out-of-range.mmd");
    let j = &imported.journey;
    assert_eq!(score(j, "Ana", "Too low"), Some(-2.0));
    assert_eq!(score(j, "Ana", "Too high"), Some(2.0));
    assert_eq!(score(j, "Ana", "Half"), Some(1.5));
    assert_eq!(score(j, "Ana", "Blank"), Some(-2.0));
    let w = &imported.warnings;
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].starts_with("line 3:") && w[0].contains("outside 1..5"),
        "{w:?}"
    );
    assert!(w[1].starts_with("line 4:"), "{w:?}");
    assert!(w[2].starts_with("line 6:"), "{w:?}");
}

#[test]
fn front_matter_title_and_crlf_lines() {
    assert_eq!(
        diagram("front-matter.mmd").title.as_deref(),
        Some("From the front matter")
    );
    let d = diagram("crlf.mmd");
    assert_eq!(d.title.as_deref(), Some("Windows lines"));
    assert_eq!(tasks(&d)[0].name, "Task");
}

#[test]
fn keywords_are_case_insensitive_and_extra_pieces_warn() {
    let parsed = parse("JOURNEY\nTitle T\nSECTION S\nA: 3: Me: extra\n").unwrap();
    assert_eq!(parsed.diagram.title.as_deref(), Some("T"));
    assert_eq!(sections(&parsed.diagram), ["S"]);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert!(parsed.warnings[0].starts_with("line 4:"));
}

/// Each broken fixture, the line:column of its error, and a word of what was expected.
#[test]
fn errors_name_line_and_column_and_what_was_expected() {
    let cases = [
        ("err-not-journey.mmd", 1, 1, "expected `journey`"),
        ("err-no-colon.mmd", 3, 26, "expected `:` and a score"),
        (
            "err-bad-score.mmd",
            3,
            28,
            "expected a score from 1 to 5, found `high`",
        ),
        ("err-semicolon.mmd", 3, 29, "#59;"),
        ("err-section-colon.mmd", 2, 18, "#58;"),
        ("err-open-block.mmd", 2, 1, "never closed"),
        ("err-no-name.mmd", 3, 9, "expected a task name"),
        ("err-no-score.mmd", 3, 27, "expected a score"),
    ];
    for (name, line, column, expected) in cases {
        let err = parse(&read(name)).expect_err(name);
        assert_eq!((err.line, err.column), (line, column), "{name}: {err}");
        assert!(err.message.contains(expected), "{name}: {err}");
    }
    let err = parse("").unwrap_err();
    assert!(err.message.contains("journey"), "{err}");
}

// ---- export ------------------------------------------------------------

#[test]
fn export_writes_a_task_per_step_with_scores_and_actors() {
    let j = imported("basic.mmd").journey;
    let text = export(&j);
    assert!(text.contains("\njourney\n"), "{text}");
    assert!(
        text.contains("    title Renewing a library card\n"),
        "{text}"
    );
    assert!(text.contains("    section Find out\n"), "{text}");
    assert!(
        text.contains("        Searches the website: 2: Ana, Librarian\n"),
        "{text}"
    );
    assert!(
        text.contains("        Fills in the form: 3: Ana\n"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("%% waymark: ")),
        "{text}"
    );
}

#[test]
fn export_encodes_what_would_break_the_line() {
    let mut j = imported("basic.mmd").journey;
    j.stages[0].steps[0].name = "Journey: 50% off; #1\nnow".into();
    j.personas[0].name = "Ana, the reader".into();
    let text = export(&j);
    let line = text.lines().find(|l| l.contains("off")).unwrap();
    assert_eq!(
        line.trim(),
        "#74;ourney#58; 50#37; off#59; #35;1<br>now: 4: Ana#44; the reader"
    );
    let d = parse(&text).unwrap().diagram;
    assert_eq!(tasks(&d)[0].name, "Journey: 50% off; #1\nnow");
    assert_eq!(tasks(&d)[0].actors, ["Ana, the reader"]);
}

#[test]
fn an_edited_export_imports_the_diagram_and_says_the_comments_were_not_used() {
    let j = imported("basic.mmd").journey;
    let text = export(&j).replace("Fills in the form: 3", "Fills in the form: 5");
    let back = import(&text).unwrap();
    assert_eq!(score(&back.journey, "Ana", "Fills in the form"), Some(2.0));
    assert!(
        back.warnings.iter().any(|w| w.contains("edited")),
        "{:?}",
        back.warnings
    );
}

// ---- round trips --------------------------------------------------------

/// What Mermaid draws, in the terms the mapping keeps: the title (accTitle
/// when there is none), the description, a leading blank section dropped
/// (tasks before any section draw the same), and each task's actors as a set.
fn drawn(d: &Diagram) -> (Option<String>, Option<String>, Vec<Item>) {
    let mut items = d.items.clone();
    if matches!(items.first(), Some(Item::Section(s)) if s.is_empty()) {
        items.remove(0);
    }
    for item in &mut items {
        if let Item::Task(t) = item {
            t.actors.sort();
        }
    }
    (
        d.title.clone().or_else(|| d.acc_title.clone()),
        d.acc_descr.clone(),
        items,
    )
}

/// Text from a small alphabet with every character the grammar treats specially.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 éü田:;,#%<>{}\n]{0,12}|#59;|<br>|journey x").unwrap()
}

fn name() -> impl Strategy<Value = String> {
    text().prop_filter(
        "a name that is blank once trimmed cannot be told from none",
        |t| !t.trim().is_empty(),
    )
}

#[derive(Clone, Debug)]
enum Line {
    Section(String),
    Task(String, u8, Vec<String>),
}

fn mermaid_source() -> impl Strategy<Value = (Option<String>, Option<String>, Vec<Line>)> {
    let line = prop_oneof![
        1 => name().prop_map(Line::Section),
        4 => (name(), 2u8..=10, proptest::collection::btree_set(name(), 0..4))
            .prop_map(|(n, s, a)| Line::Task(n, s, a.into_iter().collect())),
    ];
    (
        proptest::option::of(name()),
        proptest::option::of(name()),
        proptest::collection::vec(line, 0..10),
    )
}

/// The Mermaid text of a generated diagram, written with the encoding a
/// person would use: entity codes for the characters the grammar reserves.
fn mermaid_text(title: Option<&String>, descr: Option<&String>, lines: &[Line]) -> String {
    let enc = |t: &str| waymark::interop::mermaid::encode(t, ":,", true);
    let mut out = vec!["journey".to_owned()];
    if let Some(t) = title {
        out.push(format!("  title {}", enc(t)));
    }
    if let Some(d) = descr {
        out.push(format!("  accDescr: {}", enc(&d.replace('\n', " "))));
    }
    for line in lines {
        out.push(match line {
            Line::Section(s) => format!("  section {}", enc(s)),
            Line::Task(n, s, actors) => {
                let actors: Vec<String> = actors.iter().map(|a| enc(a)).collect();
                format!(
                    "    {} : {}: {}",
                    waymark::interop::mermaid::task_name(n),
                    f64::from(*s) / 2.0,
                    actors.join(" , ")
                )
            }
        });
    }
    out.join("\n") + "\n"
}

/// Pieces of the grammar and its quirks, to be put together in any order.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "journey", "journey\n", "section ", "title ", ":", ": 3", ": 9: a, b", "#59;",
            "#", ";", "%%", "%%{", "}%%", "accDescr {", "accDescr: ", "}", "accTitle:",
            "\n", "\r\n", "<br", "/>", "---\n", "#x;", "#99999999;", "é", ",",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        let _ = import(&text);
        let _ = import(&format!("journey\n{text}"));
    }

    #[test]
    fn grammar_fragments_in_any_order_never_panic(parts in proptest::collection::vec(fragment(), 0..40)) {
        let text = parts.concat();
        if let Err(e) = import(&text) {
            prop_assert!(e.line >= 1 && e.column >= 1, "{e}");
            prop_assert!(e.line <= text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count().max(1), "{e}");
        }
    }

    #[test]
    fn waymark_to_mermaid_to_waymark_is_the_same_map(journey in crate::properties::journey()) {
        let text = export(&journey);
        let back = import(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        prop_assert_eq!(&back.journey, &journey);
        // What Mermaid draws is the map's: a task per step.
        let d = parse(&text).unwrap().diagram;
        prop_assert_eq!(tasks(&d).len(), journey.step_count());
    }

    #[test]
    fn mermaid_to_waymark_to_mermaid_is_the_same_diagram(source in mermaid_source()) {
        let (title, descr, lines) = source;
        let text = mermaid_text(title.as_ref(), descr.as_ref(), &lines);
        let first = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let journey = import(&text).unwrap().journey;
        let again = export(&journey);
        let second = parse(&again).map_err(|e| TestCaseError::fail(format!("{e}\n{again}")))?;
        prop_assert_eq!(drawn(&second.diagram), drawn(&first.diagram), "{}\n---\n{}", text, again);
    }
}

// ---- the command line ----------------------------------------------------

#[test]
fn cli_import_writes_a_map_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("renew.journey.ron");
    let output = waymark()
        .arg("import")
        .arg(fixture("mermaid/out-of-range.mmd"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("mapped 1 section"), "{stdout}");
    assert!(
        stderr.contains("out-of-range.mmd:3: warning: score"),
        "{stderr}"
    );
    let journey = waymark::io::load(&out).unwrap();
    assert_eq!(journey.step_count(), 4);

    let again = waymark()
        .arg("import")
        .arg(fixture("mermaid/basic.mmd"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(waymark::io::load(&out).unwrap(), journey, "left alone");
}

#[test]
fn cli_import_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.journey.ron");
    let output = waymark()
        .arg("import")
        .arg(fixture("mermaid/err-bad-score.mmd"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("err-bad-score.mmd:3:28: expected a score"),
        "{stderr}"
    );
    assert!(!out.exists());

    let wrong = waymark()
        .args(["import", "map.txt", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2), "{wrong:?}");
}

#[test]
fn cli_export_infers_mermaid_from_the_extension_and_the_format_flag() {
    let dir = tempfile::tempdir().unwrap();
    let example = crate::common::repo().join(crate::common::EXAMPLE);
    let out = dir.path().join("map.mmd");
    let output = waymark()
        .arg("export")
        .arg(&example)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let back = import(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(back.journey, waymark::io::load(&example).unwrap());

    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    let output = waymark()
        .arg("export")
        .args(example_files())
        .arg("-o")
        .arg(&folder)
        .args(["--format", "mermaid"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    for file in example_files() {
        let name = file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".journey.ron", ".mmd");
        assert!(folder.join(&name).is_file(), "{name}");
    }
}

// ---- mermaid-cli draws every example --------------------------------------

/// The first of `names` on the PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

/// `mmdc` under `$WAYMARK_MMDC` or on the PATH, and the Chromium it drives.
fn mmdc() -> Option<(PathBuf, PathBuf)> {
    let mmdc = std::env::var_os("WAYMARK_MMDC")
        .map(PathBuf::from)
        .or_else(|| on_path(&["mmdc"]))?;
    Some((mmdc, on_path(&["chromium", "chromium-browser"])?))
}

/// puppeteer's settings: Debian's Chromium, no sandbox (CI runs as root).
fn puppeteer_config(chromium: &Path) -> String {
    let path = chromium
        .display()
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!(r#"{{"executablePath": "{path}", "args": ["--no-sandbox"]}}"#)
}

/// Every text node of an SVG, joined.
fn svg_text(svg: &Path) -> String {
    let text = std::fs::read_to_string(svg).unwrap();
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// mermaid-cli renders the export of every example, and every step name is
/// in the picture. `.ci/run` installs it and sets `WAYMARK_REQUIRE_TOOLS`, so
/// there it always runs; elsewhere it is skipped when `mmdc` is missing.
#[test]
fn mermaid_cli_renders_every_example() {
    let Some((mmdc, chromium)) = mmdc() else {
        assert!(
            std::env::var_os("WAYMARK_REQUIRE_TOOLS").is_none(),
            "mermaid-cli (mmdc) and Chromium are required here but were not found"
        );
        eprintln!(
            "skipped: no mmdc or no Chromium. Install Debian's chromium and \
             `PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @mermaid-js/mermaid-cli` (see .ci/run)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("puppeteer.json");
    let settings = puppeteer_config(&chromium);
    std::fs::write(&config, settings).unwrap();
    for example in example_files() {
        let journey = waymark::io::load(&example).unwrap();
        let mmd = dir.path().join("map.mmd");
        let svg = dir.path().join("map.svg");
        std::fs::write(&mmd, export(&journey)).unwrap();
        let output = Command::new(&mmdc)
            .arg("-i")
            .arg(&mmd)
            .arg("-o")
            .arg(&svg)
            .arg("-p")
            .arg(&config)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}: {output:?}", example.display());
        let drawn = svg_text(&svg);
        for (_, step) in journey.steps() {
            for line in step.name.lines() {
                assert!(
                    drawn.contains(line.trim()),
                    "{}: `{line}` not in the SVG",
                    example.display()
                );
            }
        }
    }
}

// ---- the app -----------------------------------------------------------

/// A file dropped from the desktop, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Dropping a `.mmd` on the window opens it as a new, unsaved map and the
/// status line says what was mapped; a broken one leaves the map alone and
/// names the line and column.
#[test]
fn the_app_imports_a_dropped_diagram_as_a_new_unsaved_map() {
    let mut h = crate::common::harness(waymark::ui::app::StartOptions::default());
    let path = fixture("mermaid/out-of-range.mmd");
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    h.run_steps(3);
    let journey = crate::common::journey(&h);
    assert_eq!(names(&journey), ["Too low", "Too high", "Half", "Blank"]);
    assert!(h.state().doc.path.is_none(), "a new map, not the .mmd file");
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("Imported out-of-range.mmd: mapped 1 section"),
        "{status}"
    );
    assert!(status.contains("line 3:"), "{status}");

    // What the Import dialog's answer goes through, with a broken file.
    h.state_mut()
        .open_path(&fixture("mermaid/err-bad-score.mmd"));
    h.run_steps(2);
    assert_eq!(crate::common::journey(&h), journey, "the map stays");
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("err-bad-score.mmd:3:28: expected a score"),
        "{status}"
    );
}

#[test]
fn file_menu_has_import() {
    let labels: Vec<String> = waymark::ui::actions::menus()
        .into_iter()
        .flat_map(|m| m.entries)
        .filter_map(|e| match e {
            waymark::ui::actions::MenuEntry::Action(a) => Some(a.label()),
            _ => None,
        })
        .collect();
    assert!(labels.iter().any(|l| l == "Import…"), "{labels:?}");
}
