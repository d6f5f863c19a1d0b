//! Guarantees that every error a client sees carries `extensions.code`.
//!
//! Resolver errors get their code where they are raised (see `crate::error`). What is
//! left without one comes from async-graphql itself: unparseable documents, validation
//! failures and input values that fail coercion (such as a malformed `EDTF`). Those are
//! the client's mistakes, so they are tagged BAD_USER_INPUT here.
use crate::error::code;
use async_graphql::{Response, Value};

pub fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Value::from(code::BAD_USER_INPUT));
        }
    }
    response
}
