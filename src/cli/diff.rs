//! `waymark diff OLD NEW [-o OUT]` and the hidden `git-diff` form git's
//! external diff driver calls. Like `diff(1)`: exit 0 when the maps are
//! the same, 1 when they differ, 2 when a file cannot be read or parsed
//! (the message names the file and line:column) or on a usage error.
//! `git-diff` exits 0 whenever it printed a diff, since git stops at an
//! external diff that exits otherwise.

use std::path::Path;
use std::process::ExitCode;

use crate::export::{ExportOptions, Format};
use crate::io;
use crate::model::Journey;
use crate::model::diff::diff;
use crate::view::scene::DiffOverlay;

/// Exit code when the maps differ.
const EXIT_DIFFERENT: u8 = 1;
/// Exit code when a file cannot be read, parsed or written.
const EXIT_TROUBLE: u8 = 2;

/// `waymark diff`: prints the summary, and with `output` draws the picture.
pub(super) fn run(
    old_path: &Path,
    new_path: &Path,
    output: Option<&Path>,
    picture: (Option<jiff::civil::Date>, f32),
) -> ExitCode {
    let format = match output.map(|o| (o, Format::of(o))) {
        Some((o, None)) => {
            eprintln!("{}: the output must be a .png or .svg file", o.display());
            return ExitCode::from(super::EXIT_USAGE);
        }
        Some((_, Some(format))) => Some(format),
        None => None,
    };
    let (old, new) = match (io::load(old_path), io::load(new_path)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let changes = diff(&old, &new);
    print!("{}", changes.summary());
    if let (Some(output), Some(format)) = (output, format)
        && let Err(message) = image(old, new, output, format, picture)
    {
        eprintln!("{message}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_DIFFERENT)
    }
}

/// Draws `new` with the diff from `old` over it into `output`.
fn image(
    old: Journey,
    new: Journey,
    output: &Path,
    format: Format,
    (date, scale): (Option<jiff::civil::Date>, f32),
) -> Result<(), String> {
    let new = super::repaired(output, new)?;
    let overlay = DiffOverlay::new(old, &new, "old");
    for note in overlay.omitted_notes(&new) {
        println!("{note}");
    }
    let options = ExportOptions {
        date: Some(date.unwrap_or_else(crate::export::today)),
        scale,
        ..ExportOptions::for_images()
    };
    let (width, height) =
        crate::export::diff::save_diff_image(&new, overlay, &options, format, output)
            .map_err(|e| format!("{}: {e}", output.display()))?;
    println!("wrote {} ({width}x{height})", output.display());
    Ok(())
}

/// `waymark git-diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX
/// NEW-MODE [...]`: what git's `diff.<driver>.command` is given.
pub(super) fn git(args: &[String]) -> ExitCode {
    let [path, old_file, _, _, new_file, ..] = args else {
        eprintln!(
            "git-diff expects the arguments git gives an external diff: \
             path old-file old-hex old-mode new-file new-hex new-mode"
        );
        return ExitCode::from(super::EXIT_USAGE);
    };
    let read = |file: &str| -> Result<Journey, String> {
        // An added or deleted file is compared with an empty map.
        if file == "/dev/null" {
            return Ok(Journey::empty(""));
        }
        io::load(Path::new(file)).map_err(|e| format!("{path}: {e}"))
    };
    match (read(old_file), read(new_file)) {
        (Ok(old), Ok(new)) => {
            println!("waymark diff a/{path} b/{path}");
            print!("{}", diff(&old, &new).summary());
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
