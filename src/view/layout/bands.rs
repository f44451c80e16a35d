//! The rows of strategy data above the lanes: the goals band (each stage's
//! customer and business goal) and the KPI row (each stage's measures),
//! and the total cost of each stage's resources in the Resources lane.
//!
//! The bands sit under the step header and scroll with the lanes: pinned
//! with the headers they would take a third of a laptop's screen. Each
//! band is as tall as its tallest stage's text, measured like a card's,
//! so nothing is cut; a stage's cell spans its steps.

use std::sync::Arc;

use egui::{Rangef, Rect};

use super::Layout;
use crate::model::{Journey, Kpi, LaneKind, StageId};
use crate::view::blocks::{money_text, short_date};
use crate::view::measure::{Wrapped, row_height, wrap};
use crate::view::theme::{Theme, semibold};

/// Space around a band cell's text.
pub const BAND_PAD: f32 = 10.0;
/// Space between blocks of a band cell.
pub const BAND_GAP: f32 = 6.0;
/// Width of a KPI's on/off-target mark and the space after it.
pub const KPI_MARK_ROOM: f32 = 22.0;
/// Characters of a goal or KPI text shown at most.
const MAX_BAND_CHARS: usize = 600;

/// A label in small semibold type over its text: "Customer goal" over
/// the goal.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledText {
    /// The label's words.
    pub label: &'static str,
    /// The text, wrapped.
    pub text: Arc<Wrapped>,
    /// Where the label starts below the block's top.
    pub top: f32,
    /// The width the text was wrapped to.
    pub width: f32,
}

impl LabelledText {
    /// `text` under `label`, wrapped to `width`, starting `top` down.
    pub fn new(label: &'static str, text: &str, width: f32, top: f32, theme: &Theme) -> Self {
        Self {
            label,
            text: wrap(&limit(text), &theme.small_font(1.0), width),
            top,
            width,
        }
    }

    /// Where the text starts below the block's top.
    pub fn text_top(&self, theme: &Theme) -> f32 {
        self.top + row_height(&label_font(theme))
    }

    /// Where the block ends below the block's top.
    pub fn bottom(&self, theme: &Theme) -> f32 {
        self.text_top(theme) + self.text.height()
    }
}

/// The font of band and persona labels.
pub fn label_font(theme: &Theme) -> egui::FontId {
    egui::FontId::new(theme.small_font(1.0).size, semibold())
}

/// One stage's cell in a band.
#[derive(Clone, Debug, PartialEq)]
pub struct BandCell<T> {
    /// The stage.
    pub stage: StageId,
    /// Its steps' extent.
    pub x: Rangef,
    /// What it shows.
    pub content: T,
}

/// A row spanning the stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Band<T> {
    /// Top and bottom edge.
    pub y: Rangef,
    /// One cell per stage, left to right.
    pub cells: Vec<BandCell<T>>,
}

impl<T> Band<T> {
    /// The rectangle of a cell.
    pub fn rect(&self, cell: &BandCell<T>) -> Rect {
        Rect::from_x_y_ranges(cell.x, self.y)
    }

    /// The cells reaching into `visible`, with their rectangles.
    pub fn cells_in(&self, visible: Rect) -> impl Iterator<Item = (Rect, &BandCell<T>)> {
        let shown = self.y.intersects(visible.y_range());
        (self.cells.iter())
            .filter(move |_| shown)
            .map(|cell| (self.rect(cell), cell))
            .filter(move |(rect, _)| rect.intersects(visible))
    }

    /// The cell under an x coordinate.
    pub fn cell_at(&self, x: f32) -> Option<&BandCell<T>> {
        self.cells.iter().find(|c| c.x.contains(x))
    }
}

/// One KPI as its cell shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiText {
    /// Its name.
    pub name: Arc<Wrapped>,
    /// "42% · target 50%".
    pub figures: Arc<Wrapped>,
    /// "measured 3 Nov 2026", when it has a date.
    pub measured: Option<Arc<Wrapped>>,
    /// Whether it meets its target; `None` without a value or a target.
    pub on_target: Option<bool>,
    /// Where its name starts below the cell's top.
    pub top: f32,
    /// Its name and figures on one line, for a view too far out for the
    /// measured rows: "NPS 42 · target 40".
    pub summary: String,
}

/// The total cost of a stage's resources, at the bottom of the Resources lane.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceTotal {
    /// The stage.
    pub stage: StageId,
    /// Where the line is drawn: the stage's steps, at the lane's bottom.
    pub rect: Rect,
    /// "Total €2400".
    pub text: Arc<Wrapped>,
}

/// The goal band's words for its two goals.
pub const CUSTOMER_GOAL: &str = "Customer goal";
/// See [`CUSTOMER_GOAL`].
pub const BUSINESS_GOAL: &str = "Business goal";

impl Layout {
    /// The goals band and the KPI row from `top` down, each when the map
    /// has something to show in it. Returns where the lanes start.
    pub(super) fn place_bands(&mut self, journey: &Journey, theme: &Theme, top: f32) -> f32 {
        let mut y = top;
        if !journey.hide_goals && journey.stages.iter().any(crate::model::Stage::has_goals) {
            let cells = self.band_cells(journey, |stage, width| {
                let mut blocks = Vec::new();
                let mut at = BAND_PAD;
                for (label, goal) in [
                    (CUSTOMER_GOAL, &stage.customer_goal),
                    (BUSINESS_GOAL, &stage.business_goal),
                ] {
                    if !goal.trim().is_empty() {
                        let block = LabelledText::new(label, goal.trim(), width, at, theme);
                        at = block.bottom(theme) + BAND_GAP;
                        blocks.push(block);
                    }
                }
                blocks
            });
            let height = cells
                .iter()
                .filter_map(|c| c.content.last().map(|b| b.bottom(theme)))
                .fold(0.0, f32::max);
            let band = Band {
                y: Rangef::new(y, y + (height + BAND_PAD).ceil()),
                cells,
            };
            y = band.y.max;
            self.goals = Some(band);
        }
        if journey.stages.iter().any(|s| !s.kpis.is_empty()) {
            let cells =
                self.band_cells(journey, |stage, width| kpi_texts(&stage.kpis, width, theme));
            let height = cells
                .iter()
                .filter_map(|c| c.content.last().map(kpi_bottom))
                .fold(0.0, f32::max);
            let band = Band {
                y: Rangef::new(y, y + (height + BAND_PAD).ceil()),
                cells,
            };
            y = band.y.max;
            self.kpis = Some(band);
        }
        y
    }

    /// One cell per stage, its content made for the stage's inner width.
    fn band_cells<T>(
        &self,
        journey: &Journey,
        content: impl Fn(&crate::model::Stage, f32) -> T,
    ) -> Vec<BandCell<T>> {
        (journey.stages.iter().zip(&self.stages))
            .map(|(stage, stage_box)| BandCell {
                stage: stage.id,
                x: stage_box.x,
                content: content(stage, (stage_box.x.span() - 2.0 * BAND_PAD).max(24.0)),
            })
            .collect()
    }

    /// The height the Resources lane needs under its cards for the total
    /// line, if the map has totals to show there.
    pub(super) fn total_room(journey: &Journey, theme: &Theme) -> Option<f32> {
        let has_lane = journey.lanes.iter().any(|l| l.kind == LaneKind::Resources);
        let any = journey
            .stages
            .iter()
            .any(|s| journey.resource_total(s).is_some());
        (has_lane && any).then(|| (row_height(&label_font(theme)) + 2.0 * BAND_GAP).ceil())
    }

    /// Each stage's resource total at the bottom of the (first) Resources
    /// lane, below its cards (the lane made room for it).
    pub(super) fn place_totals(&mut self, journey: &Journey, theme: &Theme) {
        let Some(lane) = self.lanes.iter().find(|l| l.kind == LaneKind::Resources) else {
            return;
        };
        let Some(room) = Self::total_room(journey, theme) else {
            return;
        };
        let y = Rangef::new(lane.y.max - room, lane.y.max);
        self.resource_totals = (journey.stages.iter().zip(&self.stages))
            .filter_map(|(stage, stage_box)| {
                let total = journey.resource_total(stage)?;
                let x = Rangef::new(
                    stage_box.x.min + theme.card_gap,
                    stage_box.x.max - theme.card_gap,
                );
                let text = format!("Total {}", money_text(total, &journey.currency));
                Some(ResourceTotal {
                    stage: stage.id,
                    rect: Rect::from_x_y_ranges(x, y),
                    text: wrap(&text, &label_font(theme), f32::INFINITY),
                })
            })
            .collect();
    }
}

/// The KPIs of a stage, one under the other, wrapped to `width`.
fn kpi_texts(kpis: &[Kpi], width: f32, theme: &Theme) -> Vec<KpiText> {
    let small = theme.small_font(1.0);
    let text_width = (width - KPI_MARK_ROOM).max(24.0);
    let mut top = BAND_PAD;
    kpis.iter()
        .map(|kpi| {
            let name = if kpi.name.trim().is_empty() {
                "KPI"
            } else {
                kpi.name.trim()
            };
            let figures = format!("{}  ·  target {}", kpi.value_text(), kpi.target_text());
            let text = KpiText {
                name: wrap(&limit(name), &label_font(theme), text_width),
                figures: wrap(&figures, &small, text_width),
                measured: kpi
                    .measured
                    .map(|d| wrap(&format!("measured {}", short_date(d)), &small, text_width)),
                on_target: kpi.on_target(),
                top,
                summary: format!("{name} {figures}"),
            };
            top = kpi_bottom(&text) + BAND_GAP;
            text
        })
        .collect()
}

/// Where a KPI's text ends below its cell's top.
pub fn kpi_bottom(kpi: &KpiText) -> f32 {
    kpi.top
        + kpi.name.height()
        + kpi.figures.height()
        + kpi.measured.as_ref().map_or(0.0, |m| m.height())
}

/// `text` cut to what a band shows, ending in "…" when cut.
fn limit(text: &str) -> String {
    match text.char_indices().nth(MAX_BAND_CHARS) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text).trim_end()),
        None => text.to_owned(),
    }
}
