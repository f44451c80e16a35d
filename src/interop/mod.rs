//! Maps in and out of other formats, each in its own module: the action
//! plan as CSV (`waymark export MAP --plan -o plan.csv`), Mermaid `journey`
//! diagrams (`mermaid`) and whole maps and survey scores as CSV (`csv`),
//! both directions.

pub mod csv;
pub mod mermaid;
pub mod plan_csv;

/// Whether File ▸ Import… (and a file dropped on the window) reads `path`
/// as another format, by its extension.
pub fn is_importable(path: &std::path::Path) -> bool {
    mermaid::is_mermaid(path) || csv::is_csv(path)
}

/// Reads a Mermaid or CSV file into a new map, by its extension; errors
/// name the file and line.
pub fn import_file(path: &std::path::Path) -> Result<csv::Imported, String> {
    if csv::is_csv(path) {
        return csv::read_file(path);
    }
    let imported = mermaid::read_file(path)?;
    Ok(csv::Imported {
        journey: imported.journey,
        mapped: imported.mapped,
        warnings: imported.warnings,
    })
}
