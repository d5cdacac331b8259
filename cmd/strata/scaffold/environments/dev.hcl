# Developers' shared database. Planned by diffing schema.hcl against it.
url = env("DEV_DATABASE_URL")
