//! Geographic filters of bases and events: `near` (a radius around a point) and
//! `within` (a latitude/longitude box), each a box on the indexed (latitude, longitude)
//! columns first and, for `near`, the exact great-circle distance after.
use super::filter::{OrderBy, SortField};
use super::pagination::{KeyKind, Ordering};
use crate::error::{ApiError, ApiResult};
use crate::geo::{Circle, EARTH_RADIUS_KM, GeoBox, MAX_DISTANCE_KM, Point};
use async_graphql::InputObject;
use garrison_core::entity::{PointColumns, Stored};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Func, SelectStatement};

/// A circle on the Earth's surface.
#[derive(InputObject, Clone, Copy)]
pub struct NearInput {
    /// Decimal degrees, −90 to 90.
    pub latitude: f64,
    /// Decimal degrees, −180 to 180.
    pub longitude: f64,
    /// Great-circle radius in kilometres, above 0 and at most 20,015 (half the
    /// circumference: the whole Earth).
    pub radius_km: f64,
}

/// A latitude/longitude box; `west` greater than `east` crosses the antimeridian.
#[derive(InputObject, Clone, Copy)]
pub struct WithinInput {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

fn latitude(value: f64, field: &str) -> ApiResult<f64> {
    if value.is_finite() && (-90.0..=90.0).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid(
            field,
            format!("{value} is not a latitude (−90 to 90)"),
        ))
    }
}

fn longitude(value: f64, field: &str) -> ApiResult<f64> {
    if value.is_finite() && (-180.0..=180.0).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid(
            field,
            format!("{value} is not a longitude (−180 to 180)"),
        ))
    }
}

impl NearInput {
    /// The circle, its ranges checked; `path` names the argument in errors.
    pub fn circle(&self, path: &str) -> ApiResult<Circle> {
        let radius = self.radius_km;
        if !(radius.is_finite() && radius > 0.0 && radius <= MAX_DISTANCE_KM) {
            return Err(ApiError::invalid(
                format!("{path}.radiusKm"),
                format!("{radius} is not a radius above 0 and at most {MAX_DISTANCE_KM:.0} km"),
            ));
        }
        Ok(Circle {
            center: Point {
                latitude: latitude(self.latitude, &format!("{path}.latitude"))?,
                longitude: longitude(self.longitude, &format!("{path}.longitude"))?,
            },
            radius_km: radius,
        })
    }
}

impl WithinInput {
    /// The box, its ranges checked; `path` names the argument in errors.
    pub fn geo_box(&self, path: &str) -> ApiResult<GeoBox> {
        let south = latitude(self.south, &format!("{path}.south"))?;
        let north = latitude(self.north, &format!("{path}.north"))?;
        if south > north {
            return Err(ApiError::invalid(
                format!("{path}.south"),
                format!("south ({south}) is north of north ({north})"),
            ));
        }
        Ok(GeoBox {
            south,
            west: longitude(self.west, &format!("{path}.west"))?,
            north,
            east: longitude(self.east, &format!("{path}.east"))?,
        })
    }
}

/// Narrows `select` to the rows (located in the columns `at`) inside `within` and `near` (as a list's
/// filter gives them) and returns the circle of `near`, which orders and measures the
/// list.
pub fn narrow(
    select: &mut SelectStatement,
    at: PointColumns<impl ColumnTrait>,
    near: Option<NearInput>,
    within: Option<WithinInput>,
) -> ApiResult<Option<Circle>> {
    if let Some(within) = within {
        select.and_where(inside(at, &within.geo_box("filter.within")?));
    }
    let near = near.map(|n| n.circle("filter.near")).transpose()?;
    if let Some(circle) = &near {
        select.and_where(self::near(at, circle));
    }
    Ok(near)
}

/// Rows located (in the columns `at`) inside `geo_box` (the (latitude, longitude) index
/// serves it).
fn inside(at: PointColumns<impl ColumnTrait>, geo_box: &GeoBox) -> Expr {
    let lat = at.latitude.into_expr();
    let lon = at.longitude.into_expr();
    let mut cond = lat.between(geo_box.south, geo_box.north);
    if geo_box.all_longitudes() {
        cond = cond.and(lon.is_not_null());
    } else if geo_box.west <= geo_box.east {
        cond = cond.and(lon.between(geo_box.west, geo_box.east));
    } else {
        cond = cond.and(lon.clone().gte(geo_box.west).or(lon.lte(geo_box.east)));
    }
    cond
}

/// The great-circle distance in kilometres from `center` to each row (located in the
/// columns `at`), in SQL (haversine; SQLite is built with its math functions for this).
fn distance(at: PointColumns<impl ColumnTrait>, center: Point) -> Expr {
    let radians = |e: Expr| Expr::from(Func::cust("RADIANS").arg(e));
    let sin_squared = |e: Expr| {
        Expr::from(
            Func::cust("POWER")
                .arg(Func::cust("SIN").arg(e.div(2.0)))
                .arg(2),
        )
    };
    let lat = radians(at.latitude.into_expr());
    let dlat = lat.clone().sub(center.latitude.to_radians());
    let dlon = radians(at.longitude.into_expr()).sub(center.longitude.to_radians());
    let h = sin_squared(dlat).add(
        Expr::val(center.latitude.to_radians().cos())
            .mul(Func::cust("COS").arg(lat))
            .mul(sin_squared(dlon)),
    );
    // Rounding can push h past 1 for antipodes, where ASIN would fail.
    let h: Expr = Expr::case(h.clone().gt(1.0), 1.0).finally(h).into();
    Expr::val(2.0 * EARTH_RADIUS_KM).mul(Func::cust("ASIN").arg(Func::cust("SQRT").arg(h)))
}

/// Rows within the circle: the bounding box, then the exact distance.
fn near<C: ColumnTrait>(at: PointColumns<C>, circle: &Circle) -> Expr {
    let close = distance(at, circle.center).lte(circle.radius_km);
    inside(at, &circle.bounding_box()).and(close)
}

/// The order of a list (located in the columns `at`) that may be filtered by `near`:
/// the one asked for, else nearest first.
pub fn ordering<F: SortField>(
    order_by: Option<OrderBy<F>>,
    near: Option<&Circle>,
    at: PointColumns<impl ColumnTrait>,
) -> Ordering {
    match (order_by, near) {
        (None, Some(circle)) => by_distance::<F::Entity>(at, circle.center),
        (order_by, _) => super::filter::ordering(order_by),
    }
}

/// Nearest first, from `center`; cursors are tied to the point.
fn by_distance<E: Stored>(at: PointColumns<impl ColumnTrait>, center: Point) -> Ordering {
    Ordering::new(
        format!("distance({},{})+", center.latitude, center.longitude),
        distance(at, center),
        KeyKind::Float,
        E::ID.into_expr(),
        false,
    )
}

/// The distance shown on an edge: from `center` to the item's location, if it has one.
pub fn edge_distance(center: Option<Point>, location: Option<(f64, f64)>) -> Option<f64> {
    let (latitude, longitude) = location?;
    Some(crate::geo::distance_km(
        center?,
        Point {
            latitude,
            longitude,
        },
    ))
}
