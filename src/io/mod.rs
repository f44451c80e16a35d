//! Reading and writing `*.journey.ron` files.
//!
//! Output is canonical: the same journey always gives the same bytes, fields in
//! a fixed order, so saving an unchanged map changes nothing and diffs stay
//! small. Writes are atomic: a temp file in the same folder is written, synced
//! and renamed over the target, so the file on disk is always either the old
//! or the new version.

mod atomic;
pub mod photo;
pub mod recovery;

pub use atomic::{
    FailingFs, RealFs, SaveError, SaveFs, SaveStep, WRITE_CHUNK, folder_of, remove_stale_temps,
    write_atomic, write_atomic_bytes, write_atomic_with,
};

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{FORMAT_VERSION, Journey};

/// The file name extension of journey maps.
pub const EXTENSION: &str = "journey.ron";

/// Files larger than this are refused before reading (a journey of 10,000
/// cards is about 2 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Nesting deeper than this is refused, so hostile input cannot overflow the stack.
pub(crate) const RECURSION_LIMIT: usize = 64;

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

/// The first field of every file, read before the rest so the version can gate it.
#[derive(Deserialize)]
struct Header {
    format: u32,
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Loads a journey from a file (migrated if it is in an older format).
pub fn load(path: &Path) -> Result<Journey, LoadError> {
    load_versioned(path).map(|(journey, _)| journey)
}

/// [`load`], also saying which older format the file was migrated from.
pub fn load_versioned(path: &Path) -> Result<(Journey, Option<u32>), LoadError> {
    let bytes = read_limited(path)?;
    parse_versioned(decode(&bytes, path)?, path)
}

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`] before
/// reading it.
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_with_meta(path, MAX_FILE_BYTES).map(|(bytes, _)| bytes)
}

/// Reads a whole file of at most `max` bytes, with the metadata it had
/// before the read: a stamp made from them can only be older than the
/// bytes, so a change during the read is noticed at the next check.
pub(crate) fn read_with_meta(
    path: &Path,
    max: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), LoadError> {
    use std::io::Read as _;
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    let size = meta.len();
    if size > max {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    // The file may grow between the size check and the read; never read more
    // than the limit (plus one byte, to notice).
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > max {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok((bytes, meta))
}

/// Parses file contents; `path` is only used in error messages.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Journey, LoadError> {
    parse_str(decode(bytes, path)?, path)
}

fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid = bytes.get(..err.valid_up_to()).unwrap_or_default();
            // The prefix is valid by construction.
            let prefix = String::from_utf8_lossy(valid);
            let (line, col) = line_col_at_end(&prefix);
            Err(LoadError::Encoding {
                path: path.to_path_buf(),
                line,
                col,
            })
        }
    }
}

/// Parses RON text; `path` is only used in error messages. Older formats are
/// migrated to the current one.
pub fn parse_str(text: &str, path: &Path) -> Result<Journey, LoadError> {
    parse_versioned(text, path).map(|(journey, _)| journey)
}

/// Parses RON text and says which older format it was migrated from, if any.
fn parse_versioned(text: &str, path: &Path) -> Result<(Journey, Option<u32>), LoadError> {
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
    // What a crash or a full disk typically leaves behind: the file's blocks
    // were allocated but never written. Say so rather than "unexpected char".
    if text.bytes().all(|b| b == 0) {
        return Err(LoadError::Parse {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            message: format!(
                "the file holds only zero bytes ({} of them); it was probably cut short by a crash",
                text.len()
            ),
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
        FORMAT_VERSION => full.map(|journey| (journey, None)).map_err(parse_err),
        newer if newer > FORMAT_VERSION => Err(LoadError::NewerFormat {
            path: path.to_path_buf(),
            format: newer,
        }),
        older => match crate::model::migrate::upgrade(older, text, &ron_options()) {
            Some(Ok(journey)) => Ok((journey, Some(older))),
            Some(Err(err)) => Err(parse_err(err)),
            None => Err(LoadError::UnsupportedFormat {
                path: path.to_path_buf(),
                format: older,
            }),
        },
    }
}

/// A file as the editor opens it: the journey, plus what was done to it on
/// the way in, so the user can be told.
#[derive(Debug)]
pub struct Loaded {
    /// The journey, migrated to the current format and with safe repairs made.
    pub journey: Journey,
    /// The older format the file was written in, if it was migrated.
    pub migrated_from: Option<u32>,
    /// Repairs of references that did not resolve, one sentence each.
    pub repairs: Vec<String>,
    /// The file as it was read, to notice later changes on disk.
    pub stamp: DiskStamp,
}

/// Loads a file for editing: like [`load`], but also repairs references that
/// can be repaired without losing anything the user wrote (see
/// [`Journey::repair`]), reports migrations and repairs, and removes temp
/// files that killed saves of it left behind.
pub fn open(path: &Path) -> Result<Loaded, LoadError> {
    let (bytes, meta) = read_with_meta(path, MAX_FILE_BYTES)?;
    // A crash mid-save leaves a hidden temp file beside the map; clear it
    // when the map is opened, so a folder in git shows no stray files.
    remove_stale_temps(path);
    let text = decode(&bytes, path)?;
    let (mut journey, migrated_from) = parse_versioned(text, path)?;
    let repairs = journey.repair();
    let stamp = DiskStamp::from_meta(&meta, &bytes);
    Ok(Loaded {
        journey,
        migrated_from,
        repairs,
        stamp,
    })
}

/// What a file on disk looked like when it was last read or written: cheap
/// metadata to poll, and a content hash so a touch or a rewrite with the
/// same bytes (a sync client, `git checkout` of the same commit) is not taken
/// for a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    /// Modification time, where the platform has one.
    pub modified: Option<std::time::SystemTime>,
    /// Size in bytes.
    pub len: u64,
    /// Hash of the contents.
    pub hash: u64,
}

/// What [`DiskStamp::check`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskState {
    /// The file is as it was.
    Same,
    /// The metadata changed but the bytes did not (a touch, a sync client
    /// rewriting the same bytes); adopt this stamp so the next poll is cheap.
    Touched(DiskStamp),
    /// The bytes differ; the new stamp describes them.
    Changed(DiskStamp),
    /// The file is gone (deleted, moved) or cannot be read.
    Missing,
}

impl DiskStamp {
    /// The stamp of bytes just read from or written to `path`.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> Self {
        let meta = std::fs::metadata(path).ok();
        Self {
            modified: meta.as_ref().and_then(|m| m.modified().ok()),
            len: meta.map_or(bytes.len() as u64, |m| m.len()),
            hash: content_hash(bytes),
        }
    }

    /// The stamp of `bytes` read from a file that had `meta` before the read.
    fn from_meta(meta: &std::fs::Metadata, bytes: &[u8]) -> Self {
        Self {
            modified: meta.modified().ok(),
            len: meta.len(),
            hash: content_hash(bytes),
        }
    }

    /// Reads the file's stamp now.
    pub fn read(path: &Path) -> Option<Self> {
        let (bytes, meta) = read_with_meta(path, MAX_FILE_BYTES).ok()?;
        Some(Self::from_meta(&meta, &bytes))
    }

    /// Compares the file on disk with this stamp. Only reads the contents
    /// when the metadata differ, so polling costs one `stat`.
    pub fn check(&self, path: &Path) -> DiskState {
        let Ok(meta) = std::fs::metadata(path) else {
            return DiskState::Missing;
        };
        if meta.len() == self.len && meta.modified().ok() == self.modified {
            return DiskState::Same;
        }
        match Self::read(path) {
            Some(now) if now.hash == self.hash => DiskState::Touched(now),
            Some(now) => DiskState::Changed(now),
            None => DiskState::Missing,
        }
    }
}

/// A fast hash of file contents (change detection only, not security).
/// `DefaultHasher` is stable within one build of Waymark, not across
/// releases: a snapshot written by an older version may take its file for
/// changed at restore time, which only makes the app ask before saving.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
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
    save_with(&RealFs, path, journey).map(|_| ())
}

/// Saves a journey atomically through `fs`; returns the stamp of the file as
/// written, so later changes on disk can be told from this save.
pub fn save_with(fs: &dyn SaveFs, path: &Path, journey: &Journey) -> Result<DiskStamp, SaveError> {
    let text = to_string(journey);
    write_atomic_bytes(fs, path, text.as_bytes())?;
    Ok(DiskStamp::of_bytes(path, text.as_bytes()))
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
    use crate::model::templates::Template;

    #[test]
    fn round_trip_is_canonical() {
        let j = Template::SixStage.build("Trial to paid");
        let text = to_string(&j);
        assert!(text.starts_with("(\n  format: 2,"), "{text}");
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
    fn zero_filled_and_truncated_files_are_explained() {
        let err = parse_bytes(&[0; 4096], Path::new("z.journey.ron")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "z.journey.ron:1:1: the file holds only zero bytes (4096 of them); it was probably cut short by a crash"
        );
        let text = to_string(&Template::FourStage.build("t"));
        let cut = text.get(..text.len() / 2).unwrap();
        let err = parse_str(cut, Path::new("t.journey.ron")).unwrap_err();
        assert!(
            matches!(err, LoadError::Parse { line, .. } if line > 1),
            "{err}"
        );
    }

    #[test]
    fn open_reports_migration_and_repairs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.journey.ron");
        std::fs::write(
            &path,
            "(format: 0, name: \"Old\", personas: [(id: 1, name: \"P\")], \
             stages: [(id: 2, name: \"S\", steps: [(id: 3, name: \"a\")])], lanes: [], \
             emotions: [(persona: 1, step: 3, score: 1.5), (persona: 1, step: 99, score: 1.0)])",
        )
        .unwrap();
        let loaded = open(&path).unwrap();
        assert_eq!(loaded.migrated_from, Some(0));
        assert_eq!(loaded.journey.title, "Old");
        assert_eq!(loaded.journey.format, FORMAT_VERSION);
        assert_eq!(loaded.repairs.len(), 1, "{:?}", loaded.repairs);
        assert_eq!(loaded.journey.curves[0].points.len(), 1);
        assert_eq!(loaded.stamp.check(&path), DiskState::Same);
    }

    #[test]
    fn disk_stamp_tells_a_touch_from_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.journey.ron");
        std::fs::write(&path, "one").unwrap();
        let stamp = DiskStamp::read(&path).unwrap();
        assert_eq!(stamp.check(&path), DiskState::Same);
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(later).unwrap();
        assert!(matches!(stamp.check(&path), DiskState::Touched(_)));
        std::fs::write(&path, "two").unwrap();
        assert!(matches!(stamp.check(&path), DiskState::Changed(s) if s.len == 3));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(stamp.check(&path), DiskState::Missing);
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
