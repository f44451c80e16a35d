//! The palette on the left: the pointer tools, and the touchpoints and
//! cards that are dragged from it onto the map's cells.

use egui::{Color32, Id, RichText, Ui};

use crate::model::Channel;
use crate::ui::actions::Action;
use crate::ui::canvas::{PaletteItem, Tool};
use crate::view::icons::{self, channel_icon, icon_font};
use crate::view::theme::channel_color;

/// The palette. Choosing Select sets `tool`; the pen is an action (it
/// says when the map has no Emotions lane to draw in).
pub fn palette_ui(ui: &mut Ui, tool: &mut Tool, actions: &mut Vec<Action>) {
    ui.add_space(6.0);
    ui.heading("Tools");
    ui.horizontal_wrapped(|ui| {
        if ui
            .selectable_label(*tool == Tool::Select, "Select")
            .on_hover_text("Select, move and edit (Esc)")
            .clicked()
        {
            *tool = Tool::Select;
        }
        if ui
            .selectable_label(*tool == Tool::Pen, "Pen")
            .on_hover_text("Sketch the emotion curve across the Emotions lane (E)")
            .clicked()
        {
            actions.push(Action::TogglePen);
        }
    });
    ui.add_space(10.0);
    ui.heading("Touchpoints");
    ui.label(RichText::new("Drag onto a cell").weak());
    ui.add_space(4.0);
    for channel in Channel::ALL {
        palette_entry_ui(ui, PaletteItem::Touchpoint(channel));
    }
    ui.add_space(10.0);
    ui.heading("Cards");
    palette_entry_ui(ui, PaletteItem::Card);
}

/// One entry: a chip with the item's icon and a name, dragged as a
/// [`PaletteItem`].
fn palette_entry_ui(ui: &mut Ui, item: PaletteItem) {
    let (label, color, glyph) = match item {
        PaletteItem::Touchpoint(c) => (c.label(), channel_color(c), channel_icon(c)),
        PaletteItem::Card => ("Card", Color32::from_rgb(0x57, 0x60, 0x6A), icons::CARD),
    };
    let id = Id::unique(("palette", label));
    let dragging = ui.ctx().is_being_dragged(id);
    let response = ui
        .dnd_drag_source(id, item, |ui| {
            let (rect, _) = ui
                .allocate_exact_size(egui::vec2(ui.available_width(), 26.0), egui::Sense::hover());
            let painter = ui.painter();
            painter.rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
            let chip =
                egui::Rect::from_min_size(rect.min + egui::vec2(4.0, 3.0), egui::vec2(26.0, 20.0));
            painter.rect_filled(chip, 4.0, color);
            painter.text(
                chip.center(),
                egui::Align2::CENTER_CENTER,
                glyph,
                icon_font(16.0),
                Color32::WHITE,
            );
            painter.text(
                egui::pos2(chip.max.x + 8.0, rect.center().y),
                egui::Align2::LEFT_CENTER,
                label,
                egui::FontId::proportional(14.0),
                ui.visuals().text_color(),
            );
        })
        .response;
    if dragging {
        // The entry follows the pointer; keep a faint copy in the list.
        ui.painter().rect_stroke(
            response.rect,
            4.0,
            egui::Stroke::new(1.0, color.gamma_multiply(0.5)),
            egui::StrokeKind::Inside,
        );
        ui.painter().text(
            response.rect.left_center() + egui::vec2(38.0, 0.0),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(14.0),
            ui.visuals().weak_text_color(),
        );
    }
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Palette: {label}"))
    });
    response.on_hover_cursor(egui::CursorIcon::Grab);
}
