//! The open document and its life on disk: new, open, save, save as,
//! reload, noticing changes other programs make to its file, the autosave
//! snapshot kept while it has unsaved changes, and the window title. No
//! egui: the app calls these with the time and shows what they report.
//!
//! Invariants: the journey changes only through [`Document::apply`] (and
//! undo, redo) or by being replaced whole (open, reload, restore), so the
//! history's revision moves with every change. "Dirty" means the journey
//! differs from the file as last opened or saved here; the autosave
//! snapshot exists only while the document is dirty.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::edit::{Edit, EditError, GestureKey, History};
use crate::io::recovery::{Recoverable, Recovery};
use crate::io::{self, DiskStamp, DiskState, LoadError, SaveError, SaveFs};
use crate::model::Journey;

/// How long after the last edit the recovery snapshot is written, in
/// seconds: long enough not to write during a burst of typing, short
/// enough that a crash loses at most a couple of seconds.
pub const AUTOSAVE_DELAY: f64 = 1.5;
/// How often the open file is checked for changes on disk, in seconds.
pub const DISK_POLL_INTERVAL: f64 = 1.0;

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// What to say.
    pub text: String,
    /// Shown in red: something went wrong.
    pub is_error: bool,
}

impl Status {
    /// News.
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: false,
        }
    }

    /// A problem.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: true,
        }
    }
}

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveProblem {
    /// Someone else changed the document's file since it was opened or
    /// saved here: ask before overwriting (nothing was written).
    ChangedOnDisk,
    /// The save failed; the file and the document are as they were.
    Failed(SaveError),
}

/// What a look at the file on disk found.
#[derive(Debug, PartialEq, Eq)]
pub enum DiskEvent {
    /// Nothing that needs doing.
    Nothing,
    /// The file changed and there were no local changes: it was reloaded.
    Reloaded(Status),
    /// The file changed but cannot be read (half-written, perhaps): the
    /// document stays, and a save will ask before overwriting.
    Unreadable(Status),
    /// The file changed and there are unsaved changes here: ask the user.
    Conflict,
}

/// What an autosave tick did.
#[derive(Debug, PartialEq)]
pub enum AutosaveStep {
    /// Nothing to do now.
    Idle,
    /// A snapshot is due this many seconds from now.
    Due(f64),
    /// Writing or removing the snapshot failed (said once, not every tick).
    Failed(Status),
}

/// When the recovery snapshot was last brought up to date.
#[derive(Debug, Default)]
struct Autosave {
    /// The history revision seen last tick, to notice edits.
    seen_revision: u64,
    /// When (seconds, the caller's clock) the revision last changed.
    changed_at: f64,
    /// The revision the snapshot on disk holds, if there is one.
    written: Option<u64>,
    /// The last write failed; said once until a write succeeds.
    failing: bool,
}

/// The open document.
#[derive(Debug)]
pub struct Document {
    /// The journey being edited: read it freely, change it with
    /// [`Document::apply`].
    pub journey: Journey,
    /// Where it is saved, if it has been.
    pub path: Option<PathBuf>,
    history: History,
    /// The journey as last saved or opened, to tell whether there are
    /// unsaved changes.
    saved: Journey,
    /// The file as last read or written here, to notice changes made by
    /// others (git pull, a sync client, another editor).
    stamp: Option<DiskStamp>,
    /// A changed file on disk the user chose not to reload, so the same
    /// change is not asked about (or re-read) every second.
    kept_over_disk: Option<DiskStamp>,
    /// Whether the journey differs from `saved`, for the revision it was
    /// worked out at (comparing whole journeys every frame would be waste).
    dirty: Cell<Option<(u64, bool)>>,
    save_fs: Arc<dyn SaveFs>,
    recovery: Option<Recovery>,
    autosave: Autosave,
    /// When (seconds, the caller's clock) the file is next checked.
    next_disk_poll: f64,
}

impl Document {
    /// A new, never saved document (not dirty until edited).
    pub fn new(journey: Journey) -> Self {
        Self {
            saved: journey.clone(),
            journey,
            path: None,
            history: History::default(),
            stamp: None,
            kept_over_disk: None,
            dirty: Cell::new(None),
            save_fs: Arc::new(io::RealFs),
            recovery: None,
            autosave: Autosave::default(),
            next_disk_poll: 0.0,
        }
    }

    /// Saves go through `fs` (tests pass [`io::FailingFs`]).
    pub fn set_save_fs(&mut self, fs: Arc<dyn SaveFs>) {
        self.save_fs = fs;
    }

    /// Turns autosave on: snapshots go to this instance's recovery place.
    pub fn set_recovery(&mut self, recovery: Recovery) {
        self.recovery = Some(recovery);
    }

    // ---- changes ----------------------------------------------------------

    /// Undo and redo.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Changes whenever the journey does.
    pub fn revision(&self) -> u64 {
        self.history.revision()
    }

    /// Applies an edit as one undo step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.history.apply(&mut self.journey, edit)
    }

    /// Applies an edit as part of the gesture `key` (one undo step for all
    /// of it, until [`Document::end_gesture`]).
    pub fn apply_in_gesture(&mut self, edit: Edit, key: GestureKey) -> Result<(), EditError> {
        self.history.apply_in_gesture(&mut self.journey, edit, key)
    }

    /// The next edit starts a new undo step.
    pub fn end_gesture(&mut self) {
        self.history.end_gesture();
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        self.history.undo(&mut self.journey)
    }

    /// Redoes the last undone step; false when there is none.
    pub fn redo(&mut self) -> bool {
        self.history.redo(&mut self.journey)
    }

    // ---- state ------------------------------------------------------------

    /// Whether the journey differs from its file as last opened or saved
    /// (undoing back to it makes the document clean again).
    pub fn is_dirty(&self) -> bool {
        let revision = self.history.revision();
        match self.dirty.get() {
            Some((seen, dirty)) if seen == revision => dirty,
            _ => {
                let dirty = self.journey != self.saved;
                self.dirty.set(Some((revision, dirty)));
                dirty
            }
        }
    }

    /// The file's name, or "Untitled".
    pub fn name(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| "Untitled".to_owned(), io::display_name)
    }

    /// The window title: the file's name, marked while there are unsaved
    /// changes.
    pub fn window_title(&self) -> String {
        let marker = if self.is_dirty() { "• " } else { "" };
        format!("{marker}{} — Waymark", self.name())
    }

    /// This instance's autosave snapshot file, while one is on disk.
    pub fn recovery_snapshot(&self) -> Option<&Path> {
        self.recovery
            .as_ref()
            .filter(|r| r.has_snapshot())
            .map(Recovery::snapshot_path)
    }

    // ---- whole documents --------------------------------------------------

    /// Replaces the journey (after new, open, reload or restore): history
    /// forgotten, clean, no file unless `path` is given.
    fn replace(&mut self, journey: Journey, path: Option<PathBuf>) {
        self.saved = journey.clone();
        self.journey = journey;
        self.path = path;
        self.stamp = None;
        self.kept_over_disk = None;
        self.history.clear();
        self.dirty.set(None);
    }

    /// Starts a new, never saved map.
    pub fn start_new(&mut self, journey: Journey) {
        self.replace(journey, None);
    }

    /// Opens a file, keeping the current document if it cannot be read.
    /// The status says what was done on the way in (migrations, repairs)
    /// and whether the map has problems.
    pub fn open(&mut self, path: &Path) -> Result<Status, LoadError> {
        let loaded = io::open(path)?;
        let problems = loaded.journey.problems();
        self.replace(loaded.journey, Some(path.to_path_buf()));
        self.stamp = Some(loaded.stamp);
        let mut notes = Vec::new();
        if let Some(format) = loaded.migrated_from {
            notes.push(format!(
                "upgraded from format {format}; saving writes format {}",
                crate::model::FORMAT_VERSION
            ));
        }
        if let Some(first) = loaded.repairs.first() {
            notes.push(format!(
                "repaired {} broken reference(s) ({first}); saving keeps the repair",
                loaded.repairs.len()
            ));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(": {}", notes.join("; "))
        };
        let name = path.display();
        Ok(match problems.first() {
            None => Status::info(format!("Opened {name}{notes}")),
            Some(first) => Status::error(format!(
                "Opened {name} with {} problem(s); run `waymark check` for details. First: {first}{notes}",
                problems.len(),
            )),
        })
    }

    /// Saves to `path`, which becomes the document's file. Saving over its
    /// own file after someone else changed it writes nothing and reports
    /// [`SaveProblem::ChangedOnDisk`], so the user can be asked first.
    pub fn save_to(&mut self, path: &Path) -> Result<Status, SaveProblem> {
        let own_file = self.path.as_deref() == Some(path);
        if own_file
            && let Some(stamp) = &self.stamp
            && matches!(stamp.check(path), DiskState::Changed(_))
        {
            return Err(SaveProblem::ChangedOnDisk);
        }
        self.save_over(path).map_err(SaveProblem::Failed)
    }

    /// Saves to `path` without asking about changes on disk. On failure the
    /// document (and its unsaved changes) stays as it was.
    pub fn save_over(&mut self, path: &Path) -> Result<Status, SaveError> {
        let stamp = io::save_with(self.save_fs.as_ref(), path, &self.journey)?;
        self.path = Some(path.to_path_buf());
        self.saved = self.journey.clone();
        self.stamp = Some(stamp);
        self.kept_over_disk = None;
        self.dirty.set(None);
        Ok(self
            .clear_snapshot()
            .unwrap_or_else(|| Status::info(format!("Saved {}", path.display()))))
    }

    /// Forgets the unsaved changes' claim on the user: the document counts
    /// as saved and its snapshot goes (the user chose Discard). Returns a
    /// problem removing the snapshot, if any.
    pub fn discard_changes(&mut self) -> Option<Status> {
        self.saved = self.journey.clone();
        self.dirty.set(None);
        self.clear_snapshot()
    }

    // ---- the file on disk -------------------------------------------------

    /// Replaces the document with its file on disk, dropping any unsaved
    /// changes and their snapshot (the view may stay). `Err` when the file cannot be read: the document stays, and this
    /// change on disk is not reported again.
    pub fn reload(&mut self, why: &str) -> Result<Status, Status> {
        let Some(path) = self.path.clone() else {
            return Err(Status::error("The map has no file to reload"));
        };
        match io::open(&path) {
            Ok(loaded) => {
                self.replace(loaded.journey, Some(path.clone()));
                self.stamp = Some(loaded.stamp);
                // The document is its file again: no snapshot to keep.
                let reloaded = Status::info(format!("Reloaded {}: {why}", path.display()));
                Ok(self.clear_snapshot().unwrap_or(reloaded))
            }
            Err(err) => {
                // Half-written by the other program, perhaps: keep ours and
                // look again when the file changes next. The document's own
                // stamp stays, so a save still asks before overwriting.
                self.kept_over_disk = DiskStamp::read(&path);
                Err(Status::error(format!(
                    "{} changed on disk but cannot be read: {err}",
                    path.display()
                )))
            }
        }
    }

    /// The user keeps their version over the changed file: do not ask
    /// again about this same change.
    pub fn keep_mine(&mut self) {
        self.kept_over_disk = self.path.as_deref().and_then(DiskStamp::read);
    }

    /// Looks at the file on disk now: reloads it when it changed and there
    /// are no local changes; reports a conflict when there are.
    pub fn check_disk(&mut self) -> DiskEvent {
        let (Some(path), Some(stamp)) = (&self.path, &self.stamp) else {
            return DiskEvent::Nothing;
        };
        if let Some(kept) = &self.kept_over_disk
            && matches!(kept.check(path), DiskState::Same | DiskState::Touched(_))
        {
            return DiskEvent::Nothing;
        }
        match stamp.check(path) {
            DiskState::Touched(stamp) => {
                self.stamp = Some(stamp);
                DiskEvent::Nothing
            }
            DiskState::Changed(_) if self.is_dirty() => DiskEvent::Conflict,
            DiskState::Changed(_) => match self.reload("it changed on disk") {
                Ok(status) => DiskEvent::Reloaded(status),
                Err(status) => DiskEvent::Unreadable(status),
            },
            DiskState::Same | DiskState::Missing => DiskEvent::Nothing,
        }
    }

    /// [`Document::check_disk`] about once every [`DISK_POLL_INTERVAL`]
    /// seconds of `now`. `None` when there is no file to watch or it is not
    /// time yet; `busy` (a dialog is open) skips the look but keeps
    /// watching.
    pub fn poll_disk(&mut self, now: f64, busy: bool) -> Option<DiskEvent> {
        if now < self.next_disk_poll {
            return None;
        }
        self.next_disk_poll = now + DISK_POLL_INTERVAL;
        if self.path.is_none() || self.stamp.is_none() {
            return None;
        }
        Some(if busy {
            DiskEvent::Nothing
        } else {
            self.check_disk()
        })
    }

    // ---- autosave and recovery --------------------------------------------

    /// Removes this instance's recovery snapshot (the document was saved or
    /// its changes discarded); returns a problem doing so, if any.
    fn clear_snapshot(&mut self) -> Option<Status> {
        self.autosave.written = None;
        let err = self.recovery.as_ref()?.clear().err()?;
        Some(Status::error(format!(
            "Could not remove the autosave snapshot: {err}"
        )))
    }

    /// Brings the recovery snapshot up to date, `now` being the caller's
    /// clock in seconds: written once edits have paused for
    /// [`AUTOSAVE_DELAY`], removed when the document matches its file
    /// again. Call it every frame; it does nothing when autosave is off.
    pub fn autosave(&mut self, now: f64) -> AutosaveStep {
        if self.recovery.is_none() {
            return AutosaveStep::Idle;
        }
        let revision = self.history.revision();
        if revision != self.autosave.seen_revision {
            self.autosave.seen_revision = revision;
            self.autosave.changed_at = now;
        }
        if !self.is_dirty() {
            // Nothing unsaved: the file itself is the copy to keep.
            let problem = self.autosave.written.and_then(|_| self.clear_snapshot());
            return problem.map_or(AutosaveStep::Idle, AutosaveStep::Failed);
        }
        if self.autosave.written == Some(revision) {
            return AutosaveStep::Idle;
        }
        let due = self.autosave.changed_at + AUTOSAVE_DELAY;
        if now < due {
            return AutosaveStep::Due(due - now);
        }
        let Some(recovery) = &self.recovery else {
            return AutosaveStep::Idle;
        };
        let written = recovery.write(self.path.as_deref(), self.stamp.as_ref(), &self.journey);
        // After a failure, try again after the next edit, not every frame.
        self.autosave.written = Some(revision);
        match written {
            Ok(()) => {
                self.autosave.failing = false;
                AutosaveStep::Idle
            }
            Err(_) if self.autosave.failing => AutosaveStep::Idle,
            Err(err) => {
                self.autosave.failing = true;
                AutosaveStep::Failed(Status::error(format!("Autosave failed: {err}")))
            }
        }
    }

    /// Opens a crashed session's snapshot as the document: unsaved, with its
    /// original path, the snapshot kept (now this instance's) until the
    /// document is saved or discarded. `None`, changing nothing, when the
    /// snapshot cannot be read.
    pub fn restore(&mut self, entry: &Recoverable) -> Option<Status> {
        let snapshot = entry.snapshot.as_ref().ok()?;
        let adopted = match &self.recovery {
            Some(recovery) => recovery.adopt(entry),
            None => Ok(()),
        };
        // "Unsaved" means: differs from the file as it is on disk now (or
        // from nothing, for a map that was never saved).
        let on_disk = snapshot.path.as_deref().and_then(|p| io::open(p).ok());
        self.replace(snapshot.journey.clone(), snapshot.path.clone());
        if let Some(loaded) = on_disk {
            self.saved = loaded.journey;
            self.stamp = Some(match snapshot.base_hash {
                // The file changed after the edits were made (a git pull
                // after the crash): keep the stamp of the file they were made
                // on, so the next poll asks and saving cannot silently
                // overwrite the newer file.
                Some(hash) if hash != loaded.stamp.hash => DiskStamp {
                    modified: None,
                    len: 0,
                    hash,
                },
                _ => loaded.stamp,
            });
        } else {
            self.saved = Journey::empty("");
        }
        self.dirty.set(None);
        let revision = self.history.revision();
        self.autosave.written = Some(revision);
        self.autosave.seen_revision = revision;
        Some(match adopted {
            Ok(()) => {
                let name = snapshot
                    .path
                    .as_deref()
                    .map_or_else(|| "the unsaved map".to_owned(), |p| p.display().to_string());
                Status::info(format!("Restored {name} from autosave; save to keep it"))
            }
            Err(err) => Status::error(format!("Could not take over the snapshot: {err}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{FailingFs, SaveStep};
    use crate::model::templates::Template;

    /// A saved map in a temp folder, open.
    fn opened() -> (tempfile::TempDir, PathBuf, Document) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.journey.ron");
        io::save(&path, &Template::FourStage.build("Checkout")).unwrap();
        let mut doc = Document::new(Journey::empty(""));
        let status = doc.open(&path).unwrap();
        assert!(status.text.starts_with("Opened"), "{status:?}");
        assert!(!status.is_error);
        (dir, path, doc)
    }

    fn rename_first_stage(doc: &mut Document, name: &str) {
        let stage = doc.journey.stages[0].id;
        doc.apply(Edit::RenameStage(stage, name.into())).unwrap();
    }

    /// Another program rewrites the file.
    fn change_on_disk(path: &Path, title: &str) -> Journey {
        let mut other = io::load(path).unwrap();
        other.title = title.into();
        io::save(path, &other).unwrap();
        other
    }

    #[test]
    fn edits_make_the_document_dirty_and_saving_makes_it_clean() {
        let (_dir, path, mut doc) = opened();
        assert!(!doc.is_dirty());
        assert_eq!(doc.window_title(), "map.journey.ron — Waymark");
        rename_first_stage(&mut doc, "Discover");
        assert!(doc.is_dirty());
        assert_eq!(doc.window_title(), "• map.journey.ron — Waymark");
        // Undoing back to the saved state is clean again.
        assert!(doc.undo());
        assert!(!doc.is_dirty());
        assert!(doc.redo());
        let status = doc.save_to(&path).unwrap();
        assert_eq!(status, Status::info(format!("Saved {}", path.display())));
        assert!(!doc.is_dirty());
        assert_eq!(io::load(&path).unwrap(), doc.journey);
    }

    #[test]
    fn window_title_names_the_file_and_marks_unsaved_changes() {
        let mut doc = Document::new(Template::FourStage.build("t"));
        assert_eq!(doc.window_title(), "Untitled — Waymark");
        doc.path = Some(PathBuf::from("/maps/checkout.journey.ron"));
        assert_eq!(doc.window_title(), "checkout.journey.ron — Waymark");
        rename_first_stage(&mut doc, "Discover");
        assert_eq!(doc.window_title(), "• checkout.journey.ron — Waymark");
        // Undoing back to the saved state clears the marker.
        doc.undo();
        assert_eq!(doc.window_title(), "checkout.journey.ron — Waymark");
    }

    #[test]
    fn a_new_map_is_untitled_and_save_as_gives_it_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = Document::new(Template::Blank.build("New"));
        assert_eq!(doc.window_title(), "Untitled — Waymark");
        assert!(!doc.is_dirty());
        rename_first_stage(&mut doc, "Start");
        let path = dir.path().join("new.journey.ron");
        doc.save_to(&path).unwrap();
        assert_eq!(doc.path.as_deref(), Some(path.as_path()));
        assert!(!doc.is_dirty());
        doc.start_new(Template::SixStage.build("Next"));
        assert_eq!(doc.path, None);
        assert!(!doc.history().can_undo(), "history is per document");
    }

    #[test]
    fn a_file_that_cannot_be_read_leaves_the_document_alone() {
        let (dir, path, mut doc) = opened();
        rename_first_stage(&mut doc, "Mine");
        let before = doc.journey.clone();
        let broken = dir.path().join("broken.journey.ron");
        std::fs::write(&broken, "(format: 1, title: ").unwrap();
        assert!(doc.open(&broken).is_err());
        assert_eq!(doc.journey, before);
        assert_eq!(doc.path.as_deref(), Some(path.as_path()));
        assert!(doc.is_dirty());
    }

    #[test]
    fn a_failed_save_leaves_the_file_and_the_changes() {
        let (_dir, path, mut doc) = opened();
        let original = std::fs::read(&path).unwrap();
        rename_first_stage(&mut doc, "Unsaved");
        doc.set_save_fs(Arc::new(FailingFs(SaveStep::Rename)));
        assert!(matches!(doc.save_to(&path), Err(SaveProblem::Failed(_))));
        assert!(doc.is_dirty());
        assert_eq!(doc.journey.stages[0].name, "Unsaved");
        assert_eq!(std::fs::read(&path).unwrap(), original);
    }

    #[test]
    fn a_change_on_disk_reloads_a_clean_document() {
        let (_dir, path, mut doc) = opened();
        assert_eq!(doc.check_disk(), DiskEvent::Nothing);
        let theirs = change_on_disk(&path, "Pulled");
        let DiskEvent::Reloaded(status) = doc.check_disk() else {
            panic!("reloaded");
        };
        assert!(status.text.starts_with("Reloaded"), "{status:?}");
        assert_eq!(doc.journey, theirs);
        assert!(!doc.is_dirty());
    }

    #[test]
    fn a_change_on_disk_under_local_edits_asks_and_saving_asks_again() {
        let (_dir, path, mut doc) = opened();
        rename_first_stage(&mut doc, "Mine");
        let theirs = change_on_disk(&path, "Synced");
        assert_eq!(doc.check_disk(), DiskEvent::Conflict);
        assert!(matches!(
            doc.save_to(&path),
            Err(SaveProblem::ChangedOnDisk)
        ));
        assert_eq!(io::load(&path).unwrap(), theirs, "nothing written");
        doc.keep_mine();
        assert_eq!(doc.check_disk(), DiskEvent::Nothing, "asked once");
        doc.save_over(&path).unwrap();
        assert_eq!(io::load(&path).unwrap(), doc.journey);
        assert_eq!(doc.check_disk(), DiskEvent::Nothing);
    }

    #[test]
    fn reload_discards_local_edits_and_an_unreadable_file_keeps_them() {
        let (_dir, path, mut doc) = opened();
        rename_first_stage(&mut doc, "Mine");
        let theirs = change_on_disk(&path, "Theirs");
        doc.reload("asked").unwrap();
        assert_eq!(doc.journey, theirs);
        assert!(!doc.is_dirty());

        rename_first_stage(&mut doc, "Mine again");
        let mine = doc.journey.clone();
        std::fs::write(&path, "(\n  format: 1,\n  title: \"Half writ").unwrap();
        let DiskEvent::Conflict = doc.check_disk() else {
            panic!("local edits: ask");
        };
        let status = doc.reload("asked").unwrap_err();
        assert!(status.text.contains("cannot be read"), "{status:?}");
        assert_eq!(doc.journey, mine);
        assert_eq!(doc.check_disk(), DiskEvent::Nothing, "not asked again");
        assert!(matches!(
            doc.save_to(&path),
            Err(SaveProblem::ChangedOnDisk)
        ));
    }

    #[test]
    fn a_touched_file_is_not_a_change() {
        let (_dir, path, mut doc) = opened();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(doc.check_disk(), DiskEvent::Nothing);
        assert_eq!(doc.check_disk(), DiskEvent::Nothing);
    }

    #[test]
    fn the_disk_is_polled_once_per_interval_and_not_while_busy() {
        let (_dir, path, mut doc) = opened();
        change_on_disk(&path, "Later");
        assert_eq!(doc.poll_disk(0.0, true), Some(DiskEvent::Nothing));
        assert_eq!(doc.poll_disk(0.5, false), None, "not time yet");
        assert!(matches!(
            doc.poll_disk(1.0, false),
            Some(DiskEvent::Reloaded(_))
        ));
        let mut untitled = Document::new(Journey::empty(""));
        assert_eq!(untitled.poll_disk(5.0, false), None, "no file to watch");
    }

    #[test]
    fn autosave_writes_after_a_pause_and_clears_on_save() {
        let (dir, path, mut doc) = opened();
        let (recovery, found) = Recovery::start(&dir.path().join("recovery")).unwrap();
        assert!(found.is_empty());
        doc.set_recovery(recovery);
        assert_eq!(
            doc.autosave(0.0),
            AutosaveStep::Idle,
            "clean: nothing to keep"
        );
        rename_first_stage(&mut doc, "Mine");
        assert_eq!(doc.autosave(10.0), AutosaveStep::Due(AUTOSAVE_DELAY));
        assert!(doc.recovery_snapshot().is_none());
        assert_eq!(doc.autosave(10.0 + AUTOSAVE_DELAY), AutosaveStep::Idle);
        assert!(doc.recovery_snapshot().is_some());
        doc.save_to(&path).unwrap();
        assert!(
            doc.recovery_snapshot().is_none(),
            "saved: nothing to recover"
        );
    }

    #[test]
    fn undoing_back_to_the_file_removes_the_snapshot() {
        let (dir, _path, mut doc) = opened();
        let (recovery, _) = Recovery::start(&dir.path().join("recovery")).unwrap();
        doc.set_recovery(recovery);
        rename_first_stage(&mut doc, "Mine");
        doc.autosave(0.0);
        doc.autosave(AUTOSAVE_DELAY);
        assert!(doc.recovery_snapshot().is_some());
        doc.undo();
        doc.autosave(AUTOSAVE_DELAY + 1.0);
        assert!(doc.recovery_snapshot().is_none());
    }

    #[test]
    fn a_restored_snapshot_is_unsaved_and_keeps_its_path() {
        let (dir, path, mut first) = opened();
        let recovery_dir = dir.path().join("recovery");
        let (recovery, _) = Recovery::start(&recovery_dir).unwrap();
        first.set_recovery(recovery);
        rename_first_stage(&mut first, "Crashed");
        first.autosave(0.0);
        first.autosave(AUTOSAVE_DELAY);
        let edited = first.journey.clone();
        drop(first);

        let (recovery, found) = Recovery::start(&recovery_dir).unwrap();
        let mut doc = Document::new(Journey::empty(""));
        doc.set_recovery(recovery);
        let [entry] = found.as_slice() else {
            panic!("one snapshot to offer: {found:?}");
        };
        let status = doc.restore(entry).unwrap();
        assert!(status.text.starts_with("Restored"), "{status:?}");
        assert_eq!(doc.journey, edited);
        assert_eq!(doc.path.as_deref(), Some(path.as_path()));
        assert!(doc.is_dirty());
        assert!(doc.recovery_snapshot().is_some(), "kept until saved");
        assert_eq!(doc.discard_changes(), None);
        assert!(doc.recovery_snapshot().is_none());
        assert!(!doc.is_dirty());
    }
}
