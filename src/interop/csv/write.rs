//! A map -> CSV in the map layout: the `map` row, the structure (stages,
//! steps, lanes) in map order, then cards, scores and samples, and pains.

use crate::model::{
    Anchor, Card, CardState, CurveState, EmotionCurve, Journey, PainPoint, Sample, StepId,
};

/// The columns of the map layout, in the order written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Record,
    Stage,
    Step,
    Lane,
    LaneKind,
    Title,
    Notes,
    Channel,
    CardState,
    Priority,
    Owner,
    Status,
    Due,
    Source,
    Confidence,
    Quote,
    Link,
    ResourceKind,
    Need,
    Cost,
    Persona,
    CurveState,
    Participant,
    Score,
    Pain,
    Severity,
    Anchor,
    Opportunity,
    Solved,
}

/// The header row of the map layout.
pub const COLUMNS: [&str; 29] = [
    "record",
    "stage",
    "step",
    "lane",
    "lane kind",
    "title",
    "notes",
    "channel",
    "card state",
    "priority",
    "owner",
    "status",
    "due",
    "evidence source",
    "confidence",
    "quote",
    "link",
    "resource kind",
    "need",
    "cost",
    "persona",
    "curve state",
    "participant",
    "score",
    "pain",
    "severity",
    "anchor",
    "opportunity",
    "solved in future",
];

impl Col {
    /// The column's name in the header.
    pub fn name(self) -> &'static str {
        COLUMNS.get(self as usize).copied().unwrap_or_default()
    }
}

/// The word a card's state is written as.
pub(super) fn card_state_word(state: CardState) -> &'static str {
    match state {
        CardState::Current => "Current",
        CardState::Future => "Future",
        CardState::Removed => "Removed",
    }
}

/// One row being filled in.
struct Line([String; COLUMNS.len()]);

impl Line {
    fn new(record: &str) -> Self {
        let mut line = Self(std::array::from_fn(|_| String::new()));
        line.set(Col::Record, record);
        line
    }

    fn set(&mut self, col: Col, value: impl Into<String>) -> &mut Self {
        if let Some(cell) = self.0.get_mut(col as usize) {
            *cell = value.into();
        }
        self
    }

    /// The stage and step of a step id, if the map has it.
    fn at_step(&mut self, journey: &Journey, step: StepId) -> &mut Self {
        if let Some((stage, step)) = journey.step(step) {
            self.set(Col::Stage, stage.name.as_str());
            self.set(Col::Step, step.name.as_str());
        }
        self
    }
}

/// The whole map as CSV text in the map layout (see the module docs for
/// what a CSV cannot hold).
pub fn write_map(journey: &Journey) -> String {
    let mut lines = vec![Line::new("map")];
    if let Some(first) = lines.first_mut() {
        first
            .set(Col::Title, journey.title.as_str())
            .set(Col::Notes, journey.description.as_str());
    }
    for stage in &journey.stages {
        if stage.steps.is_empty() {
            let mut line = Line::new("stage");
            line.set(Col::Stage, stage.name.as_str());
            lines.push(line);
        }
        for step in &stage.steps {
            let mut line = Line::new("step");
            line.set(Col::Stage, stage.name.as_str())
                .set(Col::Step, step.name.as_str());
            lines.push(line);
        }
    }
    for lane in &journey.lanes {
        let mut line = Line::new("lane");
        line.set(Col::Lane, lane.name.as_str())
            .set(Col::LaneKind, lane.kind.label());
        lines.push(line);
    }
    lines.extend(journey.cards.iter().map(|card| card_line(journey, card)));
    for curve in &journey.curves {
        score_lines(journey, curve, &mut lines);
    }
    lines.extend(journey.pain_points.iter().map(|p| pain_line(journey, p)));
    let mut out = ::csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail, and every row has the header's length.
    let _ = out.write_record(COLUMNS);
    for line in &lines {
        let _ = out.write_record(&line.0);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn card_line(journey: &Journey, card: &Card) -> Line {
    let mut line = Line::new("card");
    line.at_step(journey, card.step);
    if let Some(lane) = journey.lane(card.lane) {
        line.set(Col::Lane, lane.name.as_str())
            .set(Col::LaneKind, lane.kind.label());
    }
    line.set(Col::Title, card.title.as_str())
        .set(Col::Notes, card.notes.as_str())
        .set(Col::Channel, card.channel.map_or("", |c| c.label()))
        .set(Col::CardState, card_state_word(card.state));
    if let Some(plan) = &card.plan {
        line.set(Col::Priority, plan.priority.label())
            .set(Col::Owner, plan.owner.as_str())
            .set(Col::Status, plan.status.label())
            .set(
                Col::Due,
                plan.due.map(|d| d.to_string()).unwrap_or_default(),
            );
    }
    if let Some(evidence) = &card.evidence {
        line.set(Col::Source, evidence.source.label())
            .set(Col::Confidence, evidence.confidence.label())
            .set(Col::Quote, evidence.quote.as_str())
            .set(Col::Link, evidence.link.as_str());
    }
    if let Some(resource) = &card.resource {
        line.set(Col::ResourceKind, resource.kind.label())
            .set(Col::Need, resource.need.label())
            .set(
                Col::Cost,
                resource.cost.map(|c| c.to_string()).unwrap_or_default(),
            );
    }
    line
}

/// A curve's points in map order: the samples where a point has some (its
/// score is their median), the point's score where it has none.
fn score_lines(journey: &Journey, curve: &EmotionCurve, lines: &mut Vec<Line>) {
    let Some(persona) = journey.persona(curve.persona) else {
        return;
    };
    let scored = |record: &str, step: StepId, score: f32| {
        let mut line = Line::new(record);
        line.set(Col::Persona, persona.name.as_str())
            .set(Col::CurveState, curve.state.label())
            .at_step(journey, step)
            .set(Col::Score, score.to_string());
        line
    };
    for (_, step) in journey.steps() {
        let samples = curve.samples_at(step.id);
        if samples.is_empty() {
            if let Some(score) = curve.points.get(&step.id) {
                lines.push(scored("score", step.id, *score));
            }
            continue;
        }
        for Sample { participant, score } in samples {
            let mut line = scored("sample", step.id, *score);
            line.set(Col::Participant, participant.as_str());
            lines.push(line);
        }
    }
}

fn pain_line(journey: &Journey, pain: &PainPoint) -> Line {
    let mut line = Line::new("pain");
    line.set(Col::Pain, pain.text.as_str())
        .set(Col::Severity, pain.severity.to_string());
    match pain.anchor {
        Anchor::Card(id) => {
            line.set(Col::Anchor, "card");
            if let Some(card) = journey.card(id) {
                line.at_step(journey, card.step)
                    .set(Col::Title, card.title.as_str());
                if let Some(lane) = journey.lane(card.lane) {
                    line.set(Col::Lane, lane.name.as_str());
                }
            }
        }
        Anchor::Curve(persona, step) => {
            line.set(Col::Anchor, "curve")
                .set(Col::CurveState, CurveState::Current.label())
                .at_step(journey, step);
            if let Some(persona) = journey.persona(persona) {
                line.set(Col::Persona, persona.name.as_str());
            }
        }
        Anchor::Step(step) => {
            line.set(Col::Anchor, "step").at_step(journey, step);
        }
    }
    if let Some(card) = pain.opportunity.and_then(|id| journey.card(id)) {
        line.set(Col::Opportunity, card.title.as_str());
    }
    if pain.solved_in_future {
        line.set(Col::Solved, "yes");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_name_and_rows_have_the_header_length() {
        assert_eq!(Col::Solved.name(), "solved in future");
        assert_eq!(Col::Record.name(), "record");
        let j = crate::model::templates::Template::FourStage.build("Checkout, \"new\"");
        let text = write_map(&j);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), COLUMNS.as_slice());
        let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "map");
        assert_eq!(&rows[0][5], "Checkout, \"new\"");
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
    }
}
