//! Writing bases.
use super::inputs::inputs;
use crate::entity::base;
use crate::error::GarrisonError;
use crate::graphql::Base;
use crate::graphql::scalars::Edtf;
use crate::vocabulary::{BaseKind, LocationPrecision};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Session, Writable, refuse_duplicate, sync_aliases,
};
use sea_orm::ActiveValue::Set;
use serde::Deserialize;

/// Coordinates (WGS 84) and how precise they are.
#[derive(async_graphql::InputObject, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LocationInput {
    /// -90 to 90.
    pub latitude: f64,
    /// -180 to 180.
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
}

impl LocationInput {
    /// Checks the coordinates' ranges.
    pub fn checked(self, path: &str) -> Result<Self, GarrisonError> {
        Ok(Self {
            latitude: validate::latitude(&at(path, "latitude"), self.latitude)?,
            longitude: validate::longitude(&at(path, "longitude"), self.longitude)?,
            precision: self.precision,
        })
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

#[async_trait::async_trait]
impl Writable for Base {
    type Changes = BaseChanges;
    type Children = Option<Vec<String>>;
    const RESTRICTED_BY: &'static [Dependent] = &[
        Dependent::new("tenure", "base_id", "Tenure"),
        Dependent::new("deployment", "base_id", "Deployment"),
        Dependent::participant("base_id", "EventBase"),
    ];

    async fn apply(
        _s: &mut Session,
        c: BaseChanges,
        row: &mut base::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
        assign(&mut row.kind, c.kind);
        assign_name(&mut row.name, &mut row.name_key, c.name, &at(path, "name"))?;
        assign_checked(&mut row.country, c.country, |v| {
            validate::country(&at(path, "country"), v)
        })?;
        assign_text(
            &mut row.region,
            c.region,
            path,
            "region",
            validate::MAX_LABEL,
        )?;
        assign_text(
            &mut row.description,
            c.description,
            path,
            "description",
            validate::MAX_TEXT,
        )?;
        if let Some(given) = c.location {
            let l = given
                .map(|l| l.checked(&at(path, "location")))
                .transpose()?;
            row.latitude = Set(l.as_ref().map(|l| l.latitude));
            row.longitude = Set(l.as_ref().map(|l| l.longitude));
            row.location_precision = Set(l.and_then(|l| l.precision));
        }
        assign_fuzzy_date(
            &mut row.established,
            &mut row.established_lo,
            &mut row.established_hi,
            c.established.map(|d| d.map(Edtf::into_inner)),
            &at(path, "established"),
        )?;
        checked_aliases(&row.name, c.aliases, path)
    }

    async fn write_children(
        s: &mut Session,
        aliases: Self::Children,
        id: i64,
        _path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_aliases(s, Self::ALIAS_COLUMN, id, aliases).await
    }

    async fn check(s: &mut Session, m: &base::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Base>(s, m, path).await
    }
}

super::named!(Base, BaseChanges, base, "base_id", country);

super::crud!(
    BaseMutation,
    Base,
    BasePayload { base },
    create_base(CreateBaseInput, merge),
    update_base(UpdateBaseInput),
    delete_base
);
