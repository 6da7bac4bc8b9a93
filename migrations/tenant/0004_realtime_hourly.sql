-- Hourly per-vehicle rollup of `realtime`, read by charts over long ranges and by the screening
-- and quality jobs. Same name and columns on both engines so every query is identical:
--   TimescaleDB: a real-time continuous aggregate (materialized + not yet materialized rows);
--   otherwise:   a table kept by refresh_realtime_hourly* below, driven by
--                realtime_hourly_dirty (filled by the ingest writer) and backend/storage/rollups.py.
-- Buckets are UTC hours, which are also Beijing hours (UTC+8).

-- (vin, hour) pairs whose realtime rows changed since the rollup last saw them. The ingest
-- writer adds the pairs of the rows it inserted, however old (reissues).
CREATE TABLE realtime_hourly_dirty (
    vin text NOT NULL,
    bucket timestamptz NOT NULL,
    PRIMARY KEY (vin, bucket)
);

DO $migration$
DECLARE
    v_timescale text := nevguard.extension_schema('timescaledb');
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        EXECUTE format($view$
            CREATE MATERIALIZED VIEW realtime_hourly
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT %1$s.time_bucket(INTERVAL '1 hour', collected_at) AS bucket,
                   vin,
                   count(*) AS frames,
                   count(*) FILTER (WHERE reissued) AS reissued_frames,
                   avg(speed_kmh) AS avg_speed_kmh,
                   max(speed_kmh) AS max_speed_kmh,
                   min(soc_pct) AS min_soc_pct,
                   max(soc_pct) AS max_soc_pct,
                   max(alarm_level) AS max_alarm_level,
                   min(insulation_kohm) AS min_insulation_kohm,
                   max(max_cell_voltage_mv) AS max_cell_voltage_mv,
                   min(min_cell_voltage_mv) AS min_cell_voltage_mv,
                   max(max_temperature_c) AS max_temperature_c,
                   max(odometer_km) AS max_odometer_km
              FROM realtime
             GROUP BY 1, 2
            WITH NO DATA
        $view$, v_timescale);
        EXECUTE format('SELECT %s.add_continuous_aggregate_policy(%L::regclass,
                            start_offset => INTERVAL ''3 days'', end_offset => INTERVAL ''1 hour'',
                            schedule_interval => INTERVAL ''15 minutes'')',
                       v_timescale, format('%I.realtime_hourly', current_schema()));
    ELSE
        CREATE TABLE realtime_hourly (
            bucket timestamptz NOT NULL,
            vin text NOT NULL,
            frames bigint NOT NULL,
            reissued_frames bigint NOT NULL,
            avg_speed_kmh double precision,
            max_speed_kmh real,
            min_soc_pct smallint,
            max_soc_pct smallint,
            max_alarm_level smallint,
            min_insulation_kohm integer,
            max_cell_voltage_mv integer,
            min_cell_voltage_mv integer,
            max_temperature_c smallint,
            max_odometer_km double precision,
            PRIMARY KEY (vin, bucket)
        );
        CREATE INDEX realtime_hourly_bucket ON realtime_hourly (bucket);
    END IF;
END
$migration$;

-- The native rollup's single definition: the aggregate of one vehicle-hour, read through the
-- realtime unique index. Zero rows when the hour has no data.
CREATE FUNCTION realtime_hourly_of(p_vin text, p_bucket timestamptz)
RETURNS TABLE (
    bucket timestamptz, vin text, frames bigint, reissued_frames bigint,
    avg_speed_kmh double precision, max_speed_kmh real, min_soc_pct smallint,
    max_soc_pct smallint, max_alarm_level smallint, min_insulation_kohm integer,
    max_cell_voltage_mv integer, min_cell_voltage_mv integer, max_temperature_c smallint,
    max_odometer_km double precision
)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT p_bucket, p_vin, count(*), count(*) FILTER (WHERE r.reissued), avg(r.speed_kmh),
           max(r.speed_kmh), min(r.soc_pct), max(r.soc_pct), max(r.alarm_level),
           min(r.insulation_kohm), max(r.max_cell_voltage_mv), min(r.min_cell_voltage_mv),
           max(r.max_temperature_c), max(r.odometer_km)
      FROM realtime AS r
     WHERE r.vin = p_vin AND r.collected_at >= p_bucket
       AND r.collected_at < p_bucket + INTERVAL '1 hour'
    HAVING count(*) > 0
$$;

-- Recomputes the given (vin, hour) pairs: upsert where data exists, delete where it is gone.
-- Idempotent; returns the number of pairs. `SET search_path FROM CURRENT` pins the function to
-- this tenant's schema whatever the caller's path.
CREATE FUNCTION refresh_realtime_hourly_pairs(p_vins text[], p_buckets timestamptz[])
RETURNS integer
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        RAISE EXCEPTION 'realtime_hourly is a continuous aggregate here: use refresh_continuous_aggregate';
    END IF;
    INSERT INTO realtime_hourly
    SELECT hourly.*
      FROM unnest(p_vins, p_buckets) AS pair (vin, bucket)
     CROSS JOIN LATERAL realtime_hourly_of(pair.vin, pair.bucket) AS hourly
        ON CONFLICT (vin, bucket) DO UPDATE
       SET frames = excluded.frames, reissued_frames = excluded.reissued_frames,
           avg_speed_kmh = excluded.avg_speed_kmh, max_speed_kmh = excluded.max_speed_kmh,
           min_soc_pct = excluded.min_soc_pct, max_soc_pct = excluded.max_soc_pct,
           max_alarm_level = excluded.max_alarm_level,
           min_insulation_kohm = excluded.min_insulation_kohm,
           max_cell_voltage_mv = excluded.max_cell_voltage_mv,
           min_cell_voltage_mv = excluded.min_cell_voltage_mv,
           max_temperature_c = excluded.max_temperature_c,
           max_odometer_km = excluded.max_odometer_km;
    DELETE FROM realtime_hourly AS h
     USING unnest(p_vins, p_buckets) AS pair (vin, bucket)
     WHERE h.vin = pair.vin AND h.bucket = pair.bucket
       AND NOT EXISTS (SELECT FROM realtime AS r
                        WHERE r.vin = pair.vin AND r.collected_at >= pair.bucket
                          AND r.collected_at < pair.bucket + INTERVAL '1 hour');
    RETURN coalesce(cardinality(p_vins), 0);
END
$$;

-- Recomputes every vehicle-hour overlapping [p_from, p_to). Idempotent.
CREATE FUNCTION refresh_realtime_hourly(p_from timestamptz, p_to timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    v_from timestamptz := date_bin(INTERVAL '1 hour', p_from, TIMESTAMPTZ '2000-01-01 00:00:00+00');
    v_vins text[];
    v_buckets timestamptz[];
BEGIN
    SELECT array_agg(vin), array_agg(bucket) INTO v_vins, v_buckets
      FROM (SELECT DISTINCT r.vin,
                   date_bin(INTERVAL '1 hour', r.collected_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
                   AS bucket
              FROM realtime AS r
             WHERE r.collected_at >= v_from AND r.collected_at < p_to
             UNION
            SELECT h.vin, h.bucket FROM realtime_hourly AS h
             WHERE h.bucket >= v_from AND h.bucket < p_to) AS pairs;
    RETURN refresh_realtime_hourly_pairs(v_vins, v_buckets);
END
$$;

-- Takes up to p_limit dirty pairs (oldest hours first, skipping pairs another refresher holds)
-- and recomputes them in the caller's transaction.
CREATE FUNCTION refresh_realtime_hourly_dirty(p_limit integer)
RETURNS integer
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    v_vins text[];
    v_buckets timestamptz[];
BEGIN
    WITH taken AS (
        DELETE FROM realtime_hourly_dirty AS d
         USING (SELECT vin, bucket FROM realtime_hourly_dirty
                 ORDER BY bucket LIMIT p_limit FOR UPDATE SKIP LOCKED) AS picked
         WHERE d.vin = picked.vin AND d.bucket = picked.bucket
        RETURNING d.vin, d.bucket)
    SELECT array_agg(vin), array_agg(bucket) INTO v_vins, v_buckets FROM taken;
    RETURN refresh_realtime_hourly_pairs(v_vins, v_buckets);
END
$$;

-- Upgrading a tenant that already has data: build the rollup for all of it once. A continuous
-- aggregate cannot be refreshed inside this transaction and its policy only looks back three
-- days, so there the existing hours are marked dirty for backend/storage/rollups.py instead.
DO $backfill$
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        INSERT INTO realtime_hourly_dirty (vin, bucket)
        SELECT DISTINCT vin,
               date_bin(INTERVAL '1 hour', collected_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
          FROM realtime;
    ELSE
        PERFORM refresh_realtime_hourly(min(collected_at), max(collected_at) + INTERVAL '1 hour')
           FROM realtime HAVING count(*) > 0;
    END IF;
END
$backfill$;
