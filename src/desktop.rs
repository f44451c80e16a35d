//! The per-user desktop integration of `waymark install-desktop-entry`: the
//! desktop entry, the `application/x-waymark-journey` file type and the icon,
//! written under the XDG data folder (`$XDG_DATA_HOME`, by default
//! `~/.local/share`) as the Debian package writes them under `/usr/share`.
//!
//! The files are the ones in `assets/`, embedded in the binary, except that
//! the entry's `Exec` names the running binary by its absolute path, so a
//! `cargo install`ed Waymark opens files whether or not it is on the PATH of
//! the desktop session. Uninstalling removes exactly these files and leaves
//! the folders, and anything else in them, alone.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The desktop entry as packaged, with `Exec=waymark %f`.
const DESKTOP_ENTRY: &str = include_str!("../assets/waymark.desktop");
/// The shared-mime-info declaration of the file type.
const MIME_XML: &[u8] = include_bytes!("../assets/waymark.xml");
/// The icon in each hicolor size, in pixels.
const ICONS: [(u32, &[u8]); 7] = [
    (
        16,
        include_bytes!("../assets/icons/hicolor/16x16/apps/waymark.png"),
    ),
    (
        32,
        include_bytes!("../assets/icons/hicolor/32x32/apps/waymark.png"),
    ),
    (
        48,
        include_bytes!("../assets/icons/hicolor/48x48/apps/waymark.png"),
    ),
    (
        64,
        include_bytes!("../assets/icons/hicolor/64x64/apps/waymark.png"),
    ),
    (
        128,
        include_bytes!("../assets/icons/hicolor/128x128/apps/waymark.png"),
    ),
    (
        256,
        include_bytes!("../assets/icons/hicolor/256x256/apps/waymark.png"),
    ),
    (
        512,
        include_bytes!("../assets/icons/hicolor/512x512/apps/waymark.png"),
    ),
];

/// One file of the integration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesktopFile {
    /// Where it goes, relative to the data folder.
    pub relative: PathBuf,
    /// What it holds.
    pub contents: Vec<u8>,
}

/// The per-user data folder: `$XDG_DATA_HOME` when set to an absolute path,
/// otherwise `~/.local/share` (the `directories` crate's XDG rules).
pub fn data_home() -> Result<PathBuf, String> {
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| "no home folder: set XDG_DATA_HOME to the data folder".to_owned())
}

/// Every file of the integration, its entry launching `exe`.
pub fn files(exe: &Path) -> Result<Vec<DesktopFile>, String> {
    let exec = format!("Exec={} %f", exec_argument(exe)?);
    let entry: Vec<&str> = DESKTOP_ENTRY
        .lines()
        .map(|line| {
            if line.starts_with("Exec=") {
                exec.as_str()
            } else {
                line
            }
        })
        .collect();
    let mut files = vec![
        DesktopFile {
            relative: Path::new("applications").join("waymark.desktop"),
            contents: format!("{}\n", entry.join("\n")).into_bytes(),
        },
        DesktopFile {
            relative: Path::new("mime").join("packages").join("waymark.xml"),
            contents: MIME_XML.to_vec(),
        },
    ];
    files.extend(ICONS.iter().map(|(size, png)| {
        DesktopFile {
            relative: Path::new("icons")
                .join("hicolor")
                .join(format!("{size}x{size}"))
                .join("apps")
                .join("waymark.png"),
            contents: png.to_vec(),
        }
    }));
    Ok(files)
}

/// `exe` as one argument of a desktop entry's `Exec` key: quoted, with the
/// characters the specification reserves escaped, then escaped again as a
/// string value (backslashes doubled), and `%` written `%%`.
fn exec_argument(exe: &Path) -> Result<String, String> {
    let text = exe
        .to_str()
        .filter(|text| !text.contains(['\n', '\r']))
        .ok_or_else(|| {
            format!(
                "{}: a desktop entry cannot name this path (not UTF-8, or a line break in it)",
                exe.display()
            )
        })?;
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '`' | '$' => {
                quoted.push_str("\\\\");
                quoted.push(c);
            }
            '\\' => quoted.push_str("\\\\\\\\"),
            '%' => quoted.push_str("%%"),
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    Ok(quoted)
}

/// Writes every file under `data_home`; returns the paths written.
pub fn install(data_home: &Path, exe: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for file in files(exe)? {
        let path = data_home.join(&file.relative);
        let folder = path.parent().unwrap_or(data_home);
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("{}: cannot create the folder: {e}", folder.display()))?;
        crate::io::write_atomic(&path, &file.contents).map_err(|e| e.to_string())?;
        written.push(path);
    }
    Ok(written)
}

/// Removes every file of the integration that is under `data_home`; returns
/// the paths removed. Missing files are not an error.
pub fn uninstall(data_home: &Path) -> Result<Vec<PathBuf>, String> {
    let mut removed = Vec::new();
    // The entry's contents do not matter here, only the paths.
    for file in files(Path::new("waymark"))? {
        let path = data_home.join(&file.relative);
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: cannot remove it: {e}", path.display())),
        }
    }
    Ok(removed)
}

/// Rebuilds the desktop's caches of file types and entries under
/// `data_home` with `update-mime-database` and `update-desktop-database`,
/// when they are installed; returns one line per tool saying what happened.
/// A missing or failing tool is reported, never an error: the files are in
/// place, and the desktop reads them at the next login.
pub fn refresh_caches(data_home: &Path) -> Vec<String> {
    [
        ("update-mime-database", data_home.join("mime")),
        ("update-desktop-database", data_home.join("applications")),
    ]
    .into_iter()
    .map(|(tool, folder)| {
        if !folder.is_dir() {
            return format!("{tool}: skipped, {} does not exist", folder.display());
        }
        match Command::new(tool).arg(&folder).output() {
            Ok(output) if output.status.success() => {
                format!("{tool}: updated {}", folder.display())
            }
            Ok(output) => format!(
                "{tool} {} failed ({}): {}",
                folder.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "{tool}: not installed, so the desktop may only see the change after the next login"
            ),
            Err(e) => format!("{tool}: could not run it: {e}"),
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_launches_the_given_binary_with_the_file() {
        let files = files(Path::new("/opt/way mark/waymark")).unwrap();
        let entry = String::from_utf8(files.first().unwrap().contents.clone()).unwrap();
        assert!(
            entry.contains("\nExec=\"/opt/way mark/waymark\" %f\n"),
            "{entry}"
        );
        assert_eq!(entry.matches("Exec=").count(), 1);
        assert!(entry.contains("MimeType=application/x-waymark-journey;"));
        assert_eq!(files.len(), 2 + ICONS.len());
    }

    #[test]
    fn reserved_characters_in_the_path_are_escaped() {
        let exec = exec_argument(Path::new("/a$b\"c`d\\e%f")).unwrap();
        assert_eq!(exec, r#""/a\\$b\\"c\\`d\\\\e%%f""#);
        assert!(exec_argument(Path::new("/a\nb")).is_err());
    }

    #[test]
    fn the_icons_are_pngs_of_their_size() {
        for (size, png) in ICONS {
            let image = image::load_from_memory(png).unwrap();
            assert_eq!((image.width(), image.height()), (size, size));
        }
    }
}
