--
-- PostgreSQL database dump
--

\restrict IwhoHgdyy2Ne3e56ekmrzuD6toI70977uwcYsCJi5bhH7KltmG7vfRnCG58HNid

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: billing; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA billing;


--
-- Name: SCHEMA billing; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA billing IS 'Customers, plans, invoices and payments';


--
-- Name: billing_audit; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA billing_audit;


--
-- Name: case_insensitive; Type: COLLATION; Schema: billing; Owner: -
--

CREATE COLLATION billing.case_insensitive (provider = icu, deterministic = false, locale = 'und-u-ks-level2');


--
-- Name: COLLATION case_insensitive; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON COLLATION billing.case_insensitive IS 'compares without case';


--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: amount; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.amount AS (
	currency character(3),
	cents bigint
);


--
-- Name: cents_range; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.cents_range AS RANGE (
    subtype = bigint,
    multirange_type_name = billing.cents_multirange
);


--
-- Name: currency; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.currency AS character(3)
	CONSTRAINT currency_check CHECK ((VALUE ~ '^[A-Z]{3}$'::text));


--
-- Name: email; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.email AS public.citext
	CONSTRAINT email_check CHECK ((VALUE OPERATOR(public.~) '^[^@]+@[^@]+$'::public.citext));


--
-- Name: DOMAIN email; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON DOMAIN billing.email IS 'an e-mail address, compared without case';


--
-- Name: invoice_status; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.invoice_status AS ENUM (
    'draft',
    'open',
    'paid',
    'void'
);


--
-- Name: TYPE invoice_status; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON TYPE billing.invoice_status IS 'life of an invoice';


--
-- Name: payment_method; Type: TYPE; Schema: billing; Owner: -
--

CREATE TYPE billing.payment_method AS ENUM (
    'card',
    'transfer',
    'cash'
);


--
-- Name: positive_cents; Type: DOMAIN; Schema: billing; Owner: -
--

CREATE DOMAIN billing.positive_cents AS bigint NOT NULL DEFAULT 0
	CONSTRAINT positive_cents_check CHECK ((VALUE >= 0));


--
-- Name: amount_eq(billing.amount, billing.amount); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.amount_eq(a billing.amount, b billing.amount) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT a.currency = b.currency AND a.cents = b.cents $$;


--
-- Name: invoice_total(bigint); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.invoice_total(p_invoice bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(sum(quantity * unit_cents), 0)::bigint FROM billing.invoice_lines WHERE invoice_id = p_invoice $$;


--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: billing; Owner: -
--

CREATE FUNCTION billing.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;


--
-- Name: FUNCTION touch_updated_at(); Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON FUNCTION billing.touch_updated_at() IS 'keeps updated_at current';


--
-- Name: log_invoice(); Type: FUNCTION; Schema: billing_audit; Owner: -
--

CREATE FUNCTION billing_audit.log_invoice() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'billing'
    AS $$
BEGIN
  INSERT INTO billing_audit.events (tenant_id, actor, payload) VALUES (1, current_user, to_jsonb(NEW));
  RETURN NULL;
END
$$;


--
-- Name: ===; Type: OPERATOR; Schema: billing; Owner: -
--

CREATE OPERATOR billing.=== (
    FUNCTION = billing.amount_eq,
    LEFTARG = billing.amount,
    RIGHTARG = billing.amount,
    COMMUTATOR = OPERATOR(billing.===)
);


--
-- Name: OPERATOR === (billing.amount, billing.amount); Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON OPERATOR billing.=== (billing.amount, billing.amount) IS 'same currency and cents';


--
-- Name: code_hash_ops; Type: OPERATOR FAMILY; Schema: billing; Owner: -
--

CREATE OPERATOR FAMILY billing.code_hash_ops USING hash;


--
-- Name: code_hash_ops; Type: OPERATOR CLASS; Schema: billing; Owner: -
--

CREATE OPERATOR CLASS billing.code_hash_ops
    FOR TYPE text USING hash FAMILY billing.code_hash_ops AS
    OPERATOR 1 =(text,text) ,
    FUNCTION 1 (text, text) hashtext(text);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: plans; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.plans (
    id smallint NOT NULL,
    code text NOT NULL,
    name text NOT NULL COLLATE billing.case_insensitive,
    monthly_cents billing.positive_cents,
    currency billing.currency DEFAULT 'EUR'::bpchar NOT NULL,
    features jsonb DEFAULT '{}'::jsonb NOT NULL,
    active boolean DEFAULT true NOT NULL
);


--
-- Name: TABLE plans; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON TABLE billing.plans IS 'what customers subscribe to';


--
-- Name: COLUMN plans.monthly_cents; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON COLUMN billing.plans.monthly_cents IS 'price per month';


--
-- Name: active_plans; Type: VIEW; Schema: billing; Owner: -
--

CREATE VIEW billing.active_plans AS
 SELECT plans.id,
    plans.code,
    plans.name,
    plans.monthly_cents
   FROM billing.plans
  WHERE plans.active
  WITH CASCADED CHECK OPTION;


--
-- Name: credit_note_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

CREATE SEQUENCE billing.credit_note_seq
    START WITH 1
    INCREMENT BY 10
    NO MINVALUE
    NO MAXVALUE
    CACHE 20
    CYCLE;


--
-- Name: customers; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.customers (
    id bigint NOT NULL,
    email billing.email NOT NULL,
    display_name text NOT NULL,
    country character(2) DEFAULT 'DE'::bpchar NOT NULL,
    tax_id character varying(32),
    tenant_id integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_country_check CHECK ((country ~ '^[A-Z]{2}$'::text))
);


--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME billing.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: invoice_lines; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoice_lines (
    invoice_id bigint NOT NULL,
    line_no smallint NOT NULL,
    description text NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    unit_cents billing.positive_cents,
    line_cents bigint GENERATED ALWAYS AS ((quantity * (unit_cents)::bigint)) STORED,
    CONSTRAINT invoice_lines_quantity_check CHECK ((quantity > 0))
);


--
-- Name: invoices; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.invoices (
    id bigint NOT NULL,
    number integer NOT NULL,
    customer_id bigint NOT NULL,
    subscription_id bigint,
    status billing.invoice_status DEFAULT 'draft'::billing.invoice_status NOT NULL,
    total billing.amount,
    issued_on date,
    due_on date,
    notes text,
    tax_ref text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invoices_due_after_issue CHECK ((due_on >= issued_on))
);


--
-- Name: invoice_number_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

CREATE SEQUENCE billing.invoice_number_seq
    AS integer
    START WITH 1000
    INCREMENT BY 1
    MINVALUE 1000
    MAXVALUE 999999
    CACHE 1;


--
-- Name: invoice_number_seq; Type: SEQUENCE OWNED BY; Schema: billing; Owner: -
--

ALTER SEQUENCE billing.invoice_number_seq OWNED BY billing.invoices.number;


--
-- Name: SEQUENCE invoice_number_seq; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON SEQUENCE billing.invoice_number_seq IS 'human invoice numbers';


--
-- Name: invoices_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

ALTER TABLE billing.invoices ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME billing.invoices_id_seq
    START WITH 100
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: open_invoices; Type: VIEW; Schema: billing; Owner: -
--

CREATE VIEW billing.open_invoices WITH (security_barrier='true') AS
 SELECT i.id,
    i.number,
    c.email,
    i.due_on,
    billing.invoice_total(i.id) AS total_cents
   FROM (billing.invoices i
     JOIN billing.customers c ON ((c.id = i.customer_id)))
  WHERE (i.status = 'open'::billing.invoice_status);


--
-- Name: VIEW open_invoices; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON VIEW billing.open_invoices IS 'what is still to be paid';


--
-- Name: overdue; Type: VIEW; Schema: billing; Owner: -
--

CREATE VIEW billing.overdue AS
 SELECT open_invoices.id,
    open_invoices.number,
    open_invoices.email
   FROM billing.open_invoices
  WHERE (open_invoices.due_on < CURRENT_DATE);


--
-- Name: payments; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.payments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    invoice_id bigint NOT NULL,
    method billing.payment_method NOT NULL,
    paid_cents billing.positive_cents,
    paid_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY RANGE (paid_at);


--
-- Name: payments_2026; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.payments_2026 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    invoice_id bigint NOT NULL,
    method billing.payment_method NOT NULL,
    paid_cents billing.positive_cents,
    paid_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: payments_2027; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.payments_2027 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    invoice_id bigint NOT NULL,
    method billing.payment_method NOT NULL,
    paid_cents billing.positive_cents,
    paid_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: plans_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

CREATE SEQUENCE billing.plans_id_seq
    AS smallint
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: plans_id_seq; Type: SEQUENCE OWNED BY; Schema: billing; Owner: -
--

ALTER SEQUENCE billing.plans_id_seq OWNED BY billing.plans.id;


--
-- Name: rate_cache; Type: TABLE; Schema: billing; Owner: -
--

CREATE UNLOGGED TABLE billing.rate_cache (
    currency billing.currency NOT NULL,
    rate numeric(12,6) NOT NULL,
    fetched_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: revenue_by_month; Type: MATERIALIZED VIEW; Schema: billing; Owner: -
--

CREATE MATERIALIZED VIEW billing.revenue_by_month AS
 SELECT date_trunc('month'::text, p.paid_at) AS month,
    sum((p.paid_cents)::bigint) AS cents,
    count(*) AS payments
   FROM billing.payments p
  GROUP BY (date_trunc('month'::text, p.paid_at))
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW revenue_by_month; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON MATERIALIZED VIEW billing.revenue_by_month IS 'refreshed nightly';


--
-- Name: subscriptions; Type: TABLE; Schema: billing; Owner: -
--

CREATE TABLE billing.subscriptions (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    plan_id smallint NOT NULL,
    active_during tstzrange NOT NULL,
    cancelled boolean DEFAULT false NOT NULL
);


--
-- Name: subscriptions_id_seq; Type: SEQUENCE; Schema: billing; Owner: -
--

CREATE SEQUENCE billing.subscriptions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: subscriptions_id_seq; Type: SEQUENCE OWNED BY; Schema: billing; Owner: -
--

ALTER SEQUENCE billing.subscriptions_id_seq OWNED BY billing.subscriptions.id;


--
-- Name: events; Type: TABLE; Schema: billing_audit; Owner: -
--

CREATE TABLE billing_audit.events (
    id bigint NOT NULL,
    tenant_id integer NOT NULL,
    happened_at timestamp(3) with time zone DEFAULT clock_timestamp() NOT NULL,
    actor text,
    payload jsonb NOT NULL
);

ALTER TABLE ONLY billing_audit.events FORCE ROW LEVEL SECURITY;


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: billing_audit; Owner: -
--

CREATE SEQUENCE billing_audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: billing_audit; Owner: -
--

ALTER SEQUENCE billing_audit.events_id_seq OWNED BY billing_audit.events.id;


--
-- Name: payments_2026; Type: TABLE ATTACH; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments ATTACH PARTITION billing.payments_2026 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: payments_2027; Type: TABLE ATTACH; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments ATTACH PARTITION billing.payments_2027 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2028-01-01 00:00:00+00');


--
-- Name: invoices number; Type: DEFAULT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices ALTER COLUMN number SET DEFAULT nextval('billing.invoice_number_seq'::regclass);


--
-- Name: plans id; Type: DEFAULT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.plans ALTER COLUMN id SET DEFAULT nextval('billing.plans_id_seq'::regclass);


--
-- Name: subscriptions id; Type: DEFAULT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions ALTER COLUMN id SET DEFAULT nextval('billing.subscriptions_id_seq'::regclass);


--
-- Name: events id; Type: DEFAULT; Schema: billing_audit; Owner: -
--

ALTER TABLE ONLY billing_audit.events ALTER COLUMN id SET DEFAULT nextval('billing_audit.events_id_seq'::regclass);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: invoice_lines invoice_lines_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_pkey PRIMARY KEY (invoice_id, line_no);


--
-- Name: invoices invoices_number_key; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_number_key UNIQUE (number) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: invoices invoices_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);


--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id, paid_at);


--
-- Name: payments_2026 payments_2026_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments_2026
    ADD CONSTRAINT payments_2026_pkey PRIMARY KEY (id, paid_at);


--
-- Name: payments_2027 payments_2027_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.payments_2027
    ADD CONSTRAINT payments_2027_pkey PRIMARY KEY (id, paid_at);


--
-- Name: plans plans_code_key; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.plans
    ADD CONSTRAINT plans_code_key UNIQUE (code);


--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);


--
-- Name: rate_cache rate_cache_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.rate_cache
    ADD CONSTRAINT rate_cache_pkey PRIMARY KEY (currency);


--
-- Name: subscriptions subscriptions_no_overlap; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_no_overlap EXCLUDE USING gist (customer_id WITH =, active_during WITH &&) WHERE ((NOT cancelled));


--
-- Name: subscriptions subscriptions_pkey; Type: CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: billing_audit; Owner: -
--

ALTER TABLE ONLY billing_audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: customers_email_key; Type: INDEX; Schema: billing; Owner: -
--

CREATE UNIQUE INDEX customers_email_key ON billing.customers USING btree (lower((email)::text)) INCLUDE (display_name);


--
-- Name: customers_name_trgm; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX customers_name_trgm ON billing.customers USING gin (display_name public.gin_trgm_ops);


--
-- Name: customers_tax_id; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX customers_tax_id ON billing.customers USING btree (tax_id) WHERE (tax_id IS NOT NULL);


--
-- Name: INDEX customers_tax_id; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON INDEX billing.customers_tax_id IS 'only customers with a tax id';


--
-- Name: invoices_issued_month; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_issued_month ON billing.invoices USING btree (date_trunc('month'::text, (issued_on)::timestamp without time zone));


--
-- Name: invoices_notes_trgm; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_notes_trgm ON billing.invoices USING gist (notes public.gist_trgm_ops);


--
-- Name: invoices_open; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_open ON billing.invoices USING btree (customer_id, due_on) WHERE (status = 'open'::billing.invoice_status);


--
-- Name: invoices_tax_ref_hash; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX invoices_tax_ref_hash ON billing.invoices USING hash (tax_ref billing.code_hash_ops);


--
-- Name: payments_invoice; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX payments_invoice ON ONLY billing.payments USING btree (invoice_id);


--
-- Name: payments_2026_invoice_id_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX payments_2026_invoice_id_idx ON billing.payments_2026 USING btree (invoice_id);


--
-- Name: payments_2027_invoice_id_idx; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX payments_2027_invoice_id_idx ON billing.payments_2027 USING btree (invoice_id);


--
-- Name: revenue_by_month_month; Type: INDEX; Schema: billing; Owner: -
--

CREATE UNIQUE INDEX revenue_by_month_month ON billing.revenue_by_month USING btree (month);


--
-- Name: subscriptions_during; Type: INDEX; Schema: billing; Owner: -
--

CREATE INDEX subscriptions_during ON billing.subscriptions USING gist (active_during) INCLUDE (plan_id);


--
-- Name: events_payload; Type: INDEX; Schema: billing_audit; Owner: -
--

CREATE INDEX events_payload ON billing_audit.events USING gin (payload jsonb_path_ops);


--
-- Name: events_recent; Type: INDEX; Schema: billing_audit; Owner: -
--

CREATE INDEX events_recent ON billing_audit.events USING brin (happened_at);


--
-- Name: payments_2026_invoice_id_idx; Type: INDEX ATTACH; Schema: billing; Owner: -
--

ALTER INDEX billing.payments_invoice ATTACH PARTITION billing.payments_2026_invoice_id_idx;


--
-- Name: payments_2026_pkey; Type: INDEX ATTACH; Schema: billing; Owner: -
--

ALTER INDEX billing.payments_pkey ATTACH PARTITION billing.payments_2026_pkey;


--
-- Name: payments_2027_invoice_id_idx; Type: INDEX ATTACH; Schema: billing; Owner: -
--

ALTER INDEX billing.payments_invoice ATTACH PARTITION billing.payments_2027_invoice_id_idx;


--
-- Name: payments_2027_pkey; Type: INDEX ATTACH; Schema: billing; Owner: -
--

ALTER INDEX billing.payments_pkey ATTACH PARTITION billing.payments_2027_pkey;


--
-- Name: invoices invoices_audit; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE TRIGGER invoices_audit AFTER INSERT OR UPDATE OF status ON billing.invoices FOR EACH ROW WHEN ((new.status <> 'draft'::billing.invoice_status)) EXECUTE FUNCTION billing_audit.log_invoice();


--
-- Name: TRIGGER invoices_audit ON invoices; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON TRIGGER invoices_audit ON billing.invoices IS 'status changes are audited';


--
-- Name: invoices invoices_touch; Type: TRIGGER; Schema: billing; Owner: -
--

CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.touch_updated_at();


--
-- Name: invoice_lines invoice_lines_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;


--
-- Name: invoices invoices_customer_fk; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES billing.customers(id) DEFERRABLE;


--
-- Name: invoices invoices_subscription_fk; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_subscription_fk FOREIGN KEY (subscription_id) REFERENCES billing.subscriptions(id) ON DELETE SET NULL;


--
-- Name: payments payments_invoice_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE billing.payments
    ADD CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices(id);


--
-- Name: subscriptions subscriptions_customer_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES billing.customers(id) ON DELETE CASCADE;


--
-- Name: subscriptions subscriptions_plan_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: -
--

ALTER TABLE ONLY billing.subscriptions
    ADD CONSTRAINT subscriptions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES billing.plans(id);


--
-- Name: customers; Type: ROW SECURITY; Schema: billing; Owner: -
--

ALTER TABLE billing.customers ENABLE ROW LEVEL SECURITY;

--
-- Name: customers customers_admin; Type: POLICY; Schema: billing; Owner: -
--

CREATE POLICY customers_admin ON billing.customers AS RESTRICTIVE FOR DELETE USING ((CURRENT_USER = 'postgres'::name));


--
-- Name: customers customers_tenant; Type: POLICY; Schema: billing; Owner: -
--

CREATE POLICY customers_tenant ON billing.customers USING ((tenant_id = (current_setting('app.tenant'::text, true))::integer));


--
-- Name: POLICY customers_tenant ON customers; Type: COMMENT; Schema: billing; Owner: -
--

COMMENT ON POLICY customers_tenant ON billing.customers IS 'tenants see their own';


--
-- Name: events; Type: ROW SECURITY; Schema: billing_audit; Owner: -
--

ALTER TABLE billing_audit.events ENABLE ROW LEVEL SECURITY;

--
-- Name: events events_insert; Type: POLICY; Schema: billing_audit; Owner: -
--

CREATE POLICY events_insert ON billing_audit.events FOR INSERT WITH CHECK (true);


--
-- Name: events events_read; Type: POLICY; Schema: billing_audit; Owner: -
--

CREATE POLICY events_read ON billing_audit.events FOR SELECT USING ((tenant_id = (current_setting('app.tenant'::text, true))::integer));


--
-- PostgreSQL database dump complete
--

\unrestrict IwhoHgdyy2Ne3e56ekmrzuD6toI70977uwcYsCJi5bhH7KltmG7vfRnCG58HNid

