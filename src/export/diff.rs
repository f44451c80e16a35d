//! `waymark diff OLD NEW -o OUT.png|OUT.svg`: the new map exported with
//! the visual diff drawn over it and a "Changes" group in its legend,
//! through the same scene, bands and SVG writer as any export.

use std::path::Path;

use crate::export::options::{Geometry, save_atomically};
use crate::export::{ExportError, ExportOptions, Format};
use crate::model::Journey;
use crate::view::scene::DiffOverlay;

/// Writes `new` with `overlay` drawn over it as a PNG or SVG (by the
/// extension of `path`), atomically. Returns the image size in pixels.
pub fn save_diff_image(
    new: &Journey,
    overlay: DiffOverlay,
    options: &ExportOptions,
    format: Format,
    path: &Path,
) -> Result<(u32, u32), ExportError> {
    let mut geometry = Geometry::new(new, options);
    if options.legend {
        geometry.frame = geometry.frame.with_diff_legend(new, options.margin);
    }
    geometry.diff = Some(overlay);
    match format {
        Format::Png => {
            let going_on = |_| std::ops::ControlFlow::Continue(());
            crate::export::save_png_of(new, &geometry, options, path, going_on)
        }
        Format::Svg => save_atomically(path, |file| {
            let (width, height) = crate::export::svg::write_svg_of(new, &geometry, options, file)?;
            Ok((width.round() as u32, height.round() as u32))
        }),
    }
}
