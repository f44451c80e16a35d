//! Never lose work, driven through the real app with `egui_kittest`: crash
//! recovery from autosave snapshots, failed saves, and files changed on disk
//! by other programs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::common::{EXAMPLE, FPS, click, harness, journey, press};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::io::{FailingFs, SaveStep};
use waymark::model::Journey;
use waymark::ui::actions::Action;
use waymark::ui::app::{StartOptions, WaymarkApp};

/// The app on `file`, with autosave into `recovery`.
fn app(file: Option<&Path>, recovery: &Path) -> Harness<'static, WaymarkApp> {
    harness(StartOptions {
        file: file.map(Path::to_path_buf),
        recovery_dir: Some(recovery.to_path_buf()),
        ..StartOptions::default()
    })
}

/// Lets `seconds` of simulated time pass.
fn wait(h: &mut Harness<'_, WaymarkApp>, seconds: f32) {
    h.run_steps((seconds * FPS as f32) as usize);
}

/// The app on a copy of the example map in `dir`, autosave off.
fn open_copy(dir: &Path) -> (PathBuf, Harness<'static, WaymarkApp>) {
    let file = copy_example(dir);
    let h = harness(StartOptions {
        file: Some(file.clone()),
        ..StartOptions::default()
    });
    (file, h)
}

/// A copy of the example map in `dir`.
fn copy_example(dir: &Path) -> PathBuf {
    let path = dir.join("checkout.journey.ron");
    std::fs::copy(EXAMPLE, &path).unwrap();
    path
}

fn edit(h: &mut Harness<'_, WaymarkApp>) {
    h.state_mut().queue(Action::AddStage);
    h.run_steps(2);
}

fn snapshots(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".snapshot.ron"))
        .count()
}

#[test]
fn unsaved_edits_of_a_dropped_app_are_offered_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let file = copy_example(dir.path());
    let original = std::fs::read(&file).unwrap();

    let mut first = app(Some(&file), &recovery);
    edit(&mut first);
    edit(&mut first);
    assert_eq!(snapshots(&recovery), 0, "no snapshot while edits go on");
    wait(&mut first, 2.0);
    assert_eq!(snapshots(&recovery), 1, "a snapshot once edits pause");
    assert!(first.state().recovery_snapshot().is_some());
    let edited = journey(&first);
    // The app goes away without saving, as in a crash.
    drop(first);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        original,
        "the file is untouched"
    );

    let mut second = app(None, &recovery);
    assert_eq!(second.state().recoverable().len(), 1);
    assert!(second.query_by_label("Recover unsaved work").is_some());
    assert!(
        second
            .query_by_label_contains("checkout.journey.ron")
            .is_some()
    );
    click(&mut second, "Restore");
    assert!(second.query_by_label("Recover unsaved work").is_none());
    assert_eq!(journey(&second), edited);
    assert_eq!(second.state().doc.path.as_deref(), Some(file.as_path()));
    assert!(second.state_mut().is_dirty(), "restored work is unsaved");
    assert_eq!(std::fs::read(&file).unwrap(), original, "still untouched");
    // The snapshot stays until the map is saved.
    wait(&mut second, 2.0);
    assert_eq!(snapshots(&recovery), 1);
    press(&mut second, Modifiers::COMMAND, Key::S);
    assert!(!second.state_mut().is_dirty());
    assert_eq!(waymark::io::load(&file).unwrap(), edited);
    assert_eq!(snapshots(&recovery), 0, "saved: nothing left to recover");
    drop(second);

    let third = app(None, &recovery);
    assert!(third.query_by_label("Recover unsaved work").is_none());
}

#[test]
fn a_never_saved_map_is_recovered_and_discard_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app(None, dir.path());
    edit(&mut first);
    wait(&mut first, 2.0);
    drop(first);

    let mut second = app(None, dir.path());
    assert!(second.query_by_label_contains("never saved").is_some());
    click(&mut second, "Discard");
    assert!(second.query_by_label("Recover unsaved work").is_none());
    assert_eq!(snapshots(dir.path()), 0);
    drop(second);
    let third = app(None, dir.path());
    assert!(third.query_by_label("Recover unsaved work").is_none());
}

#[test]
fn another_running_window_is_not_taken_for_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app(None, dir.path());
    edit(&mut first);
    wait(&mut first, 2.0);
    assert_eq!(snapshots(dir.path()), 1);
    let second = app(None, dir.path());
    assert!(second.query_by_label("Recover unsaved work").is_none());
    drop(first);
}

#[test]
fn restore_then_save_as_keeps_the_original_file() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let file = copy_example(dir.path());
    let original = std::fs::read(&file).unwrap();
    let mut first = app(Some(&file), &recovery);
    edit(&mut first);
    wait(&mut first, 2.0);
    let edited = journey(&first);
    drop(first);

    let mut second = app(None, &recovery);
    click(&mut second, "Save As…");
    second.run_steps(2);
    let copy = dir.path().join("copy.journey.ron");
    let field = second.get_by_label("File path");
    field.focus();
    second.step();
    second.key_press_modifiers(Modifiers::COMMAND, Key::A);
    second.step();
    second
        .get_by_label("File path")
        .type_text(&copy.display().to_string());
    second.step();
    click(&mut second, "Save");
    assert_eq!(waymark::io::load(&copy).unwrap(), edited);
    assert_eq!(std::fs::read(&file).unwrap(), original);
    assert_eq!(snapshots(&recovery), 0);
}

#[test]
fn a_failed_save_says_so_keeps_the_file_and_the_changes() {
    for step in [
        SaveStep::Create,
        SaveStep::Write(0),
        SaveStep::Sync,
        SaveStep::Rename,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = copy_example(dir.path());
        let original = std::fs::read(&file).unwrap();
        let mut h = harness(StartOptions {
            file: Some(file.clone()),
            save_fs: Some(Arc::new(FailingFs(step))),
            ..StartOptions::default()
        });
        edit(&mut h);
        press(&mut h, Modifiers::COMMAND, Key::S);
        assert!(
            h.query_by_label("Could not save the map").is_some(),
            "{step:?}"
        );
        let message = format!("{}: could not save", file.display());
        assert!(
            h.query_all_by_label_contains(&message).count() >= 1,
            "{step:?}"
        );
        assert!(h.query_by_label("Save As…").is_some(), "{step:?}");
        assert!(h.state_mut().is_dirty(), "{step:?}: still unsaved");
        assert_eq!(std::fs::read(&file).unwrap(), original, "{step:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{step:?}"
        );
        click(&mut h, "OK");
        assert!(h.query_by_label("Could not save the map").is_none());
    }
}

/// Another program rewrites the file (and its length, so even a coarse
/// clock notices).
fn change_on_disk(file: &Path, title: &str) -> Journey {
    let mut other = waymark::io::load(file).unwrap();
    other.title = title.into();
    waymark::io::save(file, &other).unwrap();
    other
}

#[test]
fn an_unmodified_map_reloads_when_its_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_copy(dir.path());
    let other = change_on_disk(&file, "Changed by git pull");
    wait(&mut h, 1.5);
    assert_eq!(journey(&h), other);
    assert!(!h.state_mut().is_dirty());
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.starts_with("Reloaded"), "{status}");
}

#[test]
fn a_touched_but_unchanged_file_is_not_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_copy(dir.path());
    edit(&mut h);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    wait(&mut h, 1.5);
    assert!(h.query_by_label("The file changed on disk").is_none());
    assert!(h.state_mut().is_dirty());
}

#[test]
fn local_edits_and_a_changed_file_ask_then_saving_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_copy(dir.path());
    edit(&mut h);
    let mine = journey(&h);
    change_on_disk(&file, "Changed by a sync client");
    wait(&mut h, 1.5);
    assert!(h.query_by_label("The file changed on disk").is_some());
    click(&mut h, "Keep my version");
    assert_eq!(journey(&h), mine);
    wait(&mut h, 1.5);
    assert!(
        h.query_by_label("The file changed on disk").is_none(),
        "the same change is not asked about twice"
    );
    // Saving over the changed file asks first.
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(h.query_by_label("Overwrite").is_some());
    assert_eq!(
        waymark::io::load(&file).unwrap().title,
        "Changed by a sync client"
    );
    click(&mut h, "Overwrite");
    assert_eq!(waymark::io::load(&file).unwrap(), mine);
    assert!(!h.state_mut().is_dirty());
}

#[test]
fn an_unreadable_change_on_disk_keeps_the_map_and_saving_over_it_asks() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_copy(dir.path());
    let before = journey(&h);
    // Another program is caught half-way through writing the file.
    std::fs::write(&file, "(\n  format: 1,\n  title: \"Half writ").unwrap();
    wait(&mut h, 1.5);
    assert_eq!(journey(&h), before, "the open map stays");
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("cannot be read"), "{status}");
    assert!(h.query_by_label("The file changed on disk").is_none());
    // The file on disk is not ours any more: saving asks before overwriting.
    edit(&mut h);
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(h.query_by_label("Overwrite").is_some());
    click(&mut h, "Overwrite");
    assert_eq!(waymark::io::load(&file).unwrap(), journey(&h));
}

#[test]
fn reload_discards_local_edits_for_the_file_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_copy(dir.path());
    edit(&mut h);
    let theirs = change_on_disk(&file, "Theirs");
    press(&mut h, Modifiers::COMMAND, Key::S);
    click(&mut h, "Reload");
    assert_eq!(journey(&h), theirs);
    assert!(!h.state_mut().is_dirty());
}

#[test]
fn opening_repairs_what_is_safe_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.journey.ron");
    let mut j = waymark::io::load(Path::new(EXAMPLE)).unwrap();
    j.pain_points[0].opportunity = Some(waymark::model::CardId(987_654));
    waymark::io::save(&path, &j).unwrap();
    let before = std::fs::read(&path).unwrap();
    let h = harness(StartOptions {
        file: Some(path.clone()),
        ..StartOptions::default()
    });
    assert_eq!(h.state().doc.journey.pain_points[0].opportunity, None);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("repaired 1 broken reference"), "{status}");
    assert!(status.contains("987654"), "{status}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file waits for a save"
    );
}

#[test]
fn restoring_over_a_file_that_changed_since_the_crash_asks_before_saving() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let file = copy_example(dir.path());
    let mut first = app(Some(&file), &recovery);
    edit(&mut first);
    wait(&mut first, 2.0);
    let edited = journey(&first);
    drop(first);
    // After the crash, and before the restart, the file moves on.
    let theirs = change_on_disk(&file, "Pulled after the crash");

    let mut second = app(None, &recovery);
    click(&mut second, "Restore");
    assert_eq!(journey(&second), edited);
    wait(&mut second, 1.5);
    assert!(second.query_by_label("The file changed on disk").is_some());
    click(&mut second, "Keep my version");
    press(&mut second, Modifiers::COMMAND, Key::S);
    assert!(second.query_by_label("Overwrite").is_some());
    assert_eq!(waymark::io::load(&file).unwrap(), theirs, "not overwritten");
    click(&mut second, "Overwrite");
    assert_eq!(waymark::io::load(&file).unwrap(), edited);
}
