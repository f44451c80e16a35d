//! The command line: `waymark [FILE]`, `new`, `check`, `fmt`, `export`,
//! `import`, `install-desktop-entry` and `uninstall-desktop-entry`.
//! `fmt` and `export` refuse what `check` rejects; export scales and
//! margins are checked before any file is read. `diff` lives in `cli/diff.rs`.

mod diff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::export::{Background, ExportOptions, Format, SlideSize, Target};
use crate::io;
use crate::model::templates::Template;

/// Exit code for bad input (unreadable, malformed or invalid files).
pub const EXIT_BAD_INPUT: u8 = 1;
/// Exit code for usage errors (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

/// Waymark: a desktop editor for customer journey maps.
#[derive(Debug, Parser)]
#[command(name = "waymark", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A journey map to open in the editor.
    pub file: Option<PathBuf>,
    /// A headless command instead of the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new map from a template.
    New {
        /// Starting point.
        #[arg(long, short, value_enum, default_value = "four-stage")]
        template: Template,
        /// Map title.
        #[arg(long, default_value = crate::model::templates::DEFAULT_TITLE)]
        title: String,
        /// Where to write it (refuses to overwrite an existing file).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Validate maps; print problems; exit 1 if any is invalid. The map
    /// health findings (steps without a score, pains without an
    /// opportunity, opportunities without owner or due date, overdue items,
    /// ...) are printed too, one a line ending in the rule's id, but do not
    /// make a map invalid; a map silences rules in its `silenced` list.
    Check {
        /// Maps to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The day that decides which items are overdue, as YYYY-MM-DD
        /// (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
    },
    /// Rewrite maps in canonical form, atomically.
    Fmt {
        /// Maps to rewrite.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export a map as a PNG or SVG image, a vector PDF, a Mermaid journey,
    /// or its action plan as CSV.
    Export {
        /// The maps to export.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The file to write (`.png`, `.svg`, `.pdf`, `.mmd` or `.csv`), or
        /// an existing folder to write one `NAME.png` (or `.svg`, `.pdf`,
        /// `.mmd`, `.csv`) per map into (required with several maps).
        #[arg(short, long)]
        output: PathBuf,
        /// The format when `-o` is a folder (otherwise the file's extension).
        #[arg(long, value_enum, default_value = "png")]
        format: ExportFormat,
        /// Pixels per map unit: 1, 2, 3, 4 or fractional, from 0.1 to 8.
        #[arg(long, default_value_t = crate::export::DEFAULT_SCALE, value_parser = scale)]
        scale: f32,
        /// Fit a 16:9 slide 1920x1080 (1080) or 3840x2160 (2160) pixels
        /// instead of using --scale. A map whose card titles would be under
        /// 14 pixels high on a 1080 slide (28 on 2160) is split by stage
        /// into several slides, written as NAME-1.png, NAME-2.png, ...
        #[arg(long, value_enum, value_name = "HEIGHT", conflicts_with = "scale")]
        slide: Option<SlideSize>,
        /// For a PDF: one page the map's size (fit), or an A4 or A3
        /// landscape sheet with the map scaled to fit and centred.
        #[arg(long, value_enum, default_value = "fit", conflicts_with = "slide")]
        page: crate::export::pdf::Page,
        /// What goes behind the map.
        #[arg(long, value_enum, default_value = "white")]
        background: Background,
        /// Space around the picture, in map units, from 0 to 400.
        #[arg(long, default_value_t = 24.0, value_parser = margin)]
        margin: f32,
        /// Leave out the header (title, personas, date) above the map.
        #[arg(long)]
        no_header: bool,
        /// Leave out the legend (channels, pain severity, emotion scale).
        #[arg(long)]
        no_legend: bool,
        /// Which state of the journey to draw: today's (current), the
        /// planned one (future), or both on one map (compare).
        #[arg(long, value_enum, default_value = "current")]
        state: crate::view::states::StateView,
        /// The date in the header, as YYYY-MM-DD (default: today), so an
        /// image committed to a repository can be made again byte for byte.
        /// With --plan, the day that decides which items are overdue.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<jiff::civil::Date>,
        /// Write the action plan alone as CSV (one row per opportunity)
        /// instead of an image; `-o` names a `.csv` file or a folder.
        #[arg(long, conflicts_with_all = ["slide", "scale", "format"])]
        plan: bool,
    },
    /// Make a new map from a Mermaid `journey` diagram (`.mmd`): sections
    /// become stages, tasks steps with an action card, actors personas and
    /// scores 1..5 their emotions -2..+2; or from a CSV (`.csv`) in the map
    /// layout `waymark export` writes or a survey's (a column per step, a
    /// row per participant). Prints what was mapped and what was changed
    /// or left out.
    Import {
        /// The diagram to read.
        file: PathBuf,
        /// The map to write (refuses to overwrite an existing file).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Show what changed between two versions of a map: stages, steps,
    /// lanes, cards, scores, pain points, plan items, personas, KPIs and
    /// goals, added, removed or changed. Exits 0 when the maps are the
    /// same, 1 when they differ, 2 when a file cannot be read.
    Diff {
        /// The older version.
        old: PathBuf,
        /// The newer version.
        new: PathBuf,
        /// Also draw the new map with the changes marked (`.png` or `.svg`).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The date in the picture's header, as YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", requires = "output")]
        date: Option<jiff::civil::Date>,
        /// Pixels per map unit of the picture, from 0.1 to 8.
        #[arg(long, default_value_t = crate::export::DEFAULT_SCALE, value_parser = scale)]
        scale: f32,
    },
    /// git's external diff driver: `git config diff.waymark.command
    /// 'waymark git-diff'` and `*.journey.ron diff=waymark` in
    /// `.gitattributes`. Takes the seven arguments git passes.
    #[command(hide = true)]
    GitDiff {
        /// path old-file old-hex old-mode new-file new-hex new-mode.
        #[arg(num_args = 0.., allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Register Waymark with the desktop for this user: the menu entry, the
    /// icon and the `*.journey.ron` file type, under `$XDG_DATA_HOME`
    /// (default `~/.local/share`). For a `cargo install`ed Waymark; the
    /// Debian package installs the same files for everyone.
    InstallDesktopEntry,
    /// Remove what `install-desktop-entry` wrote.
    UninstallDesktopEntry,
}

/// What `export` writes when `-o` is a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// PNG images.
    Png,
    /// SVG images.
    Svg,
    /// Mermaid `journey` diagrams (`.mmd`).
    Mermaid,
    /// The whole map as CSV (`.csv`), a row per card, score and pain.
    Csv,
    /// Vector PDF documents, text as text (see `--page`).
    Pdf,
}

/// Parses a number within `range`, or says which numbers are accepted.
fn number_in(text: &str, range: &std::ops::RangeInclusive<f32>) -> Result<f32, String> {
    let accepted = || format!("a number from {} to {}", range.start(), range.end());
    let value: f32 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected {}", accepted()))?;
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is out of range: expected {}", accepted()))
    }
}

fn scale(text: &str) -> Result<f32, String> {
    number_in(text, &crate::export::SCALES)
}

fn margin(text: &str) -> Result<f32, String> {
    number_in(text, &crate::export::MARGINS)
}

/// Runs a headless command, printing to stdout/stderr; returns the exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::New {
            template,
            title,
            output,
        } => new(template, &title, &output),
        Command::Check { files, today } => {
            let today = today.unwrap_or_else(crate::export::today);
            each_file(&files, |file| check(file, today))
        }
        Command::Diff {
            old,
            new,
            output,
            date,
            scale,
        } => diff::run(&old, &new, output.as_deref(), (date, scale)),
        Command::GitDiff { args } => diff::git(&args),
        Command::InstallDesktopEntry => report(install_desktop_entry()),
        Command::UninstallDesktopEntry => report(uninstall_desktop_entry()),
        Command::Fmt { files } => each_file(&files, fmt),
        Command::Import { file, output } => import(&file, &output),
        Command::Export {
            files,
            output,
            format,
            scale,
            slide,
            page,
            background,
            margin,
            no_header,
            no_legend,
            state,
            date,
            plan,
        } => {
            if plan {
                let today = date.unwrap_or_else(crate::export::today);
                return export_plans(&files, &output, today);
            }
            let options = ExportOptions {
                scale,
                target: slide.map_or(Target::Natural, Target::Slide),
                background,
                margin,
                header: !no_header,
                legend: !no_legend,
                date: Some(date.unwrap_or_else(crate::export::today)),
                state,
                ..ExportOptions::default()
            };
            if files.len() > 1 && !output.is_dir() {
                eprintln!(
                    "{}: with several maps, -o must be an existing folder",
                    output.display()
                );
                return ExitCode::from(EXIT_USAGE);
            }
            each_file(&files, |file| {
                let mermaid = if output.is_dir() {
                    format == ExportFormat::Mermaid
                } else {
                    crate::interop::mermaid::is_mermaid(&output)
                };
                let csv = if output.is_dir() {
                    format == ExportFormat::Csv
                } else {
                    crate::interop::csv::is_csv(&output)
                };
                let pdf = if output.is_dir() {
                    format == ExportFormat::Pdf
                } else {
                    is_pdf(&output)
                };
                let target = match format {
                    _ if !output.is_dir() => output.clone(),
                    ExportFormat::Png => output.join(Format::Png.image_name(file)),
                    ExportFormat::Svg => output.join(Format::Svg.image_name(file)),
                    ExportFormat::Mermaid => output.join(mermaid_name(file)),
                    ExportFormat::Csv => output.join(mermaid_name(file).with_extension("csv")),
                    ExportFormat::Pdf => output.join(mermaid_name(file).with_extension("pdf")),
                };
                if csv {
                    export_csv(file, &target)
                } else if mermaid {
                    export_mermaid(file, &target)
                } else if pdf {
                    export_pdf(file, &target, &options, page)
                } else {
                    export(file, &target, &options)
                }
            })
        }
    }
}

/// Prints a command's lines, or its error; the exit code.
fn report(result: Result<Vec<String>, String>) -> ExitCode {
    match result {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn install_desktop_entry() -> Result<Vec<String>, String> {
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| format!("cannot find this program's own path: {e}"))?;
    let data_home = crate::desktop::data_home()?;
    let written = crate::desktop::install(&data_home, &exe)?;
    let mut lines: Vec<String> = written
        .iter()
        .map(|path| format!("wrote {}", path.display()))
        .collect();
    lines.extend(crate::desktop::refresh_caches(&data_home));
    Ok(lines)
}

fn uninstall_desktop_entry() -> Result<Vec<String>, String> {
    let data_home = crate::desktop::data_home()?;
    let removed = crate::desktop::uninstall(&data_home)?;
    let mut lines: Vec<String> = removed
        .iter()
        .map(|path| format!("removed {}", path.display()))
        .collect();
    if lines.is_empty() {
        lines.push(format!(
            "nothing to remove: no desktop entry under {}",
            data_home.display()
        ));
    }
    lines.extend(crate::desktop::refresh_caches(&data_home));
    Ok(lines)
}

fn each_file(files: &[PathBuf], f: impl Fn(&Path) -> Result<(), String>) -> ExitCode {
    let mut ok = true;
    for file in files {
        if let Err(message) = f(file) {
            eprintln!("{message}");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    }
}

fn new(template: Template, title: &str, output: &Path) -> ExitCode {
    if output.exists() {
        eprintln!(
            "{}: already exists; choose another name or delete it first",
            output.display()
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    match io::save(output, &template.build(title)) {
        Ok(()) => {
            println!("wrote {}", output.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn check(path: &Path, today: jiff::civil::Date) -> Result<(), String> {
    use crate::ui::count;
    // The problems are those of the file as written, before any repair.
    let (journey, migrated_from) = io::load_versioned(path).map_err(|e| e.to_string())?;
    let problems = journey.problems();
    if problems.is_empty() {
        let upgrade = migrated_from.map_or_else(String::new, |old| {
            format!(
                "; written in format {old}, `waymark fmt` upgrades it to format {}",
                crate::model::FORMAT_VERSION
            )
        });
        println!(
            "{}: ok ({}, {}, {}, {}, {}{upgrade})",
            path.display(),
            count(journey.stages.len(), "stage", "stages"),
            count(journey.step_count(), "step", "steps"),
            count(journey.lanes.len(), "lane", "lanes"),
            count(journey.cards.len(), "card", "cards"),
            count(journey.pain_points.len(), "pain point", "pain points"),
        );
        for warning in journey.health(today) {
            println!("{}: warning: {warning}", path.display());
        }
        Ok(())
    } else {
        Err(problem_lines(path, &problems))
    }
}

/// `check`'s report: one line per problem, each naming the file.
fn problem_lines(path: &Path, problems: &[crate::model::Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect();
    lines.join("\n")
}

/// Makes the repairs that lose nothing (reported on stderr), then refuses a
/// map that is still invalid with `check`'s messages: `fmt` and `export`
/// never write out or draw what `check` rejects.
fn repaired(
    path: &Path,
    mut journey: crate::model::Journey,
) -> Result<crate::model::Journey, String> {
    for repair in journey.repair() {
        eprintln!("{}: {repair}", path.display());
    }
    let problems = journey.problems();
    if problems.is_empty() {
        Ok(journey)
    } else {
        Err(problem_lines(path, &problems))
    }
}

fn fmt(path: &Path) -> Result<(), String> {
    let bytes = io::read_limited(path).map_err(|e| e.to_string())?;
    let journey = io::parse_bytes(&bytes, path).map_err(|e| e.to_string())?;
    let journey = repaired(path, journey)?;
    let text = io::to_string(&journey);
    // Leave the file (and its modification time) alone when it is already canonical.
    if bytes == text.as_bytes() {
        return Ok(());
    }
    io::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
}

fn export(file: &Path, output: &Path, options: &ExportOptions) -> Result<(), String> {
    let Some(format) = Format::of(output) else {
        return Err(format!(
            "{}: the output must be a .png, .svg, .pdf, .mmd or .csv file",
            output.display()
        ));
    };
    let journey = io::load(file).map_err(|e| e.to_string())?;
    let journey = repaired(file, journey)?;
    let going_on = |_| std::ops::ControlFlow::Continue(());
    let written = crate::export::save_images(&journey, options, format, output, going_on)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    for (path, (width, height)) in written {
        println!("wrote {} ({width}x{height})", path.display());
    }
    Ok(())
}

/// `export --plan`: one CSV per map, into `output` (a `.csv` file for one
/// map, or an existing folder for any number).
fn export_plans(files: &[PathBuf], output: &Path, today: jiff::civil::Date) -> ExitCode {
    if files.len() > 1 && !output.is_dir() {
        eprintln!(
            "{}: with several maps, -o must be an existing folder",
            output.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    each_file(files, |file| {
        let target = if output.is_dir() {
            output.join(plan_name(file))
        } else {
            output.to_path_buf()
        };
        export_plan(file, &target, today)
    })
}

/// `maps/checkout.journey.ron` -> `checkout-plan.csv`.
fn plan_name(map: &Path) -> PathBuf {
    let image = Format::Png.image_name(map);
    let stem = image.file_stem().unwrap_or_default().to_string_lossy();
    PathBuf::from(format!("{stem}-plan.csv"))
}

fn export_plan(file: &Path, output: &Path, today: jiff::civil::Date) -> Result<(), String> {
    let is_csv = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return Err(format!(
            "{}: with --plan the output must be a .csv file",
            output.display()
        ));
    }
    let journey = io::load(file).map_err(|e| e.to_string())?;
    let journey = repaired(file, journey)?;
    let bytes = crate::interop::plan_csv::plan_csv(&journey, today)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    io::write_atomic(output, &bytes).map_err(|e| e.to_string())?;
    let rows = journey.opportunities().len();
    println!(
        "wrote {} ({})",
        output.display(),
        crate::ui::count(rows, "opportunity", "opportunities")
    );
    Ok(())
}

/// Whether `path` names a PDF file.
fn is_pdf(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn export_pdf(
    file: &Path,
    output: &Path,
    options: &ExportOptions,
    page: crate::export::pdf::Page,
) -> Result<(), String> {
    let journey = io::load(file).map_err(|e| e.to_string())?;
    let journey = repaired(file, journey)?;
    let size = crate::export::pdf::save_pdf(&journey, options, page, output)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!(
        "wrote {} ({:.0}x{:.0} points, {})",
        output.display(),
        size.x,
        size.y,
        page.label()
    );
    Ok(())
}

/// `maps/checkout.journey.ron` -> `checkout.mmd`.
fn mermaid_name(map: &Path) -> PathBuf {
    Format::Png.image_name(map).with_extension("mmd")
}

fn export_mermaid(file: &Path, output: &Path) -> Result<(), String> {
    let journey = io::load(file).map_err(|e| e.to_string())?;
    let journey = repaired(file, journey)?;
    let text = crate::interop::mermaid::export(&journey);
    io::write_atomic(output, text.as_bytes()).map_err(|e| e.to_string())?;
    println!(
        "wrote {} ({})",
        output.display(),
        crate::ui::count(journey.step_count(), "task", "tasks")
    );
    Ok(())
}

fn export_csv(file: &Path, output: &Path) -> Result<(), String> {
    let journey = io::load(file).map_err(|e| e.to_string())?;
    let journey = repaired(file, journey)?;
    let text = crate::interop::csv::write_map(&journey);
    io::write_atomic(output, text.as_bytes()).map_err(|e| e.to_string())?;
    println!(
        "wrote {} ({}, {})",
        output.display(),
        crate::ui::count(journey.cards.len(), "card", "cards"),
        crate::ui::count(journey.pain_points.len(), "pain point", "pain points")
    );
    Ok(())
}

/// `import`: a Mermaid diagram or a CSV -> a new map at `output`.
fn import(file: &Path, output: &Path) -> ExitCode {
    if !crate::interop::is_importable(file) {
        eprintln!(
            "{}: import reads Mermaid journeys (.mmd or .mermaid files) and CSV (.csv)",
            file.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if output.exists() {
        eprintln!(
            "{}: already exists; choose another name or delete it first",
            output.display()
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let imported = match crate::interop::import_file(file) {
        Ok(imported) => imported,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    for warning in &imported.warnings {
        eprintln!("{}", crate::interop::mermaid::warning_line(file, warning));
    }
    match io::save(output, &imported.journey) {
        Ok(()) => {
            println!("wrote {}: {}", output.display(), imported.mapped);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
