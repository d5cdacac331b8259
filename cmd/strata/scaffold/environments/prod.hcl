# Production: replays revisions from staging; destructive steps need
# --allow-destructive even with --auto-approve.
url          = env("PROD_DATABASE_URL")
promote_from = "staging"
protected    = true
lock_timeout = "60s"
