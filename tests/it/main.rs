//! Waymark's integration tests, in one binary so the crate is linked once.
//! Each module is one subject; shared helpers live in [`common`].

// Tests fail loudly on purpose: unwrap/expect and indexing are the clearest
// way to say so, and user data never reaches them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

mod agreement;
mod cli;
mod csv;
mod desktop;
mod diff;
mod export;
mod future;
mod gpu;
mod health;
mod huge_text;
mod imagery;
mod kill_save;
mod loading;
mod mermaid;
mod migrations;
mod pdf;
mod properties;
mod readability;
mod recovery;
mod strategy_export;
mod strategy_ui;
mod svg;
mod ui;
mod workshop;
