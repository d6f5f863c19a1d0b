//! sea-orm entities, one per table. GraphQL types wrap these models; they are not the
//! API contract themselves.
pub mod actor;
pub mod alias;
pub mod asset;
pub mod attestation;
pub mod base;
pub mod deployment;
pub mod event;
pub mod event_participant;
pub mod report;
pub mod source;
pub mod tenure;
