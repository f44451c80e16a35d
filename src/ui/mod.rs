//! The editor: the eframe shell ([`app`]), the open [`document`] and its
//! life on disk, the one list of [`actions`], one module per panel or
//! dialog, and the interactive [`canvas`]. Nothing here changes a journey
//! except by applying an [`crate::edit::Edit`].

mod about;
pub mod actions;
pub mod app;
pub mod canvas;
mod clipboard;
pub mod compare;
mod dialogs;
pub mod document;
pub mod export_dialog;
mod files;
pub mod health;
mod help;
mod import;
mod inspector;
mod menus;
mod palette;
pub mod plan;
pub mod workshop;

/// "1 card", "2 cards", "0 cards": a count with its noun in the right
/// number (English: singular for one only).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
