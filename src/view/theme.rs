//! Colours, sizes and fonts of the map. One theme feeds layout, scene and
//! export, so the canvas and the exported image agree.

use std::sync::Arc;

use egui::{Color32, FontData, FontFamily, FontId};

use crate::model::{Channel, LaneKind};
use crate::view::icons;

/// Sizes (in map units, 1 unit = 1 point at zoom 100%) and colours of the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Width of the lane label column on the left.
    pub label_width: f32,
    /// Height of the stage header row.
    pub stage_header_height: f32,
    /// Height of the step header row.
    pub step_header_height: f32,
    /// Width of one step column.
    pub column_width: f32,
    /// Height of one card.
    pub card_height: f32,
    /// Space between cards and around them in a cell.
    pub card_gap: f32,
    /// Smallest lane height.
    pub lane_min_height: f32,
    /// Height of the emotions lane.
    pub emotion_lane_height: f32,
    /// Radius of a curve point handle.
    pub curve_point_radius: f32,
    /// Radius of a pain point marker.
    pub pain_radius: f32,
    /// Whether each persona's emotion curve has a light fill under it.
    pub curve_fill: bool,

    /// Map background.
    pub background: Color32,
    /// The canvas around the map.
    pub desk: Color32,
    /// Cell borders.
    pub grid: Color32,
    /// Alternate lane shading.
    pub lane_stripe: Color32,
    /// Lane label column background.
    pub label_background: Color32,
    /// Main text.
    pub text: Color32,
    /// Secondary text.
    pub text_muted: Color32,
    /// Card fill.
    pub card_fill: Color32,
    /// Card border.
    pub card_border: Color32,
    /// Step header fill.
    pub step_header_fill: Color32,
    /// Stage header fills, cycled.
    pub stage_colors: Vec<Color32>,
    /// Persona curve colours, one per persona a map can hold, cycled.
    pub persona_colors: Vec<Color32>,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            label_width: 150.0,
            stage_header_height: 40.0,
            step_header_height: 30.0,
            column_width: 176.0,
            card_height: 62.0,
            card_gap: 8.0,
            lane_min_height: 78.0,
            emotion_lane_height: 190.0,
            // Room for a face: eyes and a mouth inside the ring at zoom 100%.
            curve_point_radius: 9.0,
            pain_radius: 10.0,
            curve_fill: true,

            background: Color32::from_rgb(0xFA, 0xFA, 0xF8),
            desk: Color32::from_rgb(0xDD, 0xE0, 0xE5),
            grid: Color32::from_rgb(0xD9, 0xDC, 0xE1),
            lane_stripe: Color32::from_rgb(0xF2, 0xF3, 0xF5),
            label_background: Color32::from_rgb(0xE8, 0xEB, 0xEF),
            text: Color32::from_rgb(0x1F, 0x23, 0x28),
            text_muted: Color32::from_rgb(0x57, 0x60, 0x6A),
            card_fill: Color32::WHITE,
            card_border: Color32::from_rgb(0xB8, 0xBE, 0xC6),
            step_header_fill: Color32::from_rgb(0xEE, 0xF0, 0xF3),
            stage_colors: vec![
                Color32::from_rgb(0xCF, 0xE2, 0xF3),
                Color32::from_rgb(0xD7, 0xEB, 0xD3),
                Color32::from_rgb(0xFC, 0xE8, 0xC6),
                Color32::from_rgb(0xE6, 0xD9, 0xF0),
                Color32::from_rgb(0xF8, 0xD7, 0xD4),
                Color32::from_rgb(0xD2, 0xEC, 0xEA),
            ],
            // Okabe–Ito's colour-blind-safe hues (its light sky blue,
            // yellow and orange left out: a score in them does not read on
            // white paper), the purple darkened, its black softened.
            persona_colors: vec![
                Color32::from_rgb(0x00, 0x72, 0xB2),
                Color32::from_rgb(0xD5, 0x5E, 0x00),
                Color32::from_rgb(0x00, 0x9E, 0x73),
                Color32::from_rgb(0xA8, 0x4E, 0x86),
                Color32::from_rgb(0x3A, 0x3A, 0x3A),
            ],
        }
    }
}

impl Theme {
    /// Font for card titles.
    pub fn title_font(&self, scale: f32) -> FontId {
        FontId::new(14.5 * scale, semibold())
    }

    /// Font for card notes and small labels.
    pub fn small_font(&self, scale: f32) -> FontId {
        FontId::new(12.0 * scale, FontFamily::Proportional)
    }

    /// Font for stage names.
    pub fn stage_font(&self, scale: f32) -> FontId {
        FontId::new(17.0 * scale, semibold())
    }

    /// Font for step names.
    pub fn step_font(&self, scale: f32) -> FontId {
        FontId::new(14.0 * scale, semibold())
    }

    /// Font for an export header's title.
    pub fn header_title_font(&self, scale: f32) -> FontId {
        FontId::new(26.0 * scale, semibold())
    }

    /// Font for lane labels and other body labels.
    pub fn label_font(&self, scale: f32) -> FontId {
        FontId::new(14.0 * scale, FontFamily::Proportional)
    }

    /// Fill of the header of the n-th stage.
    pub fn stage_color(&self, index: usize) -> Color32 {
        cycle(&self.stage_colors, index)
    }

    /// Colour of the n-th persona's curve.
    pub fn persona_color(&self, index: usize) -> Color32 {
        cycle(&self.persona_colors, index)
    }

    /// Accent strip colour of a card: its channel, or its lane's kind.
    pub fn card_accent(&self, channel: Option<Channel>, lane: LaneKind) -> Color32 {
        channel.map_or_else(|| lane_color(lane), channel_color)
    }

    /// Fill of a pain marker by severity (1..=3).
    pub fn pain_color(&self, severity: u8) -> Color32 {
        match severity {
            0 | 1 => Color32::from_rgb(0xC9, 0x8A, 0x00),
            2 => Color32::from_rgb(0xDB, 0x5B, 0x0F),
            _ => Color32::from_rgb(0xCF, 0x22, 0x2E),
        }
    }
}

fn cycle(colors: &[Color32], index: usize) -> Color32 {
    if colors.is_empty() {
        Color32::GRAY
    } else {
        colors
            .get(index % colors.len())
            .copied()
            .unwrap_or(Color32::GRAY)
    }
}

/// The colour that stands for a channel (palette swatch and card strip).
pub fn channel_color(channel: Channel) -> Color32 {
    match channel {
        Channel::Web => Color32::from_rgb(0x1F, 0x6F, 0xEB),
        Channel::Email => Color32::from_rgb(0x82, 0x50, 0xDF),
        Channel::Phone => Color32::from_rgb(0x1A, 0x7F, 0x37),
        Channel::Store => Color32::from_rgb(0x9A, 0x67, 0x00),
        Channel::Social => Color32::from_rgb(0xBF, 0x38, 0x89),
        Channel::Ad => Color32::from_rgb(0xCF, 0x22, 0x2E),
        Channel::App => Color32::from_rgb(0x0A, 0x7E, 0xA4),
        Channel::Chat => Color32::from_rgb(0x2D, 0xA4, 0x4E),
        Channel::Support => Color32::from_rgb(0xBC, 0x4C, 0x00),
        Channel::Other => Color32::from_rgb(0x6E, 0x77, 0x81),
    }
}

/// Accent colour for cards without a channel, by lane kind.
pub fn lane_color(kind: LaneKind) -> Color32 {
    match kind {
        LaneKind::Actions => Color32::from_rgb(0x3B, 0x5B, 0xA9),
        LaneKind::Touchpoints | LaneKind::Channels => Color32::from_rgb(0x6E, 0x77, 0x81),
        LaneKind::Thoughts => Color32::from_rgb(0x8A, 0x63, 0xD2),
        LaneKind::Emotions => Color32::from_rgb(0x1F, 0x6F, 0xEB),
        LaneKind::PainPoints => Color32::from_rgb(0xCF, 0x22, 0x2E),
        LaneKind::Opportunities => Color32::from_rgb(0x1A, 0x7F, 0x37),
        LaneKind::Resources => Color32::from_rgb(0x7D, 0x4E, 0x24),
        LaneKind::Backstage => Color32::from_rgb(0x57, 0x60, 0x6A),
        LaneKind::Kpis => Color32::from_rgb(0x0A, 0x7E, 0xA4),
        LaneKind::Owners => Color32::from_rgb(0x9A, 0x67, 0x00),
        LaneKind::Notes => Color32::from_rgb(0x8C, 0x95, 0x9F),
    }
}

/// Key of the bundled regular face in [`font_definitions`].
pub const REGULAR_FACE: &str = "Inter-Regular";
/// Key of the bundled semibold face in [`font_definitions`].
pub const SEMIBOLD_FACE: &str = "Inter-SemiBold";
/// Name of the font family of titles (the semibold face).
const SEMIBOLD_FAMILY: &str = "semibold";

/// The family titles are set in: the bundled semibold face.
pub fn semibold() -> FontFamily {
    FontFamily::Name(SEMIBOLD_FAMILY.into())
}

/// The fonts of the app and of every export: Inter (OFL, bundled in
/// `assets/fonts`), regular for body text and semibold for titles, so the
/// glyphs are the same on every machine and stay legible on a projector.
/// egui's built-in fonts follow as fallbacks for symbols Inter lacks. The
/// icons (see [`crate::view::icons`]) are a family of their own.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    for (key, bytes) in [
        (
            REGULAR_FACE,
            &include_bytes!("../../assets/fonts/Inter-Regular.otf")[..],
        ),
        (
            SEMIBOLD_FACE,
            &include_bytes!("../../assets/fonts/Inter-SemiBold.otf")[..],
        ),
        (icons::ICON_FACE, icons::ICON_FONT),
    ] {
        fonts
            .font_data
            .insert(key.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let family = |face: &str| std::iter::once(face.to_owned()).chain(fallbacks.iter().cloned());
    fonts
        .families
        .insert(FontFamily::Proportional, family(REGULAR_FACE).collect());
    fonts
        .families
        .insert(semibold(), family(SEMIBOLD_FACE).collect());
    fonts
        .families
        .insert(icons::icon_family(), vec![icons::ICON_FACE.to_owned()]);
    fonts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(headless: &mut crate::export::Headless, text: &str, font: &FontId) -> f32 {
        let mut out = 0.0;
        headless.shapes(1.0, |fonts| {
            out = fonts
                .layout_no_wrap(text.to_owned(), font.clone(), Color32::BLACK)
                .size()
                .x;
            Vec::new()
        });
        out
    }

    /// Body text and titles are set in the two bundled faces (CFF outlines,
    /// which egui's loader reads), with egui's fonts kept behind them.
    #[test]
    fn body_and_titles_use_the_bundled_faces() {
        let theme = Theme::default();
        let mut headless = crate::export::Headless::new(1.0);
        let regular = FontId::new(14.0, FontFamily::Proportional);
        let semi = FontId::new(14.0, semibold());
        let word = "Opportunities";
        let (body, title) = (
            width(&mut headless, word, &regular),
            width(&mut headless, word, &semi),
        );
        // Inter Regular's advances give 90.4 points here; its semibold is wider.
        assert!((89.0..92.0).contains(&body), "{body}");
        assert!(title > body + 2.0, "semibold {title} vs regular {body}");
        assert_eq!(theme.title_font(1.0).family, semibold());
        assert_eq!(theme.small_font(1.0).family, FontFamily::Proportional);

        let fonts = font_definitions();
        let proportional = &fonts.families[&FontFamily::Proportional];
        assert_eq!(proportional.first().map(String::as_str), Some(REGULAR_FACE));
        assert!(
            proportional.iter().any(|f| f == "egui-icons"),
            "{proportional:?}"
        );
        let titles = &fonts.families[&semibold()];
        assert_eq!(titles.first().map(String::as_str), Some(SEMIBOLD_FACE));
        assert_eq!(titles[1..], proportional[1..]);
    }

    /// Five personas get five distinct colours, each dark enough for its
    /// score written on white paper (in grey print their markers tell
    /// them apart).
    #[test]
    fn five_personas_get_five_distinct_colours() {
        let theme = Theme::default();
        let colours: Vec<Color32> = (0..crate::model::MAX_PERSONAS)
            .map(|i| theme.persona_color(i))
            .collect();
        let unique: std::collections::HashSet<Color32> = colours.iter().copied().collect();
        assert_eq!(unique.len(), 5);
        let luma = |c: Color32| {
            0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b())
        };
        for (i, a) in colours.iter().enumerate() {
            assert!(luma(*a) < 140.0, "persona {i} too light: {a:?}");
            for b in colours.iter().skip(i + 1) {
                let far = [(a.r(), b.r()), (a.g(), b.g()), (a.b(), b.b())]
                    .iter()
                    .map(|(x, y)| x.abs_diff(*y))
                    .max();
                assert!(far >= Some(60), "{a:?} and {b:?} too close");
            }
        }
    }
}
