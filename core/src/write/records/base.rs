//! Writing bases.
use super::participant::Participant;
use super::values::Location;
use crate::entity::{base, deployment, tenure};
use crate::error::GarrisonError;
use crate::record::{Base, Deployment, EventBase, Tenure};
use crate::vocabulary::{BaseKind, Marking};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Session, Writable, refuse_duplicate, sync_aliases,
};
use sea_orm::ActiveValue::Set;

/// What a write of a base may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct BaseChanges {
    pub kind: Option<BaseKind>,
    pub name: Option<String>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    pub country: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub location: Option<Option<Location>>,
    /// EDTF.
    pub established: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub aliases: Option<Vec<String>>,
}

#[async_trait::async_trait]
impl Writable for Base {
    type Changes = BaseChanges;
    type Children = Option<Vec<String>>;
    fn restricted_by() -> Vec<Dependent> {
        vec![
            Dependent::on::<Tenure>(tenure::Column::BaseId),
            Dependent::on::<Deployment>(deployment::Column::BaseId),
            Dependent::on::<EventBase>(EventBase::COLUMN),
        ]
    }

    async fn apply(
        s: &mut Session,
        c: BaseChanges,
        row: &mut base::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
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
            c.established,
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

super::named!(
    Base,
    BaseChanges,
    base,
    BaseId,
    country: Country,
    keep [key, country, region, location, established, description]
);
