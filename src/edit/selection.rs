//! What the user has selected on the map, by stable id. The selection is
//! view state (never recorded in history), but commands read it to know
//! where a new card goes or what Delete removes.

use crate::model::{CardId, LaneId, PainId, PersonaId, StageId, StepId};

/// What the user is pointing the map at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// A card.
    Card(CardId),
    /// A stage.
    Stage(StageId),
    /// A step (column).
    Step(StepId),
    /// A lane (row).
    Lane(LaneId),
    /// A pain point.
    Pain(PainId),
    /// A persona's curve point at a step.
    CurvePoint(PersonaId, StepId),
    /// A persona.
    Persona(PersonaId),
    /// An empty cell.
    Cell(StepId, LaneId),
}

impl Item {
    /// The primary item of a selection: the last one selected.
    pub fn primary(selection: &[Item]) -> Option<Item> {
        selection.last().copied()
    }

    /// The persona of the last selected persona or curve point: whose
    /// curve the pen, a copy or a scoring round works on.
    pub fn persona(selection: &[Item]) -> Option<PersonaId> {
        selection.iter().rev().find_map(|item| match item {
            Item::Persona(p) | Item::CurvePoint(p, _) => Some(*p),
            _ => None,
        })
    }

    /// The cards in a selection, in selection order.
    pub fn cards(selection: &[Item]) -> Vec<CardId> {
        selection
            .iter()
            .filter_map(|item| match item {
                Item::Card(id) => Some(*id),
                _ => None,
            })
            .collect()
    }
}
