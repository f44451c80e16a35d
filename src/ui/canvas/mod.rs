//! The interactive map widget. It reads the journey and returns edits and
//! actions; it never changes the journey itself. It draws the scene (the
//! same shapes as export) and adds only interaction chrome on top.
//!
//! `mod.rs` is the widget (one frame: pan and zoom, items, background,
//! scene, chrome; in presentation mode the scene is framed like an export);
//! `view_state` holds pan, zoom, selection, drags and what a fit shows;
//! `fit` computes where a fit or a stage zoom puts the map; `photos` loads
//! the personas' photos the scene's avatars show;
//! `items` gives each item in view a response with an accessible label;
//! `background` handles the rest of the pointer; `chrome` paints
//! selection, drop highlights and handles. Everything is culled to what
//! is in view, so a frame's work follows the window, not the map's size.

mod background;
mod chrome;
pub mod fit;
mod items;
mod photos;
mod view_state;

use egui::emath::TSTransform;
use egui::{
    CursorIcon, Key, PointerButton, Pos2, Rect, Response, Role, Sense, Ui, Vec2, WidgetInfo, vec2,
};

use crate::edit::Edit;
pub use crate::edit::Item;
pub use crate::edit::commands::{insertion_index, pain_anchor};
use crate::model::{Channel, Journey};
use crate::ui::actions::Action;
use crate::view::frame::ExportFrame;
use crate::view::layout::Layout;
use crate::view::scene::{self, SceneOptions};
use crate::view::theme::Theme;

pub use background::sketch_points;
use view_state::Drag;
pub use view_state::{FitTarget, Presenting, ViewState};

/// Zoomed out, text is drawn at least this large (screen points) and wraps
/// or elides to fit, so a fitted map on a laptop or projector stays legible.
pub const MIN_CANVAS_TEXT: f32 = 9.0;

/// Smallest and largest zoom.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.1..=4.0;

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
        if let Some(diff) = &mut view.diff {
            diff.update(self.journey, self.revision);
        }
        let layout = view.layout(self.journey, self.revision, self.theme);
        let frame = view
            .presenting
            .is_some()
            .then(|| view.export_frame(self.journey, self.revision, &layout));
        if view.fit_pending || (view.fitted && resized) {
            view.apply_fit(&layout, frame.as_deref());
            view.fit_pending = false;
            // The status bar, drawn before the canvas, shows the new zoom
            // on the next frame.
            ui.ctx().request_repaint();
        }
        self.pan_and_zoom(ui, view, &background);
        let visible = view.map_to_screen().inverse() * rect;
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, self.theme.desk);

        // Items get their own responses (for accessibility labels and
        // per-item clicks); the background handles the rest.
        let hovered = if view.tool == Tool::Select {
            self.item_responses(ui, view, &layout, visible, &mut out)
        } else {
            Vec::new()
        };
        self.background_interaction(ui, view, &layout, &background, &mut out);
        self.palette_drop(ui, view, &layout, &mut out);

        let preview = self.preview_layout(ui, view, &layout);
        let layout_for_paint = preview.as_ref().unwrap_or(&layout);
        view.photos
            .update(ui.ctx(), &self.journey.personas, self.revision);
        self.paint_scene(ui, view, layout_for_paint, frame.as_deref(), &painter);
        self.chrome(ui, view, layout_for_paint, &painter, &hovered);
        self.title_editor(ui, view, &layout, &mut out);
        if let Some(presenting) = view.presenting {
            dim_other_stages(view, layout_for_paint, &painter);
            presentation_hint(ui, view.screen_rect, presenting.since);
        }
        out
    }

    /// The map's scene as it is in view, headers and labels pinned; in
    /// presentation mode with the export's header and legend around it.
    fn paint_scene(
        &self,
        ui: &Ui,
        view: &ViewState,
        layout: &Layout,
        frame: Option<&ExportFrame>,
        painter: &egui::Painter,
    ) {
        let to_screen = view.map_to_screen();
        // The picture's white paper, as in an exported image, and the
        // corner naming the map once the header is out of view.
        let mut header_shown = false;
        if let Some(frame) = frame {
            let frame_to_screen = to_screen * TSTransform::from_translation(-frame.map_offset);
            let paper = frame_to_screen * Rect::from_min_size(Pos2::ZERO, frame.size);
            painter.rect_filled(paper, 0.0, egui::Color32::WHITE);
            header_shown = frame
                .header
                .is_some_and(|h| (frame_to_screen * h).intersects(view.screen_rect));
        }
        let options = SceneOptions {
            map_to_screen: to_screen,
            clip: view.screen_rect,
            pin: pin(to_screen.inverse() * view.screen_rect),
            min_text_size: MIN_CANVAS_TEXT,
            corner_text: !header_shown,
            assumptions: view.assumptions,
            diff: view.diff.as_ref(),
            workshop: view.workshop,
        };
        let mut shapes = ui.fonts_mut(|fonts| match frame {
            Some(frame) => scene::build_framed(
                self.journey,
                layout,
                frame,
                self.theme,
                fonts,
                &options,
                None,
            ),
            None => scene::build(self.journey, layout, self.theme, fonts, &options),
        });
        view.photos.remap(&mut shapes);
        painter.extend(shapes);
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
}

/// Presenting a stage: the stages after it are faded, so the audience
/// knows which one is being talked about. (Those before it are under the
/// pinned lane labels.)
fn dim_other_stages(view: &ViewState, layout: &Layout, painter: &egui::Painter) {
    let FitTarget::Stage(id) = view.fit_target else {
        return;
    };
    let Some(stage) = layout.stages.iter().find(|s| s.id == id) else {
        return;
    };
    let after = Rect::from_min_max(egui::pos2(stage.x.max, 0.0), layout.size.to_pos2());
    painter.rect_filled(
        view.map_to_screen() * after,
        0.0,
        egui::Color32::from_white_alpha(150),
    );
}

/// How long (seconds) presentation mode shows how to leave it.
const PRESENTATION_HINT_SECONDS: f64 = 4.0;

/// In presentation mode's first seconds, how to move through it and leave.
fn presentation_hint(ui: &Ui, canvas: Rect, since: f64) {
    let left = PRESENTATION_HINT_SECONDS - (ui.input(|i| i.time) - since);
    if left <= 0.0 {
        return;
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_secs_f64(left));
    let painter = ui.painter_at(canvas);
    let galley = painter.layout_no_wrap(
        PRESENTATION_HINT.to_owned(),
        egui::FontId::proportional(16.0),
        egui::Color32::WHITE,
    );
    let pos = egui::pos2(
        canvas.center().x - galley.size().x / 2.0,
        canvas.max.y - galley.size().y - 28.0,
    );
    let back = Rect::from_min_size(pos, galley.size()).expand2(vec2(14.0, 8.0));
    painter.rect_filled(back, 8.0, egui::Color32::from_black_alpha(170));
    painter.galley(pos, galley, egui::Color32::WHITE);
}

/// What presentation mode's hint says.
pub const PRESENTATION_HINT: &str =
    "Page Down / Page Up: stages   ·   H: workshop bar   ·   F5 or Esc: leave";

/// How far (map units) the headers and labels are moved to stay in view
/// of `visible` (map units).
fn pin(visible: Rect) -> Vec2 {
    vec2(visible.min.x.max(0.0), visible.min.y.max(0.0))
}

/// A range moved by `by`.
fn shift(range: egui::Rangef, by: f32) -> egui::Rangef {
    egui::Rangef::new(range.min + by, range.max + by)
}

/// A context menu's buttons, each with its shortcut; a click queues the action.
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
