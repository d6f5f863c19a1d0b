//! Generated inputs for every kind of write: each answer is data or an error with a
//! code of the contract, never a 500 or a dropped connection.
use crate::helpers::spawn_app;
use crate::strategies::value;
use garrison::auth::Role;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

const CODES: &[&str] = &["BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "FORBIDDEN"];

/// An input object: some of the real fields of the write, with any values.
fn input(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::btree_map(prop::sample::select(fields), value(), 0..fields.len()).prop_map(
        |m| {
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Map<_, _>>(),
            )
        },
    )
}

#[test]
fn generated_writes_get_a_coded_answer() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (app, editor, admin) = runtime.block_on(async {
        let app = spawn_app().await;
        let editor = app.token(Role::Editor).await;
        let admin = app.token(Role::Admin).await;
        (app, editor, admin)
    });
    let writes = prop_oneof![
        input(&[
            "kind",
            "name",
            "country",
            "aliases",
            "parent",
            "description",
            "key"
        ])
        .prop_map(|i| ("createActor", "CreateActorInput", i)),
        input(&[
            "kind",
            "name",
            "country",
            "region",
            "location",
            "established",
            "aliases"
        ])
        .prop_map(|i| ("createBase", "CreateBaseInput", i)),
        input(&[
            "kind",
            "title",
            "status",
            "occurred",
            "confidence",
            "place",
            "attestations",
            "actors",
            "bases"
        ])
        .prop_map(|i| ("createEvent", "CreateEventInput", i)),
        input(&[
            "actor",
            "base",
            "role",
            "validFrom",
            "validTo",
            "basis",
            "attestations"
        ])
        .prop_map(|i| ("createTenure", "CreateTenureInput", i)),
        input(&["claim", "report", "excerpt", "credibility", "stance"]).prop_map(|i| (
            "createAttestation",
            "CreateAttestationInput",
            i
        )),
    ];
    let updates = (
        prop::sample::select(vec!["QWN0b3I6MQ", "QWN0b3I6Mg", "QWN0b3I6OTk5", "bogus"]),
        -2i64..4,
        input(&[
            "name",
            "country",
            "aliases",
            "parent",
            "description",
            "kind",
        ]),
    );
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(writes, updates, any::<bool>()), |((field, input_type, input), (id, version, patch), delete)| {
            runtime.block_on(async {
                let create = format!("mutation($input: {input_type}!) {{ {field}(input: $input) {{ __typename }} }}");
                let mut bodies = vec![app.graphql_as(&editor, &create, json!({ "input": input })).await];
                let update = "mutation($id: ID!, $v: Int!, $input: UpdateActorInput!) { updateActor(id: $id, expectedVersion: $v, input: $input) { actor { id } } }";
                bodies.push(app.graphql_as(&editor, update, json!({ "id": id, "v": version, "input": patch })).await);
                if delete {
                    let query = "mutation($id: ID!, $v: Int!) { deleteActor(id: $id, expectedVersion: $v) { actor { id } } }";
                    bodies.push(app.graphql_as(&admin, query, json!({ "id": id, "v": version })).await);
                }
                for body in bodies {
                    if let Some(errors) = body.get("errors") {
                        let code = errors[0]["extensions"]["code"].as_str().unwrap_or_default();
                        prop_assert!(CODES.contains(&code), "{body:#}");
                    } else {
                        prop_assert!(body.get("data").is_some(), "{body:#}");
                    }
                }
                Ok(())
            })
        })
        .expect("every write answered with data or a coded error");
}
