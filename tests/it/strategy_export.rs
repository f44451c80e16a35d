//! The strategy data on the map and in its exports: the goals band, the KPI
//! row, the cards' plan lines, the resource totals and the persona strip
//! take their own room, and their words reach the SVG and their ink the PNG.

use waymark::export::svg::write_svg;
use waymark::export::{ExportOptions, picture_frame, render};
use waymark::model::templates::Template;
use waymark::model::{
    ActionItem, Better, Card, CardId, Date, Journey, Kpi, Lane, LaneId, LaneKind, Need, Priority,
    Resource, ResourceKind, Status,
};
use waymark::view::layout::{Hit, Layout};
use waymark::view::theme::Theme;

use crate::readability::{canvases, fitted_scene, overlaps, texts};

const TODAY: Date = jiff::civil::date(2026, 12, 7);

/// A four-stage map with goals, KPIs, a Resources lane with costs, two
/// opportunities with action items (one overdue on [`TODAY`]) and a
/// persona with everything filled in.
fn strategy_map() -> Journey {
    let mut j = Template::FourStage.build("Grocery delivery");
    j.objective = "Decide which checkout fixes ship in Q1".into();
    j.scenario = "Maya orders for a family of four on a weeknight".into();
    j.last_reviewed = Some(jiff::civil::date(2026, 11, 20));
    j.currency = "€".into();
    stage(&mut j, 0).customer_goal = "Find a shop that delivers tonight".into();
    stage(&mut j, 0).business_goal = "Reach parents in new postcodes".into();
    stage(&mut j, 1).customer_goal = "Compare fees without signing up".into();
    stage(&mut j, 0).kpis = vec![Kpi {
        value: Some(2.1),
        target: Some(3.0),
        unit: "%".into(),
        measured: Some(jiff::civil::date(2026, 11, 2)),
        ..Kpi::named("Click-through rate")
    }];
    stage(&mut j, 1).kpis = vec![
        Kpi {
            value: Some(42.0),
            target: Some(40.0),
            ..Kpi::named("NPS")
        },
        Kpi {
            value: Some(12.0),
            target: Some(10.0),
            unit: "min".into(),
            better: Better::Lower,
            ..Kpi::named("Time to complete")
        },
    ];
    let resources = LaneId(500);
    j.lanes.push(Lane {
        id: resources,
        kind: LaneKind::Resources,
        name: "Resources".into(),
    });
    let opportunities = j
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Opportunities)
        .unwrap()
        .id;
    let steps: Vec<_> = j.steps().map(|(_, s)| s.id).collect();
    j.cards.push(Card {
        plan: Some(ActionItem {
            priority: Priority::High,
            owner: "Ana Ruiz".into(),
            status: Status::InProgress,
            due: Some(jiff::civil::date(2026, 11, 30)),
        }),
        ..Card::new(CardId(600), steps[1], opportunities, "Show all fees early")
    });
    j.cards.push(Card {
        plan: Some(ActionItem {
            priority: Priority::Low,
            owner: "Sam Okafor".into(),
            status: Status::Planned,
            due: Some(jiff::civil::date(2027, 1, 12)),
        }),
        ..Card::new(CardId(601), steps[2], opportunities, "Remember the slot")
    });
    for (id, step, kind, cost) in [
        (610, 1, ResourceKind::People, 1200.0),
        (611, 1, ResourceKind::Tool, 300.0),
        (612, 2, ResourceKind::Budget, 5000.0),
    ] {
        j.cards.push(Card {
            resource: Some(Resource {
                kind,
                need: Need::Required,
                cost: Some(cost),
            }),
            ..Card::new(CardId(id), steps[step], resources, format!("Resource {id}"))
        });
    }
    let persona = j.personas.first_mut().unwrap();
    persona.name = "Maya Lindqvist".into();
    persona.role = "Working parent".into();
    persona.quote = "I want to know the cost first".into();
    persona.goals = "Weekly shop in ten minutes".into();
    persona.needs = "Reliable delivery slots".into();
    persona.frustrations = "Surprise fees".into();
    j
}

fn stage(j: &mut Journey, i: usize) -> &mut waymark::model::Stage {
    j.stages.get_mut(i).unwrap()
}

fn options() -> ExportOptions {
    ExportOptions {
        date: Some(TODAY),
        ..ExportOptions::default()
    }
}

#[test]
fn the_new_rows_take_their_own_room() {
    let journey = strategy_map();
    let theme = Theme::default();
    let l = Layout::dated(&journey, &theme, Some(TODAY));
    let goals = l.goals.as_ref().expect("a goals band");
    let kpis = l.kpis.as_ref().expect("a KPI row");
    let strip = l.personas.as_ref().expect("a persona strip");
    let lanes = l.lanes.first().unwrap().y.min..=l.lanes.last().unwrap().y.max;
    // Header, goals, KPIs, lanes, personas: one after the other.
    assert!(goals.y.min >= l.step_header.max - 0.01);
    assert!(kpis.y.min >= goals.y.max - 0.01);
    assert!(*lanes.start() >= kpis.y.max - 0.01);
    assert!(strip.y.min >= *lanes.end() - 0.01);
    assert!(strip.y.max <= l.size.y + 0.01);
    // Every stage has a cell, spanning its steps.
    assert_eq!(goals.cells.len(), journey.stages.len());
    assert_eq!(kpis.cells[1].content.len(), 2);
    for card in l.cards.iter() {
        assert!(!goals.y.intersects(card.rect.y_range()), "{card:?}");
        assert!(!kpis.y.intersects(card.rect.y_range()), "{card:?}");
        assert!(!strip.y.intersects(card.rect.y_range()), "{card:?}");
        for total in &l.resource_totals {
            assert!(!total.rect.intersects(card.rect), "{total:?} on {card:?}");
        }
    }
    // Totals sit in the Resources lane, one per stage with costs.
    let lane = l
        .lanes
        .iter()
        .find(|b| b.kind == LaneKind::Resources)
        .unwrap();
    assert_eq!(l.resource_totals.len(), 2);
    for total in &l.resource_totals {
        assert!(lane.y.contains(total.rect.min.y) && lane.y.contains(total.rect.max.y));
    }
    let text: Vec<String> = l
        .resource_totals
        .iter()
        .map(|t| t.text.rows.concat())
        .collect();
    assert_eq!(text, ["Total €1,500", "Total €5,000"]);
    // Persona blocks stay inside the strip and right of the labels.
    for block in &strip.blocks {
        assert!(strip.y.contains(block.rect.min.y) && strip.y.contains(block.rect.max.y));
        assert!(block.rect.min.x >= l.label_x.max);
        assert!(block.rect.contains_rect(block.avatar));
    }
    // Clicks: a band cell selects its stage, a block its persona.
    let cell = &kpis.cells[2];
    let at = egui::pos2(cell.x.center(), kpis.y.center());
    assert_eq!(l.hit(at, 0.0, &theme), Some(Hit::StageHeader(cell.stage)));
    let block = &strip.blocks[0];
    assert_eq!(
        l.hit(block.rect.center(), 0.0, &theme),
        Some(Hit::Persona(block.id))
    );
    // The overdue item says so; the other does not.
    let facts = |id| l.card(CardId(id)).unwrap().text.facts.clone().unwrap();
    assert!(facts(600).overdue && facts(600).rows.rows.concat().contains("overdue"));
    assert!(!facts(601).overdue && !facts(601).rows.rows.concat().contains("overdue"));
    // Without a date nothing is overdue, and hiding goals drops the band.
    let undated = Layout::new(&journey, &theme);
    assert!(
        !undated
            .card(CardId(600))
            .unwrap()
            .text
            .facts
            .clone()
            .unwrap()
            .overdue
    );
    let mut hidden = journey.clone();
    hidden.hide_goals = true;
    assert!(Layout::new(&hidden, &theme).goals.is_none());
}

#[test]
fn the_svg_holds_goals_kpis_owners_personas_and_the_brief() {
    let journey = strategy_map();
    let mut out = Vec::new();
    write_svg(&journey, &options(), &mut out).unwrap();
    let svg = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let rows: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for row in &rows {
        assert!(!row.contains('…'), "cut text {row:?}");
    }
    let all = rows
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Customer goal",
        "Business goal",
        "Find a shop that delivers tonight",
        "Click-through rate",
        "2.1% · target 3%",
        "42 · target 40",
        "12 min · target 10 min",
        "measured 2 Nov 2026",
        "Ana Ruiz · due 30 Nov 2026 · overdue",
        "Sam Okafor · due 12 Jan 2027",
        "High priority · In progress",
        "Required · Budget · €5,000",
        "Total €1,500",
        "Maya Lindqvist",
        "Working parent",
        "“I want to know the cost first”",
        "Surprise fees",
        "Frustrations",
        "Objective: Decide which checkout fixes ship in Q1",
        "Scenario: Maya orders",
        "Last reviewed 20 November 2026",
        "On target",
        "Off target",
        "Overdue: past its due date, not done",
        "Goals",
        "KPIs",
        "Personas",
    ] {
        assert!(
            all.contains(expected),
            "{expected:?} is not in the SVG: {all}"
        );
    }
}

#[test]
fn the_png_has_ink_where_the_kpis_and_the_personas_are() {
    let journey = strategy_map();
    let options = options();
    let image = render(&journey, &options).unwrap();
    let frame = picture_frame(&journey, &options);
    let layout = Layout::dated(&journey, &Theme::default(), Some(TODAY));
    let background = Theme::default().card_fill.to_array();
    let inked = |rect: egui::Rect| {
        let rect = rect.translate(frame.map_offset);
        let (x0, x1) = (rect.min.x as u32, rect.max.x as u32);
        let (y0, y1) = (rect.min.y as u32, rect.max.y as u32);
        (x0..x1)
            .flat_map(|x| (y0..y1).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let got = image.pixel(x, y).unwrap().to_array();
                got.iter().zip(background).any(|(a, b)| a.abs_diff(b) > 60)
            })
            .count()
    };
    let kpis = layout.kpis.as_ref().unwrap();
    for cell in kpis.cells.iter().filter(|c| !c.content.is_empty()) {
        let ink = inked(kpis.rect(cell).shrink(3.0));
        assert!(ink > 150, "KPI cell: {ink} inked pixels");
    }
    // The mark of an off-target KPI is red, of an on-target one green.
    let mark_colour = |stage: usize, kpi: usize| {
        let cell = &kpis.cells[stage];
        let k = &cell.content[kpi];
        let at = egui::pos2(
            cell.x.min + 10.0 + 8.0,
            kpis.y.min + k.top + k.name.row_height / 2.0,
        ) + frame.map_offset;
        // A little off the centre, clear of the tick's or cross's white ink.
        image
            .pixel(at.x as u32 + 5, at.y as u32)
            .unwrap()
            .to_array()
    };
    let (off, on) = (mark_colour(0, 0), mark_colour(1, 0));
    assert!(off[0] > 150 && off[1] < 80, "off target {off:?}");
    assert!(on[1] > 100 && on[0] < 80, "on target {on:?}");
    let strip = layout.personas.as_ref().unwrap();
    let block = &strip.blocks[0];
    assert!(inked(block.avatar) > 1000, "avatar");
    assert!(inked(block.rect.shrink(4.0)) > 2000, "persona block");
}

#[test]
fn no_new_text_overlaps_at_fit_zoom() {
    let journey = strategy_map();
    for canvas in canvases() {
        let found = texts(&fitted_scene(&journey, canvas));
        let found_words = found
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(found_words.contains("Customer goal"), "{found_words}");
        let clashes = overlaps(&found);
        assert!(clashes.is_empty(), "at {canvas:?}:\n{}", clashes.join("\n"));
    }
}

#[test]
fn clicking_a_kpi_cell_selects_its_stage_and_a_persona_block_its_persona() {
    use waymark::edit::Item;
    use waymark::ui::app::StartOptions;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.journey.ron");
    let journey = strategy_map();
    waymark::io::save(&path, &journey).unwrap();
    let mut h = crate::common::harness(StartOptions {
        file: Some(path),
        ..StartOptions::default()
    });
    let stage = &journey.stages[1];
    crate::common::click(&mut h, &format!("KPIs: {}", stage.name));
    assert_eq!(h.state().view.selection, vec![Item::Stage(stage.id)]);
    crate::common::click(&mut h, &format!("Goals: {}", journey.stages[0].name));
    assert_eq!(
        h.state().view.selection,
        vec![Item::Stage(journey.stages[0].id)]
    );
    let persona = &journey.personas[0];
    crate::common::click(&mut h, &format!("Persona: {}", persona.name));
    assert_eq!(h.state().view.selection, vec![Item::Persona(persona.id)]);
}

#[test]
fn the_header_keeps_each_date_on_one_row_even_in_a_sidebar() {
    use waymark::view::frame::{SIDEBAR_WIDTH, header_blocks};

    let journey = strategy_map();
    let theme = Theme::default();
    for width in [SIDEBAR_WIDTH, 2000.0] {
        let blocks = header_blocks(&journey, Some("7 December 2026"), width, &theme);
        let rows: Vec<String> = blocks.iter().flat_map(|b| b.text.rows.clone()).collect();
        for date in ["7 December 2026", "Last reviewed 20 November 2026"] {
            assert!(
                rows.iter().any(|r| r.contains(date)),
                "{date:?} is broken at {width}: {rows:?}"
            );
        }
        assert!(rows.iter().all(|r| !r.contains('…')), "{rows:?}");
        let all = rows.concat();
        assert!(
            all.contains("Objective:") && all.contains("Scenario:"),
            "{rows:?}"
        );
    }
}
