//! Interaction chrome painted over the scene: selection and hover outlines,
//! the drop target and insertion line while cards or palette items are
//! dragged, the dragged cards under the pointer, the pen's stroke and plot
//! area, and the rubber band. None of it is part of the scene, so exports
//! never show it; all of it is painted from the view state and the layout.

use egui::emath::TSTransform;
use egui::{
    Color32, CursorIcon, Id, Painter, Pos2, Rangef, Rect, Shape, Stroke, StrokeKind, Ui, Vec2, pos2,
};

use super::view_state::Drag;
use super::{Canvas, Item, PaletteItem, Tool, ViewState, round_score};
use crate::model::{CardId, LaneId, LaneKind, StepId};
use crate::view::layout::{Hit, Layout};
use crate::view::scene;

/// The colour of selection, hover and drop chrome.
const ACCENT: Color32 = Color32::from_rgb(0x1F, 0x6F, 0xEB);

impl Canvas<'_> {
    /// Selection, hover and drag chrome on top of the scene.
    pub(super) fn chrome(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
        painter: &Painter,
        hovered: &[Hit],
    ) {
        let to_screen = view.map_to_screen();
        for item in &view.selection {
            if let Some(rect) = self.selection_rect(layout, *item) {
                painter.rect_stroke(
                    to_screen * rect,
                    6.0,
                    Stroke::new(2.5, ACCENT),
                    StrokeKind::Outside,
                );
            }
        }
        if view.drag.is_none() {
            hover_outlines(layout, painter, to_screen, hovered);
        }
        let pointer = ui.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
        if let Some(pointer) = pointer {
            self.drop_target(ui, view, layout, painter, pointer);
            self.dragged_cards(ui, view, layout, painter, pointer);
        }
        self.sketch_stroke(view, painter);
        if let (Some(Drag::RubberBand { start, .. }), Some(pointer)) = (&view.drag, pointer) {
            let rect = Rect::from_two_pos(to_screen * *start, pointer);
            painter.rect(
                rect,
                0.0,
                ACCENT.gamma_multiply(0.08),
                Stroke::new(1.0, ACCENT),
                StrokeKind::Inside,
            );
        }
        if view.tool == Tool::Pen {
            pen_plot(ui, view, layout, painter);
        }
    }

    /// Where a selected item's outline goes, in map units.
    fn selection_rect(&self, layout: &Layout, item: Item) -> Option<Rect> {
        match item {
            Item::Card(id) => layout.card(id).map(|c| c.rect.expand(2.0)),
            Item::Cell(step, lane) => layout.cell_rect(step, lane).map(|r| r.shrink(2.0)),
            Item::Step(step) => layout.column(step).map(|c| {
                Rect::from_x_y_ranges(c.x, Rangef::new(layout.step_header.min, layout.size.y))
            }),
            Item::Stage(stage) => layout
                .stages
                .iter()
                .find(|s| s.id == stage)
                .map(|s| Rect::from_x_y_ranges(s.x, Rangef::new(0.0, layout.size.y))),
            Item::Lane(lane) => layout
                .lane(lane)
                .map(|l| Rect::from_x_y_ranges(Rangef::new(0.0, layout.size.x), l.y)),
            Item::CurvePoint(p, s) => layout.curve_point(p, s).map(|c| {
                Rect::from_center_size(c, Vec2::splat(self.theme.curve_point_radius * 2.0 + 8.0))
            }),
            Item::Pain(id) => layout.pains.iter().find(|m| m.id == id).map(|m| {
                Rect::from_center_size(m.center, Vec2::splat(self.theme.pain_radius * 2.0 + 6.0))
            }),
            Item::Persona(id) => (layout.personas.iter())
                .flat_map(|s| &s.blocks)
                .find(|b| b.id == id)
                .map(|b| b.rect.expand(2.0)),
        }
    }

    /// While cards or a palette item are dragged over the map: the cell
    /// under the pointer and the line where they would go in its stack.
    fn drop_target(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
        painter: &Painter,
        pointer: Pos2,
    ) {
        let palette = egui::DragAndDrop::has_payload_of_type::<PaletteItem>(ui.ctx());
        let ignore = match &view.drag {
            Some(Drag::Cards { ids, .. }) => ids.as_slice(),
            _ if palette => &[],
            _ => return,
        };
        if !view.screen_rect.contains(pointer) {
            return;
        }
        let to_screen = view.map_to_screen();
        let pos = to_screen.inverse() * pointer;
        let Some((step, lane)) = layout.cell_at(pos) else {
            return;
        };
        let Some(cell) = layout.cell_rect(step, lane) else {
            return;
        };
        painter.rect(
            to_screen * cell.shrink(1.0),
            4.0,
            ACCENT.gamma_multiply(0.12),
            Stroke::new(2.0, ACCENT),
            StrokeKind::Inside,
        );
        let y = self.insertion_y(layout, (step, lane), cell, pos.y, ignore);
        painter.line_segment(
            [
                to_screen * pos2(cell.min.x + 6.0, y),
                to_screen * pos2(cell.max.x - 6.0, y),
            ],
            Stroke::new(3.0, ACCENT),
        );
    }

    /// The y (map units) of the gap in a cell's stack where cards dropped
    /// at `y` go, leaving out the cards being moved.
    fn insertion_y(
        &self,
        layout: &Layout,
        (step, lane): (StepId, LaneId),
        cell: Rect,
        y: f32,
        ignore: &[CardId],
    ) -> f32 {
        let half_gap = self.theme.card_gap / 2.0;
        let slot = layout.slot_at(step, lane, y, ignore);
        let mut stack = layout
            .cards_in(step, lane)
            .filter(|c| !ignore.contains(&c.id));
        if let Some(below) = stack.nth(slot) {
            return below.rect.min.y - half_gap;
        }
        layout
            .cards_in(step, lane)
            .filter(|c| !ignore.contains(&c.id))
            .last()
            .map_or(cell.min.y + half_gap, |c| c.rect.max.y + half_gap)
    }

    /// Cards being moved: dimmed at their old place and drawn under the
    /// pointer, above everything else.
    fn dragged_cards(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
        painter: &Painter,
        pointer: Pos2,
    ) {
        let Some(Drag::Cards { ids, grab, grabbed }) = &view.drag else {
            return;
        };
        let to_screen = view.map_to_screen();
        let origin = layout.card(*grabbed).map_or(Pos2::ZERO, |c| c.rect.min);
        let delta = (to_screen.inverse() * pointer - *grab) - origin;
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
                let look = scene::CardLook {
                    lane: kind,
                    badges: b.badges,
                    text: &b.text,
                };
                ghosts.extend(scene::card_shapes(
                    card,
                    look,
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

    /// The emotion pen's stroke so far, in its persona's colour.
    fn sketch_stroke(&self, view: &ViewState, painter: &Painter) {
        let Some(Drag::Sketch { persona, stroke }) = &view.drag else {
            return;
        };
        let index = self
            .journey
            .personas
            .iter()
            .position(|p| p.id == *persona)
            .unwrap_or(0);
        let color = self.theme.persona_color(index);
        let to_screen = view.map_to_screen();
        let points: Vec<Pos2> = stroke.iter().map(|p| to_screen * *p).collect();
        painter.add(Shape::line(
            points,
            Stroke::new(3.0, color.gamma_multiply(0.7)),
        ));
    }

    /// A copy of the layout with the curve point being dragged at the
    /// pointer's score, for painting.
    pub(super) fn preview_layout(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
    ) -> Option<Layout> {
        let Some(Drag::CurvePoint { persona, step }) = &view.drag else {
            return None;
        };
        let pointer = ui.input(|i| i.pointer.interact_pos())?;
        let y = (view.map_to_screen().inverse() * pointer).y;
        let score = round_score(layout.score_at(y)?);
        let y = layout.score_y(score)?;
        let mut preview = layout.clone();
        let state = (layout.handled_curves())
            .find(|c| c.persona == *persona)
            .map(|c| c.state);
        for curve in
            (preview.curves.iter_mut()).filter(|c| c.persona == *persona && Some(c.state) == state)
        {
            for (s, p) in &mut curve.points {
                if s == step {
                    p.y = y;
                }
            }
        }
        Some(preview)
    }
}

/// A light outline around the hovered card.
fn hover_outlines(layout: &Layout, painter: &Painter, to_screen: TSTransform, hovered: &[Hit]) {
    for hit in hovered {
        if let Hit::Card(id) = hit
            && let Some(c) = layout.card(*id)
        {
            painter.rect_stroke(
                to_screen * c.rect.expand(1.0),
                6.0,
                Stroke::new(1.5, ACCENT.gamma_multiply(0.6)),
                StrokeKind::Outside,
            );
        }
    }
}

/// The area the emotion pen draws in, and its cursor over the canvas.
fn pen_plot(ui: &Ui, view: &ViewState, layout: &Layout, painter: &Painter) {
    let Some(plot) = layout.emotion_plot else {
        return;
    };
    let rect = Rect::from_x_y_ranges(Rangef::new(layout.label_x.max, layout.size.x), plot);
    painter.rect_stroke(
        view.map_to_screen() * rect,
        4.0,
        Stroke::new(1.5, ACCENT.gamma_multiply(0.5)),
        StrokeKind::Outside,
    );
    if ui.rect_contains_pointer(view.screen_rect) {
        ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
    }
}
