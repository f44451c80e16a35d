//! Every user command, with its label and shortcut, so menus, shortcuts and
//! the help window share one list. Actions are collected during a frame and
//! run at its end by the app.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{Channel, LaneKind};
use crate::templates::Template;

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
pub const SHORTCUTS: &[(KeyboardShortcut, ActionKey)] = &[
    (
        KeyboardShortcut::new(CMD_SHIFT, Key::C),
        ActionKey::CopyImage,
    ),
    (KeyboardShortcut::new(CMD_SHIFT, Key::S), ActionKey::SaveAs),
    (KeyboardShortcut::new(CMD_SHIFT, Key::Z), ActionKey::Redo),
    (KeyboardShortcut::new(CMD, Key::N), ActionKey::New),
    (KeyboardShortcut::new(CMD, Key::O), ActionKey::Open),
    (KeyboardShortcut::new(CMD, Key::S), ActionKey::Save),
    (KeyboardShortcut::new(CMD, Key::Q), ActionKey::Quit),
    (KeyboardShortcut::new(CMD, Key::Z), ActionKey::Undo),
    (KeyboardShortcut::new(CMD, Key::Y), ActionKey::Redo),
    (KeyboardShortcut::new(CMD, Key::D), ActionKey::Duplicate),
    (KeyboardShortcut::new(CMD, Key::C), ActionKey::Copy),
    (KeyboardShortcut::new(CMD, Key::X), ActionKey::Cut),
    (KeyboardShortcut::new(CMD, Key::V), ActionKey::Paste),
    (KeyboardShortcut::new(CMD, Key::A), ActionKey::SelectAll),
    (KeyboardShortcut::new(CMD, Key::Num0), ActionKey::ZoomToFit),
    (KeyboardShortcut::new(CMD, Key::Num1), ActionKey::ZoomReset),
    (KeyboardShortcut::new(CMD, Key::Plus), ActionKey::ZoomIn),
    (KeyboardShortcut::new(CMD, Key::Equals), ActionKey::ZoomIn),
    (KeyboardShortcut::new(CMD, Key::Minus), ActionKey::ZoomOut),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
        ActionKey::Delete,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Backspace),
        ActionKey::Delete,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
        ActionKey::SelectNone,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F2),
        ActionKey::EditTitle,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::Enter),
        ActionKey::EditTitle,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::P),
        ActionKey::AddPainPoint,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::E),
        ActionKey::TogglePen,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowLeft),
        ActionKey::NudgeLeft,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowRight),
        ActionKey::NudgeRight,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowUp),
        ActionKey::NudgeUp,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::ArrowDown),
        ActionKey::NudgeDown,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F1),
        ActionKey::ShowShortcuts,
    ),
    (KeyboardShortcut::new(CMD, Key::B), ActionKey::TogglePalette),
    (
        KeyboardShortcut::new(CMD, Key::I),
        ActionKey::ToggleInspector,
    ),
    (
        KeyboardShortcut::new(Modifiers::NONE, Key::F5),
        ActionKey::Present,
    ),
    (KeyboardShortcut::new(CMD, Key::E), ActionKey::Export),
];

/// Actions that have a shortcut, as plain keys for the const table above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKey {
    /// [`Action::New`] with the four-stage template.
    New,
    /// [`Action::Open`].
    Open,
    /// [`Action::Save`].
    Save,
    /// [`Action::SaveAs`].
    SaveAs,
    /// [`Action::Quit`].
    Quit,
    /// [`Action::Undo`].
    Undo,
    /// [`Action::Redo`].
    Redo,
    /// [`Action::Duplicate`].
    Duplicate,
    /// [`Action::Copy`].
    Copy,
    /// [`Action::Cut`].
    Cut,
    /// [`Action::Paste`].
    Paste,
    /// [`Action::SelectAll`].
    SelectAll,
    /// [`Action::SelectNone`].
    SelectNone,
    /// [`Action::Delete`].
    Delete,
    /// [`Action::EditTitle`].
    EditTitle,
    /// [`Action::AddPainPoint`].
    AddPainPoint,
    /// [`Action::TogglePen`].
    TogglePen,
    /// [`Action::ZoomToFit`].
    ZoomToFit,
    /// [`Action::ZoomReset`].
    ZoomReset,
    /// [`Action::ZoomIn`].
    ZoomIn,
    /// [`Action::ZoomOut`].
    ZoomOut,
    /// [`Action::Nudge`] left.
    NudgeLeft,
    /// [`Action::Nudge`] right.
    NudgeRight,
    /// [`Action::Nudge`] up.
    NudgeUp,
    /// [`Action::Nudge`] down.
    NudgeDown,
    /// [`Action::ShowShortcuts`].
    ShowShortcuts,
    /// [`Action::TogglePalette`].
    TogglePalette,
    /// [`Action::Present`].
    Present,
    /// [`Action::Export`].
    Export,
    /// [`Action::CopyImage`].
    CopyImage,
    /// [`Action::ToggleInspector`].
    ToggleInspector,
}

impl ActionKey {
    /// The action this key stands for.
    pub fn action(self) -> Action {
        match self {
            Self::New => Action::New(Template::FourStage),
            Self::Open => Action::Open,
            Self::Save => Action::Save,
            Self::SaveAs => Action::SaveAs,
            Self::Quit => Action::Quit,
            Self::Undo => Action::Undo,
            Self::Redo => Action::Redo,
            Self::Duplicate => Action::Duplicate,
            Self::Copy => Action::Copy,
            Self::Cut => Action::Cut,
            Self::Paste => Action::Paste,
            Self::SelectAll => Action::SelectAll,
            Self::SelectNone => Action::SelectNone,
            Self::Delete => Action::Delete,
            Self::EditTitle => Action::EditTitle,
            Self::AddPainPoint => Action::AddPainPoint,
            Self::TogglePen => Action::TogglePen,
            Self::ZoomToFit => Action::ZoomToFit,
            Self::ZoomReset => Action::ZoomReset,
            Self::ZoomIn => Action::ZoomIn,
            Self::ZoomOut => Action::ZoomOut,
            Self::NudgeLeft => Action::Nudge(Direction::Left),
            Self::NudgeRight => Action::Nudge(Direction::Right),
            Self::NudgeUp => Action::Nudge(Direction::Up),
            Self::NudgeDown => Action::Nudge(Direction::Down),
            Self::ShowShortcuts => Action::ShowShortcuts,
            Self::TogglePalette => Action::TogglePalette,
            Self::Present => Action::Present,
            Self::Export => Action::Export,
            Self::CopyImage => Action::CopyImage,
            Self::ToggleInspector => Action::ToggleInspector,
        }
    }

    /// Whether the shortcut works while a text field has keyboard focus.
    /// Plain keys (arrows, Delete, letters) belong to the text field then.
    pub fn works_while_typing(self, shortcut: KeyboardShortcut) -> bool {
        shortcut.modifiers.command
            && !matches!(
                self,
                Self::Copy | Self::Cut | Self::Paste | Self::SelectAll | Self::Undo | Self::Redo
            )
    }
}

impl Action {
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
            .find(|(_, key)| key.action() == *self)
            .map(|(shortcut, _)| *shortcut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_key_has_a_binding() {
        // Every ActionKey must be reachable from the table, or its shortcut
        // would silently never fire.
        let keys = [
            ActionKey::TogglePalette,
            ActionKey::ToggleInspector,
            ActionKey::Present,
            ActionKey::Export,
            ActionKey::CopyImage,
            ActionKey::ShowShortcuts,
            ActionKey::TogglePen,
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
