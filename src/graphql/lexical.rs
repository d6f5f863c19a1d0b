//! What a document's text shows before it is parsed: how many lexical tokens it has
//! and how deeply its brackets nest.
//!
//! The GraphQL parser recurses into list and object values without a bound (a
//! 3.6 KB `nodes(ids: [[[[…]]]])` overflowed the stack), so the nesting is measured
//! here, in one pass with no recursion, before the parser ever sees the text. The
//! scanner works on bytes: every delimiter it looks for is ASCII, so it never has
//! to split a multi-byte character and cannot panic on any input.

/// The figures of one document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lexed {
    /// Punctuators, names, numbers and strings; whitespace, commas and comments do
    /// not count.
    pub tokens: usize,
    /// The deepest nesting of list and object values (`[` and `{` inside an
    /// argument list, a variable definition or a default value).
    pub value_depth: usize,
    /// The deepest nesting of brackets of any kind, selection sets included.
    pub nesting: usize,
}

/// Scans `text` once. Unbalanced brackets are counted as they come; the parser
/// reports them afterwards.
pub fn scan(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut figures = Lexed::default();
    // The open brackets, and where in that stack each open `(` stands.
    let mut open: Vec<u8> = Vec::new();
    let mut parens: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                figures.tokens += 1;
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 3;
            }
            b'"' => {
                figures.tokens += 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                figures.tokens += 1;
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                figures.tokens += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'-' | b'.' | b'+'))
                {
                    i += 1;
                }
            }
            c @ (b'(' | b'[' | b'{') => {
                figures.tokens += 1;
                if c == b'(' {
                    parens.push(open.len());
                }
                open.push(c);
                figures.nesting = figures.nesting.max(open.len());
                // Inside parentheses every bracket opens a value (or a list type);
                // outside them a `[` can only be a value the parser will refuse.
                let values = match parens.last() {
                    Some(&at) => open.len() - at - 1,
                    None => usize::from(c == b'['),
                };
                figures.value_depth = figures.value_depth.max(values);
                i += 1;
            }
            b')' | b']' | b'}' => {
                figures.tokens += 1;
                if open.pop() == Some(b'(') {
                    parens.pop();
                }
                i += 1;
            }
            _ => {
                figures.tokens += 1;
                i += 1;
            }
        }
    }
    figures
}

/// How deeply the arrays and objects of a JSON text nest, found without parsing it
/// (so that a body nested ten thousand levels deep is refused before a recursive
/// parser sees it). Brackets inside strings do not count.
pub fn json_depth(text: &[u8]) -> usize {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0);
    while i < text.len() {
        match text[i] {
            b'"' => {
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// How deeply the lists and objects of a GraphQL value nest, without recursion.
pub fn value_depth(value: &async_graphql::Value) -> usize {
    use async_graphql::Value;
    let mut deepest = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, depth)) = pending.pop() {
        match value {
            Value::List(items) => {
                deepest = deepest.max(depth + 1);
                pending.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Value::Object(fields) => {
                deepest = deepest.max(depth + 1);
                pending.extend(fields.values().map(|v| (v, depth + 1)));
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tokens(text: &str) -> usize {
        scan(text).tokens
    }

    #[test]
    fn tokens_count_what_the_lexer_sees() {
        assert_eq!(tokens("{ a }"), 3);
        assert_eq!(
            tokens("query Q($x: Int = -1) { a(x: $x) @skip(if: true) ...F }"),
            28
        );
        assert_eq!(tokens("{ a(s: \"x, y { }\") } # { { {"), 8);
        assert_eq!(tokens("{ a(s: \"\"\"block \" { \"\"\") }"), 8);
    }

    #[test]
    fn escapes_before_multibyte_characters_do_not_split_them() {
        // Was a panic: a byte index inside 'é' after the backslash's skip.
        assert_eq!(tokens("\"\"\"\\é\"\"\""), 1);
        assert_eq!(tokens("\"\\é\""), 1);
        assert_eq!(tokens("\"\\"), 1);
        assert_eq!(tokens("\"\"\"\\"), 1);
    }

    #[test]
    fn value_nesting_is_measured_inside_arguments_only() {
        let q = |s: &str| scan(s).value_depth;
        assert_eq!(q("{ a { b { c } } }"), 0);
        assert_eq!(q("{ nodes(ids: [\"x\"]) { id } }"), 1);
        assert_eq!(q("{ a(f: { b: [[1], { c: 2 }] }) { id } }"), 3);
        assert_eq!(q("query($x: [[Int]] = [[1]]) { a }"), 2);
        assert_eq!(q("{ a @d(x: [[[1]]]) }"), 3);
        assert_eq!(q("{ a(s: \"[[[[[\") }"), 0);
        // Outside arguments a list cannot stand; the overall nesting bounds it.
        assert_eq!(q("[[["), 1);
        assert_eq!(scan("[[[").nesting, 3);
        let deep = format!(
            "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(q(&deep), 10_000);
        assert_eq!(scan(&deep).nesting, 10_002);
    }

    #[test]
    fn json_depth_skips_strings() {
        assert_eq!(json_depth(br#"{"a": [1, {"b": "[[[{"}]}"#), 3);
        assert_eq!(json_depth(br#""\"[[""#), 0);
        assert_eq!(json_depth(b"[[[[]]]]"), 4);
        assert_eq!(json_depth(&vec![b'['; 100_000]), 100_000);
    }

    #[test]
    fn graphql_values_are_measured_without_recursion() {
        let mut value = async_graphql::Value::Null;
        for _ in 0..100_000 {
            value = async_graphql::Value::List(vec![value]);
        }
        assert_eq!(value_depth(&value), 100_000);
        // Dropping such a value recurses; it is only built here to measure it.
        let mut value = value;
        while let async_graphql::Value::List(mut items) = value {
            value = items.pop().unwrap_or(async_graphql::Value::Null);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Any text at all, Unicode and stray escapes included, scans without panic,
        /// and its figures never exceed what its bytes could hold.
        #[test]
        fn any_text_scans(text in any::<String>()) {
            let figures = scan(&text);
            prop_assert!(figures.tokens <= text.len());
            prop_assert!(figures.value_depth <= figures.nesting);
            prop_assert!(json_depth(text.as_bytes()) <= text.len());
        }

        /// Documents built of GraphQL punctuation, quotes, backslashes and
        /// multi-byte characters (the shapes that broke the old counter).
        #[test]
        fn graphql_like_text_scans(parts in proptest::collection::vec(
            prop_oneof![
                Just("\"\"\""), Just("\""), Just("\\"), Just("é"), Just("ß"), Just("𝄞"),
                Just("{"), Just("}"), Just("["), Just("]"), Just("("), Just(")"),
                Just("..."), Just("#"), Just("\n"), Just("a"), Just("1.5e3"), Just(" "),
            ],
            0..200,
        )) {
            let text: String = parts.concat();
            let figures = scan(&text);
            prop_assert!(figures.tokens <= text.len());
        }
    }
}
