SET app.tenant = '1';
INSERT INTO billing.plans (code, name, monthly_cents, currency, features) VALUES
  ('free', 'Free', 0, 'EUR', '{}'), ('pro', 'Pro', 1900, 'EUR', '{"seats": 5}'), ('team', 'Team', 4900, 'USD', '{"seats": 20}');
INSERT INTO billing.customers (email, display_name, country, tax_id, tenant_id)
  SELECT 'user' || g || '@example.com', 'Customer ' || g, (ARRAY['DE','FR','US'])[1 + g % 3], CASE WHEN g % 2 = 0 THEN 'TX' || g END, 1
  FROM generate_series(1, 200) g;
INSERT INTO billing.subscriptions (customer_id, plan_id, active_during)
  SELECT g, 1 + g % 3, tstzrange('2026-01-01'::timestamptz + g * interval '1 day', NULL) FROM generate_series(1, 200) g;
INSERT INTO billing.invoices (customer_id, subscription_id, status, total, issued_on, due_on, notes, tax_ref)
  SELECT 1 + g % 200, 1 + g % 200, (ARRAY['draft','open','paid','void'])[1 + g % 4]::billing.invoice_status,
    ROW('EUR', g * 100)::billing.amount, '2026-02-01'::date + g % 300, '2026-03-01'::date + g % 300, 'invoice ' || g, 'R' || g
  FROM generate_series(1, 600) g;
INSERT INTO billing.invoice_lines (invoice_id, line_no, description, quantity, unit_cents)
  SELECT 100 + (g - 1) / 3, 1 + (g - 1) % 3, 'line ' || g, 1 + g % 4, 250 * (1 + g % 7) FROM generate_series(1, 1800) g;
INSERT INTO billing.payments (id, invoice_id, method, paid_cents, paid_at)
  SELECT md5('p' || g)::uuid, 100 + g % 600, (ARRAY['card','transfer','cash'])[1 + g % 3]::billing.payment_method, 1000 + g,
    '2026-01-01'::timestamptz + g * interval '13 hours' FROM generate_series(1, 900) g;
INSERT INTO billing.rate_cache (currency, rate) VALUES ('EUR', 1), ('USD', 1.08), ('GBP', 0.86);
