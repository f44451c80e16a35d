//! The visual diff drawn over the new map: added cards outlined solid,
//! changed ones dotted, removed ones as dashed ghosts in their old cell
//! (when it still exists), changed steps and pain points marked the same
//! way, and each persona's old curve dashed beside the new one.
//!
//! The three marks differ in colour (Okabe–Ito blue, vermillion and
//! reddish purple, told apart with the common colour-vision deficiencies)
//! and in line style, so a diff printed in greyscale still reads. The
//! canvas and the export draw the overlay through the same scene code.

use std::collections::HashMap;

use egui::{Align2, Color32, Pos2, Rect, Shape, Stroke, pos2, vec2};

use super::ScenePainter;
use crate::model::diff::{ChangeKind, DiffSubject, JourneyDiff, diff};
use crate::model::{Card, CardId, Journey};
use crate::view::layout::Layout;
use crate::view::theme::Theme;

/// One kind of mark the overlay draws, as the legend explains it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiffMark {
    /// Only in the new map: a solid outline.
    Added,
    /// Only in the old map: a dashed ghost.
    Removed,
    /// Different: a dotted outline.
    Changed,
    /// The old emotion curve, dashed.
    OldCurve,
}

impl DiffMark {
    /// Every mark, in legend order.
    pub const ALL: [Self; 4] = [Self::Added, Self::Changed, Self::Removed, Self::OldCurve];

    /// The mark's colour.
    pub fn color(self) -> Color32 {
        match self {
            Self::Added => Color32::from_rgb(0x00, 0x72, 0xB2),
            Self::Removed => Color32::from_rgb(0xD5, 0x5E, 0x00),
            Self::Changed => Color32::from_rgb(0xCC, 0x79, 0xA7),
            Self::OldCurve => Color32::from_rgb(0x55, 0x55, 0x55),
        }
    }

    /// What the legend says of it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "Added (solid)",
            Self::Removed => "Removed (dashed ghost)",
            Self::Changed => "Changed (dotted)",
            Self::OldCurve => "Old emotion curve (dashed)",
        }
    }

    /// Dash and gap lengths in map units; `None` for a solid line.
    pub fn dashes(self) -> Option<(f32, f32)> {
        match self {
            Self::Added => None,
            Self::Removed | Self::OldCurve => Some((8.0, 5.0)),
            Self::Changed => Some((3.0, 3.0)),
        }
    }

    fn of(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::Added => Self::Added,
            ChangeKind::Removed => Self::Removed,
            ChangeKind::Changed => Self::Changed,
        }
    }
}

/// What changed since another version of the map, ready to draw over the
/// new one. View state: never part of the document or its undo history.
#[derive(Clone, Debug)]
pub struct DiffOverlay {
    /// The version compared with.
    pub old: Journey,
    /// What changed from it to the map shown.
    pub diff: JourneyDiff,
    /// What the old version is called ("HEAD", a file name).
    pub name: String,
    kinds: HashMap<DiffSubject, ChangeKind>,
    /// The document revision `diff` was computed for.
    revision: Option<u64>,
}

impl DiffOverlay {
    /// The changes from `old` to `new`.
    pub fn new(old: Journey, new: &Journey, name: impl Into<String>) -> Self {
        let mut overlay = Self {
            old,
            diff: JourneyDiff::default(),
            name: name.into(),
            kinds: HashMap::new(),
            revision: None,
        };
        overlay.recompute(new);
        overlay
    }

    /// Recomputes the diff when the map shown has changed since.
    pub fn update(&mut self, new: &Journey, revision: u64) {
        if self.revision != Some(revision) {
            self.recompute(new);
            self.revision = Some(revision);
        }
    }

    fn recompute(&mut self, new: &Journey) {
        self.diff = diff(&self.old, new);
        self.kinds = (self.diff.changes.iter())
            .map(|c| (c.subject.clone(), c.kind))
            .collect();
    }

    /// How a subject changed, if it did.
    pub fn kind_of(&self, subject: &DiffSubject) -> Option<ChangeKind> {
        self.kinds.get(subject).copied()
    }

    /// How a card of the new map is marked: added, or changed (itself or
    /// its action item).
    pub fn card_mark(&self, id: CardId) -> Option<DiffMark> {
        match self.kind_of(&DiffSubject::Card(id)) {
            Some(ChangeKind::Added) => Some(DiffMark::Added),
            Some(_) => Some(DiffMark::Changed),
            None => self
                .kind_of(&DiffSubject::Plan(id))
                .map(|_| DiffMark::Changed),
        }
    }

    /// The removed cards, split into those drawn as ghosts (their cell is
    /// still in `new`) and those left out.
    pub fn ghosts<'o>(&'o self, new: &Journey) -> (Vec<&'o Card>, Vec<&'o Card>) {
        (self.old.cards.iter())
            .filter(|c| self.kind_of(&DiffSubject::Card(c.id)) == Some(ChangeKind::Removed))
            .partition(|c| new.step(c.step).is_some() && new.lane(c.lane).is_some())
    }

    /// Lines for the summary naming the removed cards the picture leaves
    /// out, because their step or lane is gone.
    pub fn omitted_notes(&self, new: &Journey) -> Vec<String> {
        let (_, omitted) = self.ghosts(new);
        (omitted.iter())
            .map(|c| {
                format!(
                    "note: removed card {} is not drawn: its step or lane is gone",
                    crate::model::diff::quoted(&c.title)
                )
            })
            .collect()
    }
}

/// Height of a ghost card: one row of title.
const GHOST_HEIGHT: f32 = 26.0;
/// How far an outline stands off the card it marks.
const OUTLINE_OFFSET: f32 = 3.0;
/// Width of an outline.
const OUTLINE_WIDTH: f32 = 2.5;

impl ScenePainter<'_, '_> {
    /// The overlay over the map drawn so far.
    pub(super) fn diff_overlay(
        &mut self,
        journey: &Journey,
        overlay: &DiffOverlay,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        self.old_curves(overlay, layout, theme, visible);
        for card_box in layout.cards_in_view(visible) {
            if let Some(mark) = overlay.card_mark(card_box.id) {
                self.outline(card_box.rect.expand(OUTLINE_OFFSET), mark);
            }
        }
        self.ghost_cards(journey, overlay, layout, theme, visible);
    }

    /// The marks on what is drawn over the cards: step headers (pinned
    /// `pin_y` down, like the headers) and pain markers.
    pub(super) fn diff_marks(
        &mut self,
        overlay: &DiffOverlay,
        layout: &Layout,
        theme: &Theme,
        (visible, pin_y): (Rect, f32),
    ) {
        let header = super::shift(layout.step_header, pin_y);
        for column in layout.columns_in(visible.x_range()) {
            if let Some(kind) = overlay.kind_of(&DiffSubject::Step(column.step)) {
                let rect = Rect::from_x_y_ranges(column.x, header).shrink(3.0);
                self.outline(rect, DiffMark::of(kind));
            }
        }
        for marker in layout.pains_in(visible.x_range()) {
            if let Some(kind) = overlay.kind_of(&DiffSubject::Pain(marker.id)) {
                let r = theme.pain_radius + OUTLINE_OFFSET + 1.0;
                let rect = Rect::from_center_size(marker.center, vec2(r, r) * 2.0);
                self.outline(rect, DiffMark::of(kind));
            }
        }
    }

    /// A rectangle's outline in the mark's colour and line style.
    pub(super) fn outline(&mut self, rect: Rect, mark: DiffMark) {
        let path = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        self.mark_line(&path, mark, OUTLINE_WIDTH);
    }

    /// A polyline (map units) in the mark's colour and line style.
    fn mark_line(&mut self, path: &[Pos2], mark: DiffMark, width: f32) {
        let screen: Vec<Pos2> = path.iter().map(|p| self.to_screen * *p).collect();
        let bounds = Rect::from_points(&screen).expand(width * self.scale());
        if !bounds.intersects(self.clip) {
            return;
        }
        let stroke = Stroke::new(width * self.scale(), mark.color());
        match mark.dashes() {
            None => self.shapes.push(Shape::line(screen, stroke)),
            Some((dash, gap)) => self.shapes.extend(Shape::dashed_line(
                &screen,
                stroke,
                dash * self.scale(),
                gap * self.scale(),
            )),
        }
    }

    /// Each persona's old curve, dashed, where it differs from the new.
    fn old_curves(&mut self, overlay: &DiffOverlay, layout: &Layout, theme: &Theme, visible: Rect) {
        let Some(plot) = layout.emotion_plot else {
            return;
        };
        if !plot.intersects(visible.y_range()) {
            return;
        }
        let current = crate::model::CurveState::Current;
        for curve in overlay.old.curves.iter().filter(|c| c.state == current) {
            let changed = (overlay.diff.changes.iter()).any(
                |c| matches!(c.subject, DiffSubject::Score(p, s, _) if p == curve.persona && s == current),
            );
            if !changed {
                continue;
            }
            // Old scores at the steps the new map still has, in its order.
            let points: Vec<(crate::model::StepId, Pos2)> = (layout.columns.iter())
                .filter_map(|col| {
                    let score = curve.points.get(&col.step)?;
                    Some((col.step, pos2(col.x.center(), layout.score_y(*score)?)))
                })
                .collect();
            let line = super::curve::visible_line(&points, visible.x_range().expand(40.0));
            if line.len() < 2 {
                continue;
            }
            let index = (overlay.old.personas.iter())
                .position(|p| p.id == curve.persona)
                .unwrap_or(0);
            let color = theme.persona_color(index).gamma_multiply(0.85);
            let screen: Vec<Pos2> = line.iter().map(|p| self.to_screen * *p).collect();
            let stroke = Stroke::new(2.0 * self.scale(), color);
            let (dash, gap) = DiffMark::OldCurve.dashes().unwrap_or((8.0, 5.0));
            self.shapes.extend(Shape::dashed_line(
                &screen,
                stroke,
                dash * self.scale(),
                gap * self.scale(),
            ));
        }
    }

    /// Removed cards as faint ghosts at the bottom of their old cell.
    fn ghost_cards(
        &mut self,
        journey: &Journey,
        overlay: &DiffOverlay,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
    ) {
        let (ghosts, _) = overlay.ghosts(journey);
        let mut stacked: HashMap<_, usize> = HashMap::new();
        for card in ghosts {
            let Some(cell) = layout.cell_rect(card.step, card.lane) else {
                continue;
            };
            let below = stacked.entry((card.step, card.lane)).or_insert(0);
            let bottom = cell.max.y - theme.card_gap / 2.0 - *below as f32 * (GHOST_HEIGHT + 4.0);
            *below += 1;
            let rect = Rect::from_min_max(
                pos2(cell.min.x + theme.card_gap, bottom - GHOST_HEIGHT),
                pos2(cell.max.x - theme.card_gap, bottom),
            );
            if !rect.intersects(visible) {
                continue;
            }
            self.ghost(card, rect, theme);
        }
    }

    fn ghost(&mut self, card: &Card, rect: Rect, theme: &Theme) {
        let color = DiffMark::Removed.color();
        self.rect(rect, 4.0, Color32::from_white_alpha(215), Stroke::NONE);
        self.outline(rect, DiffMark::Removed);
        let font = theme.small_font(1.0);
        let left = rect.min.x + 8.0;
        let width = rect.width() - 16.0;
        self.text(
            pos2(left, rect.center().y),
            Align2::LEFT_CENTER,
            &card.title,
            &font,
            color,
            width,
            1,
        );
        // Struck through, so it reads as gone in greyscale too.
        let measured = crate::view::measure::width(&card.title, &font).min(width);
        let y = rect.center().y;
        self.line(
            pos2(left, y),
            pos2(left + measured, y),
            Stroke::new(1.2, color),
        );
    }

    /// A mark's sample in the legend, then its label.
    pub(super) fn legend_diff(&mut self, mark: DiffMark, rect: Rect, theme: &Theme) {
        let mid = rect.center().y;
        let sample = Rect::from_min_size(pos2(rect.min.x + 1.0, mid - 7.0), vec2(26.0, 14.0));
        match mark {
            DiffMark::OldCurve => {
                // In the first persona's colour, as the old curves are
                // drawn in their persona's.
                let line = [
                    self.to_screen * pos2(sample.min.x, mid),
                    self.to_screen * pos2(sample.max.x, mid),
                ];
                let stroke = Stroke::new(2.0 * self.scale(), theme.persona_color(0));
                let (dash, gap) = mark.dashes().unwrap_or((8.0, 5.0));
                let scale = self.scale();
                self.shapes
                    .extend(Shape::dashed_line(&line, stroke, dash * scale, gap * scale));
            }
            _ => self.outline(sample, mark),
        }
        self.text(
            pos2(rect.min.x + crate::view::frame::LEGEND_PERSONA_INDENT, mid),
            Align2::LEFT_CENTER,
            mark.label(),
            &theme.small_font(1.0),
            theme.text,
            rect.width() * 1.5,
            1,
        );
    }
}
