//! The Action plan panel: every opportunity of the map as a table (title,
//! stage, step, priority, owner, status, due, pains addressed), sorted by a
//! clicked header and filtered by text and status. Clicking a row asks the
//! app to select the card on the map. Overdue rows say "overdue" and are
//! tinted.
//!
//! The rows, their order and the filter are pure functions of the journey
//! and `today` (which the shell passes in, so tests can fix it).

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::model::{CardId, Date, Journey, Priority, Status};

/// One opportunity as the table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    /// The card.
    pub card: CardId,
    /// Its position in map order (left to right, top to bottom).
    pub order: usize,
    /// The card's title.
    pub title: String,
    /// The stage's name.
    pub stage: String,
    /// The step's name.
    pub step: String,
    /// The action item's priority.
    pub priority: Priority,
    /// Who sees it through.
    pub owner: String,
    /// How far it has got.
    pub status: Status,
    /// When it is due.
    pub due: Option<Date>,
    /// The texts of the pain points it addresses.
    pub pains: Vec<String>,
    /// Past due and not done.
    pub overdue: bool,
}

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The card's title.
    Title,
    /// Stage, in map order.
    Stage,
    /// Step, in map order.
    Step,
    /// Priority, low to high.
    Priority,
    /// Owner, by name.
    Owner,
    /// Status, in workflow order.
    Status,
    /// Due date; rows without one come last.
    Due,
    /// How many pains it addresses.
    Pains,
}

impl SortKey {
    /// Every column, left to right.
    pub const ALL: [Self; 8] = [
        Self::Title,
        Self::Stage,
        Self::Step,
        Self::Priority,
        Self::Owner,
        Self::Status,
        Self::Due,
        Self::Pains,
    ];

    /// The header's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Stage => "Stage",
            Self::Step => "Step",
            Self::Priority => "Priority",
            Self::Owner => "Owner",
            Self::Status => "Status",
            Self::Due => "Due",
            Self::Pains => "Pains addressed",
        }
    }
}

/// The panel's own state: sort, filters (not saved in the map).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanView {
    /// The column sorted by and whether ascending; `None` is map order.
    pub sort: Option<(SortKey, bool)>,
    /// Only rows whose text contains this (any case).
    pub filter: String,
    /// Only rows with this status.
    pub status: Option<Status>,
}

/// The action plan's rows in map order.
pub fn rows(journey: &Journey, today: Date) -> Vec<PlanRow> {
    journey
        .opportunities()
        .into_iter()
        .enumerate()
        .map(|(order, card)| {
            let plan = card.plan.clone().unwrap_or_default();
            let (stage, step) = journey
                .step(card.step)
                .map(|(stage, step)| (stage.name.clone(), step.name.clone()))
                .unwrap_or_default();
            PlanRow {
                card: card.id,
                order,
                title: card.title.clone(),
                stage,
                step,
                priority: plan.priority,
                owner: plan.owner.clone(),
                status: plan.status,
                due: plan.due,
                pains: journey
                    .pains_addressed_by(card.id)
                    .map(|p| p.text.clone())
                    .collect(),
                overdue: plan.is_overdue(today),
            }
        })
        .collect()
}

/// Sorts rows by `key`; ties keep map order. Rows without a due date or
/// owner come after those with one, either way round.
pub fn sort_rows(rows: &mut [PlanRow], key: SortKey, ascending: bool) {
    use std::cmp::Ordering;
    let directed = |o: Ordering| if ascending { o } else { o.reverse() };
    let text = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
    rows.sort_by(|a, b| {
        let by = match key {
            SortKey::Title => directed(text(&a.title, &b.title)),
            // Stages and steps read in map order, not alphabetically.
            SortKey::Stage | SortKey::Step => directed(a.order.cmp(&b.order)),
            SortKey::Priority => directed(a.priority.cmp(&b.priority)),
            SortKey::Owner => match (a.owner.trim().is_empty(), b.owner.trim().is_empty()) {
                (false, false) => directed(text(&a.owner, &b.owner)),
                (empty_a, empty_b) => empty_a.cmp(&empty_b),
            },
            SortKey::Status => directed(a.status.cmp(&b.status)),
            SortKey::Due => match (a.due, b.due) {
                (Some(x), Some(y)) => directed(x.cmp(&y)),
                (x, y) => y.is_some().cmp(&x.is_some()),
            },
            SortKey::Pains => directed(a.pains.len().cmp(&b.pains.len())),
        };
        by.then(a.order.cmp(&b.order))
    });
}

/// The rows that match the text (title, stage, step, owner or a pain, in
/// any case) and the status, if given.
pub fn filter_rows(rows: Vec<PlanRow>, text: &str, status: Option<Status>) -> Vec<PlanRow> {
    let needle = text.trim().to_lowercase();
    rows.into_iter()
        .filter(|row| status.is_none_or(|s| row.status == s))
        .filter(|row| {
            needle.is_empty()
                || [&row.title, &row.stage, &row.step, &row.owner]
                    .into_iter()
                    .chain(&row.pains)
                    .any(|field| field.to_lowercase().contains(&needle))
        })
        .collect()
}

/// The rows as shown: filtered, then sorted.
pub fn shown_rows(journey: &Journey, today: Date, view: &PlanView) -> Vec<PlanRow> {
    let mut shown = filter_rows(rows(journey, today), &view.filter, view.status);
    if let Some((key, ascending)) = view.sort {
        sort_rows(&mut shown, key, ascending);
    }
    shown
}

/// The tint of an overdue row (with the word "overdue", never alone).
const OVERDUE: Color32 = Color32::from_rgb(0xB4, 0x23, 0x18);

/// The panel; returns the card of a row clicked.
pub fn plan_ui(
    ui: &mut Ui,
    journey: &Journey,
    today: Date,
    view: &mut PlanView,
    selected: Option<CardId>,
) -> Option<CardId> {
    ui.horizontal(|ui| {
        ui.heading("Action plan");
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut view.filter)
                .desired_width(180.0)
                .hint_text("title, owner, pain…"),
        )
        .labelled_by(label.id);
        status_filter_ui(ui, &mut view.status);
        if view.sort.is_some() && ui.button("Map order").clicked() {
            view.sort = None;
        }
    });
    let shown = shown_rows(journey, today, view);
    let total = journey.opportunities().len();
    if total == 0 {
        ui.label(RichText::new("No opportunities yet: add cards to an Opportunities lane").weak());
        return None;
    }
    if shown.len() < total {
        ui.label(RichText::new(format!("{} of {total} shown", shown.len())).weak());
    }
    table_ui(ui, &shown, view, selected)
}

fn status_filter_ui(ui: &mut Ui, status: &mut Option<Status>) {
    let label = ui.label("Show");
    egui::ComboBox::from_id_salt("plan-status-filter")
        .selected_text(status.map_or("Any status", Status::label))
        .show_ui(ui, |ui| {
            ui.selectable_value(status, None, "Any status");
            for s in Status::ALL {
                ui.selectable_value(status, Some(s), s.label());
            }
        })
        .response
        .labelled_by(label.id);
}

fn table_ui(
    ui: &mut Ui,
    shown: &[PlanRow],
    view: &mut PlanView,
    selected: Option<CardId>,
) -> Option<CardId> {
    let mut clicked = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // Columns start as shares of the panel's width, so the table fits a
    // laptop's window; the user can resize them.
    let width = ui.available_width();
    let share = |fraction: f32, least: f32| {
        Column::initial((width * fraction).max(least))
            .at_least(least)
            .clip(true)
    };
    TableBuilder::new(ui)
        .id_salt("action-plan")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(share(0.19, 120.0))
        .column(share(0.1, 70.0))
        .column(share(0.12, 80.0))
        .column(share(0.06, 64.0))
        .column(share(0.1, 70.0))
        .column(share(0.08, 84.0))
        .column(share(0.12, 150.0))
        .column(Column::remainder().at_least(100.0).clip(true))
        .header(row_height + 2.0, |mut header| {
            for key in SortKey::ALL {
                header.col(|ui| sort_header_ui(ui, key, &mut view.sort));
            }
        })
        .body(|body| {
            body.rows(row_height, shown.len(), |mut row| {
                let Some(plan) = shown.get(row.index()) else {
                    return;
                };
                row.set_selected(selected == Some(plan.card));
                row_cells_ui(&mut row, plan);
                if row.response().clicked() {
                    clicked = Some(plan.card);
                }
            });
        });
    clicked
}

/// A header that sorts by its column: ascending first, then descending.
fn sort_header_ui(ui: &mut Ui, key: SortKey, sort: &mut Option<(SortKey, bool)>) {
    let arrow = match *sort {
        Some((k, true)) if k == key => " ▲",
        Some((k, false)) if k == key => " ▼",
        _ => "",
    };
    let response = ui
        .add(
            egui::Button::new(RichText::new(format!("{}{arrow}", key.label())).strong())
                .frame(false),
        )
        .on_hover_text(format!("Sort by {}", key.label().to_lowercase()));
    if response.clicked() {
        *sort = match *sort {
            Some((k, true)) if k == key => Some((key, false)),
            _ => Some((key, true)),
        };
    }
}

fn row_cells_ui(row: &mut egui_extras::TableRow<'_, '_>, plan: &PlanRow) {
    let tint = |text: String| {
        let text = RichText::new(text);
        if plan.overdue {
            text.color(OVERDUE)
        } else {
            text
        }
    };
    row.col(|ui| {
        ui.add(
            egui::Label::new(tint(plan.title.clone()))
                .truncate()
                .selectable(false),
        );
    });
    for text in [&plan.stage, &plan.step] {
        row.col(|ui| {
            ui.add(egui::Label::new(text.as_str()).truncate().selectable(false));
        });
    }
    row.col(|ui| {
        ui.add(egui::Label::new(plan.priority.label()).selectable(false));
    });
    row.col(|ui| {
        let owner = if plan.owner.trim().is_empty() {
            "–"
        } else {
            &plan.owner
        };
        ui.add(egui::Label::new(owner).truncate().selectable(false));
    });
    row.col(|ui| {
        ui.add(egui::Label::new(plan.status.label()).selectable(false));
    });
    row.col(|ui| {
        let due = match plan.due {
            Some(due) if plan.overdue => tint(format!("⚠ {due} overdue")).strong(),
            Some(due) => RichText::new(due.to_string()),
            None => RichText::new("–"),
        };
        ui.add(egui::Label::new(due).selectable(false));
    });
    row.col(|ui| {
        let pains = match plan.pains.len() {
            0 => "–".to_owned(),
            1 => plan.pains.join(""),
            n => format!("{n}: {}", plan.pains.join("; ")),
        };
        ui.add(egui::Label::new(pains).truncate().selectable(false));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::Template;
    use crate::model::{ActionItem, Card, LaneKind};

    fn date(d: i8) -> Date {
        Date::constant(2026, 12, d)
    }

    /// The four-stage template with three opportunities: "Bravo" (high,
    /// due on the 1st, planned), "alpha" (low, no date, done) and "Charlie"
    /// (medium, due on the 20th, owned by Zoe), left to right.
    fn journey() -> Journey {
        let mut j = Template::FourStage.build("t");
        let lane = j
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities)
            .map(|l| l.id)
            .unwrap();
        let steps: Vec<_> = j.steps().map(|(_, s)| s.id).collect();
        let items = [
            (
                "Bravo",
                Priority::High,
                "Ann",
                Status::Planned,
                Some(date(1)),
            ),
            ("alpha", Priority::Low, "", Status::Done, None),
            (
                "Charlie",
                Priority::Medium,
                "Zoe",
                Status::Idea,
                Some(date(20)),
            ),
        ];
        for (i, (title, priority, owner, status, due)) in items.into_iter().enumerate() {
            let id = CardId(j.next_id());
            let mut card = Card::new(id, steps[i], lane, title);
            card.plan = Some(ActionItem {
                priority,
                owner: owner.into(),
                status,
                due,
            });
            j.cards.push(card);
        }
        j
    }

    fn titles(rows: &[PlanRow]) -> Vec<&str> {
        rows.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn rows_come_in_map_order_and_know_when_they_are_overdue() {
        let rows = rows(&journey(), date(7));
        assert_eq!(titles(&rows), ["Bravo", "alpha", "Charlie"]);
        let overdue: Vec<bool> = rows.iter().map(|r| r.overdue).collect();
        assert_eq!(overdue, [true, false, false]);
    }

    #[test]
    fn sorting_by_each_column_both_ways() {
        let all = rows(&journey(), date(7));
        let sorted = |key, ascending| {
            let mut rows = all.clone();
            sort_rows(&mut rows, key, ascending);
            titles(&rows).join(",")
        };
        assert_eq!(sorted(SortKey::Title, true), "alpha,Bravo,Charlie");
        assert_eq!(sorted(SortKey::Title, false), "Charlie,Bravo,alpha");
        assert_eq!(sorted(SortKey::Priority, false), "Bravo,Charlie,alpha");
        assert_eq!(sorted(SortKey::Status, true), "Charlie,Bravo,alpha");
        assert_eq!(sorted(SortKey::Stage, false), "Charlie,alpha,Bravo");
        // No date and no owner come last both ways.
        assert_eq!(sorted(SortKey::Due, true), "Bravo,Charlie,alpha");
        assert_eq!(sorted(SortKey::Due, false), "Charlie,Bravo,alpha");
        assert_eq!(sorted(SortKey::Owner, true), "Bravo,Charlie,alpha");
        assert_eq!(sorted(SortKey::Owner, false), "Charlie,Bravo,alpha");
    }

    #[test]
    fn filtering_by_text_in_any_case_and_by_status() {
        let all = rows(&journey(), date(7));
        assert_eq!(titles(&filter_rows(all.clone(), "ZOE", None)), ["Charlie"]);
        assert_eq!(titles(&filter_rows(all.clone(), " ", None)).len(), 3);
        assert_eq!(
            titles(&filter_rows(all.clone(), "", Some(Status::Done))),
            ["alpha"]
        );
        assert!(filter_rows(all, "zoe", Some(Status::Done)).is_empty());
        let view = PlanView {
            sort: Some((SortKey::Title, false)),
            filter: "a".into(),
            status: None,
        };
        let shown = shown_rows(&journey(), date(7), &view);
        assert_eq!(titles(&shown), ["Charlie", "Bravo", "alpha"]);
    }
}
