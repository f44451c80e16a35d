//! The comparison of each kind of item, by stable id, for [`super::diff`].

use std::collections::{BTreeSet, HashMap};

use super::{
    Change, ChangeKind, DiffSubject, Differ, moved, quoted, score_text, text_change, value_change,
};
use crate::model::{
    ActionItem, Card, CardId, CurveState, EmotionCurve, Journey, Kpi, Lane, LaneId, PainPoint,
    Persona, PersonaId, Stage, StepId,
};

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, subject: DiffSubject, name: String, place: String) {
        self.changes.push(Change {
            kind,
            subject,
            name,
            place,
            details: Vec::new(),
        });
    }

    fn changed(&mut self, subject: DiffSubject, name: String, place: String, details: Vec<String>) {
        if !details.is_empty() {
            self.changes.push(Change {
                kind: ChangeKind::Changed,
                subject,
                name,
                place,
                details,
            });
        }
    }

    pub(super) fn map(&mut self) {
        let (o, n) = (self.old, self.new);
        let mut details = Vec::new();
        text_change(&mut details, "title", &o.title, &n.title);
        text_change(&mut details, "description", &o.description, &n.description);
        text_change(&mut details, "objective", &o.objective, &n.objective);
        text_change(&mut details, "scenario", &o.scenario, &n.scenario);
        value_change(
            &mut details,
            "last reviewed",
            o.last_reviewed.as_ref(),
            n.last_reviewed.as_ref(),
        );
        text_change(&mut details, "currency", &o.currency, &n.currency);
        if o.card_notes != n.card_notes {
            details.push(format!(
                "card notes {} → {}",
                o.card_notes.label(),
                n.card_notes.label()
            ));
        }
        if o.hide_goals != n.hide_goals {
            details.push(if n.hide_goals {
                "goals band hidden".to_owned()
            } else {
                "goals band shown".to_owned()
            });
        }
        if o.revisions != n.revisions {
            details.push(format!(
                "review history {} → {} entries",
                o.revisions.len(),
                n.revisions.len()
            ));
        }
        if o.silenced != n.silenced {
            let list = |s: &std::collections::BTreeSet<String>| {
                if s.is_empty() {
                    "none".to_owned()
                } else {
                    s.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            };
            details.push(format!(
                "silenced health rules {} → {}",
                list(&o.silenced),
                list(&n.silenced)
            ));
        }
        if details.is_empty() && !self.whole_maps_match() {
            details.push("other details".to_owned());
        }
        self.changed(DiffSubject::Map, quoted(&n.title), String::new(), details);
    }

    /// Whether the two maps are equal apart from the items every other
    /// method compares one by one: what is left are map-level fields.
    fn whole_maps_match(&self) -> bool {
        let strip = |j: &Journey| {
            let mut j = j.clone();
            j.personas.clear();
            j.stages.clear();
            j.lanes.clear();
            j.cards.clear();
            j.curves.clear();
            j.pain_points.clear();
            // Votes are compared card by card.
            j.votes.clear();
            j
        };
        strip(self.old) == strip(self.new)
    }

    pub(super) fn personas(&mut self) {
        let (old, new) = (self.old, self.new);
        for p in &new.personas {
            match old.persona(p.id) {
                None => self.push(
                    ChangeKind::Added,
                    DiffSubject::Persona(p.id),
                    p.name.clone(),
                    String::new(),
                ),
                Some(before) => {
                    let details = persona_details(before, p);
                    self.changed(
                        DiffSubject::Persona(p.id),
                        p.name.clone(),
                        String::new(),
                        details,
                    );
                }
            }
        }
        for p in &old.personas {
            if new.persona(p.id).is_none() {
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Persona(p.id),
                    p.name.clone(),
                    String::new(),
                );
            }
        }
        let old_ids: Vec<_> = old.personas.iter().map(|p| p.id).collect();
        let new_ids: Vec<_> = new.personas.iter().map(|p| p.id).collect();
        for i in moved(&old_ids, &new_ids) {
            if let Some(p) = new.personas.get(i) {
                self.add_detail(
                    DiffSubject::Persona(p.id),
                    p.name.clone(),
                    String::new(),
                    "moved".to_owned(),
                );
            }
        }
    }

    /// Adds `detail` to the subject's change, making one if there is none.
    fn add_detail(&mut self, subject: DiffSubject, name: String, place: String, detail: String) {
        if let Some(change) = self.changes.iter_mut().find(|c| c.subject == subject) {
            change.details.push(detail);
        } else {
            self.changed(subject, name, place, vec![detail]);
        }
    }

    pub(super) fn stages(&mut self) {
        let (old, new) = (self.old, self.new);
        for s in &new.stages {
            let Some(before) = old.stage(s.id) else {
                self.push(
                    ChangeKind::Added,
                    DiffSubject::Stage(s.id),
                    quoted(&s.name),
                    String::new(),
                );
                self.kpis(&Stage::new(s.id, String::new(), Vec::new()), s);
                continue;
            };
            let mut details = Vec::new();
            text_change(&mut details, "name", &before.name, &s.name);
            if details.is_empty() && !stages_match(before, s) {
                details.push("other details".to_owned());
            }
            self.changed(
                DiffSubject::Stage(s.id),
                quoted(&s.name),
                String::new(),
                details,
            );
            let mut goals = Vec::new();
            text_change(
                &mut goals,
                "customer goal",
                &before.customer_goal,
                &s.customer_goal,
            );
            text_change(
                &mut goals,
                "business goal",
                &before.business_goal,
                &s.business_goal,
            );
            self.changed(
                DiffSubject::Goal(s.id),
                quoted(&s.name),
                String::new(),
                goals,
            );
            self.kpis(before, s);
        }
        for s in &old.stages {
            if new.stage(s.id).is_none() {
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Stage(s.id),
                    quoted(&s.name),
                    String::new(),
                );
            }
        }
        let old_ids: Vec<_> = old.stages.iter().map(|s| s.id).collect();
        let new_ids: Vec<_> = new.stages.iter().map(|s| s.id).collect();
        for i in moved(&old_ids, &new_ids) {
            if let Some(s) = new.stages.get(i) {
                self.add_detail(
                    DiffSubject::Stage(s.id),
                    quoted(&s.name),
                    String::new(),
                    "moved".to_owned(),
                );
            }
        }
    }

    fn kpis(&mut self, before: &Stage, after: &Stage) {
        // KPIs have no ids: they are matched by name, and the n-th of a
        // name with the n-th of that name.
        let keyed = |stage: &Stage| -> Vec<((String, usize), Kpi)> {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            (stage.kpis.iter())
                .map(|k| {
                    let n = seen.entry(k.name.as_str()).or_insert(0);
                    *n += 1;
                    ((k.name.clone(), *n - 1), k.clone())
                })
                .collect()
        };
        let (old, new) = (keyed(before), keyed(after));
        let find = |list: &[((String, usize), Kpi)], key: &(String, usize)| {
            list.iter()
                .find(|(k, _)| k == key)
                .map(|(_, kpi)| kpi.clone())
        };
        let place = after.name.clone();
        for (key, kpi) in &new {
            let subject = DiffSubject::Kpi(after.id, key.0.clone(), key.1);
            let Some(old) = find(&old, key) else {
                self.push(ChangeKind::Added, subject, kpi.name.clone(), place.clone());
                continue;
            };
            let mut details = Vec::new();
            if old.value != kpi.value {
                details.push(format!("value {} → {}", old.value_text(), kpi.value_text()));
            }
            if old.target != kpi.target {
                let (a, b) = (old.target_text(), kpi.target_text());
                details.push(format!("target {a} → {b}"));
            }
            if details.is_empty() && old != *kpi {
                details.push("unit, direction or date".to_owned());
            }
            self.changed(subject, kpi.name.clone(), place.clone(), details);
        }
        for (key, kpi) in &old {
            if find(&new, key).is_none() {
                let subject = DiffSubject::Kpi(after.id, key.0.clone(), key.1);
                self.push(
                    ChangeKind::Removed,
                    subject,
                    kpi.name.clone(),
                    place.clone(),
                );
            }
        }
    }

    pub(super) fn steps(&mut self) {
        let (old, new) = (self.old, self.new);
        for (stage, step) in new.steps() {
            let place = stage.name.clone();
            match old.step(step.id) {
                None => self.push(
                    ChangeKind::Added,
                    DiffSubject::Step(step.id),
                    quoted(&step.name),
                    place,
                ),
                Some((old_stage, before)) => {
                    let mut details = Vec::new();
                    text_change(&mut details, "name", &before.name, &step.name);
                    if old_stage.id != stage.id {
                        details.push(format!("moved from stage {}", quoted(&old_stage.name)));
                    }
                    if details.is_empty() && before != step {
                        details.push("other details".to_owned());
                    }
                    self.changed(
                        DiffSubject::Step(step.id),
                        quoted(&step.name),
                        place,
                        details,
                    );
                }
            }
        }
        for (stage, step) in old.steps() {
            if new.step(step.id).is_none() {
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Step(step.id),
                    quoted(&step.name),
                    stage.name.clone(),
                );
            }
        }
        // Order within a stage: a step whose stage moved is not moved itself.
        for stage in &new.stages {
            let Some(before) = old.stage(stage.id) else {
                continue;
            };
            let old_ids: Vec<_> = before.steps.iter().map(|s| s.id).collect();
            let new_ids: Vec<_> = stage.steps.iter().map(|s| s.id).collect();
            for i in moved(&old_ids, &new_ids) {
                if let Some(step) = stage.steps.get(i) {
                    let (name, place) = (quoted(&step.name), stage.name.clone());
                    self.add_detail(DiffSubject::Step(step.id), name, place, "moved".to_owned());
                }
            }
        }
    }

    pub(super) fn lanes(&mut self) {
        let (old, new) = (self.old, self.new);
        for lane in &new.lanes {
            match old.lane(lane.id) {
                None => self.push(
                    ChangeKind::Added,
                    DiffSubject::Lane(lane.id),
                    quoted(&lane.name),
                    lane.kind.label().to_owned(),
                ),
                Some(before) => {
                    let details = lane_details(before, lane);
                    self.changed(
                        DiffSubject::Lane(lane.id),
                        quoted(&lane.name),
                        String::new(),
                        details,
                    );
                }
            }
        }
        for lane in &old.lanes {
            if new.lane(lane.id).is_none() {
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Lane(lane.id),
                    quoted(&lane.name),
                    lane.kind.label().to_owned(),
                );
            }
        }
        let old_ids: Vec<_> = old.lanes.iter().map(|l| l.id).collect();
        let new_ids: Vec<_> = new.lanes.iter().map(|l| l.id).collect();
        for i in moved(&old_ids, &new_ids) {
            if let Some(l) = new.lanes.get(i) {
                self.add_detail(
                    DiffSubject::Lane(l.id),
                    quoted(&l.name),
                    String::new(),
                    "moved".to_owned(),
                );
            }
        }
    }

    pub(super) fn cards(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_cards: HashMap<CardId, &Card> = old.cards.iter().map(|c| (c.id, c)).collect();
        let new_cards: HashMap<CardId, &Card> = new.cards.iter().map(|c| (c.id, c)).collect();
        for card in &new.cards {
            let place = cell_name(new, card);
            let Some(before) = old_cards.get(&card.id) else {
                self.push(
                    ChangeKind::Added,
                    DiffSubject::Card(card.id),
                    quoted(&card.title),
                    place.clone(),
                );
                if card.plan.is_some() {
                    self.push(
                        ChangeKind::Added,
                        DiffSubject::Plan(card.id),
                        quoted(&card.title),
                        place,
                    );
                }
                continue;
            };
            let mut details = card_details(old, before, new, card);
            if details.is_empty() && !cards_match(before, card) {
                details.push("other details".to_owned());
            }
            self.changed(
                DiffSubject::Card(card.id),
                quoted(&card.title),
                place.clone(),
                details,
            );
            self.plan(card, before.plan.as_ref(), place);
        }
        for card in &old.cards {
            if !new_cards.contains_key(&card.id) {
                let place = cell_name(old, card);
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Card(card.id),
                    quoted(&card.title),
                    place.clone(),
                );
                if card.plan.is_some() {
                    self.push(
                        ChangeKind::Removed,
                        DiffSubject::Plan(card.id),
                        quoted(&card.title),
                        place,
                    );
                }
            }
        }
        self.card_order(&old_cards);
    }

    /// Cards that stay in their cell but changed places within it.
    fn card_order(&mut self, old_cards: &HashMap<CardId, &Card>) {
        let (old, new) = (self.old, self.new);
        let mut cells: BTreeSet<(StepId, LaneId)> = BTreeSet::new();
        for card in &new.cards {
            if old_cards
                .get(&card.id)
                .is_some_and(|c| c.step == card.step && c.lane == card.lane)
            {
                cells.insert((card.step, card.lane));
            }
        }
        for (step, lane) in cells {
            let stayed = |j: &Journey, other: &Journey| -> Vec<CardId> {
                j.cards_in(step, lane)
                    .filter(|c| {
                        other
                            .card(c.id)
                            .is_some_and(|o| o.step == step && o.lane == lane)
                    })
                    .map(|c| c.id)
                    .collect()
            };
            let (before, after) = (stayed(old, new), stayed(new, old));
            for i in moved(&before, &after) {
                if let Some(card) = after.get(i).and_then(|id| new.card(*id)) {
                    let (name, place) = (quoted(&card.title), cell_name(new, card));
                    self.add_detail(
                        DiffSubject::Card(card.id),
                        name,
                        place,
                        "moved within its cell".to_owned(),
                    );
                }
            }
        }
    }

    fn plan(&mut self, card: &Card, before: Option<&ActionItem>, place: String) {
        let subject = DiffSubject::Plan(card.id);
        let name = quoted(&card.title);
        match (before, card.plan.as_ref()) {
            (None, Some(_)) => self.push(ChangeKind::Added, subject, name, place),
            (Some(_), None) => self.push(ChangeKind::Removed, subject, name, place),
            (Some(a), Some(b)) => {
                let mut details = Vec::new();
                if a.priority != b.priority {
                    details.push(format!(
                        "priority {} → {}",
                        a.priority.label(),
                        b.priority.label()
                    ));
                }
                text_change(&mut details, "owner", &a.owner, &b.owner);
                if a.status != b.status {
                    details.push(format!(
                        "status {} → {}",
                        a.status.label(),
                        b.status.label()
                    ));
                }
                if a.due != b.due {
                    let show = |d: Option<crate::model::Date>| {
                        d.map_or_else(|| "none".to_owned(), |d| d.to_string())
                    };
                    details.push(format!("due {} → {}", show(a.due), show(b.due)));
                }
                if details.is_empty() && a != b {
                    details.push("other details".to_owned());
                }
                self.changed(subject, name, place, details);
            }
            (None, None) => {}
        }
    }

    pub(super) fn scores(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut curves: Vec<(PersonaId, CurveState)> = Vec::new();
        for c in new.curves.iter().chain(&old.curves) {
            if !curves.contains(&(c.persona, c.state)) {
                curves.push((c.persona, c.state));
            }
        }
        for (persona, state) in curves {
            self.curve_scores(persona, state);
        }
    }

    /// The scores of one persona's curve in one state, step by step.
    #[expect(
        clippy::float_cmp,
        reason = "any other score in the file is a change, however small"
    )]
    fn curve_scores(&mut self, persona: PersonaId, state: CurveState) {
        let (old, new) = (self.old, self.new);
        let person = new.persona(persona).or_else(|| old.persona(persona));
        let mut who = person.map_or_else(|| format!("persona {}", persona.0), |p| p.name.clone());
        if state != CurveState::Current {
            who = format!("{who} ({})", state.label().to_lowercase());
        }
        let empty = EmotionCurve::new(persona, std::collections::BTreeMap::new());
        let before = old.curve_in(persona, state).unwrap_or(&empty);
        let after = new.curve_in(persona, state).unwrap_or(&empty);
        // Steps in the new map's order, then any only in the old one.
        let mut steps: Vec<StepId> = new.steps().map(|(_, s)| s.id).collect();
        steps.extend(old.steps().map(|(_, s)| s.id));
        steps.extend(before.points.keys().chain(after.points.keys()));
        let mut seen = BTreeSet::new();
        for step in steps {
            if !seen.insert(step) {
                continue;
            }
            let step_name = (new.step(step).or_else(|| old.step(step)))
                .map_or_else(|| format!("step {}", step.0), |(_, s)| quoted(&s.name));
            let name = format!("{who} at {step_name}");
            let subject = DiffSubject::Score(persona, state, step);
            let mut details = Vec::new();
            match (before.points.get(&step), after.points.get(&step)) {
                (None, Some(v)) => {
                    self.push_detail(ChangeKind::Added, subject, name, score_text(*v));
                    continue;
                }
                (Some(v), None) => {
                    self.push_detail(ChangeKind::Removed, subject, name, score_text(*v));
                    continue;
                }
                (Some(x), Some(y)) if x != y => {
                    details.push(format!("{} → {}", score_text(*x), score_text(*y)));
                }
                _ => {}
            }
            let (a, b) = (before.samples_at(step), after.samples_at(step));
            if a != b {
                details.push(format!("participants' scores {} → {}", a.len(), b.len()));
            }
            self.changed(subject, name, String::new(), details);
        }
        let strip = |c: &EmotionCurve| {
            let mut c = c.clone();
            c.points.clear();
            c.samples.clear();
            c
        };
        if strip(before) != strip(after) {
            let details = vec!["curve details".to_owned()];
            self.changed(DiffSubject::Persona(persona), who, String::new(), details);
        }
    }

    fn push_detail(
        &mut self,
        kind: ChangeKind,
        subject: DiffSubject,
        name: String,
        detail: String,
    ) {
        self.changes.push(Change {
            kind,
            subject,
            name,
            place: String::new(),
            details: vec![detail],
        });
    }

    pub(super) fn pains(&mut self) {
        let (old, new) = (self.old, self.new);
        for pain in &new.pain_points {
            let place = anchor_name(new, pain);
            match old.pain(pain.id) {
                None => self.push(
                    ChangeKind::Added,
                    DiffSubject::Pain(pain.id),
                    quoted(&pain.text),
                    place,
                ),
                Some(before) => {
                    let mut details = Vec::new();
                    text_change(&mut details, "text", &before.text, &pain.text);
                    if before.severity != pain.severity {
                        details.push(format!(
                            "severity {} → {}",
                            crate::model::severity_label(before.severity),
                            crate::model::severity_label(pain.severity)
                        ));
                    }
                    if before.anchor != pain.anchor {
                        details.push(format!("moved from {}", anchor_name(old, before)));
                    }
                    if before.opportunity != pain.opportunity {
                        let link = |j: &Journey, id: Option<CardId>| {
                            id.map_or_else(
                                || "none".to_owned(),
                                |id| {
                                    j.card(id).map_or_else(
                                        || format!("card {}", id.0),
                                        |c| quoted(&c.title),
                                    )
                                },
                            )
                        };
                        details.push(format!(
                            "opportunity {} → {}",
                            link(old, before.opportunity),
                            link(new, pain.opportunity)
                        ));
                    }
                    if before.solved_in_future != pain.solved_in_future {
                        let solved = if pain.solved_in_future { "" } else { "not " };
                        details.push(format!("{solved}solved in the future"));
                    }
                    if details.is_empty() && before != pain {
                        details.push("other details".to_owned());
                    }
                    self.changed(
                        DiffSubject::Pain(pain.id),
                        quoted(&pain.text),
                        place,
                        details,
                    );
                }
            }
        }
        for pain in &old.pain_points {
            if new.pain(pain.id).is_none() {
                self.push(
                    ChangeKind::Removed,
                    DiffSubject::Pain(pain.id),
                    quoted(&pain.text),
                    anchor_name(old, pain),
                );
            }
        }
    }
}

fn persona_details(before: &Persona, after: &Persona) -> Vec<String> {
    let mut details = Vec::new();
    text_change(&mut details, "name", &before.name, &after.name);
    text_change(&mut details, "role", &before.role, &after.role);
    text_change(
        &mut details,
        "description",
        &before.description,
        &after.description,
    );
    text_change(&mut details, "goals", &before.goals, &after.goals);
    text_change(&mut details, "needs", &before.needs, &after.needs);
    text_change(
        &mut details,
        "frustrations",
        &before.frustrations,
        &after.frustrations,
    );
    text_change(&mut details, "quote", &before.quote, &after.quote);
    if before.photo != after.photo {
        details.push("photo".to_owned());
    }
    if before.hidden != after.hidden {
        details.push(if after.hidden { "hidden" } else { "shown" }.to_owned());
    }
    if details.is_empty() && before != after {
        details.push("other details".to_owned());
    }
    details
}

fn lane_details(before: &Lane, after: &Lane) -> Vec<String> {
    let mut details = Vec::new();
    text_change(&mut details, "name", &before.name, &after.name);
    if before.kind != after.kind {
        details.push(format!(
            "kind {} → {}",
            before.kind.label(),
            after.kind.label()
        ));
    }
    if details.is_empty() && before != after {
        details.push("other details".to_owned());
    }
    details
}

/// Whether two versions of a stage match apart from what is compared on
/// its own (goals, KPIs, steps).
fn stages_match(a: &Stage, b: &Stage) -> bool {
    let strip = |s: &Stage| {
        let mut s = s.clone();
        s.customer_goal.clear();
        s.business_goal.clear();
        s.kpis.clear();
        s.steps.clear();
        s
    };
    strip(a) == strip(b)
}

/// Whether two versions of a card match apart from the plan (its own group).
fn cards_match(a: &Card, b: &Card) -> bool {
    let mut a = a.clone();
    a.plan.clone_from(&b.plan);
    a == *b
}

fn card_details(old: &Journey, before: &Card, new: &Journey, after: &Card) -> Vec<String> {
    let mut details = Vec::new();
    text_change(&mut details, "title", &before.title, &after.title);
    text_change(&mut details, "notes", &before.notes, &after.notes);
    if before.step != after.step || before.lane != after.lane {
        details.push(format!("moved from {}", cell_name(old, before)));
    }
    if before.channel != after.channel {
        let show =
            |c: Option<crate::model::Channel>| c.map_or("none", crate::model::Channel::label);
        details.push(format!(
            "channel {} → {}",
            show(before.channel),
            show(after.channel)
        ));
    }
    if before.evidence != after.evidence {
        let show = |e: &Option<crate::model::Evidence>| {
            e.as_ref().map_or_else(
                || "none".to_owned(),
                |e| format!("{} ({})", e.source.label(), e.confidence.label()),
            )
        };
        details.push(format!(
            "evidence {} → {}",
            show(&before.evidence),
            show(&after.evidence)
        ));
    }
    if before.resource != after.resource {
        details.push("resource".to_owned());
    }
    if before.state != after.state {
        details.push(format!("state {:?} → {:?}", before.state, after.state));
    }
    let votes = |j: &Journey| j.votes.iter().filter(|v| v.card == after.id).count();
    let (a, b) = (votes(old), votes(new));
    if a != b {
        details.push(format!("votes {a} → {b}"));
    }
    details
}

/// "Stage / Step, Lane" for a card's cell.
pub fn cell_name(journey: &Journey, card: &Card) -> String {
    let step = journey.step(card.step).map_or_else(
        || format!("step {}", card.step.0),
        |(stage, step)| format!("{} / {}", stage.name, step.name),
    );
    let lane = journey
        .lane(card.lane)
        .map_or_else(|| format!("lane {}", card.lane.0), |l| l.name.clone());
    format!("{step}, {lane}")
}

/// Where a pain point is attached, in words.
fn anchor_name(journey: &Journey, pain: &PainPoint) -> String {
    let step_name = |id: StepId| {
        journey.step(id).map_or_else(
            || format!("step {}", id.0),
            |(stage, s)| format!("{} / {}", stage.name, s.name),
        )
    };
    match pain.anchor {
        crate::model::Anchor::Card(id) => journey.card(id).map_or_else(
            || format!("card {}", id.0),
            |c| format!("on {}", quoted(&c.title)),
        ),
        crate::model::Anchor::Curve(persona, step) => {
            let who = journey
                .persona(persona)
                .map_or_else(|| format!("persona {}", persona.0), |p| p.name.clone());
            format!("{who}'s curve at {}", step_name(step))
        }
        crate::model::Anchor::Step(step) => step_name(step),
    }
}
