//! Map health: named rules that find what makes a map weak (steps nobody
//! scored, pains nothing addresses, plans without owners, stale reviews,
//! ...), each finding with a message naming the item and the item to
//! select. `waymark check` prints the findings and the Map health panel
//! lists them; none makes a map invalid.
//!
//! Every rule has a stable id (kebab-case, never reused), which a map can
//! silence in `Journey::silenced`. The action plan's warnings are the plan
//! rules of this list. `today` is a parameter, so the model stays pure.

use jiff::ToSpan as _;

use super::{CardId, Journey, LaneId, LaneKind, PainId, PersonaId, StageId, StepId};
use crate::model::Date;

/// A health rule: its id, a short title and why it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, as `silenced` stores it.
    pub id: &'static str,
    /// What it finds, in a few words.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

/// More steps than this make a map hard to read and to act on.
pub const MAX_STEPS: usize = 20;
/// A map not reviewed for longer than this many days is flagged.
pub const REVIEW_DAYS: i32 = 90;

const fn rule(id: &'static str, title: &'static str, why: &'static str) -> Rule {
    Rule { id, title, why }
}

/// Every rule, in the order findings are listed.
pub const RULES: [Rule; 13] = [
    rule(
        "unscored-step",
        "Step without an emotion score",
        "the curve has a gap there, and the team cannot tell whether the step hurts",
    ),
    rule(
        "pain-without-opportunity",
        "Pain point without an opportunity",
        "a pain nobody plans to address is a finding, not yet a decision",
    ),
    rule(
        "opportunity-without-owner",
        "Opportunity without an owner",
        "an idea nobody owns does not get done",
    ),
    rule(
        "opportunity-without-due",
        "Opportunity without a due date",
        "without a date an action item cannot be planned or followed up",
    ),
    rule(
        "overdue",
        "Overdue action item",
        "it was due and is not done: follow up or move the date",
    ),
    rule(
        "stage-without-goal",
        "Stage without a goal",
        "without a customer or business goal nobody can say whether the stage works",
    ),
    rule(
        "kpi-without-target",
        "KPI without a target",
        "a measure without a target cannot show whether things are good enough",
    ),
    rule(
        "persona-without-curve",
        "Persona without an emotion curve",
        "the map says nothing about how this persona feels",
    ),
    rule(
        "assumption",
        "Card marked as an assumption",
        "the team believes it but has not checked it with research",
    ),
    rule(
        "too-many-steps",
        "More than 20 steps",
        "a map that long is hard to read in one view; split it or merge steps",
    ),
    rule(
        "empty-lane",
        "Empty lane",
        "an empty row is unfinished work or clutter",
    ),
    rule(
        "not-reviewed",
        "Not reviewed for 90 days",
        "journeys change; a map nobody checked for months may no longer be true",
    ),
    rule(
        "touchpoint-without-channel",
        "Touchpoint without a channel",
        "the channel says where the persona meets the business and who owns it",
    ),
];

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// What a finding is about: the item a click selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A card (an opportunity, a touchpoint, an assumption).
    Card(CardId),
    /// A stage (its goals or KPIs).
    Stage(StageId),
    /// A step (its score).
    Step(StepId),
    /// A lane.
    Lane(LaneId),
    /// A persona.
    Persona(PersonaId),
    /// A pain point.
    Pain(PainId),
    /// The map as a whole.
    Map,
}

/// One finding of a health rule: `waymark check` prints it and exits 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The id of the rule that found it.
    pub rule: &'static str,
    /// Human-readable, naming the item.
    pub message: String,
    /// The item to select when the finding is clicked.
    pub subject: Subject,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.message, self.rule)
    }
}

impl Journey {
    /// The findings of every rule this map has not silenced, rule by rule
    /// in [`RULES`] order, each rule's in map order.
    pub fn health(&self, today: Date) -> Vec<Warning> {
        let mut all = self.health_all(today);
        all.retain(|w| !self.silenced.contains(w.rule));
        all
    }

    /// The findings of every rule, silenced or not.
    pub fn health_all(&self, today: Date) -> Vec<Warning> {
        let mut out = Vec::new();
        self.score_findings(&mut out);
        self.plan_findings(&mut out, today);
        self.pain_findings(&mut out);
        self.stage_findings(&mut out);
        self.card_findings(&mut out);
        self.map_findings(&mut out, today);
        let rank = |w: &Warning| RULES.iter().position(|r| r.id == w.rule);
        out.sort_by_key(rank);
        out
    }

    /// Plan warnings: the findings of the plan rules (opportunities without
    /// owner or due date, overdue items, KPIs without target, pains no
    /// opportunity addresses), silenced or not.
    pub fn plan_warnings(&self, today: Date) -> Vec<Warning> {
        let mut out = Vec::new();
        self.plan_findings(&mut out, today);
        let mut stages = Vec::new();
        self.stage_findings(&mut stages);
        out.extend(
            stages
                .into_iter()
                .filter(|w| w.rule == "kpi-without-target"),
        );
        self.pain_findings(&mut out);
        out
    }

    fn score_findings(&self, out: &mut Vec<Warning>) {
        let shown: Vec<_> = self.personas.iter().filter(|p| !p.hidden).collect();
        if self.emotion_lane().is_some() && !shown.is_empty() {
            for (stage, step) in self.steps() {
                let scored = shown
                    .iter()
                    .filter_map(|p| self.curve(p.id))
                    .any(|c| c.points.contains_key(&step.id));
                if !scored {
                    out.push(Warning {
                        rule: "unscored-step",
                        message: format!(
                            "step \"{}\" of stage \"{}\" has no emotion score",
                            step.name, stage.name
                        ),
                        subject: Subject::Step(step.id),
                    });
                }
            }
        }
        for persona in shown {
            if self.curve(persona.id).is_none_or(|c| c.points.is_empty()) {
                out.push(Warning {
                    rule: "persona-without-curve",
                    message: format!("persona \"{}\" has no emotion curve", persona.name),
                    subject: Subject::Persona(persona.id),
                });
            }
        }
    }

    fn plan_findings(&self, out: &mut Vec<Warning>, today: Date) {
        let mut warn = |rule, message, subject| {
            out.push(Warning {
                rule,
                message,
                subject,
            });
        };
        for card in self.opportunities() {
            let subject = Subject::Card(card.id);
            let name = format!("opportunity {} \"{}\"", card.id.0, card.title);
            let plan = card.plan.clone().unwrap_or_default();
            if plan.owner.trim().is_empty() {
                warn(
                    "opportunity-without-owner",
                    format!("{name} has no owner"),
                    subject,
                );
            }
            match plan.due {
                None => warn(
                    "opportunity-without-due",
                    format!("{name} has no due date"),
                    subject,
                ),
                Some(due) if plan.is_overdue(today) => warn(
                    "overdue",
                    format!(
                        "{name} was due on {due} and is {}",
                        plan.status.label().to_lowercase()
                    ),
                    subject,
                ),
                Some(_) => {}
            }
        }
    }

    fn pain_findings(&self, out: &mut Vec<Warning>) {
        for pain in self.pain_points.iter().filter(|p| p.opportunity.is_none()) {
            out.push(Warning {
                rule: "pain-without-opportunity",
                message: format!(
                    "pain point {} \"{}\" has no opportunity to address it",
                    pain.id.0, pain.text
                ),
                subject: Subject::Pain(pain.id),
            });
        }
    }

    fn stage_findings(&self, out: &mut Vec<Warning>) {
        for stage in &self.stages {
            if !stage.has_goals() {
                out.push(Warning {
                    rule: "stage-without-goal",
                    message: format!("stage \"{}\" has no customer or business goal", stage.name),
                    subject: Subject::Stage(stage.id),
                });
            }
            for kpi in stage.kpis.iter().filter(|k| k.target.is_none()) {
                out.push(Warning {
                    rule: "kpi-without-target",
                    message: format!(
                        "KPI \"{}\" of stage \"{}\" has no target",
                        kpi.name, stage.name
                    ),
                    subject: Subject::Stage(stage.id),
                });
            }
        }
    }

    fn card_findings(&self, out: &mut Vec<Warning>) {
        let touchpoints = |lane: LaneId| {
            self.lane(lane)
                .is_some_and(|l| l.kind == LaneKind::Touchpoints)
        };
        for card in &self.cards {
            if card.is_assumption() {
                out.push(Warning {
                    rule: "assumption",
                    message: format!("card \"{}\" is marked as an assumption", card.title),
                    subject: Subject::Card(card.id),
                });
            }
            if card.channel.is_none() && touchpoints(card.lane) {
                out.push(Warning {
                    rule: "touchpoint-without-channel",
                    message: format!("touchpoint \"{}\" has no channel", card.title),
                    subject: Subject::Card(card.id),
                });
            }
        }
        for lane in &self.lanes {
            // The emotion lane holds the curve and the pain lane the pains'
            // notes, not cards.
            let holds_other = match lane.kind {
                LaneKind::Emotions => true,
                LaneKind::PainPoints => !self.pain_points.is_empty(),
                _ => false,
            };
            if !holds_other && !self.cards.iter().any(|c| c.lane == lane.id) {
                out.push(Warning {
                    rule: "empty-lane",
                    message: format!("lane \"{}\" has no cards", lane.name),
                    subject: Subject::Lane(lane.id),
                });
            }
        }
    }

    fn map_findings(&self, out: &mut Vec<Warning>, today: Date) {
        let steps = self.step_count();
        if steps > MAX_STEPS {
            out.push(Warning {
                rule: "too-many-steps",
                message: format!("the map has {steps} steps, more than {MAX_STEPS}"),
                subject: Subject::Map,
            });
        }
        let message = match self.last_reviewed {
            None => Some("the map has never been marked as reviewed".to_owned()),
            Some(last) => last
                .checked_add(REVIEW_DAYS.days())
                .is_ok_and(|limit| limit < today)
                .then(|| {
                    format!("the map was last reviewed on {last}, more than {REVIEW_DAYS} days ago")
                }),
        };
        if let Some(message) = message {
            out.push(Warning {
                rule: "not-reviewed",
                message,
                subject: Subject::Map,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{Card, Confidence, Evidence, Source};

    const TODAY: Date = Date::constant(2026, 12, 7);

    fn rules_found(j: &Journey) -> Vec<&'static str> {
        let mut rules: Vec<_> = j.health(TODAY).into_iter().map(|w| w.rule).collect();
        rules.dedup();
        rules
    }

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(RULES.iter().skip(i + 1).all(|r| r.id != rule.id));
            assert_eq!(rule_by_id(rule.id), Some(rule));
        }
    }

    #[test]
    fn a_new_template_is_told_what_it_lacks() {
        let j = Template::FourStage.build("t");
        let found = rules_found(&j);
        assert!(found.contains(&"stage-without-goal"), "{found:?}");
        assert!(found.contains(&"not-reviewed"), "{found:?}");
    }

    #[test]
    fn silenced_rules_stay_silent_but_are_still_found() {
        let mut j = Template::FourStage.build("t");
        j.silenced.insert("stage-without-goal".into());
        assert!(!rules_found(&j).contains(&"stage-without-goal"));
        assert!(
            j.health_all(TODAY)
                .iter()
                .any(|w| w.rule == "stage-without-goal")
        );
    }

    #[test]
    fn reviews_older_than_ninety_days_are_flagged() {
        let mut j = Template::FourStage.build("t");
        j.last_reviewed = Some(Date::constant(2026, 9, 8));
        assert!(
            !rules_found(&j).contains(&"not-reviewed"),
            "90 days is fine"
        );
        j.last_reviewed = Some(Date::constant(2026, 9, 7));
        assert!(rules_found(&j).contains(&"not-reviewed"));
    }

    #[test]
    fn assumptions_and_touchpoints_without_channel_name_their_card() {
        let mut j = Template::FourStage.build("t");
        let step = j.steps().next().map(|(_, s)| s.id).unwrap();
        let lane = j
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Touchpoints)
            .unwrap()
            .id;
        let mut card = Card::new(CardId(900), step, lane, "Hotline");
        card.evidence = Some(Evidence {
            source: Source::Assumption,
            confidence: Confidence::Assumption,
            quote: String::new(),
            link: String::new(),
        });
        j.cards.push(card);
        let found = j.health(TODAY);
        for rule in ["assumption", "touchpoint-without-channel"] {
            let w = found.iter().find(|w| w.rule == rule).unwrap();
            assert_eq!(w.subject, Subject::Card(CardId(900)));
            assert!(w.message.contains("\"Hotline\""), "{w}");
        }
    }
}
