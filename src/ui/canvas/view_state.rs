//! The canvas's view state: everything about how the map is shown that
//! is not part of the document (pan, zoom, selection, the tool, a drag in
//! progress, the in-place editor) and the layout cached per revision.
//! Nothing here is saved with the map or recorded in the undo history.

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Vec2, vec2};

use super::{Item, Tool, ZOOM_RANGE};
use crate::model::{CardId, Journey, PersonaId, StepId};
use crate::view::layout::Layout;
use crate::view::theme::Theme;

/// A pointer drag in progress on the canvas.
#[derive(Clone, Debug)]
pub(super) enum Drag {
    /// Cards being moved; they land where the pointer is released.
    Cards {
        ids: Vec<CardId>,
        /// Pointer minus the grabbed card's top-left corner, in map units.
        grab: Vec2,
        grabbed: CardId,
    },
    /// A curve point dragged up or down.
    CurvePoint { persona: PersonaId, step: StepId },
    /// A freehand stroke of the emotion pen, in map units.
    Sketch {
        persona: PersonaId,
        stroke: Vec<Pos2>,
    },
    /// A selection rectangle from `start` (map units).
    RubberBand { start: Pos2, additive: bool },
    /// The map being panned.
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
    pub(super) drag: Option<Drag>,
    layout: Option<(u64, Arc<Layout>)>,
    /// Canvas rectangle on screen in the last frame.
    pub screen_rect: Rect,
    pub(super) focus_editor: bool,
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

#[cfg(test)]
mod tests {
    use egui::{Rect, pos2, vec2};

    use super::ViewState;

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
