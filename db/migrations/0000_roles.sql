-- The role every tenant transaction runs as: owns nothing, cannot bypass row-level security.
-- Roles are cluster-wide, so create it only once per cluster.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lectern_app') THEN
    CREATE ROLE lectern_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
