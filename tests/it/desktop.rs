//! `waymark install-desktop-entry` and `uninstall-desktop-entry`, run
//! against the real binary with a temporary XDG data folder.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{repo, waymark};

/// The files the integration writes, relative to the data folder.
const FILES: [&str; 9] = [
    "applications/waymark.desktop",
    "mime/packages/waymark.xml",
    "icons/hicolor/16x16/apps/waymark.png",
    "icons/hicolor/32x32/apps/waymark.png",
    "icons/hicolor/48x48/apps/waymark.png",
    "icons/hicolor/64x64/apps/waymark.png",
    "icons/hicolor/128x128/apps/waymark.png",
    "icons/hicolor/256x256/apps/waymark.png",
    "icons/hicolor/512x512/apps/waymark.png",
];

/// Runs `waymark COMMAND` with `data` as its XDG data folder and `path` as
/// its PATH (where it looks for the cache tools).
fn run(command: &str, data: &Path, path: Option<&Path>) -> Output {
    let mut cmd = waymark();
    cmd.arg(command).env("XDG_DATA_HOME", data);
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    cmd.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn install_writes_the_entry_the_file_type_and_the_icons() {
    let data = tempfile::tempdir().unwrap();
    let output = run("install-desktop-entry", data.path(), None);
    assert!(output.status.success(), "{output:?}");
    let said = stdout(&output);
    for file in FILES {
        let path = data.path().join(file);
        assert!(path.is_file(), "{file}");
        assert!(
            said.contains(&format!("wrote {}", path.display())),
            "{said}"
        );
    }

    let entry = std::fs::read_to_string(data.path().join(FILES[0])).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_waymark")).unwrap();
    assert!(
        entry.contains(&format!("\nExec=\"{}\" %f\n", exe.display())),
        "{entry}"
    );
    let packaged = std::fs::read_to_string(repo().join("assets/waymark.desktop")).unwrap();
    let without_exec = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("Exec="))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(without_exec(&entry), without_exec(&packaged));

    let same = |file: &str, asset: &str| {
        assert_eq!(
            std::fs::read(data.path().join(file)).unwrap(),
            std::fs::read(repo().join(asset)).unwrap(),
            "{file}"
        );
    };
    same(FILES[1], "assets/waymark.xml");
    for file in &FILES[2..] {
        same(file, &format!("assets/{file}"));
    }
}

#[test]
fn missing_cache_tools_are_reported_and_do_not_fail() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let output = run("install-desktop-entry", data.path(), Some(empty.path()));
    assert!(output.status.success(), "{output:?}");
    let said = stdout(&output);
    assert!(
        said.contains("update-mime-database: not installed"),
        "{said}"
    );
    assert!(
        said.contains("update-desktop-database: not installed"),
        "{said}"
    );
    assert!(data.path().join(FILES[0]).is_file());
}

#[test]
fn uninstall_removes_exactly_the_installed_files() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    // Someone else's files in the same folders.
    let others: Vec<PathBuf> = [
        "applications/other.desktop",
        "mime/packages/other.xml",
        "icons/hicolor/48x48/apps/other.png",
    ]
    .iter()
    .map(|file| data.path().join(file))
    .collect();
    for other in &others {
        std::fs::create_dir_all(other.parent().unwrap()).unwrap();
        std::fs::write(other, "not Waymark's").unwrap();
    }
    let installed = run("install-desktop-entry", data.path(), Some(empty.path()));
    assert!(installed.status.success(), "{installed:?}");

    let output = run("uninstall-desktop-entry", data.path(), Some(empty.path()));
    assert!(output.status.success(), "{output:?}");
    let said = stdout(&output);
    for file in FILES {
        let path = data.path().join(file);
        assert!(!path.exists(), "{file} is left");
        assert!(
            said.contains(&format!("removed {}", path.display())),
            "{said}"
        );
    }
    for other in &others {
        assert_eq!(std::fs::read_to_string(other).unwrap(), "not Waymark's");
    }

    let again = run("uninstall-desktop-entry", data.path(), Some(empty.path()));
    assert!(again.status.success(), "{again:?}");
    assert!(stdout(&again).contains("nothing to remove"));
}

#[test]
fn an_unwritable_data_folder_is_named() {
    let data = tempfile::tempdir().unwrap();
    // A file where the applications folder should be.
    std::fs::write(data.path().join("applications"), "").unwrap();
    let output = run("install-desktop-entry", data.path(), None);
    assert_eq!(output.status.code(), Some(1));
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(
        error.contains(&data.path().join("applications").display().to_string()),
        "{error}"
    );
}
