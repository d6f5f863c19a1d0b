use actix_web::HttpResponse;
use actix_web::web;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

/// `/healthz`: the process is up and serving.
pub async fn health_check() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// `/readyz`: the database answers and every migration is applied; 503 otherwise.
pub async fn readiness(db: web::Data<DatabaseConnection>) -> HttpResponse {
    let unready = |reason: &str| {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(format!("not ready: {reason}\n"))
    };
    let check = tokio::time::timeout(std::time::Duration::from_secs(2), async {
        db.ping()
            .await
            .map_err(|_| "the database does not answer")?;
        let pending = Migrator::get_pending_migrations(db.get_ref())
            .await
            .map_err(|_| "the migrations cannot be read")?;
        if pending.is_empty() {
            Ok(())
        } else {
            Err("migrations are pending")
        }
    })
    .await;
    match check {
        Ok(Ok(())) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Ok(Err(reason)) => unready(reason),
        Err(_) => unready("the database does not answer in time"),
    }
}
