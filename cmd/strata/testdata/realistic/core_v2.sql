-- Version 2 of the core (see core_v1.sql): what the application's next
-- release creates from scratch. Compared with version 1: users.name renamed
-- to full_name, fax dropped, phone added, country moved after id, an index
-- and an auto-named foreign key renamed; products.sku narrowed, name and
-- price widened, barcode converted to the table's charset, idx_name renamed;
-- order_items.qty widened, its product foreign key rebuilt under a name;
-- orders gets coupon_id and a rebuilt index; blog_posts renamed to articles;
-- legacy_notes converted from latin1 to utf8mb4; legacy_tmp dropped;
-- sessions DYNAMIC; audit_log Aria, search_cache Aria, stats_daily InnoDB;
-- metrics.unit added; coupons and wishlists are new, order_totals too;
-- settings_defaults' defaults and an IGNORED index changed; orders.status
-- gets a value; search_cache.hits narrowed; events gets partition p2024;
-- trigger order_items_ai rewritten, users_bu dropped; users.bio NOT NULL,
-- users.email_domain's index dropped; products gets a unique barcode, a
-- new comment and a stricter check; categories.title utf8mb4_bin; sessions
-- gets a foreign key to users. Columns renamed: order_items.unit_price (in a
-- stored generated column) to price_each, users.age (in a check) to
-- age_years, post_comments.post_id (a foreign key) to article_id,
-- legacy_notes.tag char(8) to label varchar(16). metrics: primary key
-- (id, unit) and 6 hash partitions; kv_store no longer partitioned,
-- MyISAM.

CREATE TABLE accounts (
  id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(100) NOT NULL,
  owner_user_id int unsigned DEFAULT NULL,
  plan enum('free','pro','enterprise') NOT NULL DEFAULT 'free',
  features set('api','sso','audit') NOT NULL DEFAULT 'api',
  is_active bool NOT NULL DEFAULT TRUE,
  balance decimal(12,2) NOT NULL DEFAULT 0,
  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY accounts_name_uq (name),
  KEY owner_user_id (owner_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Tenant accounts';

CREATE TABLE users (
  id int unsigned NOT NULL AUTO_INCREMENT,
  country char(2) NOT NULL DEFAULT 'US',
  account_id int unsigned NOT NULL,
  email varchar(191) NOT NULL,
  phone varchar(32) DEFAULT NULL,
  full_name varchar(100) NOT NULL DEFAULT '' COMMENT 'display name',
  login_count int(8) unsigned zerofill NOT NULL DEFAULT 0,
  is_admin tinyint(1) NOT NULL DEFAULT 0,
  age_years tinyint unsigned DEFAULT NULL,
  bio text NOT NULL,
  settings json DEFAULT NULL,
  email_domain varchar(191) AS (substring_index(email, '@', -1)) VIRTUAL,
  manager_id int unsigned DEFAULT NULL,
  created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY users_email_uq (email),
  KEY users_account_id_idx (account_id),
  KEY manager_id (manager_id),
  FULLTEXT KEY users_bio_ft (bio),
  CONSTRAINT users_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,
  CONSTRAINT users_manager_fk FOREIGN KEY (manager_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT users_age_chk CHECK (age_years IS NULL OR age_years BETWEEN 13 AND 130)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- accounts -> users -> accounts: a foreign key cycle.
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_user_id) REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE categories (
  id smallint unsigned NOT NULL AUTO_INCREMENT,
  parent_id smallint unsigned DEFAULT NULL,
  slug varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title varchar(200) COLLATE utf8mb4_bin NOT NULL,
  position smallint(4) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY slug (slug),
  KEY parent_id (parent_id),
  CONSTRAINT categories_parent_fk FOREIGN KEY (parent_id) REFERENCES categories (id)
) ENGINE=InnoDB;

CREATE TABLE products (
  id int unsigned NOT NULL AUTO_INCREMENT,
  category_id smallint unsigned DEFAULT NULL,
  sku varchar(32) NOT NULL,
  name varchar(255) NOT NULL,
  description mediumtext,
  price decimal(12,2) NOT NULL DEFAULT 0.00,
  cost numeric(8,2) unsigned DEFAULT NULL,
  weight_g mediumint(7) unsigned NOT NULL DEFAULT 0,
  stock integer NOT NULL DEFAULT '0',
  is_visible boolean NOT NULL DEFAULT 1,
  in_stock tinyint(1) AS (stock > 0) VIRTUAL,
  ratio double precision DEFAULT NULL,
  rating float DEFAULT 2.5,
  barcode char(13) DEFAULT NULL,
  created_on date NOT NULL DEFAULT '2020-01-01',
  PRIMARY KEY (id),
  UNIQUE KEY products_sku_uq (sku),
  UNIQUE KEY products_barcode_uq (barcode),
  KEY products_name_idx (name(20)),
  KEY category_id (category_id),
  FULLTEXT KEY products_text_ft (name, description),
  CONSTRAINT products_category_fk FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT products_price_chk CHECK (price >= 0 AND price < 100000),
  CHECK (stock > -1000)
) ENGINE=InnoDB COMMENT='Catalogue; prices in EUR';

CREATE TABLE coupons (
  id int unsigned NOT NULL AUTO_INCREMENT,
  code varchar(32) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  percent tinyint(3) unsigned NOT NULL DEFAULT 10,
  valid_until date DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY coupons_code_uq (code),
  CONSTRAINT coupons_percent_chk CHECK (percent BETWEEN 1 AND 100)
) ENGINE=InnoDB COMMENT='Discount codes';

CREATE TABLE orders (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  user_id int unsigned NOT NULL,
  status enum('new','paid','shipped','cancelled','refunded') NOT NULL DEFAULT 'new',
  total decimal(12,2) NOT NULL DEFAULT 0.00,
  currency char(3) NOT NULL DEFAULT 'EUR',
  placed_at datetime NOT NULL DEFAULT now(),
  shipped_at datetime DEFAULT NULL,
  notes varchar(255) DEFAULT NULL,
  coupon_id int unsigned DEFAULT NULL,
  PRIMARY KEY (id),
  KEY user_id (user_id),
  KEY orders_status_placed_idx (status, placed_at, user_id),
  KEY coupon_id (coupon_id),
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id) ON DELETE SET NULL
) ENGINE=InnoDB;

CREATE TABLE order_items (
  order_id bigint unsigned NOT NULL,
  line smallint unsigned NOT NULL,
  product_id int unsigned NOT NULL,
  qty int NOT NULL DEFAULT 1 CHECK (qty > 0),
  price_each decimal(10,2) NOT NULL,
  line_total decimal(14,2) AS (qty * price_each) STORED,
  PRIMARY KEY (order_id, line),
  KEY product_id (product_id),
  CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES products (id) ON UPDATE CASCADE
) ENGINE=InnoDB;

CREATE TABLE articles (
  id int unsigned NOT NULL AUTO_INCREMENT,
  author_id int unsigned DEFAULT NULL,
  title varchar(200) NOT NULL,
  body longtext NOT NULL,
  published tinyint(1) NOT NULL DEFAULT 0,
  published_at datetime DEFAULT NULL,
  PRIMARY KEY (id),
  KEY author_id (author_id),
  FULLTEXT KEY title (title, body),
  CONSTRAINT blog_posts_author_fk FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE post_comments (
  id int unsigned NOT NULL AUTO_INCREMENT,
  article_id int unsigned NOT NULL,
  parent_id int unsigned DEFAULT NULL,
  body text NOT NULL,
  PRIMARY KEY (id),
  KEY post_id (article_id),
  KEY parent_id (parent_id),
  CONSTRAINT post_comments_post_fk FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE,
  CONSTRAINT post_comments_parent_fk FOREIGN KEY (parent_id) REFERENCES post_comments (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE legacy_notes (
  id int NOT NULL AUTO_INCREMENT,
  title varchar(120) NOT NULL,
  body text,
  label varchar(16) DEFAULT 'misc',
  PRIMARY KEY (id),
  KEY title (title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
  id char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id int unsigned DEFAULT NULL,
  data blob,
  expires_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY expires_at (expires_at),
  KEY user_id (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;

CREATE TABLE audit_log (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  actor varchar(64) NOT NULL,
  action varchar(32) NOT NULL,
  payload text,
  at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY actor_at (actor, at)
) ENGINE=Aria;

CREATE TABLE search_cache (
  query_hash binary(16) NOT NULL,
  query varchar(255) NOT NULL,
  hits mediumint unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (query_hash)
) ENGINE=Aria;

CREATE TABLE stats_daily (
  day date NOT NULL,
  visits int unsigned NOT NULL DEFAULT 0,
  signups smallint unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (day)
) ENGINE=InnoDB;

CREATE TABLE settings_defaults (
  id int unsigned NOT NULL AUTO_INCREMENT,
  s_quote varchar(40) NOT NULL DEFAULT 'it''s "quoted"',
  s_backslash varchar(40) NOT NULL DEFAULT 'C:\\temp\\',
  s_newline varchar(40) NOT NULL DEFAULT 'line1\nline2',
  s_empty varchar(10) NOT NULL DEFAULT '',
  s_null_word varchar(10) DEFAULT 'NULL',
  s_explicit_null varchar(10) DEFAULT NULL,
  n_int int NOT NULL DEFAULT 0,
  n_quoted int NOT NULL DEFAULT '7',
  n_decimal decimal(5,2) NOT NULL DEFAULT 1.5,
  n_float float NOT NULL DEFAULT 1.5e3,
  n_double double(10,2) NOT NULL DEFAULT 0.1,
  b_bit bit(3) NOT NULL DEFAULT b'101',
  b_flag bit(1) NOT NULL DEFAULT 1,
  y_year year NOT NULL DEFAULT 2024,
  t_time time(3) NOT NULL DEFAULT '12:30:00.500',
  d_date date NOT NULL DEFAULT (curdate()),
  dt_now datetime(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6),
  ts_local timestamp NOT NULL DEFAULT LOCALTIMESTAMP,
  e_expr int NOT NULL DEFAULT (2 * 3),
  e_concat varchar(20) NOT NULL DEFAULT (concat('a', 'b')),
  u_uuid char(36) NOT NULL DEFAULT (uuid()),
  j_json json NOT NULL DEFAULT '{}',
  t_text text NOT NULL DEFAULT 'hello',
  bl_blob blob DEFAULT NULL,
  vb varbinary(16) DEFAULT 0x4142,
  bn binary(4) NOT NULL DEFAULT 'abcd',
  secret varchar(20) INVISIBLE DEFAULT 'hidden',
  PRIMARY KEY (id)
) ENGINE=InnoDB COMMENT='Every kind of default';

CREATE TABLE places (
  id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(100) NOT NULL,
  pos point NOT NULL,
  area polygon DEFAULT NULL,
  ext_id uuid DEFAULT NULL,
  ip inet6 DEFAULT NULL,
  url varchar(2000) NOT NULL,
  score smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  SPATIAL KEY pos (pos),
  UNIQUE KEY url (url),
  KEY score_desc (score DESC, name),
  KEY name_ignored (name) COMMENT 'in use again',
  UNIQUE KEY ext_id (ext_id)
) ENGINE=InnoDB;

CREATE TABLE events (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  happened_on date NOT NULL,
  kind varchar(32) NOT NULL,
  payload json DEFAULT NULL,
  PRIMARY KEY (id, happened_on)
) ENGINE=InnoDB
PARTITION BY RANGE (year(happened_on)) (
  PARTITION p2022 VALUES LESS THAN (2023),
  PARTITION p2023 VALUES LESS THAN (2024),
  PARTITION p2024 VALUES LESS THAN (2025),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);

CREATE TABLE region_stats (
  region_id int NOT NULL,
  day date NOT NULL,
  hits int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (region_id, day)
) PARTITION BY LIST (region_id) (
  PARTITION eu VALUES IN (1,2,3),
  PARTITION us VALUES IN (4,5),
  PARTITION other DEFAULT
);

CREATE TABLE metrics (
  id int NOT NULL,
  v double NOT NULL,
  unit varchar(16) NOT NULL DEFAULT 'ms',
  PRIMARY KEY (id, unit)
) PARTITION BY HASH (id) PARTITIONS 6;

CREATE TABLE kv_store (
  k varchar(64) NOT NULL,
  v blob,
  PRIMARY KEY (k)
) ENGINE=MyISAM;

CREATE TABLE price_history (
  product_id int unsigned NOT NULL,
  valid_from date NOT NULL,
  price decimal(8,2) NOT NULL,
  PRIMARY KEY (product_id, valid_from)
) PARTITION BY RANGE COLUMNS(valid_from) (
  PARTITION p0 VALUES LESS THAN ('2023-01-01'),
  PARTITION p1 VALUES LESS THAN (MAXVALUE)
);

CREATE VIEW active_users AS SELECT id, account_id, email, full_name FROM users WHERE is_admin = 0;
CREATE VIEW account_user_counts AS
  SELECT a.id AS account_id, a.name, count(u.id) AS users
  FROM accounts a LEFT JOIN users u ON u.account_id = a.id GROUP BY a.id, a.name;
CREATE SQL SECURITY INVOKER VIEW big_accounts AS SELECT account_id, name FROM account_user_counts WHERE users > 10;
CREATE VIEW visible_products AS SELECT id, sku, name, price FROM products WHERE is_visible = 1 WITH CHECK OPTION;
CREATE ALGORITHM=MERGE VIEW cheap_visible_products AS SELECT id, name FROM visible_products WHERE price < 10 WITH LOCAL CHECK OPTION;
CREATE TABLE wishlists (
  user_id int unsigned NOT NULL,
  product_id int unsigned NOT NULL,
  added_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (user_id, product_id),
  KEY product_id (product_id),
  CONSTRAINT wishlists_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT wishlists_product_fk FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE VIEW published_posts AS SELECT id, title, published_at FROM articles WHERE published = 1;
CREATE VIEW order_totals AS SELECT user_id, count(*) AS orders, sum(total) AS total FROM orders GROUP BY user_id;

-- Triggers spelled as strata writes them: SHOW CREATE TRIGGER gives the
-- statement back as typed, and the comparison reads it.
CREATE TRIGGER `order_items_ai` AFTER INSERT ON `order_items` FOR EACH ROW UPDATE orders SET total = total + NEW.line_total WHERE id = NEW.order_id;
DELIMITER //
CREATE TRIGGER `orders_bi` BEFORE INSERT ON `orders` FOR EACH ROW BEGIN
  IF NEW.currency = '' THEN
    SET NEW.currency = 'EUR';
  END IF;
END//
DELIMITER ;
