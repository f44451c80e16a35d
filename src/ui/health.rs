//! The Map health panel (View ▸ Map health): the health rules' findings
//! grouped by rule; clicking one selects its item and pans the map to it.
//! Each rule can be silenced for this map ("Silence for this map", one
//! undoable edit of `Journey::silenced`), and silenced rules are listed
//! with Unsilence.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::edit::{Edit, Item, commands::Command};
use crate::model::health::{RULES, Subject, Warning, rule_by_id};
use crate::model::{Date, Journey};
use crate::ui::app::WaymarkApp;

/// What the user did in the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HealthEvent {
    /// Clicked a finding.
    Select(Subject),
    /// Silence this rule for the map.
    Silence(&'static str),
    /// Hear from this rule again.
    Unsilence(String),
}

/// The findings of the map at `revision` on `today`, computed once and
/// kept in egui's memory until either changes: the panel is drawn every
/// frame, and the rules walk the whole map.
fn findings(ui: &Ui, journey: &Journey, revision: u64, today: Date) -> Arc<Vec<Warning>> {
    type Cached = (u64, Date, Arc<Vec<Warning>>);
    let id = egui::Id::unique("map-health-findings");
    if let Some((at, day, findings)) = ui.data(|d| d.get_temp::<Cached>(id))
        && (at, day) == (revision, today)
    {
        return findings;
    }
    let findings = Arc::new(journey.health(today));
    ui.data_mut(|d| d.insert_temp::<Cached>(id, (revision, today, Arc::clone(&findings))));
    findings
}

/// The panel's content for the map at `revision`; returns what the user
/// did.
pub fn health_ui(
    ui: &mut Ui,
    journey: &Journey,
    revision: u64,
    today: Date,
) -> Option<HealthEvent> {
    let findings = findings(ui, journey, revision, today);
    let mut event = None;
    ui.horizontal(|ui| {
        ui.heading("Map health");
        let count = crate::ui::count(findings.len(), "finding", "findings");
        ui.label(RichText::new(count).weak());
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if findings.is_empty() {
                ui.label("Nothing to report: every rule is satisfied or silenced.");
            }
            for rule in &RULES {
                let of_rule: Vec<&Warning> =
                    (findings.iter()).filter(|w| w.rule == rule.id).collect();
                if of_rule.is_empty() {
                    continue;
                }
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{} ({})", rule.title, of_rule.len())).strong())
                        .on_hover_text(rule.why);
                    ui.label(RichText::new(rule.id).weak().monospace());
                    let silence = ui
                        .small_button("Silence for this map")
                        .on_hover_text(format!("Stop reporting “{}” for this map", rule.id));
                    if silence.clicked() {
                        event = Some(HealthEvent::Silence(rule.id));
                    }
                });
                for warning in of_rule {
                    ui.indent(rule.id, |ui| {
                        if ui.link(&warning.message).clicked() {
                            event = Some(HealthEvent::Select(warning.subject));
                        }
                    });
                }
            }
            if !journey.silenced.is_empty() {
                ui.separator();
                ui.label(RichText::new("Silenced for this map").strong());
                for id in &journey.silenced {
                    ui.horizontal(|ui| {
                        let title = rule_by_id(id).map_or(id.as_str(), |r| r.title);
                        ui.label(format!("{title} ({id})"));
                        if ui.small_button(format!("Unsilence {id}")).clicked() {
                            event = Some(HealthEvent::Unsilence(id.clone()));
                        }
                    });
                }
            }
        });
    event
}

impl WaymarkApp {
    /// The Map health panel along the bottom, when shown.
    pub(super) fn health_panel_ui(&mut self, ui: &mut Ui) {
        if !self.panels.health {
            return;
        }
        let (today, revision) = (self.view.today, self.doc.revision());
        let event = egui::Panel::bottom("map-health")
            .resizable(true)
            .default_size(220.0)
            .min_size(100.0)
            .show(ui, |ui| health_ui(ui, &self.doc.journey, revision, today))
            .inner;
        match event {
            Some(HealthEvent::Select(subject)) => self.select_subject(subject),
            Some(HealthEvent::Silence(rule)) => {
                let mut silenced = self.doc.journey.silenced.clone();
                silenced.insert(rule.to_owned());
                self.set_silenced(silenced);
            }
            Some(HealthEvent::Unsilence(rule)) => {
                let mut silenced = self.doc.journey.silenced.clone();
                silenced.remove(&rule);
                self.set_silenced(silenced);
            }
            None => {}
        }
    }

    fn set_silenced(&mut self, silenced: std::collections::BTreeSet<String>) {
        self.command(Some(Command {
            edit: Edit::SetSilenced(silenced),
            select: None,
        }));
    }

    /// Selects what a finding is about and pans the map to show it.
    pub fn select_subject(&mut self, subject: Subject) {
        let item = match subject {
            Subject::Card(id) => return self.select_and_reveal(id),
            Subject::Stage(id) => Item::Stage(id),
            Subject::Step(id) => Item::Step(id),
            Subject::Lane(id) => Item::Lane(id),
            Subject::Persona(id) => Item::Persona(id),
            Subject::Pain(id) => Item::Pain(id),
            Subject::Map => {
                self.view.selection.clear();
                return;
            }
        };
        self.view.select(item);
        let layout = (self.view).layout(&self.doc.journey, self.doc.revision(), &self.theme);
        let rect = match subject {
            Subject::Stage(id) => (layout.stages.iter())
                .find(|s| s.id == id)
                .map(|s| egui::Rect::from_x_y_ranges(s.x, layout.stage_header)),
            Subject::Step(id) => {
                (layout.column(id)).map(|c| egui::Rect::from_x_y_ranges(c.x, layout.step_header))
            }
            Subject::Lane(id) => {
                (layout.lane(id)).map(|l| egui::Rect::from_x_y_ranges(layout.label_x, l.y))
            }
            Subject::Pain(id) => (layout.pains.iter())
                .find(|p| p.id == id)
                .map(|p| egui::Rect::from_center_size(p.center, egui::Vec2::splat(20.0))),
            _ => None,
        };
        if let Some(rect) = rect {
            self.reveal(rect);
        }
    }

    /// Pans the map so `rect` (map units) is in view, if it is not.
    fn reveal(&mut self, rect: egui::Rect) {
        let on_screen = self.view.map_to_screen() * rect;
        let canvas = self.view.screen_rect;
        if canvas.is_positive() && !canvas.contains_rect(on_screen) {
            self.view.offset += canvas.center() - on_screen.center();
            self.view.fitted = false;
            self.view.fit_pending = false;
        }
    }
}
