//! PNG export: pixels at known places, sizes, backgrounds, and the command line.

use waymark::export::{
    Background, ExportOptions, Format, SlideSize, Target, image_size, render, save_images, slides,
};
use waymark::view::frame::{ExportFrame, FrameParts, LegendEntry};
use waymark::view::layout::Layout;
use waymark::view::theme::{Theme, channel_color};

use crate::common::{EXAMPLE, EXAMPLES, load, waymark};

fn example() -> waymark::model::Journey {
    load(EXAMPLE)
}

fn frame_of(journey: &waymark::model::Journey, options: &ExportOptions) -> ExportFrame {
    let layout = Layout::new(journey, &Theme::default());
    let parts = FrameParts {
        header: options.header,
        legend: options.legend,
    };
    ExportFrame::new(journey, &layout, options.margin, parts)
}

/// Runs `waymark export EXAMPLE -o DIR/NAME EXTRA...`, which must succeed;
/// returns the image's path.
fn cli_export(dir: &tempfile::TempDir, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let output = waymark()
        .args(["export", EXAMPLE, "-o"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    path
}

fn close(a: [u8; 4], b: [u8; 4], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

#[test]
fn card_accent_strip_has_its_channel_colour_at_every_scale() {
    let journey = example();
    let layout = Layout::new(&journey, &Theme::default());
    let card = journey.cards.iter().find(|c| c.channel.is_some()).unwrap();
    let expected = channel_color(card.channel.unwrap()).to_array();
    for scale in [1.0f32, 2.0, 3.0] {
        let options = ExportOptions {
            scale,
            ..ExportOptions::default()
        };
        // With the header on, the map sits below it.
        let frame = frame_of(&journey, &options);
        assert!(frame.map_offset.y > options.margin + 40.0);
        let rect = layout
            .card(card.id)
            .unwrap()
            .rect
            .translate(frame.map_offset);
        let image = render(&journey, &options).unwrap();
        // The middle of the 5-unit strip on the card's left edge.
        let x = ((rect.min.x + 2.5) * scale) as u32;
        let y = ((rect.center().y) * scale) as u32;
        let got = image.pixel(x, y).unwrap().to_array();
        assert!(
            close(got, expected, 2),
            "scale {scale}: {got:?} vs {expected:?}"
        );
        // The card body is white.
        let x = ((rect.max.x - 4.0) * scale) as u32;
        let y = ((rect.max.y - 3.0) * scale) as u32;
        assert!(close(image.pixel(x, y).unwrap().to_array(), [255; 4], 2));
    }
}

#[test]
fn transparent_background_leaves_the_margin_see_through() {
    let journey = example();
    let transparent = render(
        &journey,
        &ExportOptions {
            background: Background::Transparent,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(transparent.pixel(0, 0).unwrap().a(), 0);
    let (w, h) = (transparent.width, transparent.height);
    assert_eq!(transparent.pixel(w - 1, h - 1).unwrap().a(), 0);
    let white = render(&journey, &ExportOptions::default()).unwrap();
    assert_eq!(white.pixel(0, 0).unwrap().to_array(), [255; 4]);
    // The map itself is opaque either way.
    assert_eq!(transparent.pixel(w / 2, h / 2).unwrap().a(), 255);
}

#[test]
fn cli_exports_png_at_exact_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.png");
    let two = dir.path().join("two.png");
    for (path, scale) in [(&one, "1"), (&two, "2")] {
        let output = waymark()
            .args(["export", EXAMPLE, "-o"])
            .arg(path)
            .args(["--scale", scale])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let a = image::open(&one).unwrap();
    let b = image::open(&two).unwrap();
    let expected = image_size(&example(), &ExportOptions::default()).unwrap();
    assert_eq!((a.width(), a.height()), expected);
    assert_eq!((b.width(), b.height()), (a.width() * 2, a.height() * 2));
}

#[test]
fn cli_refuses_an_image_too_large_and_suggests_a_scale() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("huge.journey.ron");
    waymark::io::save(&map, &waymark::model::templates::generated(2_000, 100)).unwrap();
    let out = dir.path().join("huge.png");
    let output = waymark()
        .arg("export")
        .arg(&map)
        .arg("-o")
        .arg(&out)
        .args(["--scale", "4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("huge.journey.ron"), "{stderr}");
    assert!(stderr.contains("--scale"), "{stderr}");
    assert!(stderr.contains("SVG"), "SVG has no pixel limit: {stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn cli_export_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = waymark()
        .args(["export", "missing.journey.ron", "-o"])
        .arg(dir.path().join("x.png"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.journey.ron"));
    let output = waymark()
        .args(["export", EXAMPLE, "-o"])
        .arg(dir.path().join("x.jpg"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = waymark()
        .args(["export", EXAMPLE, "-o", "x.png", "--background", "plaid"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "usage error");
}

#[test]
fn cli_exports_several_maps_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = waymark()
        .args(["export", EXAMPLE, "examples/saas-trial.journey.ron", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    for name in ["grocery-checkout.png", "saas-trial.png"] {
        let image = image::open(dir.path().join(name)).unwrap();
        assert!(image.width() > 1000, "{name}");
    }
    // Several maps need a folder to go into.
    let output = waymark()
        .args(["export", EXAMPLE, "examples/saas-trial.journey.ron", "-o"])
        .arg(dir.path().join("one.png"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn legend_shows_each_used_channel_and_severity_in_its_colour() {
    let journey = example();
    let options = ExportOptions {
        scale: 2.0,
        ..ExportOptions::default()
    };
    let frame = frame_of(&journey, &options);
    let image = render(&journey, &options).unwrap();
    let mut channels = 0;
    let mut severities = 0;
    for (entry, rect) in &frame.legend {
        // Swatches and severity dots sit at the left of their slot.
        let (colour, x) = match entry {
            LegendEntry::Channel(c) => (channel_color(*c), rect.min.x + 7.0),
            LegendEntry::Severity(s) => (Theme::default().pain_color(*s), rect.min.x + 8.0 - 4.0),
            _ => continue,
        };
        let (px, py) = ((x * 2.0) as u32, (rect.center().y * 2.0) as u32);
        let got = image.pixel(px, py).unwrap().to_array();
        assert!(
            close(got, colour.to_array(), 2),
            "{entry:?} at {px},{py}: {got:?} vs {colour:?}"
        );
        match entry {
            LegendEntry::Channel(_) => channels += 1,
            _ => severities += 1,
        }
    }
    let mut used: Vec<_> = journey.cards.iter().filter_map(|c| c.channel).collect();
    used.sort_by_key(|c| c.label());
    used.dedup();
    assert_eq!(channels, used.len(), "one swatch per channel in use");
    assert_eq!(severities, 3);
}

#[test]
fn header_draws_the_title_above_the_map() {
    let journey = example();
    let options = ExportOptions::default();
    let frame = frame_of(&journey, &options);
    let header = frame.header.unwrap();
    let image = render(&journey, &options).unwrap();
    let text = Theme::default().text.to_array();
    // Somewhere in the title row there is title-coloured ink.
    let inked = (header.min.x as u32..header.max.x as u32)
        .flat_map(|x| (header.min.y as u32..(header.min.y + 36.0) as u32).map(move |y| (x, y)))
        .filter(|&(x, y)| close(image.pixel(x, y).unwrap().to_array(), text, 40))
        .count();
    assert!(inked > 100, "title ink: {inked} pixels");
    // Without the header, the same rows are the map's own.
    let bare = render(&journey, &options.map_only()).unwrap();
    assert!(bare.height < image.height);
}

#[test]
fn cli_no_header_and_no_legend_leave_the_map_alone() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| image::open(cli_export(&dir, name, extra)).unwrap();
    let full = run("full.png", &[]);
    let no_header = run("no-header.png", &["--no-header"]);
    let bare = run("bare.png", &["--no-header", "--no-legend"]);
    let journey = example();
    let expected = image_size(&journey, &ExportOptions::for_images().map_only()).unwrap();
    assert_eq!((bare.width(), bare.height()), expected);
    assert!(bare.height() < no_header.height() && no_header.height() < full.height());
    assert_eq!(
        full.width(),
        bare.width(),
        "header and legend fit the map's width"
    );
}

#[test]
fn cli_date_makes_the_export_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let export =
        |name: &str, date: &str| std::fs::read(cli_export(&dir, name, &["--date", date])).unwrap();
    let a = export("a.png", "2026-03-04");
    let b = export("b.png", "2026-03-04");
    let c = export("c.png", "2027-12-31");
    assert_eq!(a, b, "same date, same bytes");
    assert_ne!(a, c, "the date is drawn");
    let output = waymark()
        .args(["export", EXAMPLE, "-o", "x.png", "--date", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "a bad date is a usage error");
}

#[test]
fn cli_background_and_margin_reach_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        image::open(cli_export(&dir, name, extra))
            .unwrap()
            .to_rgba8()
    };
    let white = run("white.png", &[]);
    let clear = run("clear.png", &["--background", "transparent"]);
    let theme = run("theme.png", &["--background", "theme"]);
    assert_eq!(white.get_pixel(0, 0).0, [255; 4]);
    assert_eq!(clear.get_pixel(0, 0).0[3], 0, "see-through corner");
    assert_eq!(
        theme.get_pixel(0, 0).0,
        Theme::default().background.to_array(),
        "the map's paper colour"
    );
    let wide = run("wide.png", &["--margin", "100"]);
    // At the default scale of 2, a margin unit is two pixels.
    assert_eq!(
        wide.width(),
        white.width() + 2 * 2 * (100 - 24),
        "margin on both sides"
    );
    assert_eq!(wide.height(), white.height() + 2 * 2 * (100 - 24));
}

fn slide_options(size: SlideSize) -> ExportOptions {
    ExportOptions {
        target: Target::Slide(size),
        ..ExportOptions::for_images()
    }
}

/// Every step id of the map, in order.
fn step_ids(journey: &waymark::model::Journey) -> Vec<waymark::model::StepId> {
    journey.steps().map(|(_, step)| step.id).collect()
}

#[test]
fn slide_images_are_16_9_and_hold_every_step_once() {
    let dir = tempfile::tempdir().unwrap();
    for path in EXAMPLES {
        let journey = load(path);
        for size in SlideSize::ALL {
            let options = slide_options(size);
            let parts = slides(&journey, &options);
            assert!(
                parts.len() > 1 || path.contains("outpatient"),
                "{path}: too wide for one slide"
            );
            // Across the slides, every step once, in map order.
            let shown: Vec<_> = parts.iter().flat_map(|s| step_ids(&s.journey)).collect();
            assert_eq!(shown, step_ids(&journey), "{path} {size:?}");
            for slide in &parts {
                assert_eq!(image_size(&slide.journey, &options).unwrap(), size.pixels());
            }
        }
        // The images written: 1920x1080 each, numbered.
        let out = dir.path().join("deck.png");
        let options = slide_options(SlideSize::Hd);
        let written = save_images(&journey, &options, Format::Png, &out, |_| {
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(written.len(), slides(&journey, &options).len());
        let one = written.len() == 1;
        for (index, (file, size)) in written.iter().enumerate() {
            let name = if one {
                "deck.png".to_owned()
            } else {
                format!("deck-{}.png", index + 1)
            };
            assert_eq!(file, &dir.path().join(name));
            let image = image::open(file).unwrap();
            assert_eq!((image.width(), image.height()), (1920, 1080), "{path}");
            assert_eq!(*size, (1920, 1080));
        }
        assert!(
            one || !out.exists(),
            "no unnumbered image beside the numbered ones"
        );
        std::fs::remove_file(&written[0].0).unwrap();
    }
}

#[test]
fn slides_keep_card_titles_readable() {
    let theme = Theme::default();
    let title = theme.title_font(1.0).size;
    for path in EXAMPLES {
        // The examples without the rows format 2 added are wide and short:
        // the maps the split by stage is for.
        let journey = without_strategy_rows(load(path));
        for size in SlideSize::ALL {
            let options = slide_options(size);
            let min_px = 14.0 * size.pixels().1 as f32 / 1080.0;
            // The whole map on one slide would not read: the split is needed.
            let whole = ExportOptions::for_images().map_only();
            let (width, _) = image_size(&journey, &whole).unwrap();
            let whole_scale = size.pixels().0 as f32 / (width as f32 / 2.0);
            assert!(
                whole_scale * title < min_px,
                "{path}: {}",
                whole_scale * title
            );
            for slide in slides(&journey, &options) {
                // The scale is the one the image is drawn at: the picture
                // fills the slide's width or its height at it.
                let px = slide.scale * title;
                assert!(px >= min_px, "{path} {size:?}: card titles {px} px");
            }
        }
    }
}

#[test]
fn a_slide_of_a_narrow_map_is_one_image_with_the_plain_name() {
    let dir = tempfile::tempdir().unwrap();
    let journey = waymark::model::templates::Template::FourStage.build("Short");
    let options = slide_options(SlideSize::Hd);
    assert_eq!(slides(&journey, &options).len(), 1);
    let out = dir.path().join("short.svg");
    let written = save_images(&journey, &options, Format::Svg, &out, |_| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(written, vec![(out.clone(), (1920, 1080))]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.contains(r#"width="1920" height="1080""#),
        "{}",
        &svg[..200]
    );
}

#[test]
fn a_long_description_wraps_and_the_header_grows() {
    let mut journey = example();
    let options = ExportOptions::default();
    let short = frame_of(&journey, &options).header.unwrap();
    journey.description = "Why this map exists and what it is based on. ".repeat(40);
    let long = frame_of(&journey, &options).header.unwrap();
    let rows = waymark::view::measure::row_height(&Theme::default().label_font(1.0));
    assert!(
        long.height() >= short.height() + 3.0 * rows,
        "{} vs {}",
        long.height(),
        short.height()
    );
    assert!(
        (long.width() - short.width()).abs() < 0.01,
        "the header keeps the map's width"
    );
    let bigger = image_size(&journey, &options).unwrap();
    assert!(bigger.1 > image_size(&example(), &options).unwrap().1);
}

/// `journey` without goals, KPIs, rich personas and Resources lanes: only the
/// rows a map had before format 2.
fn without_strategy_rows(mut journey: waymark::model::Journey) -> waymark::model::Journey {
    use waymark::model::{LaneKind, Persona};
    for stage in &mut journey.stages {
        stage.customer_goal.clear();
        stage.business_goal.clear();
        stage.kpis.clear();
    }
    journey.personas = (journey.personas.iter())
        .map(|p| Persona::named(p.id, p.name.clone()))
        .collect();
    let resources: Vec<_> = (journey.lanes.iter())
        .filter(|l| l.kind == LaneKind::Resources)
        .map(|l| l.id)
        .collect();
    journey.lanes.retain(|l| !resources.contains(&l.id));
    journey.cards.retain(|c| !resources.contains(&c.lane));
    journey
}

/// A map too tall for titles that read on a slide at any width (an example
/// with all its format 2 rows) is split no further than helps: every slide
/// draws within 10% as large as its first stage would on a slide of its own
/// (a narrower slide has a narrower header, so not exactly as large).
#[test]
fn a_map_too_tall_to_read_is_split_no_further_than_helps() {
    let theme = Theme::default();
    let title = theme.title_font(1.0).size;
    let options = slide_options(SlideSize::Hd);
    let journey = load(EXAMPLE);
    let parts = slides(&journey, &options);
    let first_stage = |slide: &waymark::export::slides::Slide| {
        let mut alone = slide.journey.clone();
        alone.stages.truncate(1);
        let steps = step_ids(&alone);
        alone.cards.retain(|c| steps.contains(&c.step));
        alone.pain_points.clear();
        for curve in &mut alone.curves {
            curve.points.retain(|step, _| steps.contains(step));
        }
        (slides(&alone, &options).iter())
            .map(|s| s.scale)
            .fold(0.0f32, f32::max)
    };
    for slide in &parts {
        let px = slide.scale * title;
        let best = first_stage(slide);
        assert!(
            px >= 14.0 || slide.scale >= best * 0.9,
            "titles {px} px, but the first stage alone draws at {} px",
            best * title
        );
    }
}
