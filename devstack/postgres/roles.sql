-- Roles of the devstack's PostgreSQL (cluster-wide, so outside crmdb.sql). The password is a
-- fixed development value, the same on every machine; nothing real is behind it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_reader') THEN
    CREATE ROLE crm_reader LOGIN PASSWORD 'crm-reader-dev';
  END IF;
END
$$;
-- Read-only on every database (PostgreSQL 14+): what a catalog scanner needs, nothing more.
GRANT pg_read_all_data TO crm_reader;
