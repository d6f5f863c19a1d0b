//! Writing bases.
use super::inputs::inputs;
use crate::graphql::Base;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::{BaseKind, LocationPrecision};
use garrison_core::write::records::{BaseChanges, Location};

/// Coordinates (WGS 84) and how precise they are.
#[derive(async_graphql::InputObject, Clone, Debug)]
pub struct LocationInput {
    /// -90 to 90.
    pub latitude: f64,
    /// -180 to 180.
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
}

impl From<LocationInput> for Location {
    fn from(l: LocationInput) -> Self {
        Self {
            latitude: l.latitude,
            longitude: l.longitude,
            precision: l.precision.map(Into::into),
        }
    }
}

inputs! {
    /// A new base.
    create CreateBaseInput;
    /// Changes to a base.
    update UpdateBaseInput;
    changes BaseChanges;
    required {
        kind: BaseKind,
        name: String,
    }
    optional {
        /// A stable external key, unique among bases.
        key: String,
        /// ISO 3166-1 alpha-2 code.
        country: String,
        region: String,
        location: LocationInput,
        /// When it was established (EDTF).
        established: Edtf,
        description: String,
    }
    lists {
        /// Other names; the whole list replaces the stored one.
        aliases: String,
    }
    references {}
    required_references {}
    fixed {}
}

super::crud!(
    BaseMutation,
    Base,
    BasePayload { base },
    create_base(CreateBaseInput, merge),
    update_base(UpdateBaseInput),
    delete_base
);
