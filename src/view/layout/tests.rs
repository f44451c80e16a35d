//! Tests of the layout.

#[cfg(test)]
mod lookup_tests {
    use super::super::*;
    use crate::model::templates::Template;
    use crate::model::{Card, Channel};

    fn journey_with_cards() -> Journey {
        let mut j = Template::FourStage.build("t");
        let step = j.stages[1].steps[0].id;
        let lane = j.lanes[1].id;
        for i in 0..3 {
            j.cards.push(Card {
                channel: Some(Channel::Web),
                ..Card::new(CardId(100 + i), step, lane, format!("c{i}"))
            });
        }
        j
    }

    #[test]
    fn columns_and_cells_line_up() {
        let theme = Theme::default();
        let j = journey_with_cards();
        let l = Layout::new(&j, &theme);
        assert_eq!(l.columns.len(), 4);
        assert_eq!(l.lanes.len(), 6);
        let step = j.stages[1].steps[0].id;
        let lane = j.lanes[1].id;
        let cell = l.cell_rect(step, lane).unwrap();
        assert_eq!(l.cell_at(cell.center()), Some((step, lane)));
        // Three stacked cards make their lane taller than the minimum.
        assert!(l.lanes[1].y.span() > theme.lane_min_height);
        let second_box = l.card(CardId(101)).unwrap();
        assert_eq!(l.card_of(&j, second_box).unwrap().title, "c1");
        let second = second_box.rect;
        assert_eq!(
            l.hit(second.center(), 0.0, &theme),
            Some(Hit::Card(CardId(101)))
        );
        assert_eq!(l.slot_at(step, lane, second.center().y + 1.0, &[]), 2);
        assert_eq!(l.slot_at(step, lane, cell.min.y, &[]), 0);
    }

    /// The indexed lookups a view uses find exactly what a pass over the
    /// whole map finds, in the same order.
    #[test]
    fn what_is_in_view_is_found_without_visiting_the_whole_map() {
        let journey = crate::model::templates::generated(60, 700);
        let l = Layout::new(&journey, &Theme::default());
        assert!(!l.pains.is_empty() && !l.curves.is_empty());
        let views = [
            Rect::from_min_max(pos2(-50.0, -50.0), pos2(900.0, 600.0)),
            Rect::from_min_max(pos2(3000.0, 200.0), pos2(4100.5, 900.0)),
            Rect::from_min_max(pos2(l.columns[7].x.max, 0.0), pos2(l.columns[9].x.min, 1e5)),
            Rect::from_min_max(pos2(l.size.x - 10.0, 0.0), pos2(l.size.x + 500.0, 300.0)),
            Rect::from_min_max(pos2(-900.0, 0.0), pos2(-10.0, 300.0)),
            l.map_rect(),
        ];
        for view in views {
            let x = view.x_range();
            let cards: Vec<CardId> = l.cards_in_view(view).map(|c| c.id).collect();
            let all: Vec<CardId> = l
                .cards
                .iter()
                .filter(|c| c.rect.intersects(view))
                .map(|c| c.id)
                .collect();
            assert_eq!(cards, all, "cards in {view:?}");
            let columns: Vec<StepId> = l.columns_in(x).iter().map(|c| c.step).collect();
            let all: Vec<StepId> = l
                .columns
                .iter()
                .filter(|c| c.x.intersects(x))
                .map(|c| c.step)
                .collect();
            assert_eq!(columns, all, "columns in {view:?}");
            let stages: Vec<StageId> = l.stages_in(x).iter().map(|s| s.id).collect();
            let all: Vec<StageId> = l
                .stages
                .iter()
                .filter(|s| s.x.intersects(x))
                .map(|s| s.id)
                .collect();
            assert_eq!(stages, all, "stages in {view:?}");
            let pains: Vec<PainId> = l.pains_in(x).map(|m| m.id).collect();
            let all: Vec<PainId> = l
                .pains
                .iter()
                .filter(|m| x.contains(m.center.x))
                .map(|m| m.id)
                .collect();
            assert_eq!(pains, all, "pains in {view:?}");
            for curve in &l.curves {
                let points = curve.points_in(x);
                let all: Vec<(StepId, Pos2)> = curve
                    .points
                    .iter()
                    .copied()
                    .filter(|(_, p)| x.contains(p.x))
                    .collect();
                assert_eq!(points, &all[..], "points in {view:?}");
            }
        }
        for curve in &l.curves {
            for (step, point) in &curve.points {
                assert_eq!(l.curve_point(curve.persona, *step), Some(*point));
            }
        }
    }

    #[test]
    fn score_maps_both_ways() {
        let theme = Theme::default();
        let l = Layout::new(&journey_with_cards(), &theme);
        for score in [-2.0, -0.5, 0.0, 1.25, 2.0] {
            let y = l.score_y(score).unwrap();
            assert!((l.score_at(y).unwrap() - score).abs() < 1e-4);
        }
        let top = l.score_y(2.0).unwrap();
        assert!((l.score_at(top - 500.0).unwrap() - 2.0).abs() < f32::EPSILON);
    }

    #[test]
    fn headers_and_labels_hit() {
        let theme = Theme::default();
        let j = journey_with_cards();
        let l = Layout::new(&j, &theme);
        let x = l.columns[2].x.center();
        assert_eq!(
            l.hit(pos2(x, 5.0), 0.0, &theme),
            Some(Hit::StageHeader(j.stages[2].id))
        );
        assert_eq!(
            l.hit(pos2(x, l.step_header.center()), 0.0, &theme),
            Some(Hit::StepHeader(j.stages[2].steps[0].id))
        );
        assert_eq!(
            l.hit(pos2(10.0, l.lanes[3].y.center()), 0.0, &theme),
            Some(Hit::LaneLabel(j.lanes[3].id))
        );
        assert_eq!(l.hit(pos2(-5.0, -5.0), 0.0, &theme), None);
    }
}

#[cfg(test)]
mod text_tests {
    use super::super::*;
    use crate::model::templates::Template;
    use crate::model::{Card, CardNotes, PainPoint};

    fn lane_of(journey: &Journey, kind: LaneKind) -> LaneId {
        journey
            .lanes
            .iter()
            .find(|l| l.kind == kind)
            .map(|l| l.id)
            .expect("the template has the lane")
    }

    fn card(id: u64, step: StepId, lane: LaneId, title: &str, notes: &str) -> Card {
        Card {
            notes: notes.to_owned(),
            ..Card::new(CardId(id), step, lane, title)
        }
    }

    #[test]
    fn a_card_and_its_lane_grow_with_its_text_and_the_notes_shown() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let actions = lane_of(&j, LaneKind::Actions);
        let [a, b] = [j.stages[0].steps[0].id, j.stages[1].steps[0].id];
        let notes = "First line\nSecond line of notes that only the All setting shows, \
                     long enough to wrap over a few rows of a card";
        j.cards.push(card(100, a, actions, "Short", notes));
        j.cards.push(card(101, b, actions, "Short", ""));
        let short = Layout::new(&j, &theme);
        let lane_before = short.lane(actions).map_or(0.0, |l| l.y.span());
        if let Some(c) = j.cards.first_mut() {
            c.title = "A long title that wraps over several rows on a card of this width".into();
        }
        let long = Layout::new(&j, &theme);
        let height = |l: &Layout, id| l.card(CardId(id)).map_or(0.0, |c| c.rect.height());
        assert!(height(&long, 100) > height(&short, 100) + 20.0);
        assert!(
            (height(&long, 101) - theme.card_height).abs() < 1e-3,
            "neighbours keep their size"
        );
        let lane_after = long.lane(actions).map_or(0.0, |l| l.y.span());
        assert!(
            lane_after > lane_before,
            "the lane grows to its tallest cell"
        );
        j.card_notes = CardNotes::All;
        let all = Layout::new(&j, &theme);
        assert!(height(&all, 100) > height(&long, 100) + 20.0);
        j.card_notes = CardNotes::TitleOnly;
        let titles = Layout::new(&j, &theme);
        assert!(height(&titles, 100) < height(&long, 100));
        // Cards of a lane follow each other without overlapping.
        let next_lane = all
            .lanes
            .iter()
            .find(|l| l.y.min >= all.lane(actions).map_or(0.0, |l| l.y.max));
        let card = all.card(CardId(100)).map(|c| c.rect);
        assert!(card.zip(next_lane).is_some_and(|(c, l)| c.max.y <= l.y.min));
    }

    #[test]
    fn every_pain_point_gets_a_numbered_note_in_its_steps_pain_cell() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let actions = lane_of(&j, LaneKind::Actions);
        let pains = lane_of(&j, LaneKind::PainPoints);
        let [a, b] = [j.stages[0].steps[0].id, j.stages[2].steps[0].id];
        j.cards.push(card(100, b, actions, "Pays", ""));
        for (id, anchor) in [(1, Anchor::Card(CardId(100))), (2, Anchor::Step(a))] {
            j.pain_points.push(PainPoint {
                id: PainId(id),
                severity: 3,
                text: format!("Pain {id} with enough words to wrap on two rows of a note"),
                anchor,
                opportunity: None,
                solved_in_future: false,
            });
        }
        let l = Layout::new(&j, &theme);
        assert_eq!(l.pain_notes.len(), 2);
        assert!(l.pain_row.is_none(), "the lane holds the notes");
        let lane = l.lane(pains).map_or(Rangef::point(0.0), |b| b.y);
        for note in &l.pain_notes {
            let column = l.column(note.step).map_or(Rangef::point(0.0), |c| c.x);
            assert!(lane.contains(note.rect.min.y) && lane.contains(note.rect.max.y));
            assert!(column.contains(note.rect.center().x));
            assert_eq!(
                l.hit(note.rect.center(), 0.0, &theme),
                Some(Hit::Pain(note.id))
            );
            let marker = l.pains.iter().find(|m| m.id == note.id).map(|m| m.number);
            assert_eq!(
                marker,
                Some(note.number),
                "the note and its marker share a number"
            );
        }
        // Numbered left to right, whatever the order in the file.
        let first = l.pain_notes.iter().find(|n| n.step == a).map(|n| n.number);
        assert_eq!(first, Some(1));
        // A card carrying a badge keeps it inside, clear of the title.
        let marker = l.pains.iter().find(|m| m.id == PainId(1)).map(|m| m.center);
        let rect = l.card(CardId(100)).map(|c| c.rect);
        assert!(marker.zip(rect).is_some_and(|(m, r)| r.contains(m)));
        assert_eq!(l.card(CardId(100)).map(|c| c.badges), Some(1));

        // Without a Pain points lane the notes get a row of their own.
        j.lanes.retain(|lane| lane.id != pains);
        let l = Layout::new(&j, &theme);
        let row = l.pain_row.expect("a row of pain notes");
        assert!(l.lanes.iter().all(|lane| lane.y.max <= row.min));
        assert!((row.max - l.size.y).abs() < 1e-3);
        assert!(l.pain_notes.iter().all(|n| row.contains(n.rect.center().y)));
    }

    #[test]
    fn long_step_and_stage_names_grow_the_header_rows() {
        let theme = Theme::default();
        let mut j = Template::FourStage.build("t");
        let plain = Layout::new(&j, &theme);
        if let Some(step) = j.stages.get_mut(1).and_then(|s| s.steps.first_mut()) {
            step.name = "Compares delivery fees across three rival apps".into();
        }
        let wrapped = Layout::new(&j, &theme);
        assert!(wrapped.step_header.span() > plain.step_header.span() + 10.0);
        assert!((wrapped.step_header.min - wrapped.stage_header.max).abs() < 1e-3);
        assert!(
            wrapped
                .lanes
                .first()
                .is_some_and(|l| l.y.min >= wrapped.step_header.max)
        );
    }
}

#[cfg(test)]
mod size_tests {
    use super::super::*;

    #[test]
    fn measured_maps_have_whole_sizes_so_scales_are_exact() {
        for steps in [1, 7, 30] {
            let mut journey = crate::model::templates::generated(steps, 6);
            for (i, card) in journey.cards.iter_mut().enumerate() {
                card.title = "A title long enough to wrap ".repeat(i % 4 + 1);
            }
            for step in journey.stages.iter_mut().flat_map(|s| &mut s.steps) {
                step.name = "A step name that wraps over two rows".into();
            }
            let l = Layout::new(&journey, &Theme::default());
            assert!(l.size.x.fract().abs() < f32::EPSILON, "{:?}", l.size);
            assert!(l.size.y.fract().abs() < f32::EPSILON, "{:?}", l.size);
        }
    }
}
