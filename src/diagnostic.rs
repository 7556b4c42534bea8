//! Problems found in the source files, reported the way compilers do: `file:line:column: message`.
//!
//! Every layer that reads maintainers' files reports through [`Diagnostic`], so `reti check`
//! can print all problems at once, in file order, in one format an editor can jump to.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One problem in one place of one file, with a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// The file as the user named it (relative to the working directory when they gave a
    /// relative `--data`), so the path can be pasted into an editor.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when reti can tell.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one pass, sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts by file and position and removes exact repeats.
    pub fn sort(&mut self) {
        self.0.sort();
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The text of a source file, kept to turn byte offsets into lines and columns.
#[derive(Debug)]
pub struct SourceText {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Indexes `text` (the file's content) for line lookups.
    pub fn new(path: PathBuf, text: String) -> Arc<Self> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Self {
            path,
            text,
            line_starts,
        })
    }

    /// Indexes `text` with the given line starts (a CSV file's rows, where a quoted cell may
    /// hold a line break); `line_starts` begins with 0 and ascends.
    pub(crate) fn with_line_starts(
        path: PathBuf,
        text: String,
        line_starts: Vec<usize>,
    ) -> Arc<Self> {
        Arc::new(Self {
            path,
            text,
            line_starts,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's content.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line.saturating_sub(1)];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line.max(1), column)
    }

    /// A diagnostic at the start of `span`.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        let (line, column) = self.line_column(span.start);
        Diagnostic {
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            help,
        }
    }
}

/// The known name nearest to `unknown`, if one is near enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = SourceText::new("f".into(), "ab\nFörli = 1\n".into());
        assert_eq!(text.line_column(0), (1, 1));
        assert_eq!(text.line_column(3), (2, 1));
        // byte 6 is after "Fö" (ö is two bytes): third character
        assert_eq!(text.line_column(6), (2, 3));
    }

    #[test]
    fn nearest_suggests_typos_only() {
        assert_eq!(nearest("turn", ["turin", "trieste"]), Some("turin"));
        assert_eq!(nearest("zzz", ["turin", "trieste"]), None);
    }
}
