use actix_web::HttpResponse;

/// `/healthz`: the process is up and serving.
pub async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}
