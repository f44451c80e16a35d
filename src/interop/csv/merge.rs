//! Score rows -> one edit of an open map (File ▸ Import scores…). Rows match
//! steps by stage and step name and personas by name (case and spaces
//! around them ignored; a survey's blank stage matches a step of any
//! stage). A step's samples replace the ones it had, and its point moves to
//! their median; a `score` row sets the point. What matches nothing is
//! listed with its lines, never dropped silently.

use std::collections::BTreeMap;

use super::{ScoreRow, Scores, count};
use crate::edit::Edit;
use crate::model::{CurveState, Journey, PersonaId, Sample, StepId};

/// The edit that merges scores into a map, and what the status line says.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    /// All of it as one undo step (an empty batch when nothing matched).
    pub edit: Edit,
    /// What was set, in one sentence.
    pub mapped: String,
    /// Steps and personas the map does not have, each with its lines.
    pub unknown: Vec<String>,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The step a row names, or why none.
fn find_step(journey: &Journey, row: &ScoreRow) -> Result<StepId, &'static str> {
    let (stage, step) = (key(&row.stage), key(&row.step));
    let mut found = journey
        .steps()
        .filter(|(s, t)| (stage.is_empty() || key(&s.name) == stage) && key(&t.name) == step);
    match (found.next(), found.next()) {
        (Some((_, t)), None) => Ok(t.id),
        (Some(_), Some(_)) => Err("names more than one step; write it as `Stage / Step`"),
        (None, _) => Err("is not a step of this map"),
    }
}

/// What one persona's curve in one state gets: samples or a score per step.
#[derive(Default)]
struct Changes {
    samples: BTreeMap<StepId, Vec<Sample>>,
    points: BTreeMap<StepId, f32>,
}

/// The edit that merges `scores` into `journey`. Rows without a persona
/// (a survey's) go to `persona` in `state`.
pub fn merge_edit(
    journey: &Journey,
    scores: &Scores,
    persona: PersonaId,
    state: CurveState,
) -> Merge {
    let mut unknown: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut changes: BTreeMap<(PersonaId, CurveState), Changes> = BTreeMap::new();
    for row in &scores.rows {
        let who = match &row.persona {
            None => Some(persona),
            Some(name) => journey
                .personas
                .iter()
                .find(|p| key(&p.name) == key(name))
                .map(|p| p.id),
        };
        let Some(who) = who else {
            let name = row.persona.clone().unwrap_or_default();
            unknown
                .entry(format!("persona `{name}` is not in this map"))
                .or_default()
                .push(row.line);
            continue;
        };
        let step = match find_step(journey, row) {
            Ok(step) => step,
            Err(why) => {
                let name = if row.stage.is_empty() {
                    row.step.clone()
                } else {
                    format!("{} / {}", row.stage, row.step)
                };
                unknown
                    .entry(format!("`{name}` {why}"))
                    .or_default()
                    .push(row.line);
                continue;
            }
        };
        let curve = if row.persona.is_none() {
            state
        } else {
            row.state
        };
        let entry = changes.entry((who, curve)).or_default();
        match &row.sample {
            Some(sample) => entry.samples.entry(step).or_default().push(sample.clone()),
            None => {
                entry.points.insert(step, row.score);
            }
        }
    }
    let (edit, said) = edits(journey, changes);
    let unknown = unknown
        .into_iter()
        .map(|(what, lines)| {
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            let word = if lines.len() == 1 { "line" } else { "lines" };
            format!("{what} ({word} {})", lines.join(", "))
        })
        .collect();
    Merge {
        edit,
        mapped: said,
        unknown,
    }
}

/// The edit (one per curve, in one batch) and the sentence that says what
/// it sets.
fn edits(journey: &Journey, changes: BTreeMap<(PersonaId, CurveState), Changes>) -> (Edit, String) {
    let mut edits = Vec::new();
    let mut said = Vec::new();
    for ((persona, state), change) in changes {
        // A step with samples gets their median; a score row beside them is left out.
        let points: Vec<(StepId, f32)> = change
            .points
            .iter()
            .filter(|(step, _)| !change.samples.contains_key(step))
            .map(|(step, score)| (*step, *score))
            .collect();
        let samples: usize = change.samples.values().map(Vec::len).sum();
        let (steps, scored) = (change.samples.len(), points.len());
        edits.push(Edit::set_curve_steps(
            journey,
            (persona, state),
            points,
            change.samples,
        ));
        let name = journey.persona(persona).map_or("", |p| p.name.as_str());
        let mut parts = Vec::new();
        if samples > 0 {
            parts.push(format!(
                "{} at {}",
                count(samples, "sample", "samples"),
                count(steps, "step", "steps")
            ));
        }
        if scored > 0 {
            parts.push(count(scored, "score", "scores"));
        }
        said.push(format!(
            "{} on {name}'s {} curve",
            parts.join(" and "),
            state.label().to_lowercase()
        ));
    }
    let said = if said.is_empty() {
        "set no scores".to_owned()
    } else {
        format!("set {}", said.join("; "))
    };
    (Edit::Batch(edits), said)
}
