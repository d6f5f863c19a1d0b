//! Guarantees that every error a client sees carries `extensions.code`.
//!
//! Resolver errors get their code where they are raised (see `crate::error`). What is
//! left without one comes from async-graphql itself: unparseable documents, validation
//! failures and input values that fail coercion (such as a malformed `EDTF`). Those are
//! the client's mistakes, so they are tagged BAD_USER_INPUT here.
use crate::error::code;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest};
use async_graphql::{Response, Value};
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
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            let extensions = error.extensions.get_or_insert_with(Default::default);
            if extensions.get("code").is_none() {
                extensions.set("code", Value::from(code::BAD_USER_INPUT));
            }
        }
        response
    }
}
