//! `GET /export/{format}` (`bundle`, `stix` or `csv`): the whole graph as a file
//! download, as the caller's clearance sees it (what `garrison export` writes, minus
//! every record hidden from the caller, with references to hidden records null). For
//! tokens of role editor or admin.
//!
//! The export is written to an unnamed temporary file first, in the command's
//! constant memory, and sent from there: a slow client holds a file, not a database
//! read or the server's memory. Exports are heavy, so one runs at a time; a request
//! meanwhile is refused (429, `Retry-After`). The first byte comes when the export is
//! written (about 20 s at 100,000 events).
use super::graphql::{GraphqlContext, Media, caller};
use crate::auth::Role;
use crate::export::{self, Format, Progress};
use crate::graphql::gateway::server_error;
use crate::visibility::Clearance;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use garrison_core::error::{ConflictDetail, GarrisonError, clipped};
use serde_json::json;
use std::io::{Read, Seek};
use tokio::sync::Semaphore;

/// The exports a server runs: one at a time.
pub struct Exports(Semaphore);

impl Default for Exports {
    fn default() -> Self {
        Self(Semaphore::new(1))
    }
}

/// Bytes sent per chunk.
const CHUNK: usize = 64 * 1024;

/// The download of the graph in `format`.
pub async fn download(
    http: HttpRequest,
    format: web::Path<String>,
    context: web::Data<GraphqlContext>,
    exports: web::Data<Exports>,
) -> HttpResponse {
    let (format, content_type, file_name) = match format.as_str() {
        "bundle" => (Format::Bundle, "application/json", "garrison.json"),
        "stix" => (
            Format::Stix,
            "application/stix+json;version=2.1",
            "garrison.stix.json",
        ),
        "csv" => (Format::Csv, "text/csv; charset=utf-8", "garrison.csv"),
        other => {
            return refused(
                StatusCode::NOT_FOUND,
                GarrisonError::not_found(
                    "export format",
                    format!(
                        "\"{}\" (the formats are bundle, stix and csv) is",
                        clipped(other, 40)
                    ),
                ),
            );
        }
    };
    let principal = match caller(&context, &http, Media::GraphqlResponseJson).await {
        Ok(Some(principal)) => principal,
        Ok(None) => {
            return refused(
                StatusCode::UNAUTHORIZED,
                GarrisonError::Unauthenticated(
                    "an export needs a token of role editor: send \"Authorization: Bearer <token>\""
                        .into(),
                ),
            );
        }
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(err) = principal.require(Role::Editor) {
        return refused(StatusCode::FORBIDDEN, err);
    }
    let Ok(permit) = exports.0.try_acquire() else {
        let mut busy = refused(
            StatusCode::TOO_MANY_REQUESTS,
            GarrisonError::conflict(
                "an export is already running: try again when it ends",
                ConflictDetail::None,
            ),
        );
        busy.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("10"),
        );
        return busy;
    };
    let clearance = Clearance(principal.clearance);
    let file = match written(&context, clearance, format).await {
        Ok(file) => file,
        Err(err) => {
            tracing::error!(error = %err, "export for download failed");
            return refused(StatusCode::INTERNAL_SERVER_ERROR, err);
        }
    };
    drop(permit);
    // Reads of a local file, a chunk at a time: short enough not to hold the worker.
    let body = futures_util::stream::unfold(file, |mut file| async move {
        let mut chunk = vec![0; CHUNK];
        match file.read(&mut chunk) {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok::<_, std::io::Error>(web::Bytes::from(chunk)), file))
            }
            Err(err) => Some((Err(err), file)),
        }
    });
    HttpResponse::Ok()
        .content_type(content_type)
        // What the file holds depends on who asks: no cache may keep it.
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .streaming(body)
}

/// The export written to an unnamed temporary file, rewound.
async fn written(
    context: &GraphqlContext,
    clearance: Clearance,
    format: Format,
) -> Result<std::fs::File, GarrisonError> {
    let internal = |e: std::io::Error| GarrisonError::Internal(Box::new(e));
    let mut file = tempfile::tempfile().map_err(internal)?;
    let out = std::io::BufWriter::new(&mut file);
    export::to_writer(&context.db, clearance, format, Progress::Silent, out).await?;
    file.rewind().map_err(internal)?;
    Ok(file)
}

/// A refusal with its error in the API's shape.
fn refused(status: StatusCode, err: GarrisonError) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "errors": [server_error(err)] }))
}
