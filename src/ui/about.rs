//! The "About Waymark" window: the version, the licences of the program and
//! of its fonts, and the file format version a map is written in.

/// The program's version, as `waymark --version` prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The program's licence, as Cargo.toml declares it.
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");

/// The "About Waymark" window, while `open`.
pub fn about_window(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    egui::Window::new("About Waymark")
        .open(open)
        .collapsible(false)
        .resizable(false)
        // Centred: at egui's default top-left corner it would cover the menus.
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            ui.heading("Waymark");
            ui.label(env!("CARGO_PKG_DESCRIPTION"));
            ui.add_space(6.0);
            egui::Grid::new("about").num_columns(2).show(ui, |ui| {
                ui.label("Version");
                ui.label(VERSION);
                ui.end_row();
                ui.label("Licence");
                ui.label(LICENSE);
                ui.end_row();
                ui.label("File format");
                ui.label(crate::model::FORMAT_VERSION.to_string());
                ui.end_row();
                ui.label("Fonts");
                ui.label("Inter, SIL Open Font License 1.1");
                ui.end_row();
            });
        });
}
