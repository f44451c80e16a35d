//! Waymark: a desktop editor for customer journey maps.
//!
//! Data flows one way: [`model`] -> [`edit`] -> [`layout`] -> [`scene`] ->
//! [`canvas`] (interactive). [`io`] reads and writes files, [`cli`] parses the
//! command line, and [`app`] is the eframe shell around it all.

pub mod actions;
pub mod app;
pub mod canvas;
pub mod cli;
mod deflate;
pub mod edit;
pub mod export;
pub mod export_ui;
pub mod io;
pub mod layout;
pub mod migrate;
pub mod model;
pub mod png_stream;
pub mod raster;
pub mod recovery;
pub mod scene;
pub mod svg;
pub mod templates;
pub mod theme;
