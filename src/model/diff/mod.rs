//! What changed between two versions of a map: a pure function of two
//! journeys to a list of [`Change`]s, matched by stable id (never by
//! position or name), each with the names a reader needs, and the readable
//! summary `waymark diff` prints.
//!
//! Invariants: the diff of a map with itself is empty; every item whose
//! data differs is named by exactly one change of its group; a field this
//! module does not know by name (added to the model later) still shows as
//! "other details" of a changed item, because items are compared whole.
//! Order changes are found as the items outside the longest common
//! subsequence of the shared ids, so inserting one stage does not report
//! every stage after it as moved. `items` compares each kind of item.

mod items;

pub use items::cell_name;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{CardId, CurveState, Journey, LaneId, PainId, PersonaId, StageId, StepId, score_text};

/// Whether an item is new, gone or different.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only in the new map.
    Added,
    /// Only in the old map.
    Removed,
    /// In both, different.
    Changed,
}

impl ChangeKind {
    /// The mark a summary line starts with.
    pub fn mark(self) -> char {
        match self {
            Self::Added => '+',
            Self::Removed => '-',
            Self::Changed => '~',
        }
    }
}

/// What a [`Change`] is about, by stable id. The variants are in summary order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiffSubject {
    /// The map's own fields (title, description, objective, ...).
    Map,
    /// A persona.
    Persona(PersonaId),
    /// A stage (name, place).
    Stage(StageId),
    /// A stage's customer or business goal.
    Goal(StageId),
    /// A KPI of a stage, by its name and which of that name it is (0: the
    /// first).
    Kpi(StageId, String, usize),
    /// A step (column).
    Step(StepId),
    /// A lane (row).
    Lane(LaneId),
    /// A card.
    Card(CardId),
    /// A card's action item (its `plan`).
    Plan(CardId),
    /// A persona's emotion score in a state (current or future) at a step.
    Score(PersonaId, CurveState, StepId),
    /// A pain point.
    Pain(PainId),
}

impl DiffSubject {
    /// The summary's heading for changes of this kind.
    pub fn group(&self) -> &'static str {
        match self {
            Self::Map => "Map",
            Self::Persona(_) => "Personas",
            Self::Stage(_) => "Stages",
            Self::Goal(_) => "Goals",
            Self::Kpi(..) => "KPIs",
            Self::Step(_) => "Steps",
            Self::Lane(_) => "Lanes",
            Self::Card(_) => "Cards",
            Self::Plan(_) => "Plan items",
            Self::Score(..) => "Scores",
            Self::Pain(_) => "Pain points",
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Map => 0,
            Self::Persona(_) => 1,
            Self::Stage(_) => 2,
            Self::Goal(_) => 3,
            Self::Kpi(..) => 4,
            Self::Step(_) => 5,
            Self::Lane(_) => 6,
            Self::Card(_) => 7,
            Self::Plan(_) => 8,
            Self::Score(..) => 9,
            Self::Pain(_) => 10,
        }
    }
}

/// One added, removed or changed item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The item, by id.
    pub subject: DiffSubject,
    /// The item as a reader knows it: a quoted title or a name.
    pub name: String,
    /// Where it is, e.g. "Purchase / Pays at till, Opportunities"; may be empty.
    pub place: String,
    /// For a change: what changed, e.g. `title "A" → "B"`, `-1 → +1`.
    pub details: Vec<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind.mark(), self.name)?;
        if !self.place.is_empty() {
            write!(f, " ({})", self.place)?;
        }
        if !self.details.is_empty() {
            write!(f, ": {}", self.details.join("; "))?;
        }
        Ok(())
    }
}

/// Every change between two maps, grouped in summary order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JourneyDiff {
    /// The changes, by group, then in map order within a group.
    pub changes: Vec<Change>,
}

impl JourneyDiff {
    /// Whether the maps are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How the subject changed, if it did.
    pub fn kind_of(&self, subject: &DiffSubject) -> Option<ChangeKind> {
        self.changes
            .iter()
            .find(|c| &c.subject == subject)
            .map(|c| c.kind)
    }

    /// The changes with this kind.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// The readable summary: a heading per group, then one line per change;
    /// "No changes." when there are none.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "No changes.\n".to_owned();
        }
        let (mut added, mut removed, mut changed) = (0, 0, 0);
        for change in &self.changes {
            match change.kind {
                ChangeKind::Added => added += 1,
                ChangeKind::Removed => removed += 1,
                ChangeKind::Changed => changed += 1,
            }
        }
        let mut out = format!("{added} added, {removed} removed, {changed} changed\n");
        let mut group = "";
        for change in &self.changes {
            if change.subject.group() != group {
                group = change.subject.group();
                let _ = writeln!(out, "{group}:");
            }
            let _ = writeln!(out, "  {change}");
        }
        out
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Journey, new: &Journey) -> JourneyDiff {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
    };
    d.map();
    d.personas();
    d.stages();
    d.steps();
    d.lanes();
    d.cards();
    d.scores();
    d.pains();
    let mut changes = d.changes;
    // A stable sort by group keeps map order within each group.
    changes.sort_by_key(|c| c.subject.rank());
    JourneyDiff { changes }
}

struct Differ<'a> {
    old: &'a Journey,
    new: &'a Journey,
    changes: Vec<Change>,
}

/// `"text"`, cut to a readable length.
pub fn quoted(text: &str) -> String {
    const MAX: usize = 60;
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > MAX || line.len() < text.len() {
        let cut: String = line.chars().take(MAX).collect();
        format!("\"{}…\"", cut.trim_end())
    } else {
        format!("\"{line}\"")
    }
}

/// `what "a" → "b"` when the texts differ.
fn text_change(details: &mut Vec<String>, what: &str, old: &str, new: &str) {
    if old != new {
        details.push(format!("{what} {} → {}", quoted(old), quoted(new)));
    }
}

/// `what a → b` ("none" for `None`) when they differ.
fn value_change<T: PartialEq + std::fmt::Display>(
    details: &mut Vec<String>,
    what: &str,
    old: Option<&T>,
    new: Option<&T>,
) {
    if old != new {
        let show = |v: Option<&T>| v.map_or_else(|| "none".to_owned(), ToString::to_string);
        details.push(format!("{what} {} → {}", show(old), show(new)));
    }
}

/// The ids in both lists that are out of their old relative order: those
/// outside a longest common subsequence of the shared ids.
fn moved<T: Copy + Eq + std::hash::Hash>(old: &[T], new: &[T]) -> BTreeSet<usize> {
    let in_new: std::collections::HashSet<T> = new.iter().copied().collect();
    let in_old: std::collections::HashSet<T> = old.iter().copied().collect();
    let a: Vec<T> = old.iter().copied().filter(|x| in_new.contains(x)).collect();
    let b: Vec<T> = new.iter().copied().filter(|x| in_old.contains(x)).collect();
    let (n, m) = (a.len(), b.len());
    // table[i][j]: LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let value = if a.get(i) == b.get(j) {
                table.get(at(i + 1, j + 1)).copied().unwrap_or(0) + 1
            } else {
                let down = table.get(at(i + 1, j)).copied().unwrap_or(0);
                let right = table.get(at(i, j + 1)).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(cell) = table.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    let mut kept = std::collections::HashSet::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a.get(i) == b.get(j) {
            if let Some(x) = a.get(i) {
                kept.insert(*x);
            }
            i += 1;
            j += 1;
        } else if table.get(at(i + 1, j)) >= table.get(at(i, j + 1)) {
            i += 1;
        } else {
            j += 1;
        }
    }
    // Positions in the new list of the shared items not kept in order.
    (new.iter().enumerate())
        .filter(|(_, x)| in_old.contains(x) && !kept.contains(x))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{ActionItem, Card, CardId, Kpi, LaneKind, Priority, Stage};

    fn base() -> Journey {
        let mut j = Template::FourStage.build("Shop");
        let step = j.steps().nth(1).map(|(_, s)| s.id).unwrap();
        let lane = j
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities)
            .unwrap()
            .id;
        j.cards
            .push(Card::new(CardId(900), step, lane, "Price match"));
        j
    }

    #[test]
    fn a_map_and_itself_have_no_diff() {
        let j = base();
        let d = diff(&j, &j);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.summary(), "No changes.\n");
    }

    #[test]
    fn added_removed_and_changed_cards_are_named_with_their_cell() {
        let old = base();
        let mut new = old.clone();
        let (step, lane) = (new.cards[0].step, new.cards[0].lane);
        new.cards
            .push(Card::new(CardId(901), step, lane, "Self checkout"));
        new.cards.retain(|c| c.id != CardId(900));
        let mut old2 = old.clone();
        old2.cards.push(Card::new(CardId(902), step, lane, "Queue"));
        new.cards
            .push(Card::new(CardId(902), step, lane, "Short queue"));
        let d = diff(&old2, &new);
        assert_eq!(
            d.kind_of(&DiffSubject::Card(CardId(901))),
            Some(ChangeKind::Added)
        );
        assert_eq!(
            d.kind_of(&DiffSubject::Card(CardId(900))),
            Some(ChangeKind::Removed)
        );
        assert_eq!(
            d.kind_of(&DiffSubject::Card(CardId(902))),
            Some(ChangeKind::Changed)
        );
        let summary = d.summary();
        assert!(summary.contains("Cards:\n"), "{summary}");
        assert!(summary.contains("+ \"Self checkout\" ("), "{summary}");
        assert!(summary.contains("- \"Price match\""), "{summary}");
        assert!(
            summary.contains("title \"Queue\" → \"Short queue\""),
            "{summary}"
        );
        assert!(summary.contains("Opportunities)"), "{summary}");
    }

    #[test]
    fn a_moved_card_names_its_old_cell() {
        let old = base();
        let mut new = old.clone();
        let other = new.steps().nth(2).map(|(_, s)| s.id).unwrap();
        new.cards[0].step = other;
        let d = diff(&old, &new);
        let summary = d.summary();
        assert!(summary.contains("moved from "), "{summary}");
        assert_eq!(d.changes.len(), 1, "{summary}");
    }

    #[test]
    fn scores_show_old_and_new_values() {
        let old = base();
        let mut new = old.clone();
        let step = new.steps().next().map(|(_, s)| s.id).unwrap();
        let name = new.personas[0].name.clone();
        new.curves[0].points.insert(step, -0.5);
        let mut old = old;
        old.curves[0].points.insert(step, 1.0);
        let summary = diff(&old, &new).summary();
        assert!(summary.contains("Scores:\n"), "{summary}");
        assert!(summary.contains(&format!("~ {name} at")), "{summary}");
        assert!(summary.contains("+1 → -0.5"), "{summary}");
    }

    #[test]
    fn plan_items_are_their_own_group() {
        let old = base();
        let mut new = old.clone();
        new.cards[0].plan = Some(ActionItem {
            priority: Priority::High,
            ..ActionItem::default()
        });
        let d = diff(&old, &new);
        assert_eq!(
            d.kind_of(&DiffSubject::Plan(CardId(900))),
            Some(ChangeKind::Added)
        );
        assert_eq!(d.kind_of(&DiffSubject::Card(CardId(900))), None);
        let mut newer = new.clone();
        if let Some(plan) = &mut newer.cards[0].plan {
            plan.owner = "Ana".into();
        }
        let summary = diff(&new, &newer).summary();
        assert!(
            summary.contains("Plan items:\n  ~ \"Price match\""),
            "{summary}"
        );
        assert!(summary.contains("owner \"\" → \"Ana\""), "{summary}");
    }

    #[test]
    fn inserting_a_stage_moves_no_other_stage() {
        let old = base();
        let mut new = old.clone();
        new.stages
            .insert(0, Stage::new(StageId(5000), "Discovery", Vec::new()));
        let d = diff(&old, &new);
        assert_eq!(d.changes.len(), 1, "{}", d.summary());
        let mut swapped = old.clone();
        swapped.stages.swap(0, 1);
        let d = diff(&old, &swapped);
        assert_eq!(d.changes.len(), 1, "{}", d.summary());
        assert!(d.summary().contains("moved"));
    }

    #[test]
    fn kpis_goals_and_map_fields_are_reported() {
        let old = base();
        let mut new = old.clone();
        new.title = "Shop 2".into();
        new.stages[0].customer_goal = "Find it".into();
        let mut kpi = Kpi::named("NPS");
        kpi.target = Some(40.0);
        new.stages[1].kpis.push(kpi);
        let summary = diff(&old, &new).summary();
        assert!(
            summary.contains("Map:\n  ~ \"Shop 2\": title \"Shop\" → \"Shop 2\""),
            "{summary}"
        );
        assert!(summary.contains("Goals:\n"), "{summary}");
        assert!(summary.contains("KPIs:\n  + NPS ("), "{summary}");
    }

    #[test]
    fn future_state_samples_votes_and_silenced_rules_are_changes() {
        use crate::model::{CardState, CurveState, EmotionCurve, Sample, Vote};
        let old = base();
        let mut new = old.clone();
        let persona = new.personas[0].id;
        let step = new.steps().next().map(|(_, s)| s.id).unwrap();
        new.cards[0].state = CardState::Future;
        new.personas[0].hidden = true;
        new.silenced.insert("empty-lane".into());
        new.votes.push(Vote {
            card: CardId(900),
            voter: String::new(),
            date: crate::model::Date::constant(2026, 12, 7),
        });
        let mut future = EmotionCurve::new(persona, [(step, 1.5)].into());
        future.state = CurveState::Future;
        new.curves.push(future);
        new.curves[0]
            .samples
            .insert(step, vec![Sample::new("Ana", 1.0)]);
        let d = diff(&old, &new);
        let summary = d.summary();
        assert!(summary.contains("state Current → Future"), "{summary}");
        assert!(summary.contains("votes 0 → 1"), "{summary}");
        assert!(summary.contains(": hidden"), "{summary}");
        assert!(
            summary.contains("silenced health rules none → empty-lane"),
            "{summary}"
        );
        assert!(summary.contains("participants' scores 0 → 1"), "{summary}");
        let future = DiffSubject::Score(persona, CurveState::Future, step);
        assert_eq!(d.kind_of(&future), Some(ChangeKind::Added));
        assert!(summary.contains("(future) at"), "{summary}");
    }

    #[test]
    fn lcs_finds_the_one_moved_item() {
        assert!(moved(&[1, 2, 3, 4], &[1, 2, 3, 4]).is_empty());
        assert_eq!(moved(&[1, 2, 3, 4], &[2, 3, 4, 1]).len(), 1);
        assert!(moved(&[1, 2, 3], &[9, 1, 3]).is_empty());
    }
}
