//! Helpers that know nothing of reti's data: digests of source directories and the
//! directories named by them, dates, HTTP clients' TLS, the memory budget of queries, and
//! error messages.

pub mod dates;
pub mod digest;
pub mod fs;
pub mod http;
pub mod memory;

/// An error with its causes, `outer: inner: innermost`, each said once: what HTTP clients'
/// errors need to be understood ("error sending request" alone says nothing).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let message = s.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = s.source();
    }
    text
}
