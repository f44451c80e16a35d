//! The survey layout: a header row of step names (`Step` or `Stage / Step`)
//! after a first column of participants, and one row per participant with
//! a score per step (an empty cell is no answer). The scale is read from
//! the scores: any below 1 mean -2..+2 as they are; otherwise they are
//! 1..5, mapped as Mermaid's are (1 -> -2, 3 -> 0, 5 -> +2). The first
//! header cell may say which (`Participant (1..5)`, `(-2..2)`).

use super::table::{CsvError, Table};
use super::{Imported, ScoreRow, Scores, count};
use crate::model::{
    CurveState, EmotionCurve, Journey, Lane, LaneId, LaneKind, Persona, PersonaId, Sample, Stage,
    StageId, Step, StepId, median,
};

/// The scale a survey's scores are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 1..5, as Mermaid journeys score tasks.
    OneToFive,
    /// -2..+2, the curve's own scale.
    Emotion,
}

impl Scale {
    /// How the import report names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::OneToFive => "the 1..5 scale (1 -> -2, 3 -> 0, 5 -> +2)",
            Self::Emotion => "the -2..+2 scale, as the curve's",
        }
    }

    fn range(self) -> std::ops::RangeInclusive<f32> {
        match self {
            Self::OneToFive => 1.0..=5.0,
            Self::Emotion => -2.0..=2.0,
        }
    }

    fn emotion(self, value: f32) -> f32 {
        match self {
            Self::OneToFive => value - 3.0,
            Self::Emotion => value,
        }
    }

    /// The scale the first header cell names, if it names one.
    fn named(cell: &str) -> Option<Self> {
        let cell: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
        if ["-2..2", "-2..+2", "-2to2", "-2to+2"]
            .iter()
            .any(|s| cell.contains(s))
        {
            Some(Self::Emotion)
        } else if ["1..5", "1-5", "1to5"].iter().any(|s| cell.contains(s)) {
            Some(Self::OneToFive)
        } else {
            None
        }
    }
}

/// `Stage / Step` -> (stage, step); a plain name is a step of a blank stage.
fn stage_and_step(cell: &str) -> (String, String) {
    match cell.split_once(" / ") {
        Some((stage, step)) => (stage.trim().to_owned(), step.trim().to_owned()),
        None => (String::new(), cell.trim().to_owned()),
    }
}

/// Reads a survey's scores, one sample per answered cell.
pub(super) fn read(table: &Table) -> Result<Scores, CsvError> {
    let is_plan = table.header.len() == crate::interop::plan_csv::COLUMNS.len()
        && table
            .header
            .iter()
            .zip(crate::interop::plan_csv::COLUMNS)
            .all(|(h, c)| h.eq_ignore_ascii_case(c));
    if is_plan {
        return Err(CsvError::new(
            table.header_line,
            "expected a map or a survey, found an action plan (`waymark export --plan`), which holds too little of a map to read back; export the whole map with `waymark export MAP -o map.csv`",
        ));
    }
    let first = table.header.first().map_or("", String::as_str);
    let steps: Vec<(usize, (String, String))> = table
        .header
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, name)| !name.is_empty())
        .map(|(i, name)| (i, stage_and_step(name)))
        .collect();
    if steps.is_empty() {
        return Err(CsvError::new(
            table.header_line,
            "expected a header row of a participant column and step names (`Stage / Step`), or a map's `record,stage,step,...`",
        ));
    }
    let mut values = Vec::new();
    for row in &table.rows {
        let participant = row.cells.first().cloned().unwrap_or_default();
        for (column, (stage, step)) in &steps {
            let text = row.get(Some(*column)).trim();
            if text.is_empty() {
                continue;
            }
            let value = table
                .number(text)
                .map(|v| v as f32)
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    CsvError::new(
                        row.line,
                        format!(
                            "expected a score (1..5 or -2..+2) for `{}`, found `{text}`",
                            table.header.get(*column).map_or("", String::as_str)
                        ),
                    )
                })?;
            values.push((
                row.line,
                participant.clone(),
                stage.clone(),
                step.clone(),
                value,
            ));
        }
    }
    let scale = match Scale::named(first) {
        Some(scale) => scale,
        None => detect(&values)?,
    };
    let mut rows = Vec::new();
    for (line, participant, stage, step, value) in values {
        if !scale.range().contains(&value) {
            return Err(CsvError::new(
                line,
                format!("expected a score on {}, found {value}", scale.label()),
            ));
        }
        let score = scale.emotion(value);
        rows.push(ScoreRow {
            line,
            persona: None,
            state: CurveState::Current,
            stage,
            step,
            sample: Some(Sample::new(participant, score)),
            score,
        });
    }
    Ok(Scores {
        rows,
        survey: Some(scale),
        warnings: Vec::new(),
    })
}

/// Any score below 1 means -2..+2; then none may be above 2.
fn detect(values: &[(u64, String, String, String, f32)]) -> Result<Scale, CsvError> {
    let low = values.iter().find(|v| v.4 < 1.0);
    let high = values.iter().find(|v| v.4 > 2.0);
    match (low, high) {
        (Some(low), Some(high)) => Err(CsvError::new(
            high.0.max(low.0),
            format!(
                "expected scores on one scale: {} (line {}) is on -2..+2 but {} (line {}) on 1..5; name the scale in the first header cell, e.g. `Participant (1..5)`",
                low.4, low.0, high.4, high.0
            ),
        )),
        (Some(_), None) => Ok(Scale::Emotion),
        _ => Ok(Scale::OneToFive),
    }
}

/// A survey as a new map: its steps, an Emotions lane, and one persona
/// (`Customer`) whose current curve holds every participant's scores.
pub(super) fn import(table: &Table) -> Result<Imported, CsvError> {
    let scores = read(table)?;
    let mut next = 0;
    let mut id = || {
        next += 1;
        next
    };
    let mut journey = Journey::empty("Survey");
    journey.lanes.push(Lane {
        id: LaneId(id()),
        kind: LaneKind::Emotions,
        name: LaneKind::Emotions.label().into(),
    });
    let persona = PersonaId(id());
    journey.personas.push(Persona::named(persona, "Customer"));
    let mut curve = EmotionCurve::new(persona, std::collections::BTreeMap::new());
    let named = table.header.iter().skip(1).filter(|h| !h.is_empty());
    for (stage, step) in named.map(|h| stage_and_step(h)) {
        if !journey.stages.iter().any(|s| s.name == stage) {
            journey
                .stages
                .push(Stage::new(StageId(id()), stage.clone(), Vec::new()));
        }
        let fresh = StepId(id());
        if let Some(stage) = journey.stages.iter_mut().find(|s| s.name == stage)
            && !stage.steps.iter().any(|s| s.name == step)
        {
            stage.steps.push(Step {
                id: fresh,
                name: step,
            });
        }
    }
    for row in &scores.rows {
        let step = journey
            .steps()
            .find(|(stage, step)| stage.name == row.stage && step.name == row.step)
            .map(|(_, step)| step.id);
        if let (Some(step), Some(sample)) = (step, row.sample.clone()) {
            curve.samples.entry(step).or_default().push(sample);
        }
    }
    for (step, samples) in &curve.samples {
        if let Some(middle) = median(samples) {
            curve.points.insert(*step, middle);
        }
    }
    journey.curves.push(curve);
    let participants = table.rows.len();
    let scale = scores.survey.unwrap_or(Scale::OneToFive);
    let mapped = format!(
        "read a survey of {} on {}: mapped {} and {}, {} as samples of the persona `Customer`",
        count(participants, "participant", "participants"),
        scale.label(),
        count(journey.stages.len(), "stage", "stages"),
        count(journey.step_count(), "step", "steps"),
        count(scores.rows.len(), "score", "scores"),
    );
    Ok(Imported {
        journey,
        mapped,
        warnings: scores.warnings,
    })
}
