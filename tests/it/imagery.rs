//! The imagery of format 2 in exports and the app: channel icons, evidence
//! badges, the assumption filter, persona photos.

use egui::Color32;
use egui_kittest::kittest::Queryable as _;
use waymark::export::raster::Pixmap;
use waymark::export::svg::{FONT_FAMILY, ICON_FAMILY, write_svg};
use waymark::export::{ExportOptions, render};
use waymark::model::templates::Template;
use waymark::model::{
    Card, CardId, Channel, Confidence, Evidence, Journey, LaneKind, Persona, PersonaId, Photo,
    Source,
};
use waymark::ui::app::StartOptions;
use waymark::view::icons::{channel_icon, confidence_icon, source_icon};
use waymark::view::scene::AssumptionFilter;
use waymark::view::theme::channel_color;

use crate::common::{self, EXAMPLE, press};

/// A card of a test map: title, channel, evidence.
type CardSpec<'a> = (&'a str, Option<Channel>, Option<(Source, Confidence)>);

/// A four-stage map with `cards` in its touchpoints lane, one per step.
fn map(cards: &[CardSpec<'_>]) -> Journey {
    let mut journey = Template::FourStage.build("Imagery");
    let lane = (journey.lanes.iter())
        .find(|l| l.kind == LaneKind::Touchpoints)
        .map(|l| l.id)
        .unwrap();
    let steps: Vec<_> = (journey.stages.iter())
        .flat_map(|s| &s.steps)
        .map(|s| s.id)
        .collect();
    for (i, (title, channel, evidence)) in cards.iter().enumerate() {
        let mut card = Card::new(CardId(500 + i as u64), steps[i], lane, *title);
        card.channel = *channel;
        card.evidence = evidence.map(|(source, confidence)| Evidence {
            source,
            confidence,
            quote: String::new(),
            link: String::new(),
        });
        journey.cards.push(card);
    }
    journey
}

/// Export options with neither header nor legend: only the map draws.
fn bare(scale: f32) -> ExportOptions {
    ExportOptions {
        scale,
        header: false,
        legend: false,
        ..ExportOptions::default()
    }
}

fn svg_of(journey: &Journey, options: &ExportOptions) -> String {
    let mut out = Vec::new();
    write_svg(journey, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// `(x, y, size)` of every `<text>` in `family` that reads `text`.
fn texts(svg: &str, family: &str, text: &str) -> Vec<(f32, f32, f32)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let number = |n: roxmltree::Node<'_, '_>, a: &str| {
        n.attribute(a).and_then(|v| v.parse::<f32>().ok()).unwrap()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some(text))
        .filter(|n| n.attribute("font-family") == Some(family))
        .map(|n| (number(n, "x"), number(n, "y"), number(n, "font-size")))
        .collect()
}

/// Pixels of `pixmap` in the box (points, at `scale`) within `tolerance`
/// of `color` on every channel.
fn pixels_near(
    pixmap: &Pixmap,
    scale: f32,
    (x0, y0, x1, y1): (f32, f32, f32, f32),
    color: Color32,
) -> usize {
    let px = |v: f32| (v * scale).round().max(0.0) as u32;
    let mut count = 0;
    for y in px(y0)..px(y1) {
        for x in px(x0)..px(x1) {
            let near = pixmap.pixel(x, y).is_some_and(|p| {
                (p.to_array().iter().zip(color.to_array())).all(|(a, b)| a.abs_diff(b) < 40)
            });
            count += usize::from(near);
        }
    }
    count
}

#[test]
fn a_touchpoint_cards_icon_is_in_the_svg_and_drawn_in_the_png() {
    let journey = map(&[("Order online", Some(Channel::Web), None)]);
    let svg = svg_of(&journey, &bare(2.0));
    // The title stays plain text in the text font; the icon is a glyph of
    // the embedded icon font.
    assert_eq!(texts(&svg, FONT_FAMILY, "Order online").len(), 1, "{svg}");
    assert_eq!(texts(&svg, FONT_FAMILY, "Web").len(), 1);
    let icons = texts(&svg, ICON_FAMILY, channel_icon(Channel::Web));
    assert_eq!(icons.len(), 1, "{svg}");
    assert!(svg.contains("font-family: WaymarkIcons; src: url(data:font/ttf;base64,"));

    // In the PNG, the icon's box holds the channel's colour: the glyph
    // drawn, not a blank or a box of another font.
    let (x, y, size) = icons[0];
    let pixmap = render(&journey, &bare(2.0)).unwrap();
    let blue = channel_color(Channel::Web);
    let inked = pixels_near(&pixmap, 2.0, (x, y - size, x + size, y + size * 0.3), blue);
    assert!(inked > 40, "{inked} icon pixels");
    // The same box on a card without a channel has none of it.
    let plain = map(&[("Order online", None, None)]);
    let pixmap = render(&plain, &bare(2.0)).unwrap();
    let bare_box = pixels_near(&pixmap, 2.0, (x, y - size, x + size, y + size * 0.3), blue);
    assert_eq!(bare_box, 0);
}

#[test]
fn evidence_badges_are_on_cards_with_evidence_only() {
    let journey = map(&[
        (
            "Asked in a survey",
            None,
            Some((Source::Survey, Confidence::SomeEvidence)),
        ),
        ("No research", None, None),
    ]);
    let svg = svg_of(&journey, &bare(1.0));
    let source = texts(&svg, ICON_FAMILY, source_icon(Source::Survey));
    let mark = texts(&svg, ICON_FAMILY, confidence_icon(Confidence::SomeEvidence));
    assert_eq!((source.len(), mark.len()), (1, 1), "{svg}");
    // The badge sits on the first card: left of the second card's title.
    let other = texts(&svg, FONT_FAMILY, "No research");
    assert!(source[0].0 < other[0].0 && mark[0].0 < other[0].0);
    for confidence in [Confidence::Validated, Confidence::Assumption] {
        assert!(texts(&svg, ICON_FAMILY, confidence_icon(confidence)).is_empty());
    }

    let none = map(&[("No research", None, None), ("Nor here", None, None)]);
    let svg = svg_of(&none, &ExportOptions::default());
    for source in Source::ALL {
        assert!(texts(&svg, ICON_FAMILY, source_icon(source)).is_empty());
    }
    assert!(
        !svg.contains(">Confidence<"),
        "no legend group without evidence"
    );

    // The legend names the confidences in use, each with its mark.
    let svg = svg_of(&journey, &ExportOptions::default());
    assert!(svg.contains(">Confidence</text>") && svg.contains(">Some evidence</text>"));
    assert_eq!(
        texts(&svg, ICON_FAMILY, confidence_icon(Confidence::SomeEvidence)).len(),
        2
    );
}

#[test]
fn the_view_menu_sets_the_assumption_filter() {
    let mut h = common::harness(StartOptions {
        file: Some(EXAMPLE.into()),
        ..StartOptions::default()
    });
    assert_eq!(h.state().view.assumptions, AssumptionFilter::Off);
    for (label, filter) in [
        ("Highlight assumptions", AssumptionFilter::Highlight),
        ("Dim assumptions", AssumptionFilter::Dim),
        ("Show all cards alike", AssumptionFilter::Off),
    ] {
        h.get_by_label("View").click();
        h.run();
        h.get_by_label("Assumptions").click();
        h.run();
        // A button's label ends with its shortcut, if it has one.
        h.get_by_label_contains(label).click();
        h.run();
        assert_eq!(h.state().view.assumptions, filter, "{label}");
    }
    // The shortcut highlights, and again turns the filter off; the map
    // (and its undo history) is untouched.
    let before = common::journey(&h);
    let modifiers = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
    press(&mut h, modifiers, egui::Key::A);
    assert_eq!(h.state().view.assumptions, AssumptionFilter::Highlight);
    press(&mut h, modifiers, egui::Key::A);
    assert_eq!(h.state().view.assumptions, AssumptionFilter::Off);
    assert_eq!(common::journey(&h), before);
    assert!(!h.state().doc.is_dirty());
}

/// A map whose persona has `photo` as its photo.
fn with_photo(photo: &[u8]) -> Journey {
    let mut journey = map(&[("Order online", Some(Channel::Web), None)]);
    let mut persona = Persona::named(PersonaId(77), "Ana Lima");
    persona.photo = Some(Photo::from_bytes(photo));
    journey.personas = vec![persona];
    journey
}

/// A PNG 24 pixels square of one colour.
fn solid_png(rgb: [u8; 3]) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(24, 24, image::Rgb(rgb));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn a_persona_photo_is_in_the_png_and_an_image_in_the_svg() {
    let journey = with_photo(&solid_png([10, 160, 90]));
    let options = ExportOptions::default();
    let svg = svg_of(&journey, &options);
    assert_eq!(svg.matches("<image ").count(), 1, "{svg}");
    assert!(svg.contains("href=\"data:image/png;base64,"));
    // The centre of the clip circle, in the PNG, is the photo's colour.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let circle = (doc.descendants())
        .find(|n| {
            n.has_tag_name("circle") && n.parent().is_some_and(|p| p.has_tag_name("clipPath"))
        })
        .unwrap();
    let at = |a: &str| {
        circle
            .attribute(a)
            .and_then(|v| v.parse::<f32>().ok())
            .unwrap()
    };
    let (cx, cy) = (at("cx"), at("cy"));
    let pixmap = render(&journey, &options).unwrap();
    let pixel = pixmap.pixel(cx.round() as u32, cy.round() as u32).unwrap();
    assert_eq!(pixel, Color32::from_rgb(10, 160, 90));
}

#[test]
fn a_photo_that_is_not_an_image_exports_with_no_image() {
    let journey = with_photo(b"<html>this is not a photo</html>");
    let options = ExportOptions::default();
    let svg = svg_of(&journey, &options);
    assert!(!svg.contains("<image "));
    assert!(render(&journey, &options).is_ok());
}
