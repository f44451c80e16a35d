//! Commands: what the user asked for (add a card, delete the selection,
//! paste, nudge, ...) turned into one [`Edit`], as pure functions of the
//! journey and the selection. Each returns `None` when there is nothing to
//! do; the edit it returns is one undo step and applies cleanly to the
//! journey it was built from.

use std::collections::BTreeMap;

use crate::edit::{Edit, Item};
use crate::model::{
    Anchor, Card, CardId, CardNotes, Channel, CurveState, Journey, Lane, LaneId, LaneKind, PainId,
    PainPoint, Persona, PersonaId, Stage, StageId, Step, StepId,
};

/// A command's edit and the selection it leaves.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The change, as one undo step.
    pub edit: Edit,
    /// What to select once the edit is applied; `None` keeps the selection.
    pub select: Option<Vec<Item>>,
}

impl Command {
    fn keeping_selection(edit: Edit) -> Self {
        Self { edit, select: None }
    }

    fn selecting(edit: Edit, select: Vec<Item>) -> Self {
        Self {
            edit,
            select: Some(select),
        }
    }
}

/// A direction for moving cards between cells with the arrow keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Previous step.
    Left,
    /// Next step.
    Right,
    /// Lane above.
    Up,
    /// Lane below.
    Down,
}

/// Which way a stage, step or lane moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Left or up.
    Earlier,
    /// Right or down.
    Later,
}

/// Index in the journey's card list that puts a new card at `slot` in a cell.
pub fn insertion_index(journey: &Journey, step: StepId, lane: LaneId, slot: usize) -> usize {
    let in_cell: Vec<usize> = journey
        .cards
        .iter()
        .enumerate()
        .filter(|(_, c)| c.step == step && c.lane == lane)
        .map(|(i, _)| i)
        .collect();
    match in_cell.get(slot) {
        Some(i) => *i,
        None => in_cell.last().map_or(journey.cards.len(), |i| i + 1),
    }
}

/// The anchor a new pain point gets from the selection.
pub fn pain_anchor(journey: &Journey, selection: Option<Item>) -> Option<Anchor> {
    match selection? {
        Item::Card(id) => Some(Anchor::Card(id)),
        Item::CurvePoint(p, s) => Some(Anchor::Curve(p, s)),
        Item::Step(s) | Item::Cell(s, _) => Some(Anchor::Step(s)),
        Item::Pain(id) => journey.pain(id).map(|p| p.anchor),
        Item::Stage(id) => journey
            .stage(id)
            .and_then(|s| s.steps.first())
            .map(|s| Anchor::Step(s.id)),
        Item::Lane(_) | Item::Persona(_) => None,
    }
}

/// The cell new cards go to: the selected cell or card's cell, else the
/// selected step's (or the first step's) touchpoints cell, in the selected
/// lane when a lane is selected.
pub fn target_cell(journey: &Journey, selection: &[Item]) -> Option<(StepId, LaneId)> {
    let primary = Item::primary(selection);
    match primary {
        Some(Item::Cell(s, l)) => return Some((s, l)),
        Some(Item::Card(id)) => return journey.card(id).map(|c| (c.step, c.lane)),
        _ => {}
    }
    let step = match primary {
        Some(Item::Step(s)) => Some(s),
        _ => journey.steps().next().map(|(_, s)| s.id),
    }?;
    let lane = match primary {
        Some(Item::Lane(l)) => Some(l),
        _ => journey
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Touchpoints)
            .or_else(|| journey.lanes.first())
            .map(|l| l.id),
    }?;
    Some((step, lane))
}

/// Adds an empty card (a touchpoint when `channel` is given) at the end of
/// the target cell and selects it. `None` when there is no cell at all.
pub fn add_card(
    journey: &Journey,
    selection: &[Item],
    channel: Option<Channel>,
) -> Option<Command> {
    let (step, lane) = target_cell(journey, selection)?;
    let id = CardId(journey.next_id());
    let index = insertion_index(journey, step, lane, usize::MAX);
    let card = Card {
        channel,
        ..Card::new(id, step, lane, String::new())
    };
    Some(Command::selecting(
        Edit::InsertCard(index, card),
        vec![Item::Card(id)],
    ))
}

/// Adds a major pain point on the selected card, curve point or step and
/// selects it. `None` when the selection cannot carry one.
pub fn add_pain_point(journey: &Journey, selection: &[Item]) -> Option<Command> {
    let anchor = pain_anchor(journey, Item::primary(selection))?;
    let id = PainId(journey.next_id());
    let pain = PainPoint {
        id,
        severity: 2,
        text: "New pain point".into(),
        anchor,
        opportunity: None,
        solved_in_future: false,
    };
    let index = journey.pain_points.len();
    Some(Command::selecting(
        Edit::InsertPain(index, pain),
        vec![Item::Pain(id)],
    ))
}

/// Adds a stage with one step after the selected stage (or the stage of
/// the selected step or cell), else at the end, and selects it.
pub fn add_stage(journey: &Journey, selection: &[Item]) -> Command {
    let stages = &journey.stages;
    let after = |i: Option<usize>| i.map_or(stages.len(), |i| i + 1);
    let index = match Item::primary(selection) {
        Some(Item::Stage(id)) => after(stages.iter().position(|s| s.id == id)),
        Some(Item::Step(id) | Item::Cell(id, _)) => after(
            stages
                .iter()
                .position(|s| s.steps.iter().any(|st| st.id == id)),
        ),
        _ => stages.len(),
    };
    let [id, step] = journey.fresh_ids();
    let id = StageId(id);
    let stage = Stage::new(
        id,
        "New stage",
        vec![Step {
            id: StepId(step),
            name: String::new(),
        }],
    );
    Command::selecting(Edit::InsertStage(index, stage), vec![Item::Stage(id)])
}

/// Adds a step after the selected step (or cell's step), at the end of the
/// selected stage, or at the end of the last stage, and selects it. With no
/// stage at all, adds a stage instead.
pub fn add_step(journey: &Journey, selection: &[Item]) -> Command {
    let target = match Item::primary(selection) {
        Some(Item::Step(id) | Item::Cell(id, _)) => journey.stages.iter().find_map(|s| {
            s.steps
                .iter()
                .position(|st| st.id == id)
                .map(|i| (s.id, i + 1))
        }),
        Some(Item::Stage(id)) => journey.stage(id).map(|s| (s.id, s.steps.len())),
        _ => journey.stages.last().map(|s| (s.id, s.steps.len())),
    };
    let Some((stage, index)) = target else {
        return add_stage(journey, selection);
    };
    let id = StepId(journey.next_id());
    let step = Step {
        id,
        name: "New step".into(),
    };
    Command::selecting(Edit::InsertStep(stage, index, step), vec![Item::Step(id)])
}

/// Adds a lane of `kind` below the selected lane (or cell's lane), else at
/// the bottom, and selects it.
pub fn add_lane(journey: &Journey, selection: &[Item], kind: LaneKind) -> Command {
    let lanes = &journey.lanes;
    let index = match Item::primary(selection) {
        Some(Item::Lane(id) | Item::Cell(_, id)) => lanes
            .iter()
            .position(|l| l.id == id)
            .map_or(lanes.len(), |i| i + 1),
        _ => lanes.len(),
    };
    let id = LaneId(journey.next_id());
    let lane = Lane {
        id,
        kind,
        name: kind.label().into(),
    };
    Command::selecting(Edit::InsertLane(index, lane), vec![Item::Lane(id)])
}

/// Shows `shown` of every card's notes; `None` when the map already does.
pub fn set_card_notes(journey: &Journey, shown: CardNotes) -> Option<Command> {
    (journey.card_notes != shown).then(|| Command::keeping_selection(Edit::SetCardNotes(shown)))
}

/// Adds a persona, with an empty emotion curve, and selects it.
pub fn add_persona(journey: &Journey) -> Command {
    let id = PersonaId(journey.next_id());
    let index = journey.personas.len();
    let persona = Persona::named(id, format!("Persona {}", index + 1));
    let edit = Edit::Batch(vec![
        Edit::InsertPersona(index, persona),
        Edit::SetCurve(id, CurveState::Current, Some(BTreeMap::new())),
    ]);
    Command::selecting(edit, vec![Item::Persona(id)])
}

/// Deletes the selected cards, or else the primary item with everything
/// that hangs on it, and clears the selection. The last persona is kept.
pub fn delete_selection(journey: &Journey, selection: &[Item]) -> Option<Command> {
    let cards = Item::cards(selection);
    let edit = if cards.is_empty() {
        match Item::primary(selection)? {
            Item::Stage(id) => Edit::remove_stage(journey, id),
            Item::Step(id) => Edit::remove_step(journey, id),
            Item::Lane(id) => Edit::remove_lane(journey, id),
            Item::Pain(id) => Edit::RemovePain(id),
            Item::CurvePoint(persona, step) => {
                Edit::remove_curve_point(journey, persona, CurveState::Current, step)?
            }
            Item::Persona(id) if journey.personas.len() > 1 => Edit::remove_persona(journey, id),
            Item::Persona(_) | Item::Card(_) | Item::Cell(..) => return None,
        }
    } else {
        Edit::remove_cards(journey, &cards)
    };
    Some(Command::selecting(edit, Vec::new()))
}

/// Removes the selected cards (the second half of Cut), keeping the rest of
/// the selection.
pub fn remove_selected_cards(journey: &Journey, selection: &[Item]) -> Option<Command> {
    let cards = Item::cards(selection);
    (!cards.is_empty()).then(|| Command::keeping_selection(Edit::remove_cards(journey, &cards)))
}

/// Every card, as a selection.
pub fn all_cards(journey: &Journey) -> Vec<Item> {
    journey.cards.iter().map(|c| Item::Card(c.id)).collect()
}

/// Inserts `cards` one after another into a copy of the journey, each with
/// a fresh id and the cell `place` gives it (`None` skips the card); the
/// batch selects the new cards.
fn insert_copies<'a>(
    journey: &Journey,
    cards: impl IntoIterator<Item = &'a Card>,
    place: impl Fn(&Journey, &Card) -> Option<(StepId, LaneId, usize)>,
) -> Option<Command> {
    let mut after = journey.clone();
    let mut edits = Vec::new();
    let mut new_ids = Vec::new();
    for card in cards {
        let Some((step, lane, index)) = place(&after, card) else {
            continue;
        };
        let copy = Card {
            id: CardId(after.next_id()),
            step,
            lane,
            ..card.clone()
        };
        let id = copy.id;
        let edit = Edit::InsertCard(index, copy);
        if edit.clone().apply(&mut after).is_ok() {
            edits.push(edit);
            new_ids.push(Item::Card(id));
        }
    }
    (!edits.is_empty()).then(|| Command::selecting(Edit::Batch(edits), new_ids))
}

/// Copies each selected card right after itself, in its cell, and selects
/// the copies.
pub fn duplicate(journey: &Journey, selection: &[Item]) -> Option<Command> {
    let cards: Vec<&Card> = Item::cards(selection)
        .into_iter()
        .filter_map(|id| journey.card(id))
        .collect();
    insert_copies(journey, cards, |j, card| {
        let index = j.cards.iter().position(|c| c.id == card.id)?;
        Some((card.step, card.lane, index + 1))
    })
}

/// Pastes copies of `clipboard` at the end of the target cell (each into
/// its own cell when there is no target) and selects them. Cards whose cell
/// no longer exists are skipped.
pub fn paste(journey: &Journey, selection: &[Item], clipboard: &[Card]) -> Option<Command> {
    let target = target_cell(journey, selection);
    insert_copies(journey, clipboard, |j, card| {
        let (step, lane) = target.unwrap_or((card.step, card.lane));
        if j.step(step).is_none() || j.lane(lane).is_none() {
            return None;
        }
        Some((step, lane, insertion_index(j, step, lane, usize::MAX)))
    })
}

/// The id after (or before) `current` in `list`.
fn neighbour<T: Copy + PartialEq>(list: &[T], current: T, forward: bool) -> Option<T> {
    let i = list.iter().position(|x| *x == current)?;
    if forward {
        list.get(i + 1).copied()
    } else {
        i.checked_sub(1).and_then(|k| list.get(k)).copied()
    }
}

/// Moves every selected card one cell over, to the end of that cell.
/// `None` when any of them is already at the edge: the cards move together
/// or not at all.
pub fn nudge(journey: &Journey, selection: &[Item], direction: Direction) -> Option<Command> {
    let ids = Item::cards(selection);
    let steps: Vec<StepId> = journey.steps().map(|(_, s)| s.id).collect();
    let lanes: Vec<LaneId> = journey.lanes.iter().map(|l| l.id).collect();
    let mut after = journey.clone();
    let mut edits = Vec::new();
    for id in ids {
        let Some(card) = after.card(id).cloned() else {
            continue;
        };
        let (step, lane) = match direction {
            Direction::Left | Direction::Right => (
                neighbour(&steps, card.step, direction == Direction::Right)?,
                card.lane,
            ),
            Direction::Up | Direction::Down => (
                card.step,
                neighbour(&lanes, card.lane, direction == Direction::Down)?,
            ),
        };
        let edit = Edit::move_card_to_cell(&after, id, step, lane, usize::MAX);
        if edit.clone().apply(&mut after).is_ok() {
            edits.push(edit);
        }
    }
    (!edits.is_empty()).then(|| Command::keeping_selection(Edit::Batch(edits)))
}

/// Moves the selected stage or lane one place, or the selected step one
/// place (across into the neighbouring stage at a stage's edge).
pub fn move_selected(journey: &Journey, selection: &[Item], order: Order) -> Option<Command> {
    let later = order == Order::Later;
    let to = |i: usize, len: usize| {
        let to = if later { i + 1 } else { i.checked_sub(1)? };
        (to < len).then_some(to)
    };
    let edit = match Item::primary(selection)? {
        Item::Stage(id) => {
            let i = journey.stages.iter().position(|s| s.id == id)?;
            Edit::MoveStage(id, to(i, journey.stages.len())?)
        }
        Item::Lane(id) => {
            let i = journey.lanes.iter().position(|l| l.id == id)?;
            Edit::MoveLane(id, to(i, journey.lanes.len())?)
        }
        Item::Step(id) => move_step(journey, id, order)?,
        _ => return None,
    };
    Some(Command::keeping_selection(edit))
}

/// Moves a step one place within its stage, or past the stage's edge to
/// the near end of the neighbouring stage.
fn move_step(journey: &Journey, id: StepId, order: Order) -> Option<Edit> {
    let stages = &journey.stages;
    let (si, stage) = stages
        .iter()
        .enumerate()
        .find(|(_, s)| s.steps.iter().any(|st| st.id == id))?;
    let pos = stage.steps.iter().position(|st| st.id == id)?;
    match order {
        Order::Later if pos + 1 < stage.steps.len() => Some(Edit::MoveStep(id, stage.id, pos + 1)),
        Order::Later => stages
            .get(si + 1)
            .map(|next| Edit::MoveStep(id, next.id, 0)),
        Order::Earlier if pos > 0 => Some(Edit::MoveStep(id, stage.id, pos - 1)),
        Order::Earlier => si
            .checked_sub(1)
            .and_then(|k| stages.get(k))
            .map(|prev| Edit::MoveStep(id, prev.id, prev.steps.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::fixture::with_cards;

    /// Applies a command's edit, checks its inverse restores the journey,
    /// and returns the journey after it.
    fn run(journey: &Journey, command: &Command) -> Journey {
        let mut after = journey.clone();
        let inverse = command.edit.clone().apply(&mut after).unwrap();
        let mut undone = after.clone();
        inverse.apply(&mut undone).unwrap();
        assert_eq!(&undone, journey, "the inverse restores the journey");
        after
    }

    fn lane_of(j: &Journey, kind: LaneKind) -> LaneId {
        j.lanes.iter().find(|l| l.kind == kind).unwrap().id
    }

    #[test]
    fn a_card_is_added_to_the_end_of_the_selected_cell_and_selected() {
        let j = with_cards();
        let first = &j.cards[0];
        let cmd = add_card(&j, &[Item::Card(first.id)], Some(Channel::Email)).unwrap();
        let after = run(&j, &cmd);
        let in_cell: Vec<&Card> = after.cards_in(first.step, first.lane).collect();
        assert_eq!(in_cell.len(), 3);
        let new = in_cell[2];
        assert_eq!(new.channel, Some(Channel::Email));
        assert!(new.title.is_empty());
        assert_eq!(cmd.select, Some(vec![Item::Card(new.id)]));
    }

    #[test]
    fn new_items_never_take_an_id_in_use_even_after_u64_max() {
        let mut j = with_cards();
        j.cards[0].id = CardId(u64::MAX);
        let card = j.cards[1].clone();
        let mut after = j.clone();
        for _ in 0..3 {
            let stage = add_stage(&after, &[]);
            after = run(&after, &stage);
            let added = add_card(&after, &[Item::Card(card.id)], None).unwrap();
            after = run(&after, &added);
        }
        assert!(after.problems().is_empty(), "{:?}", after.problems());
        assert_eq!(after.stages.len(), j.stages.len() + 3);
    }

    #[test]
    fn with_nothing_selected_a_card_goes_to_the_first_touchpoints_cell() {
        let j = with_cards();
        let first_step = j.stages[0].steps[0].id;
        let touch = lane_of(&j, LaneKind::Touchpoints);
        assert_eq!(target_cell(&j, &[]), Some((first_step, touch)));
        let step = j.stages[2].steps[0].id;
        assert_eq!(target_cell(&j, &[Item::Step(step)]), Some((step, touch)));
        let actions = lane_of(&j, LaneKind::Actions);
        assert_eq!(
            target_cell(&j, &[Item::Lane(actions)]),
            Some((first_step, actions))
        );
        let empty = Journey::empty("none");
        assert_eq!(add_card(&empty, &[], None), None, "no cell to add to");
    }

    #[test]
    fn a_pain_point_goes_on_the_selected_card_curve_point_or_step() {
        let j = with_cards();
        let card = j.cards[0].id;
        let cmd = add_pain_point(&j, &[Item::Card(card)]).unwrap();
        let after = run(&j, &cmd);
        let pain = after.pain_points.last().unwrap();
        assert_eq!(pain.anchor, Anchor::Card(card));
        assert_eq!(pain.severity, 2);
        assert_eq!(cmd.select, Some(vec![Item::Pain(pain.id)]));

        let stage = &j.stages[1];
        assert_eq!(
            pain_anchor(&j, Some(Item::Stage(stage.id))),
            Some(Anchor::Step(stage.steps[0].id))
        );
        let lane = j.lanes[0].id;
        assert_eq!(add_pain_point(&j, &[Item::Lane(lane)]), None);
        assert_eq!(add_pain_point(&j, &[]), None);
    }

    #[test]
    fn stages_steps_and_lanes_are_added_after_the_selection() {
        let j = with_cards();
        let first = j.stages[0].id;
        let after = run(&j, &add_stage(&j, &[Item::Stage(first)]));
        assert_eq!(after.stages.len(), 5);
        assert_eq!(after.stages[1].name, "New stage");
        assert_eq!(after.stages[1].steps.len(), 1);
        let at_end = run(&j, &add_stage(&j, &[]));
        assert_eq!(at_end.stages[4].name, "New stage");

        let step = j.stages[0].steps[0].id;
        let cmd = add_step(&j, &[Item::Step(step)]);
        let after = run(&j, &cmd);
        assert_eq!(after.stages[0].steps.len(), 2);
        assert_eq!(after.stages[0].steps[1].name, "New step");
        assert_eq!(
            cmd.select,
            Some(vec![Item::Step(after.stages[0].steps[1].id)])
        );
        let no_stages = Journey::empty("none");
        let cmd = add_step(&no_stages, &[]);
        assert!(
            matches!(cmd.edit, Edit::InsertStage(0, _)),
            "a stage instead"
        );

        let lane = j.lanes[1].id;
        let after = run(&j, &add_lane(&j, &[Item::Lane(lane)], LaneKind::Kpis));
        assert_eq!(after.lanes[2].kind, LaneKind::Kpis);
        assert_eq!(after.lanes[2].name, LaneKind::Kpis.label());
    }

    #[test]
    fn a_persona_comes_with_an_empty_curve() {
        let j = with_cards();
        let cmd = add_persona(&j);
        let after = run(&j, &cmd);
        let persona = after.personas.last().unwrap();
        assert_eq!(persona.name, "Persona 2");
        assert!(after.curve(persona.id).unwrap().points.is_empty());
        assert_eq!(cmd.select, Some(vec![Item::Persona(persona.id)]));
    }

    #[test]
    fn delete_removes_selected_cards_or_the_primary_item() {
        let j = with_cards();
        let cards = [Item::Card(j.cards[0].id), Item::Card(j.cards[2].id)];
        let cmd = delete_selection(&j, &cards).unwrap();
        assert_eq!(run(&j, &cmd).cards.len(), 1);
        assert_eq!(cmd.select, Some(Vec::new()));

        let stage = j.stages[0].id;
        let after = run(&j, &delete_selection(&j, &[Item::Stage(stage)]).unwrap());
        assert!(after.stage(stage).is_none());
        assert_eq!(after.cards.len(), 1, "the stage's cards went with it");

        let lane = lane_of(&j, LaneKind::Touchpoints);
        let after = run(&j, &delete_selection(&j, &[Item::Lane(lane)]).unwrap());
        assert_eq!(after.cards.len(), 1);

        let persona = j.personas[0].id;
        assert_eq!(
            delete_selection(&j, &[Item::Persona(persona)]),
            None,
            "the last persona stays"
        );
        assert_eq!(delete_selection(&j, &[]), None);
    }

    #[test]
    fn cut_removes_only_the_cards_and_keeps_the_selection() {
        let j = with_cards();
        let stage = j.stages[0].id;
        let card = j.cards[1].id;
        let cmd = remove_selected_cards(&j, &[Item::Stage(stage), Item::Card(card)]).unwrap();
        let after = run(&j, &cmd);
        assert!(after.card(card).is_none());
        assert!(after.stage(stage).is_some());
        assert_eq!(cmd.select, None);
        assert_eq!(remove_selected_cards(&j, &[Item::Stage(stage)]), None);
        assert_eq!(all_cards(&j).len(), 3);
    }

    #[test]
    fn duplicate_puts_each_copy_after_its_card_and_selects_the_copies() {
        let j = with_cards();
        let (a, b) = (j.cards[0].clone(), j.cards[2].clone());
        let cmd = duplicate(&j, &[Item::Card(a.id), Item::Card(b.id)]).unwrap();
        let after = run(&j, &cmd);
        assert_eq!(after.cards.len(), 5);
        assert_eq!(after.cards[1].title, a.title);
        assert_ne!(after.cards[1].id, a.id);
        let Some(selected) = cmd.select else {
            panic!("the copies are selected")
        };
        assert_eq!(selected.len(), 2);
        assert!(!selected.contains(&Item::Card(a.id)));
        assert_eq!(duplicate(&j, &[]), None);
    }

    #[test]
    fn paste_goes_to_the_target_cell_or_each_card_own_cell() {
        let j = with_cards();
        let clipboard = vec![j.cards[0].clone(), j.cards[2].clone()];
        let cell = (j.stages[3].steps[0].id, lane_of(&j, LaneKind::Thoughts));
        let cmd = paste(&j, &[Item::Cell(cell.0, cell.1)], &clipboard).unwrap();
        let after = run(&j, &cmd);
        let pasted: Vec<&str> = after
            .cards_in(cell.0, cell.1)
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(pasted, ["Sees an ad", "Compares prices"]);

        // Nothing selected: the target is the first touchpoints cell.
        let after = run(&j, &paste(&j, &[], &clipboard).unwrap());
        assert_eq!(after.cards_in(j.cards[0].step, j.cards[0].lane).count(), 4);

        // A card from a cell that is gone, with no target, is skipped.
        let mut gone = j.clone();
        gone.lanes.clear();
        assert_eq!(paste(&gone, &[], &clipboard), None);
        assert_eq!(paste(&j, &[], &[]), None);
    }

    #[test]
    fn nudge_moves_cards_together_or_not_at_all() {
        let j = with_cards();
        let (a, c) = (j.cards[0].clone(), j.cards[2].clone());
        let selection = [Item::Card(a.id), Item::Card(c.id)];
        let after = run(&j, &nudge(&j, &selection, Direction::Right).unwrap());
        assert_eq!(after.card(a.id).unwrap().step, j.stages[1].steps[0].id);
        assert_eq!(after.card(c.id).unwrap().step, j.stages[2].steps[0].id);
        // The first card is in the first step: nobody moves left.
        assert_eq!(nudge(&j, &selection, Direction::Left), None);
        let after = run(
            &j,
            &nudge(&j, &[Item::Card(c.id)], Direction::Down).unwrap(),
        );
        assert_eq!(after.card(c.id).unwrap().lane, j.lanes[1].id);
        assert_eq!(nudge(&j, &[], Direction::Down), None);
    }

    #[test]
    fn move_selected_reorders_stages_lanes_and_steps_across_stages() {
        let j = with_cards();
        let stage = j.stages[0].id;
        let after = run(
            &j,
            &move_selected(&j, &[Item::Stage(stage)], Order::Later).unwrap(),
        );
        assert_eq!(after.stages[1].id, stage);
        assert_eq!(
            move_selected(&j, &[Item::Stage(stage)], Order::Earlier),
            None
        );

        let lane = j.lanes.last().unwrap().id;
        assert_eq!(move_selected(&j, &[Item::Lane(lane)], Order::Later), None);
        let after = run(
            &j,
            &move_selected(&j, &[Item::Lane(lane)], Order::Earlier).unwrap(),
        );
        assert_eq!(after.lanes[after.lanes.len() - 2].id, lane);

        // A stage's only step moves into the next stage, first.
        let step = j.stages[0].steps[0].id;
        let after = run(
            &j,
            &move_selected(&j, &[Item::Step(step)], Order::Later).unwrap(),
        );
        assert_eq!(after.stages[1].steps[0].id, step);
        // ...and back, last in the previous stage.
        let step = j.stages[1].steps[0].id;
        let after = run(
            &j,
            &move_selected(&j, &[Item::Step(step)], Order::Earlier).unwrap(),
        );
        assert_eq!(after.stages[0].steps.last().unwrap().id, step);
        let last = j.stages[3].steps[0].id;
        assert_eq!(move_selected(&j, &[Item::Step(last)], Order::Later), None);
        assert_eq!(
            move_selected(&j, &[Item::Card(j.cards[0].id)], Order::Later),
            None
        );
    }

    #[test]
    fn insertion_index_puts_a_card_at_a_slot_of_its_cell() {
        let j = with_cards();
        let (step, lane) = (j.cards[0].step, j.cards[0].lane);
        assert_eq!(insertion_index(&j, step, lane, 0), 0);
        assert_eq!(insertion_index(&j, step, lane, 1), 1);
        assert_eq!(insertion_index(&j, step, lane, usize::MAX), 2);
        let empty_lane = lane_of(&j, LaneKind::Thoughts);
        assert_eq!(insertion_index(&j, step, empty_lane, 0), j.cards.len());
    }

    #[test]
    fn card_notes_change_only_when_different_and_undo() {
        let mut j = crate::model::templates::Template::FourStage.build("t");
        assert!(set_card_notes(&j, CardNotes::FirstLine).is_none());
        let Some(command) = set_card_notes(&j, CardNotes::All) else {
            panic!("a change");
        };
        let undo = command.edit.apply(&mut j).expect("applies");
        assert_eq!(j.card_notes, CardNotes::All);
        undo.apply(&mut j).expect("undoes");
        assert_eq!(j.card_notes, CardNotes::FirstLine);
    }
}
