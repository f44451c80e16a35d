//! Slides: the map fitted to 16:9 images. When the whole map on one slide
//! would make card titles smaller than [`SlideSize::min_title_px`], it is
//! split into groups of consecutive stages: as few as still read, the steps
//! spread among them as evenly as reading allows. A map too tall to read at
//! any width gets groups as wide as it draws no smaller. A stage too wide
//! for one slide is split by steps, its later parts named
//! "Stage (cont.)". Each group is a journey of its own (the group's stages,
//! steps, cards, pain points and curve points; everything else as in the
//! map), exported as usual, so it keeps the header and gets a legend of
//! what it shows. Every step is in exactly one group, in map order.

use std::collections::HashSet;
use std::ops::{ControlFlow, Range};
use std::path::{Path, PathBuf};

use crate::export::svg::write_svg_of;
use crate::export::{
    ExportError, ExportOptions, Format, Geometry, SlideSize, Target, save_atomically, save_png_of,
};
use crate::model::{Anchor, Journey, StepId};
use crate::view::layout::Layout;

/// One image of an export: the part of the map it shows, and its scale
/// (pixels per map unit).
#[derive(Clone, Debug)]
pub struct Slide {
    /// The map, or the group of its stages this image shows.
    pub journey: Journey,
    /// Pixels per map unit.
    pub scale: f32,
    /// The index in the map of its first stage: a slide's stages keep the
    /// colours they have in the whole map.
    pub first_stage: usize,
    /// How many pain points the whole map numbers before this slide's: a
    /// slide's pain points keep the numbers they have in the whole map.
    pub pains_before: usize,
}

/// The images an export makes: for a slide, one per group of stages that
/// reads (see the module docs); else the whole map at its scale.
pub fn slides(journey: &Journey, options: &ExportOptions) -> Vec<Slide> {
    let journey = &*options.shown(journey);
    let Target::Slide(size) = options.target else {
        return vec![Slide {
            journey: journey.clone(),
            scale: options.scale,
            first_stage: 0,
            pains_before: 0,
        }];
    };
    let splitter = Splitter::new(journey, options, size);
    let whole = splitter.scale_of_journey(journey);
    if whole >= splitter.min_scale || journey.step_count() <= 1 {
        return vec![Slide {
            journey: journey.clone(),
            scale: whole,
            first_stage: 0,
            pains_before: 0,
        }];
    }
    let mut pieces = Vec::new();
    for (stage, each) in journey.stages.iter().enumerate() {
        let whole_stage = Piece {
            stage,
            steps: 0..each.steps.len(),
        };
        if each.steps.len() <= 1
            || splitter.scale(std::slice::from_ref(&whole_stage)) >= splitter.min_scale
        {
            pieces.push(whole_stage);
        } else {
            let steps: Vec<Piece> = (0..each.steps.len())
                .map(|step| Piece {
                    stage,
                    steps: step..step + 1,
                })
                .collect();
            pieces.extend(splitter.group(&steps).iter().map(|run| merged(run)));
        }
    }
    let whole_layout = Layout::new(journey, &crate::export::options::export_theme());
    splitter
        .group(&pieces)
        .iter()
        .map(|group| {
            let journey = splitter.journey_of(group);
            let scale = splitter.scale_of_journey(&journey);
            let first_stage = group.first().map_or(0, |piece| piece.stage);
            let first_x = (journey.steps().next())
                .and_then(|(_, step)| whole_layout.column(step.id))
                .map_or(f32::INFINITY, |column| column.x.min);
            let pains_before = (whole_layout.pain_notes.iter())
                .filter(|note| note.rect.center().x < first_x)
                .count();
            Slide {
                journey,
                scale,
                first_stage,
                pains_before,
            }
        })
        .collect()
}

/// Consecutive steps of one stage.
#[derive(Clone, Debug, PartialEq)]
struct Piece {
    /// The stage's index in the map.
    stage: usize,
    /// The steps' indices in the stage.
    steps: Range<usize>,
}

/// A run of step pieces of one stage as one piece.
fn merged(run: &[Piece]) -> Piece {
    let stage = run.first().map_or(0, |p| p.stage);
    let start = run.first().map_or(0, |p| p.steps.start);
    let end = run.last().map_or(start, |p| p.steps.end);
    Piece {
        stage,
        steps: start..end,
    }
}

/// `pieces` in `count` runs of consecutive pieces with as near the same
/// number of steps as whole pieces allow (fewer when the pieces run out).
fn balance(pieces: &[Piece], count: usize) -> Vec<Vec<Piece>> {
    let total: usize = pieces.iter().map(|p| p.steps.len()).sum();
    let target = total as f32 / count.max(1) as f32;
    let mut groups = Vec::with_capacity(count);
    let mut current: Vec<Piece> = Vec::new();
    let mut steps = 0;
    for piece in pieces {
        let more = piece.steps.len();
        let nearer = ((steps + more) as f32 - target).abs() <= (steps as f32 - target).abs();
        if current.is_empty() || nearer || groups.len() + 1 >= count {
            current.push(piece.clone());
            steps += more;
        } else {
            groups.push(std::mem::replace(&mut current, vec![piece.clone()]));
            steps = more;
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Splits one map into slides.
struct Splitter<'a> {
    journey: &'a Journey,
    /// The map without stages, cards, curve points or pain points: what
    /// every group starts from.
    shell: Journey,
    options: ExportOptions,
    /// The smallest scale at which card titles read.
    min_scale: f32,
}

impl<'a> Splitter<'a> {
    fn new(journey: &'a Journey, options: &ExportOptions, size: SlideSize) -> Self {
        let mut shell = journey.clone();
        shell.stages.clear();
        shell.cards.clear();
        shell.pain_points.clear();
        for curve in &mut shell.curves {
            curve.points.clear();
        }
        let title = crate::export::options::export_theme().title_font(1.0).size;
        Self {
            journey,
            shell,
            options: *options,
            min_scale: size.min_title_px() / title,
        }
    }

    /// The scale a slide of `journey` is drawn at.
    fn scale_of_journey(&self, journey: &Journey) -> f32 {
        Geometry::new(journey, &self.options).scale
    }

    /// The scale a slide of these pieces is drawn at.
    fn scale(&self, pieces: &[Piece]) -> f32 {
        self.scale_of_journey(&self.journey_of(pieces))
    }

    /// Runs of consecutive pieces: as few as [`Self::greedy`] makes, of
    /// steps as even in number as still read (so the last slide is not a
    /// stage left over), else the greedy runs.
    fn group(&self, pieces: &[Piece]) -> Vec<Vec<Piece>> {
        let greedy = self.greedy(pieces);
        if greedy.len() < 2 {
            return greedy;
        }
        let balanced = balance(pieces, greedy.len());
        let worst = |groups: &[Vec<Piece>]| {
            (groups.iter())
                .map(|group| self.scale(group))
                .fold(f32::INFINITY, f32::min)
        };
        let needed = self.min_scale.min(worst(&greedy)) * 0.999;
        if balanced.len() == greedy.len() && worst(&balanced) >= needed {
            balanced
        } else {
            greedy
        }
    }

    /// Runs of consecutive pieces, each as long as still reads, or as long
    /// as adding a piece draws neither smaller than on slides of their own
    /// (a map too tall to read, however few columns it shows).
    fn greedy(&self, pieces: &[Piece]) -> Vec<Vec<Piece>> {
        let mut groups = Vec::new();
        let mut current: Vec<Piece> = Vec::new();
        let mut current_scale = f32::INFINITY;
        for piece in pieces {
            let mut wider = current.clone();
            wider.push(piece.clone());
            let scale = self.scale(&wider);
            let reads = scale >= self.min_scale;
            let alone = self.scale(std::slice::from_ref(piece));
            // A tiny tolerance: the legend and header may shift a little.
            let no_smaller = scale >= current_scale.min(alone) * 0.999;
            if current.is_empty() || reads || no_smaller {
                current = wider;
                current_scale = scale;
            } else {
                groups.push(std::mem::replace(&mut current, vec![piece.clone()]));
                current_scale = self.scale(&current);
            }
        }
        if !current.is_empty() {
            groups.push(current);
        }
        groups
    }

    /// The map showing only `pieces`: their stages and steps (a stage's
    /// later part named "Stage (cont.)"), and the cards, curve points and
    /// pain points of those steps.
    fn journey_of(&self, pieces: &[Piece]) -> Journey {
        let mut sub = self.shell.clone();
        let mut last_stage = None;
        for piece in pieces {
            let Some(stage) = self.journey.stages.get(piece.stage) else {
                continue;
            };
            let steps = stage.steps.get(piece.steps.clone()).unwrap_or_default();
            if last_stage == Some(piece.stage)
                && let Some(same) = sub.stages.last_mut()
            {
                same.steps.extend_from_slice(steps);
                continue;
            }
            let mut part = stage.clone();
            part.steps = steps.to_vec();
            if piece.steps.start > 0 {
                part.name = format!("{} (cont.)", stage.name);
            }
            sub.stages.push(part);
            last_stage = Some(piece.stage);
        }
        let shown: HashSet<StepId> = sub.steps().map(|(_, step)| step.id).collect();
        sub.cards = (self.journey.cards.iter())
            .filter(|card| shown.contains(&card.step))
            .cloned()
            .collect();
        for (curve, all) in sub.curves.iter_mut().zip(&self.journey.curves) {
            curve.points = (all.points.iter())
                .filter(|(step, _)| shown.contains(step))
                .map(|(step, score)| (*step, *score))
                .collect();
        }
        let cards: HashSet<_> = sub.cards.iter().map(|card| card.id).collect();
        sub.pain_points = (self.journey.pain_points.iter())
            .filter(|pain| match pain.anchor {
                Anchor::Card(card) => cards.contains(&card),
                Anchor::Curve(_, step) | Anchor::Step(step) => shown.contains(&step),
            })
            .cloned()
            .map(|mut pain| {
                pain.opportunity = pain.opportunity.filter(|card| cards.contains(card));
                pain
            })
            .collect();
        sub
    }
}

/// An image file an export wrote, and its size in pixels.
pub type Written = (PathBuf, (u32, u32));

/// The file of the `index`-th (from 1) of several images:
/// `deck/map.png` -> `deck/map-2.png`.
pub fn numbered(path: &Path, index: usize) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{index}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{index}"),
    };
    path.with_file_name(name)
}

/// Writes the export in `format`: one image at `path`, or, for a slide
/// export of a map split into several slides, one per slide at
/// [`numbered`] paths. Each file is written atomically. Returns each file
/// written with its size in pixels. `progress` hears the fraction done of
/// the whole (0..=1) and may stop a PNG export (see
/// [`crate::export::save_png_with_progress`]).
pub fn save_images(
    journey: &Journey,
    options: &ExportOptions,
    format: Format,
    path: &Path,
    mut progress: impl FnMut(f32) -> ControlFlow<()> + Send,
) -> Result<Vec<Written>, ExportError> {
    let journey = &*options.shown(journey);
    let parts = match options.target {
        Target::Natural => None,
        Target::Slide(_) => Some(slides(journey, options)),
    };
    let geometries: Vec<(&Journey, Geometry)> = match &parts {
        None => vec![(journey, Geometry::new(journey, options))],
        Some(parts) => (parts.iter())
            .map(|slide| (&slide.journey, Geometry::of_slide(slide, options)))
            .collect(),
    };
    let count = geometries.len();
    let mut written = Vec::with_capacity(count);
    for (index, (part, geometry)) in geometries.iter().enumerate() {
        let target = if count == 1 {
            path.to_path_buf()
        } else {
            numbered(path, index + 1)
        };
        let done = index as f32;
        let size = match format {
            Format::Png => save_png_of(part, geometry, options, &target, |fraction| {
                progress((done + fraction) / count as f32)
            })?,
            Format::Svg => {
                let (width, height) =
                    save_atomically(&target, |file| write_svg_of(part, geometry, options, file))?;
                if progress((done + 1.0) / count as f32).is_break() {
                    return Err(ExportError::Stopped);
                }
                (width.round() as u32, height.round() as u32)
            }
        };
        written.push((target, size));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates::generated;

    fn slide(size: SlideSize) -> ExportOptions {
        ExportOptions {
            target: Target::Slide(size),
            ..ExportOptions::default()
        }
    }

    fn steps_of(journey: &Journey) -> Vec<StepId> {
        journey.steps().map(|(_, step)| step.id).collect()
    }

    /// Each slide shows only the cards, curve points and pain points of its
    /// own steps, and together the slides show all of them once.
    fn assert_partition(journey: &Journey, slides: &[Slide]) {
        let shown: Vec<StepId> = slides.iter().flat_map(|s| steps_of(&s.journey)).collect();
        assert_eq!(shown, steps_of(journey), "every step once, in order");
        let cards: usize = slides.iter().map(|s| s.journey.cards.len()).sum();
        assert_eq!(cards, journey.cards.len());
        let pains: usize = slides.iter().map(|s| s.journey.pain_points.len()).sum();
        assert_eq!(pains, journey.pain_points.len());
        for slide in slides {
            let own: HashSet<StepId> = steps_of(&slide.journey).into_iter().collect();
            assert!(slide.journey.cards.iter().all(|c| own.contains(&c.step)));
            for curve in &slide.journey.curves {
                assert!(curve.points.keys().all(|step| own.contains(step)));
            }
            assert!(
                slide.journey.problems().is_empty(),
                "{:?}",
                slide.journey.problems()
            );
        }
    }

    #[test]
    fn a_wide_map_is_split_by_stage_into_slides_that_read() {
        let journey = generated(40, 200);
        for size in SlideSize::ALL {
            let options = slide(size);
            let slides = slides(&journey, &options);
            assert!(slides.len() > 2, "{}", slides.len());
            assert_partition(&journey, &slides);
            let title = crate::view::theme::Theme::default().title_font(1.0).size;
            for s in &slides {
                assert!(s.scale * title >= size.min_title_px() - 1e-3, "{}", s.scale);
            }
            // Each slide is as large as reads: with the next one it would not.
            let splitter = Splitter::new(&journey, &options, size);
            for pair in slides.windows(2) {
                let both: Vec<StepId> = pair.iter().flat_map(|s| steps_of(&s.journey)).collect();
                let joined = splitter.journey_of(&pieces_of(&journey, &both));
                assert!(splitter.scale_of_journey(&joined) < splitter.min_scale);
            }
        }
    }

    /// One piece per step of `journey` in `steps`.
    fn pieces_of(journey: &Journey, steps: &[StepId]) -> Vec<Piece> {
        let mut pieces = Vec::new();
        for (stage, each) in journey.stages.iter().enumerate() {
            for (index, step) in each.steps.iter().enumerate() {
                if steps.contains(&step.id) {
                    pieces.push(Piece {
                        stage,
                        steps: index..index + 1,
                    });
                }
            }
        }
        pieces
    }

    #[test]
    fn a_stage_too_wide_for_a_slide_is_split_by_steps_and_named_again() {
        let mut journey = generated(30, 120);
        // One stage of all thirty steps.
        let steps: Vec<_> = journey
            .stages
            .iter()
            .flat_map(|s| s.steps.clone())
            .collect();
        journey.stages.truncate(1);
        journey.stages[0].name = "Purchase".into();
        journey.stages[0].steps = steps;
        let slides = slides(&journey, &slide(SlideSize::Hd));
        assert!(slides.len() > 1);
        assert_partition(&journey, &slides);
        let names: Vec<&str> = slides
            .iter()
            .map(|s| s.journey.stages[0].name.as_str())
            .collect();
        assert_eq!(names[0], "Purchase");
        assert!(
            names[1..].iter().all(|n| *n == "Purchase (cont.)"),
            "{names:?}"
        );
        assert!(
            slides.iter().all(|s| s.first_stage == 0),
            "one stage colour"
        );
    }

    #[test]
    fn balanced_runs_have_near_even_steps() {
        let piece = |stage, steps| Piece {
            stage,
            steps: 0..steps,
        };
        // Steps per stage as in the grocery example: 2, 2, 5, 2, 2.
        let pieces: Vec<Piece> = [2, 2, 5, 2, 2]
            .iter()
            .enumerate()
            .map(|(stage, steps)| piece(stage, *steps))
            .collect();
        let sizes = |groups: Vec<Vec<Piece>>| -> Vec<usize> {
            (groups.iter())
                .map(|g| g.iter().map(|p| p.steps.len()).sum())
                .collect()
        };
        assert_eq!(sizes(balance(&pieces, 3)), vec![4, 5, 4]);
        assert_eq!(sizes(balance(&pieces, 2)), vec![9, 4]);
        assert_eq!(sizes(balance(&pieces, 5)), vec![2, 2, 5, 2, 2]);
        assert_eq!(sizes(balance(&pieces, 1)), vec![13]);
    }

    #[test]
    fn a_map_that_reads_on_one_slide_is_one_slide() {
        let journey = crate::model::templates::Template::FourStage.build("Short");
        let slides = slides(&journey, &slide(SlideSize::Uhd));
        assert_eq!(slides.len(), 1);
        assert_eq!(slides[0].journey, journey);
        let empty = Journey::empty("Nothing yet");
        assert_eq!(super::slides(&empty, &slide(SlideSize::Hd)).len(), 1);
    }

    #[test]
    fn numbered_names_keep_folder_and_extension() {
        assert_eq!(
            numbered(Path::new("deck/map.png"), 2),
            PathBuf::from("deck/map-2.png")
        );
        assert_eq!(numbered(Path::new("map"), 1), PathBuf::from("map-1"));
    }

    #[test]
    fn pain_points_keep_their_whole_map_numbers_on_every_slide() {
        let journey = generated(40, 400);
        let options = slide(SlideSize::Hd);
        let parts = slides(&journey, &options);
        assert!(parts.len() > 1, "the map is split");
        let whole = Layout::new(&journey, &crate::export::options::export_theme());
        let number_in_whole = |id| whole.pains.iter().find(|m| m.id == id).map(|m| m.number);
        let mut seen = Vec::new();
        for part in &parts {
            let geometry = Geometry::of_slide(part, &options);
            for marker in &geometry.layout.pains {
                assert_eq!(Some(marker.number), number_in_whole(marker.id));
                seen.push(marker.number);
            }
            for note in &geometry.layout.pain_notes {
                assert_eq!(Some(note.number), number_in_whole(note.id));
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=whole.pains.len()).collect::<Vec<_>>());
        assert!(whole.pains.len() > 2);
    }
}
