-- Per vehicle and Beijing calendar day, folded from realtime_hourly: what the fleet statistics
-- read (backend/storage/fleet_statistics.py). A month of 1,000 vehicles is 30,000 rows here
-- against 720,000 hourly rows, which took about a second per statistics request to fold.
-- Days start at Beijing midnight (origin 2000-01-01 00:00+08), made of whole UTC hours.
--   TimescaleDB: a view folding the hourly continuous aggregate when read (see below);
--   otherwise:   a table that refresh_realtime_hourly_pairs keeps in the same transaction as
--                the hours it recomputes.

DO $migration$
DECLARE
    v_timescale text := nevguard.extension_schema('timescaledb');
BEGIN
    IF nevguard.is_hypertable('realtime'::regclass) THEN
        -- TimescaleDB refuses a continuous aggregate on realtime_hourly with another bucket
        -- origin (Beijing midnight is not the hourly aggregate's), so here the days are
        -- folded from the hourly aggregate when read: the same columns, not materialised.
        CREATE VIEW realtime_daily AS
        SELECT date_bin(INTERVAL '1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+08') AS day,
               vin,
               sum(frames)::bigint AS frames,
               sum(reissued_frames)::bigint AS reissued_frames,
               count(*) AS hours,
               count(*) FILTER (WHERE charging_frames > 0) AS charging_hours,
               count(*) FILTER (WHERE max_alarm_level >= 1) AS alarm_hours,
               max(max_alarm_level) AS max_alarm_level,
               max(max_odometer_km) AS max_odometer_km,
               min(min_odometer_km) AS min_odometer_km,
               max(max_temperature_c) AS max_temperature_c,
               min(min_insulation_kohm) AS min_insulation_kohm,
               sum(sum_soc_pct)::bigint AS sum_soc_pct,
               sum(count_soc_pct)::bigint AS count_soc_pct
          FROM realtime_hourly
         GROUP BY 1, 2;
    ELSE
        CREATE TABLE realtime_daily (
            day timestamptz NOT NULL,
            vin text NOT NULL,
            frames bigint NOT NULL,
            reissued_frames bigint NOT NULL,
            hours bigint NOT NULL,
            charging_hours bigint NOT NULL,
            alarm_hours bigint NOT NULL,
            max_alarm_level smallint,
            max_odometer_km double precision,
            min_odometer_km double precision,
            max_temperature_c smallint,
            min_insulation_kohm integer,
            sum_soc_pct bigint,
            count_soc_pct bigint NOT NULL,
            PRIMARY KEY (vin, day)
        );
        CREATE INDEX realtime_daily_day ON realtime_daily (day);
    END IF;
END
$migration$;

-- The days of the given (vin, hour) pairs, recomputed from realtime_hourly: the single
-- definition of the native realtime_daily. Hours are whole inside Beijing days.
CREATE FUNCTION refresh_realtime_daily_pairs(p_vins text[], p_buckets timestamptz[])
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    DELETE FROM realtime_daily AS d
     USING unnest(p_vins, p_buckets) AS pair (vin, bucket)
     WHERE d.vin = pair.vin
       AND d.day = date_bin(INTERVAL '1 day', pair.bucket, TIMESTAMPTZ '2000-01-01 00:00:00+08');
    INSERT INTO realtime_daily
    SELECT t.day, t.vin, sum(h.frames), sum(h.reissued_frames), count(*),
           count(*) FILTER (WHERE h.charging_frames > 0),
           count(*) FILTER (WHERE h.max_alarm_level >= 1), max(h.max_alarm_level),
           max(h.max_odometer_km), min(h.min_odometer_km), max(h.max_temperature_c),
           min(h.min_insulation_kohm), sum(h.sum_soc_pct), sum(h.count_soc_pct)
      FROM (SELECT DISTINCT vin,
                   date_bin(INTERVAL '1 day', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+08') AS day
              FROM unnest(p_vins, p_buckets) AS pair (vin, bucket)) AS t
      JOIN realtime_hourly AS h
        ON h.vin = t.vin AND h.bucket >= t.day AND h.bucket < t.day + INTERVAL '1 day'
     GROUP BY t.day, t.vin;
END
$$;

-- 0009's set-based refresh, now also folding the pairs' days into realtime_daily.
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
    PERFORM refresh_realtime_daily_pairs(p_vins, p_buckets);
    RETURN coalesce(cardinality(p_vins), 0);
END
$$;

-- The native table of the hours already rolled up.
DO $backfill$
BEGIN
    IF NOT nevguard.is_hypertable('realtime'::regclass) THEN
        INSERT INTO realtime_daily
        SELECT date_bin(INTERVAL '1 day', h.bucket, TIMESTAMPTZ '2000-01-01 00:00:00+08'),
               h.vin, sum(h.frames), sum(h.reissued_frames), count(*),
               count(*) FILTER (WHERE h.charging_frames > 0),
               count(*) FILTER (WHERE h.max_alarm_level >= 1), max(h.max_alarm_level),
               max(h.max_odometer_km), min(h.min_odometer_km), max(h.max_temperature_c),
               min(h.min_insulation_kohm), sum(h.sum_soc_pct), sum(h.count_soc_pct)
          FROM realtime_hourly AS h
         GROUP BY 1, 2;
    END IF;
END
$backfill$;
