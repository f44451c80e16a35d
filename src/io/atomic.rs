//! Atomic writes: a temp file in the target's folder is written, synced and
//! renamed over the target, then the folder is synced, so the file on disk is
//! always the old or the new version. A writer holds an OS lock on its temp
//! file while it lives; cleanup removes only temps whose lock it can take,
//! which are those of writers that died (a killed save cannot clean up).

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a file could not be saved. The file on disk is unchanged when this is returned.
#[derive(Debug)]
pub struct SaveError {
    /// The file that was being written.
    pub path: PathBuf,
    /// What the OS said.
    pub source: std::io::Error,
}

impl SaveError {
    /// Why, in the user's words: never the temp file's random name (which
    /// tempfile appends to its errors), since the target is what they named.
    pub fn reason(&self) -> String {
        use std::io::ErrorKind;
        let os = self.source.to_string();
        let os = os.split(" at path \"").next().unwrap_or(&os);
        match self.source.kind() {
            ErrorKind::NotFound => "its folder does not exist (any more)",
            ErrorKind::PermissionDenied => {
                "permission denied (the folder or the file is read-only)"
            }
            ErrorKind::StorageFull => "the disk is full",
            ErrorKind::ReadOnlyFilesystem => "the disk is read-only",
            _ => os,
        }
        .to_owned()
    }
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not save: {}; nothing on disk was changed",
            self.path.display(),
            self.reason()
        )
    }
}

impl std::error::Error for SaveError {}

/// One step of an atomic save, named so tests can make exactly that step fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStep {
    /// Creating the temp file next to the target.
    Create,
    /// Writing the n-th chunk (0-based) of the content into the temp file.
    Write(usize),
    /// Flushing the temp file to the disk (fsync).
    Sync,
    /// Renaming the temp file over the target.
    Rename,
}

/// The seam between an atomic save and the file system: every step asks it
/// first, and an error makes that step fail as the OS would have. The app
/// uses [`RealFs`]; fault-injection tests use [`FailingFs`] to prove that a
/// failure at any step leaves the original file byte-identical.
pub trait SaveFs: fmt::Debug + Send + Sync {
    /// Called before `step` runs.
    fn before(&self, step: SaveStep) -> std::io::Result<()>;
}

/// The real file system: every step goes ahead.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl SaveFs for RealFs {
    fn before(&self, _step: SaveStep) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file system that fails one step of every save (for tests): the error
/// looks like a full disk.
#[derive(Clone, Copy, Debug)]
pub struct FailingFs(pub SaveStep);

impl SaveFs for FailingFs {
    fn before(&self, step: SaveStep) -> std::io::Result<()> {
        if step == self.0 {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        } else {
            Ok(())
        }
    }
}

/// Content is written in chunks this large, each one a [`SaveStep::Write`].
pub const WRITE_CHUNK: usize = 64 * 1024;

/// Writes bytes to a file atomically: temp file in the same folder, write,
/// fsync, rename over the target, fsync the folder. Keeps the target's
/// permissions; writing through a symlink replaces the link's target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_bytes(&RealFs, path, bytes)
}

/// [`write_atomic`] through a [`SaveFs`] seam, in [`WRITE_CHUNK`] pieces.
pub fn write_atomic_bytes(fs: &dyn SaveFs, path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_core(fs, path, |file| {
        let mut file = file;
        for (index, chunk) in bytes.chunks(WRITE_CHUNK).enumerate() {
            fs.before(SaveStep::Write(index))?;
            file.write_all(chunk)?;
        }
        Ok(())
    })
}

/// Like [`write_atomic`], but the content is streamed by `write` into the
/// temp file (large exports never sit in memory whole). If `write` fails,
/// the temp file is removed and the target is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    write_atomic_core(&RealFs, path, |file| {
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        writer.flush()
    })
}

/// The folder `path` is in: its parent, or the current folder for a bare
/// file name (whose parent is the empty path).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn write_atomic_core(
    fs: &dyn SaveFs,
    path: &Path,
    write: impl FnOnce(&std::fs::File) -> std::io::Result<()>,
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
    let dir = folder_of(&target).to_path_buf();
    let file_name = target
        .file_name()
        .map_or_else(|| "journey".into(), |n| n.to_string_lossy().into_owned());
    let existing = std::fs::metadata(&target).ok();
    let prefix = temp_prefix(&file_name);
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RAND_LEN);
    // A new file gets the usual permissions (0666 less the umask); an existing
    // one keeps its own, copied below, so a private file is never exposed.
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    fs.before(SaveStep::Create).map_err(err)?;
    // From here on, dropping `temp` (on any error) deletes the temp file.
    let temp = locked_temp(&builder, &dir).map_err(err)?;
    write(temp.as_file()).map_err(err)?;
    if let Some(meta) = existing {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    fs.before(SaveStep::Sync).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    fs.before(SaveStep::Rename).map_err(err)?;
    temp.persist(&target)
        .map_err(|e| err(explain_rename(e.error, &dir)))?;
    sync_dir(&dir);
    remove_stale_temps(&target);
    Ok(())
}

const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RAND_LEN: usize = 6;

fn temp_prefix(file_name: &str) -> String {
    format!(".{file_name}.")
}

/// Whether `name` is one of our temp files for `file_name`:
/// `.NAME.XXXXXX.tmp`, exactly as [`write_atomic_core`] makes them.
fn is_temp_of(name: &str, file_name: &str) -> bool {
    name.strip_prefix(&temp_prefix(file_name))
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == TEMP_RAND_LEN && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A new temp file in `dir`, locked by this process for as long as it lives,
/// so another save's cleanup can tell it from a dead writer's. A cleanup
/// that took the file between its creation and the lock has removed it: then
/// a new one is made.
fn locked_temp(
    builder: &tempfile::Builder<'_, '_>,
    dir: &Path,
) -> std::io::Result<tempfile::NamedTempFile> {
    for _ in 0..8 {
        let temp = builder.tempfile_in(dir)?;
        match temp.as_file().try_lock() {
            Ok(()) => {}
            // A cleanup holds it and is about to remove it.
            Err(std::fs::TryLockError::WouldBlock) => continue,
            // No locks on this file system: cleanup goes by age there.
            Err(std::fs::TryLockError::Error(_)) => return Ok(temp),
        }
        if is_still_at(&temp) {
            return Ok(temp);
        }
    }
    Err(std::io::Error::other(
        "another program kept removing the temporary file beside it",
    ))
}

/// Whether the temp file's path still names the file this process has open.
fn is_still_at(temp: &tempfile::NamedTempFile) -> bool {
    let (Ok(open), Ok(named)) = (
        temp.as_file().metadata(),
        std::fs::symlink_metadata(temp.path()),
    ) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        open.dev() == named.dev() && open.ino() == named.ino()
    }
    #[cfg(not(unix))]
    {
        open.len() == named.len()
    }
}

/// A rename that finds no temp file while the folder exists lost the file
/// to another program, which is what the user needs to hear (not that the
/// folder is gone).
fn explain_rename(error: std::io::Error, dir: &Path) -> std::io::Error {
    if error.kind() == std::io::ErrorKind::NotFound && dir.is_dir() {
        std::io::Error::other(
            "its temporary file was removed by another program before it could replace the file",
        )
    } else {
        error
    }
}

/// Where locks are not supported, a temp file this old is taken to be a
/// dead writer's.
const UNLOCKABLE_STALE_AFTER: std::time::Duration = std::time::Duration::from_hours(1);

/// Removes temp files that saves of `path` left behind when they were killed
/// between creating and renaming them. A temp whose lock is held belongs to
/// a live writer (another process saving the same file) and stays. Best
/// effort: a leftover that cannot be removed harms nothing.
pub fn remove_stale_temps(path: &Path) {
    let Some(file_name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temp_of(&entry.file_name().to_string_lossy(), &file_name) {
            remove_if_stale(&entry.path());
        }
    }
}

fn remove_if_stale(temp: &Path) {
    let Ok(file) = std::fs::File::open(temp) else {
        return;
    };
    let stale = match file.try_lock() {
        Ok(()) => true,
        Err(std::fs::TryLockError::WouldBlock) => false,
        Err(std::fs::TryLockError::Error(_)) => file
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > UNLOCKABLE_STALE_AFTER),
    };
    if stale {
        // Removed while the lock is held, so a writer that made this file
        // and has not locked it yet sees it gone and makes another.
        let _ = std::fs::remove_file(temp);
    }
}

/// Makes the rename durable. Not every platform can open a folder for
/// syncing; the rename has happened either way, so failure here is ignored.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{load, save, save_with, to_string};
    use crate::model::templates::Template;

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
    fn a_failure_at_any_step_leaves_the_original_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.journey.ron");
        let original = b"(format: 1, hand-written, not canonical)".to_vec();
        std::fs::write(&path, &original).unwrap();
        // Big enough for several write chunks.
        let journey = crate::model::templates::generated(200, 2_000);
        let chunks = to_string(&journey).len().div_ceil(WRITE_CHUNK);
        assert!(chunks >= 3, "{chunks}");
        let steps = [SaveStep::Create, SaveStep::Sync, SaveStep::Rename]
            .into_iter()
            .chain((0..chunks).map(SaveStep::Write));
        for step in steps {
            let err = save_with(&FailingFs(step), &path, &journey).unwrap_err();
            let message = err.to_string();
            assert!(
                message.contains("map.journey.ron: could not save: the disk is full"),
                "{step:?}: {message}"
            );
            assert_eq!(std::fs::read(&path).unwrap(), original, "{step:?}");
            let files = std::fs::read_dir(dir.path()).unwrap().count();
            assert_eq!(files, 1, "{step:?}: the temp file is removed");
        }
        save_with(&RealFs, &path, &journey).unwrap();
        assert_eq!(load(&path).unwrap(), journey);
    }

    #[test]
    fn stale_temp_files_of_a_killed_save_go_at_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.journey.ron");
        let stale = dir.path().join(".map.journey.ron.a1B2c3.tmp");
        let other = dir.path().join(".other.journey.ron.a1B2c3.tmp");
        let unrelated = dir.path().join(".map.journey.ron.my-copy.tmp");
        for f in [&stale, &other, &unrelated] {
            std::fs::write(f, "half a map").unwrap();
        }
        save(&path, &Template::Blank.build("b")).unwrap();
        assert!(!stale.exists());
        assert!(other.exists(), "another file's temp is not ours to remove");
        assert!(unrelated.exists(), "only the exact temp pattern is removed");
    }

    #[test]
    fn a_temp_file_a_live_writer_holds_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.journey.ron");
        let live = dir.path().join(".map.journey.ron.Zz9Yy8.tmp");
        let held = std::fs::File::create(&live).unwrap();
        held.lock().unwrap();
        save(&path, &Template::Blank.build("b")).unwrap();
        assert!(
            live.exists(),
            "another writer's temp is still being written"
        );
        drop(held);
        save(&path, &Template::Blank.build("b")).unwrap();
        assert!(!live.exists(), "once its writer is gone it is stale");
    }

    #[test]
    fn opening_a_map_clears_the_temps_of_its_killed_saves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.journey.ron");
        save(&path, &Template::Blank.build("b")).unwrap();
        let stale = dir.path().join(".map.journey.ron.k1LLed.tmp");
        std::fs::write(&stale, "half a map").unwrap();
        crate::io::open(&path).unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn a_temp_removed_before_the_rename_is_explained_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let message = explain_rename(gone, dir.path()).to_string();
        assert!(message.contains("removed by another program"), "{message}");
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let missing = dir.path().join("no such folder");
        let kind = explain_rename(gone, &missing).kind();
        assert_eq!(
            kind,
            std::io::ErrorKind::NotFound,
            "a missing folder stays so"
        );
    }

    #[test]
    fn errors_name_the_target_never_the_temp_file() {
        let error = SaveError {
            path: PathBuf::from("/maps/out.png"),
            source: std::io::Error::other(
                "File too large (os error 27) at path \"/maps/.out.png.aUAxPw.tmp\"",
            ),
        };
        let message = error.to_string();
        assert!(
            message.starts_with("/maps/out.png: could not save"),
            "{message}"
        );
        assert!(!message.contains(".tmp"), "{message}");
        assert!(!error.reason().contains(".tmp"));
    }
}
