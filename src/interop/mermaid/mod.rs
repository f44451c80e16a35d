//! Mermaid `journey` diagrams in and out. Import: section -> stage, task ->
//! step with an action card, actor -> persona, score 1..5 -> emotion -2..+2
//! for each actor of the task (tasks without actors score the persona
//! [`NO_ACTOR`] describes). Export writes the same mapping back, plus the
//! whole map as RON in `%% waymark:` comment lines, which Mermaid ignores;
//! importing reads them back when the diagram still matches them, so
//! Waymark -> Mermaid -> Waymark loses nothing.
//!
//! The parser is written by hand: the grammar is one statement per line
//! (plus `accDescr { ... }` blocks), and its quirks (where `#` starts a
//! comment, entity codes, `;`) are a dozen lines of scanning. `winnow` and
//! `chumsky` were considered; either would add a dependency and a second
//! error type to map onto line:column without making those rules shorter.
//! Invariant: no input panics the parser (a property test feeds it
//! arbitrary text).

mod parse;
mod read;
mod write;

pub use parse::{Diagram, Item, ParseError, Parsed, Task, clean, parse};
pub use read::{Imported, NO_ACTOR, import};
pub use write::{encode, export, task_name};

/// The file extensions of Mermaid diagrams.
pub const EXTENSIONS: [&str; 2] = ["mmd", "mermaid"];

/// Whether `path` names a Mermaid file, by its extension.
pub fn is_mermaid(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)))
}
