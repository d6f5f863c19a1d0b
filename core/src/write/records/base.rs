//! Writing bases.
use super::participant::Participant;
use super::values::Location;
use crate::entity::{base, deployment, tenure};
use crate::error::GarrisonError;
use crate::record::{Base, Deployment, EventBase, Tenure};
use crate::vocabulary::BaseKind;
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Aliases, Dependent, Named, NamedChanges, Session, Writable, refuse_duplicate};
use sea_orm::ActiveValue::Set;

/// What a write of a base may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct BaseChanges {
    pub names: NamedChanges<BaseKind>,
    pub country: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub location: Option<Option<Location>>,
    /// EDTF.
    pub established: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

#[async_trait::async_trait]
impl Writable for Base {
    type Changes = BaseChanges;
    type Children = Aliases;
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
        let aliases = Self::assign_identity(s, c.names, row, path)?;
        assign_country(&mut row.country, c.country, path)?;
        assign_text(
            &mut row.region,
            c.region,
            path,
            "region",
            validate::MAX_LABEL,
        )?;
        assign_description(&mut row.description, c.description, path)?;
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
        Aliases::checked::<Self>(&row.name, aliases, path)
    }

    async fn check(s: &mut Session, m: &base::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Base>(s, m, path).await
    }
}

super::named!(
    Base,
    BaseChanges,
    base,
    BaseKind,
    BaseId,
    country: Country,
    keep [country, region, location, established, description]
);
