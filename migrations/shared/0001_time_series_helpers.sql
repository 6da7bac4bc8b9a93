-- Helpers that let one set of migrations build the time-series tables on PostgreSQL with
-- TimescaleDB (hypertables, compression) and without it (declarative partitioning by day,
-- managed by pg_partman when installed, else by nevguard.ensure_day_partitions).
-- A table keeps the engine it was created with: later migrations ask the table
-- (nevguard.is_hypertable), not the server, so installing TimescaleDB later never mixes kinds.
-- See docs/storage.md.

CREATE FUNCTION nevguard.extension_schema(p_extension name) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT quote_ident(n.nspname)
      FROM pg_catalog.pg_extension AS e
      JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
     WHERE e.extname = p_extension
$$;

CREATE FUNCTION nevguard.timescale_enabled() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'timescaledb')
$$;

CREATE FUNCTION nevguard.partman_enabled() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_partman')
$$;

CREATE FUNCTION nevguard.is_hypertable(p_table regclass) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_found boolean;
BEGIN
    IF NOT nevguard.timescale_enabled() THEN
        RETURN false;
    END IF;
    -- Dynamic: the timescaledb_information schema only exists with the extension.
    EXECUTE 'SELECT EXISTS (SELECT FROM timescaledb_information.hypertables AS h
                              JOIN pg_catalog.pg_class AS c ON c.relname = h.hypertable_name
                              JOIN pg_catalog.pg_namespace AS n
                                ON n.oid = c.relnamespace AND n.nspname = h.hypertable_schema
                             WHERE c.oid = $1)'
        INTO v_found USING p_table;
    RETURN v_found;
END
$$;

-- pg_partman changes search_path at session level (set_config(..., false)) and "restores" the
-- value it found, which inside a tenant transaction is our transaction-local tenant path. That
-- would outlive the transaction on a pooled connection, so after calling it we put the session
-- value back to the connection's own default and re-apply the local value.
CREATE FUNCTION nevguard.repair_session_search_path() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_current text := current_setting('search_path');
BEGIN
    PERFORM set_config('search_path',
                       (SELECT reset_val FROM pg_catalog.pg_settings WHERE name = 'search_path'),
                       false);
    PERFORM set_config('search_path', v_current, true);
END
$$;

-- Every time-series table, whatever its engine; the maintenance job walks this list.
CREATE TABLE nevguard.time_series (
    schema_name name NOT NULL,
    table_name name NOT NULL,
    time_column name NOT NULL,
    engine text NOT NULL CHECK (engine IN ('timescaledb', 'pg_partman', 'native')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schema_name, table_name)
);

-- Days in UTC: partition bounds must not depend on the session's TimeZone.
CREATE FUNCTION nevguard.day_partition_name(p_table name, p_day date) RETURNS name
LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_table || '_p' || to_char(p_day, 'YYYY_MM_DD'))::name
$$;

-- Creates the missing day partitions of a natively partitioned table (engine 'native').
-- Rows of such a day already sitting in the default partition are moved into the new one, so
-- this also repairs data that arrived before its day existed (old reissues, wrong clocks).
CREATE FUNCTION nevguard.ensure_day_partitions(
    p_schema name, p_table name, p_first date, p_last date
) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_column name;
    v_day date;
    v_child name;
    v_from timestamptz;
    v_to timestamptz;
    v_created integer := 0;
BEGIN
    SELECT time_column INTO STRICT v_column
      FROM nevguard.time_series WHERE schema_name = p_schema AND table_name = p_table;
    FOR v_day IN SELECT generate_series(p_first, p_last, INTERVAL '1 day')::date LOOP
        v_child := nevguard.day_partition_name(p_table, v_day);
        CONTINUE WHEN to_regclass(format('%I.%I', p_schema, v_child)) IS NOT NULL;
        v_from := v_day::timestamp AT TIME ZONE 'UTC';
        v_to := (v_day + 1)::timestamp AT TIME ZONE 'UTC';
        EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       p_schema, v_child, p_schema, p_table);
        EXECUTE format('WITH moved AS (DELETE FROM %I.%I WHERE %I >= %L AND %I < %L RETURNING *)
                        INSERT INTO %I.%I SELECT * FROM moved',
                       p_schema, p_table || '_default', v_column, v_from, v_column, v_to,
                       p_schema, v_child);
        EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                       p_schema, p_table, p_schema, v_child, v_from, v_to);
        v_created := v_created + 1;
    END LOOP;
    RETURN v_created;
END
$$;

-- Creates `p_table` in the current schema (the runner's transaction-local search_path) from
-- a column list, partitioned by day on `p_time_column`: a hypertable with TimescaleDB, else a
-- partitioned table with a default partition plus day partitions from yesterday to a week
-- ahead (pg_partman premake = 7, or nevguard.ensure_day_partitions). Returns the engine.
CREATE FUNCTION nevguard.create_time_series(
    p_table name, p_time_column name, p_columns text
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_schema name := current_schema();
    v_qualified text;
    v_engine text;
    v_partman text;
BEGIN
    IF v_schema IS NULL THEN
        RAISE EXCEPTION 'nevguard.create_time_series(%): search_path names no schema', p_table;
    END IF;
    v_qualified := format('%I.%I', v_schema, p_table);
    IF nevguard.timescale_enabled() THEN
        EXECUTE format('CREATE TABLE %s (%s)', v_qualified, p_columns);
        -- No default time index: each table's unique key leads with (vin, time DESC).
        EXECUTE format('SELECT %s.create_hypertable(%L::regclass, %L::name,
                            chunk_time_interval => INTERVAL ''1 day'',
                            create_default_indexes => false)',
                       nevguard.extension_schema('timescaledb'), v_qualified, p_time_column);
        v_engine := 'timescaledb';
    ELSE
        EXECUTE format('CREATE TABLE %s (%s) PARTITION BY RANGE (%I)',
                       v_qualified, p_columns, p_time_column);
        v_engine := CASE WHEN nevguard.partman_enabled() THEN 'pg_partman' ELSE 'native' END;
    END IF;
    INSERT INTO nevguard.time_series (schema_name, table_name, time_column, engine)
    VALUES (v_schema, p_table, p_time_column, v_engine);

    IF v_engine = 'pg_partman' THEN
        v_partman := nevguard.extension_schema('pg_partman');
        -- pg_partman 5 renamed the declarative partitioning type from 'native' to 'range'.
        EXECUTE format('SELECT %s.create_parent(p_parent_table => %L, p_control => %L,
                            p_type => %L, p_interval => ''1 day'', p_premake => 7,
                            p_jobmon => false)',
                       v_partman, v_schema || '.' || p_table, p_time_column,
                       (SELECT CASE WHEN split_part(extversion, '.', 1)::int >= 5
                                    THEN 'range' ELSE 'native' END
                          FROM pg_catalog.pg_extension WHERE extname = 'pg_partman'));
        -- Lifetime retention (no drop); keep premaking from "now" even when a wrong clock put
        -- a far-future row in the default partition.
        EXECUTE format('UPDATE %s.part_config
                           SET retention = NULL, infinite_time_partitions = true,
                               ignore_default_data = true
                         WHERE parent_table = %L',
                       v_partman, v_schema || '.' || p_table);
        PERFORM nevguard.repair_session_search_path();
    ELSIF v_engine = 'native' THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT',
                       v_schema, p_table || '_default', v_qualified);
        PERFORM nevguard.ensure_day_partitions(v_schema, p_table,
                                               (now() AT TIME ZONE 'UTC')::date - 1,
                                               (now() AT TIME ZONE 'UTC')::date + 7);
    END IF;
    RETURN v_engine;
END
$$;

-- Columnar compression of chunks older than a week on TimescaleDB, one segment per vehicle so
-- a per-vehicle read decompresses only that vehicle. A no-op for the partitioned engines.
-- Call it after the table's indexes exist.
CREATE FUNCTION nevguard.compress_time_series(
    p_table name, p_segment_by text, p_order_by text
) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_qualified text := format('%I.%I', current_schema(), p_table);
BEGIN
    IF NOT nevguard.is_hypertable(v_qualified::regclass) THEN
        RETURN false;
    END IF;
    EXECUTE format('ALTER TABLE %s SET (timescaledb.compress,
                        timescaledb.compress_segmentby = %L,
                        timescaledb.compress_orderby = %L)',
                   v_qualified, p_segment_by, p_order_by);
    EXECUTE format('SELECT %s.add_compression_policy(%L::regclass,
                        compress_after => INTERVAL ''7 days'', if_not_exists => true)',
                   nevguard.extension_schema('timescaledb'), v_qualified);
    RETURN true;
END
$$;
