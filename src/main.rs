use clap::Parser;
use garrison::auth;
use garrison::bundle::{self, Bundle};
use garrison::cli::{Cli, Command, FileFormat, TokenCommand};
use garrison::export::Progress;
use garrison::startup::Application;
use garrison::visibility::Clearance;
use garrison::{acled, export, generate, graphql, progress, setup, stix, telemetry};

/// mimalloc instead of glibc's allocator: a busy server spends far less time in
/// malloc (a quarter of the nested dashboard's profile), and freed memory goes back to
/// the system instead of staying in per-thread arenas, so RSS follows the working set.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(Box::new(cli.serve)));
    let filter = "info,sqlx=warn,sea_orm=warn";
    if matches!(command, Command::Export { .. }) {
        // stdout may be the export itself.
        telemetry::init(filter, cli.log_json, std::io::stderr);
    } else {
        telemetry::init(filter, cli.log_json, std::io::stdout);
    }
    telemetry::log_panics_without_payload();
    match command {
        Command::Serve(settings) => {
            let app = Application::build(*settings).await?;
            let stopper = app.stopper();
            tokio::spawn(async move {
                shutdown_signal().await;
                tracing::info!("shutting down: closing WebSockets, finishing requests in flight");
                stopper.stop().await;
            });
            app.run_until_stopped().await?;
            tracing::info!("stopped");
        }
        Command::Migrate(database) => {
            let db = database.connect(&Default::default()).await?;
            setup::migrate(&db, &database.url).await?;
            println!("migrations applied");
        }
        Command::Import {
            file,
            format,
            author,
            database,
        } => {
            let db = database.connect(&Default::default()).await?;
            setup::migrate(&db, &database.url).await?;
            import(&db, &file, format, &author).await?;
        }
        Command::Export {
            format,
            output,
            database,
        } => {
            let db = database.connect(&Default::default()).await?;
            setup::migrate(&db, &database.url).await?;
            let written = match output {
                Some(path) => {
                    // Written beside the file and renamed over it when complete: an
                    // interrupted export never leaves half a file in its place.
                    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
                    let mut file = tempfile::NamedTempFile::new_in(dir.unwrap_or(".".as_ref()))?;
                    let written = export::to_writer(
                        &db,
                        Clearance::ALL,
                        format.into(),
                        Progress::Terminal,
                        std::io::BufWriter::new(file.as_file_mut()),
                    )
                    .await?;
                    file.persist(&path)?;
                    written
                }
                None => {
                    export::to_writer(
                        &db,
                        Clearance::ALL,
                        format.into(),
                        Progress::Terminal,
                        std::io::stdout().lock(),
                    )
                    .await?
                }
            };
            eprintln!("exported {written} records");
        }
        Command::Schema => print!("{}", graphql::sdl()),
        Command::Generate {
            actors,
            bases,
            assets,
            events,
            seed,
            database,
        } => {
            let db = database.connect(&Default::default()).await?;
            setup::migrate(&db, &database.url).await?;
            let plan = generate::Plan {
                actors,
                bases,
                assets,
                events,
                seed,
            };
            let started = std::time::Instant::now();
            let written = generate::generate(&db, &plan, true).await?;
            println!(
                "generated in {:.1} s: {written}",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Explain {
            query,
            statements_only,
            database,
        } => {
            for statement in garrison::explain::explain(&database, &query).await? {
                if statements_only {
                    println!("{};", statement.inlined.replace('\n', " "));
                } else {
                    println!("{}\n  {}\n", statement.sql, statement.plan.join("\n  "));
                }
            }
        }
        Command::Token { action, database } => {
            let db = database.connect(&Default::default()).await?;
            setup::migrate(&db, &database.url).await?;
            token(&db, action).await?;
        }
    }
    Ok(())
}

/// `garrison import`: the file read in its format and written in one transaction,
/// with a progress bar on a terminal.
async fn import(
    db: &sea_orm::DatabaseConnection,
    file: &std::path::Path,
    format: FileFormat,
    author: &str,
) -> anyhow::Result<()> {
    let bar = progress::bar(0, "importing");
    let summary = match format {
        FileFormat::Bundle => {
            let bundle = Bundle::from_json(&std::fs::read_to_string(file)?)?;
            bundle::import_with_progress(db, &bundle, author, &bar).await?
        }
        FileFormat::Stix => {
            let text = std::fs::read_to_string(file)?;
            let (summary, read) = stix::import(db, &text, author, &bar).await?;
            for (stix_type, count) in read.skipped {
                eprintln!(
                    "skipped {count} objects of type {stix_type}, which garrison does not hold"
                );
            }
            summary
        }
        FileFormat::Csv => {
            let csv = std::fs::File::open(file)?;
            acled::import(db, std::io::BufReader::new(csv), author, &bar)
                .await?
                .0
        }
    };
    bar.finish_and_clear();
    println!("imported: {summary}");
    Ok(())
}

async fn token(db: &sea_orm::DatabaseConnection, action: TokenCommand) -> anyhow::Result<()> {
    match action {
        TokenCommand::Create {
            role,
            name,
            clearance,
        } => {
            let issued = auth::create(db, &name, role, clearance).await?;
            eprintln!(
                "created token \"{}\" with role {} and clearance {}; it is shown only this once:",
                issued.record.name,
                role.name(),
                clearance.label()
            );
            println!("{}", issued.token);
        }
        TokenCommand::List => {
            for t in auth::list(db).await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", at.to_rfc3339()),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{}\tcreated {}\t{state}",
                    t.name,
                    t.role.name(),
                    t.created_at.to_rfc3339()
                );
            }
        }
        TokenCommand::Revoke { name } => {
            auth::revoke(db, &name).await?;
            println!("revoked token \"{name}\"");
        }
    }
    Ok(())
}

/// SIGTERM or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
