//! Undo and redo: a bounded stack of the inverses [`Edit::apply`] returns,
//! with gestures (a drag, typing into a field) folded into one step.
//! Every change to the journey made through a [`History`] moves its
//! [`History::revision`], which views use to cache derived data.

use std::collections::VecDeque;

use crate::edit::{Edit, EditError};
use crate::model::Journey;

/// Which gesture an edit belongs to, so that a text field typed into
/// character by character becomes one undo step.
pub type GestureKey = egui::Id;

/// Undo and redo stacks of inverse edits, bounded in length.
#[derive(Debug)]
pub struct History {
    undo: VecDeque<Edit>,
    redo: Vec<Edit>,
    /// The gesture the newest undo entry belongs to, while it is still going on.
    open_gesture: Option<GestureKey>,
    limit: usize,
    /// Counts every change to the journey, so views can cache derived data.
    revision: u64,
}

impl Default for History {
    fn default() -> Self {
        Self::new(500)
    }
}

impl History {
    /// An empty history keeping at most `limit` undo steps.
    pub fn new(limit: usize) -> Self {
        Self {
            undo: VecDeque::new(),
            redo: Vec::new(),
            open_gesture: None,
            limit: limit.max(1),
            revision: 0,
        }
    }

    /// Applies an edit as its own undo step.
    pub fn apply(&mut self, journey: &mut Journey, edit: Edit) -> Result<(), EditError> {
        self.open_gesture = None;
        self.push(journey, edit)
    }

    /// Applies an edit that is part of an ongoing gesture: consecutive edits
    /// with the same key share one undo step until [`History::end_gesture`].
    pub fn apply_in_gesture(
        &mut self,
        journey: &mut Journey,
        edit: Edit,
        key: GestureKey,
    ) -> Result<(), EditError> {
        if self.open_gesture == Some(key) && !self.undo.is_empty() {
            // The undo entry of the gesture's first edit already restores the
            // state from before the gesture, so later inverses are not needed.
            edit.apply(journey)?;
            self.redo.clear();
            self.revision += 1;
            Ok(())
        } else {
            self.push(journey, edit)?;
            self.open_gesture = Some(key);
            Ok(())
        }
    }

    /// Ends the current gesture: the next edit starts a new undo step.
    pub fn end_gesture(&mut self) {
        self.open_gesture = None;
    }

    fn push(&mut self, journey: &mut Journey, edit: Edit) -> Result<(), EditError> {
        if edit.is_noop() {
            return Ok(());
        }
        let inverse = edit.apply(journey)?;
        self.undo.push_back(inverse);
        while self.undo.len() > self.limit {
            self.undo.pop_front();
        }
        self.redo.clear();
        self.revision += 1;
        Ok(())
    }

    /// Undoes the newest step. Returns false when there is nothing to undo.
    pub fn undo(&mut self, journey: &mut Journey) -> bool {
        self.open_gesture = None;
        let Some(inverse) = self.undo.pop_back() else {
            return false;
        };
        match inverse.apply(journey) {
            Ok(redo) => {
                self.redo.push(redo);
                self.revision += 1;
                true
            }
            // Cannot happen while all changes go through the history; drop the
            // entry rather than get stuck on it.
            Err(_) => false,
        }
    }

    /// Redoes the newest undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self, journey: &mut Journey) -> bool {
        self.open_gesture = None;
        let Some(edit) = self.redo.pop() else {
            return false;
        };
        match edit.apply(journey) {
            Ok(inverse) => {
                self.undo.push_back(inverse);
                self.revision += 1;
                true
            }
            Err(_) => false,
        }
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of undo steps kept.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Changes every time the journey changes through this history.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Forgets everything (after opening another document).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.open_gesture = None;
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CardId;
    use crate::model::templates::Template;

    #[test]
    fn remove_stage_then_undo_restores_everything() {
        let mut j = Template::FourStage.build("t");
        let before = j.clone();
        let stage = j.stages[0].id;
        let mut h = History::default();
        let edit = Edit::remove_stage(&j, stage);
        h.apply(&mut j, edit).unwrap();
        assert_eq!(j.stages.len(), 3);
        assert!(h.undo(&mut j));
        assert_eq!(j, before);
        assert!(h.redo(&mut j));
        assert_eq!(j.stages.len(), 3);
    }

    #[test]
    fn gesture_is_one_undo_step() {
        let mut j = Template::FourStage.build("t");
        let stage = j.stages[0].id;
        let mut h = History::default();
        let key = egui::Id::unique("typing");
        for name in ["A", "Aw", "Awe"] {
            h.apply_in_gesture(&mut j, Edit::RenameStage(stage, name.into()), key)
                .unwrap();
        }
        h.end_gesture();
        assert_eq!(h.undo_len(), 1);
        h.undo(&mut j);
        assert_eq!(j.stages[0].name, "Awareness");
    }

    #[test]
    fn history_is_bounded() {
        let mut j = Template::FourStage.build("t");
        let stage = j.stages[0].id;
        let mut h = History::new(3);
        for i in 0..10 {
            h.apply(&mut j, Edit::RenameStage(stage, i.to_string()))
                .unwrap();
        }
        assert_eq!(h.undo_len(), 3);
    }

    #[test]
    fn a_failing_edit_records_nothing() {
        let mut j = Template::FourStage.build("t");
        let mut h = History::default();
        let revision = h.revision();
        assert!(h.apply(&mut j, Edit::RemoveCard(CardId(999_999))).is_err());
        assert!(!h.can_undo());
        assert_eq!(h.revision(), revision);
    }
}
