//! The action plan read out of a journey (opportunity cards with their action
//! items, the pains they address, resource totals). Its warnings are the
//! plan rules of [`super::health`].

use std::collections::HashMap;

use super::{Card, CardId, Journey, LaneKind, PainPoint, Stage, StepId};

pub use super::health::Warning;

impl Journey {
    /// Every opportunity card (a card in an Opportunities lane), left to
    /// right by step and top to bottom by lane: the action plan's rows.
    pub fn opportunities(&self) -> Vec<&Card> {
        // One pass over the cards, then a stable sort: a cell's cards keep
        // their order, and a card in a missing step is left out.
        let lanes: HashMap<_, usize> = (self.lanes.iter())
            .filter(|l| l.kind == LaneKind::Opportunities)
            .enumerate()
            .map(|(i, l)| (l.id, i))
            .collect();
        let steps: HashMap<StepId, usize> = (self.steps().enumerate())
            .map(|(i, (_, step))| (step.id, i))
            .collect();
        let mut out: Vec<(usize, usize, &Card)> = (self.cards.iter())
            .filter_map(|c| Some((*steps.get(&c.step)?, *lanes.get(&c.lane)?, c)))
            .collect();
        out.sort_by_key(|(step, lane, _)| (*step, *lane));
        out.into_iter().map(|(_, _, card)| card).collect()
    }

    /// The pain points linked to an opportunity card, in file order.
    pub fn pains_addressed_by(&self, card: CardId) -> impl Iterator<Item = &PainPoint> {
        self.pain_points
            .iter()
            .filter(move |p| p.opportunity == Some(card))
    }

    /// The step a pain point sits at, whatever it is anchored to.
    pub fn pain_step(&self, pain: &PainPoint) -> Option<StepId> {
        match pain.anchor {
            super::Anchor::Card(card) => self.card(card).map(|c| c.step),
            super::Anchor::Curve(_, step) | super::Anchor::Step(step) => Some(step),
        }
    }

    /// The sum of the costs of the resources in a stage's steps (required and
    /// available alike); `None` when no resource there has a cost.
    pub fn resource_total(&self, stage: &Stage) -> Option<f64> {
        let costs = self.cards.iter().filter_map(|card| {
            let cost = card.resource.as_ref()?.cost?;
            stage
                .steps
                .iter()
                .any(|s| s.id == card.step)
                .then_some(cost)
        });
        costs.reduce(|a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{
        ActionItem, Anchor, Date, Kpi, Need, PainId, Resource, ResourceKind, Status,
    };

    fn lane(j: &Journey, kind: LaneKind) -> crate::model::LaneId {
        j.lanes.iter().find(|l| l.kind == kind).unwrap().id
    }

    #[test]
    fn warnings_name_each_gap_in_the_plan() {
        let mut j = Template::FourStage.build("t");
        let steps: Vec<StepId> = j.steps().map(|(_, s)| s.id).collect();
        let opp = lane(&j, LaneKind::Opportunities);
        let mut done = Card::new(CardId(900), steps[1], opp, "Ship it");
        done.plan = Some(ActionItem {
            owner: "Ana".into(),
            due: Some(Date::constant(2026, 1, 1)),
            status: Status::Done,
            ..ActionItem::default()
        });
        let mut late = Card::new(CardId(901), steps[0], opp, "Fix checkout");
        late.plan = Some(ActionItem {
            owner: "Bo".into(),
            due: Some(Date::constant(2026, 12, 1)),
            ..ActionItem::default()
        });
        j.cards.push(done);
        j.cards.push(late);
        j.cards
            .push(Card::new(CardId(902), steps[2], opp, "Bare idea"));
        j.stages[0].kpis.push(Kpi::named("NPS"));
        j.pain_points.push(PainPoint {
            id: PainId(903),
            severity: 2,
            text: "Slow".into(),
            anchor: Anchor::Step(steps[0]),
            opportunity: Some(CardId(901)),
            solved_in_future: false,
        });
        j.pain_points.push(PainPoint {
            id: PainId(904),
            severity: 1,
            text: "Ugly".into(),
            anchor: Anchor::Step(steps[0]),
            opportunity: None,
            solved_in_future: false,
        });
        let warnings: Vec<String> = j
            .plan_warnings(Date::constant(2026, 12, 7))
            .into_iter()
            .map(|w| w.message)
            .collect();
        assert_eq!(
            warnings,
            [
                "opportunity 901 \"Fix checkout\" was due on 2026-12-01 and is idea",
                "opportunity 902 \"Bare idea\" has no owner",
                "opportunity 902 \"Bare idea\" has no due date",
                "KPI \"NPS\" of stage \"Awareness\" has no target",
                "pain point 904 \"Ugly\" has no opportunity to address it",
            ]
        );
        assert_eq!(
            j.opportunities().iter().map(|c| c.id.0).collect::<Vec<_>>(),
            [901, 900, 902],
            "left to right by step"
        );
        assert_eq!(j.pains_addressed_by(CardId(901)).count(), 1);
    }

    #[test]
    fn resource_total_sums_the_costs_of_a_stage() {
        let mut j = Template::FourStage.build("t");
        let lanes_id = crate::model::LaneId(j.next_id());
        j.lanes.push(crate::model::Lane {
            id: lanes_id,
            kind: LaneKind::Resources,
            name: "Resources".into(),
        });
        let stage = j.stages[0].clone();
        assert_eq!(j.resource_total(&stage), None);
        for (i, cost) in [Some(100.0), None, Some(50.5)].into_iter().enumerate() {
            let mut card = Card::new(CardId(800 + i as u64), stage.steps[0].id, lanes_id, "R");
            card.resource = Some(Resource {
                kind: ResourceKind::Budget,
                need: Need::Required,
                cost,
            });
            j.cards.push(card);
        }
        assert_eq!(j.resource_total(&stage), Some(150.5));
        assert_eq!(j.resource_total(&j.stages[1].clone()), None);
    }
}
