//! The way into the schema, the same for every transport: persisted queries resolved
//! and cost limits checked before any SQL runs, an error code on every error, and
//! request errors told apart from execution.
use super::AppSchema;
use super::error_codes::with_codes;
use super::limits::{Cost, CostMeter, Limits};
use super::persisted::PersistedQueries;
use crate::error::{ApiError, GarrisonError};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response, ServerError};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

pub struct Gateway {
    schema: AppSchema,
    limits: Limits,
    persisted: PersistedQueries,
    meter: CostMeter,
    /// The complexity that may execute at once; each execution holds its own.
    budget: Semaphore,
    max_cost: u32,
}

/// A response, and whether it refuses the request itself (unparseable, invalid, over a
/// limit, no such operation) rather than reporting its execution.
pub struct Executed {
    pub response: Response,
    pub request_error: bool,
}

impl Executed {
    fn new(response: Response) -> Self {
        let response = with_codes(response);
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

    fn refusal(error: GarrisonError) -> Self {
        Self::new(Response::from_errors(vec![server_error(error)]))
    }
}

/// A domain error about a whole request as the GraphQL error a client receives (no
/// location: it is not about one place in the document).
pub fn server_error(error: GarrisonError) -> ServerError {
    let mut error =
        async_graphql::Error::from(ApiError::from(error)).into_server_error(Default::default());
    error.locations.clear();
    error
}

impl Gateway {
    /// `max_cost` is the total complexity executions may have at once (one costlier
    /// runs alone).
    pub fn new(
        schema: AppSchema,
        limits: Limits,
        persisted: PersistedQueries,
        max_cost: usize,
    ) -> Self {
        let max_cost = max_cost.clamp(1, u32::MAX as usize) as u32;
        Self {
            schema,
            limits,
            persisted,
            meter: CostMeter::default(),
            budget: Semaphore::new(max_cost as usize),
            max_cost,
        }
    }

    /// Resolves a persisted query and checks the limits on the document's text, then
    /// parses it (the parsed document stays in the request); a document registered
    /// for persistence is only stored once it has passed. Returns the name of the
    /// document's only operation, if it has one.
    pub fn admit(&self, request: &mut Request) -> Result<Option<String>, ServerError> {
        let registration = self.persisted.prepare(request).map_err(server_error)?;
        let checked = self.limits.check_request(request).map_err(server_error)?;
        if let Some(registration) = registration.filter(|_| checked.parsed) {
            self.persisted.register(registration, &request.query);
        }
        Ok(checked.operation)
    }

    /// The bytes the persisted queries' documents take.
    pub fn persisted_bytes(&self) -> usize {
        self.persisted.bytes()
    }

    /// The limits requests are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Measures an admitted request and refuses it if it is too deep or too complex.
    async fn cost(&self, request: &mut Request) -> Result<Option<Cost>, GarrisonError> {
        let cost = self.meter.measure(request).await;
        if let Some(cost) = cost {
            self.limits.check_cost(cost)?;
        }
        Ok(cost)
    }

    /// Executes an admitted query or mutation once the budget has room for its
    /// complexity: a burst of heavy requests waits instead of holding memory for all
    /// of them at once, while small ones keep running.
    pub async fn execute(&self, mut request: Request) -> Executed {
        let cost = match self.cost(&mut request).await {
            Ok(cost) => cost,
            Err(refused) => return Executed::refusal(refused),
        };
        let share = cost.map_or(1, |c| c.complexity.clamp(1, self.max_cost as usize) as u32);
        // The semaphore is never closed, so the permits always come.
        let _permits = self.budget.acquire_many(share).await;
        Executed::new(self.schema.execute(request).await)
    }

    /// Executes an admitted operation of any kind as a stream of responses: a query or
    /// mutation as one response, within `timeout` and the execution budget as over
    /// HTTP; a subscription for as long as its client stays (outside the budget).
    pub fn execute_stream(
        self: &Arc<Self>,
        mut request: Request,
        timeout: Duration,
    ) -> BoxStream<'static, Executed> {
        let gateway = self.clone();
        if operation_type(&mut request) != Some(OperationType::Subscription) {
            return futures_util::stream::once(async move {
                match tokio::time::timeout(timeout, gateway.execute(request)).await {
                    Ok(executed) => executed,
                    Err(_) => Executed::refusal(GarrisonError::Timeout(timeout.as_millis() as u64)),
                }
            })
            .boxed();
        }
        futures_util::stream::once(async move {
            match gateway.cost(&mut request).await {
                Ok(_) => gateway
                    .schema
                    .execute_stream(request)
                    .map(Executed::new)
                    .boxed(),
                Err(refused) => futures_util::stream::iter([Executed::refusal(refused)]).boxed(),
            }
        })
        .flatten()
        .boxed()
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
