//! SVG export: well-formed XML, every card title as editable text, the
//! picture the PNG export draws (checked in headless Chromium when present).

use std::path::PathBuf;
use std::process::Command;

use waymark::export::svg::write_svg;
use waymark::export::{ExportOptions, image_size, render};
use waymark::model::Journey;

use crate::common::{EXAMPLES, load, waymark};

fn svg_of(journey: &Journey, options: &ExportOptions) -> String {
    let mut out = Vec::new();
    write_svg(journey, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The text of every `<text>` element, rows joined by spaces, whitespace
/// collapsed.
fn all_text(doc: &roxmltree::Document<'_>) -> String {
    let rows: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    rows.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn svg_is_well_formed_and_holds_every_card_title_as_text() {
    for path in EXAMPLES {
        let journey = load(path);
        // Compare draws every card, planned and removed ones too.
        let compare = ExportOptions {
            state: waymark::view::states::StateView::Compare,
            ..ExportOptions::default()
        };
        let svg = svg_of(&journey, &compare);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
        let text = all_text(&doc).replace(" …", "…");
        for card in &journey.cards {
            let title: String = card.title.split_whitespace().collect::<Vec<_>>().join(" ");
            // A title too long for its card ends in an ellipsis, as on the
            // canvas; the text up to it is still there.
            let shown = text.contains(&title)
                || (12..title.len())
                    .filter(|&end| title.is_char_boundary(end))
                    .any(|end| text.contains(&format!("{}…", title[..end].trim_end())));
            assert!(shown, "{path}: card {title:?} missing");
        }
        for stage in &journey.stages {
            assert!(text.contains(&stage.name), "{path}: stage {}", stage.name);
        }
        assert!(text.contains(&journey.title), "{path}: title in the header");
        // Text uses the app's font family, embedded for browsers.
        let texts: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .collect();
        // Icons are set in the embedded icon font.
        assert!(texts.iter().all(|t| {
            let family = t.attribute("font-family");
            family == Some(waymark::export::svg::FONT_FAMILY)
                || family == Some(waymark::export::svg::ICON_FAMILY)
        }));
        assert!(svg.contains("@font-face"));
        // Titles are semibold and body text regular, both faces embedded.
        let weight = |name: &str| {
            texts
                .iter()
                .find(|t| t.text() == Some(name))
                .and_then(|t| t.attribute("font-weight"))
        };
        assert_eq!(weight(&journey.stages[0].name), Some("600"), "{path}");
        assert_eq!(weight(&journey.lanes[0].name), Some("400"), "{path}");
        for face in [400, 600] {
            let declared = format!("font-weight: {face}; src: url(data:font/otf;base64,");
            assert_eq!(svg.matches(&declared).count(), 1, "{path}: {face}");
        }
    }
}

#[test]
fn svg_size_is_the_png_size_and_follows_the_scale() {
    let journey = load(EXAMPLES[0]);
    for scale in [1.0f32, 2.0, 3.0] {
        let options = ExportOptions {
            scale,
            ..ExportOptions::default()
        };
        let svg = svg_of(&journey, &options);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        let attr = |name| root.attribute(name).unwrap().parse::<f32>().unwrap();
        let (w, h) = image_size(&journey, &options).unwrap();
        assert!((attr("width") - w as f32).abs() <= 1.0, "scale {scale}");
        assert!((attr("height") - h as f32).abs() <= 1.0, "scale {scale}");
        let view_box: Vec<f32> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert!((view_box[2] * scale - attr("width")).abs() < 0.05);
    }
}

#[test]
fn svg_escapes_markup_in_user_text() {
    let mut journey = load(EXAMPLES[0]);
    journey.title = r#"<Tom & "Jerry's"> map"#.into();
    journey.cards[0].title = "a < b && c > d".into();
    let svg = svg_of(&journey, &ExportOptions::default());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text = all_text(&doc);
    assert!(text.contains(r#"<Tom & "Jerry's"> map"#), "{text}");
    assert!(text.contains("a < b && c > d"));
    assert_eq!(
        doc.descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text()),
        Some(r#"<Tom & "Jerry's"> map"#)
    );
}

#[test]
fn transparent_svg_has_no_background_and_white_has_one() {
    let journey = load(EXAMPLES[0]);
    let background = |svg: &str| svg.contains(r#"<rect width="100%" height="100%""#);
    assert!(background(&svg_of(&journey, &ExportOptions::default())));
    let transparent = ExportOptions {
        background: waymark::export::Background::Transparent,
        ..ExportOptions::default()
    };
    assert!(!background(&svg_of(&journey, &transparent)));
}

#[test]
fn cli_writes_svg_by_extension_and_by_format_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let output = waymark()
        .args(["export", EXAMPLES[0], "-o"])
        .arg(&out)
        .args(["--scale", "2", "--no-legend"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let svg = std::fs::read_to_string(&out).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert!(!svg.contains(">Channels<"), "--no-legend drops the legend");

    let output = waymark()
        .args(["export", EXAMPLES[0], EXAMPLES[1], "--format", "svg", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    for name in ["grocery-checkout.svg", "saas-trial.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(svg.contains(">Channels<"), "{name} has its legend");
    }
    let output = waymark()
        .args(["export", EXAMPLES[0], "-o"])
        .arg(dir.path().join("map.tiff"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // The refusal lists what is written, PDF now among them.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".svg") && stderr.contains(".pdf"),
        "{stderr}"
    );
}

/// Chromium from Debian's packages, if installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| {
            std::env::var_os("PATH")
                .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .map(move |dir| dir.join(name))
        })
        .find(|path| path.is_file())
}

/// The SVG drawn by a real browser matches the PNG export. CI installs
/// Chromium and sets `WAYMARK_REQUIRE_CHROMIUM`, so there the check always
/// runs; elsewhere it is skipped when Chromium is missing.
#[test]
fn chromium_draws_the_svg_like_the_png_export() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("WAYMARK_REQUIRE_CHROMIUM").is_none(),
            "Chromium is required here but was not found"
        );
        eprintln!("skipped: no Chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for path in EXAMPLES {
        let journey = load(path);
        let options = ExportOptions::default();
        let svg_path = dir.path().join("map.svg");
        std::fs::write(&svg_path, svg_of(&journey, &options)).unwrap();
        let png = render(&journey, &options).unwrap();
        let (w, h) = (png.width, png.height);
        let shot = dir.path().join("shot.png");
        let output = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                &format!("--user-data-dir={}", dir.path().join("profile").display()),
                &format!("--window-size={w},{h}"),
                &format!("--screenshot={}", shot.display()),
            ])
            .arg(format!("file://{}", svg_path.display()))
            .output()
            .unwrap();
        assert!(shot.exists(), "{path}: Chromium wrote nothing: {output:?}");
        let browser_image = image::open(&shot).unwrap().to_rgba8();
        assert_eq!(browser_image.dimensions(), (w, h), "{path}");
        // Compare per channel; text anti-aliasing differs a little between
        // renderers, shapes and positions must not.
        let mut total = 0u64;
        let mut far = 0u64;
        for (x, y, pixel) in browser_image.enumerate_pixels() {
            let ours = png.pixel(x, y).unwrap().to_array();
            let diff = pixel
                .0
                .iter()
                .zip(ours)
                .map(|(a, b)| u64::from(a.abs_diff(b)))
                .max()
                .unwrap_or(0);
            total += diff;
            if diff > 64 {
                far += 1;
            }
        }
        let pixels = u64::from(w) * u64::from(h);
        let mean = total as f64 / pixels as f64;
        let far_share = far as f64 / pixels as f64;
        eprintln!("{path}: mean difference {mean:.2} levels, {far_share:.4} of pixels far off");
        assert!(mean < 3.0, "{path}: mean difference {mean:.2}");
        assert!(far_share < 0.02, "{path}: {far_share:.4} of pixels far off");
    }
}

/// The header's `<text>` rows: those whose baseline is in the header's
/// area.
fn header_rows(journey: &Journey, options: &ExportOptions, svg: &str) -> Vec<String> {
    let header = waymark::export::picture_frame(journey, options)
        .header
        .unwrap()
        .expand(2.0);
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter(|n| {
            let at = |name| n.attribute(name).unwrap().parse::<f32>().unwrap();
            header.contains(egui::pos2(at("x"), at("y")))
        })
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_header_wraps_and_never_cuts_its_text() {
    for path in EXAMPLES {
        let mut journey = load(path);
        journey.title = format!("{} and a much longer subtitle that goes on", journey.title);
        journey.personas[0].name =
            "Someone with a rather long persona name, longer than a legend column".into();
        journey.description = format!(
            "{}\nA second paragraph that has its own line. {}",
            journey.description,
            "More words about the research behind the map. ".repeat(12)
        );
        for options in [
            ExportOptions::default(),
            ExportOptions {
                target: waymark::export::Target::Slide(waymark::export::SlideSize::Hd),
                ..ExportOptions::default()
            },
        ] {
            // A slide export of a split map: its first slide's header.
            let slide = waymark::export::slides(&journey, &options)
                .remove(0)
                .journey;
            let svg = svg_of(&slide, &options);
            let rows = header_rows(&slide, &options, &svg);
            assert!(rows.len() >= 5, "{path}: {rows:?}");
            for row in &rows {
                assert!(!row.contains('…'), "{path}: a cut header row {row:?}");
            }
            // The legend names the persona in full too.
            let persona = journey.personas[0].name.as_str();
            assert!(
                svg.contains(&format!(">{persona}</text>")),
                "{path}: {persona:?} in the legend"
            );
            let header = rows
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for text in [
                journey.title.as_str(),
                &journey.personas[0].name,
                &journey.description,
            ] {
                let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(header.contains(&words), "{path}: {words:?} in {header:?}");
            }
        }
    }
}

#[test]
fn a_slide_svg_is_the_slide_size() {
    let journey = load(EXAMPLES[1]);
    for size in waymark::export::SlideSize::ALL {
        let options = ExportOptions {
            target: waymark::export::Target::Slide(size),
            ..ExportOptions::default()
        };
        for slide in waymark::export::slides(&journey, &options) {
            let svg = svg_of(&slide.journey, &options);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let attr = |name| root.attribute(name).unwrap().parse::<f32>().unwrap();
            let (w, h) = size.pixels();
            assert_eq!((attr("width"), attr("height")), (w as f32, h as f32));
        }
    }
}
