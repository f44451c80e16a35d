//! The parts of the map that stay in view while it is panned: the stage
//! and step header rows, the lane labels and the corner above them.

use egui::{Align2, Rangef, Rect, Stroke, pos2, vec2};

use super::{SceneOptions, ScenePainter, format_score, shift};
use crate::model::{Journey, LaneKind};
use crate::view::layout::{Column, LaneBox, Layout, STAGE_LABEL_PADDING};
use crate::view::measure::{self, Wrapped, wrap};
use crate::view::theme::{Theme, lane_color};

impl ScenePainter<'_, '_> {
    /// The stage and step header rows in view, `pin_y` map units down.
    pub(super) fn headers(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        pin_y: f32,
    ) {
        let stage_y = shift(layout.stage_header, pin_y);
        let step_y = shift(layout.step_header, pin_y);
        // Export bands below the header rows skip them whole.
        if !Rangef::new(stage_y.min, step_y.max).intersects(visible.y_range()) {
            return;
        }
        for stage_box in layout.stages_in(visible.x_range()) {
            if let Some(stage) = journey.stage(stage_box.id) {
                let rect = Rect::from_x_y_ranges(stage_box.x, stage_y);
                // Keep a wide stage's name in view while its start is scrolled off.
                let name_min = visible.min.x + layout.label_x.span() + 12.0;
                self.stage_header(&stage.name, stage_box.index, rect, name_min, theme);
            }
        }
        for column in layout.columns_in(visible.x_range()) {
            let rect = Rect::from_x_y_ranges(column.x, step_y);
            let name = journey
                .step(column.step)
                .map(|(_, s)| s.name.as_str())
                .unwrap_or_default();
            self.step_header(name, column, rect, theme);
        }
    }

    /// A stage's header in its colour, with its name starting at
    /// `name_min` if the stage starts further left.
    fn stage_header(&mut self, name: &str, index: usize, rect: Rect, name_min: f32, theme: &Theme) {
        self.rect(rect, 0.0, theme.stage_color(index), Stroke::NONE);
        self.line(
            rect.left_top(),
            rect.left_bottom(),
            Stroke::new(2.0, theme.background),
        );
        let font = theme.stage_font(1.0);
        let room = rect.width() - 2.0 * STAGE_LABEL_PADDING;
        let rows = wrap(name, &font, room);
        let left = (rect.min.x + STAGE_LABEL_PADDING)
            .max(name_min)
            .min(rect.max.x - STAGE_LABEL_PADDING - rows.width)
            .max(rect.min.x + STAGE_LABEL_PADDING);
        if self.enlarged(&font) {
            self.text(
                pos2(left, rect.center().y),
                Align2::LEFT_CENTER,
                name,
                &font,
                theme.text,
                rect.max.x - left - 8.0,
                1,
            );
            return;
        }
        let top = rect.center().y - rows.height() / 2.0;
        self.rows(pos2(left, top), &rows, &font, theme.text);
    }

    /// A step's header cell with its name.
    fn step_header(&mut self, name: &str, column: &Column, rect: Rect, theme: &Theme) {
        self.rect(rect, 0.0, theme.step_header_fill, Stroke::NONE);
        self.line(
            rect.left_top(),
            rect.left_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        self.line(
            rect.left_bottom(),
            rect.right_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        self.step_name(name, column, rect, theme);
    }

    /// A step's name wrapped to the room left of the step's pain badges,
    /// each row centred in that room, the rows centred in the header.
    /// Zoomed out so far that text is enlarged, what fits on two rows.
    fn step_name(&mut self, name: &str, column: &Column, rect: Rect, theme: &Theme) {
        let font = theme.label_font(1.0);
        let room = column.label_x;
        if self.enlarged(&font) {
            self.text(
                pos2(room.center(), rect.center().y),
                Align2::CENTER_CENTER,
                name,
                &font,
                theme.text_muted,
                room.span(),
                2,
            );
            return;
        }
        let rows = wrap(name, &font, room.span());
        let top = rect.center().y - rows.height() / 2.0;
        for (i, row) in rows.rows.iter().enumerate() {
            let single = Wrapped {
                rows: vec![row.clone()],
                row_height: rows.row_height,
                width: measure::width(row.trim_end(), &font),
            };
            let left = room.center() - single.width / 2.0;
            let y = top + i as f32 * rows.row_height;
            self.rows(pos2(left, y), &single, &font, theme.text_muted);
        }
    }

    /// The lane labels in view, the corner above them, and the column's
    /// edge, `options.pin` map units right (and the corner down).
    pub(super) fn lane_labels(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        theme: &Theme,
        visible: Rect,
        options: &SceneOptions,
    ) {
        let x = shift(layout.label_x, options.pin.x);
        for lane_box in &layout.lanes {
            if lane_box.y.intersects(visible.y_range()) {
                let rect = Rect::from_x_y_ranges(x, lane_box.y);
                self.lane_label(journey, layout, lane_box, rect, theme);
            }
        }
        let corner = Rect::from_x_y_ranges(
            x,
            shift(
                Rangef::new(layout.stage_header.min, layout.step_header.max),
                options.pin.y,
            ),
        );
        self.map_corner(journey, corner, options.corner_text, theme);
        // The column edge stays visible over pinned labels.
        self.line(
            pos2(x.max, layout.lanes_y().min),
            pos2(x.max, layout.size.y),
            Stroke::new(1.0, theme.grid),
        );
    }

    /// A lane's label: its kind's colour, its name, and for the emotion
    /// lane the scores of its guides.
    fn lane_label(
        &mut self,
        journey: &Journey,
        layout: &Layout,
        lane_box: &LaneBox,
        rect: Rect,
        theme: &Theme,
    ) {
        self.rect(rect, 0.0, theme.label_background, Stroke::NONE);
        self.line(
            rect.left_bottom(),
            rect.right_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        let name = journey
            .lane(lane_box.id)
            .map(|l| l.name.as_str())
            .unwrap_or_default();
        let strip = Rect::from_min_size(rect.min, vec2(4.0, rect.height()));
        self.rect(strip, 0.0, lane_color(lane_box.kind), Stroke::NONE);
        self.text_fitting_words(
            pos2(rect.min.x + 11.0, rect.min.y + 8.0),
            Align2::LEFT_TOP,
            name,
            &theme.label_font(1.0),
            theme.text,
            rect.width() - 15.0,
            3,
        );
        if lane_box.kind != LaneKind::Emotions {
            return;
        }
        for score in [2.0f32, 0.0, -2.0] {
            if let Some(y) = layout.score_y(score) {
                self.text(
                    pos2(rect.max.x - 8.0, y),
                    Align2::RIGHT_CENTER,
                    &format_score(score),
                    &theme.small_font(1.0),
                    theme.text_muted,
                    40.0,
                    1,
                );
            }
        }
    }

    /// The corner above the labels, pinned both ways; with `text`, it
    /// names the map and its personas.
    fn map_corner(&mut self, journey: &Journey, corner: Rect, text: bool, theme: &Theme) {
        self.rect(corner, 0.0, theme.label_background, Stroke::NONE);
        self.line(
            corner.right_top(),
            corner.right_bottom(),
            Stroke::new(1.0, theme.grid),
        );
        if !text {
            return;
        }
        self.text(
            corner.min + vec2(12.0, 8.0),
            Align2::LEFT_TOP,
            &journey.title,
            &theme.label_font(1.0),
            theme.text,
            corner.width() - 20.0,
            1,
        );
        let personas: Vec<&str> = journey.personas.iter().map(|p| p.name.as_str()).collect();
        self.text(
            pos2(corner.min.x + 12.0, corner.max.y - 8.0),
            Align2::LEFT_BOTTOM,
            &personas.join(", "),
            &theme.small_font(1.0),
            theme.text_muted,
            corner.width() - 20.0,
            1,
        );
    }
}

#[cfg(test)]
mod tests {
    use egui::{Rect, Shape};

    use crate::view::layout::Layout;
    use crate::view::scene::build_export;
    use crate::view::scene::test_support::{step_ids, text_rect, whole_scene};
    use crate::view::theme::Theme;

    #[test]
    fn with_a_header_the_map_corner_does_not_repeat_the_title() {
        use crate::view::frame::{ExportFrame, FrameParts};
        let journey = crate::model::templates::Template::FourStage.build("A title for the corner");
        assert!(!journey.personas.is_empty());
        let theme = Theme::default();
        let layout = Layout::new(&journey, &theme);
        let mut headless = crate::export::Headless::new(1.0);
        let mut texts_in_corner = |header: bool| {
            let parts = FrameParts {
                header,
                legend: false,
            };
            let frame = ExportFrame::new(&journey, &layout, 24.0, parts);
            let corner = Rect::from_x_y_ranges(
                layout.label_x,
                egui::Rangef::new(layout.stage_header.min, layout.step_header.max),
            )
            .translate(frame.map_offset);
            let shapes = headless.shapes(1.0, |fonts| {
                build_export(
                    &journey,
                    &layout,
                    &frame,
                    &theme,
                    fonts,
                    Rect::EVERYTHING,
                    None,
                )
            });
            shapes
                .iter()
                .filter(|shape| {
                    matches!(shape, Shape::Text(t)
                        if corner.contains(t.visual_bounding_rect().center()))
                })
                .count()
        };
        assert_eq!(texts_in_corner(false), 2, "title and personas");
        assert_eq!(texts_in_corner(true), 0, "the header has them");
    }

    #[test]
    fn a_step_name_stops_short_of_the_steps_pain_badges() {
        use crate::model::{Anchor, PainId, PainPoint};
        let mut journey = crate::model::templates::Template::FourStage.build("Badges");
        let ids = step_ids(&journey);
        let [long, short, ..] = ids[..] else {
            panic!("the template has steps");
        };
        for step in journey.stages.iter_mut().flat_map(|s| &mut s.steps) {
            if step.id == long {
                step.name = "Gets a substitution refund by card after a long wait".into();
            } else if step.id == short {
                step.name = "Pays".into();
            }
        }
        journey.pain_points = [long, long, short]
            .into_iter()
            .zip(1..)
            .map(|(step, id)| PainPoint {
                id: PainId(id),
                severity: 2,
                text: "Slow".into(),
                anchor: Anchor::Step(step),
                opportunity: None,
            })
            .collect();
        let (theme, layout, shapes) = whole_scene(&journey);
        let leftmost_badge = |step| {
            let column = layout.column(step).expect("a column");
            layout
                .pains
                .iter()
                .filter(|marker| column.x.contains(marker.center.x))
                .map(|marker| marker.center.x - theme.pain_radius)
                .fold(f32::INFINITY, f32::min)
        };
        let column = layout.column(long).expect("a column");
        let header = Rect::from_x_y_ranges(column.x, layout.step_header);
        let rows: Vec<(Rect, String)> = shapes
            .iter()
            .filter_map(|shape| match shape {
                Shape::Text(t)
                    if header.contains(t.visual_bounding_rect().center())
                        && !layout.pains.iter().any(|m| {
                            m.center.distance(t.visual_bounding_rect().center()) < theme.pain_radius
                        }) =>
                {
                    Some((t.visual_bounding_rect(), t.galley.text().to_owned()))
                }
                _ => None,
            })
            .collect();
        assert!(rows.len() >= 3, "the long name wraps: {rows:?}");
        for (rect, text) in &rows {
            assert!(
                rect.max.x < leftmost_badge(long),
                "{text:?} at {rect:?} runs under a badge at {}",
                leftmost_badge(long)
            );
            assert!(rect.min.x >= column.x.min, "{text:?} leaves its column");
            assert!(!text.contains('…'), "{text:?} is cut");
        }
        let words: Vec<&str> = rows
            .iter()
            .flat_map(|(_, t)| t.split_whitespace())
            .collect();
        assert_eq!(
            words.join(" "),
            "Gets a substitution refund by card after a long wait"
        );
        // A name with room to spare stays centred left of the badges.
        let pays = text_rect(&shapes, "Pays");
        let column = layout.column(short).expect("a column");
        assert!(pays.max.x < leftmost_badge(short));
        assert!(
            (pays.center().x - column.label_x.center()).abs() <= 1.0,
            "{pays:?} is not centred on {:?}",
            column.label_x
        );
    }
}
