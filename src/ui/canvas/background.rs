//! The map's background: what the pointer does where no item took it.
//! A drag draws a rubber band (select tool) or sketches the emotion curve
//! (pen); a click selects a cell, a double click adds a card there or sets
//! a score in the emotion lane; palette items dropped on a cell become
//! cards whose title is being edited. Pans and zooms are in the widget (`mod.rs`).

use std::collections::BTreeMap;

use egui::{Key, PointerButton, Pos2, Rect, Response, Ui};

use super::view_state::Drag;
use super::{Canvas, CanvasOutput, Item, PaletteItem, Tool, ViewState, menu_actions, round_score};
use crate::edit::Edit;
use crate::edit::commands::insertion_index;
use crate::model::{Card, CardId, LaneKind, PersonaId, StepId};
use crate::ui::actions::Action;
use crate::view::layout::{Hit, Layout};

impl Canvas<'_> {
    /// Drags, clicks and the context menu on the map's background.
    pub(super) fn background_interaction(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        background: &Response,
        out: &mut Vec<CanvasOutput>,
    ) {
        if matches!(view.drag, Some(Drag::Pan)) && !background.dragged() {
            view.drag = None;
        }
        let to_map = view.map_to_screen().inverse();
        let pointer_map = background.interact_pointer_pos().map(|p| to_map * p);
        self.background_drag(ui, view, background, pointer_map);
        if background.drag_stopped() {
            self.end_background_drag(view, layout, pointer_map, out);
        }
        if let Some(pos) = pointer_map {
            self.background_clicks(ui, view, layout, background, pos, out);
        }
        background.context_menu(|ui| {
            if matches!(view.primary(), Some(Item::Cell(..))) {
                menu_actions(
                    ui,
                    out,
                    &[Action::AddCard(None), Action::Paste, Action::AddPainPoint],
                );
            } else {
                menu_actions(ui, out, &[Action::ZoomToFit, Action::SelectAll]);
            }
        });
    }

    /// Starts a rubber band or a sketch, and extends a sketch.
    fn background_drag(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        background: &Response,
        pointer_map: Option<Pos2>,
    ) {
        let space = ui.input(|i| i.key_down(Key::Space));
        let to_map = view.map_to_screen().inverse();
        // The drag is detected a few points after the press: start where the button went down.
        let press_map = ui.input(|i| i.pointer.press_origin()).map(|p| to_map * p);
        if background.drag_started_by(PointerButton::Primary)
            && !space
            && let Some(start) = press_map.or(pointer_map)
        {
            view.drag = match view.tool {
                Tool::Pen => self.pen_persona(view).map(|persona| Drag::Sketch {
                    persona,
                    stroke: vec![start],
                }),
                Tool::Select => Some(Drag::RubberBand {
                    start,
                    additive: ui.input(|i| i.modifiers.shift),
                }),
            };
            if view.tool == Tool::Select && !ui.input(|i| i.modifiers.shift) {
                view.selection.clear();
            }
        }
        if background.dragged_by(PointerButton::Primary)
            && let Some(Drag::Sketch { stroke, .. }) = &mut view.drag
            && let Some(p) = pointer_map
        {
            stroke.push(p);
        }
    }

    /// A finished sketch sets the scores it crossed; a finished rubber band
    /// selects the cards it touched.
    fn end_background_drag(
        &self,
        view: &mut ViewState,
        layout: &Layout,
        pointer_map: Option<Pos2>,
        out: &mut Vec<CanvasOutput>,
    ) {
        match view.drag.take() {
            Some(Drag::Sketch { persona, stroke }) => {
                let sketched = sketch_points(layout, &stroke);
                if !sketched.is_empty() {
                    out.push(CanvasOutput::Edit(Edit::set_scores_in(
                        self.journey,
                        persona,
                        view.state.edit_state(),
                        sketched,
                    )));
                }
            }
            Some(Drag::RubberBand { start, additive }) => {
                if let Some(end) = pointer_map {
                    let rect = Rect::from_two_pos(start, end);
                    if !additive {
                        view.selection.clear();
                    }
                    for id in layout.cards_in_rect(rect) {
                        if !view.selection.contains(&Item::Card(id)) {
                            view.selection.push(Item::Card(id));
                        }
                    }
                }
            }
            // Card and point drags end on their own responses.
            other => {
                view.drag =
                    other.filter(|d| matches!(d, Drag::Cards { .. } | Drag::CurvePoint { .. }));
            }
        }
    }

    /// Clicks at `pos` (map units): select the cell (or nothing), and a
    /// double click adds a card to the cell or, in the emotion lane, sets
    /// the step's score.
    fn background_clicks(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        background: &Response,
        pos: Pos2,
        out: &mut Vec<CanvasOutput>,
    ) {
        if !(background.clicked() || background.secondary_clicked()) {
            return;
        }
        let cell = match layout.hit(pos, 0.0, self.theme) {
            Some(Hit::Cell(step, lane)) => Some((step, lane)),
            _ => None,
        };
        if background.clicked() {
            ui.ctx().memory_mut(egui::Memory::stop_text_input);
            match cell {
                Some((step, lane)) => view.select(Item::Cell(step, lane)),
                None => view.selection.clear(),
            }
        }
        if background.secondary_clicked()
            && let Some((step, lane)) = cell
        {
            view.select(Item::Cell(step, lane));
        }
        if !background.double_clicked() {
            return;
        }
        let Some((step, lane)) = cell else {
            return;
        };
        if layout
            .lane(lane)
            .is_some_and(|l| l.kind == LaneKind::Emotions)
            && let Some(score) = layout.score_at(pos.y)
            && let Some(persona) = self.pen_persona(view)
        {
            let scores = [(step, round_score(score))];
            out.push(CanvasOutput::Edit(Edit::set_scores_in(
                self.journey,
                persona,
                view.state.edit_state(),
                scores,
            )));
        } else {
            view.select(Item::Cell(step, lane));
            out.push(CanvasOutput::Action(Action::AddCard(None)));
        }
    }

    /// The persona the pen draws for: the selected one, else the first one
    /// the map shows (a hidden persona's new curve would not be seen).
    fn pen_persona(&self, view: &ViewState) -> Option<PersonaId> {
        Item::persona(&view.selection).or_else(|| self.journey.first_shown_persona())
    }

    /// Cards dragged in from the palette.
    pub(super) fn palette_drop(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        out: &mut Vec<CanvasOutput>,
    ) {
        let Some(item) = egui::DragAndDrop::payload::<PaletteItem>(ui.ctx()) else {
            return;
        };
        let released = ui.input(|i| i.pointer.any_released());
        let Some(pointer) = ui.input(|i| i.pointer.interact_pos()) else {
            return;
        };
        if !released || !view.screen_rect.contains(pointer) {
            return;
        }
        egui::DragAndDrop::clear_payload(ui.ctx());
        let pos = view.map_to_screen().inverse() * pointer;
        let Some((step, lane)) = layout.cell_at(pos) else {
            return;
        };
        let id = CardId(self.journey.next_id());
        let slot = layout.slot_at(step, lane, pos.y, &[]);
        let channel = match *item {
            PaletteItem::Touchpoint(c) => Some(c),
            PaletteItem::Card => None,
        };
        let title = channel.map_or_else(
            || "New card".to_owned(),
            |c| format!("{} touchpoint", c.label()),
        );
        let card = Card {
            channel,
            ..Card::new(id, step, lane, title.clone())
        };
        let index = insertion_index(self.journey, step, lane, slot);
        out.push(CanvasOutput::Edit(Edit::InsertCard(index, card)));
        view.select(Item::Card(id));
        // Name it at once; the suggested title is selected, so typing
        // replaces it and Enter keeps it.
        view.editing = Some((id, title));
        view.request_editor_focus();
    }
}

/// Turns a freehand stroke (map units) into one score per step it crosses:
/// the stroke's height where it passes each column's centre.
pub fn sketch_points(layout: &Layout, stroke: &[Pos2]) -> BTreeMap<StepId, f32> {
    let mut out = BTreeMap::new();
    for column in &layout.columns {
        let x = column.x.center();
        // Every stroke segment that crosses the centre line; the last wins,
        // as a user correcting a stroke goes back over it.
        let mut y = None;
        for pair in stroke.windows(2) {
            let [a, b] = pair else { continue };
            let (lo, hi) = if a.x <= b.x { (a, b) } else { (b, a) };
            if lo.x <= x && x <= hi.x {
                let t = if (hi.x - lo.x).abs() < f32::EPSILON {
                    0.5
                } else {
                    (x - lo.x) / (hi.x - lo.x)
                };
                y = Some(lo.y + t * (hi.y - lo.y));
            }
        }
        if let Some(score) = y.and_then(|y| layout.score_at(y)) {
            out.insert(column.step, round_score(score));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use egui::pos2;

    use super::sketch_points;
    use crate::model::templates::Template;
    use crate::view::layout::Layout;
    use crate::view::theme::Theme;

    #[test]
    fn sketch_gives_one_point_per_crossed_step() {
        let j = Template::FourStage.build("t");
        let theme = Theme::default();
        let layout = Layout::new(&j, &theme);
        let plot = layout.emotion_plot.unwrap();
        let y_top = plot.min;
        let y_bottom = plot.max;
        let x0 = layout.columns[0].x.min;
        let x2 = layout.columns[2].x.max;
        let stroke = [pos2(x0, y_top), pos2(x2, y_bottom)];
        let points = sketch_points(&layout, &stroke);
        assert_eq!(points.len(), 3, "columns 0..=2 crossed");
        let scores: Vec<f32> = j.steps().take(3).map(|(_, s)| points[&s.id]).collect();
        assert!(scores[0] > scores[1] && scores[1] > scores[2], "{scores:?}");
    }
}
