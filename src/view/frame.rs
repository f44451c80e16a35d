//! The frame of an exported picture, in map units: margins, an optional
//! header, the map, an optional legend. Pure like the layout it wraps.
//! The header's text is wrapped to the map's width with
//! [`crate::view::measure`] and never cut, except a description or title
//! longer than a header can hold ([`MAX_DESCRIPTION_ROWS`]).

use std::sync::Arc;

use egui::{FontId, Rect, Vec2, pos2};

use crate::model::Journey;
use crate::view::layout::Layout;
use crate::view::measure::{self, Wrapped};
use crate::view::theme::Theme;

/// What an exported picture shows around the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameParts {
    /// A header above the map: title, personas, dates, objective,
    /// scenario, description.
    pub header: bool,
    /// A legend below the map: channels, pain severity, emotion scale.
    pub legend: bool,
}

/// One entry of the legend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LegendEntry {
    /// The name of a group of entries.
    Heading(&'static str),
    /// A channel used by at least one card.
    Channel(crate::model::Channel),
    /// A pain severity.
    Severity(u8),
    /// A confidence of the cards' evidence.
    Confidence(crate::model::Confidence),
    /// A persona's emotion curve (the index of the persona).
    Persona(usize),
    /// What the emotion scores mean.
    Scale,
    /// A KPI's mark: on target (`true`) or off.
    Kpi(bool),
    /// How an overdue action item looks.
    Overdue,
    /// A mark of the visual diff.
    Diff(crate::view::scene::DiffMark),
}

impl LegendEntry {
    /// Width of the entry's slot in map units: at least a fixed width, so
    /// entries line up in columns, and as wide as its text (measured), so
    /// no name is cut.
    fn width(self, journey: &Journey, theme: &Theme) -> f32 {
        let small = theme.small_font(1.0);
        let (least, text) = match self {
            Self::Heading(name) => (104.0, measure::width(name, &theme.label_font(1.0))),
            Self::Channel(channel) => (
                96.0,
                LEGEND_LABEL_INDENT + measure::width(channel.label(), &small),
            ),
            Self::Severity(severity) => (
                92.0,
                LEGEND_LABEL_INDENT
                    + measure::width(crate::model::severity_label(severity), &small),
            ),
            Self::Confidence(c) => (120.0, crate::view::scene::evidence::legend_width(c, theme)),
            Self::Persona(index) => {
                let name = journey.personas.get(index).map_or("", |p| p.name.as_str());
                (220.0, LEGEND_PERSONA_INDENT + measure::width(name, &small))
            }
            Self::Scale => (250.0, measure::width(LEGEND_SCALE_TEXT, &small)),
            Self::Kpi(on) => (
                96.0,
                LEGEND_LABEL_INDENT + measure::width(legend_kpi_text(on), &small),
            ),
            Self::Overdue => (
                150.0,
                LEGEND_LABEL_INDENT + measure::width(LEGEND_OVERDUE_TEXT, &small),
            ),
            Self::Diff(mark) => (
                150.0,
                LEGEND_PERSONA_INDENT + measure::width(mark.label(), &small),
            ),
        };
        f32::max(least, (text + LEGEND_PADDING).ceil())
    }
}

/// Where a legend entry's name starts, after its swatch or marker.
pub const LEGEND_LABEL_INDENT: f32 = 22.0;
/// Where a persona's name starts in the legend, after a piece of its curve.
pub const LEGEND_PERSONA_INDENT: f32 = 36.0;
/// What the legend says the emotion scores mean.
pub const LEGEND_SCALE_TEXT: &str = "+2 delighted  ·  0 neutral  ·  −2 frustrated";
/// What the legend says of an overdue action item.
pub const LEGEND_OVERDUE_TEXT: &str = "Overdue: past its due date, not done";

/// What the legend says of a KPI's mark.
pub fn legend_kpi_text(on_target: bool) -> &'static str {
    if on_target { "On target" } else { "Off target" }
}

/// Space after a legend entry's text.
const LEGEND_PADDING: f32 = 12.0;

/// The parts of an exported picture, in map units: margins, an optional
/// header, the map, an optional legend.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFrame {
    /// The whole picture.
    pub size: Vec2,
    /// Where the map's origin goes.
    pub map_offset: Vec2,
    /// The header's area (title row, then the subtitle rows).
    pub header: Option<Rect>,
    /// Legend entries with their slots.
    pub legend: Vec<(LegendEntry, Rect)>,
}

/// Rows of a description the header shows at most; a longer one (a
/// document pasted into it) ends in "…".
pub const MAX_DESCRIPTION_ROWS: usize = 40;
/// Rows of the objective, and of the scenario, the header shows at most.
const MAX_BRIEF_ROWS: usize = 8;
/// Rows of a title, and of the personas line, the header shows at most.
const MAX_TITLE_ROWS: usize = 3;
/// Space under the header's title, and under the personas line.
const HEADER_BLOCK_GAP: f32 = 6.0;
/// Width of the column that holds the header and the legend beside the map
/// ([`ExportFrame::beside`]).
pub const SIDEBAR_WIDTH: f32 = 320.0;
/// Height of a legend row.
pub const LEGEND_ROW_HEIGHT: f32 = 26.0;
/// Space between the header, the map and the legend.
const FRAME_GAP: f32 = 20.0;
/// Space between legend groups.
const LEGEND_GROUP_GAP: f32 = 28.0;

impl ExportFrame {
    /// Lays out the picture around `layout` with `margin` on every side,
    /// with no date in the header.
    pub fn new(journey: &Journey, layout: &Layout, margin: f32, parts: FrameParts) -> Self {
        Self::dated(journey, layout, margin, parts, None)
    }

    /// [`Self::new`], with `date` in the header (as it is drawn).
    pub fn dated(
        journey: &Journey,
        layout: &Layout,
        margin: f32,
        parts: FrameParts,
        date: Option<&str>,
    ) -> Self {
        Self::spanning(journey, layout, margin, parts, date, layout.size.x)
    }

    /// [`Self::dated`] with the header and the legend `width` map units wide
    /// (at least the map's width; a slide's whole width), and the map
    /// centred under the header.
    pub fn spanning(
        journey: &Journey,
        layout: &Layout,
        margin: f32,
        parts: FrameParts,
        date: Option<&str>,
        width: f32,
    ) -> Self {
        let margin = margin.max(0.0);
        let width = width.max(layout.size.x);
        let mut y = margin;
        let header = parts.header.then(|| {
            let height = header_height(&header_blocks(journey, date, width, &Theme::default()));
            let rect = Rect::from_min_size(pos2(margin, y), Vec2::new(width, height));
            y = rect.max.y + FRAME_GAP;
            rect
        });
        let map_offset = Vec2::new(margin + (width - layout.size.x) / 2.0, y);
        y += layout.size.y;
        let mut legend = Vec::new();
        if parts.legend {
            let top = y + FRAME_GAP;
            let groups = legend_groups(journey, &Theme::default());
            let (entries, bottom) = flow_legend(&groups, margin, top, width);
            legend = entries;
            y = bottom;
        }
        Self {
            size: Vec2::new(width + 2.0 * margin, y + margin),
            map_offset,
            header,
            legend,
        }
    }
}

impl ExportFrame {
    /// The picture with the header and the legend in a column left of the
    /// map rather than above and below it: for a slide of a map too tall to
    /// read with them stacked. The column is [`SIDEBAR_WIDTH`] wide, or as
    /// wide as its widest legend entry.
    pub fn beside(
        journey: &Journey,
        layout: &Layout,
        margin: f32,
        parts: FrameParts,
        date: Option<&str>,
    ) -> Self {
        let margin = margin.max(0.0);
        let theme = Theme::default();
        let groups = if parts.legend {
            legend_groups(journey, &theme)
        } else {
            Vec::new()
        };
        let widest = groups.iter().flatten().map(|(_, w)| *w).fold(0.0, f32::max);
        let side = SIDEBAR_WIDTH.max(widest);
        let mut bottom = margin;
        let header = parts.header.then(|| {
            let height = header_height(&header_blocks(journey, date, side, &theme));
            let rect = Rect::from_min_size(pos2(margin, margin), Vec2::new(side, height));
            bottom = rect.max.y + FRAME_GAP;
            rect
        });
        let (legend, legend_bottom) = flow_legend(&groups, margin, bottom, side);
        if !legend.is_empty() {
            bottom = legend_bottom + FRAME_GAP;
        }
        let beside = header.is_some() || !legend.is_empty();
        let map_x = if beside {
            margin + side + 2.0 * FRAME_GAP
        } else {
            margin
        };
        let height = (margin + layout.size.y).max(bottom - FRAME_GAP);
        Self {
            size: Vec2::new(map_x + layout.size.x + margin, height + margin),
            map_offset: Vec2::new(map_x, margin),
            header,
            legend,
        }
    }

    /// The picture with the visual diff's legend group ("Changes") on a
    /// row of its own under the rest, `margin` from the left edge.
    #[must_use]
    pub fn with_diff_legend(mut self, journey: &Journey, margin: f32) -> Self {
        use crate::view::scene::DiffMark;
        let theme = Theme::default();
        let mut group = vec![(
            LegendEntry::Heading("Changes"),
            LegendEntry::Heading("Changes").width(journey, &theme),
        )];
        for mark in DiffMark::ALL {
            let entry = LegendEntry::Diff(mark);
            group.push((entry, entry.width(journey, &theme)));
        }
        let top = self.size.y - margin
            + if self.legend.is_empty() {
                FRAME_GAP
            } else {
                0.0
            };
        let width = self.size.x - 2.0 * margin;
        let (entries, bottom) = flow_legend(&[group], margin, top, width);
        self.legend.extend(entries);
        self.size.y = bottom + margin;
        self
    }

    /// The same picture centred on a canvas of `size` (a slide), which grows
    /// to hold the picture if it is smaller.
    #[must_use]
    pub fn centred_in(mut self, size: Vec2) -> Self {
        let offset = ((size - self.size) / 2.0).max(Vec2::ZERO);
        self.map_offset += offset;
        self.header = self.header.map(|rect| rect.translate(offset));
        for (_, rect) in &mut self.legend {
            *rect = rect.translate(offset);
        }
        self.size = self.size.max(size);
        self
    }
}

/// One block of the header's text: the title, the personas and date, or
/// the description, broken into rows at the header's width.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderBlock {
    /// The rows, as measured.
    pub text: Arc<Wrapped>,
    /// The font they are measured and drawn in.
    pub font: FontId,
    /// Drawn in the muted text colour.
    pub muted: bool,
    /// Space below the block, in map units.
    pub gap: f32,
}

impl HeaderBlock {
    /// The block's height with the space below it.
    pub fn height(&self) -> f32 {
        self.text.height() + self.gap
    }
}

/// The height of the header's blocks, rounded up to whole map units, so the
/// picture scales to whole pixels exactly (at 2x, twice the 1x size).
fn header_height(blocks: &[HeaderBlock]) -> f32 {
    blocks.iter().map(HeaderBlock::height).sum::<f32>().ceil()
}

/// The header's text blocks, wrapped to `width`: the title, then the
/// personas, `date` and the last review, then the objective, the scenario
/// and the description (all of its lines), each block left out when empty. The frame sizes the header from them and
/// the scene draws exactly their rows.
pub fn header_blocks(
    journey: &Journey,
    date: Option<&str>,
    width: f32,
    theme: &Theme,
) -> Vec<HeaderBlock> {
    let title = if journey.title.trim().is_empty() {
        "Untitled journey"
    } else {
        journey.title.trim()
    };
    let personas: Vec<&str> = journey.personas.iter().map(|p| p.name.as_str()).collect();
    let mut subtitle = match personas.len() {
        0 => String::new(),
        1 => format!("Persona: {}", personas.join("")),
        _ => format!("Personas: {}", personas.join("; ")),
    };
    let label = theme.label_font(1.0);
    let reviewed = journey
        .last_reviewed
        .map(|d| format!("Last reviewed {}", d.strftime("%-d %B %Y")));
    // Each date is never broken across rows: on a row of its own if need be.
    for date in date.into_iter().chain(reviewed.as_deref()) {
        let last_row = subtitle.rsplit('\n').next().unwrap_or_default();
        let one_row = format!("{last_row}   ·   {date}");
        if subtitle.is_empty() {
            subtitle.push_str(date);
        } else if measure::width(&one_row, &label) <= width {
            subtitle = format!("{subtitle}   ·   {date}");
        } else {
            subtitle = format!("{subtitle}\n{date}");
        }
    }
    let objective = labelled("Objective", &journey.objective);
    let scenario = labelled("Scenario", &journey.scenario);
    let blocks = [
        (title, theme.header_title_font(1.0), false, MAX_TITLE_ROWS),
        // The personas' rows, then up to two rows of dates.
        (subtitle.as_str(), label.clone(), true, MAX_TITLE_ROWS + 2),
        (objective.as_str(), label.clone(), false, MAX_BRIEF_ROWS),
        (scenario.as_str(), label.clone(), true, MAX_BRIEF_ROWS),
        (
            journey.description.trim(),
            label,
            true,
            MAX_DESCRIPTION_ROWS,
        ),
    ];
    let mut out: Vec<HeaderBlock> = blocks
        .into_iter()
        .filter(|(text, ..)| !text.is_empty())
        .map(|(text, font, muted, rows)| HeaderBlock {
            text: wrap_at_most(text, &font, width, rows),
            font,
            muted,
            gap: HEADER_BLOCK_GAP,
        })
        .collect();
    if let Some(last) = out.last_mut() {
        last.gap = 0.0;
    }
    out
}

/// "Objective: …", or nothing when the text is empty.
fn labelled(label: &str, text: &str) -> String {
    match text.trim() {
        "" => String::new(),
        text => format!("{label}: {text}"),
    }
}

/// `text` wrapped to `width`, at most `max_rows` rows: a longer text is
/// cut before it is measured (a 50 MB description is never laid out
/// whole) and its last row ends in "…".
fn wrap_at_most(text: &str, font: &FontId, width: f32, max_rows: usize) -> Arc<Wrapped> {
    // No glyph is narrower than a fifth of the font size, so no more
    // characters than this fit in the rows.
    let per_row = (width / (font.size * 0.2)).ceil().max(1.0) as usize + 1;
    let limit = per_row.saturating_mul(max_rows).saturating_add(1);
    let shown = match text.char_indices().nth(limit) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    };
    let wrapped = measure::wrap(shown, font, width);
    if wrapped.rows.len() <= max_rows && shown.len() == text.len() {
        return wrapped;
    }
    let mut cut = (*wrapped).clone();
    cut.rows.truncate(max_rows);
    if let Some(last) = cut.rows.last_mut() {
        *last = format!("{}…", last.trim_end());
    }
    Arc::new(cut)
}

/// The legend's groups (channels in use, pain severities, emotion curves),
/// each entry with its width.
fn legend_groups(journey: &Journey, theme: &Theme) -> Vec<Vec<(LegendEntry, f32)>> {
    use crate::model::Channel;
    let mut groups = Vec::new();
    let used: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|c| journey.cards.iter().any(|card| card.channel == Some(*c)))
        .collect();
    if !used.is_empty() {
        let mut group = vec![LegendEntry::Heading("Channels")];
        group.extend(used.into_iter().map(LegendEntry::Channel));
        groups.push(group);
    }
    if !journey.pain_points.is_empty() {
        let mut group = vec![LegendEntry::Heading("Pain severity")];
        group.extend(crate::model::SEVERITY_RANGE.map(LegendEntry::Severity));
        groups.push(group);
    }
    let confidence = crate::view::scene::evidence::legend_group(journey);
    if !confidence.is_empty() {
        groups.push(confidence);
    }
    let curves: Vec<usize> = journey
        .personas
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            journey
                .curves
                .iter()
                .any(|c| c.persona == p.id && !c.points.is_empty())
        })
        .map(|(i, _)| i)
        .collect();
    if !curves.is_empty() {
        let mut group = vec![LegendEntry::Heading("Emotion")];
        group.extend(curves.into_iter().map(LegendEntry::Persona));
        group.push(LegendEntry::Scale);
        groups.push(group);
    }
    let mut plan = Vec::new();
    if journey
        .stages
        .iter()
        .any(|s| s.kpis.iter().any(|k| k.on_target().is_some()))
    {
        plan.extend([LegendEntry::Kpi(true), LegendEntry::Kpi(false)]);
    }
    if journey
        .cards
        .iter()
        .any(|c| c.plan.as_ref().is_some_and(|p| p.due.is_some()))
    {
        plan.push(LegendEntry::Overdue);
    }
    if !plan.is_empty() {
        plan.insert(0, LegendEntry::Heading("Plan"));
        groups.push(plan);
    }
    (groups.into_iter())
        .map(|group| {
            (group.into_iter())
                .map(|entry| (entry, entry.width(journey, theme)))
                .collect()
        })
        .collect()
}

/// Places the groups left to right, wrapping at `width`; a group starts a
/// new row rather than break when it fits on one (always, in a column no
/// wider than [`SIDEBAR_WIDTH`]), and a heading never ends a row on its own. Returns the slots and the bottom of the last row.
fn flow_legend(
    groups: &[Vec<(LegendEntry, f32)>],
    left: f32,
    top: f32,
    width: f32,
) -> (Vec<(LegendEntry, Rect)>, f32) {
    let mut out = Vec::new();
    if groups.is_empty() {
        return (out, top - FRAME_GAP);
    }
    let right = left + width;
    let (mut x, mut y) = (left, top);
    for group in groups {
        if x > left {
            x += LEGEND_GROUP_GAP;
        }
        // A group that fits on a row of its own is not split across two;
        // in a column, every group starts a row.
        let whole: f32 = group.iter().map(|(_, w)| w).sum();
        let column = width <= SIDEBAR_WIDTH;
        if x > left && (column || (x + whole > right && whole <= width)) {
            x = left;
            y += LEGEND_ROW_HEIGHT;
        }
        for (i, (entry, entry_width)) in group.iter().enumerate() {
            let mut need = *entry_width;
            if i == 0 {
                need += group.get(1).map_or(0.0, |(_, next)| *next);
            }
            if x > left && x + need > right {
                x = left;
                y += LEGEND_ROW_HEIGHT;
            }
            let size = Vec2::new(*entry_width, LEGEND_ROW_HEIGHT);
            out.push((*entry, Rect::from_min_size(pos2(x, y), size)));
            x += entry_width;
        }
    }
    (out, y + LEGEND_ROW_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::theme::Theme;

    #[test]
    fn export_frame_stacks_header_map_and_legend() {
        let journey = crate::model::templates::generated(12, 40);
        let layout = Layout::new(&journey, &Theme::default());
        let bare = ExportFrame::new(
            &journey,
            &layout,
            10.0,
            FrameParts {
                header: false,
                legend: false,
            },
        );
        assert_eq!(bare.size, layout.size + Vec2::splat(20.0));
        assert_eq!(bare.map_offset, Vec2::splat(10.0));
        let full = ExportFrame::new(
            &journey,
            &layout,
            10.0,
            FrameParts {
                header: true,
                legend: true,
            },
        );
        let header = full.header.unwrap();
        assert!(
            header.max.y < full.map_offset.y,
            "the header is above the map"
        );
        let map_bottom = full.map_offset.y + layout.size.y;
        assert!(!full.legend.is_empty());
        for (entry, rect) in &full.legend {
            assert!(rect.min.y > map_bottom, "{entry:?} is below the map");
            assert!(
                rect.max.x <= 10.0 + layout.size.x + 0.01,
                "{entry:?} fits the width"
            );
            assert!(rect.max.y <= full.size.y - 10.0 + 0.01);
        }
        // The generated map uses channels, pain points and two curves.
        let has = |f: fn(&LegendEntry) -> bool| full.legend.iter().any(|(e, _)| f(e));
        assert!(has(|e| matches!(e, LegendEntry::Channel(_))));
        assert!(has(|e| matches!(e, LegendEntry::Severity(3))));
        assert!(has(|e| matches!(e, LegendEntry::Persona(1))));
        // Slots never overlap.
        for (i, (_, a)) in full.legend.iter().enumerate() {
            for (_, b) in full.legend.iter().skip(i + 1) {
                assert!(!a.shrink(0.5).intersects(*b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_wider_frame_centres_the_map_and_shortens_the_header_and_legend() {
        let mut journey = crate::model::templates::generated(3, 10);
        journey.description = "What the research found, and where. ".repeat(20);
        let layout = Layout::new(&journey, &Theme::default());
        let parts = FrameParts {
            header: true,
            legend: true,
        };
        let own = ExportFrame::new(&journey, &layout, 10.0, parts);
        let wide = ExportFrame::spanning(&journey, &layout, 10.0, parts, None, 3000.0);
        assert!((wide.size.x - 3020.0).abs() < 0.01);
        let centre = wide.map_offset.x + layout.size.x / 2.0;
        assert!(
            (centre - wide.size.x / 2.0).abs() < 0.01,
            "the map is centred"
        );
        let (own_header, wide_header) = (own.header.unwrap(), wide.header.unwrap());
        assert!(
            wide_header.height() < own_header.height(),
            "fewer description rows"
        );
        assert!(wide.size.y < own.size.y);
        // Never narrower than the map.
        let narrow = ExportFrame::spanning(&journey, &layout, 10.0, parts, None, 1.0);
        assert_eq!(narrow, own);
    }

    #[test]
    fn beside_puts_header_and_legend_in_a_column_left_of_the_map() {
        let journey = crate::model::templates::generated(6, 30);
        let layout = Layout::new(&journey, &Theme::default());
        let parts = FrameParts {
            header: true,
            legend: true,
        };
        let frame = ExportFrame::beside(&journey, &layout, 10.0, parts, Some("1 May 2026"));
        let map = Rect::from_min_size(frame.map_offset.to_pos2(), layout.size);
        let header = frame.header.unwrap();
        assert!(header.max.x < map.min.x && header.min.y <= map.min.y + 0.01);
        assert!(!frame.legend.is_empty());
        for (entry, rect) in &frame.legend {
            assert!(rect.max.x < map.min.x, "{entry:?} left of the map");
            assert!(rect.min.y >= header.max.y, "{entry:?} under the header");
        }
        // Each legend group starts its own row in the column.
        for pair in frame.legend.windows(2) {
            if let [(_, before), (LegendEntry::Heading(_), heading)] = pair {
                assert!(heading.min.y > before.min.y, "a heading starts a row");
                assert!((heading.min.x - 10.0).abs() < 0.01);
            }
        }
        let bottom = frame
            .legend
            .iter()
            .map(|(_, r)| r.max.y)
            .fold(map.max.y, f32::max);
        assert!(
            (frame.size.y - bottom - 10.0).abs() < 0.01,
            "as tall as its parts"
        );
        assert!((frame.size.x - map.max.x - 10.0).abs() < 0.01);
    }

    #[test]
    fn the_header_text_is_never_cut_short_of_its_limit() {
        let mut journey = crate::model::templates::generated(3, 10);
        journey.title = "A title long enough to need a second row in a narrow header".into();
        let blocks = header_blocks(&journey, Some("6 December 2026"), 300.0, &Theme::default());
        let [title, subtitle, description] = blocks.as_slice() else {
            panic!("title, personas and description: {blocks:?}");
        };
        assert!(title.text.rows.len() > 1, "{:?}", title.text.rows);
        assert!(subtitle.text.rows.concat().contains("6 December 2026"));
        for block in [title, subtitle, description] {
            assert!(block.text.rows.iter().all(|row| !row.contains('…')));
        }
        // A description far beyond what a header holds is cut, and says so.
        journey.description = "word ".repeat(1_000_000);
        let blocks = header_blocks(&journey, None, 300.0, &Theme::default());
        let rows = &blocks.last().unwrap().text.rows;
        assert_eq!(rows.len(), MAX_DESCRIPTION_ROWS);
        assert!(rows.last().unwrap().ends_with('…'));
    }

    #[test]
    fn a_legend_group_that_fits_a_row_is_not_broken() {
        let journey = crate::model::templates::generated(12, 40);
        let groups = legend_groups(&journey, &Theme::default());
        let severity = (groups.iter())
            .find(|g| g.iter().any(|(e, _)| *e == LegendEntry::Severity(1)))
            .unwrap();
        let whole: f32 = severity.iter().map(|(_, w)| w).sum();
        // Room for the channels' row, then less than the severities need.
        let channels: f32 = groups[0].iter().map(|(_, w)| w).sum();
        let width = channels + LEGEND_GROUP_GAP + whole - 10.0;
        let (slots, _) = flow_legend(&groups, 0.0, 0.0, width);
        let rows: std::collections::BTreeSet<i64> = slots
            .iter()
            .filter(|(e, _)| severity.iter().any(|(s, _)| s == e))
            .map(|(_, r)| r.min.y.round() as i64)
            .collect();
        assert_eq!(rows.len(), 1, "the severities share a row");
    }

    #[test]
    fn a_narrow_map_wraps_its_legend_and_keeps_headings_with_entries() {
        let journey = crate::model::templates::generated(1, 10);
        let layout = Layout::new(&journey, &Theme::default());
        let frame = ExportFrame::new(
            &journey,
            &layout,
            0.0,
            FrameParts {
                header: true,
                legend: true,
            },
        );
        let rows: std::collections::BTreeSet<i64> = frame
            .legend
            .iter()
            .map(|(_, r)| r.min.y.round() as i64)
            .collect();
        assert!(rows.len() > 1, "a one-step map needs several legend rows");
        for pair in frame.legend.windows(2) {
            if let [(LegendEntry::Heading(_), heading), (_, next)] = pair {
                assert!(
                    (heading.min.y - next.min.y).abs() < 0.01,
                    "a heading shares its row"
                );
            }
        }
    }
}
