//! Dot-voting: the facilitator's settings, whose turn it is, the tally and
//! the voting panel. Votes go into the map as they are cast; one
//! participant's turn is one undo step (a gesture), so "undo" takes back a
//! whole hand-over rather than one of its dots.

use egui::Ui;

use crate::model::{CardId, Date, Journey, LaneKind, Vote};
use crate::view::scene::workshop::{DotFilter, dot_counts};

use super::big;

/// Which cards can be voted for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Candidates {
    /// Cards in Opportunities lanes.
    #[default]
    Opportunities,
    /// Cards in Pain points lanes.
    PainPoints,
    /// Every card.
    Any,
}

impl Candidates {
    /// Every choice, in menu order.
    pub const ALL: [Self; 3] = [Self::Opportunities, Self::PainPoints, Self::Any];

    /// The name the panel shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Opportunities => "Opportunities",
            Self::PainPoints => "Pain point cards",
            Self::Any => "Any card",
        }
    }

    /// Whether `card` may be voted for.
    pub fn admits(self, journey: &Journey, card: CardId) -> bool {
        let Some(card) = journey.card(card) else {
            return false;
        };
        let kind = journey.lane(card.lane).map(|l| l.kind);
        match self {
            Self::Opportunities => kind == Some(LaneKind::Opportunities),
            Self::PainPoints => kind == Some(LaneKind::PainPoints),
            Self::Any => true,
        }
    }

    /// The candidate cards, in the journey's order.
    pub fn cards(self, journey: &Journey) -> Vec<CardId> {
        journey
            .cards
            .iter()
            .map(|c| c.id)
            .filter(|id| self.admits(journey, *id))
            .collect()
    }
}

/// Where the vote stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    /// The facilitator sets dots and candidates.
    #[default]
    Setup,
    /// A participant is placing dots.
    Turn,
    /// The ranking.
    Results,
}

/// A dot-voting session.
#[derive(Clone, Debug, PartialEq)]
pub struct Voting {
    /// Dots each participant places.
    pub dots: u32,
    /// A participant may put several dots on one card.
    pub stacking: bool,
    /// Which cards can be voted for.
    pub candidates: Candidates,
    /// Participants type their names (otherwise "Participant 1, 2, …").
    pub named: bool,
    /// Where the vote stands.
    pub phase: Phase,
    /// The participant whose turn it is, from 1.
    pub participant: usize,
    /// Their name, when voting is named.
    pub name: String,
    /// The cards this turn's dots went on, in order.
    pub turn: Vec<CardId>,
    /// How many votes the map had when the turn started.
    turn_base: usize,
    /// Counts turns, so each is its own undo step.
    pub turn_id: u64,
    /// The ranking counts every session's votes, not only today's.
    pub all_sessions: bool,
    /// Why the last dot was refused (the status bar is hidden in workshop
    /// mode, so the panel says it).
    pub notice: Option<String>,
}

impl Default for Voting {
    fn default() -> Self {
        Self {
            dots: 3,
            stacking: true,
            candidates: Candidates::default(),
            named: false,
            phase: Phase::Setup,
            participant: 1,
            name: String::new(),
            turn: Vec::new(),
            turn_base: 0,
            turn_id: 0,
            all_sessions: false,
            notice: None,
        }
    }
}

/// What the voting panel asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteEvent {
    /// Start with participant 1.
    Start,
    /// Put a dot on a card.
    Cast(CardId),
    /// Hand over to the next participant.
    Next,
    /// End the vote and show the ranking.
    Finish,
    /// Back to the settings for another vote.
    Setup,
    /// Spotlight a ranked card.
    Show(CardId),
    /// Remove the votes the ranking shows.
    Clear,
}

impl Voting {
    /// Dots the current participant has left.
    pub fn dots_left(&self) -> u32 {
        self.dots
            .saturating_sub(u32::try_from(self.turn.len()).unwrap_or(u32::MAX))
    }

    /// Who votes now, as the panel names them.
    pub fn who(&self) -> String {
        if self.named && !self.name.trim().is_empty() {
            self.name.trim().to_owned()
        } else {
            format!("Participant {}", self.participant)
        }
    }

    /// Starts a turn for the next participant (or the first).
    pub fn begin_turn(&mut self, journey: &Journey) {
        self.turn.clear();
        self.turn_base = journey.votes.len();
        self.turn_id += 1;
        self.name.clear();
        self.notice = None;
        self.phase = Phase::Turn;
    }

    /// After an undo took this turn's votes back, forgets them here too.
    pub fn follow_undo(&mut self, journey: &Journey) {
        let kept = journey.votes.len().saturating_sub(self.turn_base);
        if kept < self.turn.len() {
            self.turn.truncate(kept);
        }
    }

    /// The map's votes with one more dot on `card` for the current
    /// participant, or why not.
    pub fn cast(&self, journey: &Journey, card: CardId, today: Date) -> Result<Vec<Vote>, String> {
        if self.phase != Phase::Turn {
            return Err("Start the vote first".into());
        }
        let title = journey.card(card).map_or("", |c| c.title.as_str());
        if !self.candidates.admits(journey, card) {
            return Err(format!(
                "“{title}” is not a candidate ({} only)",
                self.candidates.label()
            ));
        }
        if self.dots_left() == 0 {
            return Err(format!(
                "{} has no dots left: Next participant (N)",
                self.who()
            ));
        }
        if !self.stacking && self.turn.contains(&card) {
            return Err(format!("One dot per card: “{title}” has yours"));
        }
        let voter = if self.named {
            self.name.trim().to_owned()
        } else {
            String::new()
        };
        let mut votes = journey.votes.clone();
        votes.push(Vote {
            card,
            voter,
            date: today,
        });
        Ok(votes)
    }
}

/// One row of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The card.
    pub card: CardId,
    /// Its dots.
    pub dots: usize,
    /// Its title.
    pub title: String,
    /// "Stage / Step".
    pub place: String,
}

/// The cards with dots under `filter`, most dots first; ties keep the
/// journey's card order. Votes for cards that are gone do not count.
pub fn ranking(journey: &Journey, filter: DotFilter) -> Vec<Ranked> {
    let counts = dot_counts(&journey.votes, filter);
    let mut rows: Vec<Ranked> = journey
        .cards
        .iter()
        .filter_map(|card| {
            let dots = *counts.get(&card.id)?;
            let place = journey
                .step(card.step)
                .map(|(stage, step)| format!("{} / {}", stage.name, step.name))
                .unwrap_or_default();
            Some(Ranked {
                card: card.id,
                dots,
                title: card.title.clone(),
                place,
            })
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.dots));
    rows
}

/// The voting panel; returns what the facilitator or a participant asked.
pub fn panel_ui(
    ui: &mut Ui,
    voting: &mut Voting,
    journey: &Journey,
    today: Date,
) -> Option<VoteEvent> {
    ui.heading(big("Dot-voting", 26.0));
    ui.add_space(6.0);
    match voting.phase {
        Phase::Setup => setup_ui(ui, voting),
        Phase::Turn => turn_ui(ui, voting, journey),
        Phase::Results => results_ui(ui, voting, journey, today),
    }
}

fn setup_ui(ui: &mut Ui, voting: &mut Voting) -> Option<VoteEvent> {
    let mut event = None;
    ui.horizontal(|ui| {
        let label = ui.label("Dots per participant");
        ui.add(egui::DragValue::new(&mut voting.dots).range(1..=20))
            .labelled_by(label.id);
    });
    ui.label("Candidates");
    for choice in Candidates::ALL {
        ui.radio_value(&mut voting.candidates, choice, choice.label());
    }
    ui.checkbox(&mut voting.stacking, "Several dots on one card");
    ui.checkbox(&mut voting.named, "Participants give their names");
    ui.add_space(10.0);
    if ui.button(big("Start voting (N)", 22.0)).clicked() {
        event = Some(VoteEvent::Start);
    }
    if ui.button("Show results").clicked() {
        event = Some(VoteEvent::Finish);
    }
    event
}

fn turn_ui(ui: &mut Ui, voting: &mut Voting, journey: &Journey) -> Option<VoteEvent> {
    let mut event = None;
    if voting.named {
        ui.horizontal(|ui| {
            let label = ui.label(big("Name", 20.0));
            ui.add(
                egui::TextEdit::singleline(&mut voting.name).font(egui::FontId::proportional(20.0)),
            )
            .labelled_by(label.id);
        });
    }
    ui.label(big(&voting.who(), 30.0).strong());
    let left = voting.dots_left();
    let dots = "● ".repeat(usize::try_from(left).unwrap_or(0));
    ui.label(
        big(
            &format!(
                "{left} dot{} left  {dots}",
                if left == 1 { "" } else { "s" }
            ),
            22.0,
        )
        .color(crate::view::scene::workshop::DOT_COLOR),
    );
    match &voting.notice {
        Some(why) => ui.label(big(why, 18.0).color(egui::Color32::from_rgb(170, 30, 30))),
        None => ui.label("Click a card on the map, or a button:"),
    };
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 110.0)
        .show(ui, |ui| {
            for card in voting.candidates.cards(journey) {
                let title = journey.card(card).map_or("", |c| c.title.as_str());
                let mine = voting.turn.iter().filter(|c| **c == card).count();
                ui.horizontal(|ui| {
                    let button = egui::Button::new(big(title, 18.0)).wrap();
                    if ui
                        .add_sized([ui.available_width() - 56.0, 34.0], button)
                        .on_hover_text("Put a dot on this card")
                        .clicked()
                    {
                        event = Some(VoteEvent::Cast(card));
                    }
                    ui.label(
                        big(&"●".repeat(mine), 18.0).color(crate::view::scene::workshop::DOT_COLOR),
                    );
                });
            }
        });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(big("Next participant (N)", 20.0)).clicked() {
            event = Some(VoteEvent::Next);
        }
        if ui.button(big("Finish (F)", 20.0)).clicked() {
            event = Some(VoteEvent::Finish);
        }
    });
    event
}

fn results_ui(
    ui: &mut Ui,
    voting: &mut Voting,
    journey: &Journey,
    today: Date,
) -> Option<VoteEvent> {
    let mut event = None;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut voting.all_sessions, false, big("Today", 18.0));
        ui.selectable_value(&mut voting.all_sessions, true, big("All sessions", 18.0));
    });
    let filter = if voting.all_sessions {
        DotFilter::All
    } else {
        DotFilter::On(today)
    };
    let rows = ranking(journey, filter);
    if rows.is_empty() {
        ui.label(big("No votes yet", 20.0));
    }
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 100.0)
        .show(ui, |ui| {
            for (rank, row) in rows.iter().enumerate() {
                let text = format!(
                    "{}. {}\n{} · {}",
                    rank + 1,
                    row.title,
                    crate::ui::count(row.dots, "dot", "dots"),
                    row.place
                );
                let button = egui::Button::new(big(&text, 19.0)).wrap();
                if ui
                    .add_sized([ui.available_width(), 52.0], button)
                    .on_hover_text("Spotlight this card")
                    .clicked()
                {
                    event = Some(VoteEvent::Show(row.card));
                }
            }
        });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(big("New vote", 20.0)).clicked() {
            event = Some(VoteEvent::Setup);
        }
        let clear = if voting.all_sessions {
            "Clear all votes"
        } else {
            "Clear today's votes"
        };
        if ui.button(big(clear, 20.0)).clicked() {
            event = Some(VoteEvent::Clear);
        }
    });
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journey_with_opportunities() -> (Journey, Vec<CardId>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/grocery-checkout.journey.ron");
        let journey = crate::io::load(&path).unwrap();
        let lane = journey
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities)
            .map(|l| l.id)
            .unwrap();
        let ids: Vec<CardId> = journey
            .cards
            .iter()
            .filter(|c| c.lane == lane)
            .map(|c| c.id)
            .collect();
        (journey, ids)
    }

    #[test]
    fn the_ranking_puts_most_dots_first_and_counts_the_chosen_session() {
        let (mut journey, _) = journey_with_opportunities();
        let cards: Vec<CardId> = journey.cards.iter().map(|c| c.id).take(3).collect();
        let day = |d| jiff::civil::date(2026, 12, d);
        let vote = |card, d| Vote {
            card,
            voter: String::new(),
            date: day(d),
        };
        journey.votes = vec![
            vote(cards[0], 6),
            vote(cards[1], 7),
            vote(cards[2], 7),
            vote(cards[2], 7),
            vote(cards[0], 6),
            vote(cards[0], 6),
        ];
        let all = ranking(&journey, DotFilter::All);
        let dots: Vec<(CardId, usize)> = all.iter().map(|r| (r.card, r.dots)).collect();
        assert_eq!(dots, [(cards[0], 3), (cards[2], 2), (cards[1], 1)]);
        let today = ranking(&journey, DotFilter::On(day(7)));
        let dots: Vec<(CardId, usize)> = today.iter().map(|r| (r.card, r.dots)).collect();
        assert_eq!(dots, [(cards[2], 2), (cards[1], 1)]);
        assert!(today[0].place.contains(" / "));
    }

    #[test]
    fn a_turn_spends_its_dots_on_candidates_only() {
        let (mut journey, opportunities) = journey_with_opportunities();
        let today = jiff::civil::date(2026, 12, 7);
        let mut voting = Voting {
            dots: 2,
            stacking: false,
            ..Voting::default()
        };
        let first = *opportunities.first().unwrap();
        assert!(voting.cast(&journey, first, today).is_err(), "not started");
        voting.begin_turn(&journey);
        let other = journey
            .cards
            .iter()
            .map(|c| c.id)
            .find(|id| !opportunities.contains(id))
            .unwrap();
        assert!(
            voting.cast(&journey, other, today).is_err(),
            "not a candidate"
        );
        journey.votes = voting.cast(&journey, first, today).unwrap();
        voting.turn.push(first);
        assert!(voting.cast(&journey, first, today).is_err(), "no stacking");
        voting.stacking = true;
        journey.votes = voting.cast(&journey, first, today).unwrap();
        voting.turn.push(first);
        assert_eq!(voting.dots_left(), 0);
        assert!(voting.cast(&journey, first, today).is_err(), "no dots left");
        // An undo took the turn back.
        journey.votes.clear();
        voting.follow_undo(&journey);
        assert_eq!(voting.dots_left(), 2);
        assert_eq!(voting.who(), "Participant 1");
    }
}
