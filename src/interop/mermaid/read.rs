//! [`Diagram`] -> [`Journey`]: the import mapping, and the restore of a map
//! Waymark wrote from its `%% waymark:` comments.

use std::collections::BTreeMap;

use super::parse::{Diagram, Item, ParseError, parse};
use crate::model::{
    Card, CardId, EmotionCurve, Journey, Lane, LaneId, LaneKind, Persona, PersonaId, Stage,
    StageId, Step, StepId,
};

/// The description of the persona that holds the scores of tasks listing no
/// actor; export lists no actor for its scores, so the diagram comes back
/// the same.
pub const NO_ACTOR: &str = "Scores of the Mermaid tasks that list no actor.";

/// A diagram read into a new map, and what the import says about it.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The new map.
    pub journey: Journey,
    /// What was mapped to what, in one sentence.
    pub mapped: String,
    /// What was changed or could not be mapped, each naming its line.
    pub warnings: Vec<String>,
}

/// Reads a Mermaid journey into a new map.
pub fn import(text: &str) -> Result<Imported, ParseError> {
    let parsed = parse(text)?;
    let mut warnings = parsed.warnings;
    if !parsed.waymark.is_empty() {
        match restore(&parsed.waymark, &parsed.diagram) {
            Ok(journey) => {
                let mapped = format!(
                    "restored the Waymark map from its `%% waymark:` comments ({})",
                    counts(&journey)
                );
                return Ok(Imported {
                    journey,
                    mapped,
                    warnings,
                });
            }
            Err(why) => warnings.push(why),
        }
    }
    let diagram = &parsed.diagram;
    if let (Some(title), Some(acc)) = (&diagram.title, &diagram.acc_title)
        && title != acc
    {
        warnings.push(format!(
            "accTitle `{acc}` is not kept: a map has one title, `{title}`"
        ));
    }
    let journey = to_journey(diagram);
    let actors = journey
        .personas
        .iter()
        .filter(|p| p.description != NO_ACTOR)
        .count();
    let mut mapped = format!(
        "mapped {} to stages, {} to steps with action cards, {} to personas",
        count(journey.stages.len(), "section", "sections"),
        count(journey.step_count(), "task", "tasks"),
        count(actors, "actor", "actors"),
    );
    if actors < journey.personas.len() {
        mapped.push_str(" (tasks without actors score the persona `Customer`)");
    }
    Ok(Imported {
        journey,
        mapped,
        warnings,
    })
}

fn counts(journey: &Journey) -> String {
    [
        count(journey.stages.len(), "stage", "stages"),
        count(journey.step_count(), "step", "steps"),
        count(journey.cards.len(), "card", "cards"),
        count(journey.personas.len(), "persona", "personas"),
    ]
    .join(", ")
}

/// The map kept in the comments, if it still draws as `diagram`: an edit of
/// the diagram after export wins over the comments.
fn restore(lines: &[String], diagram: &Diagram) -> Result<Journey, String> {
    let ron = lines.join("\n");
    let journey = crate::io::parse_str(&ron, std::path::Path::new("%% waymark:")).map_err(|e| {
        format!("the `%% waymark:` comments could not be read ({e}); imported the diagram alone")
    })?;
    let written = parse(&super::write::diagram_text(&journey)).map_err(|e| {
        format!("the map in the comments does not export cleanly ({e}); imported the diagram alone")
    })?;
    if written.diagram == *diagram {
        Ok(journey)
    } else {
        Err("the diagram was edited after Waymark wrote it: its `%% waymark:` comments (lanes, cards, pain points, ...) were not used".into())
    }
}

/// The mapping itself: ids are numbered from 1 in file order.
pub(super) fn to_journey(diagram: &Diagram) -> Journey {
    let mut next = 0;
    let mut id = || {
        next += 1;
        next
    };
    let mut journey = Journey::empty(
        diagram
            .title
            .clone()
            .or_else(|| diagram.acc_title.clone())
            .unwrap_or_default(),
    );
    journey.description = diagram.acc_descr.clone().unwrap_or_default();
    let actions = LaneId(id());
    let emotions = LaneId(id());
    journey.lanes = vec![
        Lane {
            id: actions,
            kind: LaneKind::Actions,
            name: LaneKind::Actions.label().into(),
        },
        Lane {
            id: emotions,
            kind: LaneKind::Emotions,
            name: LaneKind::Emotions.label().into(),
        },
    ];
    let mut points: BTreeMap<PersonaId, BTreeMap<StepId, f32>> = BTreeMap::new();
    for item in &diagram.items {
        let task = match item {
            Item::Section(name) => {
                journey
                    .stages
                    .push(Stage::new(StageId(id()), name.clone(), Vec::new()));
                continue;
            }
            Item::Task(task) => task,
        };
        if journey.stages.is_empty() {
            // Tasks before any section: Mermaid draws them under a blank section.
            journey
                .stages
                .push(Stage::new(StageId(id()), String::new(), Vec::new()));
        }
        let step = StepId(id());
        let card = Card::new(CardId(id()), step, actions, task.name.clone());
        if let Some(stage) = journey.stages.last_mut() {
            stage.steps.push(Step {
                id: step,
                name: task.name.clone(),
            });
        }
        journey.cards.push(card);
        let emotion = (task.score - 3.0) as f32;
        let mut scored = |persona| {
            points.entry(persona).or_default().insert(step, emotion);
        };
        if task.actors.is_empty() {
            scored(persona_for(&mut journey, None, &mut id));
        }
        for actor in &task.actors {
            scored(persona_for(&mut journey, Some(actor), &mut id));
        }
    }
    journey.curves = journey
        .personas
        .iter()
        .map(|p| EmotionCurve::new(p.id, points.remove(&p.id).unwrap_or_default()))
        .collect();
    journey
}

/// The persona of an actor (or of tasks without one), added on first use.
fn persona_for(
    journey: &mut Journey,
    actor: Option<&String>,
    id: &mut impl FnMut() -> u64,
) -> PersonaId {
    let found = journey.personas.iter().find(|p| match actor {
        Some(name) => p.name == *name && p.description != NO_ACTOR,
        None => p.description == NO_ACTOR,
    });
    if let Some(persona) = found {
        return persona.id;
    }
    let persona_id = PersonaId(id());
    let mut persona = Persona::named(
        persona_id,
        actor.cloned().unwrap_or_else(|| "Customer".into()),
    );
    if actor.is_none() {
        persona.description = NO_ACTOR.into();
    }
    journey.personas.push(persona);
    persona_id
}

/// "1 stage", "3 stages".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
