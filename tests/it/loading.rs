//! Loading anything: whatever bytes a file holds, opening it gives the map or
//! an error naming the file (with line:column where there is one), never a
//! panic; and text of every kind survives a save and reopen.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use waymark::io::{self, LoadError};
use waymark::model::templates::Template;
use waymark::model::{Anchor, Card, CardId, PainId, PainPoint};

use crate::common;

/// The examples and the oldest format's fixture.
fn examples() -> Vec<PathBuf> {
    let mut files = common::example_files();
    files.push(common::fixture("format-0.journey.ron"));
    files
}

/// Where to cut a file that ends at `end`: everywhere in a small file; in a big
/// one (parsing every prefix costs the square of its size), every line's
/// start and end, the byte either side of each, and every 11th byte between.
fn cuts(bytes: &[u8], end: usize) -> Vec<usize> {
    if end < 4096 {
        return (0..=end).collect();
    }
    let mut cuts: std::collections::BTreeSet<usize> = (0..=end).step_by(11).collect();
    for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'\n') {
        cuts.extend([i.saturating_sub(1), i, i + 1, i + 2]);
    }
    cuts.into_iter().filter(|cut| *cut <= end).collect()
}

/// Prefixes of every example that stop before its closing parenthesis are
/// errors that name the file and a line:column inside the prefix.
#[test]
fn every_truncation_of_every_example_is_an_error() {
    let name = Path::new("cut.journey.ron");
    for file in examples() {
        let bytes = std::fs::read(&file).unwrap();
        let end = bytes.iter().rposition(|b| *b == b')').unwrap();
        for cut in cuts(&bytes, end) {
            let prefix = &bytes[..cut];
            let Err(err) = io::parse_bytes(prefix, name) else {
                panic!("{}: a cut at byte {cut} parsed", file.display())
            };
            let message = err.to_string();
            assert!(message.starts_with("cut.journey.ron:"), "{message}");
            if let LoadError::Parse { line, col, .. } | LoadError::Encoding { line, col, .. } = err
            {
                let lines = prefix.split(|b| *b == b'\n').count();
                assert!(line >= 1 && col >= 1 && line <= lines.max(1), "{message}");
            }
        }
        // The whole file opens.
        io::parse_bytes(&bytes, name).unwrap();
    }
}

/// The error for each kind of broken file, with the file name and position.
#[test]
fn broken_files_name_the_file_and_the_place() {
    let good = io::to_string(&Template::FourStage.build("Good"));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "b.journey.ron:1:1: the file is empty"),
        (
            "zero-filled",
            vec![0; 100],
            "b.journey.ron:1:1: the file holds only zero bytes",
        ),
        (
            "invalid UTF-8",
            b"(\n  format: 1,\n  title: \"\xc3\x28\",\n)".to_vec(),
            "b.journey.ron:3:11: the file is not valid UTF-8",
        ),
        (
            "wrong type",
            good.replacen("title: \"Good\"", "title: 5", 1).into_bytes(),
            "b.journey.ron:3:9: Expected string",
        ),
        (
            "missing field",
            good.replacen("  title: \"Good\",\n", "", 1).into_bytes(),
            "b.journey.ron:",
        ),
        (
            "unknown field",
            good.replacen("  title:", "  colour: 1,\n  title:", 1)
                .into_bytes(),
            "b.journey.ron:3:",
        ),
        (
            "deep nesting",
            format!("(format: 1, title: \"x\", personas: {}", "[".repeat(10_000)).into_bytes(),
            "b.journey.ron:1:",
        ),
        (
            "newer format",
            b"(format: 9, title: \"x\", future: true)".to_vec(),
            "b.journey.ron: saved by a newer version of Waymark (format 9)",
        ),
    ];
    for (what, bytes, expected) in cases {
        let message = io::parse_bytes(&bytes, Path::new("b.journey.ron"))
            .map_or_else(|e| e.to_string(), |_| String::from("opened"));
        assert!(message.starts_with(expected), "{what}: {message}");
    }
}

/// A file over the size limit is refused before it is read, with its size
/// and the limit in the message.
#[test]
fn an_oversized_file_is_refused_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.journey.ron");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: no disk space used.
    file.set_len(io::MAX_FILE_BYTES + 1).unwrap();
    let message = io::open(&path).unwrap_err().to_string();
    assert!(
        message.contains(&format!("{} bytes", io::MAX_FILE_BYTES + 1))
            && message.contains(&format!("{} bytes", io::MAX_FILE_BYTES)),
        "{message}"
    );
}

/// Strings that stress escaping, in every text field the format has.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z \"\\\\\n\r\t'(),:{}\\[\\]#/*🧭🛒👩🏽‍💻שלוםمرحبا\u{202e}\u{202c}\u{200f}\u{feff}]{0,32}",
        any::<String>(),
        prop::sample::select(vec![
            "say \"hi\"".to_owned(),
            "C:\\Users\\maya\\".to_owned(),
            "\\\"\\n".to_owned(),
            "line one\nline two\r\nline three".to_owned(),
            "emoji 🧭🛒💳 and ZWJ 👨‍👩‍👧 and flags 🇳🇱".to_owned(),
            "עברית: תשלום נכשל".to_owned(),
            "العربية: فشل الدفع".to_owned(),
            "mixed \u{202e}RTL override\u{202c} and \u{200f}mark".to_owned(),
            "r#\"raw\"#".to_owned(),
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any bytes in a file: `io::open` (the editor's loader) returns the map
    /// or an error naming the file; never a panic. Also behind a BOM and
    /// behind a format-0 header, to reach the migration path.
    #[test]
    fn arbitrary_file_contents_never_panic_the_loader(
        bytes in prop::collection::vec(any::<u8>(), 0..768),
        prefix in prop::sample::select(vec![
            Vec::new(),
            "\u{feff}".as_bytes().to_vec(),
            b"(format: 0, name: \"x\", ".to_vec(),
            b"(format: 1, title: \"x\", ".to_vec(),
        ]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("any.journey.ron");
        let mut content = prefix;
        content.extend_from_slice(&bytes);
        std::fs::write(&path, &content).unwrap();
        if let Err(err) = io::open(&path) {
            prop_assert!(err.to_string().starts_with(&path.display().to_string()), "{}", err);
        }
    }

    /// Quotes, backslashes, newlines, emoji and right-to-left text survive
    /// saving to a file and opening it again, in every text field.
    #[test]
    fn every_kind_of_text_round_trips_through_a_file(
        title in nasty(),
        description in nasty(),
        persona in nasty(),
        stage in nasty(),
        card_title in nasty(),
        notes in nasty(),
        pain in nasty(),
    ) {
        let mut j = Template::FourStage.build(&title);
        j.description = description;
        j.personas[0].name = persona;
        j.stages[0].name = stage;
        let step = j.stages[0].steps[0].id;
        let lane = j.lanes[0].id;
        j.cards.push(Card {
            notes,
            ..Card::new(CardId(9_001), step, lane, card_title)
        });
        j.pain_points.push(PainPoint {
            id: PainId(9_002),
            severity: 3,
            text: pain,
            anchor: Anchor::Card(CardId(9_001)),
            opportunity: None,
            solved_in_future: false,
        });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("text.journey.ron");
        io::save(&path, &j).unwrap();
        let loaded = io::open(&path).unwrap();
        prop_assert!(loaded.repairs.is_empty());
        prop_assert_eq!(&loaded.journey, &j);
        // Saving again gives the same bytes.
        prop_assert_eq!(io::to_string(&loaded.journey), std::fs::read_to_string(&path).unwrap());
    }
}
