//! Generators shared by the property tests.
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value a client might send in a field.
pub fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-200.0f64..200.0).prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::from),
        prop::sample::select(vec![
            "",
            " ",
            "2024-12",
            "2024-12-13~",
            "2024-13-40",
            "../2024",
            "1971/..",
            "STATE",
            "AIR_BASE",
            "REPORTED",
            "A",
            "G",
            "SY",
            "ZZ",
            "https://x.test",
            "QWN0b3I6MQ",
            "QmFzZTox",
            "UmVwb3J0OjE",
            "RXZlbnQ6MQ",
            "not an id",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "latitude",
                    "longitude",
                    "precision",
                    "value",
                    "qualifier",
                    "report",
                    "excerpt",
                    "credibility",
                    "actor",
                    "role"
                ]),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// GraphQL-ish documents: token soup, and well-formed selections over real and
/// unknown fields with arguments of any kind.
pub fn document() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "(",
        ")",
        ":",
        "$x",
        "$y",
        "...",
        "on",
        "query",
        "mutation",
        "subscription",
        "fragment",
        "F",
        "Q",
        "@skip(if: true)",
        "@include(if: $x)",
        "bases",
        "nodes",
        "name",
        "events",
        "actors",
        "node",
        "id",
        "__typename",
        "__schema",
        "types",
        "first",
        "10",
        "-1",
        "1e400",
        "\"x\"",
        "null",
        "filter",
        "tenures",
        "history",
        "changes",
        "createActor",
        "input",
        "[",
        "]",
        "!",
        "=",
        "Int",
        "ID",
        "#",
        "\n",
        ",",
        "\"\"\"b\"\"\"",
        "\\u0000",
    ]);
    let soup = prop::collection::vec(token, 0..40).prop_map(|t| t.join(" "));
    let field = prop::sample::select(vec![
        "bases",
        "actors",
        "events",
        "sources",
        "reports",
        "assets",
        "node",
        "nodes",
        "changes",
        "tokens",
        "planets",
        "__typename",
    ]);
    let argument = prop::sample::select(vec![
        "",
        "(first: 3)",
        "(first: 1000)",
        "(first: -5)",
        "(last: 2, first: 2)",
        "(after: \"bogus\")",
        "(id: \"QmFzZTox\")",
        "(ids: [\"QmFzZTox\", \"x\"])",
        "(filter: { name: \"hmeimim\" })",
        "(filter: { during: \"2024-99\" })",
        "(first: $x)",
        "(orderBy: { field: NAME, direction: DESC })",
    ]);
    let inner = prop::sample::select(vec![
        "",
        "{ totalCount }",
        "{ nodes { id name } }",
        "{ nodes { id } pageInfo { endCursor } }",
        "{ id }",
        "{ edges { cursor node { id } } }",
        "{ nodes { tenures { nodes { actor { name } } } } }",
    ]);
    let selection = (field, argument, inner).prop_map(|(f, a, i)| format!("{f}{a} {i}"));
    let structured = (
        prop::collection::vec(selection, 1..4),
        prop::sample::select(vec!["", "query($x: Int)", "query Q", "mutation"]),
    )
        .prop_map(|(fields, head)| format!("{head} {{ {} }}", fields.join(" ")));
    prop_oneof![soup, structured]
}

/// What an attacker sends: values nested thousands of levels deep in every place a
/// document holds them, strings of escapes and multi-byte characters, and documents
/// near and over the size limits.
pub fn hostile_document() -> impl Strategy<Value = String> {
    let nesting = (0usize..3_000, any::<bool>(), 0usize..4).prop_map(|(depth, lists, place)| {
        let (open, close) = if lists { ("[", "]") } else { ("{a: ", "}") };
        let value = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        match place {
            0 => format!("{{ nodes(ids: {value}) {{ id }} }}"),
            1 => format!("query($x: [ID!] = {value}) {{ nodes(ids: $x) {{ id }} }}"),
            2 => format!("{{ __typename @include(if: {value}) }}"),
            _ => format!("{}{}", "{ a ".repeat(depth), "}".repeat(depth)),
        }
    });
    let unicode = "[\"\\\\é𝄞ßא{}\\[\\]() a-z:#\n]{0,120}".prop_map(|s| format!("{{ a(s: {s}) }}"));
    let block = "[\"\\\\é𝄞ß a]{0,60}".prop_map(|s| format!("{{ a(s: \"\"\"{s}\"\"\") }}"));
    let oversized =
        (30_000usize..40_000).prop_map(|n| format!("{{ __typename }} # {}", "x".repeat(n)));
    let many_tokens = (4_000usize..6_000).prop_map(|n| format!("{{ {} }}", "a ".repeat(n)));
    prop_oneof![nesting, unicode, block, oversized, many_tokens]
}

/// Variables as raw JSON text, nested up to thousands of levels.
pub fn hostile_variables() -> impl Strategy<Value = String> {
    (0usize..5_000, any::<bool>()).prop_map(|(depth, lists)| {
        let (open, close) = if lists { ("[", "]") } else { ("{\"a\": ", "}") };
        format!("{{\"x\": {}1{}}}", open.repeat(depth), close.repeat(depth))
    })
}
