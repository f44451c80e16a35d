//! Autosave snapshots and crash recovery.
//!
//! A running editor writes its unsaved document, atomically, to
//! `DATA_DIR/recovery/INSTANCE.snapshot.ron` shortly after edits stop, tagged
//! with the document's own path; the user's file is never touched. Each
//! running instance holds an OS lock on `INSTANCE.lock` for as long as it
//! lives. The OS drops that lock when the process dies, however it dies, so at
//! the next start a snapshot whose lock is free belonged to an editor that
//! crashed or was killed, while one whose lock is held belongs to another
//! window that is still open and is left alone.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::io::{self, SaveError};
use crate::model::Journey;

const SNAPSHOT_SUFFIX: &str = ".snapshot.ron";
const LOCK_SUFFIX: &str = ".lock";
/// Snapshots larger than this are not read back (they hold a whole map; see
/// [`io::MAX_FILE_BYTES`]).
const MAX_SNAPSHOT_BYTES: u64 = io::MAX_FILE_BYTES * 2;
/// Nesting deeper than this is refused, as when loading maps (plus the
/// levels of the snapshot around the journey).
const RECURSION_LIMIT: usize = io::RECURSION_LIMIT + 8;

/// The folder recovery snapshots go to by default:
/// the platform's data folder for Waymark, then `recovery`.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Waymark").map(|d| d.data_dir().join("recovery"))
}

/// What an autosave writes: the unsaved journey and where it belongs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The document's file, or `None` for a map that was never saved.
    pub path: Option<PathBuf>,
    /// When the snapshot was written, in seconds since the Unix epoch.
    pub written_at: u64,
    /// Content hash ([`io::DiskStamp::hash`]) of the file the edits were
    /// made on, to notice at restore time that it changed since.
    #[serde(default)]
    pub base_hash: Option<u64>,
    /// The journey with its unsaved changes.
    pub journey: Journey,
}

/// A snapshot left behind by an editor that did not exit normally.
#[derive(Debug)]
pub struct Recoverable {
    /// The snapshot file.
    pub file: PathBuf,
    /// Its contents, or why they cannot be read.
    pub snapshot: Result<Snapshot, String>,
}

impl Recoverable {
    /// Deletes the snapshot: the user chose to discard it.
    pub fn discard(&self) -> std::io::Result<()> {
        remove_if_present(&self.file)
    }

    /// A one-line description for the recovery dialog.
    pub fn describe(&self, now: SystemTime) -> String {
        match &self.snapshot {
            Ok(snapshot) => {
                let place = snapshot
                    .path
                    .as_deref()
                    .map_or_else(|| "never saved".to_owned(), |p| p.display().to_string());
                let age = now
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
                    .saturating_sub(snapshot.written_at);
                format!("{place} · autosaved {}", describe_age(age))
            }
            Err(message) => format!("cannot be read: {message}"),
        }
    }
}

fn describe_age(seconds: u64) -> String {
    match seconds {
        0..60 => "less than a minute ago".to_owned(),
        60..3_600 => format!("{} min ago", seconds / 60),
        3_600..86_400 => format!("{} h ago", seconds / 3_600),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

/// This running instance's place in the recovery folder. Holding it holds
/// the instance lock; dropping it releases the lock but keeps the snapshot,
/// so a crash and a drop look the same to the next start.
#[derive(Debug)]
pub struct Recovery {
    dir: PathBuf,
    snapshot: PathBuf,
    /// Locked until dropped (the OS releases it if the process dies).
    _lock: File,
}

impl Recovery {
    /// Takes a place in `dir` (created if needed) and returns the snapshots
    /// of instances that are no longer running, oldest first.
    pub fn start(dir: &Path) -> std::io::Result<(Self, Vec<Recoverable>)> {
        std::fs::create_dir_all(dir)?;
        let instance = format!(
            "{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        // Lock under a temp name, then rename into place, so another instance
        // scanning the folder never sees this lock file unlocked.
        let temp = tempfile::Builder::new()
            .prefix(".starting-")
            .tempfile_in(dir)?;
        temp.as_file().try_lock().map_err(std::io::Error::from)?;
        let lock = temp
            .persist(dir.join(format!("{instance}{LOCK_SUFFIX}")))
            .map_err(|e| e.error)?;
        let recovery = Self {
            dir: dir.to_path_buf(),
            snapshot: dir.join(format!("{instance}{SNAPSHOT_SUFFIX}")),
            _lock: lock,
        };
        let found = recovery.orphans();
        Ok((recovery, found))
    }

    /// Snapshots whose instance is no longer running; removes the lock files
    /// of dead instances that left no snapshot.
    fn orphans(&self) -> Vec<Recoverable> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in &names {
            if let Some(instance) = name.strip_suffix(LOCK_SUFFIX) {
                let lock = self.dir.join(name);
                let has_snapshot = names.contains(&format!("{instance}{SNAPSHOT_SUFFIX}"));
                if !has_snapshot && is_dead(&lock) {
                    let _ = std::fs::remove_file(lock);
                }
                continue;
            }
            let Some(instance) = name.strip_suffix(SNAPSHOT_SUFFIX) else {
                continue;
            };
            let file = self.dir.join(name);
            if file == self.snapshot || !is_dead(&self.dir.join(format!("{instance}{LOCK_SUFFIX}")))
            {
                continue;
            }
            let snapshot = read_snapshot(&file);
            found.push(Recoverable { file, snapshot });
        }
        found.sort_by_key(|r| r.snapshot.as_ref().map_or(0, |s| s.written_at));
        found
    }

    /// Writes this instance's snapshot atomically. `base` is the file as
    /// the document last read or wrote it.
    pub fn write(
        &self,
        path: Option<&Path>,
        base: Option<&io::DiskStamp>,
        journey: &Journey,
    ) -> Result<(), SaveError> {
        let snapshot = Snapshot {
            path: path.map(Path::to_path_buf),
            base_hash: base.map(|b| b.hash),
            written_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            journey: journey.clone(),
        };
        let text = ron::ser::to_string(&snapshot).map_err(|e| SaveError {
            path: self.snapshot.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        io::write_atomic(&self.snapshot, text.as_bytes())
    }

    /// Removes this instance's snapshot (after a save or a discard).
    pub fn clear(&self) -> std::io::Result<()> {
        remove_if_present(&self.snapshot)
    }

    /// Makes an orphaned snapshot this instance's own: it stays on disk,
    /// now guarded by this instance's lock, until the document is saved or
    /// discarded.
    pub fn adopt(&self, recoverable: &Recoverable) -> std::io::Result<()> {
        std::fs::rename(&recoverable.file, &self.snapshot)
    }

    /// Whether this instance has a snapshot on disk.
    pub fn has_snapshot(&self) -> bool {
        self.snapshot.exists()
    }

    /// This instance's snapshot file.
    pub fn snapshot_path(&self) -> &Path {
        &self.snapshot
    }
}

/// Whether the instance owning this lock file is gone: the file is missing,
/// or its lock can be taken (the OS released it when the process ended).
fn is_dead(lock: &Path) -> bool {
    match File::open(lock) {
        // Locking unsupported or failing counts as dead: better to offer a
        // snapshot twice than to hide one that might be the only copy.
        Ok(file) => !matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock)),
        Err(_) => true,
    }
}

fn read_snapshot(file: &Path) -> Result<Snapshot, String> {
    let (bytes, _) = io::read_with_meta(file, MAX_SNAPSHOT_BYTES).map_err(|e| match e {
        io::LoadError::TooLarge { size, .. } => {
            format!("the snapshot is {size} bytes, too large to read")
        }
        other => other.to_string(),
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .from_str(text)
        .map_err(|e| e.to_string())
}

fn remove_if_present(file: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(file) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;

    #[test]
    fn a_live_instance_is_not_taken_for_a_crash_but_a_dropped_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let (first, found) = Recovery::start(dir.path()).unwrap();
        assert!(found.is_empty());
        let journey = Template::FourStage.build("Unsaved");
        first
            .write(Some(Path::new("/maps/a.journey.ron")), None, &journey)
            .unwrap();

        // A second window while the first still runs: nothing to recover.
        let (second, found) = Recovery::start(dir.path()).unwrap();
        assert!(found.is_empty(), "{found:?}");

        // The first one dies without cleaning up.
        drop(first);
        let (third, found) = Recovery::start(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        let snapshot = found[0].snapshot.as_ref().unwrap();
        assert_eq!(snapshot.journey, journey);
        assert_eq!(
            snapshot.path.as_deref(),
            Some(Path::new("/maps/a.journey.ron"))
        );

        // Adopted, it belongs to the third instance and is offered to nobody.
        third.adopt(&found[0]).unwrap();
        assert!(third.has_snapshot());
        let (_fourth, found) = Recovery::start(dir.path()).unwrap();
        assert!(found.is_empty());
        third.clear().unwrap();
        assert!(!third.has_snapshot());
        drop(second);
    }

    #[test]
    fn discard_removes_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = Recovery::start(dir.path()).unwrap();
        first
            .write(None, None, &Template::Blank.build("Never saved"))
            .unwrap();
        drop(first);
        let (_second, found) = Recovery::start(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .describe(SystemTime::now())
                .starts_with("never saved")
        );
        found[0].discard().unwrap();
        let (_third, found) = Recovery::start(dir.path()).unwrap();
        assert!(found.is_empty());
    }
}
