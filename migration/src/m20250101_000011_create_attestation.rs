use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "attestation";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(
            &mut t,
            TABLE,
            "report_id",
            "report",
            false,
            OnDelete::Restrict,
        );
        columns::reference(&mut t, TABLE, "event_id", "event", true, OnDelete::Cascade);
        columns::reference(
            &mut t,
            TABLE,
            "tenure_id",
            "tenure",
            true,
            OnDelete::Cascade,
        );
        columns::reference(
            &mut t,
            TABLE,
            "deployment_id",
            "deployment",
            true,
            OnDelete::Cascade,
        );
        t.col(text(Alias::new("excerpt")))
            .col(small_integer(Alias::new("credibility")))
            .col(text(Alias::new("stance")))
            .check(Expr::cust("credibility >= 1 AND credibility <= 6"));
        columns::exactly_one_of(&mut t, &["event_id", "tenure_id", "deployment_id"]);
        manager.create_table(t).await?;
        for cols in [
            &["report_id"][..],
            &["event_id"],
            &["tenure_id"],
            &["deployment_id"],
        ] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
