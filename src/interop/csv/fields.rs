//! One map-layout row's cells -> model values: the columns of a row, the
//! words of the model's choices (as the app shows them, or their names in
//! the file: `In progress` and `InProgress` both read), numbers and dates.

use super::table::{CsvError, Row, Table};
use super::write::{Col, card_state_word};
use crate::model::{
    ActionItem, CardState, Channel, Confidence, CurveState, Date, Evidence, LaneKind, Need,
    Priority, Resource, ResourceKind, SCORE_RANGE, Source, Status,
};

/// The map layout's columns as found in a header (any order, any subset).
pub(super) struct Columns([Option<usize>; super::COLUMNS.len()]);

impl Columns {
    /// Finds each column by name; warns about columns it does not know.
    pub fn of(table: &Table, warnings: &mut Vec<String>) -> Self {
        for name in &table.header {
            if !super::COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                warnings.push(format!(
                    "line {}: column `{name}` is not one of the map layout's; left out",
                    table.header_line
                ));
            }
        }
        Self(super::COLUMNS.map(|name| table.column(name)))
    }

    /// The text of `col` in `row` as written (empty where the column is missing).
    pub fn get<'a>(&self, row: &'a Row, col: Col) -> &'a str {
        row.get(self.0.get(col as usize).copied().flatten())
    }

    /// The text of `col`, owned.
    pub fn text(&self, row: &Row, col: Col) -> String {
        self.get(row, col).to_owned()
    }

    /// Whether the header has `col`.
    pub fn has(&self, col: Col) -> bool {
        self.0.get(col as usize).copied().flatten().is_some()
    }
}

/// Lower case without spaces, dashes or underscores: how choices compare.
fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// One of `all` by its word (`None` for an empty cell), or an error listing
/// the words accepted.
pub(super) fn choice<T: Copy>(
    row: &Row,
    text: &str,
    all: &[T],
    word: impl Fn(T) -> &'static str,
    what: &str,
) -> Result<Option<T>, CsvError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let wanted = squashed(text);
    if let Some(found) = all.iter().find(|t| squashed(word(**t)) == wanted) {
        return Ok(Some(*found));
    }
    let words: Vec<&str> = all.iter().map(|t| word(*t)).collect();
    Err(CsvError::new(
        row.line,
        format!("expected {what} ({}), found `{text}`", words.join(", ")),
    ))
}

/// A lane kind by its word.
pub(super) fn lane_kind(row: &Row, text: &str) -> Result<Option<LaneKind>, CsvError> {
    choice(row, text, &LaneKind::ALL, LaneKind::label, "a lane kind")
}

/// A curve state; empty is the current state.
pub(super) fn curve_state(row: &Row, text: &str) -> Result<CurveState, CsvError> {
    Ok(choice(
        row,
        text,
        &CurveState::ALL,
        CurveState::label,
        "a curve state",
    )?
    .unwrap_or_default())
}

/// A score, -2..=2: a number that is not one is an error, one outside the
/// range is clamped with a warning.
pub(super) fn score(
    table: &Table,
    row: &Row,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<f32, CsvError> {
    let text = text.trim();
    let value = if table.decimal_comma {
        text.replace(',', ".").parse::<f32>()
    } else {
        text.parse::<f32>()
    };
    let Some(value) = value.ok().filter(|v| v.is_finite()) else {
        return Err(CsvError::new(
            row.line,
            format!("expected a score, a number from -2 to 2, found `{text}`"),
        ));
    };
    let clamped = crate::model::clamp_score(value);
    if !SCORE_RANGE.contains(&value) {
        warnings.push(format!(
            "line {}: score {value} is outside -2..2; clamped to {clamped}",
            row.line
        ));
    }
    Ok(clamped)
}

/// The card fields of a row: channel, state, action item, evidence, resource.
pub(super) struct CardFields {
    pub channel: Option<Channel>,
    pub state: CardState,
    pub plan: Option<ActionItem>,
    pub evidence: Option<Evidence>,
    pub resource: Option<Resource>,
}

pub(super) fn card_fields(
    cols: &Columns,
    table: &Table,
    row: &Row,
) -> Result<CardFields, CsvError> {
    let get = |col| cols.get(row, col);
    let channel = choice(
        row,
        get(Col::Channel),
        &Channel::ALL,
        Channel::label,
        "a channel",
    )?;
    let state = choice(
        row,
        get(Col::CardState),
        &CardState::ALL,
        card_state_word,
        "a card state",
    )?
    .unwrap_or_default();
    Ok(CardFields {
        channel,
        state,
        plan: plan(cols, row)?,
        evidence: evidence(cols, row)?,
        resource: resource(cols, table, row)?,
    })
}

/// Whether any of `list` has text in `row`.
fn any(cols: &Columns, row: &Row, list: &[Col]) -> bool {
    list.iter().any(|c| !cols.get(row, *c).trim().is_empty())
}

/// An action item where any of its columns has text.
fn plan(cols: &Columns, row: &Row) -> Result<Option<ActionItem>, CsvError> {
    if !any(
        cols,
        row,
        &[Col::Priority, Col::Owner, Col::Status, Col::Due],
    ) {
        return Ok(None);
    }
    let get = |col| cols.get(row, col);
    Ok(Some(ActionItem {
        priority: choice(
            row,
            get(Col::Priority),
            &Priority::ALL,
            Priority::label,
            "a priority",
        )?
        .unwrap_or_default(),
        owner: cols.text(row, Col::Owner),
        status: choice(
            row,
            get(Col::Status),
            &Status::ALL,
            Status::label,
            "a status",
        )?
        .unwrap_or_default(),
        due: date(row, get(Col::Due))?,
    }))
}

/// Evidence where any of its columns has text; it needs a source and a
/// confidence.
fn evidence(cols: &Columns, row: &Row) -> Result<Option<Evidence>, CsvError> {
    if !any(
        cols,
        row,
        &[Col::Source, Col::Confidence, Col::Quote, Col::Link],
    ) {
        return Ok(None);
    }
    let get = |col| cols.get(row, col);
    let source = choice(
        row,
        get(Col::Source),
        &Source::ALL,
        Source::label,
        "an evidence source",
    )?;
    let confidence = choice(
        row,
        get(Col::Confidence),
        &Confidence::ALL,
        Confidence::label,
        "a confidence",
    )?;
    let (Some(source), Some(confidence)) = (source, confidence) else {
        return Err(CsvError::new(
            row.line,
            "expected both `evidence source` and `confidence` on a card with evidence",
        ));
    };
    Ok(Some(Evidence {
        source,
        confidence,
        quote: cols.text(row, Col::Quote),
        link: cols.text(row, Col::Link),
    }))
}

/// A resource where any of its columns has text; it needs a kind and a need.
fn resource(cols: &Columns, table: &Table, row: &Row) -> Result<Option<Resource>, CsvError> {
    if !any(cols, row, &[Col::ResourceKind, Col::Need, Col::Cost]) {
        return Ok(None);
    }
    let get = |col| cols.get(row, col);
    let kind = choice(
        row,
        get(Col::ResourceKind),
        &ResourceKind::ALL,
        ResourceKind::label,
        "a resource kind",
    )?;
    let need = choice(row, get(Col::Need), &Need::ALL, Need::label, "a need")?;
    let (Some(kind), Some(need)) = (kind, need) else {
        return Err(CsvError::new(
            row.line,
            "expected both `resource kind` and `need` on a card with a resource",
        ));
    };
    let cost = get(Col::Cost).trim();
    let cost = if cost.is_empty() {
        None
    } else {
        Some(table.number(cost).ok_or_else(|| {
            CsvError::new(
                row.line,
                format!("expected a cost, a number, found `{cost}`"),
            )
        })?)
    };
    Ok(Some(Resource { kind, need, cost }))
}

fn date(row: &Row, text: &str) -> Result<Option<Date>, CsvError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Date>().map(Some).map_err(|_| {
        CsvError::new(
            row.line,
            format!("expected a due date as YYYY-MM-DD, found `{text}`"),
        )
    })
}

/// A pain's severity: 1, 2 or 3, or its word.
pub(super) fn severity(row: &Row, text: &str) -> Result<u8, CsvError> {
    let text = text.trim();
    let value = match squashed(text).as_str() {
        "1" | "minor" => 1,
        "2" | "major" | "" => 2,
        "3" | "critical" => 3,
        _ => {
            return Err(CsvError::new(
                row.line,
                format!(
                    "expected a severity: 1 (minor), 2 (major) or 3 (critical), found `{text}`"
                ),
            ));
        }
    };
    Ok(value)
}

/// A yes/no cell: empty, `no`, `false` and `0` are no.
pub(super) fn yes(text: &str) -> bool {
    !matches!(squashed(text).as_str(), "" | "no" | "false" | "0" | "n")
}
