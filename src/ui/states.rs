//! The editor's side of the journey's two states: choosing the state in
//! view (Current, Future, Compare) and how the bands of participants'
//! scores spread, both view choices that are neither saved nor undone;
//! and "Copy current curve to future", one undo step.

use crate::edit::Edit;
use crate::edit::commands::Command;
use crate::model::{CurveState, Journey, PersonaId, SpreadKind};
use crate::ui::actions::Action;
use crate::ui::app::WaymarkApp;
use crate::ui::document::Status;
use crate::view::states::StateView;

/// View ▸ States and voices: the state in view, how score bands spread,
/// and starting a to-be curve from the as-is one.
pub fn menu() -> Vec<Action> {
    let states = StateView::ALL.map(Action::ShowState);
    let spreads = [SpreadKind::Range, SpreadKind::MiddleHalf].map(Action::Spread);
    let copy = Action::CopyCurveToFuture(None);
    states.into_iter().chain(spreads).chain([copy]).collect()
}

/// The words of a spread choice in the View menu.
pub fn spread_label(kind: SpreadKind) -> &'static str {
    match kind {
        SpreadKind::Range => "Score bands: lowest to highest",
        SpreadKind::MiddleHalf => "Score bands: middle half",
    }
}

/// Shows the map in `state`; in the Future view, says which personas have
/// no to-be curve yet (they show none there).
pub fn show_state(app: &mut WaymarkApp, state: StateView) {
    app.view.state = state;
    let journey = &app.doc.journey;
    let missing = missing_future(journey);
    let text = match state {
        StateView::Future if !missing.is_empty() => format!(
            "Future state: no to-be curve yet for {} (sketch one, or copy the current curve)",
            missing.join(", ")
        ),
        _ => format!("View: {}", state.label().to_lowercase()),
    };
    app.say(Status::info(text));
}

/// The names of the shown personas that have no to-be curve with points.
pub fn missing_future(journey: &Journey) -> Vec<String> {
    (journey.personas.iter())
        .filter(|p| !p.hidden)
        .filter(|p| {
            journey
                .curve_in(p.id, CurveState::Future)
                .is_none_or(|c| c.points.is_empty())
        })
        .map(|p| p.name.clone())
        .collect()
}

/// The persona "Copy current curve to future" works on: the one given,
/// else the selected persona or curve point's, else the first one shown.
pub fn copy_target(
    journey: &Journey,
    persona: Option<PersonaId>,
    selection: &[crate::edit::Item],
) -> Option<PersonaId> {
    (persona.or_else(|| crate::edit::Item::persona(selection)))
        .or_else(|| journey.first_shown_persona())
}

/// Starts (or replaces) a persona's to-be curve with its as-is points and
/// participants' scores, as one undo step; `None` when the persona has no
/// as-is points to copy.
pub fn copy_curve_to_future(journey: &Journey, persona: PersonaId) -> Option<Command> {
    let current = journey.curve_in(persona, CurveState::Current)?;
    if current.points.is_empty() {
        return None;
    }
    let state = CurveState::Future;
    let mut edits = vec![Edit::SetCurve(persona, state, Some(current.points.clone()))];
    if let Some(future) = journey.curve_in(persona, state) {
        let stale = (future.samples.keys()).filter(|s| !current.samples.contains_key(s));
        edits.extend(stale.map(|step| Edit::SetSamples {
            persona,
            state,
            step: *step,
            samples: Vec::new(),
        }));
    }
    edits.extend(
        (current.samples.iter()).map(|(step, samples)| Edit::SetSamples {
            persona,
            state,
            step: *step,
            samples: samples.clone(),
        }),
    );
    Some(Command {
        edit: Edit::Batch(edits),
        select: None,
    })
}

/// In the Future view, Delete on a curve point removes the to-be point
/// (with its scores); `None` for everything else, which deletes as usual.
pub fn delete_in_state(
    journey: &Journey,
    selection: &[crate::edit::Item],
    state: StateView,
) -> Option<Command> {
    let crate::edit::Item::CurvePoint(persona, step) = crate::edit::Item::primary(selection)?
    else {
        return None;
    };
    if state.edit_state() != CurveState::Future {
        return None;
    }
    let edit = Edit::remove_curve_point(journey, persona, CurveState::Future, step)?;
    Some(Command {
        edit,
        select: Some(Vec::new()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Sample, templates::Template};

    #[test]
    fn copying_a_curve_copies_its_points_and_voices_in_one_step() {
        let mut j = Template::FourStage.build("Copy");
        let persona = j.personas[0].id;
        let steps: Vec<_> = j.steps().map(|(_, s)| s.id).collect();
        let voices = [1.0, -1.0, 0.5].map(|s| Sample::new("", s)).to_vec();
        let edit = Edit::set_samples(&j, persona, CurveState::Current, steps[1], voices.clone());
        edit.apply(&mut j).unwrap();
        // A stale voice on the old to-be curve goes.
        let stale = Edit::set_samples(&j, persona, CurveState::Future, steps[2], voices.clone());
        stale.apply(&mut j).unwrap();
        let before = j.clone();
        let command = copy_curve_to_future(&j, persona).unwrap();
        let undo = command.edit.apply(&mut j).unwrap();
        let (now, then) = (
            j.curve_in(persona, CurveState::Current).unwrap(),
            j.curve_in(persona, CurveState::Future).unwrap(),
        );
        assert_eq!(now.points, then.points);
        assert_eq!(now.samples, then.samples);
        assert!(j.problems().is_empty(), "{:?}", j.problems());
        undo.apply(&mut j).unwrap();
        assert_eq!(j, before);
        let empty = Template::Blank.build("Empty");
        assert!(copy_curve_to_future(&empty, empty.personas[0].id).is_none());
    }
}
