//! Export the whole map as SVG: the same shapes the canvas and the PNG
//! export draw (see [`crate::view::scene::build_export`]), written as vector
//! elements instead of being rasterized.
//!
//! Text stays text: every row of a laid-out galley becomes one `<text>`
//! element in the app's font family (Inter, regular or semibold as the
//! galley's family says), so a designer can edit it in Figma or Keynote.
//! Both faces are embedded whole with `@font-face`, so a browser draws the
//! same glyphs without them installed; icons are text in the icon font
//! (its bundled subset, 8 KB, embedded the same way).
//! Coordinates are map units (points); `width` and `height` are the pixel
//! size at the chosen scale, so the SVG opens at the size the PNG would have.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use egui::epaint::{CircleShape, ColorMode, Mesh, PathShape, RectShape, StrokeKind, TextShape};
use egui::{Color32, FontFamily, Pos2, Rect, Shape, Stroke, TextureId};

use crate::export::{ExportError, ExportOptions, Geometry, Headless, check_options, format_date};
use crate::model::Journey;
use crate::view::icons::{ICON_FONT, icon_family};
use crate::view::photo;
use crate::view::scene;
use crate::view::theme::{REGULAR_FACE, SEMIBOLD_FACE, font_definitions, semibold};

/// The font family every text element names, with a generic fallback.
pub const FONT_FAMILY: &str = "Inter, sans-serif";
/// The family name the embedded faces are declared under.
const EMBEDDED_FAMILY: &str = "Inter";
/// The font family of icons (the embedded icon font).
pub const ICON_FAMILY: &str = "WaymarkIcons";
/// CSS weights of the bundled faces.
const REGULAR_WEIGHT: u16 = 400;
const SEMIBOLD_WEIGHT: u16 = 600;
/// The faces to embed: key in the font definitions, CSS weight.
const EMBEDDED_FACES: [(&str, u16); 2] = [
    (REGULAR_FACE, REGULAR_WEIGHT),
    (SEMIBOLD_FACE, SEMIBOLD_WEIGHT),
];

/// The CSS weight of text laid out in `family`: titles are semibold.
fn font_weight(family: &FontFamily) -> u16 {
    if *family == semibold() {
        SEMIBOLD_WEIGHT
    } else {
        REGULAR_WEIGHT
    }
}

/// Writes the map as an SVG document into `out`. Returns the nominal size in
/// pixels (the map's size in points times the scale).
pub fn write_svg(
    journey: &Journey,
    options: &ExportOptions,
    out: impl Write,
) -> Result<(f32, f32), ExportError> {
    write_svg_of(journey, &Geometry::new(journey, options), options, out)
}

/// [`write_svg`] with the geometry worked out.
pub(crate) fn write_svg_of(
    journey: &Journey,
    geometry: &Geometry,
    options: &ExportOptions,
    out: impl Write,
) -> Result<(f32, f32), ExportError> {
    // No pixel limit: a vector picture of any map size is fine.
    check_options(options)?;
    let Geometry {
        theme,
        layout,
        frame,
        scale,
        diff,
        ..
    } = geometry;
    let scale = *scale;
    let date = options.date.map(format_date);
    let whole = Rect::from_min_size(Pos2::ZERO, frame.size);
    let shapes = Headless::new(1.0).shapes(1.0, |fonts| {
        let at = (whole, date.as_deref());
        scene::build_export_with(journey, layout, frame, theme, fonts, at, diff.as_ref())
    });
    let mut svg = Svg::new(out);
    svg.photos = photo_urls(journey);
    let (width, height) = (frame.size.x * scale, frame.size.y * scale);
    svg.line(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}">"#,
        num(width),
        num(height),
        num(frame.size.x),
        num(frame.size.y)
    ));
    svg.line(&format!("<title>{}</title>", escape(&journey.title)));
    svg.font_face();
    if let Some(color) = options.background.color(theme) {
        svg.line(&format!(
            r#"<rect width="100%" height="100%"{}/>"#,
            paint("fill", color)
        ));
    }
    for shape in &shapes {
        svg.shape(shape);
    }
    svg.line("</svg>");
    svg.finish()?;
    Ok((width, height))
}

/// Writes the SVG to a file atomically (temp file beside it, then rename).
pub fn save_svg(
    journey: &Journey,
    options: &ExportOptions,
    path: &Path,
) -> Result<(f32, f32), ExportError> {
    crate::export::save_atomically(path, |file| write_svg(journey, options, file))
}

/// An SVG being written; the first write error is kept and reported at the end.
struct Svg<W: Write> {
    out: W,
    buf: String,
    error: Option<std::io::Error>,
    /// The personas' photos as data URLs, by the texture id the scene
    /// draws them under.
    photos: HashMap<TextureId, String>,
    /// Clip paths written so far, for unique ids.
    clips: usize,
}

impl<W: Write> Svg<W> {
    fn new(out: W) -> Self {
        Self {
            out,
            buf: String::new(),
            error: None,
            photos: HashMap::new(),
            clips: 0,
        }
    }

    fn line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
        if self.buf.len() > 64 * 1024 {
            self.flush_buf();
        }
    }

    fn flush_buf(&mut self) {
        if self.error.is_none()
            && let Err(err) = self.out.write_all(self.buf.as_bytes())
        {
            self.error = Some(err);
        }
        self.buf.clear();
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.flush_buf();
        if self.error.is_none()
            && let Err(err) = self.out.flush()
        {
            self.error = Some(err);
        }
        match self.error {
            Some(source) => Err(ExportError::Io { path: None, source }),
            None => Ok(()),
        }
    }

    /// Embeds the app's faces (OpenType with CFF outlines) so browsers
    /// draw the same glyphs.
    fn font_face(&mut self) {
        let fonts = font_definitions();
        let mut style = String::from("<style>");
        for (key, weight) in EMBEDDED_FACES {
            let Some(data) = fonts.font_data.get(key) else {
                continue;
            };
            let encoded = base64::engine::general_purpose::STANDARD.encode(data.bytes());
            let _ = write!(
                style,
                "@font-face {{ font-family: {EMBEDDED_FAMILY}; font-weight: {weight}; \
                 src: url(data:font/otf;base64,{encoded}) format('opentype'); }}"
            );
        }
        let icons = base64::engine::general_purpose::STANDARD.encode(ICON_FONT);
        let _ = write!(
            style,
            "@font-face {{ font-family: {ICON_FAMILY}; \
             src: url(data:font/ttf;base64,{icons}) format('truetype'); }}"
        );
        style.push_str("</style>");
        self.line(&style);
    }

    fn shape(&mut self, shape: &Shape) {
        match shape {
            Shape::Vec(shapes) => shapes.iter().for_each(|s| self.shape(s)),
            Shape::Rect(rect) => self.rect(rect),
            Shape::LineSegment { points, stroke } => {
                let [a, b] = points;
                let line = format!(
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{}/>"#,
                    num(a.x),
                    num(a.y),
                    num(b.x),
                    num(b.y),
                    stroke_attrs(*stroke)
                );
                self.line(&line);
            }
            Shape::Path(path) => self.path(path),
            Shape::Circle(circle) => self.circle(circle),
            Shape::Text(text) => self.text(text),
            Shape::Mesh(mesh) => self.photo(mesh),
            // The scene draws none of these.
            _ => {}
        }
    }

    fn rect(&mut self, shape: &RectShape) {
        let radius = f32::from(shape.corner_radius.nw);
        if shape.fill.a() > 0 {
            self.line(&format!(
                "<rect{}{}/>",
                rect_attrs(shape.rect, radius),
                paint("fill", shape.fill)
            ));
        }
        if shape.stroke.width > 0.0 && shape.stroke.color.a() > 0 {
            // egui strokes inside, outside or centred on the edge; SVG only
            // centred, so move the edge by half the width.
            let half = shape.stroke.width / 2.0;
            let (rect, radius) = match shape.stroke_kind {
                StrokeKind::Inside => (shape.rect.shrink(half), (radius - half).max(0.0)),
                StrokeKind::Middle => (shape.rect, radius),
                StrokeKind::Outside => (shape.rect.expand(half), radius + half),
            };
            self.line(&format!(
                r#"<rect{} fill="none"{}/>"#,
                rect_attrs(rect, radius),
                stroke_attrs(shape.stroke)
            ));
        }
    }

    fn path(&mut self, path: &PathShape) {
        if path.points.len() < 2 {
            return;
        }
        let mut points = String::new();
        for p in &path.points {
            let _ = write!(points, "{},{} ", num(p.x), num(p.y));
        }
        let color = match path.stroke.color {
            ColorMode::Solid(color) => color,
            ColorMode::UV(_) => Color32::TRANSPARENT,
        };
        let element = if path.closed { "polygon" } else { "polyline" };
        let fill = if path.closed && path.fill.a() > 0 {
            paint("fill", path.fill)
        } else {
            r#" fill="none""#.to_owned()
        };
        let line = format!(
            r#"<{element} points="{}"{fill}{} stroke-linejoin="round" stroke-linecap="round"/>"#,
            points.trim_end(),
            stroke_attrs(Stroke::new(path.stroke.width, color))
        );
        self.line(&line);
    }

    fn circle(&mut self, circle: &CircleShape) {
        let fill = if circle.fill.a() > 0 {
            paint("fill", circle.fill)
        } else {
            r#" fill="none""#.to_owned()
        };
        let line = format!(
            r#"<circle cx="{}" cy="{}" r="{}"{fill}{}/>"#,
            num(circle.center.x),
            num(circle.center.y),
            num(circle.radius),
            stroke_attrs(circle.stroke)
        );
        self.line(&line);
    }

    /// A persona's photo on its disc (the only mesh the scene draws): the
    /// photo's own bytes as an `<image>` covering the disc's box, its
    /// centre square showing, clipped to the circle. The disc's fan of
    /// triangles becomes a true circle.
    fn photo(&mut self, mesh: &Mesh) {
        let Some(url) = self.photos.get(&mesh.texture_id) else {
            return;
        };
        let bounds = mesh.calc_bounds();
        if !bounds.is_positive() {
            return;
        }
        let (centre, radius) = (bounds.center(), bounds.width().min(bounds.height()) / 2.0);
        let id = format!("photo{}", self.clips);
        self.clips += 1;
        let line = format!(
            r#"<clipPath id="{id}"><circle cx="{}" cy="{}" r="{}"/></clipPath><image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="xMidYMid slice" clip-path="url(#{id})" href="{url}"/>"#,
            num(centre.x),
            num(centre.y),
            num(radius),
            num(centre.x - radius),
            num(centre.y - radius),
            num(radius * 2.0),
            num(radius * 2.0),
        );
        self.line(&line);
    }

    /// One `<text>` per row, on the row's baseline, at the galley's size.
    fn text(&mut self, shape: &TextShape) {
        let galley = &shape.galley;
        let Some(format) = galley.job.sections.first().map(|s| &s.format) else {
            return;
        };
        let color = shape
            .override_text_color
            .unwrap_or(if format.color == Color32::PLACEHOLDER {
                shape.fallback_color
            } else {
                format.color
            })
            .gamma_multiply(shape.opacity_factor);
        for placed in &galley.rows {
            let Some(first) = placed.row.glyphs.first() else {
                continue;
            };
            let text: String = placed.row.glyphs.iter().map(|g| g.chr).collect();
            if text.trim().is_empty() {
                continue;
            }
            let x = shape.pos.x + placed.pos.x + first.pos.x;
            let y = shape.pos.y + placed.pos.y + first.pos.y;
            let family = if format.font_id.family == icon_family() {
                ICON_FAMILY
            } else {
                FONT_FAMILY
            };
            let line = format!(
                r#"<text x="{}" y="{}" font-family="{family}" font-weight="{}" font-size="{}"{} xml:space="preserve">{}</text>"#,
                num(x),
                num(y),
                font_weight(&format.font_id.family),
                num(format.font_id.size),
                paint("fill", color),
                escape(&text)
            );
            self.line(&line);
        }
    }
}

/// The photos that decode (others are drawn as initials) as data URLs of
/// their own bytes, by texture id.
fn photo_urls(journey: &Journey) -> HashMap<TextureId, String> {
    (journey.personas.iter())
        .filter(|p| photo::picture(p).is_some())
        .filter_map(|p| {
            let stored = p.photo.as_ref()?;
            let mime = photo::mime_type(&stored.bytes())?;
            let url = format!("data:{mime};base64,{}", stored.base64());
            Some((photo::texture_id(p.id), url))
        })
        .collect()
}

/// A number with at most two decimals and no trailing zeros.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn rect_attrs(rect: Rect, radius: f32) -> String {
    let mut attrs = format!(
        r#" x="{}" y="{}" width="{}" height="{}""#,
        num(rect.min.x),
        num(rect.min.y),
        num(rect.width().max(0.0)),
        num(rect.height().max(0.0))
    );
    if radius > 0.0 {
        let _ = write!(attrs, r#" rx="{}""#, num(radius));
    }
    attrs
}

/// ` fill="#rrggbb"` (or `stroke`), with an opacity when translucent. egui's
/// colours are premultiplied; SVG's are not.
fn paint(attribute: &str, color: Color32) -> String {
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    let mut out = format!(r##" {attribute}="#{r:02x}{g:02x}{b:02x}""##);
    if a < 255 {
        let _ = write!(
            out,
            r#" {attribute}-opacity="{}""#,
            num(f32::from(a) / 255.0)
        );
    }
    out
}

fn stroke_attrs(stroke: Stroke) -> String {
    if stroke.width <= 0.0 || stroke.color.a() == 0 {
        return String::new();
    }
    format!(
        r#"{} stroke-width="{}""#,
        paint("stroke", stroke.color),
        num(stroke.width)
    )
}

/// Text as XML character data or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters, even escaped.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_becomes_an_image_clipped_to_a_circle() {
        use crate::model::{Persona, PersonaId, Photo, templates::Template};
        let mut journey = Template::Blank.build("Photos");
        let mut ana = Persona::named(PersonaId(7), "Ana Lima");
        let png = crate::view::photo::tests::solid_png(8, 8, [255, 0, 0]);
        ana.photo = Some(Photo::from_bytes(&png));
        let mut bo = Persona::named(PersonaId(8), "Bo");
        bo.photo = Some(Photo::from_bytes(b"not an image"));
        journey.personas = vec![ana.clone(), bo.clone()];
        let mut out = Vec::new();
        let mut svg = Svg::new(&mut out);
        svg.photos = photo_urls(&journey);
        assert_eq!(
            svg.photos.len(),
            1,
            "a photo that does not decode is left out"
        );
        let rect = Rect::from_min_size(Pos2::new(10.0, 20.0), egui::vec2(40.0, 40.0));
        for persona in [&ana, &bo] {
            let shapes = Headless::new(1.0).shapes(1.0, |fonts| {
                scene::avatar_shapes(
                    persona,
                    rect,
                    Color32::BLUE,
                    fonts,
                    egui::emath::TSTransform::IDENTITY,
                )
            });
            for shape in &shapes {
                svg.shape(shape);
            }
        }
        assert!(svg.finish().is_ok());
        let text = String::from_utf8(out).unwrap_or_default();
        let base64 = ana.photo.as_ref().map(Photo::base64).unwrap_or_default();
        assert_eq!(text.matches("<image ").count(), 1, "{text}");
        assert!(text.contains(&format!(r#"href="data:image/png;base64,{base64}""#)));
        assert!(text.contains(r#"<clipPath id="photo0"><circle cx="30" cy="40" r="20"/>"#));
        assert!(text.contains(r#"clip-path="url(#photo0)""#));
        // Bo's avatar: his initial, as text.
        assert!(text.contains(">B</text>"), "{text}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(2.126), "2.13");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
    }

    #[test]
    fn translucent_colours_are_unmultiplied() {
        let half_red = Color32::from_rgba_unmultiplied(255, 0, 0, 128);
        assert_eq!(
            paint("fill", half_red),
            r##" fill="#ff0000" fill-opacity="0.5""##
        );
        assert_eq!(paint("fill", Color32::WHITE), r##" fill="#ffffff""##);
    }
}
