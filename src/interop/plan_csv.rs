//! The action plan as CSV: one row per opportunity card, in map order, with
//! a header row, written by the `csv` crate (UTF-8, quoted as needed). This
//! is a report for spreadsheets, not an importable copy of the map.

use crate::model::{Journey, Priority, Status};

/// The header row.
pub const COLUMNS: [&str; 9] = [
    "title",
    "priority",
    "owner",
    "status",
    "due",
    "overdue",
    "pains addressed",
    "stage",
    "step",
];

/// The plan of `journey` as CSV text; `today` decides which items are overdue.
pub fn plan_csv(journey: &Journey, today: crate::model::Date) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for card in journey.opportunities() {
        let plan = card.plan.clone().unwrap_or_default();
        let (stage, step) = journey
            .step(card.step)
            .map(|(stage, step)| (stage.name.as_str(), step.name.as_str()))
            .unwrap_or_default();
        let pains: Vec<&str> = journey
            .pains_addressed_by(card.id)
            .map(|p| p.text.as_str())
            .collect();
        let due = plan.due.map(|d| d.to_string()).unwrap_or_default();
        let overdue = if plan.is_overdue(today) { "yes" } else { "" };
        out.write_record([
            card.title.as_str(),
            priority(card.plan.as_ref().map(|p| p.priority)),
            plan.owner.as_str(),
            status(card.plan.as_ref().map(|p| p.status)),
            due.as_str(),
            overdue,
            pains.join("; ").as_str(),
            stage,
            step,
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// An opportunity without an action item has no priority or status yet:
/// the cells stay empty rather than claim the defaults.
fn priority(priority: Option<Priority>) -> &'static str {
    priority.map_or("", Priority::label)
}

fn status(status: Option<Status>) -> &'static str {
    status.map_or("", Status::label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{
        ActionItem, Anchor, Card, CardId, Date, LaneKind, PainId, PainPoint, Priority, Status,
    };

    #[test]
    fn one_row_per_opportunity_with_its_pains_quoted() {
        let mut j = Template::FourStage.build("t");
        let opp = j
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities)
            .unwrap()
            .id;
        let (_, step) = j.steps().nth(1).map(|(a, b)| (a.id, b.id)).unwrap();
        let mut card = Card::new(CardId(500), step, opp, "Show fees, early");
        card.plan = Some(ActionItem {
            priority: Priority::High,
            owner: "Ana, \"Growth\"".into(),
            status: Status::InProgress,
            due: Some(Date::constant(2026, 12, 1)),
        });
        j.cards.push(card);
        j.cards.push(Card::new(CardId(501), step, opp, "Bare idea"));
        for (id, text) in [(502, "Hidden fee"), (503, "Slow; confusing")] {
            j.pain_points.push(PainPoint {
                id: PainId(id),
                severity: 2,
                text: text.into(),
                anchor: Anchor::Step(step),
                opportunity: Some(CardId(500)),
                solved_in_future: false,
            });
        }
        let text = String::from_utf8(plan_csv(&j, Date::constant(2026, 12, 7)).unwrap()).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(rows.headers().unwrap(), COLUMNS.as_slice());
        let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let stage = j.stages[1].name.clone();
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [
                "Show fees, early",
                "High",
                "Ana, \"Growth\"",
                "In progress",
                "2026-12-01",
                "yes",
                "Hidden fee; Slow; confusing",
                stage.as_str(),
                j.steps().nth(1).unwrap().1.name.as_str(),
            ]
        );
        assert_eq!(&rows[1][0], "Bare idea");
        assert_eq!(&rows[1][1], "", "no action item, no claimed priority");
    }
}
