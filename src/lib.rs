//! Waymark: a desktop editor for customer journey maps.
//!
//! Data flows one way: [`model`] (plain data, checks, migrations) ->
//! [`edit`] (every change, undo) -> [`view`] (layout and scene: pure
//! geometry and shapes) -> [`ui`] (the eframe shell and the interactive
//! canvas) or [`export`] (PNG and SVG, headless); [`interop`] writes other
//! formats (the action plan as CSV). [`io`] reads and writes
//! files and recovery snapshots; [`cli`] parses the command line;
//! [`desktop`] registers the app with Linux desktops.

pub mod cli;
pub mod desktop;
pub mod edit;
pub mod export;
pub mod interop;
pub mod io;
pub mod model;
pub mod ui;
pub mod view;
