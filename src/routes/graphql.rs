use crate::auth;
use crate::error::ApiError;
use crate::graphql::AppSchema;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use sea_orm::DatabaseConnection;

/// Whether reads need a token too (`--require-token`).
#[derive(Clone, Copy, Debug)]
pub struct AccessPolicy {
    pub require_token: bool,
}

/// Runs a request as the caller its `Authorization` header names; a bad token (or
/// none, when every request needs one) is answered with UNAUTHENTICATED unexecuted.
async fn execute(
    schema: &AppSchema,
    db: &DatabaseConnection,
    policy: AccessPolicy,
    http: &HttpRequest,
    request: async_graphql::Request,
) -> GraphQLResponse {
    let header = http
        .headers()
        .get(AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default());
    match auth::caller(db, header, policy.require_token).await {
        Ok(Some(principal)) => schema.execute(request.data(principal)).await.into(),
        Ok(None) => schema.execute(request).await.into(),
        Err(e) => {
            let error = async_graphql::Error::from(ApiError::from(e));
            async_graphql::Response::from_errors(vec![error.into_server_error(Default::default())])
                .into()
        }
    }
}

/// `POST /graphql`.
pub async fn graphql_post(
    schema: web::Data<AppSchema>,
    db: web::Data<DatabaseConnection>,
    policy: web::Data<AccessPolicy>,
    http: HttpRequest,
    request: GraphQLRequest,
) -> GraphQLResponse {
    execute(&schema, &db, **policy, &http, request.into_inner()).await
}

/// `GET /graphql?query=…`.
pub async fn graphql_get(
    schema: web::Data<AppSchema>,
    db: web::Data<DatabaseConnection>,
    policy: web::Data<AccessPolicy>,
    http: HttpRequest,
    request: GraphQLRequest,
) -> GraphQLResponse {
    execute(&schema, &db, **policy, &http, request.into_inner()).await
}

/// GraphiQL at `/`.
pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql")
                .title("garrison")
                .finish(),
        )
}
