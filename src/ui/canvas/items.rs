//! The map's items as widgets: stage and step headers, lane labels, cards,
//! curve points and pain markers in view each get a response of their own,
//! with an accessible label (UI tests find them by it), clicks that select,
//! drags and a context menu. Later responses lie on top of earlier ones, so
//! the order is the scene's: headers, cards, curve points, pain markers.
//! The in-place title editor lives here too.

use egui::{
    CursorIcon, Key, PointerButton, Pos2, Rect, Response, Role, Sense, Ui, Vec2, WidgetInfo, vec2,
};

use super::view_state::Drag;
use super::{Canvas, CanvasOutput, Item, ViewState, menu_actions, pin, round_score, shift};
use crate::edit::Edit;
use crate::model::score_text;
use crate::model::{Anchor, Card, CardId, LaneId, PersonaId, StepId};
use crate::ui::actions::Action;
use crate::view::layout::{Hit, Layout};

const STAGE_MENU: &[Action] = &[
    Action::ZoomToStage,
    Action::AddStage,
    Action::AddStep,
    Action::MoveEarlier,
    Action::MoveLater,
    Action::Delete,
];
const STEP_MENU: &[Action] = &[
    Action::AddStep,
    Action::AddPainPoint,
    Action::MoveEarlier,
    Action::MoveLater,
    Action::Delete,
];
const LANE_MENU: &[Action] = &[Action::MoveEarlier, Action::MoveLater, Action::Delete];
const CARD_MENU: &[Action] = &[
    Action::EditTitle,
    Action::AddPainPoint,
    Action::Duplicate,
    Action::Copy,
    Action::Cut,
    Action::Delete,
];
const CURVE_POINT_MENU: &[Action] = &[Action::AddPainPoint, Action::Delete];
const PAIN_MENU: &[Action] = &[Action::Delete];

impl Canvas<'_> {
    /// Responses for every item in view, top-most last. Returns the
    /// hovered items.
    pub(super) fn item_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let mut hovered = self.stage_headers(ui, view, layout, visible, out);
        hovered.extend(self.step_headers(ui, view, layout, visible, out));
        self.lane_labels(ui, view, layout, visible, out);
        self.band_responses(ui, view, layout, visible, out);
        hovered.extend(self.card_responses(ui, view, layout, visible, out));
        hovered.extend(self.curve_point_responses(ui, view, layout, visible, out));
        self.pain_responses(ui, view, layout, visible, out);
        hovered
    }

    fn stage_headers(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let mut hovered = Vec::new();
        for stage_box in layout.stages_in(visible.x_range()) {
            let Some(stage) = self.journey.stage(stage_box.id) else {
                continue;
            };
            let rect =
                Rect::from_x_y_ranges(stage_box.x, shift(layout.stage_header, pin(visible).y));
            let label = format!("Stage: {}", stage.name);
            let item = Item::Stage(stage.id);
            let response = self.header(ui, view, rect, item, &label, STAGE_MENU, out);
            if response.hovered() {
                hovered.push(Hit::StageHeader(stage.id));
            }
        }
        hovered
    }

    fn step_headers(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let mut hovered = Vec::new();
        for column in layout.columns_in(visible.x_range()) {
            let rect = Rect::from_x_y_ranges(column.x, shift(layout.step_header, pin(visible).y));
            let name = self
                .journey
                .step(column.step)
                .map(|(_, s)| s.name.as_str())
                .unwrap_or_default();
            let label = format!("Step: {name}");
            let item = Item::Step(column.step);
            let response = self.header(ui, view, rect, item, &label, STEP_MENU, out);
            if response.hovered() {
                hovered.push(Hit::StepHeader(column.step));
            }
        }
        hovered
    }

    fn lane_labels(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) {
        for lane_box in layout
            .lanes
            .iter()
            .filter(|l| l.y.intersects(visible.y_range()))
        {
            let rect = Rect::from_x_y_ranges(shift(layout.label_x, pin(visible).x), lane_box.y);
            let name = self
                .journey
                .lane(lane_box.id)
                .map(|l| l.name.as_str())
                .unwrap_or_default();
            let label = format!("Lane: {name}");
            self.header(
                ui,
                view,
                rect,
                Item::Lane(lane_box.id),
                &label,
                LANE_MENU,
                out,
            );
        }
    }

    /// The goals and KPI cells (they select their stage) and the persona
    /// blocks (they select the persona).
    fn band_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) {
        let goal_cells = (layout.goals.iter()).flat_map(|b| {
            b.cells_in(visible)
                .map(|(rect, c)| ("Goals", rect, c.stage))
        });
        let kpi_cells = (layout.kpis.iter())
            .flat_map(|b| b.cells_in(visible).map(|(rect, c)| ("KPIs", rect, c.stage)));
        let mut items: Vec<(String, Rect, Item)> = goal_cells
            .chain(kpi_cells)
            .filter_map(|(row, rect, id)| {
                let stage = self.journey.stage(id)?;
                Some((format!("{row}: {}", stage.name), rect, Item::Stage(id)))
            })
            .collect();
        for block in layout.personas.iter().flat_map(|s| &s.blocks) {
            if let Some(persona) = self.journey.persona(block.id) {
                let label = format!("Persona: {}", persona.name);
                items.push((label, block.rect, Item::Persona(block.id)));
            }
        }
        for (label, rect, item) in items.into_iter().filter(|(_, r, _)| r.intersects(visible)) {
            let screen_rect = (view.map_to_screen() * rect).intersect(view.screen_rect);
            let id = ui.scope_id().with(("band", &label, item));
            let response = ui.interact(screen_rect, id, Sense::click());
            response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &label));
            self.select_on_click(ui, view, &response, item);
            if matches!(item, Item::Stage(_)) {
                response.context_menu(|ui| menu_actions(ui, out, STAGE_MENU));
            }
        }
    }

    /// A stage header, step header or lane label at `rect` (map units):
    /// selectable, with a context menu.
    #[expect(clippy::too_many_arguments)]
    fn header(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        rect: Rect,
        item: Item,
        label: &str,
        menu: &[Action],
        out: &mut Vec<CanvasOutput>,
    ) -> Response {
        let screen_rect = (view.map_to_screen() * rect).intersect(view.screen_rect);
        let response = ui.interact(
            screen_rect,
            ui.scope_id().with(("map", item)),
            Sense::click(),
        );
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, label));
        self.select_on_click(ui, view, &response, item);
        if matches!(item, Item::Stage(_)) && response.double_clicked() {
            view.select(item);
            out.push(CanvasOutput::Action(Action::ZoomToStage));
        }
        response.context_menu(|ui| menu_actions(ui, out, menu));
        response
    }

    fn card_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let to_screen = view.map_to_screen();
        let base = ui.scope_id().with("map");
        let mut hovered = Vec::new();
        for card_box in layout.cards_in_view(visible) {
            let Some(card) = layout.card_of(self.journey, card_box) else {
                continue;
            };
            let screen = (to_screen * card_box.rect).intersect(view.screen_rect);
            // Cards under the pinned headers and labels are not reachable there.
            let response = ui.interact(
                screen,
                base.with(("card", card.id)),
                Sense::click_and_drag(),
            );
            let title = card.title.clone();
            response
                .widget_info(|| WidgetInfo::labeled(Role::Button, true, format!("Card: {title}")));
            // Zoomed out so far that the card shows only what fits, a hover
            // shows all of it.
            let response = if self.text_is_cut(view) {
                response.on_hover_ui(|ui| card_tooltip(ui, card))
            } else {
                response
            };
            self.card_interaction(ui, view, layout, card, &response, out);
            if response.hovered() {
                hovered.push(Hit::Card(card.id));
            }
        }
        hovered
    }

    /// Selecting items: a click selects one, Shift or Ctrl+click adds or
    /// removes one, a right click on a selected item keeps the selection.
    pub(super) fn select_on_click(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        response: &Response,
        item: Item,
    ) {
        if response.clicked() || response.secondary_clicked() {
            let shift = ui.input(|i| i.modifiers.shift || i.modifiers.command);
            if shift && response.clicked() {
                if let Some(pos) = view.selection.iter().position(|i| *i == item) {
                    view.selection.remove(pos);
                } else {
                    view.selection.push(item);
                }
            } else if !(response.secondary_clicked() && view.selection.contains(&item)) {
                view.select(item);
            }
            ui.ctx().memory_mut(egui::Memory::stop_text_input);
        }
    }

    /// A card's clicks, double click (edit the title), drag (move the
    /// selected cards) and context menu.
    fn card_interaction(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        card: &Card,
        response: &Response,
        out: &mut Vec<CanvasOutput>,
    ) {
        let item = Item::Card(card.id);
        self.select_on_click(ui, view, response, item);
        if response.double_clicked() {
            view.select(item);
            view.editing = Some((card.id, card.title.clone()));
            view.focus_editor = true;
        }
        if response.drag_started_by(PointerButton::Primary) && !ui.input(|i| i.key_down(Key::Space))
        {
            if !view.selection.contains(&item) {
                view.select(item);
            }
            let ids = view.selected_cards();
            let grab = response
                .interact_pointer_pos()
                .zip(layout.card(card.id))
                .map_or(Vec2::ZERO, |(p, b)| {
                    view.map_to_screen().inverse() * p - b.rect.min
                });
            view.drag = Some(Drag::Cards {
                ids,
                grab,
                grabbed: card.id,
            });
        }
        if response.drag_stopped()
            && let Some(Drag::Cards { ids, .. }) = view.drag.take()
            && let Some(pointer) = ui.input(|i| i.pointer.interact_pos())
        {
            let pos = view.map_to_screen().inverse() * pointer;
            if let Some((step, lane)) = layout.cell_at(pos) {
                out.push(CanvasOutput::Edit(self.move_cards(
                    layout,
                    &ids,
                    (step, lane),
                    pos.y,
                )));
            }
        }
        response.context_menu(|ui| {
            if !view.selection.contains(&item) {
                view.select(item);
            }
            menu_actions(ui, out, CARD_MENU);
        });
    }

    /// Moves cards into a cell, stacked in their current order at the drop slot.
    fn move_cards(
        &self,
        layout: &Layout,
        ids: &[CardId],
        (step, lane): (StepId, LaneId),
        y: f32,
    ) -> Edit {
        let slot = layout.slot_at(step, lane, y, ids);
        let mut journey = self.journey.clone();
        let mut edits = Vec::new();
        // Keep the dragged cards in their map order.
        let ordered: Vec<CardId> = self
            .journey
            .cards
            .iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| c.id)
            .collect();
        for (i, id) in ordered.iter().enumerate() {
            let edit = Edit::move_card_to_cell(&journey, *id, step, lane, slot + i);
            if edit.clone().apply(&mut journey).is_ok() {
                edits.push(edit);
            }
        }
        // Dropping a card where it already is changes nothing and records nothing.
        if journey == *self.journey {
            Edit::Batch(Vec::new())
        } else {
            Edit::Batch(edits)
        }
    }

    fn curve_point_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let mut hovered = Vec::new();
        // Centres a little outside the view are found too, then left out
        // by the exact test on screen.
        let near_x = visible.x_range().expand(1.0);
        for curve in layout.handled_curves() {
            for (step, point) in curve.points_in(near_x) {
                if !view.screen_rect.contains(view.map_to_screen() * *point) {
                    continue;
                }
                let response = self.curve_point_response(
                    ui,
                    view,
                    layout,
                    (curve.persona, *step),
                    *point,
                    out,
                );
                if response.hovered() || response.dragged() {
                    ui.ctx().set_cursor_icon(CursorIcon::ResizeVertical);
                    hovered.push(Hit::CurvePoint(curve.persona, *step));
                }
            }
        }
        hovered
    }

    /// A curve point's handle at `point` (map units): select, drag up or
    /// down to change the score, context menu.
    fn curve_point_response(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        (persona, step): (PersonaId, StepId),
        point: Pos2,
        out: &mut Vec<CanvasOutput>,
    ) -> Response {
        let to_screen = view.map_to_screen();
        let r = (self.theme.curve_point_radius + 4.0) * view.zoom.max(0.6);
        let response = ui.interact(
            Rect::from_center_size(to_screen * point, Vec2::splat(2.0 * r)),
            ui.scope_id().with("map").with(("point", persona, step)),
            Sense::click_and_drag(),
        );
        let step_name = self
            .journey
            .step(step)
            .map(|(_, s)| s.name.as_str())
            .unwrap_or_default();
        let score = layout.score_at(point.y).unwrap_or_default();
        let label = format!("Emotion point: {step_name} ({})", score_text(score));
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &label));
        let item = Item::CurvePoint(persona, step);
        self.select_on_click(ui, view, &response, item);
        if response.drag_started_by(PointerButton::Primary) {
            view.select(item);
            let state = view.state.edit_state();
            let voices =
                (self.journey.curve_in(persona, state)).map_or(0, |c| c.samples_at(step).len());
            // The point is the participants' median: dragging it would
            // throw their scores away, so they are edited one by one.
            if voices > 0 {
                out.push(CanvasOutput::Status(format!(
                    "This point is the median of {voices} participants' scores: \
                     edit the scores in the inspector"
                )));
            } else {
                view.drag = Some(Drag::CurvePoint { persona, step });
            }
        }
        if response.drag_stopped()
            && let Some(Drag::CurvePoint { persona, step }) = view.drag.take()
            && let Some(pointer) = response.interact_pointer_pos()
            && let Some(score) = layout.score_at((to_screen.inverse() * pointer).y)
        {
            let scores = [(step, round_score(score))];
            out.push(CanvasOutput::Edit(Edit::set_scores_in(
                self.journey,
                persona,
                view.state.edit_state(),
                scores,
            )));
        }
        response.context_menu(|ui| {
            view.select(item);
            menu_actions(ui, out, CURVE_POINT_MENU);
        });
        response
    }

    fn pain_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) {
        let to_screen = view.map_to_screen();
        let pin = pin(visible);
        for marker in layout.pains_in(visible.x_range().expand(1.0)) {
            let Some(pain) = layout.pain_of(self.journey, marker) else {
                continue;
            };
            // Step markers ride along with the pinned step header.
            let pinned = if matches!(pain.anchor, Anchor::Step(_)) {
                pin.y
            } else {
                0.0
            };
            let center = to_screen * (marker.center + vec2(0.0, pinned));
            if !view.screen_rect.contains(center) {
                continue;
            }
            let r = self.theme.pain_radius * view.zoom.max(0.8);
            let rect = Rect::from_center_size(center, Vec2::splat(2.0 * r));
            let hover = Some(pain_tooltip(pain, marker.number));
            self.pain_item(ui, view, out, pain, rect, PainPart::Marker, hover);
        }
        self.pain_note_responses(ui, view, layout, visible, out);
    }

    /// Pain notes select their pain point like its marker does.
    fn pain_note_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) {
        let to_screen = view.map_to_screen();
        for note in layout
            .pain_notes
            .iter()
            .filter(|n| n.rect.intersects(visible))
        {
            let Some(pain) = layout.pain_of_note(self.journey, note) else {
                continue;
            };
            let screen = (to_screen * note.rect).intersect(view.screen_rect);
            let hover = self
                .text_is_cut(view)
                .then(|| pain_tooltip(pain, note.number));
            self.pain_item(ui, view, out, pain, screen, PainPart::Note, hover);
        }
    }

    /// A pain point's marker or note at `rect` (screen): selects the pain
    /// point on a click, has its context menu, its accessible label and,
    /// given one, a hover text.
    #[expect(clippy::too_many_arguments)]
    fn pain_item(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        out: &mut Vec<CanvasOutput>,
        pain: &crate::model::PainPoint,
        rect: Rect,
        part: PainPart,
        hover: Option<String>,
    ) {
        let response = ui.interact(
            rect,
            ui.scope_id().with("map").with((part, pain.id)),
            Sense::click(),
        );
        let label = format!("{}: {}", part.label(), pain.text);
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, label.clone()));
        let response = match hover {
            Some(text) => response.on_hover_text(text),
            None => response,
        };
        self.select_on_click(ui, view, &response, Item::Pain(pain.id));
        response.context_menu(|ui| {
            view.select(Item::Pain(pain.id));
            menu_actions(ui, out, PAIN_MENU);
        });
    }

    /// Whether the map is zoomed out so far that cards and notes show only
    /// the text that fits (the scene enlarges text to the legible minimum).
    fn text_is_cut(&self, view: &ViewState) -> bool {
        self.theme.title_font(1.0).size * view.zoom < super::MIN_CANVAS_TEXT * 1.05
    }

    /// The in-place title editor over a card: the title wraps at the
    /// card's width and the editor grows downwards, so a long title can be
    /// read while it is typed. Enter (with or without Shift: a title is
    /// one paragraph) or clicking elsewhere commits; Esc cancels; a title
    /// left empty keeps the old one.
    pub(super) fn title_editor(
        &self,
        ui: &mut Ui,
        view: &mut ViewState,
        layout: &Layout,
        out: &mut Vec<CanvasOutput>,
    ) {
        let Some((id, mut text)) = view.editing.take() else {
            return;
        };
        let (Some(card), Some(b)) = (self.journey.card(id), layout.card(id)) else {
            // A card dropped or added this frame exists from the next one.
            view.editing = Some((id, text));
            return;
        };
        let to_screen = view.map_to_screen();
        let rect = to_screen
            * Rect::from_min_size(
                b.rect.min + vec2(4.0, 3.0),
                vec2(b.rect.width() - 8.0, b.rect.height() - 6.0),
            );
        // The card's own title face, at its size on screen.
        let mut font = self.theme.title_font(view.zoom);
        font.size = font.size.max(super::MIN_CANVAS_TEXT);
        let edit = egui::TextEdit::multiline(&mut text)
            .font(font)
            .desired_width(rect.width())
            .desired_rows(1)
            .return_key(None)
            .hint_text("Card title");
        // Below the card there is room for the rows a long title needs.
        let room = Rect::from_min_max(rect.min, egui::pos2(rect.max.x, view.screen_rect.max.y));
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(room));
        child.set_clip_rect(view.screen_rect);
        let response = child.add(edit);
        response.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, "Card title"));
        if view.focus_editor {
            response.request_focus();
            select_all(ui, response.id, &text);
            view.focus_editor = false;
        }
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            return;
        }
        let enter = response.has_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if enter {
            response.surrender_focus();
        }
        if enter || response.lost_focus() {
            let title = one_line(&text);
            if !title.is_empty() && title != card.title {
                out.push(CanvasOutput::Edit(Edit::UpdateCard(Card {
                    title,
                    ..card.clone()
                })));
            }
            return;
        }
        view.editing = Some((id, text));
    }
}

/// Selects all of a text field's `text`, so typing replaces it.
fn select_all(ui: &Ui, id: egui::Id, text: &str) {
    use egui::text::{CCursor, CCursorRange};
    let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
    let end = CCursor::new(text.chars().count());
    state
        .cursor
        .set_char_range(Some(CCursorRange::two(CCursor::new(0), end)));
    state.store(ui.ctx(), id);
}

/// A title as one line: pasted line breaks become spaces, and the ends
/// are trimmed.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A card's whole text, for a hover over a card too small to show it.
fn card_tooltip(ui: &mut Ui, card: &crate::model::Card) {
    ui.set_max_width(320.0);
    let title = if card.title.trim().is_empty() {
        "Untitled"
    } else {
        &card.title
    };
    ui.strong(title);
    if let Some(channel) = card.channel {
        ui.label(channel.label());
    }
    if !card.notes.trim().is_empty() {
        ui.label(card.notes.trim());
    }
}

/// The two places a pain point is drawn, each its own widget.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
enum PainPart {
    /// The numbered disc on its card, curve point or step.
    Marker,
    /// Its note in the Pain points lane.
    Note,
}

impl PainPart {
    fn label(self) -> &'static str {
        match self {
            Self::Marker => "Pain point",
            Self::Note => "Pain note",
        }
    }
}

/// A pain point's number, severity and text, as its hover shows them.
fn pain_tooltip(pain: &crate::model::PainPoint, number: usize) -> String {
    format!(
        "Pain point {number} ({}): {}",
        crate::model::severity_label(pain.severity),
        pain.text
    )
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_pasted_title_becomes_one_line() {
        assert_eq!(one_line("  Pays\r\nwith  card \n"), "Pays with  card");
        assert_eq!(one_line("\n"), "");
    }
}
