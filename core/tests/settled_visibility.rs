//! The visibility that reads check (`visible_from`, settled as writes commit) is the
//! rule's answer for every row, whatever sequence of writes came before: markings
//! changed on every record type, attestations added and deleted, events deleted.
use garrison_core::bundle::{self, Bundle};
use garrison_core::database::{StatementCounter, connect};
use garrison_core::entity::Stored;
use garrison_core::record::{
    Actor, Asset, Attestation, Base, Deployment, Event, EventActor, EventAsset, EventBase, Report,
    Source, Tenure,
};
use garrison_core::visibility::{Clearance, Visible};
use garrison_core::vocabulary::Marking;
use garrison_core::write::records::{
    ActorChanges, AssetChanges, AttestationChanges, BaseChanges, Claim, DeploymentChanges,
    EventActorChanges, EventAssetChanges, EventBaseChanges, EventChanges, ReportChanges,
    SourceChanges, TenureChanges,
};
use garrison_core::write::{self, Reference, Session, Writable};
use migration::{Migrator, MigratorTrait};
use proptest::prelude::*;
use sea_orm::{
    Condition, DatabaseConnection, EntityTrait, Iterable, QueryFilter, QueryOrder, QuerySelect,
};

/// One write, its record picked by position among the rows of its type.
#[derive(Clone, Debug)]
enum Step {
    /// Marks the `pick`th record of type number `kind` (of [`remark`]'s list).
    Remark {
        kind: usize,
        pick: usize,
        marking: Marking,
    },
    /// Adds an attestation of an event by a report.
    Attest {
        event: usize,
        report: usize,
        marking: Marking,
    },
    /// Deletes an attestation (refused, harmlessly, when it is an event's last).
    Unattest { pick: usize },
    /// Deletes an event with its participants and attestations.
    DeleteEvent { pick: usize },
}

fn marking() -> impl Strategy<Value = Marking> {
    prop::sample::select(Marking::iter().collect::<Vec<_>>())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..12usize, any::<usize>(), marking())
            .prop_map(|(kind, pick, marking)| Step::Remark { kind, pick, marking }),
        2 => (any::<usize>(), any::<usize>(), marking())
            .prop_map(|(event, report, marking)| Step::Attest { event, report, marking }),
        2 => any::<usize>().prop_map(|pick| Step::Unattest { pick }),
        1 => any::<usize>().prop_map(|pick| Step::DeleteEvent { pick }),
    ]
}

async fn seeded() -> DatabaseConnection {
    let db = connect("sqlite::memory:", 1, &StatementCounter::default())
        .await
        .expect("in-memory database");
    Migrator::up(&db, None).await.expect("migrations");
    let seed = Bundle::from_json(bundle::SEED).expect("seed");
    bundle::import(&db, &seed, "seed")
        .await
        .expect("seed import");
    db
}

/// The ids of `R`'s rows that `condition` admits, in order.
async fn ids<R: Visible>(db: &DatabaseConnection, condition: Condition) -> Vec<i64> {
    R::Entity::find()
        .select_only()
        .column(R::Entity::ID)
        .filter(condition)
        .order_by_asc(R::Entity::ID)
        .into_tuple()
        .all(db)
        .await
        .expect("ids")
}

/// The `pick`th row of `R` (modulo their number), if there is any.
async fn nth<R: Visible>(db: &DatabaseConnection, pick: usize) -> Option<i64> {
    let all = ids::<R>(db, R::of_kind()).await;
    (!all.is_empty()).then(|| all[pick % all.len()])
}

/// Sets the marking of the `pick`th record of `R`, committed.
async fn remark_one<R: Writable>(db: &DatabaseConnection, pick: usize, changes: R::Changes) {
    let Some(id) = nth::<R>(db, pick).await else {
        return;
    };
    let mut s = Session::begin(db, "test").await.unwrap();
    write::update::<R>(&mut s, id, None, changes, "input")
        .await
        .expect("marking changed");
    s.commit().await.unwrap();
}

async fn remark(db: &DatabaseConnection, kind: usize, pick: usize, marking: Marking) {
    /// Each record type by its number, with the changes that set only its marking
    /// (a named type's marking is among its names).
    macro_rules! by_kind {
        ($($n:pat => $record:ty, $changes:ident $(.$names:ident)?;)+) => {
            match kind {
                $($n => {
                    let mut changes = $changes::default();
                    changes$(.$names)?.marking = Some(marking);
                    remark_one::<$record>(db, pick, changes).await
                })+
            }
        };
    }
    by_kind! {
        0 => Source, SourceChanges.names;
        1 => Report, ReportChanges;
        2 => Actor, ActorChanges.names;
        3 => Base, BaseChanges.names;
        4 => Asset, AssetChanges.names;
        5 => Event, EventChanges;
        6 => Tenure, TenureChanges;
        7 => Deployment, DeploymentChanges;
        8 => Attestation, AttestationChanges;
        9 => EventActor, EventActorChanges;
        10 => EventAsset, EventAssetChanges;
        _ => EventBase, EventBaseChanges;
    }
}

async fn apply(db: &DatabaseConnection, step: &Step) {
    match *step {
        Step::Remark {
            kind,
            pick,
            marking,
        } => remark(db, kind, pick, marking).await,
        Step::Attest {
            event,
            report,
            marking,
        } => {
            let (Some(event), Some(report)) = (
                nth::<Event>(db, event).await,
                nth::<Report>(db, report).await,
            ) else {
                return;
            };
            let changes = AttestationChanges {
                excerpt: Some("seen again".into()),
                credibility: Some(3),
                marking: Some(marking),
                report: Some(Reference::Id(report)),
                claim: Some(Claim::Event(Reference::Id(event))),
                ..Default::default()
            };
            let mut s = Session::begin(db, "test").await.unwrap();
            write::create::<Attestation>(&mut s, changes, "input")
                .await
                .expect("attestation added");
            s.commit().await.unwrap();
        }
        Step::Unattest { pick } => delete_nth::<Attestation>(db, pick).await,
        Step::DeleteEvent { pick } => delete_nth::<Event>(db, pick).await,
    }
}

/// Deletes the `pick`th record of `R`; a refusal (a rule of the domain) changes nothing.
async fn delete_nth<R: Writable>(db: &DatabaseConnection, pick: usize) {
    let Some(id) = nth::<R>(db, pick).await else {
        return;
    };
    let mut s = Session::begin(db, "test").await.unwrap();
    if write::delete::<R>(&mut s, id, None).await.is_ok() {
        s.commit().await.unwrap();
    }
}

/// For every clearance below ALL, the rows reads see are those the rule admits.
async fn settled_as_the_rule_says<R: Visible>(db: &DatabaseConnection) {
    for marking in Marking::iter() {
        let clearance = Clearance(marking);
        assert_eq!(
            ids::<R>(db, R::seen(clearance)).await,
            ids::<R>(db, R::judged(clearance)).await,
            "{} at {}",
            R::TYPE,
            marking.label()
        );
    }
}

async fn check(db: &DatabaseConnection) {
    settled_as_the_rule_says::<Report>(db).await;
    settled_as_the_rule_says::<Event>(db).await;
    settled_as_the_rule_says::<Tenure>(db).await;
    settled_as_the_rule_says::<Deployment>(db).await;
    settled_as_the_rule_says::<Attestation>(db).await;
    settled_as_the_rule_says::<EventActor>(db).await;
    settled_as_the_rule_says::<EventAsset>(db).await;
    settled_as_the_rule_says::<EventBase>(db).await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn reads_see_what_the_rule_admits_after_any_writes(steps in prop::collection::vec(step(), 1..24)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = seeded().await;
            check(&db).await;
            for step in &steps {
                apply(&db, step).await;
                check(&db).await;
            }
        });
    }
}

#[tokio::test]
async fn the_seed_is_settled_as_the_rule_says() {
    let db = seeded().await;
    check(&db).await;
    // The imagery is AMBER: a CLEAR reader does not see all of the seed's attestations.
    let clear = ids::<Attestation>(&db, Attestation::seen(Clearance(Marking::Clear))).await;
    let all = ids::<Attestation>(&db, Attestation::of_kind()).await;
    assert!(clear.len() < all.len(), "{clear:?} of {all:?}");
}
