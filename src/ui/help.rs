//! The help window: every keyboard shortcut, generated from the one list
//! of actions, and the pointer gestures the canvas understands.

use egui::{RichText, Ui};

use crate::ui::actions;

/// Pointer gestures: not actions (they need a place on the map), so not in
/// the list of actions.
const GESTURES: [(&str, &str); 6] = [
    ("Pan", "Scroll, middle-drag, or Space+drag"),
    ("Zoom", "Ctrl+scroll or pinch"),
    (
        "Add a card",
        "Drag from the palette, or double-click a cell",
    ),
    ("Edit a card title", "Double-click the card"),
    (
        "Set an emotion",
        "Double-click in the Emotions lane, or drag a point",
    ),
    (
        "Select several",
        "Shift+click, or drag a box on empty space",
    ),
];

/// The "Keyboard shortcuts" window, while `open`.
pub fn shortcuts_window(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            let max_height = ui.ctx().content_rect().height() * 0.7;
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .show(ui, shortcuts_grid_ui);
        });
}

/// Each action that has keys, in the order of the menus, then the gestures.
fn shortcuts_grid_ui(ui: &mut Ui) {
    egui::Grid::new("shortcuts")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for action in actions::all() {
                let keys: Vec<String> = action
                    .shortcuts()
                    .iter()
                    .map(|s| ui.ctx().format_shortcut(s))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                ui.label(action.label());
                ui.label(RichText::new(keys.join("  or  ")).monospace());
                ui.end_row();
            }
            for (what, how) in GESTURES {
                ui.label(what);
                ui.label(RichText::new(how).weak());
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    #[test]
    fn the_window_lists_every_shortcut_of_the_list_of_actions() {
        let mut h = Harness::builder()
            .with_size(egui::vec2(800.0, 3000.0))
            .build_ui_state(|ui, open: &mut bool| shortcuts_window(ui.ctx(), open), true);
        h.run();
        let mut listed = 0;
        for action in actions::all() {
            if action.shortcuts().is_empty() {
                continue;
            }
            // (The window's title is also an action's label.)
            assert!(
                h.query_all_by_label(&action.label()).next().is_some(),
                "{action:?} is in the help window"
            );
            listed += 1;
        }
        assert!(listed >= 30, "{listed} actions with keys");
        assert!(h.query_by_label("Ctrl+Shift+Z  or  Ctrl+Y").is_some());
        assert!(
            h.query_by_label("Escape").is_some(),
            "keyboard-only actions too"
        );
        assert!(h.query_by_label("Double-click the card").is_some());
    }
}
