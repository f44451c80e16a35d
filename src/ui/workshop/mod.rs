//! Workshop mode: presentation mode (F5) with a control bar for running a
//! session at a projector: progressive reveal, spotlight, a countdown
//! ([`timer`]), dot-voting ([`voting`]) and scoring rounds ([`scoring`]).
//!
//! Invariants: workshop mode is on exactly while the view presents; what
//! it shows (reveal, spotlight, dots) is view state handed to the scene,
//! never saved or recorded in undo. Only votes and samples change the
//! map, through edits. Leaving gives back the editor's view and selection
//! as they were. The bar and panels use large type for a room to read.

mod bar;
pub mod scoring;
pub mod timer;
pub mod voting;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use crate::edit::{Edit, Item};
use crate::model::{Date, Journey};
use crate::ui::app::WaymarkApp;
use crate::ui::canvas::Tool;
use crate::ui::document::Status;
use crate::view::scene::WorkshopScene;
use crate::view::scene::workshop::{DotFilter, Spotlight, Unrevealed};

use scoring::{ScoreEvent, Scoring};
pub use timer::{Clock, Timer};
use voting::{VoteEvent, Voting};

/// Text at `size` points: the bar and panels are read from across a room.
pub(crate) fn big(text: &str, size: f32) -> RichText {
    RichText::new(text).size(size)
}

/// The panel beside the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    /// None: the map has the whole width.
    #[default]
    None,
    /// Dot-voting.
    Voting,
    /// A scoring round.
    Scoring,
}

/// A workshop command (each a [`crate::ui::actions::Action::Workshop`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WorkshopAction {
    /// Enter workshop mode, or leave it.
    Toggle,
    /// Show or hide the control bar.
    Bar,
    /// Reveal the stages one at a time, or show them all.
    Reveal,
    /// Show this many stages from the left.
    RevealTo(usize),
    /// Stages not yet revealed: greyed or hidden.
    Unrevealed,
    /// Spotlight the next stage (after the last: none).
    Spotlight,
    /// Spotlight this part of the map (`None`: no spotlight).
    SpotlightOn(Option<Spotlight>),
    /// Start, pause or resume the timer.
    Timer,
    /// Reset the timer to its full time.
    TimerReset,
    /// Set the timer to this many seconds.
    SetTimer(u32),
    /// Show or hide the dot-voting panel.
    Vote,
    /// Show or hide the scoring panel.
    Scoring,
    /// Hand over to the next participant.
    Next,
    /// Finish the vote or the scoring round.
    Finish,
    /// Give this score (-2..=2) in a scoring round.
    Score(i8),
    /// Show or hide the votes' dots on the cards.
    Dots,
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

impl WorkshopAction {
    /// The workshop actions that have keys, for the help window.
    pub fn keyed() -> Vec<Self> {
        let mut list = vec![
            Self::Bar,
            Self::Reveal,
            Self::Unrevealed,
            Self::Spotlight,
            Self::Timer,
            Self::TimerReset,
            Self::Vote,
            Self::Scoring,
            Self::Next,
            Self::Finish,
            Self::Dots,
        ];
        list.extend(scoring::SCORES.map(Self::Score));
        list
    }

    /// Menu and help label.
    pub fn label(&self) -> String {
        match self {
            Self::Toggle => "Workshop".into(),
            Self::Bar => "Workshop: show or hide the bar".into(),
            Self::Reveal => "Workshop: reveal stage by stage".into(),
            Self::RevealTo(n) => format!("Workshop: show {n} stages"),
            Self::Unrevealed => "Workshop: grey or hide unrevealed stages".into(),
            Self::Spotlight => "Workshop: spotlight the next stage".into(),
            Self::SpotlightOn(_) => "Workshop: spotlight".into(),
            Self::Timer => "Workshop: start or pause the timer".into(),
            Self::TimerReset => "Workshop: reset the timer".into(),
            Self::SetTimer(s) => format!("Workshop: timer {}", timer::format_clock(f64::from(*s))),
            Self::Vote => "Workshop: dot-voting".into(),
            Self::Scoring => "Workshop: scoring round".into(),
            Self::Next => "Workshop: next participant".into(),
            Self::Finish => "Workshop: finish the vote or round".into(),
            Self::Score(s) => format!(
                "Workshop: score {} (or arrows and Enter)",
                crate::model::score_text(f32::from(*s))
            ),
            Self::Dots => "Workshop: show or hide the dots".into(),
        }
    }

    /// The keys bound to it.
    pub fn shortcuts(&self) -> &'static [KeyboardShortcut] {
        match self {
            Self::Toggle => const { &[plain(Key::F6)] },
            Self::Bar => const { &[plain(Key::H)] },
            Self::Reveal => const { &[plain(Key::R)] },
            Self::Unrevealed => const { &[plain(Key::G)] },
            Self::Spotlight => const { &[plain(Key::L)] },
            Self::Timer => const { &[plain(Key::T)] },
            Self::TimerReset => const { &[KeyboardShortcut::new(Modifiers::SHIFT, Key::T)] },
            Self::Vote => const { &[plain(Key::V)] },
            Self::Scoring => const { &[plain(Key::S)] },
            Self::Next => const { &[plain(Key::N)] },
            Self::Finish => const { &[plain(Key::F)] },
            Self::Dots => const { &[plain(Key::D)] },
            Self::Score(-2) => const { &[plain(Key::Num1)] },
            Self::Score(-1) => const { &[plain(Key::Num2)] },
            Self::Score(0) => const { &[plain(Key::Num3)] },
            Self::Score(1) => const { &[plain(Key::Num4)] },
            Self::Score(2) => const { &[plain(Key::Num5)] },
            _ => &[],
        }
    }
}

/// Workshop mode's state: view state of the session, never saved.
#[derive(Debug)]
pub struct Workshop {
    /// On while the view presents (kept in step each frame).
    pub active: bool,
    /// The control bar is shown.
    pub bar: bool,
    /// How many stages are revealed; `None` shows all.
    pub revealed: Option<usize>,
    /// How unrevealed stages look.
    pub unrevealed: Unrevealed,
    /// The part of the map not dimmed.
    pub spotlight: Option<Spotlight>,
    /// The countdown.
    pub timer: Timer,
    /// Where the timer reads the time (tests set a manual clock).
    pub clock: Clock,
    /// The custom timer length on the bar, in minutes.
    pub custom_minutes: u32,
    /// The panel beside the map.
    pub panel: Panel,
    /// The dot-voting session.
    pub voting: Voting,
    /// The scoring round.
    pub scoring: Scoring,
    /// The votes' dots show on the cards.
    pub dots: bool,
    /// The editor's selection and tool, given back on leaving.
    saved: Option<(Vec<Item>, Tool)>,
}

impl Default for Workshop {
    fn default() -> Self {
        Self {
            active: false,
            bar: false,
            revealed: None,
            unrevealed: Unrevealed::default(),
            spotlight: None,
            timer: Timer::default(),
            clock: Clock::default(),
            custom_minutes: 15,
            panel: Panel::None,
            voting: Voting::default(),
            scoring: Scoring::default(),
            dots: true,
            saved: None,
        }
    }
}

impl Workshop {
    /// What the scene draws for the workshop now.
    pub fn scene(&self, today: Date) -> WorkshopScene {
        if !self.active {
            return WorkshopScene::default();
        }
        let filter = if self.voting.all_sessions {
            DotFilter::All
        } else {
            DotFilter::On(today)
        };
        WorkshopScene {
            revealed: self.revealed,
            unrevealed: self.unrevealed,
            spotlight: self.spotlight,
            dots: self.dots.then_some(filter),
        }
    }

    /// The next stage to spotlight after the current one (none after the
    /// last).
    fn next_spotlight(&self, journey: &Journey) -> Option<Spotlight> {
        let stages: Vec<_> = journey.stages.iter().map(|s| s.id).collect();
        let next = match self.spotlight {
            Some(Spotlight::Stage(id)) => stages.iter().position(|s| *s == id).map(|i| i + 1),
            _ => Some(0),
        };
        next.and_then(|i| stages.get(i))
            .map(|id| Spotlight::Stage(*id))
    }
}

// ---- frame hooks (called by the app) -----------------------------------

/// At the start of a frame: keeps workshop mode in step with presentation
/// mode, takes the scoring keys before the shortcuts do, and hands the
/// scene its workshop look.
pub fn begin_frame(app: &mut WaymarkApp, ctx: &egui::Context) {
    let presenting = app.view.presenting.is_some();
    if presenting && !app.workshop.active {
        enter(app);
    } else if !presenting && app.workshop.active {
        leave(app);
    }
    if app.workshop.active {
        app.workshop.voting.follow_undo(&app.doc.journey);
        if app.workshop.panel == Panel::Scoring
            && let Some(event) = app.workshop.scoring.keys(ctx)
        {
            scoring_event(app, event);
        }
    }
    app.view.workshop = app.workshop.scene(app.today());
    // The room looks at the step being scored.
    let s = &app.workshop.scoring;
    if app.workshop.active
        && app.workshop.panel == Panel::Scoring
        && s.phase == scoring::Phase::Scoring
        && let Some(step) = s.steps(&app.doc.journey).get(s.cursor)
    {
        app.view.workshop.spotlight = Some(Spotlight::Step(*step));
    }
}

fn enter(app: &mut WaymarkApp) {
    let w = &mut app.workshop;
    w.active = true;
    w.saved = Some((std::mem::take(&mut app.view.selection), app.view.tool));
    app.view.tool = Tool::Select;
    app.view.editing = None;
}

fn leave(app: &mut WaymarkApp) {
    end_turn(app);
    let w = &mut app.workshop;
    w.active = false;
    w.bar = false;
    w.revealed = None;
    w.spotlight = None;
    w.panel = Panel::None;
    if let Some((selection, tool)) = w.saved.take() {
        app.view.selection = selection;
        app.view.tool = tool;
        app.view.prune_selection(&app.doc.journey);
    }
}

/// The bar and the panel around the map, and the timer over it.
pub fn panels_ui(app: &mut WaymarkApp, ui: &mut Ui) {
    if !app.workshop.active {
        return;
    }
    let now = app.workshop.clock.now(ui.ctx());
    if app.workshop.bar {
        egui::Panel::bottom("workshop-bar").show(ui, |ui| {
            bar::bar_ui(
                ui,
                &mut app.workshop,
                &app.doc.journey,
                now,
                &mut app.queue.actions,
            );
        });
    }
    let today = app.today();
    match app.workshop.panel {
        Panel::None => {}
        Panel::Voting => {
            let clock = (&app.workshop.timer, now);
            let event = side_panel(ui, "workshop-voting", clock, |ui| {
                voting::panel_ui(ui, &mut app.workshop.voting, &app.doc.journey, today)
            });
            if let Some(event) = event {
                vote_event(app, event);
            }
        }
        Panel::Scoring => {
            let clock = (&app.workshop.timer, now);
            let event = side_panel(ui, "workshop-scoring", clock, |ui| {
                scoring::panel_ui(ui, &mut app.workshop.scoring, &app.doc.journey)
            });
            if let Some(event) = event {
                scoring_event(app, event);
            }
        }
    }
}

fn side_panel<R>(
    ui: &mut Ui,
    id: &'static str,
    clock: (&Timer, f64),
    add: impl FnOnce(&mut Ui) -> R,
) -> R {
    egui::Panel::right(id)
        .resizable(false)
        .exact_size(380.0)
        .show(ui, |ui| {
            ui.style_mut().spacing.item_spacing = egui::vec2(10.0, 10.0);
            ui.style_mut().spacing.button_padding = egui::vec2(10.0, 6.0);
            ui.add_space(8.0);
            timer::display_ui(ui, clock.0, clock.1);
            add(ui)
        })
        .inner
}

/// After the canvas: a card clicked during a voting turn gets a dot (the
/// click selected it; the selection is not kept), and the timer shows.
pub fn after_canvas(app: &mut WaymarkApp, ctx: &egui::Context) {
    if !app.workshop.active {
        return;
    }
    let voting_turn =
        app.workshop.panel == Panel::Voting && app.workshop.voting.phase == voting::Phase::Turn;
    if voting_turn && !app.view.selection.is_empty() {
        if let [Item::Card(card)] = app.view.selection.as_slice() {
            let card = *card;
            vote_event(app, VoteEvent::Cast(card));
        }
        app.view.selection.clear();
    }
    // With a panel open, the timer is at its top instead of over the map.
    if app.workshop.panel == Panel::None {
        let now = app.workshop.clock.now(ctx);
        timer::overlay(ctx, &app.workshop.timer, now, app.view.screen_rect);
    }
}

/// Page Down / Page Up while revealing: one stage more or less. Returns
/// whether it did (otherwise the keys step the zoom through the stages).
pub fn reveal_step(app: &mut WaymarkApp, forward: bool) -> bool {
    let w = &mut app.workshop;
    let (true, Some(shown)) = (w.active, w.revealed) else {
        return false;
    };
    let count = app.doc.journey.stages.len();
    w.revealed = Some(if forward {
        (shown + 1).min(count)
    } else {
        shown.saturating_sub(1)
    });
    true
}

/// Runs a workshop action.
pub fn run(app: &mut WaymarkApp, ctx: &egui::Context, action: WorkshopAction) {
    if action == WorkshopAction::Toggle {
        toggle(app, ctx);
        return;
    }
    if !app.workshop.active {
        app.say(Status::info("Workshop keys work in workshop mode (F6)"));
        return;
    }
    let now = app.workshop.clock.now(ctx);
    let stages = app.doc.journey.stages.len();
    let w = &mut app.workshop;
    match action {
        WorkshopAction::Toggle => {}
        WorkshopAction::Bar => w.bar = !w.bar,
        WorkshopAction::Reveal => {
            w.revealed = match w.revealed {
                Some(_) => None,
                None => Some(1.min(stages)),
            };
        }
        WorkshopAction::RevealTo(n) => w.revealed = Some(n.min(stages)),
        WorkshopAction::Unrevealed => {
            w.unrevealed = match w.unrevealed {
                Unrevealed::Greyed => Unrevealed::Hidden,
                Unrevealed::Hidden => Unrevealed::Greyed,
            };
        }
        WorkshopAction::Spotlight => w.spotlight = w.next_spotlight(&app.doc.journey),
        WorkshopAction::SpotlightOn(spot) => w.spotlight = spot,
        WorkshopAction::Timer => w.timer.toggle(now),
        WorkshopAction::TimerReset => w.timer.reset(),
        WorkshopAction::SetTimer(seconds) => w.timer.set(f64::from(seconds)),
        WorkshopAction::Vote => w.panel = flip(w.panel, Panel::Voting),
        WorkshopAction::Scoring => {
            w.panel = flip(w.panel, Panel::Scoring);
            default_round(app);
        }
        WorkshopAction::Next => match w.panel {
            Panel::Voting => vote_event(app, VoteEvent::Next),
            Panel::Scoring => scoring_event(app, ScoreEvent::Next),
            Panel::None => {}
        },
        WorkshopAction::Finish => match w.panel {
            Panel::Voting => vote_event(app, VoteEvent::Finish),
            Panel::Scoring => scoring_event(app, ScoreEvent::Finish),
            Panel::None => {}
        },
        WorkshopAction::Score(score) => {
            if w.panel == Panel::Scoring {
                scoring_event(app, ScoreEvent::Score(score));
            }
        }
        WorkshopAction::Dots => w.dots = !w.dots,
    }
}

fn flip(panel: Panel, to: Panel) -> Panel {
    if panel == to { Panel::None } else { to }
}

/// F6 or View ▸ Workshop: into workshop mode with the bar, or out of it.
/// From presentation mode (F5), it shows the bar.
fn toggle(app: &mut WaymarkApp, ctx: &egui::Context) {
    if app.view.presenting.is_some() && app.workshop.bar {
        app.view.stop_presenting();
        leave(app);
    } else {
        app.view.start_presenting(ctx.input(|i| i.time));
        if !app.workshop.active {
            enter(app);
        }
        app.workshop.bar = true;
    }
}

/// A scoring round not set up yet scores the spotlit or last revealed
/// stage (else the first) on the persona selected in the editor (else the
/// first).
fn default_round(app: &mut WaymarkApp) {
    let journey = &app.doc.journey;
    let s = &mut app.workshop.scoring;
    if s.stage.is_none_or(|id| journey.stage(id).is_none()) {
        let spotlit = match app.workshop.spotlight {
            Some(Spotlight::Stage(id)) => Some(id),
            _ => None,
        };
        let revealed = app
            .workshop
            .revealed
            .and_then(|n| journey.stages.get(n.checked_sub(1)?))
            .map(|s| s.id);
        s.stage = spotlit
            .or(revealed)
            .or_else(|| journey.stages.first().map(|s| s.id));
    }
    if s.persona.is_none_or(|id| journey.persona(id).is_none()) {
        let selected = (app.workshop.saved.as_ref()).and_then(|(items, _)| Item::persona(items));
        s.persona = selected.or_else(|| journey.first_shown_persona());
    }
}

fn vote_key(app: &WaymarkApp) -> egui::Id {
    egui::Id::unique(("workshop-vote-turn", app.workshop.voting.turn_id))
}

/// Ends the current voting turn's undo step.
fn end_turn(app: &mut WaymarkApp) {
    if app.workshop.voting.phase == voting::Phase::Turn {
        app.doc.end_gesture();
    }
}

fn vote_event(app: &mut WaymarkApp, event: VoteEvent) {
    let today = app.today();
    match event {
        VoteEvent::Start => app.workshop.voting.begin_turn(&app.doc.journey),
        VoteEvent::Cast(card) => match app.workshop.voting.cast(&app.doc.journey, card, today) {
            Ok(votes) => {
                let key = vote_key(app);
                match app.doc.apply_in_gesture(Edit::SetVotes(votes), key) {
                    Ok(()) => {
                        app.workshop.voting.turn.push(card);
                        app.workshop.voting.notice = None;
                    }
                    Err(err) => app.say(Status::error(format!("Could not vote: {err}"))),
                }
            }
            Err(why) => app.workshop.voting.notice = Some(why),
        },
        VoteEvent::Next => match app.workshop.voting.phase {
            voting::Phase::Turn => {
                end_turn(app);
                app.workshop.voting.participant += 1;
                app.workshop.voting.begin_turn(&app.doc.journey);
            }
            // N also starts a vote, so the keyboard alone runs one.
            voting::Phase::Setup => vote_event(app, VoteEvent::Start),
            voting::Phase::Results => {}
        },
        VoteEvent::Finish => {
            end_turn(app);
            app.workshop.voting.phase = voting::Phase::Results;
        }
        VoteEvent::Setup => {
            let v = &mut app.workshop.voting;
            v.phase = voting::Phase::Setup;
            v.participant = 1;
        }
        VoteEvent::Show(card) => app.workshop.spotlight = Some(Spotlight::Card(card)),
        VoteEvent::Clear => clear_votes(app, today),
    }
}

/// Removes the votes the ranking shows (today's, or all): one undo step.
fn clear_votes(app: &mut WaymarkApp, today: Date) {
    let all = app.workshop.voting.all_sessions;
    let kept: Vec<_> = app
        .doc
        .journey
        .votes
        .iter()
        .filter(|v| !all && v.date != today)
        .cloned()
        .collect();
    if let Err(err) = app.doc.apply(Edit::SetVotes(kept)) {
        app.say(Status::error(format!("Could not clear the votes: {err}")));
    }
}

fn scoring_event(app: &mut WaymarkApp, event: ScoreEvent) {
    let steps = app.workshop.scoring.steps(&app.doc.journey).len();
    let s = &mut app.workshop.scoring;
    match event {
        ScoreEvent::Start => s.start(),
        ScoreEvent::Score(score) => s.score(score, steps),
        ScoreEvent::Next => match s.phase {
            scoring::Phase::TurnDone => s.next(),
            scoring::Phase::Setup if steps > 0 && s.persona.is_some() => s.start(),
            _ => {}
        },
        ScoreEvent::Finish => {
            let count = s.done.len() + usize::from(s.phase == scoring::Phase::TurnDone);
            if let Some(edit) = s.finish(&app.doc.journey) {
                match app.doc.apply(edit) {
                    Ok(()) => {
                        let done = format!(
                            "Scores of {} are on the curve",
                            crate::ui::count(count, "participant", "participants")
                        );
                        app.workshop.scoring.last_result = Some(done.clone());
                        app.say(Status::info(done));
                    }
                    Err(err) => app.say(Status::error(format!("Could not score: {err}"))),
                }
            }
        }
    }
}
