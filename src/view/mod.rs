//! What the map looks like, as pure functions: [`layout`] turns a journey
//! and a theme into geometry and hit tests (its text measured by
//! [`measure`]), [`frame`] places an export's
//! header and legend around it, [`scene`] turns them into
//! `egui::Shape`s. The canvas, the PNG and the SVG all draw what `scene`
//! returns; nothing else draws the map. [`states`] projects a journey
//! into the state (current, future, compare) the map shows.

pub mod blocks;
pub mod frame;
pub mod icons;
pub mod layout;
pub mod measure;
pub mod photo;
pub mod scene;
pub mod states;
pub mod theme;
