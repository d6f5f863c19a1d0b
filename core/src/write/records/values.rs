//! Values that several record types' changes hold.
use crate::error::GarrisonError;
use crate::vocabulary::{LocationPrecision, QuantityQualifier};
use crate::write::validate::{self, at};
use serde::{Deserialize, Serialize};

/// Coordinates (WGS 84) and how precise they are.
#[derive(Deserialize, Serialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Location {
    /// -90 to 90.
    pub latitude: f64,
    /// -180 to 180.
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
}

impl Location {
    /// The location stored in these columns, if both coordinates are.
    pub fn from_columns(
        latitude: Option<f64>,
        longitude: Option<f64>,
        precision: Option<LocationPrecision>,
    ) -> Option<Self> {
        latitude.zip(longitude).map(|(latitude, longitude)| Self {
            latitude,
            longitude,
            precision,
        })
    }

    /// Checks the coordinates' ranges.
    pub fn checked(self, path: &str) -> Result<Self, GarrisonError> {
        Ok(Self {
            latitude: validate::latitude(&at(path, "latitude"), self.latitude)?,
            longitude: validate::longitude(&at(path, "longitude"), self.longitude)?,
            precision: self.precision,
        })
    }
}

/// A counted quantity as stated ("at least two").
#[derive(Deserialize, Serialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Quantity {
    pub value: i32,
    pub qualifier: QuantityQualifier,
}

/// Where an event happened.
#[derive(Deserialize, Serialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Place {
    /// The place as named in reporting.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub location: Option<Location>,
}
