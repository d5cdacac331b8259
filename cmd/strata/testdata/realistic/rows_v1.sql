-- Rows for version 1 of the core tables (the module tables get theirs from
-- realModuleRows). Every value fits version 2's narrower types.
INSERT INTO accounts (id, name, plan, features, balance)
  SELECT seq, concat('Account ', seq), elt(1 + seq % 3, 'free', 'pro', 'enterprise'),
         elt(1 + seq % 3, 'api', 'api,sso', 'sso,audit'), seq * 10.5
  FROM seq_1_to_20;
INSERT INTO users (id, account_id, email, name, fax, country, login_count, is_admin, age, bio, settings)
  SELECT seq, 1 + seq % 20, concat('user', seq, '@example', seq % 7, '.com'), concat('User ', seq),
         if(seq % 4 = 0, concat('+49 30 ', seq), NULL), elt(1 + seq % 4, 'US', 'DE', 'FR', 'JP'),
         seq * 3, seq % 10 = 0, if(seq % 5 = 0, NULL, 13 + seq % 80),
         concat('Bio of user ', seq, ' who likes ', elt(1 + seq % 3, 'tea', 'coffee', 'water')),
         json_object('theme', elt(1 + seq % 2, 'dark', 'light'), 'n', seq)
  FROM seq_1_to_200;
UPDATE users SET manager_id = 1 + id % 10 WHERE id > 10;
UPDATE accounts SET owner_user_id = id;
INSERT INTO categories (id, parent_id, slug, title, position)
  SELECT seq, NULL, concat('cat-', seq), concat('Category ', seq), seq FROM seq_1_to_10;
INSERT INTO categories (id, parent_id, slug, title, position)
  SELECT 10 + seq, 1 + seq % 10, concat('sub-', seq), concat('Subcategory ', seq), seq FROM seq_1_to_20;
INSERT INTO products (id, category_id, sku, name, description, price, cost, weight_g, stock, is_visible, ratio, rating, barcode, created_on)
  SELECT seq, 1 + seq % 30, concat('SKU-', lpad(seq, 8, '0')),
         concat('Product ', seq, ' ', elt(1 + seq % 3, 'Widget', 'Gadget', 'Gizmo')),
         concat('A fine ', elt(1 + seq % 3, 'widget', 'gadget', 'gizmo'), ' number ', seq),
         seq * 1.25, seq * 0.75, seq * 11, CAST(seq % 40 AS SIGNED) - 5, seq % 9 <> 0, seq / 7, 1 + seq % 5,
         concat('400', lpad(seq, 10, '0')), '2021-01-01' + INTERVAL seq DAY
  FROM seq_1_to_300;
INSERT INTO orders (id, user_id, status, currency, placed_at, notes)
  SELECT seq, 1 + seq % 200, elt(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), elt(1 + seq % 3, 'EUR', 'USD', ''),
         '2024-03-01' + INTERVAL seq MINUTE, if(seq % 3 = 0, concat('note ', seq), NULL)
  FROM seq_1_to_500;
INSERT INTO order_items (order_id, line, product_id, qty, unit_price)
  SELECT 1 + seq % 500, 1 + seq DIV 500, 1 + seq % 300, 1 + seq % 12, (1 + seq % 300) * 1.25
  FROM seq_0_to_1499;
INSERT INTO blog_posts (id, author_id, title, body, published, published_at)
  SELECT seq, 1 + seq % 200, concat('Post ', seq), repeat(concat('Paragraph ', seq, '. '), 20), seq % 2,
         if(seq % 2, '2024-01-01' + INTERVAL seq DAY, NULL)
  FROM seq_1_to_100;
INSERT INTO post_comments (id, post_id, body) SELECT seq, 1 + seq % 100, concat('Comment ', seq) FROM seq_1_to_300;
UPDATE post_comments SET parent_id = id - 100 WHERE id > 100;
INSERT INTO legacy_notes (id, title, body, tag)
  SELECT seq, concat('Note ', seq, ' café'), concat('Crème brûlée #', seq), elt(1 + seq % 2, 'misc', 'à faire')
  FROM seq_1_to_100;
INSERT INTO legacy_tmp (id, junk) SELECT seq, concat('j', seq) FROM seq_1_to_10;
INSERT INTO sessions (id, user_id, data, expires_at)
  SELECT sha2(seq, 256), 1 + seq % 200, unhex(md5(seq)), '2025-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_50;
INSERT INTO audit_log (id, actor, action, payload, at)
  SELECT seq, concat('user', 1 + seq % 200), elt(1 + seq % 3, 'login', 'logout', 'update'), concat('{"n":', seq, '}'),
         '2024-05-01' + INTERVAL seq MINUTE
  FROM seq_1_to_500;
INSERT INTO search_cache (query_hash, query, hits) SELECT unhex(md5(seq)), concat('query ', seq), seq FROM seq_1_to_100;
INSERT INTO stats_daily (day, visits, signups) SELECT '2024-01-01' + INTERVAL seq DAY, seq * 13, seq % 17 FROM seq_0_to_364;
INSERT INTO settings_defaults (s_empty) SELECT concat('r', seq) FROM seq_1_to_20;
INSERT INTO places (id, name, pos, area, ext_id, ip, url, score)
  SELECT seq, concat('Place ', seq), point(seq, seq * 2),
         if(seq % 2, ST_GeomFromText('POLYGON((0 0,0 1,1 1,1 0,0 0))'), NULL),
         if(seq % 3, concat('123e4567-e89b-12d3-a456-', lpad(seq, 12, '0')), NULL),
         if(seq % 4, concat('2001:db8::', seq), NULL), concat('https://example.com/', repeat('p', seq * 10)), seq
  FROM seq_1_to_60;
INSERT INTO events (id, happened_on, kind, payload)
  SELECT seq, '2022-01-01' + INTERVAL (seq * 3) DAY, elt(1 + seq % 3, 'click', 'view', 'buy'), json_object('seq', seq)
  FROM seq_1_to_300;
INSERT INTO region_stats (region_id, day, hits)
  SELECT 1 + seq % 7, '2024-01-01' + INTERVAL (seq DIV 7) DAY, seq FROM seq_0_to_209;
INSERT INTO metrics (id, v) SELECT seq, seq / 3 FROM seq_1_to_200;
INSERT INTO kv_store (k, v) SELECT concat('key:', seq), unhex(sha2(seq, 256)) FROM seq_1_to_100;
INSERT INTO price_history (product_id, valid_from, price)
  SELECT 1 + seq % 300, '2022-06-01' + INTERVAL (seq DIV 300) * 200 DAY, 1 + seq % 97 FROM seq_0_to_599;
