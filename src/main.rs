use clap::Parser;
use garrison::bundle::{self, Bundle};
use garrison::cli::{Cli, Command};
use garrison::startup::Application;
use garrison::{database, graphql, telemetry};
use migration::{Migrator, MigratorTrait};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init("info,sqlx=warn,sea_orm=warn", std::io::stdout);
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(settings) => {
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await?
        }
        Command::Migrate(database) => {
            let db = database::connect(&database, &Default::default()).await?;
            Migrator::up(&db, None).await?;
            println!("migrations applied");
        }
        Command::Import { file, database } => {
            let text = std::fs::read_to_string(&file)?;
            let db = database::connect(&database, &Default::default()).await?;
            Migrator::up(&db, None).await?;
            let summary = bundle::import(&db, &Bundle::from_json(&text)?).await?;
            println!("imported {summary:?}");
        }
        Command::Schema => print!("{}", graphql::sdl()),
    }
    Ok(())
}
