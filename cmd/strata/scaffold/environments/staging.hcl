# Staging replays the revisions that dev produced, byte for byte, and only
# those dev's database records as applied (the gate reads DEV_DATABASE_URL).
url          = env("STAGING_DATABASE_URL")
promote_from = "dev"
lock_timeout = "30s"
