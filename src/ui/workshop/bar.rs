//! Workshop mode's control bar: reveal, spotlight, timer, the voting and
//! scoring panels, hide and leave. Every control queues a workshop action,
//! so the bar, the keys and the help window do the same thing.

use egui::Ui;

use super::{Panel, Workshop, WorkshopAction, big, timer};
use crate::model::Journey;
use crate::ui::actions::Action;
use crate::view::scene::workshop::{Spotlight, Unrevealed};

pub(super) fn bar_ui(
    ui: &mut Ui,
    w: &mut Workshop,
    journey: &Journey,
    now: f64,
    out: &mut Vec<Action>,
) {
    let mut act = |a: WorkshopAction| out.push(Action::Workshop(a));
    ui.style_mut().spacing.button_padding = egui::vec2(8.0, 4.0);
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        reveal_ui(ui, w, journey, &mut act);
        ui.separator();
        spotlight_ui(ui, w, journey, &mut act);
        ui.separator();
        timer_ui(ui, w, now, &mut act);
        ui.separator();
        let button = |ui: &mut Ui, text: &str, on: bool| {
            ui.add(egui::Button::new(big(text, 17.0)).selected(on))
                .clicked()
        };
        if button(ui, "Vote (V)", w.panel == Panel::Voting) {
            act(WorkshopAction::Vote);
        }
        if button(ui, "Score (S)", w.panel == Panel::Scoring) {
            act(WorkshopAction::Scoring);
        }
        if button(ui, "Dots (D)", w.dots) {
            act(WorkshopAction::Dots);
        }
        ui.separator();
        if button(ui, "Hide bar (H)", false) {
            act(WorkshopAction::Bar);
        }
        if button(ui, "Leave (Esc)", false) {
            act(WorkshopAction::Toggle);
        }
    });
    ui.add_space(4.0);
}

fn reveal_ui(ui: &mut Ui, w: &Workshop, journey: &Journey, act: &mut impl FnMut(WorkshopAction)) {
    if ui
        .add(egui::Button::new(big("Reveal (R)", 17.0)).selected(w.revealed.is_some()))
        .clicked()
    {
        act(WorkshopAction::Reveal);
    }
    let Some(shown) = w.revealed else {
        return;
    };
    let count = journey.stages.len();
    if ui.button(big("◀", 17.0)).on_hover_text("Page Up").clicked() {
        act(WorkshopAction::RevealTo(shown.saturating_sub(1)));
    }
    ui.label(big(&format!("{shown} of {count} stages"), 17.0).strong());
    if ui
        .button(big("▶", 17.0))
        .on_hover_text("Page Down")
        .clicked()
    {
        act(WorkshopAction::RevealTo(shown + 1));
    }
    let look = match w.unrevealed {
        Unrevealed::Greyed => "Greyed (G)",
        Unrevealed::Hidden => "Hidden (G)",
    };
    if ui.button(big(look, 17.0)).clicked() {
        act(WorkshopAction::Unrevealed);
    }
}

fn spotlight_ui(
    ui: &mut Ui,
    w: &Workshop,
    journey: &Journey,
    act: &mut impl FnMut(WorkshopAction),
) {
    let name = |spot: Option<Spotlight>| match spot {
        None => "Nothing".to_owned(),
        Some(Spotlight::Stage(id)) => journey.stage(id).map_or("?", |s| &s.name).to_owned(),
        Some(Spotlight::Step(id)) => journey.step(id).map_or("?", |(_, s)| &s.name).to_owned(),
        Some(Spotlight::Card(id)) => journey.card(id).map_or("?", |c| &c.title).to_owned(),
    };
    let mut choice = w.spotlight;
    egui::ComboBox::from_label(big("Spotlight (L)", 17.0))
        .selected_text(big(&name(w.spotlight), 17.0))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, "Nothing");
            for stage in &journey.stages {
                ui.selectable_value(&mut choice, Some(Spotlight::Stage(stage.id)), &stage.name);
                for step in &stage.steps {
                    let text = format!("    {}", step.name);
                    ui.selectable_value(&mut choice, Some(Spotlight::Step(step.id)), text);
                }
            }
        });
    if choice != w.spotlight {
        act(WorkshopAction::SpotlightOn(choice));
    }
}

fn timer_ui(ui: &mut Ui, w: &mut Workshop, now: f64, act: &mut impl FnMut(WorkshopAction)) {
    ui.label(big(&w.timer.text(now), 17.0).strong().monospace());
    for minutes in timer::PRESETS {
        if ui.button(big(&format!("{minutes} min"), 17.0)).clicked() {
            act(WorkshopAction::SetTimer(minutes * 60));
        }
    }
    let label = ui.label(big("Custom", 17.0));
    ui.add(
        egui::DragValue::new(&mut w.custom_minutes)
            .range(1..=120)
            .suffix(" min"),
    )
    .labelled_by(label.id)
    .on_hover_text("Drag or type a length, then Set");
    if ui.button(big("Set", 17.0)).clicked() {
        act(WorkshopAction::SetTimer(w.custom_minutes * 60));
    }
    let start = if w.timer.is_running(now) {
        "Pause (T)"
    } else if w.timer.is_started() && !w.timer.is_finished(now) {
        "Resume (T)"
    } else {
        "Start (T)"
    };
    if ui.button(big(start, 17.0)).clicked() {
        act(WorkshopAction::Timer);
    }
    if ui.button(big("Reset", 17.0)).clicked() {
        act(WorkshopAction::TimerReset);
    }
}
