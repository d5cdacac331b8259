# The embedded default: a SQLite file beside the project, no server needed.
# Its revisions hold SQLite SQL, so they live apart from the MySQL ones.
url            = "sqlite://strata-local.db"
migrations_dir = "migrations/local"
