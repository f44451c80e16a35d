//! The workshop's countdown: pure arithmetic on a clock's seconds, so
//! tests advance a [`Clock::Manual`] instead of sleeping, and the big
//! display shown over the map.

use std::time::Duration;

use egui::{Align2, Color32, FontId, RichText, Ui};

/// Presets offered on the bar, in minutes.
pub const PRESETS: [u32; 3] = [2, 5, 10];

/// How long (seconds) the display flashes once the time is up.
const FLASH_SECONDS: f64 = 4.0;

/// Where the timer reads the time from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Clock {
    /// egui's input time (seconds since the app started).
    #[default]
    Egui,
    /// A time that only moves when set (tests).
    Manual(f64),
}

impl Clock {
    /// The time now, in seconds.
    pub fn now(self, ctx: &egui::Context) -> f64 {
        match self {
            Self::Egui => ctx.input(|i| i.time),
            Self::Manual(t) => t,
        }
    }
}

/// A countdown that can be paused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timer {
    /// How long it runs, in seconds.
    pub duration: f64,
    /// When it was last started or resumed, while it runs.
    started: Option<f64>,
    /// Seconds run before the last start.
    spent: f64,
}

impl Default for Timer {
    fn default() -> Self {
        Self::new(5.0 * 60.0)
    }
}

impl Timer {
    /// A timer of `seconds`, not started.
    pub fn new(seconds: f64) -> Self {
        Self {
            duration: seconds.max(1.0),
            started: None,
            spent: 0.0,
        }
    }

    /// Seconds run so far.
    pub fn elapsed(&self, now: f64) -> f64 {
        self.spent + self.started.map_or(0.0, |s| (now - s).max(0.0))
    }

    /// Seconds left, never below zero.
    pub fn remaining(&self, now: f64) -> f64 {
        (self.duration - self.elapsed(now)).max(0.0)
    }

    /// Counting down now.
    pub fn is_running(&self, now: f64) -> bool {
        self.started.is_some() && self.remaining(now) > 0.0
    }

    /// The time is up.
    pub fn is_finished(&self, now: f64) -> bool {
        self.remaining(now) <= 0.0
    }

    /// Started at least once since set or reset (so it is worth showing).
    pub fn is_started(&self) -> bool {
        self.started.is_some() || self.spent > 0.0
    }

    /// Starts, or resumes after a pause. A finished timer starts again.
    pub fn start(&mut self, now: f64) {
        if self.is_finished(now) {
            self.reset();
        }
        if self.started.is_none() {
            self.started = Some(now);
        }
    }

    /// Pauses, keeping the time left.
    pub fn pause(&mut self, now: f64) {
        if let Some(started) = self.started.take() {
            self.spent = (self.spent + (now - started).max(0.0)).min(self.duration);
        }
    }

    /// Pauses a running timer, starts any other.
    pub fn toggle(&mut self, now: f64) {
        if self.is_running(now) {
            self.pause(now);
        } else {
            self.start(now);
        }
    }

    /// Back to the full time, stopped.
    pub fn reset(&mut self) {
        self.started = None;
        self.spent = 0.0;
    }

    /// A new duration, stopped.
    pub fn set(&mut self, seconds: f64) {
        *self = Self::new(seconds);
    }

    /// When the time ran out (clock seconds), if it has while running.
    fn ended_at(&self, now: f64) -> Option<f64> {
        let started = self.started?;
        self.is_finished(now)
            .then_some(started + (self.duration - self.spent))
    }

    /// What the display says: minutes and seconds left, rounded up so it
    /// reads 0:00 only when the time is up, or "Time's up".
    pub fn text(&self, now: f64) -> String {
        if self.is_started() && self.is_finished(now) {
            return "Time's up".to_owned();
        }
        format_clock(self.remaining(now))
    }
}

/// `seconds` as m:ss, rounded up.
pub fn format_clock(seconds: f64) -> String {
    let whole = seconds.max(0.0).ceil() as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// The big countdown in the top-right corner of `canvas`, over the map,
/// while the timer has been started.
pub fn overlay(ctx: &egui::Context, timer: &Timer, now: f64, canvas: egui::Rect) {
    if !timer.is_started() {
        return;
    }
    egui::Area::new(egui::Id::unique("workshop-timer"))
        .order(egui::Order::Foreground)
        .anchor(Align2::RIGHT_TOP, egui::vec2(-16.0, 16.0))
        .constrain_to(canvas)
        .interactable(false)
        .show(ctx, |ui: &mut Ui| display_ui(ui, timer, now));
}

/// The big countdown, while the timer has been started; asks for repaints
/// only while it runs (and flashes at the end).
pub fn display_ui(ui: &mut Ui, timer: &Timer, now: f64) {
    if !timer.is_started() {
        return;
    }
    let ctx = ui.ctx().clone();
    let finished = timer.is_finished(now);
    let running = timer.is_running(now);
    if running {
        // Wake up when the shown second changes.
        let left = timer.remaining(now);
        let next = (left - (left.ceil() - 1.0)).max(0.02);
        ctx.request_repaint_after(Duration::from_secs_f64(next));
    }
    let flashing = timer
        .ended_at(now)
        .is_some_and(|end| now - end < FLASH_SECONDS);
    if flashing {
        ctx.request_repaint_after(Duration::from_millis(250));
    }
    let bright = flashing && ((now * 2.0).floor() as i64) % 2 == 0;
    let (fill, text) = match (finished, bright) {
        (true, true) => (Color32::WHITE, Color32::from_rgb(200, 20, 20)),
        (true, false) => (Color32::from_rgb(200, 20, 20), Color32::WHITE),
        (false, _) if running => (Color32::from_rgb(20, 24, 32), Color32::WHITE),
        (false, _) => (Color32::from_rgb(90, 90, 100), Color32::WHITE),
    };
    let paused = !finished && !running;
    egui::Frame::new()
        .fill(fill)
        .corner_radius(12.0)
        .inner_margin(egui::Margin::symmetric(22, 8))
        .show(ui, |ui| {
            // Digits of one width, so the clock does not jitter; the end
            // message in the narrower proportional face, on one line.
            let font = if finished {
                FontId::proportional(60.0)
            } else {
                FontId::monospace(64.0)
            };
            let face = RichText::new(timer.text(now)).font(font).color(text);
            ui.add(egui::Label::new(face.strong()).extend());
            if paused {
                ui.label(RichText::new("Paused").size(22.0).color(text));
            }
        });
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "the clock's sums are exact here")]
mod tests {
    use super::*;

    #[test]
    fn counts_down_pauses_and_resumes() {
        let mut timer = Timer::new(120.0);
        assert!(!timer.is_started());
        assert_eq!(timer.text(0.0), "2:00");
        timer.start(10.0);
        assert!(timer.is_running(40.0));
        assert_eq!(timer.remaining(40.0), 90.0);
        assert_eq!(timer.text(40.5), "1:30");
        timer.pause(40.0);
        assert!(!timer.is_running(100.0));
        assert_eq!(timer.remaining(1000.0), 90.0, "paused time does not count");
        timer.toggle(1000.0);
        assert_eq!(timer.remaining(1060.0), 30.0);
    }

    #[test]
    fn ends_at_zero_says_so_and_starts_again() {
        let mut timer = Timer::new(60.0);
        timer.start(0.0);
        assert_eq!(timer.text(59.2), "0:01", "rounded up until the end");
        assert!(timer.is_finished(60.0) && !timer.is_running(61.0));
        assert_eq!(timer.text(75.0), "Time's up");
        assert_eq!(timer.ended_at(75.0), Some(60.0));
        timer.toggle(80.0);
        assert!(timer.is_running(81.0));
        assert_eq!(timer.remaining(81.0), 59.0);
    }

    #[test]
    fn reset_and_set_stop_it_at_the_full_time() {
        let mut timer = Timer::default();
        assert_eq!(timer.duration, 300.0);
        timer.start(0.0);
        timer.reset();
        assert!(!timer.is_started());
        assert_eq!(timer.remaining(500.0), 300.0);
        timer.start(0.0);
        timer.set(600.0);
        assert_eq!(timer.text(50.0), "10:00");
        assert_eq!(format_clock(61.0), "1:01");
    }
}
