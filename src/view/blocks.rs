//! The text of a card and of a pain note, row by row, and the height it
//! needs. The layout sizes boxes with it and the scene draws the same rows,
//! so what is measured is what is drawn, at every zoom and export scale.
//!
//! Text beyond a generous limit per card is left out (ending in "…"): a
//! card is not a document, and laying out megabytes would stall the editor.

use std::sync::Arc;

use crate::model::{Card, CardNotes, Date, Journey, PainPoint, number_text};
use crate::view::measure::{Wrapped, row_height, wrap};
use crate::view::theme::Theme;

/// Space left of a card's text (its channel strip is inside it).
pub const CARD_PAD_LEFT: f32 = 13.0;
/// Space right of a card's text.
pub const CARD_PAD_RIGHT: f32 = 8.0;
/// Space above and below a card's text.
pub const CARD_PAD_Y: f32 = 6.0;
/// Space between a card's title, notes and channel.
pub const CARD_TEXT_GAP: f32 = 3.0;
/// Width a pain badge on a card takes from its title.
pub const BADGE_ROOM: f32 = 24.0;
/// Width of a card's evidence badge, at the right end of its bottom row.
pub const EVIDENCE_ROOM: f32 = 36.0;
/// Space left of a pain note's text: its strip and its number badge.
pub const NOTE_PAD_LEFT: f32 = 34.0;
/// Smallest height of a pain note.
const NOTE_MIN_HEIGHT: f32 = 40.0;

/// Characters of a title drawn at most.
const MAX_TITLE_CHARS: usize = 400;
/// Characters of notes drawn at most.
const MAX_NOTES_CHARS: usize = 1_200;

/// What a card shows, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct CardText {
    /// The title's rows ("Untitled" when empty).
    pub title: Arc<Wrapped>,
    /// The notes' rows, as much as the map shows; `None` when none.
    pub notes: Option<Arc<Wrapped>>,
    /// The channel's name, on its own row at the bottom.
    pub channel: Option<&'static str>,
    /// An action item's or a resource's facts, under the notes.
    pub facts: Option<CardFacts>,
    /// Whether the card needs a bottom row of its own for its evidence
    /// badge: it has no channel row, and its last row of text reaches under
    /// the badge (otherwise the badge sits beside that row).
    pub badge_row: bool,
}

/// The plan data a card shows under its notes: an action item's priority,
/// status, owner and due date, or a resource's kind, need and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct CardFacts {
    /// The rows, in the small font.
    pub rows: Arc<Wrapped>,
    /// An action item past its due date and not done: the rows say
    /// "overdue" and are drawn in the warning colour.
    pub overdue: bool,
}

impl CardText {
    /// The card's height for this text: at least the theme's card height.
    pub fn height(&self, theme: &Theme) -> f32 {
        let mut h = CARD_PAD_Y * 2.0 + self.title.height();
        if let Some(notes) = &self.notes {
            h += CARD_TEXT_GAP + notes.height();
        }
        if let Some(facts) = &self.facts {
            h += CARD_TEXT_GAP + facts.rows.height();
        }
        if self.channel.is_some() || self.badge_row {
            h += CARD_TEXT_GAP + row_height(&theme.small_font(1.0));
        }
        // Whole map units, so a map's size scales to whole pixels exactly.
        h.ceil().max(theme.card_height)
    }

    /// How far below the card's top its facts' rows start.
    pub fn facts_top(&self) -> f32 {
        let notes = self
            .notes
            .as_ref()
            .map_or(0.0, |n| n.height() + CARD_TEXT_GAP);
        CARD_PAD_Y + self.title.height() + CARD_TEXT_GAP + notes
    }
}

/// Width of a card's text on a card `card_width` wide carrying `badges`
/// pain badges (they sit at the top right, beside the title).
pub fn card_text_width(card_width: f32, badges: usize) -> f32 {
    (card_width - CARD_PAD_LEFT - CARD_PAD_RIGHT - badges as f32 * BADGE_ROOM).max(24.0)
}

/// A card's text broken into rows `width` map units wide. `today` decides
/// whether an action item is overdue (no item is without it); `currency`
/// goes with a resource's cost.
pub fn card_text(
    card: &Card,
    shown: CardNotes,
    width: f32,
    theme: &Theme,
    (today, currency): (Option<Date>, &str),
) -> CardText {
    let title = if card.title.trim().is_empty() {
        "Untitled".to_owned()
    } else {
        limited(&card.title, MAX_TITLE_CHARS)
    };
    let notes = match shown {
        CardNotes::TitleOnly => None,
        CardNotes::FirstLine => card.notes.lines().find(|l| !l.trim().is_empty()),
        CardNotes::All => Some(card.notes.trim()),
    }
    .filter(|n| !n.trim().is_empty())
    .map(|n| wrap(&limited(n, MAX_NOTES_CHARS), &theme.small_font(1.0), width));
    let title = wrap(&title, &theme.title_font(1.0), width);
    let facts = card_facts(card, today, currency).map(|(text, overdue)| CardFacts {
        rows: wrap(&text, &theme.small_font(1.0), width),
        overdue,
    });
    let last = (facts.as_ref().map(|f| &f.rows))
        .or(notes.as_ref())
        .unwrap_or(&title);
    let reach = last.row_widths.last().copied().unwrap_or(0.0);
    let badge_row =
        card.evidence.is_some() && card.channel.is_none() && reach > width - EVIDENCE_ROOM;
    CardText {
        title,
        notes,
        channel: card.channel.map(crate::model::Channel::label),
        facts,
        badge_row,
    }
}

/// A date as the map shows it: "12 Jan 2027".
pub fn short_date(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// A cost with the map's currency: "€1,200" for a symbol, "1,200 USD" for
/// a code, the bare number without a currency.
pub fn money_text(value: f64, currency: &str) -> String {
    let number = number_text(value);
    match currency.trim() {
        "" => number,
        symbol if symbol.chars().count() == 1 => format!("{symbol}{number}"),
        code => format!("{number} {code}"),
    }
}

/// The line of plan data a card shows, and whether it is overdue:
/// "High priority · In progress", then "Ana · due 12 Jan 2027 · overdue"; or
/// "Required · Tool · €1,200".
fn card_facts(card: &Card, today: Option<Date>, currency: &str) -> Option<(String, bool)> {
    if let Some(item) = &card.plan {
        // Priority and status on one row, who and when on the next.
        let mut parts = vec![format!(
            "{} priority · {}\n",
            item.priority.label(),
            item.status.label()
        )];
        if !item.owner.trim().is_empty() {
            parts.push(limited(item.owner.trim(), MAX_TITLE_CHARS));
        }
        if let Some(due) = item.due {
            parts.push(format!("due {}", short_date(due)));
        }
        let overdue = today.is_some_and(|today| item.is_overdue(today));
        if overdue {
            parts.push("overdue".to_owned());
        }
        let (head, rest) = parts.split_at(1);
        let text = format!("{}{}", head.concat(), rest.join(" · "));
        return Some((text.trim_end().to_owned(), overdue));
    }
    let resource = card.resource.as_ref()?;
    let mut parts = vec![resource.need.label(), resource.kind.label()]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    if let Some(cost) = resource.cost {
        parts.push(money_text(cost, currency));
    }
    Some((parts.join(" · "), false))
}

/// A pain note's text and height in a note `note_width` wide.
pub fn pain_text(pain: &PainPoint, note_width: f32, theme: &Theme) -> (Arc<Wrapped>, f32) {
    let text = if pain.text.trim().is_empty() {
        "Pain point".to_owned()
    } else {
        limited(&pain.text, MAX_NOTES_CHARS)
    };
    let rows = wrap(
        &text,
        &theme.label_font(1.0),
        note_width - NOTE_PAD_LEFT - CARD_PAD_RIGHT,
    );
    let height =
        CARD_PAD_Y * 2.0 + rows.height() + CARD_TEXT_GAP + row_height(&theme.small_font(1.0));
    (rows, height.ceil().max(NOTE_MIN_HEIGHT))
}

/// Space left and right of the corner's text.
pub const CORNER_PAD: f32 = 12.0;
/// Space above and below the corner's text.
pub const CORNER_PAD_Y: f32 = 8.0;

/// The corner above the lane labels: the map's title and its personas,
/// wrapped to the label column.
pub fn corner_text(journey: &Journey, theme: &Theme) -> (Arc<Wrapped>, Arc<Wrapped>) {
    let width = theme.label_width - 2.0 * CORNER_PAD;
    let names: Vec<&str> = (journey.personas.iter())
        .filter(|p| !p.hidden)
        .map(|p| p.name.as_str())
        .collect();
    (
        wrap(
            &limited(&journey.title, MAX_TITLE_CHARS),
            &theme.label_font(1.0),
            width,
        ),
        wrap(
            &limited(&names.join(", "), MAX_TITLE_CHARS),
            &theme.small_font(1.0),
            width,
        ),
    )
}

/// The height the corner needs for its text.
pub fn corner_height(journey: &Journey, theme: &Theme) -> f32 {
    let (title, personas) = corner_text(journey, theme);
    (2.0 * CORNER_PAD_Y + title.height() + CARD_TEXT_GAP + personas.height()).ceil()
}

/// `text` cut to `max` characters, ending in "…" when cut.
fn limited(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text).trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CardId, Channel, LaneId, StepId};

    const NO_PLAN: (Option<Date>, &str) = (None, "");

    fn card(title: &str, notes: &str) -> Card {
        Card {
            notes: notes.to_owned(),
            channel: Some(Channel::Web),
            ..Card::new(CardId(1), StepId(2), LaneId(3), title)
        }
    }

    #[test]
    fn a_card_grows_with_its_text_and_its_notes_setting() {
        let theme = Theme::default();
        let width = card_text_width(160.0, 0);
        let short = card_text(
            &card("Checkout", ""),
            CardNotes::All,
            width,
            &theme,
            NO_PLAN,
        );
        let long = card_text(
            &card(
                "Sees a sponsored story about weekly delivery while scrolling at night",
                "Line one of the notes\nLine two, which only All shows",
            ),
            CardNotes::FirstLine,
            width,
            &theme,
            NO_PLAN,
        );
        assert!((short.height(&theme) - theme.card_height).abs() < 1e-3);
        assert!(long.title.rows.len() >= 3, "{:?}", long.title.rows);
        assert!(long.height(&theme) > theme.card_height);
        let notes = long
            .notes
            .as_ref()
            .map(|n| n.rows.concat())
            .unwrap_or_default();
        assert!(notes.contains("Line one") && !notes.contains("Line two"));
        let all = card_text(
            &card("t", "Line one of the notes\nLine two, which only All shows"),
            CardNotes::All,
            width,
            &theme,
            NO_PLAN,
        );
        assert!(
            all.notes
                .as_ref()
                .is_some_and(|n| n.rows.concat().contains("Line two"))
        );
        let title_only = card_text(
            &card("t", "notes"),
            CardNotes::TitleOnly,
            width,
            &theme,
            NO_PLAN,
        );
        assert!(title_only.notes.is_none());
    }

    #[test]
    fn an_evidence_badge_adds_a_bottom_row_only_where_text_would_reach_it() {
        let theme = Theme::default();
        let width = card_text_width(176.0, 0);
        let evidence = Some(crate::model::Evidence {
            source: crate::model::Source::Interview,
            confidence: crate::model::Confidence::Validated,
            quote: String::new(),
            link: String::new(),
        });
        let text = "Compares the delivery fees of two rival grocery apps";
        let mut plain = card(text, "");
        plain.channel = None;
        let mut badged = plain.clone();
        badged.evidence.clone_from(&evidence);
        let (a, b) = (
            card_text(&plain, CardNotes::All, width, &theme, (None, "")),
            card_text(&badged, CardNotes::All, width, &theme, (None, "")),
        );
        assert_eq!(a.title, b.title, "the title keeps its width");
        assert!(b.height(&theme) > a.height(&theme));
        // A touchpoint's channel row holds the badge too.
        let touch = card(text, "");
        let mut touch_badged = touch.clone();
        touch_badged.evidence = evidence;
        let (c, d) = (
            card_text(&touch, CardNotes::All, width, &theme, (None, "")),
            card_text(&touch_badged, CardNotes::All, width, &theme, (None, "")),
        );
        assert!((c.height(&theme) - d.height(&theme)).abs() < 1e-3);
        // A short last row leaves the badge room beside it.
        let mut short = card("Checkout", "");
        short.channel = None;
        let mut short_badged = short.clone();
        short_badged.evidence = touch_badged.evidence.clone();
        let (e, f) = (
            card_text(&short, CardNotes::All, width, &theme, (None, "")),
            card_text(&short_badged, CardNotes::All, width, &theme, (None, "")),
        );
        assert!(!f.badge_row);
        assert!((e.height(&theme) - f.height(&theme)).abs() < 1e-3);
    }

    #[test]
    fn badges_narrow_the_title_and_huge_text_is_limited() {
        assert!(card_text_width(160.0, 2) < card_text_width(160.0, 0) - 40.0);
        let theme = Theme::default();
        let huge = "word ".repeat(100_000);
        let text = card_text(&card(&huge, &huge), CardNotes::All, 139.0, &theme, NO_PLAN);
        let drawn: usize = text.title.rows.iter().map(String::len).sum();
        assert!(drawn <= MAX_TITLE_CHARS * 2, "{drawn}");
        assert!(text.title.rows.concat().ends_with('…'));
    }
}
