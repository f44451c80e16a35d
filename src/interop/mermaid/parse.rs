//! The text of a Mermaid `journey` diagram -> [`Diagram`], as Mermaid's own
//! lexer and grammar read it: comments and directives skipped, one statement
//! per line (an `accDescr { ... }` block may span lines), `#name;` and
//! `#123;` entity codes decoded, `<br>` variants turned into line breaks.

use std::fmt;

/// What Mermaid draws, in Mermaid's terms; texts are decoded and trimmed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    /// `title` (or the front matter's `title:`); `None` when absent or blank.
    pub title: Option<String>,
    /// `accTitle: ...`.
    pub acc_title: Option<String>,
    /// `accDescr: ...` or `accDescr { ... }`.
    pub acc_descr: Option<String>,
    /// Sections and tasks in file order.
    pub items: Vec<Item>,
}

/// A section header or a task.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `section NAME`: the tasks after it, up to the next section.
    Section(String),
    /// `NAME: SCORE: ACTOR, ACTOR`.
    Task(Task),
}

/// One task line.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The task's name.
    pub name: String,
    /// The score, clamped to 1..=5.
    pub score: f64,
    /// The non-blank actors, each once, in the order listed.
    pub actors: Vec<String>,
}

/// The result of reading a diagram.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The diagram.
    pub diagram: Diagram,
    /// The payloads of the `%% waymark:` comment lines, in order.
    pub waymark: Vec<String>,
    /// Things accepted but changed or ignored, each naming its line.
    pub warnings: Vec<String>,
}

/// Why a text is not a journey diagram: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What was expected there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// The comment prefix under which Waymark keeps what Mermaid has no place for.
pub const WAYMARK_PREFIX: &str = "%% waymark:";

/// Lowest and highest score Mermaid draws.
pub const SCORES: std::ops::RangeInclusive<f64> = 1.0..=5.0;

/// Reads a whole diagram.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut parser = Parser::default();
    let start = parser.front_matter(&lines)?;
    for (index, line) in lines.iter().enumerate().skip(start) {
        parser.line(index + 1, line)?;
    }
    parser.finish(lines.len())
}

#[derive(Default)]
struct Parser {
    out: Parsed,
    seen_journey: bool,
    /// An open `accDescr {` block: its first line and the text so far.
    block: Option<(usize, String)>,
    /// Inside a `%%{ ... }%%` directive that spans lines.
    directive: bool,
    front_title: Option<String>,
}

/// The column (1-based, in characters) of byte offset `at` of `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(1, |s| s.chars().count() + 1)
}

fn error(line: usize, column: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        column,
        message: message.into(),
    }
}

/// Whether `text` starts with `word`, ignoring ASCII case; the rest if so.
fn keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    head.eq_ignore_ascii_case(word)
        .then(|| text.get(word.len()..))
        .flatten()
}

impl Parser {
    /// Skips a leading `---` front matter block, keeping its `title:`;
    /// returns the index of the first line after it.
    fn front_matter(&mut self, lines: &[&str]) -> Result<usize, ParseError> {
        let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
            return Ok(0);
        };
        if lines.get(first).map(|l| l.trim_end()) != Some("---") {
            return Ok(0);
        }
        for (index, line) in lines.iter().enumerate().skip(first + 1) {
            if line.trim_end() == "---" {
                return Ok(index + 1);
            }
            if let Some(value) = line.strip_prefix("title:") {
                let value = value.trim();
                let unquoted = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(value);
                self.front_title = Some(unquoted.to_owned());
            }
        }
        Err(error(
            first + 1,
            1,
            "the front matter that starts here is never closed: expected a line `---`",
        ))
    }

    fn line(&mut self, number: usize, line: &str) -> Result<(), ParseError> {
        let trimmed = line.trim_start();
        if self.directive {
            self.directive = !line.contains("}%%");
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix("%%") {
            if rest.starts_with('{') {
                self.directive = !rest.contains("}%%");
            } else if let Some(payload) = trimmed.strip_prefix(WAYMARK_PREFIX) {
                let payload = payload.strip_prefix(' ').unwrap_or(payload);
                self.out.waymark.push(payload.to_owned());
            }
            return Ok(());
        }
        if let Some((start, mut text)) = self.block.take() {
            if let Some(end) = line.find('}') {
                text.push_str(line.get(..end).unwrap_or_default());
                self.set_acc_descr(&text, true);
                return self.statement(number, line, end + 1);
            }
            text.push_str(line);
            text.push('\n');
            self.block = Some((start, text));
            return Ok(());
        }
        if trimmed.is_empty() {
            return Ok(());
        }
        if !self.seen_journey {
            let at = line.len() - trimmed.len();
            let rest = keyword(trimmed, "journey")
                .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
            let Some(rest) = rest else {
                let found: String = trimmed.chars().take(20).collect();
                return Err(error(
                    number,
                    column(line, at),
                    format!(
                        "expected `journey`, the first word of a Mermaid user journey, found `{found}`"
                    ),
                ));
            };
            self.seen_journey = true;
            return self.statement(number, line, line.len() - rest.len());
        }
        self.statement(number, line, 0)
    }

    /// Reads the statement that starts at byte `from` of `line`, if any.
    fn statement(&mut self, number: usize, line: &str, from: usize) -> Result<(), ParseError> {
        let rest = line.get(from..).unwrap_or_default();
        let text = rest.trim_start();
        if text.is_empty() {
            return Ok(());
        }
        let at = line.len() - text.len();
        if let Some(value) =
            keyword(text, "acctitle").and_then(|r| r.trim_start().strip_prefix(':'))
        {
            let value = decode(value).trim().to_owned();
            self.out.diagram.acc_title = (!value.is_empty()).then_some(value);
            return Ok(());
        }
        if let Some(after) = keyword(text, "accdescr").map(str::trim_start) {
            if let Some(value) = after.strip_prefix(':') {
                self.set_acc_descr(value, false);
                return Ok(());
            }
            if let Some(value) = after.strip_prefix('{') {
                let open = line.len() - value.len();
                if let Some(end) = value.find('}') {
                    self.set_acc_descr(value.get(..end).unwrap_or_default(), true);
                    return self.statement(number, line, open + end + 1);
                }
                self.block = Some((number, format!("{value}\n")));
                return Ok(());
            }
        }
        if let Some(value) = keyword(text, "title").filter(|r| r.starts_with([' ', '\t'])) {
            let (field, _) = field(line, line.len() - value.len(), number, ";")?;
            let title = clean(field);
            self.out.diagram.title = (!title.is_empty()).then_some(title);
            return Ok(());
        }
        if let Some(value) = keyword(text, "section").filter(|r| r.starts_with([' ', '\t'])) {
            let start = line.len() - value.len();
            let (field, end) = field(line, start, number, ":;")?;
            if end.is_some() {
                return Err(error(
                    number,
                    column(line, start + field.len()),
                    "a section name ends at the end of its line: write #58; for a `:` in it",
                ));
            }
            self.out.diagram.items.push(Item::Section(clean(field)));
            return Ok(());
        }
        self.task(number, line, at)
    }

    /// Accessibility texts are not drawn: `<br>` stays as written.
    fn set_acc_descr(&mut self, value: &str, block: bool) {
        let value = if block {
            // Mermaid drops the indentation (and blank lines) of a block.
            let lines: Vec<&str> = value
                .lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty())
                .collect();
            decode(&lines.join("\n"))
        } else {
            decode(value)
        };
        let value = value.trim().to_owned();
        self.out.diagram.acc_descr = (!value.is_empty()).then_some(value);
    }

    fn task(&mut self, number: usize, line: &str, at: usize) -> Result<(), ParseError> {
        let (name_text, end) = field(line, at, number, ":;")?;
        let name = clean(name_text);
        let Some(colon) = end else {
            return Err(error(
                number,
                column(line, at + name_text.len()),
                format!(
                    "expected `:` and a score after the task `{name}` (a task is `Name: score: actor, actor`)"
                ),
            ));
        };
        if name_text.trim().is_empty() {
            return Err(error(
                number,
                column(line, at),
                "expected a task name before `:` (a task is `Name: score: actor, actor`)",
            ));
        }
        let (data, _) = field(line, colon + 1, number, ";")?;
        if data.is_empty() {
            return Err(error(
                number,
                column(line, colon + 1),
                "expected a score from 1 to 5 after `:`",
            ));
        }
        let mut pieces = data.split(':');
        let score_text = pieces.next().unwrap_or_default();
        let score = self.score(number, line, colon + 1, score_text)?;
        let mut actors: Vec<String> = Vec::new();
        for actor in pieces.next().unwrap_or_default().split(',') {
            let actor = clean(actor);
            if actor.is_empty() {
                continue;
            }
            if actors.contains(&actor) {
                self.warn(
                    number,
                    format!("actor `{actor}` is listed twice; kept once"),
                );
            } else {
                actors.push(actor);
            }
        }
        let extra: Vec<&str> = pieces.collect();
        if !extra.is_empty() {
            self.warn(
                number,
                format!(
                    "`:{}` after the actors is ignored, as Mermaid ignores it",
                    extra.join(":")
                ),
            );
        }
        self.out.diagram.items.push(Item::Task(Task {
            name,
            score,
            actors,
        }));
        Ok(())
    }

    fn score(
        &mut self,
        number: usize,
        line: &str,
        at: usize,
        text: &str,
    ) -> Result<f64, ParseError> {
        let trimmed = text.trim();
        // Mermaid reads a blank score as 0 (JavaScript's `Number(" ")`).
        let score = if trimmed.is_empty() {
            Some(0.0)
        } else {
            trimmed.parse::<f64>().ok().filter(|s| s.is_finite())
        };
        let Some(score) = score else {
            let lead = text.len() - text.trim_start().len();
            return Err(error(
                number,
                column(line, at + lead),
                format!("expected a score from 1 to 5, found `{trimmed}`"),
            ));
        };
        let clamped = score.clamp(*SCORES.start(), *SCORES.end());
        if trimmed.is_empty() {
            self.warn(number, "blank score (Mermaid reads it as 0); read as 1");
        } else if (clamped - score).abs() > 0.0 {
            self.warn(
                number,
                format!("score {trimmed} is outside 1..5; read as {clamped}"),
            );
        }
        Ok(clamped)
    }

    fn warn(&mut self, line: usize, message: impl std::fmt::Display) {
        self.out.warnings.push(format!("line {line}: {message}"));
    }

    fn finish(mut self, lines: usize) -> Result<Parsed, ParseError> {
        if let Some((start, _)) = self.block {
            return Err(error(
                start,
                1,
                format!(
                    "the accDescr block that starts here is never closed: expected `}}` by line {lines}"
                ),
            ));
        }
        if !self.seen_journey {
            return Err(error(
                lines.max(1),
                1,
                "expected `journey`, the first word of a Mermaid user journey; the file has none",
            ));
        }
        if self.out.diagram.title.is_none() {
            self.out.diagram.title = self
                .front_title
                .map(|t| clean(&t))
                .filter(|t| !t.is_empty());
        }
        Ok(self.out)
    }
}

/// The text from byte `start` of `line` up to the first of `stops` or a `#`
/// that starts a comment (a `#` that begins an entity code does not); with
/// the byte offset of the stop when one of `stops` ended it. A `;` is an
/// error, as in Mermaid.
fn field<'a>(
    line: &'a str,
    start: usize,
    number: usize,
    stops: &str,
) -> Result<(&'a str, Option<usize>), ParseError> {
    let rest = line.get(start..).unwrap_or_default();
    let mut chars = rest.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if c == '#' {
            if let Some(len) = entity_len(rest.get(offset..).unwrap_or_default()) {
                while chars.peek().is_some_and(|(o, _)| *o < offset + len) {
                    chars.next();
                }
                continue;
            }
            return Ok((rest.get(..offset).unwrap_or_default(), None));
        }
        if c == ';' {
            return Err(error(
                number,
                column(line, start + offset),
                "unexpected `;`: write #59; for a semicolon",
            ));
        }
        if stops.contains(c) {
            return Ok((rest.get(..offset).unwrap_or_default(), Some(start + offset)));
        }
    }
    Ok((rest, None))
}

/// The length in bytes of the entity code `#\w+;` at the start of `text`.
fn entity_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('#')?;
    let word = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    (word > 0 && body.get(word..)?.starts_with(';')).then_some(word + 2)
}

/// Named entity codes a journey is likely to use.
const NAMED: [(&str, char); 14] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("semi", ';'),
    ("num", '#'),
    ("colon", ':'),
    ("comma", ','),
    ("percnt", '%'),
    ("lbrace", '{'),
    ("rbrace", '}'),
    ("hellip", '…'),
];

/// Line breaks (`<br>`, `<br/>`, `<br />`, any case) become `\n`, then
/// entity codes are decoded, then the text is trimmed: the order Mermaid
/// splits and decodes in, so `#60;br>` stays a literal `<br>`.
pub fn clean(text: &str) -> String {
    decode(&line_breaks(text)).trim().to_owned()
}

fn line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        match keyword(tail, "<br").and_then(|after| {
            let after = after.trim_start();
            let after = after.strip_prefix('/').unwrap_or(after);
            after.strip_prefix('>')
        }) {
            Some(after) => {
                out.push('\n');
                rest = after;
            }
            None => {
                out.push('<');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        let decoded = entity_len(tail).and_then(|len| {
            let word = tail.get(1..len - 1)?;
            let c = match word.parse::<u32>() {
                Ok(code) => char::from_u32(code)?,
                Err(_) => NAMED.iter().find(|(name, _)| *name == word)?.1,
            };
            Some((c, len))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or_default();
            }
            None => {
                out.push('#');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_then_entities_then_trim() {
        assert_eq!(clean(" a<br>b<BR/>c<br />d<br\t/>e "), "a\nb\nc\nd\ne");
        assert_eq!(clean("#60;br>"), "<br>");
        assert_eq!(clean("#59;#35;#quot;#9829;"), ";#\"\u{2665}");
        assert_eq!(clean("#nope; #1114112; #"), "#nope; #1114112; #");
    }

    #[test]
    fn a_hash_starts_a_comment_unless_it_starts_an_entity_code() {
        let line = "Pays #35;1 # a comment";
        let (text, stop) = field(line, 0, 1, ":").unwrap_or_default();
        assert_eq!((text, stop), ("Pays #35;1 ", None));
        let (text, stop) = field("a: b", 0, 1, ":").unwrap_or_default();
        assert_eq!((text, stop), ("a", Some(1)));
    }

    #[test]
    fn columns_count_characters() {
        let err = parse("journey\n  Café; 3").err();
        assert_eq!(err.map(|e| (e.line, e.column)), Some((2, 7)));
    }
}
