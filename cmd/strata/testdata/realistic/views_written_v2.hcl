# The views of version 2 as a developer writes them. The server stores them
# re-rendered (views_v2.hcl); TestRealistic_Schema/views_as_written checks
# that strata converges on these spellings too.

view "active_users" {
  definition = "SELECT id, account_id, email, full_name FROM users WHERE is_admin = 0"
}

view "account_user_counts" {
  definition = <<-SQL
    SELECT a.id AS account_id, a.name, count(u.id) AS users
    FROM accounts a LEFT JOIN users u ON u.account_id = a.id GROUP BY a.id, a.name
    SQL
}

view "big_accounts" {
  definition = "SELECT account_id, name FROM account_user_counts WHERE users > 10"
  security   = "INVOKER"
  depends_on = ["account_user_counts"]
}

view "visible_products" {
  definition   = "SELECT id, sku, name, price FROM products WHERE is_visible = 1"
  check_option = "CASCADED"
}

view "cheap_visible_products" {
  definition   = "SELECT id, name FROM visible_products WHERE price < 10"
  algorithm    = "MERGE"
  check_option = "LOCAL"
  depends_on   = ["visible_products"]
}

view "published_posts" {
  definition = "SELECT id, title, published_at FROM articles WHERE published = 1"
}

view "order_totals" {
  definition = "SELECT user_id, count(*) AS orders, sum(total) AS total FROM orders GROUP BY user_id"
}

view "mod_015_active" {
  definition = "SELECT id, code, amount FROM mod_015 WHERE status = 'active'"
}

view "mod_030_active" {
  definition = "SELECT id, code, amount FROM mod_030 WHERE status = 'active'"
}

view "mod_045_active" {
  definition = "SELECT id, code, amount FROM mod_045 WHERE status = 'active'"
}

view "mod_060_active" {
  definition = "SELECT id, code, amount FROM mod_060 WHERE status = 'active'"
}

view "mod_075_active" {
  definition = "SELECT id, code, amount FROM mod_075 WHERE status = 'active'"
}

view "mod_090_active" {
  definition = "SELECT id, code, amount FROM mod_090 WHERE status = 'active'"
}

view "mod_active_totals" {
  definition = "SELECT 'm15' AS m, sum(amount) AS amount FROM mod_015_active UNION ALL SELECT 'm30', sum(amount) FROM mod_030_active"
  depends_on = ["mod_015_active", "mod_030_active"]
}
