//! PDF export, checked with poppler's own tools: `pdftotext` finds every
//! card title as text, `pdffonts` sees the app's fonts embedded,
//! `pdftoppm` draws the page like the PNG export, `pdfinfo` reads the
//! paper size. Without poppler these tests say how to install it and skip;
//! under `.ci/run` (`WAYMARK_REQUIRE_TOOLS`) a missing tool fails them.

use std::path::{Path, PathBuf};
use std::process::Command;

use waymark::export::pdf::{Page, save_pdf};
use waymark::export::{ExportOptions, render};
use waymark::model::Journey;
use waymark::view::states::StateView;

use crate::common::{EXAMPLE, EXAMPLES, load, repo, waymark};

/// A fixed date, so the header is the same in every export of a test.
fn options() -> ExportOptions {
    ExportOptions {
        date: Some(jiff::civil::date(2026, 12, 7)),
        ..ExportOptions::default()
    }
}

/// Whether poppler's tools are here; if not, says how to get them, or
/// fails where they are required.
fn poppler() -> bool {
    let found = ["pdftotext", "pdftoppm", "pdfinfo", "pdffonts"]
        .iter()
        .all(|tool| Command::new(tool).arg("-v").output().is_ok());
    if !found {
        assert!(
            std::env::var_os("WAYMARK_REQUIRE_TOOLS").is_none(),
            "poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts) are required here \
             but were not found"
        );
        eprintln!(
            "skipped: poppler-utils not found. Install it (Debian: \
             `apt-get install poppler-utils`; see .ci/run)"
        );
    }
    found
}

/// Runs a poppler tool; its standard output.
fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool).args(args).arg(pdf).output().unwrap();
    assert!(output.status.success(), "{tool} {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The PDF's text as `pdftotext` reads it, every run of whitespace one
/// space.
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success(), "pdftotext: {output:?}");
    normalised(&String::from_utf8_lossy(&output.stdout))
}

/// Exports `journey` to `name` in `dir`.
fn export(journey: &Journey, page: Page, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    save_pdf(journey, &options(), page, &path).unwrap();
    path
}

/// Text with every run of whitespace one space.
fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the card title is in the PDF's text: whole, cut short with an
/// ellipsis as on the canvas, or (wrapped onto rows that pdftotext reads
/// apart from each other) word by word.
fn has_title(text: &str, words: &[&str], title: &str) -> bool {
    let title = normalised(title);
    text.contains(&title)
        || (12..title.len())
            .filter(|&end| title.is_char_boundary(end))
            .any(|end| text.contains(&format!("{}…", title[..end].trim_end())))
        || title.split(' ').all(|word| words.contains(&word))
}

#[test]
fn pdftotext_finds_every_card_title_and_the_fonts_are_embedded() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Compare draws every card: today's, the planned and the removed ones.
    let compare = ExportOptions {
        state: StateView::Compare,
        ..options()
    };
    for example in EXAMPLES {
        let journey = load(example);
        let pdf = dir.path().join("map.pdf");
        save_pdf(&journey, &compare, Page::Fit, &pdf).unwrap();
        let text = pdf_text(&pdf).replace(" …", "…");
        let words: Vec<&str> = text.split(' ').collect();
        for card in &journey.cards {
            assert!(
                has_title(&text, &words, &card.title),
                "{example}: card {:?} is not in the PDF's text",
                card.title
            );
        }
        for stage in &journey.stages {
            assert!(
                text.contains(&stage.name),
                "{example}: stage {}",
                stage.name
            );
        }
        assert!(text.contains(&normalised(&journey.title)), "{example}");
        // Inter, regular and semibold, embedded (subset) and with a Unicode
        // map; no font from the machine.
        let fonts = run("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.iter().any(|r| r.contains("Inter-Regular")), "{fonts}");
        assert!(rows.iter().any(|r| r.contains("Inter-SemiBold")), "{fonts}");
        for row in rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let flags = &columns[columns.len().saturating_sub(5)..columns.len() - 2];
            assert_eq!(flags, ["yes", "yes", "yes"], "{example}: {row}");
        }
    }
}

/// Average colour of each 8-pixel square of an RGBA image, row by row
/// (alpha ignored: both images are on white), and the number of squares
/// in a row.
fn cells(image: &image::RgbaImage) -> (Vec<[f64; 3]>, usize) {
    let (w, h) = image.dimensions();
    let mut out = Vec::new();
    for cy in 0..h / CELL {
        for cx in 0..w / CELL {
            let mut sum = [0.0f64; 3];
            for y in cy * CELL..(cy + 1) * CELL {
                for x in cx * CELL..(cx + 1) * CELL {
                    let p = image.get_pixel(x, y).0;
                    for c in 0..3 {
                        sum[c] += f64::from(p[c]);
                    }
                }
            }
            out.push(sum.map(|s| s / f64::from(CELL * CELL)));
        }
    }
    (out, (w / CELL) as usize)
}

/// The side of a cell, in pixels.
const CELL: u32 = 8;
/// A tile: 4 cells high and 32 wide (32 x 256 pixels).
const TILE: (usize, usize) = (4, 32);

/// The mean difference of the cells' colours (the largest channel's), and
/// the largest mean difference of a tile of cells.
fn cell_difference(a: &image::RgbaImage, b: &image::RgbaImage) -> (f64, f64) {
    let ((ca, columns), (cb, _)) = (cells(a), cells(b));
    assert_eq!(ca.len(), cb.len());
    let diffs: Vec<f64> = ca
        .iter()
        .zip(&cb)
        .map(|(x, y)| (0..3).map(|c| (x[c] - y[c]).abs()).fold(0.0, f64::max))
        .collect();
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let rows = diffs.len() / columns;
    let mut worst = 0.0f64;
    for tile_row in 0..rows / TILE.0 {
        for tile_column in 0..columns / TILE.1 {
            let mut sum = 0.0;
            for row in tile_row * TILE.0..(tile_row + 1) * TILE.0 {
                let first = row * columns + tile_column * TILE.1;
                sum += diffs[first..first + TILE.1].iter().sum::<f64>();
            }
            worst = worst.max(sum / (TILE.0 * TILE.1) as f64);
        }
    }
    (mean, worst)
}

/// Whether two pictures of the same map agree: the cells' colours close
/// on average and in every tile. Anti-aliasing and glyph rasterising differ
/// between poppler and the rasterizer (the examples measure means of 1.2 to
/// 1.5 levels, worst tiles 8 to 12); the map shifted by a few pixels, or a
/// legend or a header line left out, does not pass (measured: worst tiles
/// of 17 and more, means of 2.3 and more per pixel of shift).
fn agree(a: &image::RgbaImage, b: &image::RgbaImage) -> Result<(), String> {
    let (mean, worst) = cell_difference(a, b);
    if mean < 2.5 && worst < 15.0 {
        Ok(())
    } else {
        Err(format!(
            "mean cell difference {mean:.2}, worst tile {worst:.2}"
        ))
    }
}

/// The same image cropped to `(w, h)` from its top left corner.
fn cropped(image: &image::RgbaImage, w: u32, h: u32) -> image::RgbaImage {
    image::imageops::crop_imm(image, 0, 0, w, h).to_image()
}

#[test]
fn pdftoppm_draws_the_page_like_the_png_export() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let journey = load(example);
        let pdf = export(&journey, Page::Fit, dir.path(), "map.pdf");
        let drawn = dir.path().join("page");
        // 72 dpi: a point is a pixel, the PNG export at scale 1.
        let args = ["-r", "72", "-png", "-singlefile", "-f", "1", "-l", "1"];
        let output = Command::new("pdftoppm")
            .args(args)
            .arg(&pdf)
            .arg(&drawn)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let page = image::open(drawn.with_extension("png")).unwrap().to_rgba8();
        let png = render(&journey, &options()).unwrap();
        let png =
            image::RgbaImage::from_raw(png.width, png.height, png.to_unmultiplied_rgba()).unwrap();
        let (pw, ph) = page.dimensions();
        let (w, h) = png.dimensions();
        assert!(
            pw.abs_diff(w) <= 2 && ph.abs_diff(h) <= 2,
            "{example}: page {pw}x{ph}, PNG {w}x{h}"
        );
        let (w, h) = (w.min(pw), h.min(ph));
        let (page, png) = (cropped(&page, w, h), cropped(&png, w, h));
        let (mean, worst) = cell_difference(&page, &png);
        eprintln!("{example}: mean cell difference {mean:.2}, worst tile {worst:.2}");
        agree(&page, &png).unwrap_or_else(|e| panic!("{example}: {e}"));
        // The comparison would see the map moved by a few points, or the
        // legend (the picture's last 70 points) missing.
        let mut shifted = image::RgbaImage::from_pixel(w, h, image::Rgba([255; 4]));
        image::imageops::overlay(&mut shifted, &png, 3, 2);
        assert!(agree(&page, &shifted).is_err(), "{example}: a shift passes");
        let mut no_legend = png.clone();
        for (_, y, pixel) in no_legend.enumerate_pixels_mut() {
            if y + 70 >= h {
                *pixel = image::Rgba([255; 4]);
            }
        }
        assert!(
            agree(&page, &no_legend).is_err(),
            "{example}: no legend passes"
        );
    }
}

/// The page size in points that `pdfinfo` reads.
fn page_size(pdf: &Path) -> (f32, f32) {
    let info = run("pdfinfo", &[], pdf);
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("{info}"));
    let numbers: Vec<f32> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a4_and_a3_pages_hold_the_whole_map_centred() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let journey = load(EXAMPLE);
    let (fit_w, fit_h) = page_size(&export(&journey, Page::Fit, dir.path(), "fit.pdf"));
    for (page, size) in [(Page::A4, (841.89, 595.28)), (Page::A3, (1190.55, 841.89))] {
        let pdf = export(&journey, page, dir.path(), "paper.pdf");
        let (w, h) = page_size(&pdf);
        assert!(
            (w - size.0).abs() < 0.1 && (h - size.1).abs() < 0.1,
            "{page:?}: {w}x{h}"
        );
        let text = pdf_text(&pdf);
        assert!(text.contains(&journey.title), "{page:?}: the text is text");
        // Drawn at 72 dpi, the picture's white background is on a white
        // page: what is not white is the map, within the 10 mm margins,
        // scaled to the width or the height the page has room for.
        let base = dir.path().join("paper");
        let output = Command::new("pdftoppm")
            .args(["-r", "72", "-png", "-singlefile"])
            .arg(&pdf)
            .arg(&base)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let image = image::open(base.with_extension("png")).unwrap().to_rgba8();
        let inked: Vec<(u32, u32)> = image
            .enumerate_pixels()
            .filter(|(_, _, p)| p.0[..3].iter().any(|&c| c < 235))
            .map(|(x, y, _)| (x, y))
            .collect();
        let left = inked.iter().map(|p| p.0).min().unwrap() as f32;
        let right = inked.iter().map(|p| p.0).max().unwrap() as f32;
        let top = inked.iter().map(|p| p.1).min().unwrap() as f32;
        let bottom = inked.iter().map(|p| p.1).max().unwrap() as f32;
        let margin = 72.0 * 10.0 / 25.4;
        assert!(
            left >= margin - 1.0 && right <= w - margin + 1.0,
            "{page:?}"
        );
        assert!(
            top >= margin - 1.0 && bottom <= h - margin + 1.0,
            "{page:?}"
        );
        let scale = ((w - 2.0 * margin) / fit_w).min((h - 2.0 * margin) / fit_h);
        let (picture_w, picture_h) = (fit_w * scale, fit_h * scale);
        // The picture is centred: its box's corners are where centring
        // puts them, and the ink lies within it.
        let (x0, y0) = ((w - picture_w) / 2.0, (h - picture_h) / 2.0);
        assert!(
            left >= x0 - 1.0 && right <= x0 + picture_w + 1.0,
            "{page:?}"
        );
        assert!(
            top >= y0 - 1.0 && bottom <= y0 + picture_h + 1.0,
            "{page:?}"
        );
        // ... and the ink fills most of it (nothing left out or shrunk).
        assert!(right - left > picture_w * 0.8, "{page:?}: {left}..{right}");
        assert!(bottom - top > picture_h * 0.8, "{page:?}: {top}..{bottom}");
    }
}

// ---- the command line ----------------------------------------------------

#[test]
fn cli_writes_pdf_by_extension_by_format_and_on_paper() {
    let dir = tempfile::tempdir().unwrap();
    let map = repo().join(EXAMPLE);
    let by_extension = dir.path().join("map.pdf");
    let output = waymark()
        .args(["export", "--date", "2026-12-07"])
        .arg(&map)
        .arg("-o")
        .arg(&by_extension)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("map.pdf") && stdout.contains("points"),
        "{stdout}"
    );
    assert!(std::fs::read(&by_extension).unwrap().starts_with(b"%PDF-"));

    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    let output = waymark()
        .args(["export", "--format", "pdf", "--page", "a4"])
        .arg(&map)
        .arg("-o")
        .arg(&folder)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let by_format = folder.join("grocery-checkout.pdf");
    assert!(std::fs::read(&by_format).unwrap().starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&output.stdout).contains("A4 landscape"));
    if poppler() {
        let (w, h) = page_size(&by_format);
        assert!((w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1);
        let (w, h) = page_size(&by_extension);
        let picture = waymark::export::picture_frame(&load(EXAMPLE), &options()).size;
        assert!((w - picture.x).abs() < 0.5 && (h - picture.y).abs() < 0.5);
    }
}

#[test]
fn cli_pdf_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let map = repo().join(EXAMPLE);
    let unwritable = dir.path().join("no-such-folder").join("map.pdf");
    let output = waymark()
        .arg("export")
        .arg(&map)
        .arg("-o")
        .arg(&unwritable)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&unwritable.display().to_string()),
        "{stderr}"
    );
    assert!(!unwritable.exists());
    // --page belongs to a PDF: a slide is not a page.
    let output = waymark()
        .args(["export", "--page", "a4", "--slide", "1080"])
        .arg(&map)
        .arg("-o")
        .arg(dir.path().join("map.pdf"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}
