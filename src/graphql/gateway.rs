//! The way into the schema, the same for every transport: persisted queries resolved
//! and cost limits checked before any SQL runs, an error code on every error, and
//! request errors told apart from execution.
use super::AppSchema;
use super::error_codes::with_codes;
use super::limits::{CostMeter, Limits, Measurable};
use super::persisted::PersistedQueries;
use crate::error::{ApiError, GarrisonError};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response, ServerError};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::sync::Arc;

pub struct Gateway {
    schema: AppSchema,
    limits: Limits,
    persisted: PersistedQueries,
    meter: CostMeter,
}

/// A response, and whether it refuses the request itself (unparseable, invalid, over a
/// limit, no such operation) rather than reporting its execution.
pub struct Executed {
    pub response: Response,
    pub request_error: bool,
}

impl Executed {
    fn new(response: Response) -> Self {
        // Execution errors always have a path (the field that failed); a refusal has
        // none and no data.
        let request_error = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        Self {
            response,
            request_error,
        }
    }
}

/// A domain error as the GraphQL error a client receives.
pub fn server_error(error: GarrisonError) -> ServerError {
    async_graphql::Error::from(ApiError::from(error)).into_server_error(Default::default())
}

impl Gateway {
    /// `limits.max_depth` and `limits.max_complexity` must be the ones `schema` was
    /// built with.
    pub fn new(schema: AppSchema, limits: Limits, persisted_queries: usize) -> Self {
        Self {
            schema,
            limits,
            persisted: PersistedQueries::new(persisted_queries),
            meter: CostMeter::default(),
        }
    }

    /// Resolves a persisted query and checks the limits on the document's text. The
    /// parsed document stays in the request. Returns the name of the document's only
    /// operation, if it has one.
    pub fn admit(&self, request: &mut Request) -> Result<Option<String>, ServerError> {
        self.persisted.resolve(request).map_err(server_error)?;
        self.limits.check_request(request).map_err(server_error)
    }

    /// Executes an admitted query or mutation.
    pub async fn execute(&self, request: Request) -> Executed {
        let measurable = Measurable::of(&request);
        let response = self.schema.execute(request).await;
        self.finish(response, Some(measurable)).await
    }

    /// Executes an admitted operation of any kind, subscriptions included, as a stream
    /// of responses.
    pub fn execute_stream(self: &Arc<Self>, request: Request) -> BoxStream<'static, Executed> {
        let gateway = self.clone();
        let mut measurable = Some(Measurable::of(&request));
        self.schema
            .execute_stream(request)
            .then(move |response| {
                let gateway = gateway.clone();
                // Only a first response can be a refusal.
                let measurable = measurable.take();
                async move { gateway.finish(response, measurable).await }
            })
            .boxed()
    }

    async fn finish(&self, response: Response, request: Option<Measurable>) -> Executed {
        let refusal = match request {
            Some(request) => self.meter.refusal(&self.limits, &response, request).await,
            None => None,
        };
        let response = match refusal {
            Some(error) => Response::from_errors(vec![server_error(error)]),
            None => response,
        };
        Executed::new(with_codes(response))
    }
}

/// The kind of operation `request` would run, when its document parses and has it.
/// The parsed document stays in the request.
pub fn operation_type(request: &mut Request) -> Option<OperationType> {
    let name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let operation = match &name {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name.as_str())),
        None => document.operations.iter().next(),
    };
    operation.map(|(_, op)| op.node.ty)
}
