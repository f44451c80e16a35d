//! The map's paper: the background, the lane stripes, the grid lines
//! between columns and lanes, and the emotion lane's score guides.

use egui::{Rect, Stroke, pos2};

use super::ScenePainter;
use crate::view::layout::Layout;
use crate::view::theme::Theme;

impl ScenePainter<'_, '_> {
    /// The map's paper, except under the lane stripes [`Self::grid`] paints
    /// over it: in an export those are a fifth of the pixels, each painted
    /// twice. The pieces and the stripes meet at the same coordinates,
    /// which epaint rounds to the same pixel edges, so no seam shows.
    pub(super) fn background(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let map = layout.map_rect();
        let grid_x = Self::grid_x(layout);
        let labels = Rect::from_x_y_ranges(map.min.x..=grid_x.min, map.y_range());
        let mut pieces = vec![labels];
        let mut top = map.min.y;
        for stripe in Self::striped_lanes(layout) {
            pieces.push(Rect::from_x_y_ranges(grid_x, top..=stripe.min));
            top = top.max(stripe.max);
        }
        pieces.push(Rect::from_x_y_ranges(grid_x, top..=map.max.y));
        for piece in pieces {
            let piece = piece.intersect(visible.expand(2.0));
            if piece.is_positive() {
                self.rect(piece, 0.0, theme.background, Stroke::NONE);
            }
        }
    }

    /// Where the grid and the lane stripes run: right of the lane labels.
    fn grid_x(layout: &Layout) -> egui::Rangef {
        egui::Rangef::new(layout.label_x.max, layout.size.x)
    }

    /// The lanes painted with a stripe: every other one, top to bottom.
    fn striped_lanes(layout: &Layout) -> impl Iterator<Item = egui::Rangef> + '_ {
        layout.lanes.iter().skip(1).step_by(2).map(|lane| lane.y)
    }

    /// The paper under a lane: the lane stripe's colour or the map's.
    pub(super) fn lane_paper(layout: &Layout, lane: usize, theme: &Theme) -> egui::Color32 {
        if lane % 2 == 1 && lane < layout.lanes.len() {
            theme.lane_stripe
        } else {
            theme.background
        }
    }

    /// The lane stripes in view.
    pub(super) fn stripes(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let grid_x = Self::grid_x(layout);
        for stripe in Self::striped_lanes(layout) {
            if stripe.intersects(visible.y_range()) {
                let rect = Rect::from_x_y_ranges(grid_x, stripe);
                self.rect(
                    rect.intersect(visible.expand(2.0)),
                    0.0,
                    theme.lane_stripe,
                    Stroke::NONE,
                );
            }
        }
    }

    /// The lines between columns (thicker between stages) and between
    /// lanes, over the stripes and the emotion lane's band.
    pub(super) fn grid_lines(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let lanes_y = layout.lanes_y();
        let grid_x = Self::grid_x(layout);
        let thin = Stroke::new(1.0, theme.grid);
        let thick = Stroke::new(2.0, theme.grid.gamma_multiply(0.85));
        let y0 = lanes_y.min.max(visible.min.y - 2.0);
        let y1 = lanes_y.max.min(visible.max.y + 2.0);
        let mut previous_stage = None;
        for column in layout.columns_in(visible.x_range()) {
            let stroke = if previous_stage.is_some_and(|s| s != column.stage) {
                thick
            } else {
                thin
            };
            previous_stage = Some(column.stage);
            self.line(pos2(column.x.min, y0), pos2(column.x.min, y1), stroke);
        }
        let x0 = grid_x.min.max(visible.min.x - 2.0);
        let x1 = grid_x.max.min(visible.max.x + 2.0);
        for lane in &layout.lanes {
            if visible.y_range().contains(lane.y.max) {
                self.line(pos2(x0, lane.y.max), pos2(x1, lane.y.max), thin);
            }
        }
    }

    /// Lines across the emotion lane at each whole score.
    pub(super) fn emotion_guides(&mut self, layout: &Layout, theme: &Theme, visible: Rect) {
        let Some(plot) = layout.emotion_plot else {
            return;
        };
        if !plot.intersects(visible.y_range()) {
            return;
        }
        let x0 = layout.label_x.max.max(visible.min.x - 2.0);
        let x1 = layout.size.x.min(visible.max.x + 2.0);
        for score in [-2.0f32, -1.0, 0.0, 1.0, 2.0] {
            let Some(y) = layout.score_y(score) else {
                continue;
            };
            let color = if score == 0.0 {
                theme.grid
            } else {
                theme.grid.gamma_multiply(0.55)
            };
            self.line(pos2(x0, y), pos2(x1, y), Stroke::new(1.0, color));
        }
    }
}

#[cfg(test)]
mod tests {
    use egui::{Color32, Rect, Shape};

    use crate::view::scene::test_support::whole_scene;

    /// The paper is not painted under the lane stripes, and the two
    /// together still cover the whole map, once.
    #[test]
    fn paper_and_stripes_tile_the_map() {
        let journey = crate::model::templates::Template::FourStage.build("Paper");
        let (theme, layout, shapes) = whole_scene(&journey);
        assert!(layout.lanes.len() >= 3, "stripes between plain lanes");
        let rects = |color: Color32| -> Vec<Rect> {
            shapes
                .iter()
                .filter_map(|shape| match shape {
                    Shape::Rect(r) if r.fill == color => Some(r.rect),
                    _ => None,
                })
                .collect()
        };
        let (paper, stripes) = (rects(theme.background), rects(theme.lane_stripe));
        assert_eq!(stripes.len(), layout.lanes.len() / 2);
        let all: Vec<Rect> = paper.iter().chain(&stripes).copied().collect();
        for (i, a) in all.iter().enumerate() {
            for b in all.iter().skip(i + 1) {
                let overlap = a.intersect(*b);
                assert!(!overlap.is_positive(), "{a:?} and {b:?} overlap");
            }
        }
        let area: f32 = all.iter().map(Rect::area).sum();
        let map = layout.map_rect().area();
        assert!((area - map).abs() < 1.0, "{area} of {map} covered");
    }
}
