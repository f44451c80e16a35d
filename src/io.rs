//! Reading and writing `*.journey.ron` files.
//!
//! Output is canonical: the same journey always gives the same bytes, fields in
//! a fixed order, so saving an unchanged map changes nothing and diffs stay
//! small. Writes are atomic: a temp file in the same folder is written, synced
//! and renamed over the target, so the file on disk is always either the old
//! or the new version.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{FORMAT_VERSION, Journey};

/// The file name extension of journey maps.
pub const EXTENSION: &str = "journey.ron";

/// Files larger than this are refused before reading (a journey of 10,000
/// cards is about 2 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Nesting deeper than this is refused, so hostile input cannot overflow the stack.
const RECURSION_LIMIT: usize = 64;

/// Why a file could not be loaded. Every variant names the file.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The file is not valid UTF-8.
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        col: usize,
    },
    /// The text is not a valid journey.
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong there.
        message: String,
    },
    /// The file was written by a newer Waymark.
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The format number in the file.
        format: u32,
    },
    /// The file uses a format this version cannot read.
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// The format number in the file.
        format: u32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => {
                write!(f, "{}: cannot read the file: {source}", path.display())
            }
            Self::TooLarge { path, size } => write!(
                f,
                "{}: the file is {size} bytes; Waymark opens maps of up to {MAX_FILE_BYTES} bytes",
                path.display()
            ),
            Self::Encoding { path, line, col } => write!(
                f,
                "{}:{line}:{col}: the file is not valid UTF-8 text",
                path.display()
            ),
            Self::Parse {
                path,
                line,
                col,
                message,
            } => write!(f, "{}:{line}:{col}: {message}", path.display()),
            Self::NewerFormat { path, format } => write!(
                f,
                "{}: saved by a newer version of Waymark (format {format}); this version reads up to format {FORMAT_VERSION}",
                path.display()
            ),
            Self::UnsupportedFormat { path, format } => write!(
                f,
                "{}: format {format} is not a Waymark format this version can read",
                path.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Why a file could not be saved. The file on disk is unchanged when this is returned.
#[derive(Debug)]
pub struct SaveError {
    /// The file that was being written.
    pub path: PathBuf,
    /// What the OS said.
    pub source: std::io::Error,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not save: {}; the file on disk is unchanged",
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for SaveError {}

/// The first field of every file, read before the rest so the version can gate it.
#[derive(Deserialize)]
struct Header {
    format: u32,
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Loads a journey from a file.
pub fn load(path: &Path) -> Result<Journey, LoadError> {
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    parse_bytes(&bytes, path)
}

/// Parses file contents; `path` is only used in error messages.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Journey, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = bytes.get(..err.valid_up_to()).unwrap_or_default();
            // The prefix is valid by construction.
            let prefix = String::from_utf8_lossy(valid);
            let (line, col) = line_col_at_end(&prefix);
            return Err(LoadError::Encoding {
                path: path.to_path_buf(),
                line,
                col,
            });
        }
    };
    parse_str(text, path)
}

/// Parses RON text; `path` is only used in error messages.
pub fn parse_str(text: &str, path: &Path) -> Result<Journey, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parse_err = |err: ron::error::SpannedError| LoadError::Parse {
        path: path.to_path_buf(),
        line: err.span.start.line.max(1),
        col: err.span.start.col.max(1),
        message: err.code.to_string(),
    };
    if text.trim().is_empty() {
        return Err(LoadError::Parse {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            message: "the file is empty".into(),
        });
    }
    // Parse the whole document once; only when that fails is the header read
    // on its own, to tell a newer or older format from a malformed file.
    let full: Result<Journey, _> = ron_options().from_str(text);
    let format = match &full {
        Ok(journey) => journey.format,
        Err(_) => match ron_options().from_str::<Header>(text) {
            Ok(header) => header.format,
            Err(_) => FORMAT_VERSION,
        },
    };
    match format {
        FORMAT_VERSION => full.map_err(parse_err),
        newer if newer > FORMAT_VERSION => Err(LoadError::NewerFormat {
            path: path.to_path_buf(),
            format: newer,
        }),
        older => Err(LoadError::UnsupportedFormat {
            path: path.to_path_buf(),
            format: older,
        }),
    }
}

fn line_col_at_end(prefix: &str) -> (usize, usize) {
    let line = prefix.matches('\n').count() + 1;
    let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The canonical text of a journey.
pub fn to_string(journey: &Journey) -> String {
    let config = ron::ser::PrettyConfig::new()
        .indentor("  ")
        .new_line("\n")
        .struct_names(false)
        .separate_tuple_members(false);
    match ron::ser::to_string_pretty(journey, config) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serializing plain data into a String has no failure mode; keep the
        // message rather than panic if a future field ever adds one.
        Err(err) => format!("// could not serialize: {err}\n"),
    }
}

/// Saves a journey atomically in canonical form.
pub fn save(path: &Path, journey: &Journey) -> Result<(), SaveError> {
    write_atomic(path, to_string(journey).as_bytes())
}

/// Writes bytes to a file atomically: temp file in the same folder, write,
/// fsync, rename over the target, fsync the folder. Keeps the target's
/// permissions; writing through a symlink replaces the link's target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Like [`write_atomic`], but the content is streamed by `write` into the
/// temp file (large exports never sit in memory whole). If `write` fails,
/// the temp file is removed and the target is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let err = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    // Resolve a symlink so the link stays a link and its target gets the bytes.
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(err)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map_or_else(|| "journey".into(), |n| n.to_string_lossy().into_owned());
    let existing = std::fs::metadata(&target).ok();
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the usual permissions (0666 less the umask); an existing
    // one keeps its own, copied below, so a private file is never exposed.
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(&dir).map_err(err)?;
    {
        let mut writer = std::io::BufWriter::new(temp.as_file());
        write(&mut writer).map_err(err)?;
        writer.flush().map_err(err)?;
    }
    if let Some(meta) = existing {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    temp.as_file().sync_all().map_err(err)?;
    temp.persist(&target).map_err(|e| err(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Makes the rename durable. Not every platform can open a folder for
/// syncing; the rename has happened either way, so failure here is ignored.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// A display name for a path: its file name, or the whole path.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Template;

    #[test]
    fn round_trip_is_canonical() {
        let j = Template::SixStage.build("Trial to paid");
        let text = to_string(&j);
        assert!(text.starts_with("(\n  format: 1,"), "{text}");
        let back = parse_str(&text, Path::new("x")).unwrap();
        assert_eq!(back, j);
        assert_eq!(to_string(&back), text);
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let err = parse_str(
            "(\n  format: 1,\n  title: 5,\n)",
            Path::new("bad.journey.ron"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("bad.journey.ron:3:"), "{err}");
    }

    #[test]
    fn newer_format_is_refused() {
        let err = parse_str("(format: 7, title: \"x\")", Path::new("new.journey.ron"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer version of Waymark (format 7)"), "{err}");
    }

    #[test]
    fn bom_is_accepted_and_bad_utf8_located() {
        let j = Template::Blank.build("b");
        let text = format!("\u{feff}{}", to_string(&j));
        assert_eq!(parse_bytes(text.as_bytes(), Path::new("x")).unwrap(), j);
        let err = parse_bytes(b"(\n format: \xff", Path::new("u.ron")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.ron:2:10: the file is not valid UTF-8 text"
        );
    }

    #[test]
    fn atomic_save_keeps_permissions_and_symlinks() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.journey.ron");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.journey.ron");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let j = Template::Blank.build("b");
        save(&link, &j).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(load(&real).unwrap(), j);
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 2, "no temp files left behind");
    }

    #[test]
    fn save_into_missing_folder_names_the_file() {
        let j = Template::Blank.build("b");
        let err = save(Path::new("/nonexistent-folder/x.journey.ron"), &j).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent-folder/x.journey.ron: could not save")
        );
    }
}
