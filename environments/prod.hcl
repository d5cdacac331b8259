# Production: replays only the revisions staging has applied (the gate reads
# STAGING_DATABASE_URL; --skip-gate --reason "..." overrides it); destructive
# steps need --allow-destructive even with --auto-approve.
url          = env("PROD_DATABASE_URL")
promote_from = "staging"
protected    = true
lock_timeout = "60s"
