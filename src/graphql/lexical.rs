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
            // A comment ends at a line terminator: `\n`, `\r` or both.
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            // A block string ends at `"""`; its only escape is `\"""`. One that never
            // ends is, to the parser, an empty string `""` and a `"` that starts the
            // next: so it is here too, and what follows is scanned as the parser reads it.
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                figures.tokens += 1;
                let mut end = i + 3;
                while end < bytes.len() && !bytes[end..].starts_with(b"\"\"\"") {
                    end += if bytes[end..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i = if end < bytes.len() { end + 3 } else { i + 2 };
            }
            // A string ends at an unescaped `"` (or, invalidly, a line terminator).
            b'"' => {
                figures.tokens += 1;
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\n' | b'\r') {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                figures.tokens += 1;
                i += 3;
            }
            // A name: `[_A-Za-z][_0-9A-Za-z]*`.
            c if c.is_ascii_alphabetic() || c == b'_' => {
                figures.tokens += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            // A number: `digits(.digits)?([eE][+-]?digits)?`; a sign before it, and
            // anything else, is a token of its own (so `0-0-0` is five, as the parser
            // reads it).
            c if c.is_ascii_digit() => {
                figures.tokens += 1;
                i += 1;
                let digits = |i: &mut usize| {
                    while *i < bytes.len() && bytes[*i].is_ascii_digit() {
                        *i += 1;
                    }
                };
                digits(&mut i);
                if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                    digits(&mut i);
                }
                if matches!(bytes.get(i), Some(b'e' | b'E')) {
                    let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
                    if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
                        i += 1 + sign;
                        digits(&mut i);
                    }
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

/// What a JSON text holds, found without parsing it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonFigures {
    /// How deeply its arrays and objects nest.
    pub depth: usize,
    /// How many values it holds (strings, numbers, literals, arrays, objects; object
    /// keys count too): what parsing it would build, and hold in memory.
    pub values: usize,
}

/// Measures a JSON text in one pass without recursion, so that a body nested ten
/// thousand levels deep, or holding millions of values, is refused before a parser
/// builds it. Brackets inside strings do not count.
pub fn json_figures(text: &[u8]) -> JsonFigures {
    let mut figures = JsonFigures::default();
    let (mut depth, mut i, mut in_scalar) = (0usize, 0, false);
    while i < text.len() {
        let c = text[i];
        let scalar = !matches!(c, b'"' | b'[' | b']' | b'{' | b'}' | b',' | b':')
            && !c.is_ascii_whitespace();
        if scalar && !in_scalar {
            figures.values += 1;
        }
        in_scalar = scalar;
        match c {
            b'"' => {
                figures.values += 1;
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                figures.values += 1;
                depth += 1;
                figures.depth = figures.depth.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    figures
}

/// How deeply the arrays and objects of a JSON text nest (see [`json_figures`]).
pub fn json_depth(text: &[u8]) -> usize {
    json_figures(text).depth
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
        // (`-1` is two here: a sign counts on its own.)
        assert_eq!(
            tokens("query Q($x: Int = -1) { a(x: $x) @skip(if: true) ...F }"),
            29
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
        // An unclosed block string is `""` and a string that starts at the third quote.
        assert_eq!(tokens("\"\"\"\\"), 2);
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
    fn json_values_are_counted_as_a_parser_would_build_them() {
        let values = |t: &str| json_figures(t.as_bytes()).values;
        assert_eq!(values("1"), 1);
        assert_eq!(values("[0,0, 0]"), 4);
        assert_eq!(values(r#"{"a": "x, y", "b": [true, null]}"#), 7);
        assert_eq!(values(r#""[1,2,3]""#), 1);
        let zeros = format!("[{}0]", "0,".repeat(7_500_000));
        assert_eq!(values(&zeros), 7_500_002);
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

    #[test]
    fn comments_end_at_a_carriage_return_too() {
        // Was a hole: `#\r` hid the rest of the document from the scan.
        let doc = format!(
            "#\r{{ nodes(ids: {}\"a\"{}) {{ id }} }}",
            "[".repeat(400),
            "]".repeat(400)
        );
        assert_eq!(scan(&doc).value_depth, 400);
        assert_eq!(scan("#\r{ a }").tokens, 3);
    }

    #[test]
    fn an_unclosed_block_string_is_two_quotes_as_the_parser_reads_it() {
        // Was a hole: the scan took everything after `""""` for a block string, the
        // parser reads `""` `""` and then the brackets.
        for opening in ["\"\"\"\"", "\"\"\"x\""] {
            let doc = format!("{{a(b:[{opening}{}{}])}}", "[".repeat(400), "]".repeat(400));
            assert!(scan(&doc).value_depth >= 401, "{doc:.40}");
        }
    }

    #[test]
    fn names_and_numbers_are_split_as_the_parser_splits_them() {
        assert_eq!(tokens("0-0-0"), 5);
        assert_eq!(tokens("F...F...F"), 5);
        // A sign counts on its own: more than the parser sees, never fewer.
        assert_eq!(tokens("1.5e+3 -2 a_b9"), 4);
        assert_eq!(tokens("1.e3"), 3);
    }

    #[test]
    fn a_block_string_ends_where_the_parser_ends_it() {
        // `\\"""` is a backslash, then the escape `\"""`: the string goes on.
        let doc = "{ a(s: \"\"\"x\\\\\"\"\" y \"\"\", t: [[1]]) }";
        assert!(async_graphql::parser::parse_query(doc).is_ok(), "{doc}");
        assert_eq!(scan(doc).value_depth, 2);
    }

    /// A value `depth` lists deep, with `gaps` (ignored text and strings) between its
    /// tokens.
    fn nested_value(depth: usize, gaps: &[&str]) -> String {
        let gap = |i: usize| gaps[i % gaps.len()];
        let mut text = String::new();
        for i in 0..depth {
            text.push('[');
            text.push_str(gap(i));
        }
        text.push_str("\"\"\"x\\\"\"\"y\"\"\"");
        for i in 0..depth {
            text.push_str(gap(i + depth));
            text.push(']');
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever comments, line terminators and strings stand between its tokens,
        /// a document the parser accepts is never measured shallower than it is.
        #[test]
        fn the_scan_never_measures_less_than_the_parser_reads(
            depth in 1usize..40,
            gaps in proptest::collection::vec(prop::sample::select(vec![
                " ", ",", "\n", "\r", "\r\n", "\t", "# c\r", "# c\n", "#\r", "# [[[\r",
                "\"s\",", "\"\\\"[\",", "\"\"\"[\\\"\"\"[\"\"\",", "\"\"\"\"\"\",",
                "\"\"\"\"", "\"\"\"x\"", "\"\"\"[\"", "1.5e3,", "-1,",
            ]), 1..8),
            prefix in prop::sample::select(vec!["", "#\r", "# x\r\n", "\u{feff}", "\r"]),
        ) {
            let doc = format!("{prefix}{{ a(x: {}) }}", nested_value(depth, &gaps));
            if async_graphql::parser::parse_query(&doc).is_ok() {
                prop_assert!(scan(&doc).value_depth >= depth, "{doc:?}");
            }
        }

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
