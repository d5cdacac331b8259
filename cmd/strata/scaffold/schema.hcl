# The example schema of Strata's quick start: a small blog.

table "users" {
  comment = "Registered accounts"
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "email" {
    type    = varchar(191)
    collate = "utf8mb4_bin"
  }
  column "display_name" {
    type = varchar(100)
    null = true
  }
  column "status" {
    type    = enum("active", "disabled")
    default = "active"
  }
  column "created_at" {
    type    = datetime(3)
    default = sql("CURRENT_TIMESTAMP(3)")
  }
  primary_key = ["id"]
  index "users_email_uq" {
    columns = ["email"]
    unique  = true
  }
}

table "posts" {
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "author_id" {
    type     = bigint
    unsigned = true
  }
  column "title" {
    type = varchar(200)
  }
  column "body" {
    type = text
    null = true
  }
  column "published_at" {
    type = datetime
    null = true
  }
  primary_key = ["id"]
  index "posts_author_published_idx" {
    columns = ["author_id", "published_at"]
  }
  foreign_key "posts_author_fk" {
    columns     = ["author_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
}
