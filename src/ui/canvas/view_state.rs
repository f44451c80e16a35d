//! The canvas's view state: everything about how the map is shown that
//! is not part of the document (pan, zoom, selection, the tool, a drag in
//! progress, the in-place editor) and the layout cached per revision.
//! Nothing here is saved with the map or recorded in the undo history.
//! What a fit shows is remembered ([`FitTarget`]), so a resized canvas
//! shows the same thing again; presentation mode keeps the view it
//! replaced and gives it back unchanged.

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Vec2};

use super::fit::{self, FIT_MARGIN, Placement, StageFit};
use super::photos::PhotoTextures;
use super::{Item, Tool, ZOOM_RANGE};
use crate::model::{CardId, Journey, PersonaId, StageId, StepId};
use crate::view::frame::{ExportFrame, FrameParts};
use crate::view::layout::Layout;
use crate::view::scene::AssumptionFilter;
use crate::view::theme::Theme;

/// Space (map units) around the map and its header and legend in
/// presentation mode.
const PRESENT_MARGIN: f32 = 24.0;

/// What zoom to fit shows, and shows again when the canvas is resized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FitTarget {
    /// The whole map (in presentation mode, with its header and legend).
    #[default]
    Map,
    /// One stage, its columns filling the canvas's width.
    Stage(StageId),
}

impl FitTarget {
    /// The target Page Down (`forward`) or Page Up goes to from `self`:
    /// the stages in order, with the whole map before the first. Past the
    /// last stage it stays there.
    #[must_use]
    pub fn step(self, stages: &[StageId], forward: bool) -> Self {
        let current = match self {
            Self::Map => None,
            Self::Stage(id) => stages.iter().position(|s| *s == id),
        };
        let next = match (current, forward) {
            (None, true) => Some(0),
            (None | Some(0), false) => None,
            (Some(i), true) => Some((i + 1).min(stages.len().saturating_sub(1))),
            (Some(i), false) => Some(i - 1),
        };
        next.and_then(|i| stages.get(i))
            .map_or(Self::Map, |id| Self::Stage(*id))
    }
}

/// How the map was shown before presentation mode.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SavedView {
    placement: Placement,
    fitted: bool,
    fit_target: FitTarget,
}

/// Presentation mode: only the map, with its header and legend, fitted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Presenting {
    /// When it started (egui's input time, seconds), for the hint shown
    /// in its first seconds.
    pub since: f64,
    saved: SavedView,
}

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
    /// What a fit shows: the whole map or a stage.
    pub fit_target: FitTarget,
    /// Presentation mode, while it is on.
    pub presenting: Option<Presenting>,
    /// Card whose title is being edited in place, with the text so far.
    pub editing: Option<(CardId, String)>,
    /// The assumption filter: which cards are faded or outlined.
    pub assumptions: AssumptionFilter,
    /// Workshop mode's reveal, spotlight and dots, set by the app each frame.
    pub workshop: crate::view::scene::WorkshopScene,
    /// The day that decides which action items are overdue: set by the app
    /// each frame from its one clock, so the layout stays pure.
    pub today: crate::model::Date,
    /// What changed since another version of the map (File ▸ Compare
    /// with…), drawn over the map until closed.
    pub diff: Option<crate::view::scene::DiffOverlay>,
    /// The personas' photos, loaded for the scene's avatars.
    pub(super) photos: PhotoTextures,
    pub(super) drag: Option<Drag>,
    layout: Option<(u64, crate::model::Date, Arc<Layout>)>,
    /// The presentation's frame for a layout revision.
    frame: Option<(u64, Arc<ExportFrame>)>,
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
            fit_target: FitTarget::Map,
            presenting: None,
            editing: None,
            assumptions: AssumptionFilter::Off,
            diff: None,
            workshop: crate::view::scene::WorkshopScene::default(),
            photos: PhotoTextures::default(),
            drag: None,
            layout: None,
            today: crate::export::today(),
            frame: None,
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

    /// The layout for this journey revision and day, recomputed only when
    /// either changed (an action item left open past midnight turns overdue
    /// without an edit). Shared, so a frame holds it without copying
    /// thousands of card boxes.
    pub fn layout(&mut self, journey: &Journey, revision: u64, theme: &Theme) -> Arc<Layout> {
        let today = self.today;
        match &self.layout {
            Some((r, day, layout)) if *r == revision && *day == today => Arc::clone(layout),
            _ => {
                let layout = Arc::new(Layout::dated(journey, theme, Some(today)));
                self.layout = Some((revision, today, Arc::clone(&layout)));
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
        self.frame = None;
        self.photos.mark_stale();
    }

    /// After the journey was replaced during presentation mode: leaving it
    /// fits the new map instead of showing the old one's view.
    pub fn forget_saved_view(&mut self) {
        if let Some(presenting) = &mut self.presenting {
            presenting.saved.fitted = true;
            presenting.saved.fit_target = FitTarget::Map;
        }
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

    /// Shows `target` on the next frame, and again whenever the canvas is
    /// resized until the user pans or zooms.
    pub fn fit(&mut self, target: FitTarget) {
        self.fit_target = target;
        self.fit_pending = true;
    }

    /// Fits the whole map in the canvas, centred.
    pub fn zoom_to_fit(&mut self, map_size: Vec2) {
        let map = Rect::from_min_size(Pos2::ZERO, map_size);
        self.place(fit::fit(map, self.screen_rect.size(), FIT_MARGIN));
        self.fit_target = FitTarget::Map;
    }

    /// Applies the fit target to the canvas's current size: the map (with
    /// `frame` around it, in presentation mode) or a stage. A stage that is
    /// gone gives the whole map.
    pub(super) fn apply_fit(&mut self, layout: &Layout, frame: Option<&ExportFrame>) {
        let canvas = self.screen_rect.size();
        let stage = match self.fit_target {
            FitTarget::Stage(id) => layout.stages.iter().find(|s| s.id == id),
            FitTarget::Map => None,
        };
        let placement = if let Some(stage) = stage {
            let how = if self.presenting.is_some() {
                StageFit::Whole
            } else {
                StageFit::Width
            };
            fit::stage(stage.x, layout.label_x.span(), layout.size.y, canvas, how)
        } else {
            self.fit_target = FitTarget::Map;
            let target = frame.map_or(Rect::from_min_size(Pos2::ZERO, layout.size), |f| {
                Rect::from_min_size((-f.map_offset).to_pos2(), f.size)
            });
            let margin = if frame.is_some() { 0.0 } else { FIT_MARGIN };
            fit::fit(target, canvas, margin)
        };
        self.place(placement);
    }

    fn place(&mut self, placement: Placement) {
        self.zoom = placement.zoom;
        self.offset = placement.offset;
        self.fitted = true;
    }

    /// The header and legend drawn around the map in presentation mode,
    /// laid out once per revision.
    pub(super) fn export_frame(
        &mut self,
        journey: &Journey,
        revision: u64,
        layout: &Layout,
    ) -> Arc<ExportFrame> {
        match &self.frame {
            Some((r, frame)) if *r == revision => Arc::clone(frame),
            _ => {
                let parts = FrameParts {
                    header: true,
                    legend: true,
                };
                let frame = Arc::new(ExportFrame::new(journey, layout, PRESENT_MARGIN, parts));
                self.frame = Some((revision, Arc::clone(&frame)));
                frame
            }
        }
    }

    /// Starts presentation mode at `now` (seconds), keeping the current
    /// view to give back on leaving.
    pub fn start_presenting(&mut self, now: f64) {
        if self.presenting.is_some() {
            return;
        }
        let saved = SavedView {
            placement: Placement {
                zoom: self.zoom,
                offset: self.offset,
            },
            fitted: self.fitted,
            fit_target: self.fit_target,
        };
        self.presenting = Some(Presenting { since: now, saved });
        self.fit(FitTarget::Map);
    }

    /// Leaves presentation mode and shows the map exactly as before it.
    pub fn stop_presenting(&mut self) {
        let Some(Presenting { saved, .. }) = self.presenting.take() else {
            return;
        };
        self.zoom = saved.placement.zoom;
        self.offset = saved.placement.offset;
        self.fitted = saved.fitted;
        self.fit_target = saved.fit_target;
        self.fit_pending = false;
        self.frame = None;
    }
}

#[cfg(test)]
mod tests {
    use egui::{Rect, pos2, vec2};

    use super::{FitTarget, ViewState};
    use crate::model::StageId;

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

    #[test]
    fn page_down_and_up_step_through_the_stages_from_the_whole_map() {
        let stages = [StageId(1), StageId(2), StageId(3)];
        let mut target = FitTarget::Map;
        let mut seen = Vec::new();
        for _ in 0..4 {
            target = target.step(&stages, true);
            seen.push(target);
        }
        let stage = FitTarget::Stage;
        assert_eq!(
            seen,
            [
                stage(StageId(1)),
                stage(StageId(2)),
                stage(StageId(3)),
                stage(StageId(3))
            ]
        );
        for expected in [
            stage(StageId(2)),
            stage(StageId(1)),
            FitTarget::Map,
            FitTarget::Map,
        ] {
            target = target.step(&stages, false);
            assert_eq!(target, expected);
        }
        assert_eq!(FitTarget::Map.step(&[], true), FitTarget::Map);
        assert_eq!(stage(StageId(9)).step(&stages, true), stage(StageId(1)));
    }

    #[test]
    fn leaving_presentation_gives_back_the_view_exactly() {
        let mut view = ViewState {
            screen_rect: Rect::from_min_size(pos2(124.0, 24.0), vec2(990.0, 700.0)),
            zoom: 0.63,
            offset: vec2(-210.0, 35.5),
            fitted: false,
            fit_pending: false,
            ..ViewState::default()
        };
        view.start_presenting(3.0);
        assert!(view.fit_pending);
        view.zoom = 0.4;
        view.offset = vec2(5.0, 5.0);
        view.fit_target = FitTarget::Stage(StageId(4));
        view.stop_presenting();
        assert!(view.presenting.is_none());
        assert_eq!((view.zoom, view.offset), (0.63, vec2(-210.0, 35.5)));
        assert!(!view.fitted && !view.fit_pending);
        assert_eq!(view.fit_target, FitTarget::Map);
    }
}
