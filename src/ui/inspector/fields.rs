//! The inspector's field widgets: labelled text, numbers and dates typed as
//! text (kept as typed while being edited, checked before anything
//! changes), and choices from a short list. Each returns the gesture key
//! when its value changed.

use egui::{Color32, RichText, Ui};

use super::Inspector;
use crate::edit::GestureKey;
use crate::model::{Date, plain_number_text};

/// The red of a field's error message.
const ERROR: Color32 = Color32::from_rgb(0xCF, 0x22, 0x2E);

/// Reads a date written as "YYYY-MM-DD"; empty text is no date.
pub fn parse_date(text: &str) -> Result<Option<Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Date>()
        .map(Some)
        .map_err(|_| format!("“{text}” is not a date: write it as YYYY-MM-DD"))
}

/// Reads a number; empty text is no number. Infinite and NaN are refused,
/// as the file refuses them.
pub fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(format!("“{text}” is not a number")),
    }
}

/// The text a date field shows.
pub fn date_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// The text a number field shows.
pub fn number_field_text(value: Option<f64>) -> String {
    value.map(plain_number_text).unwrap_or_default()
}

impl Inspector<'_> {
    /// A labelled text field. Returns the field's id when the text changed
    /// (the id groups keystrokes into one undo step); leaving the field
    /// ends the gesture.
    pub(super) fn text_field_ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        text: &mut String,
        multiline: bool,
    ) -> Option<GestureKey> {
        let label = ui.label(label);
        let edit = if multiline {
            egui::TextEdit::multiline(text).desired_rows(3)
        } else {
            egui::TextEdit::singleline(text)
        };
        let response = ui
            .add(edit.desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if response.lost_focus() {
            self.queue.end_gesture = true;
        }
        response.changed().then_some(response.id)
    }

    /// A labelled field for a value typed as text and parsed. While it has
    /// focus, or holds text that does not parse, it keeps the text as typed
    /// (so "4." can become "4.5"); text that does not parse shows `parse`'s
    /// error under the field and changes nothing. `button` is a button
    /// beside the field that sets a value (words, value, hover text).
    pub(super) fn parsed_field_ui<T>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        shown: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        button: Option<(&str, T, String)>,
    ) -> Option<(T, GestureKey)> {
        let label = ui.label(label);
        let id = ui.make_persistent_id(("parsed-field", label.id));
        let typed_id = id.with("typed");
        let mut text: String = ui
            .data(|d| d.get_temp::<String>(typed_id))
            .unwrap_or_else(|| shown.to_owned());
        let (response, pressed) = ui
            .horizontal(|ui| {
                let reserve = if button.is_some() { 64.0 } else { 0.0 };
                let width = (ui.available_width() - reserve).max(60.0);
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut text)
                            .id(id)
                            .desired_width(width),
                    )
                    .labelled_by(label.id);
                let pressed = button.and_then(|(words, value, hover)| {
                    let clicked = ui.button(words).on_hover_text(hover);
                    clicked.clicked().then_some((value, clicked.id))
                });
                (response, pressed)
            })
            .inner;
        if pressed.is_some() {
            // The button's value replaces whatever was typed; its click is
            // a step by itself, not part of the typing before.
            ui.data_mut(|d| d.remove::<String>(typed_id));
            self.queue.end_gesture = true;
            return pressed;
        }
        let parsed = parse(&text);
        let error = parsed.as_ref().err().cloned();
        let keep = response.has_focus() || error.is_some();
        ui.data_mut(|d| {
            if keep {
                d.insert_temp(typed_id, text.clone());
            } else {
                d.remove::<String>(typed_id);
            }
        });
        if let Some(error) = error {
            ui.label(RichText::new(error).color(ERROR).small());
        }
        if response.lost_focus() {
            self.queue.end_gesture = true;
        }
        match parsed {
            Ok(value) if response.changed() => Some((value, response.id)),
            _ => None,
        }
    }

    /// A date field ("YYYY-MM-DD", empty for none) with a "Today" button.
    pub(super) fn date_field_ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        date: &mut Option<Date>,
    ) -> Option<GestureKey> {
        let today = (
            "Today",
            Some(self.today),
            format!("Set {label} to {}", self.today),
        );
        self.parsed_field_ui(ui, label, &date_text(*date), parse_date, Some(today))
            .map(|(value, key)| {
                *date = value;
                key
            })
    }

    /// A number field (empty for none).
    pub(super) fn number_field_ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<f64>,
    ) -> Option<GestureKey> {
        self.parsed_field_ui(ui, label, &number_field_text(*value), parse_number, None)
            .map(|(parsed, key)| {
                *value = parsed;
                key
            })
    }
}

/// A labelled drop-down of `choices` (value and words).
pub fn choice_ui<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    choices: &[(T, &str)],
) -> Option<GestureKey> {
    let label = ui.label(label);
    let current = choices
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, words)| *words);
    let mut changed = None;
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (choice, words) in choices {
                if ui.selectable_value(value, *choice, *words).changed() {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_year_month_day_and_bad_ones_say_how() {
        assert_eq!(parse_date(" "), Ok(None));
        assert_eq!(
            parse_date("2026-12-07"),
            Ok(Some(Date::constant(2026, 12, 7)))
        );
        let err = parse_date("7/12/2026").unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(date_text(Some(Date::constant(2026, 1, 2))), "2026-01-02");
    }

    #[test]
    fn numbers_accept_a_comma_and_refuse_what_the_file_refuses() {
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("4,5"), Ok(Some(4.5)));
        assert_eq!(parse_number("-3"), Ok(Some(-3.0)));
        assert!(parse_number("inf").is_err());
        assert!(parse_number("NaN").is_err());
        assert!(parse_number("lots").is_err());
        assert_eq!(number_field_text(Some(42.0)), "42");
    }
}
