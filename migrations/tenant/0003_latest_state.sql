-- One row per vehicle: the fleet map and the long-offline screening read this instead of the
-- time series. Two clocks move it forward independently (backend/storage/ingest.py):
-- the link part (online, last_frame_at) by receive time, the telemetry snapshot by collection
-- time, so a late batch or a reissued record never moves a vehicle back.

CREATE TABLE latest_state (
    vin text PRIMARY KEY,
    online boolean NOT NULL,
    last_frame_at timestamptz NOT NULL,
    last_collected_at timestamptz,
    longitude_deg double precision,
    latitude_deg double precision,
    vehicle_state smallint,
    charging_state smallint,
    soc_pct smallint,
    speed_kmh real,
    alarm_level smallint,
    updated_at timestamptz NOT NULL
);

-- Long-offline screening: vehicles whose last frame is older than a threshold.
CREATE INDEX latest_state_last_frame_at ON latest_state (last_frame_at);
