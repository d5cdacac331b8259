# Staging replays the revisions that dev produced, byte for byte.
url          = env("STAGING_DATABASE_URL")
promote_from = "dev"
lock_timeout = "30s"
