//! Maps as CSV, both directions, for spreadsheets. The **map layout** has a
//! header row and one row per record: `map` (title, description), `stage`
//! (a stage without steps), `step`, `lane`, `card` (with its strategy
//! fields), `score` (a curve point without samples), `sample` (one
//! participant's score; the point is their median) and `pain`. Rows are
//! matched to stages, steps and lanes by name; those are created in order
//! of first appearance. The **survey layout** has one column per step
//! (`Step` or `Stage / Step`) and one row per participant.
//!
//! A CSV cannot hold ids, stage goals and KPIs, the objective, scenario,
//! currency and review history, persona details (description, photo,
//! hidden), personas without scores, votes, silenced health rules and how
//! much of the notes cards show: a CSV round trip loses them by design.
//! Names are the keys, so stages with the same name (and steps with the
//! same name in a stage, lanes or personas with the same name) merge.
//! Invariant: no input panics the reader (a property test feeds it bytes).

use std::path::Path;

mod fields;
mod merge;
mod read;
mod survey;
mod table;
mod write;

pub use merge::{Merge, merge_edit};
pub use read::import;
pub use survey::Scale;
pub use table::CsvError;
pub use write::{COLUMNS, write_map};

use crate::model::{Journey, Sample};

/// The file extension of CSV files.
pub const EXTENSION: &str = "csv";

/// Whether `path` names a CSV file, by its extension.
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// A CSV read into a new map, and what the import says about it.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The new map.
    pub journey: Journey,
    /// What was mapped to what, in one sentence.
    pub mapped: String,
    /// What could not be mapped or was changed, each naming its line
    /// (`line 3: ...`).
    pub warnings: Vec<String>,
}

/// Which persona's curve, in which state, a score row belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRow {
    /// The line the row starts on.
    pub line: u64,
    /// The persona's name; `None` for a survey, whose scores are one persona's.
    pub persona: Option<String>,
    /// The curve's state.
    pub state: crate::model::CurveState,
    /// The stage's name.
    pub stage: String,
    /// The step's name.
    pub step: String,
    /// A participant's score (`Some`), or the point itself (`None`).
    pub sample: Option<Sample>,
    /// The score, -2..=2.
    pub score: f32,
}

/// The score rows of either layout, for File ▸ Import scores…
#[derive(Clone, Debug, PartialEq)]
pub struct Scores {
    /// The rows, in file order.
    pub rows: Vec<ScoreRow>,
    /// The survey's scale, or `None` for the map layout.
    pub survey: Option<Scale>,
    /// What was left out while reading, each naming its line.
    pub warnings: Vec<String>,
}

/// Reads the score rows of a CSV in either layout.
pub fn scores(bytes: &[u8]) -> Result<Scores, CsvError> {
    let table = table::Table::read(bytes)?;
    if table.is_map_layout() {
        read::score_rows(&table)
    } else {
        survey::read(&table)
    }
}

/// Reads and imports a CSV file (the CLI's `import`, File ▸ Import…);
/// errors name the file and line.
pub fn read_file(file: &Path) -> Result<Imported, String> {
    let bytes = crate::io::read_limited(file).map_err(|e| e.to_string())?;
    import(&bytes).map_err(|e| format!("{}:{e}", file.display()))
}

/// Reads the score rows of a CSV file (File ▸ Import scores…); errors name
/// the file and line.
pub fn read_scores_file(file: &Path) -> Result<Scores, String> {
    let bytes = crate::io::read_limited(file).map_err(|e| e.to_string())?;
    scores(&bytes).map_err(|e| format!("{}:{e}", file.display()))
}

/// "1 stage", "3 stages".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
