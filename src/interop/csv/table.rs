//! Bytes -> a header and rows of text, each row with the line it starts on.
//! The `csv` crate does the quoting; this adds what spreadsheets do to CSV:
//! a leading BOM, `;` or tab as the separator (with a decimal comma), and
//! errors that name the line and say what was expected.

/// A CSV that could not be read: the line and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based line.
    pub line: u64,
    /// What was expected.
    pub message: String,
}

impl CsvError {
    pub(super) fn new(line: u64, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

/// One row below the header.
#[derive(Clone, Debug)]
pub(super) struct Row {
    /// The line it starts on.
    pub line: u64,
    /// Its cells, as many as the header has.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in `column` (empty when there is no such column).
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.cells.get(c))
            .map_or("", String::as_str)
    }
}

/// A whole CSV file.
#[derive(Clone, Debug)]
pub(super) struct Table {
    /// The header row's cells.
    pub header: Vec<String>,
    /// The line of the header row.
    pub header_line: u64,
    /// The rows below it, blank ones left out.
    pub rows: Vec<Row>,
    /// Whether numbers are written with a decimal comma (`;` or tab separated).
    pub decimal_comma: bool,
}

impl Table {
    /// Reads UTF-8 CSV text; errors name the line.
    pub fn read(bytes: &[u8]) -> Result<Self, CsvError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = valid.split(|b| *b == b'\n').count() as u64;
            CsvError::new(
                line,
                "expected UTF-8 text (save the spreadsheet as CSV with the UTF-8 character set)",
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let delimiter = delimiter(text);
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| error(&e))?;
            let line = record.position().map_or(1, ::csv::Position::line);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            records.push(Row {
                line,
                cells: record.iter().map(str::to_owned).collect(),
            });
        }
        let mut rows = records.into_iter();
        let Some(header) = rows.next() else {
            return Err(CsvError::new(
                1,
                "expected a header row: `record,stage,step,...` for a map, or participant and step names for a survey",
            ));
        };
        Ok(Self {
            header: header.cells.iter().map(|c| c.trim().to_owned()).collect(),
            header_line: header.line,
            rows: rows.collect(),
            decimal_comma: delimiter != b',',
        })
    }

    /// The index of the column named `name` (case and spaces around it ignored).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Whether this is the map layout (it has a `record` column).
    pub fn is_map_layout(&self) -> bool {
        self.column("record").is_some()
    }

    /// A number, with a decimal comma where the separator allows one.
    pub fn number(&self, text: &str) -> Option<f64> {
        let text = text.trim();
        let value: f64 = if self.decimal_comma {
            text.replace(',', ".").parse().ok()?
        } else {
            text.parse().ok()?
        };
        value.is_finite().then_some(value)
    }
}

/// The separator: whichever of `,`, `;` and tab the first line has most of
/// (spreadsheets in countries with a decimal comma write `;`).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let count = |c: char| first.matches(c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn error(err: &::csv::Error) -> CsvError {
    let line = err.position().map_or(1, ::csv::Position::line);
    match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => CsvError::new(
            line,
            format!("expected {expected_len} fields, as many as the header row has, found {len}"),
        ),
        _ => CsvError::new(line, format!("expected CSV: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_lines_and_blank_rows_are_skipped() {
        let t = Table::read(b"\xef\xbb\xbfa,b\n1,\"x\ny\"\n,\n2,z\n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1], "x\ny");
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn semicolons_mean_a_decimal_comma() {
        let t = Table::read("a;b\n1,5;2\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].cells, ["1,5", "2"]);
        assert_eq!(t.number("1,5"), Some(1.5));
        assert_eq!(t.number("inf"), None);
    }

    #[test]
    fn ragged_rows_and_bad_bytes_name_the_line() {
        let err = Table::read(b"a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("expected 2 fields"), "{err}");
        let err = Table::read(b"a,b\n1,2\n3,\xff\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("UTF-8"), "{err}");
        assert_eq!(Table::read(b"").unwrap_err().line, 1);
    }
}
