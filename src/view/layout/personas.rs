//! The persona strip: a row under the lanes (and the row of pain notes)
//! with one block per persona: avatar, name, role, quote, and goals,
//! needs and frustrations as labelled blocks.
//!
//! Why a row below rather than a column left of the lane labels: a laptop
//! screen (1366x768) and a 16:9 slide are both landscape, and maps grow
//! wider with every step while their height stays that of the lanes, so
//! zoom-to-fit is mostly limited by width. A row spends the height such a
//! map leaves free; a column would widen the map and shrink every card. The
//! lane labels also stay at the map's left edge, where each row is read
//! from. The strip is only there when a persona has more than a name
//! (role, quote, goals, needs, frustrations or a photo): the corner and the
//! export header name the personas already.

use std::sync::Arc;

use egui::{Rangef, Rect, Vec2, pos2, vec2};

use super::Layout;
use super::bands::{BAND_GAP, BAND_PAD, LabelledText};
use crate::model::{Journey, Persona, PersonaId};
use crate::view::measure::{Wrapped, wrap};
use crate::view::theme::Theme;

/// Side of a persona's avatar.
pub const AVATAR_SIZE: f32 = 52.0;
/// Space between the avatar and the name.
const AVATAR_GAP: f32 = 12.0;
/// Narrowest a persona block gets unless the map is narrower.
const MIN_BLOCK_WIDTH: f32 = 320.0;
/// Widest a persona block gets: longer rows are hard to read.
const MAX_BLOCK_WIDTH: f32 = 640.0;
/// Narrowest of the three labelled blocks side by side.
const MIN_FACT_WIDTH: f32 = 150.0;
/// Characters of a persona's name, role or quote shown at most.
const MAX_CHARS: usize = 600;

/// One persona's block in the strip.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonaBlock {
    /// The persona.
    pub id: PersonaId,
    /// Its position in the journey's personas (for its colour).
    pub index: usize,
    /// The block.
    pub rect: Rect,
    /// Where the avatar (or photo) goes.
    pub avatar: Rect,
    /// The name, beside the avatar.
    pub name: Arc<Wrapped>,
    /// The role, under the name.
    pub role: Option<Arc<Wrapped>>,
    /// The quote in quotation marks, under the avatar, and how far below
    /// the block's top it starts.
    pub quote: Option<(Arc<Wrapped>, f32)>,
    /// Goals, needs and frustrations, each at its offset from the block's
    /// top left.
    pub facts: Vec<(Vec2, LabelledText)>,
}

/// The strip under the map.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonaStrip {
    /// Top and bottom edge.
    pub y: Rangef,
    /// One block per persona, in the journey's order.
    pub blocks: Vec<PersonaBlock>,
}

/// Whether a persona has more to show than its name.
fn is_rich(p: &Persona) -> bool {
    [&p.role, &p.quote, &p.goals, &p.needs, &p.frustrations]
        .iter()
        .any(|t| !t.trim().is_empty())
        || p.photo.is_some()
}

impl Layout {
    /// The persona strip from `top` down, if any persona has more than a
    /// name. Returns its bottom (`top` without a strip).
    pub(super) fn place_personas(&mut self, journey: &Journey, theme: &Theme, top: f32) -> f32 {
        // Hidden personas are left out; the others keep their position in
        // the list, which gives their colour.
        let shown: Vec<(usize, &crate::model::Persona)> = (journey.personas.iter().enumerate())
            .filter(|(_, p)| !p.hidden)
            .collect();
        if !shown.iter().any(|(_, p)| is_rich(p)) {
            return top;
        }
        let left = self.label_x.max + theme.card_gap;
        let room = (self.size.x - theme.card_gap - left).max(AVATAR_SIZE * 2.0);
        let count = shown.len().max(1) as f32;
        let width = (room / count - theme.card_gap)
            .clamp(MIN_BLOCK_WIDTH, MAX_BLOCK_WIDTH)
            .min(room);
        let per_row = ((room + theme.card_gap) / (width + theme.card_gap))
            .floor()
            .max(1.0) as usize;
        let mut blocks = Vec::new();
        let mut y = top + theme.card_gap;
        for row in shown.chunks(per_row) {
            let mut x = left;
            let mut row_height: f32 = 0.0;
            for (index, persona) in row {
                let block = persona_block(persona, *index, pos2(x, y), width, theme);
                row_height = row_height.max(block.rect.height());
                x += width + theme.card_gap;
                blocks.push(block);
            }
            // Blocks of a row share its height, so their edges line up.
            for block in blocks.iter_mut().rev().take(row.len()) {
                block.rect.max.y = y + row_height;
            }
            y += row_height + theme.card_gap;
        }
        let strip = PersonaStrip {
            y: Rangef::new(top, y.ceil()),
            blocks,
        };
        let bottom = strip.y.max;
        self.personas = Some(strip);
        bottom
    }
}

/// A persona's block with its top left at `min`, `width` wide, as tall as
/// its text.
fn persona_block(
    persona: &Persona,
    index: usize,
    min: egui::Pos2,
    width: f32,
    theme: &Theme,
) -> PersonaBlock {
    let inner = width - 2.0 * BAND_PAD;
    let avatar = Rect::from_min_size(min + vec2(BAND_PAD, BAND_PAD), Vec2::splat(AVATAR_SIZE));
    let beside = (inner - AVATAR_SIZE - AVATAR_GAP).max(24.0);
    let name = wrap(&cut(persona.name.trim()), &theme.title_font(1.0), beside);
    let role = (!persona.role.trim().is_empty())
        .then(|| wrap(&cut(persona.role.trim()), &theme.small_font(1.0), beside));
    let head = name.height() + role.as_ref().map_or(0.0, |r| r.height());
    let mut y = BAND_PAD + head.max(AVATAR_SIZE) + BAND_GAP;
    let quote = (!persona.quote.trim().is_empty()).then(|| {
        let text = format!("“{}”", cut(persona.quote.trim()));
        let rows = wrap(&text, &theme.label_font(1.0), inner);
        let at = y;
        y += rows.height() + BAND_GAP;
        (rows, at)
    });
    let facts: Vec<(&'static str, &str)> = [
        ("Goals", persona.goals.trim()),
        ("Needs", persona.needs.trim()),
        ("Frustrations", persona.frustrations.trim()),
    ]
    .into_iter()
    .filter(|(_, t)| !t.is_empty())
    .collect();
    let columns = if inner >= MIN_FACT_WIDTH * 3.0 + 2.0 * BAND_PAD {
        facts.len().max(1)
    } else {
        1
    };
    let fact_width = (inner - (columns as f32 - 1.0) * BAND_PAD) / columns as f32;
    let mut placed = Vec::new();
    let mut bottom = y;
    for (i, (label, text)) in facts.into_iter().enumerate() {
        let column = i % columns;
        let at = if columns == 1 { bottom } else { y };
        let block = LabelledText::new(label, text, fact_width, 0.0, theme);
        let offset = vec2(BAND_PAD + column as f32 * (fact_width + BAND_PAD), at);
        bottom = bottom.max(at + block.bottom(theme) + BAND_GAP);
        placed.push((offset, block));
    }
    let height = (bottom - BAND_GAP + BAND_PAD).ceil();
    PersonaBlock {
        id: persona.id,
        index,
        rect: Rect::from_min_size(min, vec2(width, height)),
        avatar,
        name,
        role,
        quote,
        facts: placed,
    }
}

/// `text` cut to what a persona block shows, ending in "…" when cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text).trim_end()),
        None => text.to_owned(),
    }
}
