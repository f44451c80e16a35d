//! Helpers shared by the integration tests: the binary, the examples and
//! fixtures, hand-edited variants of canonical text, and the real app driven
//! with `egui_kittest`.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui::{Key, Modifiers, TexturesDelta};
use egui_kittest::kittest::Queryable as _;
use egui_kittest::{Harness, TestRenderer};
use waymark::export::raster::{Pixmap, TextureStore, rasterize};
use waymark::model::Journey;
use waymark::ui::app::{StartOptions, WaymarkApp};

/// The example map most tests start from.
pub const EXAMPLE: &str = "examples/grocery-checkout.journey.ron";
/// Every example map.
pub const EXAMPLES: [&str; 3] = [
    EXAMPLE,
    "examples/saas-trial.journey.ron",
    "examples/outpatient-visit.journey.ron",
];
/// Frames per second of simulated time (the harness's step): real frame
/// times, so double-clicks count as such and autosave delays can be stepped.
pub const FPS: usize = 60;

/// The `waymark` binary built for these tests.
pub fn waymark() -> Command {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
}

/// Every `*.journey.ron` in `examples/`, sorted.
pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".journey.ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    files
}

/// The example map at `path` (relative to the repository), loaded.
pub fn load(path: &str) -> Journey {
    waymark::io::load(&repo().join(path)).unwrap()
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The repository's root folder.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The same journey laid out by hand: one line, no indentation, a comment.
pub fn on_one_line(canonical: &str) -> String {
    let body: Vec<&str> = canonical.lines().map(str::trim).collect();
    format!("// edited by hand\n{}", body.join(" "))
}

/// The canonical text with every indent doubled: the same map in different
/// bytes of about the same length, so an old file and `fmt`'s output can be
/// told apart at any point of a rewrite.
pub fn indents_doubled(canonical: &str) -> String {
    let mut out = String::with_capacity(canonical.len() * 3 / 2);
    for line in canonical.lines() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        out.extend(std::iter::repeat_n(' ', indent * 2));
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The app in a 1600x1000 window, started with `options` (never with native
/// file dialogs), after its first frames.
pub fn harness(options: StartOptions) -> Harness<'static, WaymarkApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_step_dt(1.0 / FPS as f32)
        .build_eframe(move |cc| {
            WaymarkApp::new(
                cc,
                StartOptions {
                    no_native_dialogs: true,
                    ..options
                },
            )
        });
    harness.run_steps(4);
    harness
}

/// The open map.
pub fn journey(h: &Harness<'_, WaymarkApp>) -> Journey {
    h.state().doc.journey.clone()
}

/// Clicks the widget with this accessible label and lets the app react.
pub fn click(h: &mut Harness<'_, WaymarkApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// Presses `key` with `modifiers` and lets the app react.
pub fn press(h: &mut Harness<'_, WaymarkApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
}

/// Scrolls the widget with this accessible label into view and clicks it
/// (a field low in a panel is out of sight at first).
pub fn scroll_click(h: &mut Harness<'_, WaymarkApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    // Scrolling is animated.
    h.run_steps(30);
    h.get_by_label(label).click();
    // A dialog it opens shows a frame later (egui sizes a new window first).
    h.run_steps(3);
}

/// Undoes the last change with the keyboard.
pub fn undo(h: &mut Harness<'_, WaymarkApp>) {
    press(h, Modifiers::COMMAND, Key::Z);
}

/// Redoes the last undone change with the keyboard.
pub fn redo(h: &mut Harness<'_, WaymarkApp>) {
    press(h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
}

/// Presses at `from`, moves in small steps to `to` and releases: a real
/// pointer drag.
pub fn drag(h: &mut Harness<'_, WaymarkApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    for i in 1..=8 {
        let t = i as f32 / 8.0;
        h.hover_at(from + (to - from) * t);
        h.step();
    }
    h.drop_at(to);
    h.run_steps(3);
}

/// Renders a harness's frames with the project's CPU rasterizer, onto a
/// transparent image as egui's renderers clear it.
#[derive(Default)]
pub struct CpuRenderer {
    textures: TextureStore,
}

impl CpuRenderer {
    /// The frame `output` of `ctx`, rasterized.
    pub fn pixmap(&self, ctx: &egui::Context, output: &egui::FullOutput) -> Pixmap {
        let ppp = ctx.pixels_per_point();
        let size = ctx.content_rect().size() * ppp;
        let (width, height) = (size.x.round() as u32, size.y.round() as u32);
        let primitives = ctx.tessellate(output.shapes.clone(), ppp);
        let mut pixmap = Pixmap::new(width, height);
        rasterize(&primitives, &self.textures, ppp, &mut pixmap, 0..height);
        pixmap
    }
}

impl TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        self.textures.apply_and_clear(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let pixmap = self.pixmap(ctx, output);
        image::RgbaImage::from_raw(pixmap.width, pixmap.height, pixmap.data().to_vec())
            .ok_or_else(|| "the pixmap's size does not match its pixels".to_owned())
    }
}
