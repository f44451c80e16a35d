//! The inspector on the right: the fields of the selected item, one file per
//! subject (the map when nothing is selected, a stage with its goals and
//! KPIs, a card with its action item, evidence and resource, a persona, and
//! the smaller items). It reads the journey and queues edits and actions;
//! every change is an [`Edit`], and a field typed into is one undo step
//! (its widget id is the gesture key; leaving the field ends the gesture).

mod card;
mod fields;
mod items;
mod journey;
mod persona;
mod stage;
mod voices;

use egui::{RichText, Ui};

use crate::edit::{Edit, GestureKey, Item};
use crate::model::{Anchor, Date, Journey, LaneId, StepId};
use crate::ui::actions::{Action, Queue};
use crate::view::states::StateView;
use crate::view::theme::Theme;

/// What the inspector shows and the facts it needs from the app.
#[derive(Clone, Copy)]
pub struct InspectorInput<'a> {
    /// The map.
    pub journey: &'a Journey,
    /// The selection's primary item; `None` shows the map's own fields.
    pub primary: Option<Item>,
    /// Colours of personas and pain points.
    pub theme: &'a Theme,
    /// Today, for "Today" buttons and new revision notes.
    pub today: Date,
    /// The author new revision notes are signed with (a UI preference).
    pub author: &'a str,
    /// The state the map shows: a curve point's scores are its curve's in
    /// that state.
    pub state: StateView,
}

/// The inspector for the selection's primary item.
pub fn inspector_ui(ui: &mut Ui, input: &InspectorInput<'_>, queue: &mut Queue) {
    ui.add_space(6.0);
    let mut inspector = Inspector {
        journey: input.journey,
        theme: input.theme,
        today: input.today,
        author: input.author,
        state: input.state,
        queue,
    };
    // Each item's widgets get their own ids, so text kept in a field (a
    // date typed wrong) stays with its item when another is selected.
    ui.push_id(input.primary, |ui| match input.primary {
        Some(Item::Card(id)) => inspector.card_ui(ui, id),
        Some(Item::Stage(id)) => inspector.stage_ui(ui, id),
        Some(Item::Step(id)) => inspector.step_ui(ui, id),
        Some(Item::Lane(id)) => inspector.lane_ui(ui, id),
        Some(Item::Pain(id)) => inspector.pain_ui(ui, id),
        Some(Item::CurvePoint(persona, step)) => inspector.curve_point_ui(ui, persona, step),
        Some(Item::Cell(step, lane)) => inspector.cell_ui(ui, step, lane),
        Some(Item::Persona(id)) => inspector.persona_ui(ui, id),
        None => inspector.journey_ui(ui),
    });
}

/// One frame of the inspector.
struct Inspector<'a> {
    journey: &'a Journey,
    theme: &'a Theme,
    today: Date,
    author: &'a str,
    state: StateView,
    queue: &'a mut Queue,
}

impl Inspector<'_> {
    /// Queues an edit typed into the field `key` (one undo step per field).
    fn edit(&mut self, edit: Edit, key: GestureKey) {
        self.queue.edits.push((edit, Some(key)));
    }

    /// Queues an edit that is one undo step by itself (a button, a tick).
    fn edit_once(&mut self, edit: Edit) {
        self.queue.edits.push((edit, None));
    }

    /// A section heading with a little space above it.
    fn section_ui(ui: &mut Ui, title: &str) {
        ui.add_space(10.0);
        ui.label(RichText::new(title).strong());
    }

    /// The pain points on `anchor`, and a button to add one.
    fn pain_list_ui(&mut self, ui: &mut Ui, anchor: Anchor) {
        ui.add_space(8.0);
        ui.label(RichText::new("Pain points").strong());
        for pain in self
            .journey
            .pain_points
            .iter()
            .filter(|p| p.anchor == anchor)
        {
            // Wrapped: a long pain text must not widen the panel.
            ui.horizontal_wrapped(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().circle_filled(
                    rect.center(),
                    6.0,
                    self.theme.pain_color(pain.severity),
                );
                ui.label(&pain.text);
            });
        }
        if ui.button("Add pain point").clicked() {
            self.queue.actions.push(Action::AddPainPoint);
        }
    }

    /// A row of buttons that queue actions.
    fn buttons_ui(&mut self, ui: &mut Ui, list: &[Action]) {
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            for action in list {
                if ui.button(action.label()).clicked() {
                    self.queue.actions.push(action.clone());
                }
            }
        });
    }
}

fn describe_cell(journey: &Journey, step: StepId, lane: LaneId) -> String {
    let step = journey.step(step).map_or_else(String::new, |(stage, s)| {
        if s.name.is_empty() {
            stage.name.clone()
        } else {
            format!("{} › {}", stage.name, s.name)
        }
    });
    let lane = journey
        .lane(lane)
        .map(|l| l.name.clone())
        .unwrap_or_default();
    format!("{step} · {lane}")
}

fn describe_anchor(journey: &Journey, anchor: Anchor) -> String {
    match anchor {
        Anchor::Card(id) => journey.card(id).map_or_else(
            || "a missing card".into(),
            |c| format!("card “{}”", c.title),
        ),
        Anchor::Curve(p, s) => format!(
            "the emotion curve of {} at {}",
            journey.persona(p).map_or("?", |p| p.name.as_str()),
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
        Anchor::Step(s) => format!(
            "step {}",
            journey.step(s).map_or("?", |(_, s)| s.name.as_str())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CardId;
    use crate::model::templates::Template;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    /// The inspector for `primary` in the four-stage template.
    fn harness(primary: impl Fn(&Journey) -> Option<Item>) -> Harness<'static, (Journey, Queue)> {
        let journey = Template::FourStage.build("t");
        let primary = primary(&journey);
        let mut h = Harness::builder()
            .with_size(egui::vec2(300.0, 800.0))
            .build_ui_state(
                move |ui, (journey, queue): &mut (Journey, Queue)| {
                    let input = InspectorInput {
                        journey,
                        primary,
                        theme: &Theme::default(),
                        today: Date::constant(2026, 12, 7),
                        author: "Ana",
                        state: StateView::Current,
                    };
                    inspector_ui(ui, &input, queue);
                },
                (journey, Queue::default()),
            );
        h.run();
        h
    }

    #[test]
    fn typing_a_stage_name_queues_renames_of_one_gesture() {
        let mut h = harness(|j| Some(Item::Stage(j.stages[0].id)));
        assert!(h.query_by_label("Stage").is_some());
        h.get_by_label("Name").focus();
        h.run();
        h.get_by_label("Name").type_text("!");
        h.run();
        let stage = h.state().0.stages[0].clone();
        let edits = &h.state().1.edits;
        let [(edit, Some(_))] = edits.as_slice() else {
            panic!("one edit with a gesture key: {edits:?}");
        };
        assert_eq!(
            edit,
            &Edit::RenameStage(stage.id, format!("{}!", stage.name))
        );
    }

    #[test]
    fn a_kpi_with_any_name_is_added_as_one_step() {
        let mut h = harness(|j| Some(Item::Stage(j.stages[0].id)));
        h.get_by_label("Other KPI").focus();
        h.run();
        h.get_by_label("Other KPI").type_text("Demo requests");
        h.run();
        h.get_by_label("Add named KPI").click();
        h.run();
        let stage = h.state().0.stages[0].id;
        let [(Edit::SetKpis(id, kpis), None)] = h.state().1.edits.as_slice() else {
            panic!("{:?}", h.state().1.edits);
        };
        assert_eq!(*id, stage);
        assert_eq!(kpis, &vec![crate::model::Kpi::named("Demo requests")]);
    }

    #[test]
    fn the_stage_buttons_queue_their_actions() {
        let mut h = harness(|j| Some(Item::Stage(j.stages[0].id)));
        h.get_by_label("Move right / down").click();
        h.run();
        assert_eq!(h.state().1.actions, vec![Action::MoveLater]);
    }

    #[test]
    fn nothing_selected_shows_the_journey_and_its_personas() {
        let h = harness(|_| None);
        assert!(h.query_by_label("Map title").is_some());
        assert!(h.query_by_label("Objective").is_some());
        assert!(h.query_by_label("Add persona").is_some());
    }

    #[test]
    fn a_selected_persona_shows_its_rich_fields_and_photo_buttons() {
        let mut h = harness(|j| Some(Item::Persona(j.personas[0].id)));
        assert!(h.query_by_label("Frustrations").is_some());
        h.get_by_label("Choose photo…").click();
        h.run();
        let persona = h.state().0.personas[0].id;
        assert_eq!(h.state().1.actions, vec![Action::ChoosePhoto(persona)]);
    }

    #[test]
    fn a_bad_date_shows_an_error_and_queues_nothing() {
        let mut h = harness(|_| None);
        h.get_by_label("Last reviewed").focus();
        h.run();
        h.get_by_label("Last reviewed").type_text("next week");
        h.run();
        assert!(h.state().1.edits.is_empty(), "{:?}", h.state().1.edits);
        assert!(h.query_by_label_contains("YYYY-MM-DD").is_some());
        h.get_by_label("Last reviewed").type_text("");
        h.run();
    }

    #[test]
    fn today_sets_the_review_date_and_a_new_note_is_dated_and_signed() {
        let mut h = harness(|_| None);
        h.get_by_label("Today").click();
        h.run();
        let today = Date::constant(2026, 12, 7);
        let [(Edit::SetReview { last_reviewed, .. }, _)] = h.state().1.edits.as_slice() else {
            panic!("{:?}", h.state().1.edits);
        };
        assert_eq!(*last_reviewed, Some(today));
        h.state_mut().1.edits.clear();
        h.get_by_label("Add revision note").click();
        h.run();
        let [(Edit::SetReview { revisions, .. }, None)] = h.state().1.edits.as_slice() else {
            panic!("{:?}", h.state().1.edits);
        };
        assert_eq!(revisions.len(), 1);
        assert_eq!(
            (revisions[0].date, revisions[0].author.as_str()),
            (today, "Ana")
        );
    }

    #[test]
    fn cells_and_anchors_are_described_by_name() {
        let j = Template::FourStage.build("t");
        let (stage, step) = (&j.stages[0], &j.stages[0].steps[0]);
        let lane = &j.lanes[1];
        assert_eq!(
            describe_cell(&j, step.id, lane.id),
            format!("{} › {} · {}", stage.name, step.name, lane.name)
        );
        assert_eq!(
            describe_anchor(&j, Anchor::Step(step.id)),
            format!("step {}", step.name)
        );
        assert_eq!(
            describe_anchor(&j, Anchor::Card(CardId(999))),
            "a missing card"
        );
    }
}
