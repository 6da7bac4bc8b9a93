-- realtime_hourly grows the per-signal counts and sums (and the minima/maxima it lacked) of
-- the signals the console charts, so long-range history folds AVG, MIN and MAX of them from
-- the rollup instead of reading a vehicle's raw rows (a month is 86,400 rows), plus the
-- columns the fleet statistics read (odometer minimum for distance, charging frames).
--
-- Sums of integer signals are bigint (exact: the average folded from them equals avg() over
-- the rows); sums of real signals are double precision.
--
-- The native refresh becomes set-based: one statement over all the pairs with the realtime
-- partitions pruned at plan time (bounds from the pairs' first and last hour, planned with
-- their values), where 0004 called a function per vehicle-hour whose generic plan locked every
-- partition. realtime_hourly_of goes: the INSERT below is now the single definition.

DO $migration$
DECLARE
    v_timescale text := nevguard.extension_schema('timescaledb');
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        -- A continuous aggregate's query cannot be altered: rebuild it, and mark every hour
        -- that holds data dirty so backend/storage/rollups.py materialises the old ones (the
        -- policy looks back three days; reads take dirty hours from realtime meanwhile).
        DROP MATERIALIZED VIEW realtime_hourly;
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
                   max(odometer_km) AS max_odometer_km,
                   min(odometer_km) AS min_odometer_km,
                   count(*) FILTER (WHERE charging_state IN (1, 2)) AS charging_frames,
                   count(speed_kmh) AS count_speed_kmh,
                   sum(speed_kmh::double precision) AS sum_speed_kmh,
                   min(speed_kmh) AS min_speed_kmh,
                   count(soc_pct) AS count_soc_pct,
                   sum(soc_pct) AS sum_soc_pct,
                   count(total_voltage_v) AS count_total_voltage_v,
                   sum(total_voltage_v::double precision) AS sum_total_voltage_v,
                   min(total_voltage_v) AS min_total_voltage_v,
                   max(total_voltage_v) AS max_total_voltage_v,
                   count(total_current_a) AS count_total_current_a,
                   sum(total_current_a::double precision) AS sum_total_current_a,
                   min(total_current_a) AS min_total_current_a,
                   max(total_current_a) AS max_total_current_a,
                   count(insulation_kohm) AS count_insulation_kohm,
                   sum(insulation_kohm) AS sum_insulation_kohm,
                   max(insulation_kohm) AS max_insulation_kohm,
                   count(max_temperature_c) AS count_max_temperature_c,
                   sum(max_temperature_c) AS sum_max_temperature_c,
                   min(max_temperature_c) AS min_max_temperature_c,
                   count(min_temperature_c) AS count_min_temperature_c,
                   sum(min_temperature_c) AS sum_min_temperature_c,
                   min(min_temperature_c) AS min_temperature_c,
                   max(min_temperature_c) AS max_min_temperature_c,
                   count(max_cell_voltage_mv) AS count_max_cell_voltage_mv,
                   sum(max_cell_voltage_mv) AS sum_max_cell_voltage_mv,
                   min(max_cell_voltage_mv) AS min_max_cell_voltage_mv,
                   count(min_cell_voltage_mv) AS count_min_cell_voltage_mv,
                   sum(min_cell_voltage_mv) AS sum_min_cell_voltage_mv,
                   max(min_cell_voltage_mv) AS max_min_cell_voltage_mv
              FROM realtime
             GROUP BY 1, 2
            WITH NO DATA
        $view$, v_timescale);
        EXECUTE format('SELECT %s.add_continuous_aggregate_policy(%L::regclass,
                            start_offset => INTERVAL ''3 days'', end_offset => INTERVAL ''1 hour'',
                            schedule_interval => INTERVAL ''15 minutes'')',
                       v_timescale, format('%I.realtime_hourly', current_schema()));
        INSERT INTO realtime_hourly_dirty (vin, bucket)
        SELECT DISTINCT vin,
               date_bin(INTERVAL '1 hour', collected_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')
          FROM realtime
            ON CONFLICT DO NOTHING;
    ELSE
        ALTER TABLE realtime_hourly
            ADD COLUMN min_odometer_km double precision,
            ADD COLUMN charging_frames bigint NOT NULL DEFAULT 0,
            ADD COLUMN count_speed_kmh bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_speed_kmh double precision,
            ADD COLUMN min_speed_kmh real,
            ADD COLUMN count_soc_pct bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_soc_pct bigint,
            ADD COLUMN count_total_voltage_v bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_total_voltage_v double precision,
            ADD COLUMN min_total_voltage_v real,
            ADD COLUMN max_total_voltage_v real,
            ADD COLUMN count_total_current_a bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_total_current_a double precision,
            ADD COLUMN min_total_current_a real,
            ADD COLUMN max_total_current_a real,
            ADD COLUMN count_insulation_kohm bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_insulation_kohm bigint,
            ADD COLUMN max_insulation_kohm integer,
            ADD COLUMN count_max_temperature_c bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_max_temperature_c bigint,
            ADD COLUMN min_max_temperature_c smallint,
            ADD COLUMN count_min_temperature_c bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_min_temperature_c bigint,
            ADD COLUMN min_temperature_c smallint,
            ADD COLUMN max_min_temperature_c smallint,
            ADD COLUMN count_max_cell_voltage_mv bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_max_cell_voltage_mv bigint,
            ADD COLUMN min_max_cell_voltage_mv integer,
            ADD COLUMN count_min_cell_voltage_mv bigint NOT NULL DEFAULT 0,
            ADD COLUMN sum_min_cell_voltage_mv bigint,
            ADD COLUMN max_min_cell_voltage_mv integer;
    END IF;
END
$migration$;

DROP FUNCTION realtime_hourly_of(text, timestamptz);

-- Recomputes the given (vin, hour) pairs in two statements: delete their rollup rows, insert
-- the aggregate of their realtime rows (hours without rows stay deleted). The realtime scan is
-- bounded by the first and last hour of the pairs; plan_cache_mode = force_custom_plan plans it
-- with those values, so PostgreSQL prunes (and locks) only the partitions of that span.
-- Idempotent; returns the number of pairs.
CREATE OR REPLACE FUNCTION refresh_realtime_hourly_pairs(p_vins text[], p_buckets timestamptz[])
RETURNS integer
LANGUAGE plpgsql
SET search_path FROM CURRENT
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_from timestamptz;
    v_to timestamptz;
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        RAISE EXCEPTION 'realtime_hourly is a continuous aggregate here: use refresh_continuous_aggregate';
    END IF;
    SELECT min(bucket), max(bucket) + INTERVAL '1 hour' INTO v_from, v_to
      FROM unnest(p_buckets) AS bucket;
    IF v_from IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM realtime_hourly AS h
     USING unnest(p_vins, p_buckets) AS pair (vin, bucket)
     WHERE h.vin = pair.vin AND h.bucket = pair.bucket;
    INSERT INTO realtime_hourly (
        bucket, vin, frames, reissued_frames, avg_speed_kmh, max_speed_kmh, min_soc_pct,
        max_soc_pct, max_alarm_level, min_insulation_kohm, max_cell_voltage_mv,
        min_cell_voltage_mv, max_temperature_c, max_odometer_km, min_odometer_km,
        charging_frames,
        count_speed_kmh, sum_speed_kmh, min_speed_kmh,
        count_soc_pct, sum_soc_pct,
        count_total_voltage_v, sum_total_voltage_v, min_total_voltage_v, max_total_voltage_v,
        count_total_current_a, sum_total_current_a, min_total_current_a, max_total_current_a,
        count_insulation_kohm, sum_insulation_kohm, max_insulation_kohm,
        count_max_temperature_c, sum_max_temperature_c, min_max_temperature_c,
        count_min_temperature_c, sum_min_temperature_c, min_temperature_c, max_min_temperature_c,
        count_max_cell_voltage_mv, sum_max_cell_voltage_mv, min_max_cell_voltage_mv,
        count_min_cell_voltage_mv, sum_min_cell_voltage_mv, max_min_cell_voltage_mv)
    SELECT pair.bucket, pair.vin, count(*), count(*) FILTER (WHERE r.reissued),
           avg(r.speed_kmh), max(r.speed_kmh), min(r.soc_pct), max(r.soc_pct),
           max(r.alarm_level), min(r.insulation_kohm), max(r.max_cell_voltage_mv),
           min(r.min_cell_voltage_mv), max(r.max_temperature_c), max(r.odometer_km),
           min(r.odometer_km), count(*) FILTER (WHERE r.charging_state IN (1, 2)),
           count(r.speed_kmh), sum(r.speed_kmh::double precision), min(r.speed_kmh),
           count(r.soc_pct), sum(r.soc_pct),
           count(r.total_voltage_v), sum(r.total_voltage_v::double precision),
           min(r.total_voltage_v), max(r.total_voltage_v),
           count(r.total_current_a), sum(r.total_current_a::double precision),
           min(r.total_current_a), max(r.total_current_a),
           count(r.insulation_kohm), sum(r.insulation_kohm), max(r.insulation_kohm),
           count(r.max_temperature_c), sum(r.max_temperature_c), min(r.max_temperature_c),
           count(r.min_temperature_c), sum(r.min_temperature_c), min(r.min_temperature_c),
           max(r.min_temperature_c),
           count(r.max_cell_voltage_mv), sum(r.max_cell_voltage_mv),
           min(r.max_cell_voltage_mv),
           count(r.min_cell_voltage_mv), sum(r.min_cell_voltage_mv),
           max(r.min_cell_voltage_mv)
      FROM (SELECT DISTINCT vin, bucket FROM unnest(p_vins, p_buckets) AS given (vin, bucket))
           AS pair
      JOIN realtime AS r
        ON r.vin = pair.vin AND r.collected_at >= pair.bucket
       AND r.collected_at < pair.bucket + INTERVAL '1 hour'
     WHERE r.collected_at >= v_from AND r.collected_at < v_to
     GROUP BY pair.bucket, pair.vin;
    RETURN coalesce(cardinality(p_vins), 0);
END
$$;

-- Unchanged but for the plan setting: its pair scan is pruned to [p_from, p_to) at plan time.
CREATE OR REPLACE FUNCTION refresh_realtime_hourly(p_from timestamptz, p_to timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path FROM CURRENT
SET plan_cache_mode = force_custom_plan
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

-- The new columns of the hours the table already holds, one day per statement (each pruned
-- to its day's partition).
DO $backfill$
DECLARE
    v_day timestamptz;
BEGIN
    IF NOT nevguard.is_hypertable('realtime'::regclass) THEN
        FOR v_day IN
            SELECT generate_series(date_bin(INTERVAL '1 day', min(bucket),
                                            TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                                   max(bucket), INTERVAL '1 day')
              FROM realtime_hourly
        LOOP
            PERFORM refresh_realtime_hourly(v_day, v_day + INTERVAL '1 day');
        END LOOP;
    END IF;
END
$backfill$;
