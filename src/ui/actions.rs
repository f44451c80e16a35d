//! Every user command, with its label and shortcut, so menus, shortcuts and
//! the help window share one list. Actions are collected during a frame and
//! run at its end by the app.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::templates::Template;
use crate::model::{Channel, LaneKind};

/// A direction for moving cards between cells with the arrow keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Previous step.
    Left,
    /// Next step.
    Right,
    /// Lane above.
    Up,
    /// Lane below.
    Down,
}

/// A user command.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start a new map from a template (asks about unsaved changes first).
    New(Template),
    /// Choose a file to open.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Save to the current file (or ask where).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Close the window (asks about unsaved changes first).
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Delete the selection.
    Delete,
    /// Duplicate the selected cards into the same cells.
    Duplicate,
    /// Copy the selected cards.
    Copy,
    /// Cut the selected cards.
    Cut,
    /// Paste copied cards into the selected cell or card's cell.
    Paste,
    /// Select every card.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Move the selected cards one cell over.
    Nudge(Direction),
    /// Edit the selected card's title in place.
    EditTitle,
    /// Add a pain point on the selected card, curve point or step.
    AddPainPoint,
    /// Add a card to the selected cell.
    AddCard(Option<Channel>),
    /// Add a stage after the selected one (or at the end).
    AddStage,
    /// Add a step after the selected one (or at the end of the selected stage).
    AddStep,
    /// Add a lane of a kind below the selected one (or at the bottom).
    AddLane(LaneKind),
    /// Add a second persona.
    AddPersona,
    /// Move the selected stage, step or lane earlier (left or up).
    MoveEarlier,
    /// Move the selected stage, step or lane later (right or down).
    MoveLater,
    /// Switch between the select tool and the emotion-curve pen.
    TogglePen,
    /// Fit the whole map in the window.
    ZoomToFit,
    /// Zoom in around the centre.
    ZoomIn,
    /// Zoom out around the centre.
    ZoomOut,
    /// Zoom to 100%.
    ZoomReset,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Show or hide the palette on the left.
    TogglePalette,
    /// Show only the map, fitted, for a projector.
    Present,
    /// Open the export dialog.
    Export,
    /// Put the whole map on the clipboard as an image.
    CopyImage,
    /// Show or hide the inspector on the right.
    ToggleInspector,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Shortcuts consumed every frame, in the order they are checked (longer
/// modifier combinations first, so Ctrl+Shift+Z is not taken for Ctrl+Z).
pub const SHORTCUTS: &[(KeyboardShortcut, Action)] = &[
    (KeyboardShortcut::new(CMD_SHIFT, Key::C), Action::CopyImage),
    (KeyboardShortcut::new(CMD_SHIFT, Key::S), Action::SaveAs),
    (KeyboardShortcut::new(CMD_SHIFT, Key::Z), Action::Redo),
    (
        KeyboardShortcut::new(CMD, Key::N),
        Action::New(Template::FourStage),
    ),
    (KeyboardShortcut::new(CMD, Key::O), Action::Open),
    (KeyboardShortcut::new(CMD, Key::S), Action::Save),
    (KeyboardShortcut::new(CMD, Key::Q), Action::Quit),
    (KeyboardShortcut::new(CMD, Key::Z), Action::Undo),
    (KeyboardShortcut::new(CMD, Key::Y), Action::Redo),
    (KeyboardShortcut::new(CMD, Key::D), Action::Duplicate),
    (KeyboardShortcut::new(CMD, Key::C), Action::Copy),
    (KeyboardShortcut::new(CMD, Key::X), Action::Cut),
    (KeyboardShortcut::new(CMD, Key::V), Action::Paste),
    (KeyboardShortcut::new(CMD, Key::A), Action::SelectAll),
    (KeyboardShortcut::new(CMD, Key::Num0), Action::ZoomToFit),
    (KeyboardShortcut::new(CMD, Key::Num1), Action::ZoomReset),
    (KeyboardShortcut::new(CMD, Key::Plus), Action::ZoomIn),
    (KeyboardShortcut::new(CMD, Key::Equals), Action::ZoomIn),
    (KeyboardShortcut::new(CMD, Key::Minus), Action::ZoomOut),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
        Action::Delete,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Backspace),
        Action::Delete,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
        Action::SelectNone,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F2),
        Action::EditTitle,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Enter),
        Action::EditTitle,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::P),
        Action::AddPainPoint,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::E),
        Action::TogglePen,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowLeft),
        Action::Nudge(Direction::Left),
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowRight),
        Action::Nudge(Direction::Right),
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowUp),
        Action::Nudge(Direction::Up),
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowDown),
        Action::Nudge(Direction::Down),
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F1),
        Action::ShowShortcuts,
    ),
    (KeyboardShortcut::new(CMD, Key::B), Action::TogglePalette),
    (KeyboardShortcut::new(CMD, Key::I), Action::ToggleInspector),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F5),
        Action::Present,
    ),
    (KeyboardShortcut::new(CMD, Key::E), Action::Export),
];

impl Action {
    /// Whether this action's shortcut works while a text field has keyboard
    /// focus. Plain keys (arrows, Delete, letters) and the text editing
    /// commands belong to the text field then.
    pub fn works_while_typing(&self, shortcut: KeyboardShortcut) -> bool {
        shortcut.modifiers.command
            && !matches!(
                self,
                Self::Copy | Self::Cut | Self::Paste | Self::SelectAll | Self::Undo | Self::Redo
            )
    }

    /// Menu label.
    pub fn label(&self) -> String {
        match self {
            Action::New(t) => format!("New: {}", t.label()),
            Action::Open => "Open…".into(),
            Action::OpenPath(p) => crate::io::display_name(p),
            Action::Save => "Save".into(),
            Action::SaveAs => "Save As…".into(),
            Action::Quit => "Quit".into(),
            Action::Undo => "Undo".into(),
            Action::Redo => "Redo".into(),
            Action::Delete => "Delete".into(),
            Action::Duplicate => "Duplicate".into(),
            Action::Copy => "Copy".into(),
            Action::Cut => "Cut".into(),
            Action::Paste => "Paste".into(),
            Action::SelectAll => "Select all cards".into(),
            Action::SelectNone => "Select none".into(),
            Action::Nudge(d) => format!("Move card {}", format!("{d:?}").to_lowercase()),
            Action::EditTitle => "Edit title".into(),
            Action::AddPainPoint => "Add pain point".into(),
            Action::AddCard(Some(c)) => format!("Add {} touchpoint", c.label()),
            Action::AddCard(None) => "Add card".into(),
            Action::AddStage => "Add stage".into(),
            Action::AddStep => "Add step".into(),
            Action::AddLane(kind) => format!("Add {} lane", kind.label()),
            Action::AddPersona => "Add persona".into(),
            Action::MoveEarlier => "Move left / up".into(),
            Action::MoveLater => "Move right / down".into(),
            Action::TogglePen => "Emotion pen".into(),
            Action::ZoomToFit => "Zoom to fit".into(),
            Action::ZoomIn => "Zoom in".into(),
            Action::ZoomOut => "Zoom out".into(),
            Action::ZoomReset => "Zoom 100%".into(),
            Action::ShowShortcuts => "Keyboard shortcuts".into(),
            Action::TogglePalette => "Palette".into(),
            Action::Present => "Presentation mode".into(),
            Action::Export => "Export image…".into(),
            Action::CopyImage => "Copy map as image".into(),
            Action::ToggleInspector => "Inspector".into(),
        }
    }

    /// The first shortcut bound to this action, for menus.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        SHORTCUTS
            .iter()
            .find(|(_, action)| action == self)
            .map(|(shortcut, _)| *shortcut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_advertised_with_shortcuts_have_one() {
        // Menus and the help window promise these keys; a missing table entry
        // would make them silently never fire.
        let keys = [
            Action::TogglePalette,
            Action::ToggleInspector,
            Action::Present,
            Action::Export,
            Action::CopyImage,
            Action::ShowShortcuts,
            Action::TogglePen,
        ];
        for key in keys {
            assert!(
                SHORTCUTS.iter().any(|(_, k)| *k == key),
                "{key:?} has no shortcut"
            );
        }
    }

    #[test]
    fn every_shortcut_is_unique() {
        for (i, (a, _)) in SHORTCUTS.iter().enumerate() {
            for (b, _) in SHORTCUTS.iter().skip(i + 1) {
                assert_ne!(a, b, "shortcut bound twice");
            }
        }
        assert!(Action::Undo.shortcut().is_some());
        assert_eq!(
            Action::Redo.shortcut(),
            Some(KeyboardShortcut::new(CMD_SHIFT, Key::Z))
        );
    }
}
