# The views of version 1 as the server renders them (what strata inspect prints):
# the form that converges today. views_written_v1.hcl has them as written.

view "account_user_counts" {
  definition = "select `a`.`id` AS `account_id`,`a`.`name` AS `name`,count(`u`.`id`) AS `users` from (`accounts` `a` left join `users` `u` on(`u`.`account_id` = `a`.`id`)) group by `a`.`id`,`a`.`name`"
  depends_on = ["accounts", "users"]
}
view "active_users" {
  definition = "select `users`.`id` AS `id`,`users`.`account_id` AS `account_id`,`users`.`email` AS `email`,`users`.`name` AS `name` from `users` where `users`.`is_admin` = 0"
  depends_on = ["users"]
}
view "big_accounts" {
  definition = "select `account_user_counts`.`account_id` AS `account_id`,`account_user_counts`.`name` AS `name` from `account_user_counts` where `account_user_counts`.`users` > 10"
  security   = "INVOKER"
  depends_on = ["account_user_counts"]
}
view "cheap_visible_products" {
  definition   = "select `visible_products`.`id` AS `id`,`visible_products`.`name` AS `name` from `visible_products` where `visible_products`.`price` < 10"
  algorithm    = "MERGE"
  check_option = "LOCAL"
  depends_on   = ["visible_products"]
}
view "mod_015_active" {
  definition = "select `mod_015`.`id` AS `id`,`mod_015`.`code` AS `code`,`mod_015`.`amount` AS `amount` from `mod_015` where `mod_015`.`status` = 'active'"
  depends_on = ["mod_015"]
}
view "mod_030_active" {
  definition = "select `mod_030`.`id` AS `id`,`mod_030`.`code` AS `code`,`mod_030`.`amount` AS `amount` from `mod_030` where `mod_030`.`status` = 'active'"
  depends_on = ["mod_030"]
}
view "mod_045_active" {
  definition = "select `mod_045`.`id` AS `id`,`mod_045`.`code` AS `code`,`mod_045`.`amount` AS `amount` from `mod_045` where `mod_045`.`status` = 'active'"
  depends_on = ["mod_045"]
}
view "mod_060_active" {
  definition = "select `mod_060`.`id` AS `id`,`mod_060`.`code` AS `code`,`mod_060`.`amount` AS `amount` from `mod_060` where `mod_060`.`status` = 'active'"
  depends_on = ["mod_060"]
}
view "mod_075_active" {
  definition = "select `mod_075`.`id` AS `id`,`mod_075`.`code` AS `code`,`mod_075`.`amount` AS `amount` from `mod_075` where `mod_075`.`status` = 'active'"
  depends_on = ["mod_075"]
}
view "mod_090_active" {
  definition = "select `mod_090`.`id` AS `id`,`mod_090`.`code` AS `code`,`mod_090`.`amount` AS `amount` from `mod_090` where `mod_090`.`status` = 'active'"
  depends_on = ["mod_090"]
}
view "mod_active_totals" {
  definition = "select 'm15' AS `m`,sum(`mod_015_active`.`amount`) AS `amount` from `mod_015_active` union all select 'm30' AS `m30`,sum(`mod_030_active`.`amount`) AS `sum(amount)` from `mod_030_active`"
  depends_on = ["mod_015_active", "mod_030_active"]
}
view "published_posts" {
  definition = "select `blog_posts`.`id` AS `id`,`blog_posts`.`title` AS `title`,`blog_posts`.`published_at` AS `published_at` from `blog_posts` where `blog_posts`.`published` = 1"
  depends_on = ["blog_posts"]
}
view "visible_products" {
  definition   = "select `products`.`id` AS `id`,`products`.`sku` AS `sku`,`products`.`name` AS `name`,`products`.`price` AS `price` from `products` where `products`.`is_visible` = 1"
  check_option = "CASCADED"
  depends_on   = ["products"]
}

