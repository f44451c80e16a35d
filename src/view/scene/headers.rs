//! The parts of the map that stay in view while it is panned: the stage
//! and step header rows, the lane labels and the corner above them.

use std::sync::Arc;

use egui::{Align2, FontId, Galley, Pos2, Rangef, Rect, Stroke, pos2, vec2};

use super::{MIN_LABEL_SIZE, SceneOptions, ScenePainter, shift};
use crate::model::score_text;
use crate::model::{Journey, LaneKind};
use crate::view::blocks::{CORNER_PAD, CORNER_PAD_Y, corner_text};
use crate::view::layout::{Column, LaneBox, Layout, STAGE_LABEL_PADDING, StageBox};
use crate::view::theme::{Theme, lane_color};

/// Where a lane's name starts, right of its colour strip (map units).
const LANE_NAME_LEFT: f32 = 10.0;

/// Room between a lane's name and the emotion lane's scores (map units).
const AXIS_GAP: f32 = 4.0;

/// The smallest size (output points) a lane name shrinks to so that its
/// longest word fits the label column; at fit zoom the column is about
/// 40 points wide, and a cut or broken name reads worse than small type.
const LANE_NAME_FLOOR: f32 = 5.5;

/// A score on the emotion lane's scale, laid out, with where it goes.
struct AxisLabel {
    galley: Arc<Galley>,
    /// Its anchor (right centre) in map units.
    pos: Pos2,
    /// Where it is drawn, in output points.
    rect: Rect,
}

/// Whether every row of `galley` but the last ends between words (after
/// whitespace or a newline), so no word is split over two rows.
fn breaks_between_words(galley: &Galley) -> bool {
    galley.rows.windows(2).all(|pair| {
        let [row, next] = pair else { return true };
        row.ends_with_newline
            || row.glyphs.last().is_none_or(|g| g.chr.is_whitespace())
            || next.glyphs.first().is_none_or(|g| g.chr.is_whitespace())
    })
}

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
                self.stage_header(&stage.name, stage_box, rect, name_min, theme);
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
    fn stage_header(
        &mut self,
        name: &str,
        stage: &StageBox,
        rect: Rect,
        name_min: f32,
        theme: &Theme,
    ) {
        self.rect(rect, 0.0, theme.stage_color(stage.index), Stroke::NONE);
        self.line(
            rect.left_top(),
            rect.left_bottom(),
            Stroke::new(2.0, theme.background),
        );
        let font = theme.stage_font(1.0);
        let rows = &stage.name;
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
        self.rows(pos2(left, top), rows, &font, theme.text);
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
        let font = theme.step_font(1.0);
        let room = column.label_x;
        if self.enlarged(&font) {
            let rows = self.rows_that_fit(rect.height() - 2.0, &font).min(2);
            self.text(
                pos2(room.center(), rect.center().y),
                Align2::CENTER_CENTER,
                name,
                &font,
                theme.text_muted,
                room.span(),
                rows,
            );
            return;
        }
        let rows = &column.name;
        let top = rect.center().y - rows.height() / 2.0;
        self.rows_centred(room.center(), top, rows, &font, theme.text_muted);
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
    /// lane the scores of its guides. The name wraps only between words
    /// and shrinks until its longest word fits; the scores sit beside it
    /// when it fits there, and a score that would touch it is left out.
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
        let axis = if lane_box.kind == LaneKind::Emotions {
            self.axis_labels(layout, rect, theme)
        } else {
            Vec::new()
        };
        let name_pos = pos2(rect.min.x + LANE_NAME_LEFT, rect.min.y + 8.0);
        let room = rect.max.x - 4.0 - name_pos.x;
        let axis_width = axis
            .iter()
            .map(|label| label.rect.width() / self.scale())
            .fold(0.0, f32::max);
        let beside_axis = room - axis_width - AXIS_GAP;
        let galley = if axis.is_empty() {
            None
        } else {
            self.lane_name(name, theme, beside_axis, MIN_LABEL_SIZE)
        }
        .or_else(|| self.lane_name(name, theme, room, LANE_NAME_FLOOR))
        .or_else(|| {
            // A word too long for the column at any readable size is cut.
            let font = theme.label_font(1.0);
            let px = self.text_px(&font).min(LANE_NAME_FLOOR);
            self.galley(name, px, &font, theme.text, room, 1)
        });
        let name_box = galley.map(|galley| {
            let drawn = self.screen_box(&galley, name_pos, Align2::LEFT_TOP);
            self.place(galley, name_pos, Align2::LEFT_TOP, theme.text);
            drawn.expand(2.0)
        });
        for label in axis {
            if name_box.is_none_or(|name| !name.intersects(label.rect)) {
                self.place(
                    label.galley,
                    label.pos,
                    Align2::RIGHT_CENTER,
                    theme.text_muted,
                );
            }
        }
    }

    /// A lane's name set at most three rows high in `width` map units,
    /// wrapped only between words: shrunk until its longest word fits, but
    /// not below `floor` output points (then there is none).
    fn lane_name(
        &mut self,
        name: &str,
        theme: &Theme,
        width: f32,
        floor: f32,
    ) -> Option<Arc<Galley>> {
        let font = theme.label_font(1.0);
        let room = width * self.scale();
        if room <= 0.0 {
            return None;
        }
        let mut px = self.text_px(&font);
        let first = self.galley(name, px, &font, theme.text, width, 3)?;
        if breaks_between_words(&first) {
            return Some(first);
        }
        let family = font.family.clone();
        let widest = first
            .text()
            .split_whitespace()
            .map(|word| {
                self.fonts
                    .layout_no_wrap(word.to_owned(), FontId::new(px, family.clone()), theme.text)
                    .size()
                    .x
            })
            .fold(0.0f32, f32::max);
        if widest > room {
            px = px.min((px * room / widest * 2.0).floor() / 2.0);
        }
        // Glyph widths are hinted, so a size or two below the estimate may
        // be needed.
        while px >= floor {
            let galley = self.galley(name, px, &font, theme.text, width, 3)?;
            if breaks_between_words(&galley) {
                return Some(galley);
            }
            px -= 0.5;
        }
        None
    }

    /// The emotion lane's scale: "+2", "0" and "-2" right-aligned in the
    /// label column `rect`, each at its guide's height.
    fn axis_labels(&mut self, layout: &Layout, rect: Rect, theme: &Theme) -> Vec<AxisLabel> {
        let font = theme.small_font(1.0);
        let px = self.text_px(&font);
        let mut labels = Vec::new();
        for score in [2.0f32, 0.0, -2.0] {
            let Some(y) = layout.score_y(score) else {
                continue;
            };
            let text = score_text(score);
            if let Some(galley) = self.galley(&text, px, &font, theme.text_muted, 40.0, 1) {
                let pos = pos2(rect.max.x - 8.0, y);
                let rect = self.screen_box(&galley, pos, Align2::RIGHT_CENTER);
                labels.push(AxisLabel { galley, pos, rect });
            }
        }
        labels
    }

    /// Where laid-out text anchored at a map position is drawn, in output
    /// points (as [`Self::place`] puts it).
    fn screen_box(&self, galley: &Galley, pos: Pos2, anchor: Align2) -> Rect {
        anchor.anchor_size(self.to_screen * pos, galley.size())
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
        let (title, personas) = corner_text(journey, theme);
        let left = corner.min.x + CORNER_PAD;
        let (title_font, persona_font) = (theme.label_font(1.0), theme.small_font(1.0));
        if !self.enlarged(&title_font) {
            let top = corner.min.y + CORNER_PAD_Y;
            self.rows(pos2(left, top), &title, &title_font, theme.text);
            let bottom = corner.max.y - CORNER_PAD_Y;
            self.rows(
                pos2(left, bottom - personas.height()),
                &personas,
                &persona_font,
                theme.text_muted,
            );
            return;
        }
        // Zoomed far out: the title on the rows that fit, and the personas
        // only if a row is left for them.
        let rows = self.rows_that_fit(corner.height() - 4.0 / self.scale(), &title_font);
        let names = personas.rows.concat();
        let title_rows = if rows >= 2 && !names.is_empty() {
            rows - 1
        } else {
            rows
        };
        self.text(
            pos2(left, corner.min.y + 2.0 / self.scale()),
            Align2::LEFT_TOP,
            &journey.title,
            &title_font,
            theme.text,
            corner.width() - 2.0 * CORNER_PAD,
            title_rows,
        );
        if rows > title_rows {
            self.text(
                pos2(left, corner.max.y - 2.0 / self.scale()),
                Align2::LEFT_BOTTOM,
                &names,
                &persona_font,
                theme.text_muted,
                corner.width() - 2.0 * CORNER_PAD,
                1,
            );
        }
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
                .filter_map(|shape| match shape {
                    Shape::Text(t) if corner.contains(t.visual_bounding_rect().center()) => {
                        Some(t.galley.text().to_owned())
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let persona = &journey.personas[0].name;
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&texts_in_corner(false)),
            words(&format!("A title for the corner {persona}")),
            "title and personas, whole"
        );
        assert_eq!(texts_in_corner(true), "", "the header has them");
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
                solved_in_future: false,
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

    /// Every lane name of the templates and examples, drawn as the canvas
    /// draws it from zoom 2 down to the fit zoom of a wide map on a
    /// laptop (text enlarged to 9 points): its rows hold whole words only,
    /// and the emotion lane's scores never touch it.
    #[test]
    fn lane_names_wrap_between_words_and_clear_the_scores() {
        use crate::model::{Journey, LaneKind};
        use crate::view::scene::{SceneOptions, build};
        use egui::epaint::TextShape;

        let mut journeys: Vec<Journey> = crate::model::templates::Template::ALL
            .iter()
            .map(|t| t.build("Labels"))
            .collect();
        for example in ["grocery-checkout", "saas-trial"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("examples/{example}.journey.ron"));
            journeys.push(crate::io::load(&path).expect("the example loads"));
        }
        let theme = Theme::default();
        let mut headless = crate::export::Headless::new(1.0);
        let mut checked = 0;
        for journey in &journeys {
            let layout = Layout::new(journey, &theme);
            for (scale, min_text) in [(2.0, 0.0), (1.0, 0.0), (0.5, 9.0), (0.36, 9.0), (0.28, 9.0)]
            {
                let options = SceneOptions {
                    min_text_size: min_text,
                    ..SceneOptions::whole(&layout, scale)
                };
                let shapes = headless.shapes(1.0, |fonts| {
                    build(journey, &layout, &theme, fonts, &options)
                });
                let column =
                    options.map_to_screen * Rect::from_x_y_ranges(layout.label_x, layout.lanes_y());
                let texts: Vec<&TextShape> = shapes
                    .iter()
                    .filter_map(|shape| match shape {
                        Shape::Text(t) if column.contains(t.visual_bounding_rect().center()) => {
                            Some(t)
                        }
                        _ => None,
                    })
                    .collect();
                let at = format!("{:?} at {scale}", journey.title);
                for lane in &journey.lanes {
                    let label = texts
                        .iter()
                        .find(|t| t.galley.text() == lane.name)
                        .unwrap_or_else(|| panic!("{at}: no label {:?}", lane.name));
                    let words: Vec<&str> = lane.name.split_whitespace().collect();
                    for row in &label.galley.rows {
                        for word in row.text().split_whitespace() {
                            assert!(words.contains(&word), "{at}: {:?} split", lane.name);
                        }
                    }
                    checked += 1;
                    if lane.kind != LaneKind::Emotions {
                        continue;
                    }
                    let name = label.visual_bounding_rect();
                    let scores: Vec<Rect> = texts
                        .iter()
                        .filter(|t| ["+2", "0", "-2"].contains(&t.galley.text()))
                        .map(|t| t.visual_bounding_rect())
                        .collect();
                    let all = if scale >= 1.0 { 3 } else { 2 };
                    assert!(scores.len() >= all, "{at}: scores {scores:?}");
                    for score in scores {
                        assert!(!score.intersects(name), "{at}: {score:?} touches {name:?}");
                    }
                }
            }
        }
        assert!(checked > 40, "{checked} labels");
    }
}
