//! The interactive map widget (in progress).
