# Version 2 of the realistic schema's core, edited from core_v1.hcl as a
# developer would for the next release (the changes are listed in
# core_v2.sql). renamed_from keeps the rows of renamed tables and columns.

table "accounts" {
  comment = "Tenant accounts"
  charset = "utf8mb4"
  collate = "utf8mb4_unicode_ci"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "name" {
    type = varchar(100)
  }
  column "owner_user_id" {
    type     = int
    unsigned = true
    null     = true
  }
  column "plan" {
    type    = enum("free", "pro", "enterprise")
    default = "free"
  }
  column "features" {
    type    = set("api", "sso", "audit")
    default = "api"
  }
  column "is_active" {
    type    = bool
    default = true
  }
  column "balance" {
    type    = decimal(12, 2)
    default = 0
  }
  column "created_at" {
    type    = datetime
    default = sql("CURRENT_TIMESTAMP")
  }
  column "updated_at" {
    type      = timestamp
    null      = true
    on_update = sql("CURRENT_TIMESTAMP")
  }
  primary_key = ["id"]
  index "accounts_name_uq" {
    columns = ["name"]
    unique  = true
  }
  index "owner_user_id" {
    columns = ["owner_user_id"]
  }
  foreign_key "accounts_owner_fk" {
    columns     = ["owner_user_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "set null"
  }
}

table "users" {
  charset = "utf8mb4"
  collate = "utf8mb4_unicode_ci"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "country" {
    type    = char(2)
    default = "US"
  }
  column "account_id" {
    type     = int
    unsigned = true
  }
  column "email" {
    type = varchar(191)
  }
  column "phone" {
    type = varchar(32)
    null = true
  }
  column "full_name" {
    type         = varchar(100)
    default      = ""
    comment      = "display name"
    renamed_from = "name"
  }
  column "login_count" {
    type     = "int(8) unsigned zerofill"
    default  = 0
  }
  column "is_admin" {
    type    = tinyint(1)
    default = false
  }
  column "age_years" {
    type         = tinyint
    unsigned     = true
    null         = true
    renamed_from = "age"
  }
  column "bio" {
    type = text
  }
  column "settings" {
    type = json
    null = true
  }
  column "email_domain" {
    type = varchar(191)
    null = true
    as   = "substring_index(email, '@', -1)"
  }
  column "manager_id" {
    type     = int
    unsigned = true
    null     = true
  }
  column "created_at" {
    type    = datetime(3)
    default = sql("current_timestamp(3)")
  }
  primary_key = ["id"]
  index "users_email_uq" {
    columns = ["email"]
    unique  = true
  }
  index "users_account_id_idx" {
    columns = ["account_id"]
  }
  index "manager_id" {
    columns = ["manager_id"]
  }
  index "users_bio_ft" {
    columns  = ["bio"]
    fulltext = true
  }
  foreign_key "users_account_fk" {
    columns     = ["account_id"]
    ref_table   = "accounts"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
  foreign_key "users_manager_fk" {
    columns     = ["manager_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "SET NULL"
  }
  check "users_age_chk" {
    expr = "age_years IS NULL OR age_years BETWEEN 13 AND 130"
  }
}

table "categories" {
  column "id" {
    type           = smallint
    unsigned       = true
    auto_increment = true
  }
  column "parent_id" {
    type     = smallint
    unsigned = true
    null     = true
  }
  column "slug" {
    type    = varchar(64)
    charset = "ascii"
    collate = "ascii_bin"
  }
  column "title" {
    type    = varchar(200)
    collate = "utf8mb4_bin"
  }
  column "position" {
    type    = smallint(4)
    default = 0
  }
  primary_key = ["id"]
  index "slug" {
    columns = ["slug"]
    unique  = true
  }
  index "parent_id" {
    columns = ["parent_id"]
  }
  foreign_key "categories_parent_fk" {
    columns     = ["parent_id"]
    ref_table   = "categories"
    ref_columns = ["id"]
  }
}

table "products" {
  comment = "Catalogue; prices in EUR"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "category_id" {
    type     = smallint
    unsigned = true
    null     = true
  }
  column "sku" {
    type = varchar(32)
  }
  column "name" {
    type = varchar(255)
  }
  column "description" {
    type = mediumtext
    null = true
  }
  column "price" {
    type    = decimal(12, 2)
    default = 0.00
  }
  column "cost" {
    type     = numeric(8, 2)
    unsigned = true
    null     = true
  }
  column "weight_g" {
    type     = mediumint(7)
    unsigned = true
    default  = 0
  }
  column "stock" {
    type    = integer
    default = "0"
  }
  column "is_visible" {
    type    = boolean
    default = 1
  }
  column "in_stock" {
    type = tinyint(1)
    null = true
    as   = "stock > 0"
  }
  column "ratio" {
    type = "double precision"
    null = true
  }
  column "rating" {
    type    = float
    null    = true
    default = 2.5
  }
  column "barcode" {
    type = char(13)
    null = true
  }
  column "created_on" {
    type    = date
    default = "2020-01-01"
  }
  primary_key = ["id"]
  index "products_sku_uq" {
    columns = ["sku"]
    unique  = true
  }
  index "products_barcode_uq" {
    columns = ["barcode"]
    unique  = true
  }
  index "products_name_idx" {
    columns = ["name"]
    prefix  = { name = 20 }
  }
  index "category_id" {
    columns = ["category_id"]
  }
  index "products_text_ft" {
    columns  = ["name", "description"]
    fulltext = true
  }
  foreign_key "products_category_fk" {
    columns     = ["category_id"]
    ref_table   = "categories"
    ref_columns = ["id"]
    on_delete   = "SET NULL"
    on_update   = "CASCADE"
  }
  check "products_price_chk" {
    expr = "price >= 0 AND price < 100000"
  }
  check "CONSTRAINT_1" {
    expr = "stock > -1000"
  }
}

table "orders" {
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "user_id" {
    type     = int
    unsigned = true
  }
  column "status" {
    type    = enum("new", "paid", "shipped", "cancelled", "refunded")
    default = "new"
  }
  column "total" {
    type    = decimal(12, 2)
    default = 0
  }
  column "currency" {
    type    = char(3)
    default = "EUR"
  }
  column "placed_at" {
    type    = datetime
    default = sql("now()")
  }
  column "shipped_at" {
    type = datetime
    null = true
  }
  column "notes" {
    type = varchar(255)
    null = true
  }
  column "coupon_id" {
    type     = int
    unsigned = true
    null     = true
  }
  primary_key = ["id"]
  index "user_id" {
    columns = ["user_id"]
  }
  index "orders_status_placed_idx" {
    columns = ["status", "placed_at", "user_id"]
  }
  index "coupon_id" {
    columns = ["coupon_id"]
  }
  foreign_key "orders_user_fk" {
    columns     = ["user_id"]
    ref_table   = "users"
    ref_columns = ["id"]
  }
  foreign_key "orders_coupon_fk" {
    columns     = ["coupon_id"]
    ref_table   = "coupons"
    ref_columns = ["id"]
    on_delete   = "SET NULL"
  }
}

table "coupons" {
  comment = "Discount codes"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "code" {
    type    = varchar(32)
    charset = "ascii"
  }
  column "percent" {
    type     = tinyint(3)
    unsigned = true
    default  = 10
  }
  column "valid_until" {
    type = date
    null = true
  }
  primary_key = ["id"]
  index "coupons_code_uq" {
    columns = ["code"]
    unique  = true
  }
  check "coupons_percent_chk" {
    expr = "percent BETWEEN 1 AND 100"
  }
}

table "wishlists" {
  column "user_id" {
    type     = int
    unsigned = true
  }
  column "product_id" {
    type     = int
    unsigned = true
  }
  column "added_at" {
    type    = datetime
    default = sql("CURRENT_TIMESTAMP")
  }
  primary_key = ["user_id", "product_id"]
  index "product_id" {
    columns = ["product_id"]
  }
  foreign_key "wishlists_user_fk" {
    columns     = ["user_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
  foreign_key "wishlists_product_fk" {
    columns     = ["product_id"]
    ref_table   = "products"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
}

table "order_items" {
  column "order_id" {
    type     = bigint
    unsigned = true
  }
  column "line" {
    type     = smallint
    unsigned = true
  }
  column "product_id" {
    type     = int
    unsigned = true
  }
  column "qty" {
    type    = int
    default = 1
    check   = "qty > 0"
  }
  column "price_each" {
    type         = decimal(10, 2)
    renamed_from = "unit_price"
  }
  column "line_total" {
    type   = decimal(14, 2)
    null   = true
    as     = "qty * price_each"
    stored = true
  }
  primary_key = ["order_id", "line"]
  index "product_id" {
    columns = ["product_id"]
  }
  foreign_key "order_items_order_fk" {
    columns     = ["order_id"]
    ref_table   = "orders"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
  foreign_key "order_items_product_fk" {
    columns     = ["product_id"]
    ref_table   = "products"
    ref_columns = ["id"]
    on_update   = "CASCADE"
  }
}

table "articles" {
  renamed_from = "blog_posts"
  charset = "utf8mb4"
  collate = "utf8mb4_unicode_ci"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "author_id" {
    type     = int
    unsigned = true
    null     = true
  }
  column "title" {
    type = varchar(200)
  }
  column "body" {
    type = longtext
  }
  column "published" {
    type    = bool
    default = false
  }
  column "published_at" {
    type = datetime
    null = true
  }
  primary_key = ["id"]
  index "author_id" {
    columns = ["author_id"]
  }
  index "title" {
    columns  = ["title", "body"]
    fulltext = true
  }
  foreign_key "blog_posts_author_fk" {
    columns     = ["author_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "SET NULL"
  }
}

table "post_comments" {
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "article_id" {
    type         = int
    unsigned     = true
    renamed_from = "post_id"
  }
  column "parent_id" {
    type     = int
    unsigned = true
    null     = true
  }
  column "body" {
    type = text
  }
  primary_key = ["id"]
  index "post_id" {
    columns = ["article_id"]
  }
  index "parent_id" {
    columns = ["parent_id"]
  }
  foreign_key "post_comments_post_fk" {
    columns     = ["article_id"]
    ref_table   = "articles"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
  foreign_key "post_comments_parent_fk" {
    columns     = ["parent_id"]
    ref_table   = "post_comments"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
}

table "legacy_notes" {
  charset = "utf8mb4"
  column "id" {
    type           = int
    auto_increment = true
  }
  column "title" {
    type = varchar(120)
  }
  column "body" {
    type = text
    null = true
  }
  column "label" {
    type         = varchar(16)
    null         = true
    default      = "misc"
    renamed_from = "tag"
  }
  primary_key = ["id"]
  index "title" {
    columns = ["title"]
  }
}

table "sessions" {
  row_format = "DYNAMIC"
  column "id" {
    type    = char(64)
    charset = "ascii"
    collate = "ascii_bin"
  }
  column "user_id" {
    type     = int
    unsigned = true
    null     = true
  }
  column "data" {
    type = blob
    null = true
  }
  column "expires_at" {
    type      = timestamp
    default   = sql("CURRENT_TIMESTAMP")
    on_update = sql("CURRENT_TIMESTAMP")
  }
  primary_key = ["id"]
  index "expires_at" {
    columns = ["expires_at"]
  }
  index "user_id" {
    columns = ["user_id"]
  }
  foreign_key "sessions_user_fk" {
    columns     = ["user_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
}

table "audit_log" {
  engine = "Aria"
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "actor" {
    type = varchar(64)
  }
  column "action" {
    type = varchar(32)
  }
  column "payload" {
    type = text
    null = true
  }
  column "at" {
    type    = datetime
    default = sql("CURRENT_TIMESTAMP")
  }
  primary_key = ["id"]
  index "actor_at" {
    columns = ["actor", "at"]
  }
}

table "search_cache" {
  engine = "Aria"
  column "query_hash" {
    type = binary(16)
  }
  column "query" {
    type = varchar(255)
  }
  column "hits" {
    type     = mediumint
    unsigned = true
    default  = 0
  }
  primary_key = ["query_hash"]
}

table "stats_daily" {
  engine = "InnoDB"
  column "day" {
    type = date
  }
  column "visits" {
    type     = int
    unsigned = true
    default  = 0
  }
  column "signups" {
    type     = smallint
    unsigned = true
    default  = 0
  }
  primary_key = ["day"]
}

table "settings_defaults" {
  comment = "Every kind of default"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "s_quote" {
    type    = varchar(40)
    default = "it's \"quoted\""
  }
  column "s_backslash" {
    type    = varchar(40)
    default = "C:\\temp\\"
  }
  column "s_newline" {
    type    = varchar(40)
    default = "line1\nline2"
  }
  column "s_empty" {
    type    = varchar(10)
    default = ""
  }
  column "s_null_word" {
    type    = varchar(10)
    null    = true
    default = sql("'NULL'")
  }
  column "s_explicit_null" {
    type    = varchar(10)
    null    = true
    default = sql("NULL")
  }
  column "n_int" {
    type    = int
    default = 0
  }
  column "n_quoted" {
    type    = int
    default = "7"
  }
  column "n_decimal" {
    type    = decimal(5, 2)
    default = 1.5
  }
  column "n_float" {
    type    = float
    default = 1.5e3
  }
  column "n_double" {
    type    = double(10, 2)
    default = 0.1
  }
  column "b_bit" {
    type    = bit(3)
    default = sql("b'101'")
  }
  column "b_flag" {
    type    = bit(1)
    default = 1
  }
  column "y_year" {
    type    = year
    default = 2024
  }
  column "t_time" {
    type    = time(3)
    default = "12:30:00.500"
  }
  column "d_date" {
    type    = date
    default = sql("(curdate())")
  }
  column "dt_now" {
    type      = datetime(6)
    default   = sql("NOW(6)")
    on_update = sql("NOW(6)")
  }
  column "ts_local" {
    type    = timestamp
    default = sql("LOCALTIMESTAMP")
  }
  column "e_expr" {
    type    = int
    default = sql("(2*3)")
  }
  column "e_concat" {
    type    = varchar(20)
    default = sql("(concat('a', 'b'))")
  }
  column "u_uuid" {
    type    = char(36)
    default = sql("(uuid())")
  }
  column "j_json" {
    type    = json
    default = "{}"
  }
  column "t_text" {
    type    = text
    default = "hello"
  }
  column "bl_blob" {
    type = blob
    null = true
  }
  column "vb" {
    type    = varbinary(16)
    null    = true
    default = sql("0x4142")
  }
  column "bn" {
    type    = binary(4)
    default = "abcd"
  }
  column "secret" {
    type      = varchar(20)
    null      = true
    default   = "hidden"
    invisible = true
  }
  primary_key = ["id"]
}

table "places" {
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "name" {
    type = varchar(100)
  }
  column "pos" {
    type = point
  }
  column "area" {
    type = polygon
    null = true
  }
  column "ext_id" {
    type = uuid
    null = true
  }
  column "ip" {
    type = inet6
    null = true
  }
  column "url" {
    type = varchar(2000)
  }
  column "score" {
    type    = smallint
    default = 0
  }
  primary_key = ["id"]
  index "pos" {
    columns = ["pos"]
    spatial = true
  }
  index "url" {
    columns = ["url"]
    unique  = true
  }
  index "score_desc" {
    columns = ["score", "name"]
    desc    = ["score"]
  }
  index "name_ignored" {
    columns = ["name"]
    comment = "in use again"
  }
  index "ext_id" {
    columns = ["ext_id"]
    unique  = true
  }
}

table "events" {
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "happened_on" {
    type = date
  }
  column "kind" {
    type = varchar(32)
  }
  column "payload" {
    type = json
    null = true
  }
  primary_key = ["id", "happened_on"]
  partition {
    by   = "RANGE"
    expr = "year(happened_on)"
    part "p2022" {
      values = "LESS THAN (2023)"
    }
    part "p2023" {
      values = "LESS THAN (2024)"
    }
    part "p2024" {
      values = "LESS THAN (2025)"
    }
    part "pmax" {
      values = "LESS THAN MAXVALUE"
    }
  }
}

table "region_stats" {
  column "region_id" {
    type = int
  }
  column "day" {
    type = date
  }
  column "hits" {
    type     = int
    unsigned = true
    default  = 0
  }
  primary_key = ["region_id", "day"]
  partition {
    by   = "LIST"
    expr = "region_id"
    part "eu" {
      values = "IN (1,2,3)"
    }
    part "us" {
      values = "IN (4,5)"
    }
    part "other" {
      values = "DEFAULT"
    }
  }
}

table "metrics" {
  column "id" {
    type = int
  }
  column "v" {
    type = double
  }
  column "unit" {
    type    = varchar(16)
    default = "ms"
  }
  primary_key = ["id", "unit"]
  partition {
    by         = "HASH"
    expr       = "id"
    partitions = 6
  }
}

table "kv_store" {
  engine = "MyISAM"
  column "k" {
    type = varchar(64)
  }
  column "v" {
    type = blob
    null = true
  }
  primary_key = ["k"]
}

table "price_history" {
  column "product_id" {
    type     = int
    unsigned = true
  }
  column "valid_from" {
    type = date
  }
  column "price" {
    type = decimal(8, 2)
  }
  primary_key = ["product_id", "valid_from"]
  partition {
    by   = "RANGE COLUMNS"
    expr = "valid_from"
    part "p0" {
      values = "LESS THAN ('2023-01-01')"
    }
    part "p1" {
      values = "LESS THAN (MAXVALUE)"
    }
  }
}

trigger "order_items_ai" {
  on     = "order_items"
  timing = "AFTER"
  event  = "INSERT"
  body   = "UPDATE orders SET total = total + NEW.line_total WHERE id = NEW.order_id"
}

trigger "orders_bi" {
  on     = "orders"
  timing = "BEFORE"
  event  = "INSERT"
  body   = <<-SQL
    BEGIN
      IF NEW.currency = '' THEN
        SET NEW.currency = 'EUR';
      END IF;
    END
    SQL
}

