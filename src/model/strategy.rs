//! What turns a picture into a plan (format 2): KPIs of a stage, action items
//! on opportunity cards, evidence behind any card, resources a step needs,
//! revision notes, and a persona's photo.
//!
//! Every field here is optional in the file and left out when empty or
//! default, so a small map stays small. Numbers must be finite: a file with
//! `inf` or `NaN` is refused where the number stands.

use serde::{Deserialize, Serialize};

/// A calendar date (`"2026-12-07"` in the file).
pub type Date = jiff::civil::Date;

/// A named measure of a stage: where it stands and where it should be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// e.g. "NPS", "Conversion rate".
    pub name: String,
    /// The value measured.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "finite_opt"
    )]
    pub value: Option<f64>,
    /// The value the business aims for.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "finite_opt"
    )]
    pub target: Option<f64>,
    /// e.g. "%", "min", "pts".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Whether a higher or a lower value is better.
    #[serde(default, skip_serializing_if = "Better::is_default")]
    pub better: Better,
    /// When the value was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Date>,
}

/// Which way a KPI improves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Better {
    /// More is better (conversion, NPS).
    #[default]
    Higher,
    /// Less is better (time to complete, churn).
    Lower,
}

impl Better {
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Kpi {
    /// A KPI with a name and nothing measured yet.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: None,
            target: None,
            unit: String::new(),
            better: Better::Higher,
            measured: None,
        }
    }

    /// Whether the value meets the target; `None` when either is missing.
    pub fn on_target(&self) -> Option<bool> {
        let (value, target) = (self.value?, self.target?);
        Some(match self.better {
            Better::Higher => value >= target,
            Better::Lower => value <= target,
        })
    }

    /// The value with its unit, e.g. "42 %" or "3.5 min"; "–" when unmeasured.
    pub fn value_text(&self) -> String {
        self.value
            .map_or_else(|| "–".to_owned(), |v| with_unit(v, &self.unit))
    }

    /// The target with its unit; "–" when there is none.
    pub fn target_text(&self) -> String {
        self.target
            .map_or_else(|| "–".to_owned(), |v| with_unit(v, &self.unit))
    }
}

/// A number for a text field: no trailing ".0", at most two decimals, no
/// grouping (a field reads "," as a decimal comma).
pub fn plain_number_text(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A number as people read it: [`plain_number_text`] with thousands grouped
/// by commas ("24,000").
pub fn number_text(value: f64) -> String {
    let text = plain_number_text(value);
    let text = text.as_str();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
    let (whole, fraction) = digits.split_at(digits.find('.').unwrap_or(digits.len()));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{fraction}")
}

fn with_unit(value: f64, unit: &str) -> String {
    let number = number_text(value);
    match unit {
        "" => number,
        "%" => format!("{number}%"),
        unit => format!("{number} {unit}"),
    }
}

/// A KPI the inspector offers by name, with its usual unit and direction.
pub struct KpiPreset {
    /// Name shown and stored.
    pub name: &'static str,
    /// Usual unit.
    pub unit: &'static str,
    /// Which way is better.
    pub better: Better,
}

/// Common journey KPIs; users may also type any name.
pub const KPI_PRESETS: [KpiPreset; 10] = [
    preset("NPS", "", Better::Higher),
    preset("CSAT", "%", Better::Higher),
    preset("Customer effort score", "", Better::Lower),
    preset("Conversion rate", "%", Better::Higher),
    preset("Drop-off rate", "%", Better::Lower),
    preset("Retention rate", "%", Better::Higher),
    preset("Churn rate", "%", Better::Lower),
    preset("Time to complete", "min", Better::Lower),
    preset("First contact resolution", "%", Better::Higher),
    preset("Support contacts", "per 100", Better::Lower),
];

const fn preset(name: &'static str, unit: &'static str, better: Better) -> KpiPreset {
    KpiPreset { name, unit, better }
}

/// An opportunity as an item of the action plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    /// How much it matters.
    #[serde(default)]
    pub priority: Priority,
    /// Who sees it through.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// How far it has got.
    #[serde(default)]
    pub status: Status,
    /// When it should be done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}

impl ActionItem {
    /// Whether it is past its due date and not done.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status != Status::Done && self.due.is_some_and(|due| due < today)
    }
}

/// Priority of an action item.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Priority {
    /// Can wait.
    Low,
    /// Worth doing.
    #[default]
    Medium,
    /// Do first.
    High,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Self; 3] = [Self::Low, Self::Medium, Self::High];

    /// The word shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

/// How far an action item has got.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Status {
    /// Not decided yet.
    #[default]
    Idea,
    /// Agreed and scheduled.
    Planned,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Self; 4] = [Self::Idea, Self::Planned, Self::InProgress, Self::Done];

    /// The words shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Idea => "Idea",
            Self::Planned => "Planned",
            Self::InProgress => "In progress",
            Self::Done => "Done",
        }
    }
}

/// Where a card's content comes from, and how sure the team is of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The kind of research.
    pub source: Source,
    /// How sure we are.
    pub confidence: Confidence,
    /// A verbatim quote from the research.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// A link to the source (report, recording, dashboard).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub link: String,
}

/// A kind of research.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// One-to-one interviews.
    Interview,
    /// A survey.
    Survey,
    /// Product or web analytics.
    Analytics,
    /// Support tickets and call logs.
    SupportTickets,
    /// Watching people (contextual inquiry, usability tests).
    Observation,
    /// The team's belief, not yet researched.
    Assumption,
}

impl Source {
    /// Every source, in menu order.
    pub const ALL: [Self; 6] = [
        Self::Interview,
        Self::Survey,
        Self::Analytics,
        Self::SupportTickets,
        Self::Observation,
        Self::Assumption,
    ];

    /// The words shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Interview => "Interview",
            Self::Survey => "Survey",
            Self::Analytics => "Analytics",
            Self::SupportTickets => "Support tickets",
            Self::Observation => "Observation",
            Self::Assumption => "Assumption",
        }
    }
}

/// How well a card is backed by research.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// Confirmed by research.
    Validated,
    /// Some research points to it.
    SomeEvidence,
    /// Not researched yet.
    Assumption,
}

impl Confidence {
    /// Every level, surest first.
    pub const ALL: [Self; 3] = [Self::Validated, Self::SomeEvidence, Self::Assumption];

    /// The words shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Validated => "Validated",
            Self::SomeEvidence => "Some evidence",
            Self::Assumption => "Assumption",
        }
    }
}

/// What a step needs: a card in a Resources lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// People, a tool or budget.
    pub kind: ResourceKind,
    /// Whether it is there already or still needed.
    pub need: Need,
    /// What it costs, in the map's currency.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "finite_opt"
    )]
    pub cost: Option<f64>,
}

/// A kind of resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    /// Staff time or a team.
    People,
    /// Software, hardware or a service.
    Tool,
    /// Money.
    Budget,
}

impl ResourceKind {
    /// Every kind, in menu order.
    pub const ALL: [Self; 3] = [Self::People, Self::Tool, Self::Budget];

    /// The word shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::People => "People",
            Self::Tool => "Tool",
            Self::Budget => "Budget",
        }
    }
}

/// Whether a resource is available or required.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Need {
    /// The team has it.
    Available,
    /// The team still needs it.
    Required,
}

impl Need {
    /// Both, in menu order.
    pub const ALL: [Self; 2] = [Self::Available, Self::Required];

    /// The word shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Available => "Available",
            Self::Required => "Required",
        }
    }
}

/// One entry of the map's review history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// When.
    pub date: Date,
    /// Who.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// What changed.
    pub note: String,
}

/// A persona's photo: a small JPEG or PNG thumbnail, base64 in the file, so
/// the map stays one self-contained file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Photo(String);

impl Photo {
    /// Wraps encoded image bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        use base64::Engine as _;
        Self(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// The encoded image bytes.
    pub fn bytes(&self) -> Vec<u8> {
        use base64::Engine as _;
        // Checked when the photo was made or read, so decoding succeeds.
        base64::engine::general_purpose::STANDARD
            .decode(&self.0)
            .unwrap_or_default()
    }

    /// The base64 text, as stored.
    pub fn base64(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Photo {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        use base64::Engine as _;
        match base64::engine::general_purpose::STANDARD.decode(&text) {
            Ok(_) => Ok(Self(text)),
            Err(err) => Err(format!("a persona photo must be base64 image data: {err}")),
        }
    }
}

impl From<Photo> for String {
    fn from(photo: Photo) -> Self {
        photo.0
    }
}

/// Reads an optional number that must be finite, so the message of a bad
/// file gives the line and column of `inf` or `NaN`.
fn finite_opt<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    let value = Option::<f64>::deserialize(deserializer)?;
    match value {
        Some(v) if !v.is_finite() => Err(serde::de::Error::custom(format!(
            "a number must be finite, not {v}"
        ))),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_target_follows_the_direction() {
        let mut kpi = Kpi::named("Time to complete");
        assert_eq!(kpi.on_target(), None);
        kpi.value = Some(12.0);
        kpi.target = Some(10.0);
        assert_eq!(kpi.on_target(), Some(true));
        kpi.better = Better::Lower;
        assert_eq!(kpi.on_target(), Some(false));
        kpi.value = Some(10.0);
        assert_eq!(kpi.on_target(), Some(true));
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(3.5), "3.5");
        assert_eq!(number_text(0.125), "0.13");
        assert_eq!(number_text(-7.0), "-7");
        assert_eq!(number_text(24_000.0), "24,000");
        assert_eq!(number_text(-1_234_567.5), "-1,234,567.5");
        assert_eq!(number_text(999.0), "999");
        assert_eq!(plain_number_text(24_000.5), "24000.5");
        let mut kpi = Kpi::named("Conversion rate");
        kpi.value = Some(4.2);
        kpi.unit = "%".into();
        assert_eq!(kpi.value_text(), "4.2%");
        kpi.unit = "min".into();
        assert_eq!(kpi.value_text(), "4.2 min");
        assert_eq!(kpi.target_text(), "–");
    }

    #[test]
    fn overdue_only_when_open_and_past_due() {
        let today = Date::constant(2026, 12, 7);
        let mut item = ActionItem {
            due: Some(Date::constant(2026, 12, 6)),
            ..ActionItem::default()
        };
        assert!(item.is_overdue(today));
        item.status = Status::Done;
        assert!(!item.is_overdue(today));
        item.status = Status::Planned;
        item.due = Some(today);
        assert!(!item.is_overdue(today));
    }

    #[test]
    fn photo_refuses_text_that_is_not_base64() {
        assert!(Photo::try_from("not base64!".to_owned()).is_err());
        let photo = Photo::from_bytes(&[1, 2, 3]);
        assert_eq!(photo.bytes(), vec![1, 2, 3]);
    }
}
