//! Every user command: its label, its shortcuts and its handler, and the
//! one list ([`menus`]) that the menu bar, the keyboard and the help window
//! are generated from. Widgets queue actions during a frame; the app runs
//! them at its end ([`Action::run`]).

use std::path::PathBuf;
use std::sync::LazyLock;

use egui::{Key, KeyboardShortcut, Modifiers};

pub use crate::edit::commands::Direction;
use crate::edit::commands::{self, Command, Order};
use crate::edit::{Edit, GestureKey, Item};
use crate::model::SpreadKind;
use crate::model::templates::Template;
use crate::model::{Anchor, CardNotes, Channel, Journey, LaneKind, PersonaId, StageId};
use crate::ui::app::WaymarkApp;
use crate::ui::canvas::{FitTarget, Tool};
use crate::ui::dialogs::{AfterConfirm, PathPurpose};
use crate::ui::document::Status;
use crate::ui::states;
use crate::ui::workshop::WorkshopAction;
use crate::view::scene::AssumptionFilter;
use crate::view::states::StateView;

/// A user command.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start a new map from a template (asks about unsaved changes first).
    New(Template),
    /// Choose a file to open.
    Open,
    /// Open this file.
    OpenPath(PathBuf),
    /// Choose a Mermaid journey or a CSV to import as a new map.
    Import,
    /// Choose another version of the map to show what changed.
    CompareWithFile,
    /// Show what changed since the map's file was last committed to git.
    CompareWithHead,
    /// Choose a CSV whose scores to merge into the open map.
    ImportScores,
    /// Save to the current file (or ask where).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Close the window (asks about unsaved changes first).
    Quit,
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Delete the selection.
    Delete,
    /// Duplicate the selected cards into the same cells.
    Duplicate,
    /// Copy the selected cards.
    Copy,
    /// Cut the selected cards.
    Cut,
    /// Paste copied cards into the selected cell or card's cell.
    Paste,
    /// Select every card.
    SelectAll,
    /// Clear the selection.
    SelectNone,
    /// Move the selected cards one cell over.
    Nudge(Direction),
    /// Edit the selected card's title in place.
    EditTitle,
    /// Add a pain point on the selected card, curve point or step.
    AddPainPoint,
    /// Add a card to the selected cell.
    AddCard(Option<Channel>),
    /// Add a stage after the selected one (or at the end).
    AddStage,
    /// Add a step after the selected one (or at the end of the selected stage).
    AddStep,
    /// Add a lane of a kind below the selected one (or at the bottom).
    AddLane(LaneKind),
    /// Add a second persona.
    AddPersona,
    /// Move the selected stage, step or lane earlier (left or up).
    MoveEarlier,
    /// Move the selected stage, step or lane later (right or down).
    MoveLater,
    /// Switch between the select tool and the emotion-curve pen.
    TogglePen,
    /// Fit the whole map in the window.
    ZoomToFit,
    /// Zoom in around the centre.
    ZoomIn,
    /// Zoom out around the centre.
    ZoomOut,
    /// Zoom to 100%.
    ZoomReset,
    /// Zoom to the selected stage (or the selected item's stage).
    ZoomToStage,
    /// Show the next stage zoomed (Page Down in presentation mode).
    NextStage,
    /// Show the previous stage zoomed, or the whole map before the first.
    PreviousStage,
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Show the version, the licences and the file format version.
    About,
    /// Show or hide the palette on the left.
    TogglePalette,
    /// Show only the map, fitted, for a projector.
    Present,
    /// Open the export dialog.
    Export,
    /// Put the whole map on the clipboard as an image.
    CopyImage,
    /// Show or hide the inspector on the right.
    ToggleInspector,
    /// Show this much of every card's notes (saved in the map).
    CardNotes(CardNotes),
    /// Fade or outline cards by their evidence (a view filter, not saved;
    /// choosing the setting in force again turns the filter off).
    Assumptions(AssumptionFilter),
    /// Show or hide the Action plan panel.
    TogglePlan,
    /// Show or hide the Map health panel.
    ToggleHealth,
    /// Show or hide the goals band under the stage headers (saved in the map).
    ToggleGoals,
    /// Add a revision note (and mark the map reviewed), then save.
    SaveWithNote,
    /// Choose a photo file for a persona (from the inspector).
    ChoosePhoto(PersonaId),
    /// Show the journey's current or future state, or both compared (a
    /// view choice, not saved).
    ShowState(StateView),
    /// How the bands of participants' scores spread (a view choice).
    Spread(SpreadKind),
    /// Start a persona's to-be curve from its as-is one (the selected
    /// persona's, or the first's, when none is given).
    CopyCurveToFuture(Option<PersonaId>),
    /// Workshop mode and its commands.
    Workshop(WorkshopAction),
}

/// What widgets asked for during a frame, run by the app at its end.
#[derive(Debug, Default)]
pub struct Queue {
    /// Actions, in the order they were asked for.
    pub actions: Vec<Action>,
    /// Edits, each with the gesture it belongs to (`None`: its own undo step).
    pub edits: Vec<(Edit, Option<GestureKey>)>,
    /// A gesture ended (a text field lost focus, a slider was let go).
    pub end_gesture: bool,
}

/// One entry of a menu.
#[derive(Clone, Debug, PartialEq)]
pub enum MenuEntry {
    /// A button that runs the action.
    Action(Action),
    /// A submenu of actions.
    Submenu(&'static str, Vec<Action>),
    /// The recently opened files.
    Recent,
    /// A checkbox that shows a panel's state; toggling it runs the action.
    Toggle(Action),
    /// An action reached by its shortcut only: not in the menu, but listed
    /// here so the help window shows it in its place.
    KeyOnly(Action),
    /// A line between groups.
    Separator,
}

/// A menu of the menu bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    /// Its title in the bar.
    pub title: &'static str,
    /// Its entries, top to bottom.
    pub entries: Vec<MenuEntry>,
}

/// The one list of actions: the menu bar, left to right and top to bottom.
/// The keyboard shortcuts and the help window are generated from it.
pub fn menus() -> Vec<Menu> {
    use MenuEntry::{Action as Do, KeyOnly, Recent, Separator, Submenu, Toggle};
    let menu = |title, entries| Menu { title, entries };
    vec![
        menu(
            "File",
            vec![
                Submenu("New", Template::ALL.map(Action::New).to_vec()),
                Do(Action::Open),
                Recent,
                Do(Action::Import),
                Do(Action::CompareWithFile),
                Do(Action::CompareWithHead),
                Do(Action::ImportScores),
                Separator,
                Do(Action::Save),
                Do(Action::SaveAs),
                Do(Action::SaveWithNote),
                Separator,
                Do(Action::Export),
                Do(Action::CopyImage),
                Separator,
                Do(Action::Quit),
            ],
        ),
        menu(
            "Edit",
            vec![
                Do(Action::Undo),
                Do(Action::Redo),
                Separator,
                Do(Action::Cut),
                Do(Action::Copy),
                Do(Action::Paste),
                Do(Action::Duplicate),
                Do(Action::Delete),
                Separator,
                Do(Action::EditTitle),
                Do(Action::SelectAll),
                KeyOnly(Action::SelectNone),
                Do(Action::MoveEarlier),
                Do(Action::MoveLater),
                KeyOnly(Action::Nudge(Direction::Left)),
                KeyOnly(Action::Nudge(Direction::Right)),
                KeyOnly(Action::Nudge(Direction::Up)),
                KeyOnly(Action::Nudge(Direction::Down)),
            ],
        ),
        menu(
            "Insert",
            vec![
                Do(Action::AddCard(None)),
                Do(Action::AddPainPoint),
                Separator,
                Do(Action::AddStage),
                Do(Action::AddStep),
                Submenu("Lane", LaneKind::ALL.map(Action::AddLane).to_vec()),
                Do(Action::AddPersona),
            ],
        ),
        menu(
            "View",
            vec![
                Do(Action::ZoomToFit),
                Do(Action::ZoomIn),
                Do(Action::ZoomOut),
                Do(Action::ZoomReset),
                Do(Action::ZoomToStage),
                Do(Action::NextStage),
                Do(Action::PreviousStage),
                Separator,
                Do(Action::TogglePen),
                Do(Action::Present),
                Do(Action::Workshop(WorkshopAction::Toggle)),
                Separator,
                Submenu("Card notes", CardNotes::ALL.map(Action::CardNotes).to_vec()),
                Submenu(
                    "Assumptions",
                    AssumptionFilter::ALL.map(Action::Assumptions).to_vec(),
                ),
                Toggle(Action::ToggleGoals),
                Submenu("States and voices", states::menu()),
                Separator,
                Toggle(Action::TogglePalette),
                Toggle(Action::ToggleInspector),
                Toggle(Action::TogglePlan),
                Do(Action::ToggleHealth),
            ],
        ),
        menu(
            "Help",
            [Do(Action::ShowShortcuts), Do(Action::About)]
                .into_iter()
                .chain(
                    WorkshopAction::keyed()
                        .into_iter()
                        .map(|a| KeyOnly(Action::Workshop(a))),
                )
                .collect(),
        ),
    ]
}

/// Every action of the list, in its order.
pub fn all() -> Vec<Action> {
    menus()
        .into_iter()
        .flat_map(|menu| menu.entries)
        .flat_map(|entry| match entry {
            MenuEntry::Action(a) | MenuEntry::Toggle(a) | MenuEntry::KeyOnly(a) => vec![a],
            MenuEntry::Submenu(_, actions) => actions,
            MenuEntry::Recent | MenuEntry::Separator => Vec::new(),
        })
        .collect()
}

/// Every shortcut with its action, in the order they are checked: more
/// modifiers first, so Ctrl+Shift+Z is not taken for Ctrl+Z.
pub static SHORTCUTS: LazyLock<Vec<(KeyboardShortcut, Action)>> = LazyLock::new(|| {
    let mut list: Vec<(KeyboardShortcut, Action)> = all()
        .into_iter()
        .flat_map(|action| {
            action
                .shortcuts()
                .iter()
                .map(move |shortcut| (*shortcut, action.clone()))
        })
        .collect();
    list.sort_by_key(|(s, _)| {
        std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt))
    });
    list
});

/// The actions whose shortcuts were pressed this frame (consumed, so no
/// widget also reacts to them). While a text field has focus, only the
/// shortcuts that do not belong to text editing count.
pub fn pressed(ctx: &egui::Context) -> Vec<Action> {
    let typing = ctx.text_edit_focused();
    SHORTCUTS
        .iter()
        .filter(|(shortcut, action)| !typing || action.works_while_typing(*shortcut))
        .filter(|(shortcut, _)| ctx.input_mut(|i| i.consume_shortcut(shortcut)))
        .map(|(_, action)| action.clone())
        .collect()
}

const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(
        Modifiers {
            shift: true,
            ..Modifiers::COMMAND
        },
        key,
    )
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

/// What the menus need to know to grey out actions that would do nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Enabled {
    /// There is a step to undo.
    pub can_undo: bool,
    /// There is a step to redo.
    pub can_redo: bool,
    /// Cards are selected.
    pub has_cards: bool,
    /// Anything is selected.
    pub has_selection: bool,
    /// Cards have been copied.
    pub can_paste: bool,
}

impl Action {
    /// Menu and help label.
    pub fn label(&self) -> String {
        match self {
            Action::New(t) => format!("New: {}", t.label()),
            Action::Open => "Open…".into(),
            Action::OpenPath(p) => crate::io::display_name(p),
            Action::Import => "Import…".into(),
            Action::CompareWithFile => "Compare with…".into(),
            Action::CompareWithHead => "Compare with git HEAD".into(),
            Action::ImportScores => "Import scores…".into(),
            Action::Save => "Save".into(),
            Action::SaveAs => "Save As…".into(),
            Action::Quit => "Quit".into(),
            Action::Undo => "Undo".into(),
            Action::Redo => "Redo".into(),
            Action::Delete => "Delete".into(),
            Action::Duplicate => "Duplicate".into(),
            Action::Copy => "Copy".into(),
            Action::Cut => "Cut".into(),
            Action::Paste => "Paste".into(),
            Action::SelectAll => "Select all cards".into(),
            Action::SelectNone => "Select none".into(),
            Action::Nudge(d) => format!("Move card {}", format!("{d:?}").to_lowercase()),
            Action::EditTitle => "Edit title".into(),
            Action::AddPainPoint => "Add pain point".into(),
            Action::AddCard(Some(c)) => format!("Add {} touchpoint", c.label()),
            Action::AddCard(None) => "Add card".into(),
            Action::AddStage => "Add stage".into(),
            Action::AddStep => "Add step".into(),
            Action::AddLane(kind) => format!("Add {} lane", kind.label()),
            Action::AddPersona => "Add persona".into(),
            Action::MoveEarlier => "Move left / up".into(),
            Action::MoveLater => "Move right / down".into(),
            Action::TogglePen => "Emotion pen".into(),
            Action::ZoomToFit => "Zoom to fit".into(),
            Action::ZoomIn => "Zoom in".into(),
            Action::ZoomOut => "Zoom out".into(),
            Action::ZoomReset => "Zoom 100%".into(),
            Action::ZoomToStage => "Zoom to stage".into(),
            Action::NextStage => "Next stage".into(),
            Action::PreviousStage => "Previous stage".into(),
            Action::ShowShortcuts => "Keyboard shortcuts".into(),
            Action::About => "About Waymark".into(),
            Action::TogglePalette => "Palette".into(),
            Action::Present => "Presentation mode".into(),
            Action::CardNotes(shown) => shown.label().into(),
            Action::Export => "Export…".into(),
            Action::CopyImage => "Copy map as image".into(),
            Action::ToggleInspector => "Inspector".into(),
            Action::Assumptions(filter) => filter.label().into(),
            Action::TogglePlan => "Action plan".into(),
            Action::ToggleHealth => "Map health".into(),
            Action::ToggleGoals => "Goals band".into(),
            Action::SaveWithNote => "Save with revision note…".into(),
            Action::ChoosePhoto(_) => "Choose photo…".into(),
            Action::ShowState(state) => state.label().into(),
            Action::Spread(kind) => states::spread_label(*kind).into(),
            Action::CopyCurveToFuture(_) => "Copy current curve to future".into(),
            Action::Workshop(w) => w.label(),
        }
    }

    /// The keys bound to this action; menus show the first.
    pub fn shortcuts(&self) -> &'static [KeyboardShortcut] {
        match self {
            Action::New(Template::FourStage) => const { &[cmd(Key::N)] },
            Action::Open => const { &[cmd(Key::O)] },
            Action::Save => const { &[cmd(Key::S)] },
            Action::SaveAs => const { &[cmd_shift(Key::S)] },
            Action::Quit => const { &[cmd(Key::Q)] },
            Action::Undo => const { &[cmd(Key::Z)] },
            Action::Redo => const { &[cmd_shift(Key::Z), cmd(Key::Y)] },
            Action::Duplicate => const { &[cmd(Key::D)] },
            Action::Copy => const { &[cmd(Key::C)] },
            Action::Cut => const { &[cmd(Key::X)] },
            Action::Paste => const { &[cmd(Key::V)] },
            Action::SelectAll => const { &[cmd(Key::A)] },
            Action::ZoomToFit => const { &[cmd(Key::Num0)] },
            Action::ZoomReset => const { &[cmd(Key::Num1)] },
            // Not Ctrl+Shift+1: with Shift held most layouts send "!".
            Action::ZoomToStage => const { &[cmd(Key::Num2)] },
            Action::NextStage => const { &[plain(Key::PageDown)] },
            Action::PreviousStage => const { &[plain(Key::PageUp)] },
            Action::ZoomIn => const { &[cmd(Key::Plus), cmd(Key::Equals)] },
            Action::ZoomOut => const { &[cmd(Key::Minus)] },
            Action::Delete => const { &[plain(Key::Delete), plain(Key::Backspace)] },
            Action::SelectNone => const { &[plain(Key::Escape)] },
            Action::EditTitle => const { &[plain(Key::F2), plain(Key::Enter)] },
            Action::AddPainPoint => const { &[plain(Key::P)] },
            Action::TogglePen => const { &[plain(Key::E)] },
            Action::Nudge(Direction::Left) => const { &[plain(Key::ArrowLeft)] },
            Action::Nudge(Direction::Right) => const { &[plain(Key::ArrowRight)] },
            Action::Nudge(Direction::Up) => const { &[plain(Key::ArrowUp)] },
            Action::Nudge(Direction::Down) => const { &[plain(Key::ArrowDown)] },
            Action::ShowShortcuts => const { &[plain(Key::F1)] },
            Action::TogglePalette => const { &[cmd(Key::B)] },
            Action::ToggleInspector => const { &[cmd(Key::I)] },
            Action::Present => const { &[plain(Key::F5)] },
            Action::Export => const { &[cmd(Key::E)] },
            Action::CopyImage => const { &[cmd_shift(Key::C)] },
            Action::Assumptions(AssumptionFilter::Highlight) => const { &[cmd_shift(Key::A)] },
            Action::TogglePlan => const { &[cmd(Key::L)] },
            Action::ToggleHealth => const { &[cmd_shift(Key::H)] },
            Action::ToggleGoals => const { &[cmd_shift(Key::G)] },
            Action::ShowState(StateView::Current) => const { &[plain(Key::F7)] },
            Action::ShowState(StateView::Future) => const { &[plain(Key::F8)] },
            Action::ShowState(StateView::Compare) => const { &[plain(Key::F9)] },
            Action::Workshop(w) => w.shortcuts(),
            _ => &[],
        }
    }

    /// The first shortcut bound to this action, for menus.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        self.shortcuts().first().copied()
    }

    /// Whether this action's shortcut works while a text field has keyboard
    /// focus. Plain keys (arrows, Delete, letters) and the text editing
    /// commands belong to the text field then.
    pub fn works_while_typing(&self, shortcut: KeyboardShortcut) -> bool {
        shortcut.modifiers.command
            && !matches!(
                self,
                Self::Copy | Self::Cut | Self::Paste | Self::SelectAll | Self::Undo | Self::Redo
            )
    }

    /// Whether a menu offers this action now (its shortcut always runs it;
    /// the handler does nothing when there is nothing to do).
    pub fn is_enabled(&self, state: Enabled) -> bool {
        match self {
            Action::Undo => state.can_undo,
            Action::Redo => state.can_redo,
            Action::Cut | Action::Copy | Action::Duplicate | Action::EditTitle => state.has_cards,
            Action::Paste => state.can_paste,
            Action::Delete | Action::MoveEarlier | Action::MoveLater => state.has_selection,
            _ => true,
        }
    }

    /// Runs the action on the app.
    pub fn run(self, app: &mut WaymarkApp, ctx: &egui::Context) {
        let journey = &app.doc.journey;
        let selection = app.view.selection.as_slice();
        match self {
            Action::New(t) => app.confirm_then(ctx, AfterConfirm::New(t)),
            Action::Open => app.confirm_then(ctx, AfterConfirm::Open),
            Action::OpenPath(p) => app.confirm_then(ctx, AfterConfirm::OpenPath(p)),
            Action::CompareWithFile => app.choose_compare(),
            Action::CompareWithHead => app.compare_with_head(),
            Action::Import => app.confirm_then(ctx, AfterConfirm::Import),
            Action::ImportScores => app.choose_import_scores(),
            Action::Quit => app.confirm_then(ctx, AfterConfirm::Quit),
            Action::Save => app.save(),
            Action::SaveAs => app.choose_file(PathPurpose::SaveAs),
            Action::Undo => undo(app),
            Action::Redo => redo(app),
            Action::Delete => {
                let command = states::delete_in_state(journey, selection, app.view.state)
                    .or_else(|| commands::delete_selection(journey, selection));
                app.command(command);
            }
            Action::Duplicate => app.command(commands::duplicate(journey, selection)),
            Action::Copy => app.copy(ctx),
            Action::Cut => app.cut(ctx),
            Action::Paste => app.command(commands::paste(journey, selection, &app.clipboard)),
            Action::SelectAll => app.view.selection = commands::all_cards(journey),
            Action::SelectNone => select_none(app),
            Action::Nudge(d) => app.command(commands::nudge(journey, selection, d)),
            Action::EditTitle => edit_title(app),
            Action::AddPainPoint => match commands::add_pain_point(journey, selection) {
                Some(command) => app.command(Some(command)),
                None => app.say(Status::error(
                    "Select a card, a curve point or a step to add a pain point to",
                )),
            },
            Action::AddCard(channel) => add_card(app, channel),
            Action::AddStage => app.command(Some(commands::add_stage(journey, selection))),
            Action::AddStep => app.command(Some(commands::add_step(journey, selection))),
            Action::AddLane(k) => app.command(Some(commands::add_lane(journey, selection, k))),
            Action::AddPersona => app.command(Some(commands::add_persona(journey))),
            Action::MoveEarlier => {
                app.command(commands::move_selected(journey, selection, Order::Earlier));
            }
            Action::MoveLater => {
                app.command(commands::move_selected(journey, selection, Order::Later));
            }
            Action::TogglePen => toggle_pen(app),
            Action::ZoomToFit => app.view.fit(FitTarget::Map),
            Action::ZoomToStage => zoom_to_stage(app),
            Action::NextStage => step_stage(app, true),
            Action::PreviousStage => step_stage(app, false),
            Action::ZoomIn => zoom(app, 1.25),
            Action::ZoomOut => zoom(app, 0.8),
            Action::ZoomReset => zoom(app, 1.0 / app.view.zoom.max(f32::EPSILON)),
            Action::ShowShortcuts => app.dialogs.shortcuts = !app.dialogs.shortcuts,
            Action::About => app.dialogs.about = !app.dialogs.about,
            Action::Export => {
                app.export.open(app.doc.path.as_deref(), &journey.title);
                app.export.follow_view(app.view.state, app.view.spread);
            }
            Action::CopyImage => app.copy_image(ctx),
            Action::TogglePalette => app.panels.palette = !app.panels.palette,
            Action::Present => present(app, ctx),
            Action::ToggleInspector => app.panels.inspector = !app.panels.inspector,
            Action::CardNotes(shown) => app.command(commands::set_card_notes(journey, shown)),
            Action::Assumptions(filter) => {
                let view = &mut app.view;
                view.assumptions = if view.assumptions == filter {
                    AssumptionFilter::Off
                } else {
                    filter
                };
            }
            Action::TogglePlan => app.panels.plan = !app.panels.plan,
            Action::ToggleHealth => app.panels.health = !app.panels.health,
            Action::ToggleGoals => app.command(Some(Command {
                edit: Edit::SetHideGoals(!journey.hide_goals),
                select: None,
            })),
            Action::SaveWithNote => app.open_save_note(),
            Action::ChoosePhoto(persona) => app.choose_photo(persona),
            Action::ShowState(state) => states::show_state(app, state),
            Action::Spread(kind) => app.view.spread = kind,
            Action::CopyCurveToFuture(persona) => {
                let target = states::copy_target(journey, persona, selection);
                match target.and_then(|p| states::copy_curve_to_future(journey, p)) {
                    Some(command) => app.command(Some(command)),
                    None => app.say(Status::info("There is no current curve to copy")),
                }
            }
            Action::Workshop(w) => crate::ui::workshop::run(app, ctx, w),
        }
    }
}

fn undo(app: &mut WaymarkApp) {
    if !app.doc.undo() {
        app.say(Status::info("Nothing to undo"));
    }
}

fn redo(app: &mut WaymarkApp) {
    if !app.doc.redo() {
        app.say(Status::info("Nothing to redo"));
    }
}

/// Adds a card and starts editing its title in place.
fn add_card(app: &mut WaymarkApp, channel: Option<Channel>) {
    let Some(command) = commands::add_card(&app.doc.journey, &app.view.selection, channel) else {
        app.say(Status::error("Add a stage and a lane first"));
        return;
    };
    if app.run_command(command)
        && let Some(Item::Card(id)) = app.view.primary()
    {
        app.view.editing = Some((id, String::new()));
        app.view.request_editor_focus();
    }
}

fn edit_title(app: &mut WaymarkApp) {
    if let Some(Item::Card(id)) = app.view.primary()
        && let Some(card) = app.doc.journey.card(id)
    {
        app.view.editing = Some((id, card.title.clone()));
        app.view.request_editor_focus();
    }
}

/// Escape: clears the selection, puts the pen down, leaves presentation
/// mode (and then keeps the selection, as only leaving was meant).
fn select_none(app: &mut WaymarkApp) {
    app.view.tool = Tool::Select;
    if app.view.presenting.is_some() {
        app.view.stop_presenting();
    } else if app.view.selection.is_empty() && app.view.diff.is_some() {
        app.close_compare();
    } else {
        app.view.selection.clear();
    }
}

fn toggle_pen(app: &mut WaymarkApp) {
    app.view.tool = match app.view.tool {
        Tool::Select => Tool::Pen,
        Tool::Pen => Tool::Select,
    };
    if app.view.tool == Tool::Pen && app.doc.journey.emotion_lane().is_none() {
        app.say(Status::error(
            "Add an Emotions lane (Insert ▸ Lane) to draw the curve",
        ));
    }
}

/// Zooms by `factor` around the centre of the map's area.
fn zoom(app: &mut WaymarkApp, factor: f32) {
    let centre = app.view.screen_rect.center();
    app.view.zoom_around(factor, centre);
}

/// F5: into presentation mode, or back out of it to the view before.
fn present(app: &mut WaymarkApp, ctx: &egui::Context) {
    if app.view.presenting.is_some() {
        app.view.stop_presenting();
    } else {
        app.view.start_presenting(ctx.input(|i| i.time));
    }
}

/// Zooms to the stage of the selected item, else to the stage in the
/// middle of the view.
fn zoom_to_stage(app: &mut WaymarkApp) {
    let journey = &app.doc.journey;
    let selected = app.view.primary().and_then(|item| stage_of(journey, item));
    let stage = selected.or_else(|| {
        let layout = app.view.layout(journey, app.doc.revision(), &app.theme);
        let centre = app.view.map_to_screen().inverse() * app.view.screen_rect.center();
        layout
            .stages
            .iter()
            .find(|s| s.x.contains(centre.x))
            .map(|s| s.id)
    });
    match stage {
        Some(id) => app.view.fit(FitTarget::Stage(id)),
        None => app.say(Status::error("Select a stage to zoom to")),
    }
}

/// The stage an item is in: a stage itself, a step's, a card's or cell's
/// step's, a pain point's anchor's. Lanes and personas span every stage.
fn stage_of(journey: &Journey, item: Item) -> Option<StageId> {
    let step = match item {
        Item::Stage(id) => return Some(id),
        Item::Step(step) | Item::Cell(step, _) | Item::CurvePoint(_, step) => step,
        Item::Card(id) => journey.card(id)?.step,
        Item::Pain(id) => match journey.pain(id)?.anchor {
            Anchor::Card(card) => journey.card(card)?.step,
            Anchor::Curve(_, step) | Anchor::Step(step) => step,
        },
        Item::Lane(_) | Item::Persona(_) => return None,
    };
    journey.step(step).map(|(stage, _)| stage.id)
}

/// Page Down / Page Up: the next or previous stage, zoomed to.
fn step_stage(app: &mut WaymarkApp, forward: bool) {
    if crate::ui::workshop::reveal_step(app, forward) {
        return;
    }
    let stages: Vec<_> = app.doc.journey.stages.iter().map(|s| s.id).collect();
    let target = app.view.fit_target.step(&stages, forward);
    app.view.fit(target);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_advertised_with_shortcuts_have_one() {
        // Menus and the help window promise these keys; a missing binding
        // would make them silently never fire.
        let keys = [
            Action::TogglePalette,
            Action::ToggleInspector,
            Action::Present,
            Action::Export,
            Action::CopyImage,
            Action::ShowShortcuts,
            Action::TogglePen,
            Action::TogglePlan,
            Action::ToggleGoals,
        ];
        for key in keys {
            assert!(
                SHORTCUTS.iter().any(|(_, k)| *k == key),
                "{key:?} has no shortcut"
            );
        }
    }

    #[test]
    fn every_shortcut_is_unique() {
        for (i, (a, _)) in SHORTCUTS.iter().enumerate() {
            for (b, _) in SHORTCUTS.iter().skip(i + 1) {
                assert_ne!(a, b, "shortcut bound twice");
            }
        }
        assert!(Action::Undo.shortcut().is_some());
        assert_eq!(Action::Redo.shortcut(), Some(cmd_shift(Key::Z)));
    }

    #[test]
    fn longer_modifier_combinations_are_checked_first() {
        let position = |shortcut: KeyboardShortcut| {
            SHORTCUTS.iter().position(|(s, _)| *s == shortcut).unwrap()
        };
        assert!(position(cmd_shift(Key::Z)) < position(cmd(Key::Z)));
        assert!(position(cmd_shift(Key::C)) < position(cmd(Key::C)));
        assert!(position(cmd_shift(Key::S)) < position(cmd(Key::S)));
    }

    #[test]
    fn every_bound_action_is_in_the_list_once() {
        let list = all();
        for action in [
            Action::SelectNone,
            Action::Nudge(Direction::Down),
            Action::AddLane(LaneKind::Kpis),
            Action::New(Template::Blank),
        ] {
            assert_eq!(
                list.iter().filter(|a| **a == action).count(),
                1,
                "{action:?}"
            );
        }
        // Only OpenPath (a file, from the recent list or a drop), a
        // palette touchpoint and a persona's photo (from the inspector) are
        // not in the list; none has keys.
        assert!(Action::OpenPath(PathBuf::new()).shortcuts().is_empty());
        assert!(Action::ChoosePhoto(PersonaId(1)).shortcuts().is_empty());
        assert!(Action::AddCard(Some(Channel::Web)).shortcuts().is_empty());
    }

    #[test]
    fn menus_grey_out_what_would_do_nothing() {
        let nothing = Enabled::default();
        assert!(!Action::Undo.is_enabled(nothing));
        assert!(!Action::Paste.is_enabled(nothing));
        assert!(!Action::Delete.is_enabled(nothing));
        assert!(Action::AddStage.is_enabled(nothing));
        let cards = Enabled {
            has_cards: true,
            has_selection: true,
            ..nothing
        };
        assert!(Action::Duplicate.is_enabled(cards));
        assert!(Action::MoveLater.is_enabled(cards));
    }
}
