//! The menu bar, generated from the one list of actions
//! ([`actions::menus`]), and the status bar.

use std::path::PathBuf;

use egui::{Color32, RichText, Ui};

use crate::model::Journey;
use crate::ui::actions::{self, Action, Enabled, MenuEntry};
use crate::ui::document::Status;
use crate::ui::export_dialog::ExportUi;

/// What the menu bar shows besides the list of actions.
#[derive(Debug)]
pub struct MenuBar<'a> {
    /// Recently opened files, newest first.
    pub recent: &'a [PathBuf],
    /// Which actions would do something now.
    pub enabled: Enabled,
    /// The palette is shown.
    pub palette: bool,
    /// The inspector is shown.
    pub inspector: bool,
    /// The Action plan panel is shown.
    pub plan: bool,
    /// The map shows its goals band.
    pub goals: bool,
}

/// The menu bar; what is chosen goes to `actions`.
pub fn menu_bar_ui(ui: &mut Ui, bar: &MenuBar<'_>, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in actions::menus() {
            ui.menu_button(menu.title, |ui| {
                for entry in &menu.entries {
                    entry_ui(ui, entry, bar, actions);
                }
            });
        }
    });
}

fn entry_ui(ui: &mut Ui, entry: &MenuEntry, bar: &MenuBar<'_>, actions: &mut Vec<Action>) {
    match entry {
        MenuEntry::Action(action) => item_ui(ui, action, action.is_enabled(bar.enabled), actions),
        MenuEntry::Submenu(title, list) => {
            ui.menu_button(*title, |ui| {
                for action in list {
                    item_ui(ui, action, action.is_enabled(bar.enabled), actions);
                }
            });
        }
        MenuEntry::Recent => recent_ui(ui, bar.recent, actions),
        MenuEntry::Toggle(action) => {
            let shown = match action {
                Action::TogglePalette => bar.palette,
                Action::ToggleInspector => bar.inspector,
                Action::TogglePlan => bar.plan,
                Action::ToggleGoals => bar.goals,
                _ => false,
            };
            toggle_ui(ui, action, shown, actions);
        }
        MenuEntry::KeyOnly(_) => {}
        MenuEntry::Separator => {
            ui.separator();
        }
    }
}

/// A menu button with the action's label and first shortcut.
fn item_ui(ui: &mut Ui, action: &Action, enabled: bool, actions: &mut Vec<Action>) {
    let mut button = egui::Button::new(action.label());
    if let Some(shortcut) = action.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add_enabled(enabled, button).clicked() {
        actions.push(action.clone());
        ui.close();
    }
}

/// "Open recent", greyed out while there are none.
fn recent_ui(ui: &mut Ui, recent: &[PathBuf], actions: &mut Vec<Action>) {
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button("Open recent", |ui| {
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    actions.push(Action::OpenPath(path.clone()));
                    ui.close();
                }
            }
        });
    });
}

/// A checkbox showing whether a panel is `shown`, with the shortcut.
fn toggle_ui(ui: &mut Ui, action: &Action, shown: bool, actions: &mut Vec<Action>) {
    let keys = action
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default();
    let mut checked = shown;
    let label = format!("{}   {keys}", action.label());
    if ui.add(egui::Checkbox::new(&mut checked, label)).changed() {
        actions.push(action.clone());
    }
}

/// What the status bar shows.
#[derive(Debug)]
pub struct StatusBar<'a> {
    /// Zoom factor (1 = 100%).
    pub zoom: f32,
    /// The map, for its counts.
    pub journey: &'a Journey,
    /// The emotion pen is in hand.
    pub pen: bool,
    /// The running export, if any, with its progress.
    pub export: &'a ExportUi,
    /// The latest message.
    pub status: Option<&'a Status>,
}

/// The status bar: zoom, counts, the pen's hint, export progress (with
/// Cancel), and the latest message.
pub fn status_bar_ui(ui: &mut Ui, bar: &StatusBar<'_>) {
    ui.horizontal(|ui| {
        ui.label(format!("{:.0}%", bar.zoom * 100.0));
        ui.separator();
        let j = bar.journey;
        ui.label(counts(j));
        ui.separator();
        if bar.pen {
            ui.label(
                RichText::new("Emotion pen: drag across the Emotions lane (E to stop)").strong(),
            );
            ui.separator();
        }
        if let Some(fraction) = bar.export.progress() {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(160.0)
                    .text("Exporting…"),
            );
            if bar.export.can_cancel()
                && ui
                    .small_button("Cancel export")
                    .on_hover_text("Stop the export; nothing is written")
                    .clicked()
            {
                bar.export.cancel();
            }
            ui.separator();
        }
        if let Some(status) = bar.status {
            let color = if status.is_error {
                Color32::from_rgb(0xCF, 0x22, 0x2E)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(&status.text).color(color));
        }
    });
}

/// "6 stages · 1 step · 1 card · 0 pain points": the map's size, each
/// count with its noun in the right number.
pub fn counts(journey: &Journey) -> String {
    use crate::ui::count;
    [
        count(journey.stages.len(), "stage", "stages"),
        count(journey.step_count(), "step", "steps"),
        count(journey.cards.len(), "card", "cards"),
        count(journey.pain_points.len(), "pain point", "pain points"),
    ]
    .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};

    /// The menu bar with nothing to undo, no selection and no recent files.
    fn harness() -> Harness<'static, Vec<Action>> {
        Harness::builder()
            .with_size(egui::vec2(800.0, 600.0))
            .build_ui_state(
                |ui, chosen: &mut Vec<Action>| {
                    let bar = MenuBar {
                        recent: &[],
                        enabled: Enabled::default(),
                        palette: true,
                        inspector: false,
                        plan: false,
                        goals: true,
                    };
                    menu_bar_ui(ui, &bar, chosen);
                },
                Vec::new(),
            )
    }

    #[test]
    fn status_counts_say_one_card_not_one_cards() {
        let mut journey = crate::model::templates::Template::Blank.build("b");
        journey.cards.clear();
        journey.pain_points.clear();
        assert_eq!(
            counts(&journey),
            "1 stage · 1 step · 0 cards · 0 pain points"
        );
        assert_eq!(crate::ui::count(1, "card", "cards"), "1 card");
        assert_eq!(crate::ui::count(2, "card", "cards"), "2 cards");
    }

    #[test]
    fn a_menu_item_queues_its_action() {
        let mut h = harness();
        h.get_by_label("Insert").click();
        h.run();
        h.get_by_label("Add stage").click();
        h.run();
        assert_eq!(h.state(), &vec![Action::AddStage]);
    }

    #[test]
    fn menus_grey_out_actions_and_leave_out_keyboard_only_ones() {
        let mut h = harness();
        h.get_by_label("Edit").click();
        h.run();
        // A button's label ends with its shortcut ("Undo Ctrl+Z").
        assert!(
            h.get_by_label_contains("Undo")
                .accesskit_node()
                .is_disabled(),
            "nothing to undo"
        );
        assert!(
            !h.get_by_label_contains("Select all cards")
                .accesskit_node()
                .is_disabled()
        );
        assert!(
            h.query_by_label("Select none").is_none(),
            "keyboard-only actions stay out of the menu"
        );
    }

    #[test]
    fn panel_toggles_show_their_state_and_shortcut() {
        let mut h = harness();
        h.get_by_label("View").click();
        h.run();
        let palette = h.get_by_label("Palette   Ctrl+B");
        assert_eq!(
            palette.accesskit_node().toggled(),
            Some(egui::accesskit::Toggled::True)
        );
        let inspector = h.get_by_label("Inspector   Ctrl+I");
        assert_eq!(
            inspector.accesskit_node().toggled(),
            Some(egui::accesskit::Toggled::False)
        );
        inspector.click();
        h.run();
        assert_eq!(h.state(), &vec![Action::ToggleInspector]);
    }
}
