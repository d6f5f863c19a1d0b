//! Schema migrations for garrison. The same migrations serve SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod columns;
mod m20250101_000001_create_actor;
mod m20250101_000002_create_base;
mod m20250101_000003_create_asset;
mod m20250101_000004_create_source;
mod m20250101_000005_create_report;
mod m20250101_000006_create_event;
mod m20250101_000007_create_alias;
mod m20250101_000008_create_tenure;
mod m20250101_000009_create_deployment;
mod m20250101_000010_create_event_participant;
mod m20250101_000011_create_attestation;
mod m20250101_000012_create_change;
mod m20250101_000013_create_api_token;
mod m20250101_000014_create_place_time_search;
mod m20250101_000015_participant_event_order;
mod m20250101_000016_search_name_terms;
mod m20250101_000017_source_aliases;
mod m20250101_000018_markings;
mod m20250101_000019_visible_from;
mod m20250101_000020_event_location_precision;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20250101_000001_create_actor::Migration),
            Box::new(m20250101_000002_create_base::Migration),
            Box::new(m20250101_000003_create_asset::Migration),
            Box::new(m20250101_000004_create_source::Migration),
            Box::new(m20250101_000005_create_report::Migration),
            Box::new(m20250101_000006_create_event::Migration),
            Box::new(m20250101_000007_create_alias::Migration),
            Box::new(m20250101_000008_create_tenure::Migration),
            Box::new(m20250101_000009_create_deployment::Migration),
            Box::new(m20250101_000010_create_event_participant::Migration),
            Box::new(m20250101_000011_create_attestation::Migration),
            Box::new(m20250101_000012_create_change::Migration),
            Box::new(m20250101_000013_create_api_token::Migration),
            Box::new(m20250101_000014_create_place_time_search::Migration),
            Box::new(m20250101_000015_participant_event_order::Migration),
            Box::new(m20250101_000016_search_name_terms::Migration),
            Box::new(m20250101_000017_source_aliases::Migration),
            Box::new(m20250101_000018_markings::Migration),
            Box::new(m20250101_000019_visible_from::Migration),
            Box::new(m20250101_000020_event_location_precision::Migration),
        ]
    }
}
