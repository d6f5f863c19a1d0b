//! Great-circle geometry on a spherical Earth: distances, and the latitude/longitude
//! box that holds a circle, so that an index on (latitude, longitude) can prefilter
//! before the exact distance is computed.

/// Mean Earth radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Half the Earth's circumference: no two points are farther apart.
pub const MAX_DISTANCE_KM: f64 = std::f64::consts::PI * EARTH_RADIUS_KM;

/// A point in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

/// The great-circle distance between two points (haversine), in kilometres.
pub fn distance_km(a: Point, b: Point) -> f64 {
    let (la, lb) = (a.latitude.to_radians(), b.latitude.to_radians());
    let half_dlat = (lb - la) / 2.0;
    let half_dlon = (b.longitude - a.longitude).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + la.cos() * lb.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.min(1.0).sqrt().asin()
}

/// A box of latitudes and longitudes. `west > east` means it crosses the antimeridian
/// (from `west` eastwards through 180° to `east`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl GeoBox {
    /// Whether the box spans every longitude.
    pub fn all_longitudes(&self) -> bool {
        self.west <= -180.0 && self.east >= 180.0
    }
}

/// The points within `radius_km` of `center`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    pub center: Point,
    pub radius_km: f64,
}

impl Circle {
    /// The smallest latitude/longitude box holding the circle (J. P. Matuschek,
    /// "Finding Points Within a Distance of a Latitude/Longitude"): a circle over a pole
    /// spans every longitude; one across the antimeridian gives `west > east`.
    pub fn bounding_box(&self) -> GeoBox {
        let angle = self.radius_km / EARTH_RADIUS_KM;
        let lat = self.center.latitude.to_radians();
        let (south, north) = (lat - angle, lat + angle);
        let half_pi = std::f64::consts::FRAC_PI_2;
        if south <= -half_pi || north >= half_pi || angle >= std::f64::consts::PI {
            return GeoBox {
                south: south.max(-half_pi).to_degrees(),
                west: -180.0,
                north: north.min(half_pi).to_degrees(),
                east: 180.0,
            };
        }
        let half_width = (angle.sin() / lat.cos()).asin().to_degrees();
        let wrap = |lon: f64| {
            if lon < -180.0 {
                lon + 360.0
            } else if lon > 180.0 {
                lon - 360.0
            } else {
                lon
            }
        };
        GeoBox {
            south: south.to_degrees(),
            west: wrap(self.center.longitude - half_width),
            north: north.to_degrees(),
            east: wrap(self.center.longitude + half_width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LATAKIA: Point = Point {
        latitude: 35.5236,
        longitude: 35.7917,
    };
    const HMEIMIM: Point = Point {
        latitude: 35.4011,
        longitude: 35.9486,
    };

    #[test]
    fn known_distances() {
        let d = distance_km(LATAKIA, HMEIMIM);
        assert!((19.0..21.0).contains(&d), "{d}");
        let pole = Point {
            latitude: 90.0,
            longitude: 0.0,
        };
        let other_pole = Point {
            latitude: -90.0,
            longitude: 123.0,
        };
        assert!((distance_km(pole, other_pole) - MAX_DISTANCE_KM).abs() < 1e-6);
    }

    #[test]
    fn a_circle_over_a_pole_spans_all_longitudes() {
        let b = Circle {
            center: Point {
                latitude: 89.0,
                longitude: 10.0,
            },
            radius_km: 200.0,
        }
        .bounding_box();
        assert!(b.all_longitudes());
        assert_eq!(b.north, 90.0);
    }

    #[test]
    fn a_circle_across_the_antimeridian_wraps() {
        let b = Circle {
            center: Point {
                latitude: -17.0,
                longitude: 179.5,
            },
            radius_km: 300.0,
        }
        .bounding_box();
        assert!(b.west > b.east, "{b:?}");
    }

    fn inside(b: &GeoBox, p: Point) -> bool {
        let lon = if b.west <= b.east {
            (b.west..=b.east).contains(&p.longitude)
        } else {
            p.longitude >= b.west || p.longitude <= b.east
        };
        (b.south..=b.north).contains(&p.latitude) && lon
    }

    proptest! {
        /// Every point within the radius lies in the bounding box.
        #[test]
        fn the_box_holds_the_circle(
            lat in -90.0f64..=90.0, lon in -180.0f64..=180.0,
            plat in -90.0f64..=90.0, plon in -180.0f64..=180.0,
            radius in 0.1f64..5000.0,
        ) {
            let circle = Circle { center: Point { latitude: lat, longitude: lon }, radius_km: radius };
            let p = Point { latitude: plat, longitude: plon };
            if distance_km(circle.center, p) <= radius * (1.0 - 1e-9) {
                prop_assert!(inside(&circle.bounding_box(), p));
            }
        }
    }
}
