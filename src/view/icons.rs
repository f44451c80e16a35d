//! The icons of the map: channels, evidence sources and confidence marks,
//! as glyphs of the Phosphor icon font (MIT), drawn as text like any label.
//!
//! `egui-phosphor` is the icon font made for egui, but its newest release
//! (0.14) is built for egui 0.36, and a second egui in the tree is not an
//! option; so the font is used directly, its codepoints named here. Only
//! the glyphs named here are bundled (`assets/fonts/Phosphor-subset.ttf`,
//! 8 KB, subset with fontTools; see `Phosphor-LICENSE.txt` beside it), which
//! also keeps the SVG export's embedded copy small.
//!
//! Invariant: the icons have a font family of their own ([`icon_family`]),
//! never a fallback of the text families: Inter and egui's fallback fonts
//! have glyphs of their own in the Private Use Area where Phosphor's live.

use egui::{FontFamily, FontId};

use crate::model::{Channel, Confidence, Source};

/// Key of the icon font in [`crate::view::theme::font_definitions`].
pub const ICON_FACE: &str = "Phosphor";
/// Name of the icons' font family.
const ICON_FAMILY: &str = "icons";

/// The font bytes: the Phosphor glyphs named in this module.
pub const ICON_FONT: &[u8] = include_bytes!("../../assets/fonts/Phosphor-subset.ttf");

/// The family icons are set in: the icon font alone.
pub fn icon_family() -> FontFamily {
    FontFamily::Name(ICON_FAMILY.into())
}

/// The icon font at `size` points.
pub fn icon_font(size: f32) -> FontId {
    FontId::new(size, icon_family())
}

/// The icon of a channel, on touchpoint cards, in the palette and legend.
pub fn channel_icon(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => "\u{E288}",     // globe
        Channel::Email => "\u{E218}",   // envelope-simple
        Channel::Phone => "\u{E3B8}",   // phone
        Channel::Store => "\u{E470}",   // storefront
        Channel::Social => "\u{E2A2}",  // hash
        Channel::Ad => "\u{E324}",      // megaphone
        Channel::App => "\u{E1E0}",     // device-mobile
        Channel::Chat => "\u{E16C}",    // chat-circle-dots
        Channel::Support => "\u{E584}", // headset
        Channel::Other => "\u{E200}",   // dots-three-circle
    }
}

/// The icon of a kind of research, on a card's evidence badge.
pub fn source_icon(source: Source) -> &'static str {
    match source {
        Source::Interview => "\u{E326}",      // microphone
        Source::Survey => "\u{E198}",         // clipboard-text
        Source::Analytics => "\u{E150}",      // chart-bar
        Source::SupportTickets => "\u{E490}", // ticket
        Source::Observation => "\u{E220}",    // eye
        Source::Assumption => "\u{E2DC}",     // lightbulb
    }
}

/// The mark of a confidence: a shape of its own for each, so it does not
/// rest on colour alone.
pub fn confidence_icon(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Validated => "\u{E606}",    // seal-check
        Confidence::SomeEvidence => "\u{E18C}", // circle-half
        Confidence::Assumption => "\u{E608}",   // seal-question
    }
}

/// A plain card, in the palette.
pub const CARD: &str = "\u{E3D4}"; // plus
/// A persona without a photo, where initials do not fit.
pub const PERSONA: &str = "\u{E4C4}"; // user-circle

#[cfg(test)]
mod tests {
    use super::*;

    /// Every icon named here is a glyph of the bundled font: a codepoint
    /// missing from the subset would draw egui's replacement box.
    #[test]
    fn every_icon_is_in_the_bundled_font() {
        let mut fonts = egui::epaint::text::Fonts::new(
            egui::epaint::text::TextOptions::default(),
            crate::view::theme::font_definitions(),
        );
        let mut icons: Vec<&str> = vec![CARD, PERSONA];
        icons.extend(Channel::ALL.map(channel_icon));
        icons.extend(Source::ALL.map(source_icon));
        icons.extend(Confidence::ALL.map(confidence_icon));
        let font = icon_font(14.0);
        for icon in icons {
            let c = icon.chars().next().unwrap_or_default();
            assert!(
                fonts.with_pixels_per_point(1.0).has_glyph(&font, c),
                "U+{:04X} is not in the icon font",
                c as u32
            );
        }
    }
}
