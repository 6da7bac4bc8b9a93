-- Decoded real-time (0x02) and reissued (0x03) records, one row per data unit (§8, §11).
-- Kept for the vehicle's whole life: partitions by collection day, never dropped.
--
-- Dedupe key (vin, collected_at, content_hash), content_hash = 16-byte BLAKE2b of the plaintext
-- data unit: the same record sent live and reissued after an outage, or replayed from the
-- gateway's spool, is stored once; a terminal that splits one sample over several frames with
-- the same collection time (e.g. cell voltages in pieces, §8.8) keeps every piece because the
-- contents differ. The command is deliberately not part of the key.
--
-- Measured values are NULL when the terminal sent the abnormal/invalid sentinel; `sentinels`
-- says which (column -> 'abnormal' | 'invalid').

SELECT nevguard.create_time_series('realtime', 'collected_at', $columns$
    vin text NOT NULL,
    collected_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    reissued boolean NOT NULL,
    edition smallint NOT NULL,
    content_hash bytea NOT NULL CHECK (octet_length(content_hash) = 16),
    vehicle_state smallint,
    charging_state smallint,
    running_mode smallint,
    speed_kmh real,
    odometer_km double precision,
    total_voltage_v real,
    total_current_a real,
    soc_pct smallint,
    dcdc_state smallint,
    gear smallint,
    insulation_kohm integer,
    accelerator_pct smallint,
    brake_pct smallint,
    position_valid boolean,
    longitude_deg double precision,
    latitude_deg double precision,
    coordinate_system smallint,
    max_cell_voltage_mv integer,
    min_cell_voltage_mv integer,
    max_temperature_c smallint,
    min_temperature_c smallint,
    alarm_level smallint,
    alarm_flags bigint,
    fault_codes jsonb,
    alarm_levels jsonb,
    cell_voltages_mv integer[],
    probe_temperatures_c smallint[],
    battery jsonb,
    motors jsonb,
    fuel_cell jsonb,
    engine jsonb,
    extras jsonb,
    sentinels jsonb,
    undecoded bytea,
    signature_verified boolean
$columns$);

-- One index serves both the dedupe (ON CONFLICT) and per-vehicle time-range reads in either
-- direction; a separate (vin, collected_at DESC) index would double the write cost.
CREATE UNIQUE INDEX realtime_vin_collected_content ON realtime (vin, collected_at DESC, content_hash);

SELECT nevguard.compress_time_series('realtime', 'vin', 'collected_at DESC');
