//! What the Export dialog can write: the image formats, a PDF and the
//! foreign formats of `interop`, each with its file extension.

use std::path::Path;

use crate::export::Format;

/// A kind of file the Export dialog writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// A bitmap at the chosen scale.
    Png,
    /// Vector shapes and editable text.
    Svg,
    /// A vector PDF, text as text, on the chosen page.
    Pdf,
    /// A Mermaid `journey` diagram: steps, scores and personas, the rest in
    /// comments Mermaid ignores.
    Mermaid,
    /// The whole map as CSV for spreadsheets: a row per card, score and
    /// pain ([`crate::interop::csv::write_map`]).
    Csv,
}

impl ExportKind {
    /// Every kind, in the order the dialog offers them.
    pub const ALL: [Self; 5] = [Self::Png, Self::Svg, Self::Pdf, Self::Mermaid, Self::Csv];

    /// The image format, for the kinds the image export writes.
    pub fn image(self) -> Option<Format> {
        match self {
            Self::Png => Some(Format::Png),
            Self::Svg => Some(Format::Svg),
            Self::Pdf | Self::Mermaid | Self::Csv => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
            Self::Pdf => "pdf",
            Self::Mermaid => "mmd",
            Self::Csv => "csv",
        }
    }

    /// The dialog's name for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Png => "PNG image",
            Self::Svg => "SVG (vector)",
            Self::Pdf => "PDF (vector)",
            Self::Mermaid => "Mermaid",
            Self::Csv => "CSV",
        }
    }

    /// What the dialog's hover text says about it.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Png => "A picture for slides and documents, sharp at the chosen scale",
            Self::Svg => "Vector shapes and editable text, for Figma, Keynote or a browser",
            Self::Pdf => {
                "A vector PDF with selectable, searchable text and the fonts embedded, \
                 on one page the map's size or on A4 or A3 paper"
            }
            Self::Mermaid => {
                "A Mermaid journey diagram (.mmd) for docs in a repository; \
                 Waymark reads it back whole"
            }
            Self::Csv => {
                "The whole map as a table for spreadsheets: a row per card, score and pain; \
                 File ▸ Import reads it back"
            }
        }
    }

    /// The name of the system file chooser's filter.
    pub fn filter_name(self) -> &'static str {
        match self {
            Self::Png => "PNG image",
            Self::Svg => "SVG image",
            Self::Pdf => "PDF document",
            Self::Mermaid => "Mermaid diagram",
            Self::Csv => "CSV table",
        }
    }

    /// The kind a file name asks for, by its extension.
    pub fn of(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|kind| kind.extension() == extension)
    }

    /// The file name for a map: `maps/checkout.journey.ron` ->
    /// `checkout.pdf` (or the kind's extension).
    pub fn file_name(self, map: &Path) -> std::path::PathBuf {
        Format::Png.image_name(map).with_extension(self.extension())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_found_by_its_extension() {
        for kind in ExportKind::ALL {
            let name = kind.file_name(Path::new("maps/checkout.journey.ron"));
            assert_eq!(name, Path::new(&format!("checkout.{}", kind.extension())));
            assert_eq!(ExportKind::of(&name), Some(kind));
        }
        assert_eq!(ExportKind::of(Path::new("A.PDF")), Some(ExportKind::Pdf));
        assert_eq!(ExportKind::of(Path::new("map.v2")), None);
    }
}
