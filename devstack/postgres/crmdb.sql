-- The demo CRM database: what Metis's PostgreSQL scanner finds in `npm run dev`. Table and column
-- names of public.customers and public.addresses match the demo catalog (subgraphs/metis/src/demo).

COMMENT ON SCHEMA public IS 'Accounts and addresses as the storefronts and the call centre enter them.';

CREATE TABLE public.customers (
  id            bigint PRIMARY KEY,
  first_name    varchar(100) NOT NULL,
  last_name     varchar(100) NOT NULL,
  email         varchar(320) NOT NULL UNIQUE,
  phone         varchar(40),
  date_of_birth date,
  country       char(2) NOT NULL,
  storefront    varchar(40) NOT NULL,
  created_at    timestamp NOT NULL DEFAULT now(),
  updated_at    timestamp NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.customers IS 'CRM customer accounts as entered by storefronts and the call centre.';
COMMENT ON COLUMN public.customers.id IS 'CRM account id.';
COMMENT ON COLUMN public.customers.email IS 'Login and contact address; unique per account.';
COMMENT ON COLUMN public.customers.country IS 'ISO 3166-1 alpha-2 country of the account.';

CREATE TABLE public.addresses (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES public.customers (id),
  street      varchar(200) NOT NULL,
  postal_code varchar(20) NOT NULL,
  city        varchar(100) NOT NULL,
  country     char(2) NOT NULL,
  kind        varchar(10) NOT NULL CHECK (kind IN ('billing', 'shipping'))
);
COMMENT ON TABLE public.addresses IS 'Postal addresses of CRM accounts, several per account.';
COMMENT ON COLUMN public.addresses.kind IS 'billing or shipping';

CREATE SCHEMA sales;
COMMENT ON SCHEMA sales IS 'Orders taken by the call centre.';

CREATE TABLE sales.orders (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES public.customers (id),
  placed_at   timestamp NOT NULL,
  status      varchar(20) NOT NULL,
  currency    char(3) NOT NULL
);
COMMENT ON TABLE sales.orders IS 'Orders placed through the call centre.';

CREATE TABLE sales.order_lines (
  order_id   bigint NOT NULL REFERENCES sales.orders (id),
  line_no    int NOT NULL,
  sku        varchar(40) NOT NULL,
  quantity   int NOT NULL,
  unit_price numeric(12, 2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
COMMENT ON TABLE sales.order_lines IS 'Lines of call-centre orders.';
COMMENT ON COLUMN sales.order_lines.unit_price IS 'Price per unit in the order currency, tax included.';

CREATE SCHEMA support;
COMMENT ON SCHEMA support IS 'Customer service.';

CREATE TABLE support.tickets (
  id          bigint PRIMARY KEY,
  customer_id bigint REFERENCES public.customers (id),
  order_id    bigint REFERENCES sales.orders (id),
  opened_at   timestamp NOT NULL,
  closed_at   timestamp,
  subject     text NOT NULL,
  priority    smallint NOT NULL DEFAULT 3
);
COMMENT ON TABLE support.tickets IS 'Support tickets, one per customer request.';

-- Views: joins and expressions, so that Metis derives column-level lineage from their SQL.
CREATE VIEW public.customer_contacts AS
SELECT c.id AS customer_id,
       c.first_name || ' ' || c.last_name AS full_name,
       lower(c.email) AS email,
       c.phone,
       a.city,
       a.country
FROM public.customers c
LEFT JOIN public.addresses a ON a.customer_id = c.id AND a.kind = 'shipping';
COMMENT ON VIEW public.customer_contacts IS 'One contact row per customer with the shipping address.';

CREATE VIEW sales.order_totals AS
SELECT o.id AS order_id,
       o.customer_id,
       o.placed_at,
       o.currency,
       sum(l.quantity * l.unit_price) AS total
FROM sales.orders o
JOIN sales.order_lines l ON l.order_id = o.id
GROUP BY o.id, o.customer_id, o.placed_at, o.currency;
COMMENT ON VIEW sales.order_totals IS 'Order totals in the order currency.';

CREATE VIEW support.open_tickets AS
SELECT t.id AS ticket_id,
       t.subject,
       t.priority,
       c.email AS customer_email,
       now() - t.opened_at AS age
FROM support.tickets t
JOIN public.customers c ON c.id = t.customer_id
WHERE t.closed_at IS NULL;

INSERT INTO public.customers (id, first_name, last_name, email, phone, date_of_birth, country, storefront) VALUES
  (1, 'Ada', 'Lovelace', 'ada@example.com', '+44 20 7946 0001', '1815-12-10', 'GB', 'web'),
  (2, 'Grace', 'Hopper', 'grace@example.com', '+1 202 555 0102', '1906-12-09', 'US', 'phone'),
  (3, 'Alan', 'Turing', 'alan@example.com', NULL, '1912-06-23', 'GB', 'web');
INSERT INTO public.addresses VALUES
  (1, 1, '12 St James''s Square', 'SW1Y 4JH', 'London', 'GB', 'shipping'),
  (2, 2, '1600 Pennsylvania Ave', '20500', 'Washington', 'US', 'billing'),
  (3, 2, '3 Navy Yard', '20374', 'Washington', 'US', 'shipping');
INSERT INTO sales.orders VALUES
  (10, 1, '2026-11-02 10:00', 'shipped', 'GBP'),
  (11, 2, '2026-11-03 15:30', 'placed', 'USD');
INSERT INTO sales.order_lines VALUES (10, 1, 'SKU-1', 2, 9.99), (10, 2, 'SKU-7', 1, 24.50), (11, 1, 'SKU-3', 5, 3.20);
INSERT INTO support.tickets VALUES (100, 2, 11, '2026-11-04 09:00', NULL, 'Where is my order?', 2);
