//! Query cost limits, checked before any SQL runs: document size and tokens, aliases
//! and root fields (on the text, for every transport), then depth and complexity (a
//! connection costs its `first`/`last` times what it selects) after validation.
use super::Query;
use super::lexical;
use super::mutation::Mutation;
use super::subscription::Subscription;
use crate::error::GarrisonError;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, Schema, ServerError, ValidationResult};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// The limits a request must keep within.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
    pub max_document_bytes: usize,
    pub max_tokens: usize,
    /// Deepest nesting of list and object values, in the document and in variables.
    pub max_value_depth: usize,
}

/// Brackets of any kind nested deeper than this are refused on the text: the parser
/// itself stops at 64 nested selection sets, and values have their own limit.
const SELECTION_NESTING: usize = 64;

/// Items a connection is assumed to return when neither `first` nor `last` is given.
const DEFAULT_PAGE: usize = 20;

/// The complexity of a connection field: its page size times what each item selects,
/// plus one for the connection itself.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let items = first
        .or(last)
        .map_or(DEFAULT_PAGE, |n| n.clamp(0, 100) as usize);
    items.saturating_mul(child_complexity).saturating_add(1)
}

fn over(limit: &'static str, actual: usize, max: usize) -> Result<(), GarrisonError> {
    if actual > max {
        return Err(GarrisonError::TooComplex { limit, actual, max });
    }
    Ok(())
}

impl Limits {
    /// Checks the request's document: bytes, tokens and nesting on the text and the
    /// nesting of its variables, before anything recursive parses them; then, when it
    /// parses, aliases and root fields. The parsed document stays in the request for
    /// execution; one that does not parse is left to the parser's own error.
    pub fn check_request(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<Checked, GarrisonError> {
        over(
            "document bytes",
            request.query.len(),
            self.max_document_bytes,
        )?;
        let lexed = lexical::scan(&request.query);
        over("tokens", lexed.tokens, self.max_tokens)?;
        over("value depth", lexed.value_depth, self.max_value_depth)?;
        over(
            "nesting",
            lexed.nesting,
            SELECTION_NESTING + self.max_value_depth,
        )?;
        let variables = request.variables.values().map(lexical::value_depth);
        over(
            "value depth",
            variables.max().unwrap_or(0),
            self.max_value_depth,
        )?;
        let Ok(document) = request.parsed_query() else {
            return Ok(Checked {
                parsed: false,
                operation: None,
            });
        };
        over("aliases", count_aliases(document), self.max_aliases)?;
        over(
            "root fields",
            count_root_fields(document),
            self.max_root_fields,
        )?;
        let mut operations = document.operations.iter();
        let operation = match (operations.next(), operations.next()) {
            (Some((name, _)), None) => name.map(|n| n.to_string()),
            _ => None,
        };
        Ok(Checked {
            parsed: true,
            operation,
        })
    }
}

/// How much deeper than `--max-value-depth` a JSON body or message may nest: the
/// batch array, the request object, its `variables` and a WebSocket message's
/// `payload` around the values themselves.
const ENVELOPE_DEPTH: usize = 4;

impl Limits {
    /// Refuses a JSON text (a body, a message, a GET parameter) whose arrays and
    /// objects nest `depth` deep: deeper than values may be, with their envelope.
    pub fn check_json_depth(&self, depth: usize) -> Result<(), GarrisonError> {
        over("JSON nesting", depth, self.max_value_depth + ENVELOPE_DEPTH)
    }
}

/// What the checks found of a request that passed them.
pub struct Checked {
    /// Whether the document parsed.
    pub parsed: bool,
    /// The name of the document's operation when it has exactly one, named.
    pub operation: Option<String>,
}

fn aliases_in(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + aliases_in(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => aliases_in(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// Aliased fields in all operations and fragments.
fn count_aliases(document: &ExecutableDocument) -> usize {
    let in_operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| aliases_in(&op.node.selection_set.node))
        .sum();
    let in_fragments: usize = document
        .fragments
        .values()
        .map(|f| aliases_in(&f.node.selection_set.node))
        .sum();
    in_operations + in_fragments
}

fn root_fields_in<'d>(
    document: &'d ExecutableDocument,
    set: &'d SelectionSet,
    seen: &mut HashSet<&'d str>,
) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(f) => {
                root_fields_in(document, &f.node.selection_set.node, seen)
            }
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match document.fragments.get(&s.node.fragment_name.node) {
                    Some(f) if seen.insert(name) => {
                        root_fields_in(document, &f.node.selection_set.node, seen)
                    }
                    _ => 0,
                }
            }
        })
        .sum()
}

/// The most top-level fields any operation of the document selects.
fn count_root_fields(document: &ExecutableDocument) -> usize {
    document
        .operations
        .iter()
        .map(|(_, op)| root_fields_in(document, &op.node.selection_set.node, &mut HashSet::new()))
        .max()
        .unwrap_or(0)
}

/// Measures the depth and complexity of a request before it runs.
///
/// The schema that executes has no extensions, on purpose: with any extension
/// registered, async-graphql runs every field of every answer through a chain of boxed
/// hooks. So a second schema validates the request, records the figures and stops
/// before execution; they decide whether the request may run (the limits) and what
/// share of the execution budget it takes (see `Gateway`).
pub struct CostMeter(Schema<Query, Mutation, Subscription>);

impl Default for CostMeter {
    fn default() -> Self {
        Self(
            Schema::build(Query::default(), Mutation::default(), Subscription)
                .extension(Measure)
                .finish(),
        )
    }
}

/// What a request costs.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    pub depth: usize,
    pub complexity: usize,
}

impl CostMeter {
    /// The cost of `request`, or `None` when its document does not validate (the
    /// execution then reports why, as it would anyway).
    pub async fn measure(&self, request: &mut Request) -> Option<Cost> {
        let document = request.parsed_query().ok()?.clone();
        let figures = Figures::default();
        let mut measured = Request::new(String::new())
            .variables(request.variables.clone())
            .data(figures.clone());
        measured.operation_name = request.operation_name.clone();
        measured.set_parsed_query(document);
        self.0.execute(measured).await;
        figures.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Limits {
    /// Refuses a request deeper or more complex than the limits allow.
    pub fn check_cost(&self, cost: Cost) -> Result<(), GarrisonError> {
        over("depth", cost.depth, self.max_depth)?;
        over("complexity", cost.complexity, self.max_complexity)
    }
}

/// Where [`Measure`] leaves the cost of the request it validated.
#[derive(Clone, Default)]
struct Figures(Arc<Mutex<Option<Cost>>>);

/// Records the validation's figures, then stops the request before execution.
struct Measure;

impl ExtensionFactory for Measure {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Measure)
    }
}

#[async_trait::async_trait]
impl Extension for Measure {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(figures) = ctx.data_opt::<Figures>() {
            *figures.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cost {
                depth: result.depth,
                complexity: result.complexity,
            });
        }
        Err(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_root_fields_are_counted_through_fragments() {
        let doc = async_graphql::parser::parse_query(
            "query { a: x b: y ...F ... on Query { z } } fragment F on Query { c: w v }",
        )
        .unwrap();
        assert_eq!(count_aliases(&doc), 3);
        assert_eq!(count_root_fields(&doc), 5);
    }
}
