//! The interactive map widget. It reads the journey and returns edits and
//! actions; it never changes the journey itself. Pan, zoom, selection and
//! drags in progress live in [`ViewState`], not in the document.

use std::collections::BTreeMap;
use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{
    Color32, CursorIcon, Id, Key, PointerButton, Pos2, Rect, Response, Role, Sense, Shape, Stroke,
    StrokeKind, Ui, Vec2, WidgetInfo, pos2, vec2,
};

use crate::edit::Edit;
use crate::model::{
    Anchor, Card, CardId, Channel, Journey, LaneId, LaneKind, PainId, PersonaId, StageId, StepId,
};
use crate::ui::actions::Action;
use crate::view::layout::{Hit, Layout};
use crate::view::scene::{self, SceneOptions, format_score};
use crate::view::theme::Theme;

/// Zoomed out, text is drawn at least this large (screen points) and wraps
/// or elides to fit, so a fitted map on a laptop or projector stays legible.
pub const MIN_CANVAS_TEXT: f32 = 9.0;

/// Smallest and largest zoom.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.1..=4.0;

/// What the user is pointing the map at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// A card.
    Card(CardId),
    /// A stage.
    Stage(StageId),
    /// A step (column).
    Step(StepId),
    /// A lane (row).
    Lane(LaneId),
    /// A pain point.
    Pain(PainId),
    /// A persona's curve point at a step.
    CurvePoint(PersonaId, StepId),
    /// A persona.
    Persona(PersonaId),
    /// An empty cell.
    Cell(StepId, LaneId),
}

/// The active pointer tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tool {
    /// Select, move and edit.
    #[default]
    Select,
    /// Sketch the emotion curve freehand.
    Pen,
}

/// What the palette drags onto the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaletteItem {
    /// A touchpoint card with a channel.
    Touchpoint(Channel),
    /// A plain card.
    Card,
}

#[derive(Clone, Debug)]
enum Drag {
    Cards {
        ids: Vec<CardId>,
        /// Pointer minus the grabbed card's top-left corner, in map units.
        grab: Vec2,
        grabbed: CardId,
    },
    CurvePoint {
        persona: PersonaId,
        step: StepId,
    },
    Sketch {
        persona: PersonaId,
        stroke: Vec<Pos2>,
    },
    RubberBand {
        start: Pos2,
        additive: bool,
    },
    Pan,
}

/// View state of the canvas: everything about how the map is shown that is
/// not part of the document.
#[derive(Debug)]
pub struct ViewState {
    /// Zoom factor (1 = 100%).
    pub zoom: f32,
    /// Screen offset of the map origin from the canvas's top-left corner.
    pub offset: Vec2,
    /// Selected items; the last is the primary one the inspector shows.
    pub selection: Vec<Item>,
    /// Active tool.
    pub tool: Tool,
    /// Zoom to fit on the next frame (after opening a file or on request).
    pub fit_pending: bool,
    /// The view is fitted and the user has not panned or zoomed since, so a
    /// resized window fits again.
    pub fitted: bool,
    /// Card whose title is being edited in place, with the text so far.
    pub editing: Option<(CardId, String)>,
    drag: Option<Drag>,
    layout: Option<(u64, Arc<Layout>)>,
    /// Canvas rectangle on screen in the last frame.
    pub screen_rect: Rect,
    focus_editor: bool,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            offset: Vec2::splat(16.0),
            selection: Vec::new(),
            tool: Tool::Select,
            fit_pending: true,
            fitted: false,
            editing: None,
            drag: None,
            layout: None,
            screen_rect: Rect::NOTHING,
            focus_editor: false,
        }
    }
}

impl ViewState {
    /// The transform from map units to screen points.
    pub fn map_to_screen(&self) -> TSTransform {
        TSTransform::new(self.screen_rect.min.to_vec2() + self.offset, self.zoom)
    }

    /// The layout for this journey revision, recomputed only when it changed.
    /// Shared, so a frame holds it without copying thousands of card boxes.
    pub fn layout(&mut self, journey: &Journey, revision: u64, theme: &Theme) -> Arc<Layout> {
        match &self.layout {
            Some((r, layout)) if *r == revision => Arc::clone(layout),
            _ => {
                let layout = Arc::new(Layout::new(journey, theme));
                self.layout = Some((revision, Arc::clone(&layout)));
                layout
            }
        }
    }

    /// Focus the in-place title editor on the next frame.
    pub fn request_editor_focus(&mut self) {
        self.focus_editor = true;
    }

    /// Forget the cached layout (after the journey was replaced).
    pub fn invalidate(&mut self) {
        self.layout = None;
    }

    /// Selected cards, in selection order.
    pub fn selected_cards(&self) -> Vec<CardId> {
        self.selection
            .iter()
            .filter_map(|i| match i {
                Item::Card(id) => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// The item the inspector shows.
    pub fn primary(&self) -> Option<Item> {
        self.selection.last().copied()
    }

    /// Select one item only.
    pub fn select(&mut self, item: Item) {
        self.selection = vec![item];
    }

    /// Drops selected items that no longer exist (after undo or delete).
    pub fn prune_selection(&mut self, journey: &Journey) {
        self.selection.retain(|item| match *item {
            Item::Card(id) => journey.card(id).is_some(),
            Item::Stage(id) => journey.stage(id).is_some(),
            Item::Step(id) => journey.step(id).is_some(),
            Item::Lane(id) => journey.lane(id).is_some(),
            Item::Pain(id) => journey.pain(id).is_some(),
            Item::CurvePoint(p, s) => journey.persona(p).is_some() && journey.step(s).is_some(),
            Item::Persona(id) => journey.persona(id).is_some(),
            Item::Cell(s, l) => journey.step(s).is_some() && journey.lane(l).is_some(),
        });
        if let Some((id, _)) = &self.editing
            && journey.card(*id).is_none()
        {
            self.editing = None;
        }
    }

    /// Zoom by `factor` keeping the map point under `anchor` (screen) still.
    pub fn zoom_around(&mut self, factor: f32, anchor: Pos2) {
        self.fitted = false;
        let new_zoom = (self.zoom * factor).clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        let origin = self.screen_rect.min.to_vec2();
        let map_point = (anchor.to_vec2() - origin - self.offset) / self.zoom;
        self.offset = anchor.to_vec2() - origin - map_point * new_zoom;
        self.zoom = new_zoom;
    }

    /// Fit the whole map in the canvas.
    pub fn zoom_to_fit(&mut self, map_size: Vec2) {
        let margin = 16.0;
        let avail = (self.screen_rect.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let zoom = (avail.x / map_size.x.max(1.0))
            .min(avail.y / map_size.y.max(1.0))
            .clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.zoom = zoom;
        self.fitted = true;
        let used = map_size * zoom;
        self.offset = vec2(
            margin + ((avail.x - used.x) / 2.0).max(0.0),
            margin + ((avail.y - used.y) / 2.0).max(0.0).min(margin),
        );
    }
}

/// What the canvas asks the app to do.
#[derive(Debug)]
pub enum CanvasOutput {
    /// Apply an edit (one undo step).
    Edit(Edit),
    /// Run an action.
    Action(Action),
}

/// The map widget for one frame.
pub struct Canvas<'a> {
    /// The document, read-only.
    pub journey: &'a Journey,
    /// Changes whenever the journey does.
    pub revision: u64,
    /// Colours and sizes.
    pub theme: &'a Theme,
}

impl Canvas<'_> {
    /// Shows the canvas in all of `ui`'s remaining space.
    pub fn show(&self, ui: &mut Ui, view: &mut ViewState) -> Vec<CanvasOutput> {
        let mut out = Vec::new();
        let (rect, background) =
            ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        background.widget_info(|| WidgetInfo::labeled(Role::Canvas, true, "Journey map"));
        let resized = view.screen_rect.size() != rect.size();
        view.screen_rect = rect;
        let layout = view.layout(self.journey, self.revision, self.theme);
        if view.fit_pending || (view.fitted && resized) {
            view.zoom_to_fit(layout.size);
            view.fit_pending = false;
        }
        self.pan_and_zoom(ui, view, &background);

        let to_screen = view.map_to_screen();
        let to_map = to_screen.inverse();
        let visible = to_map * rect;
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, self.theme.desk);

        // Items get their own responses (for accessibility labels and
        // per-item clicks); the background handles the rest.
        let hits = if view.tool == Tool::Select {
            self.item_responses(ui, view, &layout, visible, &mut out)
        } else {
            Vec::new()
        };
        self.background_interaction(ui, view, &layout, &background, &mut out);
        self.palette_drop(ui, view, &layout, &mut out);

        let preview = self.preview_layout(ui, view, &layout);
        let layout_for_paint = preview.as_ref().unwrap_or(&layout);
        let pin = vec2(visible.min.x.max(0.0), visible.min.y.max(0.0));
        let options = SceneOptions {
            map_to_screen: to_screen,
            clip: rect,
            pin,
            min_text_size: MIN_CANVAS_TEXT,
            corner_text: true,
        };
        let shapes = ui.fonts_mut(|fonts| {
            scene::build(self.journey, layout_for_paint, self.theme, fonts, &options)
        });
        painter.extend(shapes);
        self.chrome(ui, view, layout_for_paint, &painter, &hits);
        self.title_editor(ui, view, &layout, &mut out);
        out
    }

    fn pan_and_zoom(&self, ui: &Ui, view: &mut ViewState, background: &Response) {
        let hovered = ui.rect_contains_pointer(view.screen_rect);
        if hovered {
            let (scroll, zoom, pointer) =
                ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
            if (zoom - 1.0).abs() > f32::EPSILON {
                let anchor = pointer.unwrap_or(view.screen_rect.center());
                view.zoom_around(zoom, anchor);
            } else if scroll != Vec2::ZERO {
                view.offset += scroll;
                view.fitted = false;
            }
        }
        let space = ui.input(|i| i.key_down(Key::Space)) && !ui.ctx().text_edit_focused();
        if background.dragged_by(PointerButton::Middle)
            || (space && background.dragged_by(PointerButton::Primary))
        {
            view.offset += background.drag_delta();
            view.fitted = false;
            view.drag = Some(Drag::Pan);
            ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
        } else if space && hovered {
            ui.ctx().set_cursor_icon(CursorIcon::Grab);
        }
    }

    /// Responses for every visible item, top-most last. Returns the hovered hit.
    fn item_responses(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        layout: &Layout,
        visible: Rect,
        out: &mut Vec<CanvasOutput>,
    ) -> Vec<Hit> {
        let to_screen = view.map_to_screen();
        let mut hovered = Vec::new();
        let base = ui.scope_id().with("map");
        let pin = vec2(visible.min.x.max(0.0), visible.min.y.max(0.0));

        let screen = view.screen_rect;
        let to_screen_rect = |rect: Rect| (to_screen * rect).intersect(screen);
        for stage_box in layout.stages_in(visible.x_range()) {
            let Some(stage) = self.journey.stage(stage_box.id) else {
                continue;
            };
            let rect = Rect::from_x_y_ranges(stage_box.x, shift(layout.stage_header, pin.y));
            let response = self.header(
                ui,
                view,
                to_screen_rect(rect),
                Item::Stage(stage.id),
                &format!("Stage: {}", stage.name),
                &[
                    Action::AddStage,
                    Action::AddStep,
                    Action::MoveEarlier,
                    Action::MoveLater,
                    Action::Delete,
                ],
                out,
            );
            if response.hovered() {
                hovered.push(Hit::StageHeader(stage.id));
            }
        }
        for column in layout.columns_in(visible.x_range()) {
            let rect = Rect::from_x_y_ranges(column.x, shift(layout.step_header, pin.y));
            let name = self
                .journey
                .step(column.step)
                .map(|(_, s)| s.name.clone())
                .unwrap_or_default();
            let response = self.header(
                ui,
                view,
                to_screen_rect(rect),
                Item::Step(column.step),
                &format!("Step: {name}"),
                &[
                    Action::AddStep,
                    Action::AddPainPoint,
                    Action::MoveEarlier,
                    Action::MoveLater,
                    Action::Delete,
                ],
                out,
            );
            if response.hovered() {
                hovered.push(Hit::StepHeader(column.step));
            }
        }
        for lane_box in layout
            .lanes
            .iter()
            .filter(|l| l.y.intersects(visible.y_range()))
        {
            let rect = Rect::from_x_y_ranges(shift(layout.label_x, pin.x), lane_box.y);
            let name = self
                .journey
                .lane(lane_box.id)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            self.header(
                ui,
                view,
                to_screen_rect(rect),
                Item::Lane(lane_box.id),
                &format!("Lane: {name}"),
                &[Action::MoveEarlier, Action::MoveLater, Action::Delete],
                out,
            );
        }
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
            self.card_interaction(ui, view, layout, card, &response, out);
            if response.hovered() {
                hovered.push(Hit::Card(card.id));
            }
        }
        // Centres a little outside the view are still found, and then
        // left out by the exact test on screen.
        let near_x = visible.x_range().expand(1.0);
        for curve in &layout.curves {
            for (step, point) in curve.points_in(near_x) {
                let center = to_screen * *point;
                if !view.screen_rect.contains(center) {
                    continue;
                }
                let r = (self.theme.curve_point_radius + 4.0) * view.zoom.max(0.6);
                let response = ui.interact(
                    Rect::from_center_size(center, Vec2::splat(2.0 * r)),
                    base.with(("point", curve.persona, *step)),
                    Sense::click_and_drag(),
                );
                let step_name = self
                    .journey
                    .step(*step)
                    .map(|(_, s)| s.name.clone())
                    .unwrap_or_default();
                let score = layout.score_at(point.y).unwrap_or_default();
                let label = format!("Emotion point: {step_name} ({})", format_score(score));
                response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &label));
                let item = Item::CurvePoint(curve.persona, *step);
                self.select_on_click(ui, view, &response, item);
                if response.drag_started_by(PointerButton::Primary) {
                    view.select(item);
                    view.drag = Some(Drag::CurvePoint {
                        persona: curve.persona,
                        step: *step,
                    });
                }
                if response.drag_stopped()
                    && let Some(Drag::CurvePoint { persona, step }) = view.drag.take()
                    && let Some(pointer) = response.interact_pointer_pos()
                    && let Some(score) = layout.score_at((to_screen.inverse() * pointer).y)
                {
                    let scores = [(step, round_score(score))];
                    out.push(CanvasOutput::Edit(Edit::set_scores(
                        self.journey,
                        persona,
                        scores,
                    )));
                }
                response.context_menu(|ui| {
                    view.select(item);
                    menu_actions(ui, out, &[Action::AddPainPoint, Action::Delete]);
                });
                if response.hovered() || response.dragged() {
                    ui.ctx().set_cursor_icon(CursorIcon::ResizeVertical);
                    hovered.push(Hit::CurvePoint(curve.persona, *step));
                }
            }
        }
        for marker in layout.pains_in(near_x) {
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
            let response = ui.interact(
                Rect::from_center_size(center, Vec2::splat(2.0 * r)),
                base.with(("pain", pain.id)),
                Sense::click(),
            );
            let text = pain.text.clone();
            let severity = pain.severity;
            response.widget_info(|| {
                WidgetInfo::labeled(Role::Button, true, format!("Pain point: {text}"))
            });
            let response = response.on_hover_text(format!("Severity {severity}: {}", pain.text));
            self.select_on_click(ui, view, &response, Item::Pain(pain.id));
            response.context_menu(|ui| {
                view.select(Item::Pain(pain.id));
                menu_actions(ui, out, &[Action::Delete]);
            });
        }
        hovered
    }

    /// A stage header, step header or lane label: selectable, with a context menu.
    #[expect(clippy::too_many_arguments)]
    fn header(
        &self,
        ui: &Ui,
        view: &mut ViewState,
        screen_rect: Rect,
        item: Item,
        label: &str,
        menu: &[Action],
        out: &mut Vec<CanvasOutput>,
    ) -> Response {
        let response = ui.interact(
            screen_rect,
            ui.scope_id().with(("map", item)),
            Sense::click(),
        );
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, label));
        self.select_on_click(ui, view, &response, item);
        response.context_menu(|ui| menu_actions(ui, out, menu));
        response
    }

    fn select_on_click(&self, ui: &Ui, view: &mut ViewState, response: &Response, item: Item) {
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
                out.push(CanvasOutput::Edit(
                    self.move_cards(layout, &ids, step, lane, pos.y),
                ));
            }
        }
        response.context_menu(|ui| {
            if !view.selection.contains(&item) {
                view.select(item);
            }
            menu_actions(
                ui,
                out,
                &[
                    Action::EditTitle,
                    Action::AddPainPoint,
                    Action::Duplicate,
                    Action::Copy,
                    Action::Cut,
                    Action::Delete,
                ],
            );
        });
    }

    /// Moves cards into a cell, stacked in their current order at the drop slot.
    fn move_cards(
        &self,
        layout: &Layout,
        ids: &[CardId],
        step: StepId,
        lane: LaneId,
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

    fn background_interaction(
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
        let space = ui.input(|i| i.key_down(Key::Space));
        // The drag is detected a few points after the press: start where the button went down.
        let press_map = ui.input(|i| i.pointer.press_origin()).map(|p| to_map * p);
        if background.drag_started_by(PointerButton::Primary)
            && !space
            && let Some(start) = press_map.or(pointer_map)
        {
            view.drag = match view.tool {
                Tool::Pen => self.journey.personas.first().map(|p| Drag::Sketch {
                    persona: self.pen_persona(view).unwrap_or(p.id),
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
        if background.drag_stopped() {
            match view.drag.take() {
                Some(Drag::Sketch { persona, stroke }) => {
                    let sketched = sketch_points(layout, &stroke);
                    if !sketched.is_empty() {
                        out.push(CanvasOutput::Edit(Edit::set_scores(
                            self.journey,
                            persona,
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
        if background.clicked()
            && let Some(pos) = pointer_map
        {
            ui.ctx().memory_mut(egui::Memory::stop_text_input);
            match layout.hit(pos, 0.0, self.theme) {
                Some(Hit::Cell(step, lane)) => view.select(Item::Cell(step, lane)),
                _ => view.selection.clear(),
            }
        }
        if background.secondary_clicked()
            && let Some(pos) = pointer_map
            && let Some(Hit::Cell(step, lane)) = layout.hit(pos, 0.0, self.theme)
        {
            view.select(Item::Cell(step, lane));
        }
        if background.double_clicked()
            && let Some(pos) = pointer_map
            && let Some(Hit::Cell(step, lane)) = layout.hit(pos, 0.0, self.theme)
        {
            if layout
                .lane(lane)
                .is_some_and(|l| l.kind == LaneKind::Emotions)
                && let Some(score) = layout.score_at(pos.y)
                && let Some(persona) = self.pen_persona(view)
            {
                let scores = [(step, round_score(score))];
                out.push(CanvasOutput::Edit(Edit::set_scores(
                    self.journey,
                    persona,
                    scores,
                )));
            } else {
                view.select(Item::Cell(step, lane));
                out.push(CanvasOutput::Action(Action::AddCard(None)));
            }
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

    /// The persona the pen draws for: the selected one, else the first.
    fn pen_persona(&self, view: &ViewState) -> Option<PersonaId> {
        view.selection
            .iter()
            .rev()
            .find_map(|i| match i {
                Item::Persona(p) | Item::CurvePoint(p, _) => Some(*p),
                _ => None,
            })
            .or_else(|| self.journey.personas.first().map(|p| p.id))
    }

    /// Cards dragged in from the palette.
    fn palette_drop(
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
            id,
            step,
            lane,
            title,
            notes: String::new(),
            channel,
        };
        let index = insertion_index(self.journey, step, lane, slot);
        out.push(CanvasOutput::Edit(Edit::InsertCard(index, card)));
        view.select(Item::Card(id));
    }

    /// A copy of the layout with the drag in progress applied, for painting.
    fn preview_layout(&self, ui: &Ui, view: &ViewState, layout: &Layout) -> Option<Layout> {
        let Some(Drag::CurvePoint { persona, step }) = &view.drag else {
            return None;
        };
        let pointer = ui.input(|i| i.pointer.interact_pos())?;
        let y = (view.map_to_screen().inverse() * pointer).y;
        let score = round_score(layout.score_at(y)?);
        let y = layout.score_y(score)?;
        let mut preview = layout.clone();
        for curve in preview.curves.iter_mut().filter(|c| c.persona == *persona) {
            for (s, p) in &mut curve.points {
                if s == step {
                    p.y = y;
                }
            }
        }
        Some(preview)
    }

    /// Selection, hover and drag chrome on top of the scene.
    fn chrome(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
        painter: &egui::Painter,
        hovered: &[Hit],
    ) {
        let to_screen = view.map_to_screen();
        let accent = Color32::from_rgb(0x1F, 0x6F, 0xEB);
        let select_stroke = Stroke::new(2.5, accent);
        for item in &view.selection {
            let rect = match *item {
                Item::Card(id) => layout.card(id).map(|c| c.rect.expand(2.0)),
                Item::Cell(step, lane) => layout.cell_rect(step, lane).map(|r| r.shrink(2.0)),
                Item::Step(step) => layout.column(step).map(|c| {
                    Rect::from_x_y_ranges(
                        c.x,
                        egui::Rangef::new(layout.step_header.min, layout.size.y),
                    )
                }),
                Item::Stage(stage) => layout
                    .stages
                    .iter()
                    .find(|s| s.id == stage)
                    .map(|s| Rect::from_x_y_ranges(s.x, egui::Rangef::new(0.0, layout.size.y))),
                Item::Lane(lane) => layout
                    .lane(lane)
                    .map(|l| Rect::from_x_y_ranges(egui::Rangef::new(0.0, layout.size.x), l.y)),
                Item::CurvePoint(p, s) => layout.curve_point(p, s).map(|c| {
                    Rect::from_center_size(
                        c,
                        Vec2::splat(self.theme.curve_point_radius * 2.0 + 8.0),
                    )
                }),
                Item::Pain(id) => layout.pains.iter().find(|m| m.id == id).map(|m| {
                    Rect::from_center_size(
                        m.center,
                        Vec2::splat(self.theme.pain_radius * 2.0 + 6.0),
                    )
                }),
                Item::Persona(_) => None,
            };
            if let Some(rect) = rect {
                painter.rect_stroke(to_screen * rect, 6.0, select_stroke, StrokeKind::Outside);
            }
        }
        if view.drag.is_none() {
            for hit in hovered {
                if let Hit::Card(id) = hit
                    && let Some(c) = layout.card(*id)
                {
                    painter.rect_stroke(
                        to_screen * c.rect.expand(1.0),
                        6.0,
                        Stroke::new(1.5, accent.gamma_multiply(0.6)),
                        StrokeKind::Outside,
                    );
                }
            }
        }
        let pointer = ui.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
        let palette = egui::DragAndDrop::has_payload_of_type::<PaletteItem>(ui.ctx());
        let card_drag = match &view.drag {
            Some(Drag::Cards { ids, grab, grabbed }) => Some((ids, *grab, *grabbed)),
            _ => None,
        };
        if let Some(pointer) = pointer
            && (palette || card_drag.is_some())
            && view.screen_rect.contains(pointer)
        {
            let pos = to_screen.inverse() * pointer;
            if let Some((step, lane)) = layout.cell_at(pos)
                && let Some(cell) = layout.cell_rect(step, lane)
            {
                let ignore = card_drag.map(|(ids, _, _)| ids.clone()).unwrap_or_default();
                painter.rect(
                    to_screen * cell.shrink(1.0),
                    4.0,
                    accent.gamma_multiply(0.12),
                    Stroke::new(2.0, accent),
                    StrokeKind::Inside,
                );
                let slot = layout.slot_at(step, lane, pos.y, &ignore);
                let y = layout
                    .cards_in(step, lane)
                    .filter(|c| !ignore.contains(&c.id))
                    .nth(slot)
                    .map_or_else(
                        || {
                            layout
                                .cards_in(step, lane)
                                .filter(|c| !ignore.contains(&c.id))
                                .last()
                                .map_or(cell.min.y + self.theme.card_gap / 2.0, |c| {
                                    c.rect.max.y + self.theme.card_gap / 2.0
                                })
                        },
                        |c| c.rect.min.y - self.theme.card_gap / 2.0,
                    );
                painter.line_segment(
                    [
                        to_screen * pos2(cell.min.x + 6.0, y),
                        to_screen * pos2(cell.max.x - 6.0, y),
                    ],
                    Stroke::new(3.0, accent),
                );
            }
        }
        if let (Some(pointer), Some((ids, grab, grabbed))) = (pointer, card_drag) {
            // Dim the cards at their old place and draw them under the pointer.
            let origin = layout.card(grabbed).map_or(Pos2::ZERO, |c| c.rect.min);
            let delta = (to_screen.inverse() * pointer - grab) - origin;
            let mut ghosts = Vec::new();
            for id in ids {
                let (Some(card), Some(b)) = (self.journey.card(*id), layout.card(*id)) else {
                    continue;
                };
                painter.rect_filled(to_screen * b.rect, 6.0, Color32::from_white_alpha(170));
                let kind = self
                    .journey
                    .lane(card.lane)
                    .map_or(LaneKind::Notes, |l| l.kind);
                ui.fonts_mut(|fonts| {
                    ghosts.extend(scene::card_shapes(
                        card,
                        kind,
                        b.rect.translate(delta),
                        self.theme,
                        fonts,
                        to_screen,
                    ));
                });
            }
            let layer = egui::LayerId::new(egui::Order::Tooltip, Id::unique("waymark-card-drag"));
            ui.ctx().layer_painter(layer).extend(ghosts);
        }
        if let Some(Drag::Sketch { persona, stroke }) = &view.drag {
            let index = self
                .journey
                .personas
                .iter()
                .position(|p| p.id == *persona)
                .unwrap_or(0);
            let color = self.theme.persona_color(index);
            let points: Vec<Pos2> = stroke.iter().map(|p| to_screen * *p).collect();
            painter.add(Shape::line(
                points,
                Stroke::new(3.0, color.gamma_multiply(0.7)),
            ));
        }
        if let (Some(Drag::RubberBand { start, .. }), Some(pointer)) = (&view.drag, pointer) {
            let rect = Rect::from_two_pos(to_screen * *start, pointer);
            painter.rect(
                rect,
                0.0,
                accent.gamma_multiply(0.08),
                Stroke::new(1.0, accent),
                StrokeKind::Inside,
            );
        }
        if view.tool == Tool::Pen
            && let Some(plot) = layout.emotion_plot
        {
            let rect =
                Rect::from_x_y_ranges(egui::Rangef::new(layout.label_x.max, layout.size.x), plot);
            painter.rect_stroke(
                to_screen * rect,
                4.0,
                Stroke::new(1.5, accent.gamma_multiply(0.5)),
                StrokeKind::Outside,
            );
            if ui.rect_contains_pointer(view.screen_rect) {
                ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
            }
        }
    }

    /// The in-place title editor over a card.
    fn title_editor(
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
            return;
        };
        let to_screen = view.map_to_screen();
        let rect = to_screen
            * Rect::from_min_size(
                b.rect.min + vec2(6.0, 4.0),
                vec2(b.rect.width() - 10.0, 30.0),
            );
        let response = ui.put(
            rect,
            egui::TextEdit::singleline(&mut text)
                .font(egui::FontId::proportional((14.5 * view.zoom).max(8.0)))
                .hint_text("Card title"),
        );
        response.widget_info(|| WidgetInfo::labeled(Role::TextInput, true, "Card title"));
        if view.focus_editor {
            response.request_focus();
            view.focus_editor = false;
        }
        let cancel = ui.input(|i| i.key_pressed(Key::Escape));
        if cancel {
            return;
        }
        if response.lost_focus() {
            if text != card.title {
                out.push(CanvasOutput::Edit(Edit::UpdateCard(Card {
                    title: text,
                    ..card.clone()
                })));
            }
            return;
        }
        view.editing = Some((id, text));
    }
}

fn shift(range: egui::Rangef, by: f32) -> egui::Rangef {
    egui::Rangef::new(range.min + by, range.max + by)
}

fn menu_actions(ui: &mut Ui, out: &mut Vec<CanvasOutput>, actions: &[Action]) {
    for action in actions {
        let mut button = egui::Button::new(action.label());
        if let Some(shortcut) = action.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add(button).clicked() {
            out.push(CanvasOutput::Action(action.clone()));
            ui.close();
        }
    }
}

/// Scores snap to tenths so the file stays readable.
fn round_score(score: f32) -> f32 {
    (score * 10.0).round() / 10.0
}

/// Index in the journey's card list that puts a new card at `slot` in a cell.
pub fn insertion_index(journey: &Journey, step: StepId, lane: LaneId, slot: usize) -> usize {
    let in_cell: Vec<usize> = journey
        .cards
        .iter()
        .enumerate()
        .filter(|(_, c)| c.step == step && c.lane == lane)
        .map(|(i, _)| i)
        .collect();
    match in_cell.get(slot) {
        Some(i) => *i,
        None => in_cell.last().map_or(journey.cards.len(), |i| i + 1),
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

/// The anchor a new pain point gets from the selection.
pub fn pain_anchor(journey: &Journey, selection: Option<Item>) -> Option<Anchor> {
    match selection? {
        Item::Card(id) => Some(Anchor::Card(id)),
        Item::CurvePoint(p, s) => Some(Anchor::Curve(p, s)),
        Item::Step(s) | Item::Cell(s, _) => Some(Anchor::Step(s)),
        Item::Pain(id) => journey.pain(id).map(|p| p.anchor),
        Item::Stage(id) => journey
            .stage(id)
            .and_then(|s| s.steps.first())
            .map(|s| Anchor::Step(s.id)),
        Item::Lane(_) | Item::Persona(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;

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

    #[test]
    fn zoom_around_keeps_anchor_fixed() {
        let mut view = ViewState {
            screen_rect: Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0)),
            ..ViewState::default()
        };
        let anchor = pos2(400.0, 300.0);
        let before = view.map_to_screen().inverse() * anchor;
        view.zoom_around(2.0, anchor);
        let after = view.map_to_screen().inverse() * anchor;
        assert!((before - after).length() < 1e-3);
        view.zoom_around(100.0, anchor);
        assert!((view.zoom - 4.0).abs() < f32::EPSILON);
    }
}
