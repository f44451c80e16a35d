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

use std::path::Path;

mod parse;
mod read;
mod write;

pub use parse::{Diagram, Item, ParseError, Parsed, Task, clean, parse};
pub use read::{Imported, NO_ACTOR, import};
pub use write::{encode, export, task_name};

/// The file extensions of Mermaid diagrams.
pub const EXTENSIONS: [&str; 2] = ["mmd", "mermaid"];

/// Whether `path` names a Mermaid file, by its extension.
pub fn is_mermaid(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)))
}

/// Reads and imports a Mermaid file (the CLI's `import`, File ▸ Import…); errors name the file and line:column.
pub fn read_file(file: &Path) -> Result<crate::interop::mermaid::Imported, String> {
    let bytes = crate::io::read_limited(file).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(bytes.get(..e.valid_up_to()).unwrap_or_default());
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{column}: expected UTF-8 text", file.display())
    })?;
    import(text).map_err(|e| format!("{}:{e}", file.display()))
}

/// `line 3: score ...` -> `FILE:3: warning: score ...`.
pub fn warning_line(file: &Path, warning: &str) -> String {
    match warning
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((line, message)) => format!("{}:{line}: warning: {message}", file.display()),
        None => format!("{}: warning: {warning}", file.display()),
    }
}
