//! The analyst's console: GraphiQL at `/`, the map at `/map`, and everything they load
//! at `/assets/…`, embedded in the binary from `assets/` (the vendored npm files in
//! `assets/vendor/`, refreshed by `scripts/vendor-assets.sh`). No page refers to
//! another host, and each says so in its `Content-Security-Policy`, so the console
//! works on a network without internet access.
use actix_web::http::header::{self, EntityTag, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;
use serde_json::json;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// What the pages may load: their own origin's scripts, styles, images, fonts and
/// connections (HTTP and WebSocket) only; GraphiQL's fonts come as `data:` URLs and
/// its editors set inline styles.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Vendored files carry their version in their path: they never change under it.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The console's own files change with garrison: revalidated each time (by ETag).
const REVALIDATE: &str = "no-cache";

/// Longest asset path served (the longest today is under 60 characters).
const MAX_PATH: usize = 200;

/// GraphiQL at `/`.
pub async fn graphiql(req: HttpRequest) -> HttpResponse {
    page(&req, "graphiql.html")
}

/// The map and timeline at `/map`.
pub async fn map(req: HttpRequest) -> HttpResponse {
    page(&req, "map.html")
}

/// A file the pages load, at `/assets/{path}`.
pub async fn asset(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    // Embedded names never hold `..` or a leading `/`; anything else is not ours.
    if path.len() > MAX_PATH || path.split('/').any(|part| part.is_empty() || part == "..") {
        return not_found();
    }
    let cache = match path.starts_with("vendor/") {
        true => IMMUTABLE,
        false => REVALIDATE,
    };
    serve(&req, &path, cache)
}

fn page(req: &HttpRequest, name: &str) -> HttpResponse {
    let mut response = serve(req, name, REVALIDATE);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

/// The embedded file `path`, or 304 when the caller's copy (by ETag) is current.
fn serve(req: &HttpRequest, path: &str, cache: &'static str) -> HttpResponse {
    let Some(file) = Assets::get(path) else {
        return not_found();
    };
    let hash: String = file.metadata.sha256_hash()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let tag = EntityTag::new_strong(hash);
    // If-None-Match compares weakly (RFC 9110 13.1.2); `*` matches any current file.
    let current = match req.get_header::<header::IfNoneMatch>() {
        Some(header::IfNoneMatch::Any) => true,
        Some(header::IfNoneMatch::Items(tags)) => tags.iter().any(|held| held.weak_eq(&tag)),
        None => false,
    };
    let mut response = match current {
        true => HttpResponse::NotModified(),
        false => HttpResponse::Ok(),
    };
    response
        .insert_header((header::ETAG, tag.clone()))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if current {
        return response.finish();
    }
    response
        .content_type(file.metadata.mimetype())
        .body(file.data.into_owned())
}

/// Any path the server has no route for (and an asset it does not hold).
pub async fn unknown() -> HttpResponse {
    not_found()
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(json!({
        "errors": [{ "message": "no such page or asset", "extensions": { "code": "NOT_FOUND" } }]
    }))
}
