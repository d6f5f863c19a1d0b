//! Guarantees that every error a client sees carries `extensions.code`.
//!
//! Resolver errors get their code where they are raised (see `crate::error`). What is
//! left without one comes from async-graphql itself: unparseable documents, validation
//! failures and input values that fail coercion (such as a malformed `EDTF`). Those are
//! the client's mistakes, so they are tagged BAD_USER_INPUT here.
use crate::error::code;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{Response, Value};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::sync::Arc;

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        with_codes(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(with_codes).boxed()
    }
}

fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        // The automatic persisted queries protocol has its own code for a miss.
        let code = match error.message.as_str() {
            "PersistedQueryNotFound" => "PERSISTED_QUERY_NOT_FOUND",
            _ => code::BAD_USER_INPUT,
        };
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Value::from(code));
        }
    }
    response
}
