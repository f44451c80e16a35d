//! Helpers shared by the suites that drive the real app with `egui_kittest`.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use waymark::model::Journey;
use waymark::ui::app::{StartOptions, WaymarkApp};

/// The example map every suite starts from.
pub const EXAMPLE: &str = "examples/grocery-checkout.journey.ron";
/// Frames per second of simulated time (the harness's step): real frame
/// times, so double-clicks count as such and autosave delays can be stepped.
pub const FPS: usize = 60;

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
