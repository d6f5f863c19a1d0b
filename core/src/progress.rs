//! The progress bar of long commands (export, import), drawn on stderr only when it
//! is a terminal, so that piped output and logs stay clean.
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A bar for `len` records being `doing` ("exporting", "importing"), hidden when
/// stderr is not a terminal.
pub fn bar(len: u64, doing: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{doing} [{{bar:40}}] {{pos}}/{{len}} records ({{per_sec}}, {{eta}})"
        ))
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

/// Whether a bar would be drawn (so that counting what it needs can be skipped).
pub fn shown() -> bool {
    std::io::stderr().is_terminal()
}
