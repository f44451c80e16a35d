//! The map layout -> a new [`Journey`]: stages, steps, lanes and personas
//! made in order of first appearance (names match exactly), cards in row
//! order, curves per persona and state with each sampled point at its
//! samples' median, and pains last, so they may name cards on later rows.

use super::fields::{self, Columns};
use super::table::{CsvError, Row, Table};
use super::write::Col;
use super::{Imported, ScoreRow, Scores, count};
use crate::model::{
    Anchor, Card, CardId, CurveState, EmotionCurve, Journey, Lane, LaneId, LaneKind, PainId,
    PainPoint, Persona, PersonaId, Sample, Stage, StageId, Step, StepId, median,
};

/// Reads a CSV in either layout into a new map.
pub fn import(bytes: &[u8]) -> Result<Imported, CsvError> {
    let table = Table::read(bytes)?;
    if !table.is_map_layout() {
        return super::survey::import(&table);
    }
    let mut warnings = Vec::new();
    let cols = Columns::of(&table, &mut warnings);
    for needed in [Col::Stage, Col::Step] {
        if !cols.has(needed) {
            return Err(CsvError::new(
                table.header_line,
                format!("expected a `{}` column in the header row", needed.name()),
            ));
        }
    }
    let mut builder = Builder {
        journey: Journey::empty(""),
        next_id: 0,
        warnings,
        scores: 0,
    };
    let mut pains = Vec::new();
    for row in &table.rows {
        let record = cols.get(row, Col::Record).trim().to_ascii_lowercase();
        match record.as_str() {
            "pain" => pains.push(row),
            "score" | "sample" => builder.score(&table, &cols, row)?,
            _ => builder.row(&table, &cols, row, &record)?,
        }
    }
    builder.medians();
    for row in pains {
        builder.pain(&cols, row)?;
    }
    let Builder {
        journey,
        warnings,
        scores,
        ..
    } = builder;
    let mapped = format!(
        "mapped {}, {}, {}, {}, {} of {} and {}",
        count(journey.stages.len(), "stage", "stages"),
        count(journey.step_count(), "step", "steps"),
        count(journey.lanes.len(), "lane", "lanes"),
        count(journey.cards.len(), "card", "cards"),
        count(scores, "score", "scores"),
        count(journey.personas.len(), "persona", "personas"),
        count(journey.pain_points.len(), "pain point", "pain points"),
    );
    Ok(Imported {
        journey,
        mapped,
        warnings,
    })
}

/// The score and sample rows of the map layout, for merging into a map.
pub(super) fn score_rows(table: &Table) -> Result<Scores, CsvError> {
    let mut warnings = Vec::new();
    let cols = Columns::of(table, &mut warnings);
    for needed in [Col::Step, Col::Score] {
        if !cols.has(needed) {
            return Err(CsvError::new(
                table.header_line,
                format!("expected a `{}` column in the header row", needed.name()),
            ));
        }
    }
    let mut rows = Vec::new();
    let mut others = 0;
    for row in &table.rows {
        let record = cols.get(row, Col::Record).trim().to_ascii_lowercase();
        if record != "score" && record != "sample" {
            others += 1;
            continue;
        }
        rows.push(score_row(table, &cols, row, &record, &mut warnings)?);
    }
    if others > 0 {
        warnings.push(format!(
            "{} that are not scores left out (File ▸ Import… opens the whole map)",
            count(others, "row", "rows")
        ));
    }
    Ok(Scores {
        rows,
        survey: None,
        warnings,
    })
}

fn score_row(
    table: &Table,
    cols: &Columns,
    row: &Row,
    record: &str,
    warnings: &mut Vec<String>,
) -> Result<ScoreRow, CsvError> {
    let score = fields::score(table, row, cols.get(row, Col::Score), warnings)?;
    let sample = (record == "sample").then(|| Sample::new(cols.text(row, Col::Participant), score));
    Ok(ScoreRow {
        line: row.line,
        persona: Some(cols.text(row, Col::Persona)),
        state: fields::curve_state(row, cols.get(row, Col::CurveState))?,
        stage: cols.text(row, Col::Stage),
        step: cols.text(row, Col::Step),
        sample,
        score,
    })
}

struct Builder {
    journey: Journey,
    next_id: u64,
    warnings: Vec<String>,
    scores: usize,
}

impl Builder {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn row(
        &mut self,
        table: &Table,
        cols: &Columns,
        row: &Row,
        record: &str,
    ) -> Result<(), CsvError> {
        match record {
            "map" => {
                self.journey.title = cols.text(row, Col::Title);
                self.journey.description = cols.text(row, Col::Notes);
            }
            "stage" => {
                self.stage(&cols.text(row, Col::Stage));
            }
            "step" => {
                self.step(&cols.text(row, Col::Stage), &cols.text(row, Col::Step));
            }
            "lane" => {
                self.lane(cols, row)?;
            }
            "card" => self.card(table, cols, row)?,
            other => {
                return Err(CsvError::new(
                    row.line,
                    format!(
                        "expected a record of map, stage, step, lane, card, score, sample or pain, found `{other}`"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn stage(&mut self, name: &str) -> StageId {
        if let Some(stage) = self.journey.stages.iter().find(|s| s.name == name) {
            return stage.id;
        }
        let id = StageId(self.id());
        self.journey.stages.push(Stage::new(id, name, Vec::new()));
        id
    }

    fn step(&mut self, stage: &str, name: &str) -> StepId {
        let stage_id = self.stage(stage);
        let fresh = StepId(self.id());
        let Some(stage) = self.journey.stages.iter_mut().find(|s| s.id == stage_id) else {
            return fresh;
        };
        if let Some(step) = stage.steps.iter().find(|s| s.name == name) {
            return step.id;
        }
        stage.steps.push(Step {
            id: fresh,
            name: name.to_owned(),
        });
        fresh
    }

    /// The lane a row names, made with the row's kind where it is new.
    fn lane(&mut self, cols: &Columns, row: &Row) -> Result<LaneId, CsvError> {
        let name = cols.text(row, Col::Lane);
        let kind = fields::lane_kind(row, cols.get(row, Col::LaneKind))?;
        if let Some(lane) = self.journey.lanes.iter().find(|l| l.name == name) {
            if let Some(kind) = kind.filter(|k| *k != lane.kind) {
                self.warnings.push(format!(
                    "line {}: lane `{name}` is a {} lane already; kind {} left out",
                    row.line,
                    lane.kind.label(),
                    kind.label()
                ));
            }
            return Ok(lane.id);
        }
        let kind = kind.unwrap_or_else(|| {
            let by_name = fields::lane_kind(row, &name).ok().flatten();
            if by_name.is_none() {
                self.warnings.push(format!(
                    "line {}: lane `{name}` has no lane kind; made it a Notes lane",
                    row.line
                ));
            }
            by_name.unwrap_or(LaneKind::Notes)
        });
        let id = LaneId(self.id());
        self.journey.lanes.push(Lane { id, kind, name });
        Ok(id)
    }

    fn card(&mut self, table: &Table, cols: &Columns, row: &Row) -> Result<(), CsvError> {
        let found = fields::card_fields(cols, table, row)?;
        let step = self.step(&cols.text(row, Col::Stage), &cols.text(row, Col::Step));
        let lane = self.lane(cols, row)?;
        let id = CardId(self.id());
        self.journey.cards.push(Card {
            notes: cols.text(row, Col::Notes),
            channel: found.channel,
            plan: found.plan,
            evidence: found.evidence,
            resource: found.resource,
            state: found.state,
            ..Card::new(id, step, lane, cols.text(row, Col::Title))
        });
        Ok(())
    }

    fn persona(&mut self, name: &str) -> PersonaId {
        if let Some(persona) = self.journey.personas.iter().find(|p| p.name == name) {
            return persona.id;
        }
        let id = PersonaId(self.id());
        self.journey.personas.push(Persona::named(id, name));
        id
    }

    fn curve(&mut self, persona: PersonaId, state: CurveState) -> Option<&mut EmotionCurve> {
        if self.journey.curve_in(persona, state).is_none() {
            self.journey.curves.push(EmotionCurve {
                state,
                ..EmotionCurve::new(persona, std::collections::BTreeMap::new())
            });
        }
        self.journey
            .curves
            .iter_mut()
            .find(|c| c.persona == persona && c.state == state)
    }

    fn score(&mut self, table: &Table, cols: &Columns, row: &Row) -> Result<(), CsvError> {
        let record = cols.get(row, Col::Record).trim().to_ascii_lowercase();
        let found = score_row(table, cols, row, &record, &mut self.warnings)?;
        let step = self.step(&found.stage, &found.step);
        let persona = self.persona(found.persona.as_deref().unwrap_or_default());
        self.scores += 1;
        let line = row.line;
        let Some(curve) = self.curve(persona, found.state) else {
            return Ok(());
        };
        let twice = match found.sample {
            Some(sample) => {
                curve.samples.entry(step).or_default().push(sample);
                false
            }
            None => curve.points.insert(step, found.score).is_some(),
        };
        if twice {
            self.warnings.push(format!(
                "line {line}: a second score for `{} / {}`; the last one is kept",
                found.stage, found.step
            ));
        }
        Ok(())
    }

    /// Every sampled point at its samples' median (as the model keeps it).
    fn medians(&mut self) {
        for curve in &mut self.journey.curves {
            for (step, samples) in &curve.samples {
                if let Some(middle) = median(samples) {
                    curve.points.insert(*step, middle);
                }
            }
        }
    }

    fn pain(&mut self, cols: &Columns, row: &Row) -> Result<(), CsvError> {
        let severity = fields::severity(row, cols.get(row, Col::Severity))?;
        let (stage, step) = (cols.text(row, Col::Stage), cols.text(row, Col::Step));
        let title = cols.text(row, Col::Title);
        let persona = cols.text(row, Col::Persona);
        let anchor_word = cols.get(row, Col::Anchor).trim().to_ascii_lowercase();
        let anchor_word = match anchor_word.as_str() {
            "" if !title.is_empty() => "card",
            "" if !persona.is_empty() => "curve",
            "" => "step",
            word => word,
        };
        let step_id = self.step(&stage, &step);
        let anchor = match anchor_word {
            "step" => Anchor::Step(step_id),
            "curve" => Anchor::Curve(self.persona(&persona), step_id),
            "card" => {
                let lane = cols.text(row, Col::Lane);
                let card = self.journey.cards.iter().find(|c| {
                    c.step == step_id
                        && c.title == title
                        && (lane.is_empty()
                            || self.journey.lane(c.lane).is_some_and(|l| l.name == lane))
                });
                let Some(card) = card else {
                    self.warnings.push(format!(
                        "line {}: no card `{title}` in `{stage} / {step}`; pain point left out",
                        row.line
                    ));
                    return Ok(());
                };
                Anchor::Card(card.id)
            }
            other => {
                return Err(CsvError::new(
                    row.line,
                    format!("expected an anchor of card, curve or step, found `{other}`"),
                ));
            }
        };
        let opportunity = self.opportunity(row, &cols.text(row, Col::Opportunity));
        let id = PainId(self.id());
        self.journey.pain_points.push(PainPoint {
            id,
            severity,
            text: cols.text(row, Col::Pain),
            anchor,
            opportunity,
            solved_in_future: fields::yes(cols.get(row, Col::Solved)),
        });
        Ok(())
    }

    /// The card a pain's `opportunity` names: an opportunity card with that
    /// title if there is one, else any card with it.
    fn opportunity(&mut self, row: &Row, title: &str) -> Option<CardId> {
        if title.is_empty() {
            return None;
        }
        let j = &self.journey;
        let is_opportunity = |c: &&Card| {
            j.lane(c.lane)
                .is_some_and(|l| l.kind == LaneKind::Opportunities)
        };
        let titled = || j.cards.iter().filter(|c| c.title == title);
        let found = titled().find(is_opportunity).or_else(|| titled().next());
        if found.is_none() {
            self.warnings.push(format!(
                "line {}: no card `{title}` for the pain's opportunity; link left out",
                row.line
            ));
        }
        found.map(|c| c.id)
    }
}
