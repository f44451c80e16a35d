//! The editor: the eframe shell, its panels and dialogs, the one list of
//! actions, and the interactive [`canvas`]. Nothing here changes a journey
//! except by applying an [`crate::edit::Edit`].

pub mod actions;
pub mod app;
pub mod canvas;
pub mod export_dialog;
