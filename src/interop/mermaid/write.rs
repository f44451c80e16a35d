//! [`Journey`] -> Mermaid text: a task per step, then the whole map as RON
//! in `%% waymark:` comment lines.

use std::fmt::Write as _;

use super::parse::WAYMARK_PREFIX;
use super::read::NO_ACTOR;
use crate::model::{Journey, LaneKind, StepId};

/// The map as a Mermaid journey that Mermaid renders and Waymark reads back
/// whole.
pub fn export(journey: &Journey) -> String {
    let mut out = String::from(
        "%% Written by Waymark. The `%% waymark:` lines at the end keep what Mermaid\n\
         %% has no place for (lanes, cards, pain points, ids); Waymark reads them back.\n",
    );
    out.push_str(&diagram_text(journey));
    for line in crate::io::to_string(journey).lines() {
        let _ = writeln!(out, "{WAYMARK_PREFIX} {line}");
    }
    out
}

/// The part Mermaid draws.
pub(super) fn diagram_text(journey: &Journey) -> String {
    let mut out = String::from("journey\n");
    let title = journey.title.trim();
    if !title.is_empty() {
        let _ = writeln!(out, "    title {}", encode(title, "", false));
    }
    let description = journey.description.trim();
    if description.contains('\n') {
        let _ = writeln!(
            out,
            "    accDescr {{\n{}\n    }}",
            encode(description, "}", false)
                .lines()
                .map(|l| format!("        {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    } else if !description.is_empty() {
        let _ = writeln!(out, "    accDescr: {}", encode(description, "", false));
    }
    for (index, stage) in journey.stages.iter().enumerate() {
        let name = stage.name.trim();
        // A blank first stage stands for tasks before any section.
        if index > 0 || !name.is_empty() {
            let name = if name.is_empty() {
                "#32;".to_owned()
            } else {
                encode(name, ":", true)
            };
            let _ = writeln!(out, "    section {name}");
        }
        for step in &stage.steps {
            let _ = writeln!(out, "        {}", task_line(journey, step.id, &step.name));
        }
    }
    out
}

/// `Name: score: actor, actor` for one step.
fn task_line(journey: &Journey, step: StepId, step_name: &str) -> String {
    let action = journey
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Actions)
        .flat_map(|l| journey.cards_in(step, l.id))
        .map(|c| c.title.trim())
        .find(|t| !t.is_empty());
    let name = Some(step_name.trim())
        .filter(|n| !n.is_empty())
        .or(action)
        .map_or_else(|| "#32;".to_owned(), task_name);
    let mut scores = Vec::new();
    let mut actors = Vec::new();
    for (persona, actor) in journey.personas.iter().zip(actor_names(journey)) {
        let Some(score) = journey.curve(persona.id).and_then(|c| c.points.get(&step)) else {
            continue;
        };
        scores.push(f64::from(*score));
        if persona.description != NO_ACTOR {
            actors.push(actor);
        }
    }
    let emotion = if scores.is_empty() {
        0.0
    } else {
        scores.iter().sum::<f64>() / scores.len() as f64
    };
    let score = score_text(emotion);
    if actors.is_empty() {
        format!("{name}: {score}")
    } else {
        format!("{name}: {score}: {}", actors.join(", "))
    }
}

/// Each persona's actor name, in persona order: two personas whose names
/// read the same in Mermaid (which would merge them into one actor) get
/// " (2)", " (3)", ... after the later ones.
fn actor_names(journey: &Journey) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for persona in &journey.personas {
        let name = persona.name.trim();
        let base = if name.is_empty() {
            "#32;".to_owned()
        } else {
            encode(name, ":,", false)
        };
        let mut actor = base.clone();
        let mut n = 2;
        while names.contains(&actor) {
            actor = format!("{base} ({n})");
            n += 1;
        }
        names.push(actor);
    }
    names
}

/// Emotion -2..+2 -> score 1..5, rounded to a tenth.
fn score_text(emotion: f64) -> String {
    let score = ((emotion + 3.0) * 10.0).round() / 10.0;
    let score = if score.is_finite() {
        score.clamp(1.0, 5.0)
    } else {
        3.0
    };
    if score.fract() == 0.0 {
        format!("{score:.0}")
    } else {
        format!("{score:.1}")
    }
}

/// A task name that Mermaid's lexer cannot take for a keyword.
pub fn task_name(name: &str) -> String {
    let encoded = encode(name, ":", true);
    let lower = encoded.to_ascii_lowercase();
    let keyword = ["journey", "title", "section", "acctitle", "accdescr"]
        .iter()
        .any(|k| lower.starts_with(k));
    match encoded.chars().next() {
        Some(first) if keyword => {
            format!(
                "#{};{}",
                u32::from(first),
                encoded.get(first.len_utf8()..).unwrap_or_default()
            )
        }
        _ => encoded,
    }
}

/// Mermaid text for `text`: characters that would end or change the
/// statement become entity codes (`#59;`), and with `breaks`, line breaks
/// become `<br>`.
pub fn encode(text: &str, specials: &str, breaks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' && breaks {
            out.push_str("<br>");
        } else if c == '\n' && specials.contains('}') {
            out.push('\n');
        } else if c.is_control() || "#;%<".contains(c) || specials.contains(c) {
            let _ = write!(out, "#{};", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_map_back_to_one_to_five_rounded_to_a_tenth() {
        assert_eq!(score_text(-2.0), "1");
        assert_eq!(score_text(0.0), "3");
        assert_eq!(score_text(2.0), "5");
        assert_eq!(score_text(0.75), "3.8");
        assert_eq!(score_text(1.0 / 3.0), "3.3");
        assert_eq!(score_text(f64::NAN), "3");
    }

    #[test]
    fn reserved_characters_become_entity_codes() {
        assert_eq!(encode("a:b,c", ":,", false), "a#58;b#44;c");
        assert_eq!(encode("50% #1; <b>", "", false), "50#37; #35;1#59; #60;b>");
        assert_eq!(encode("two\nlines", "", true), "two<br>lines");
        assert_eq!(encode("two\nlines", "", false), "two#10;lines");
        assert_eq!(task_name("Section two"), "#83;ection two");
        assert_eq!(
            task_name("Sections"),
            "#83;ections",
            "Mermaid's lexer has no word boundary"
        );
        assert_eq!(task_name("Pays"), "Pays");
    }
}
