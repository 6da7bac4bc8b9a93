-- Every accepted frame exactly as received (header, data unit and check code), so any record
-- can be re-decoded or forwarded upstream byte for byte, and the per-vehicle link events.
-- Partitioned by the day they happened; lifetime retention like `realtime`.

-- collected_at is NULL for frames without a collection time and for impossible dates; those
-- frames live only here. frame_hash = 16-byte BLAKE2b of `frame`.
SELECT nevguard.create_time_series('raw_frames', 'received_at', $columns$
    vin text NOT NULL,
    received_at timestamptz NOT NULL,
    collected_at timestamptz,
    command smallint NOT NULL,
    edition smallint NOT NULL,
    frame bytea NOT NULL,
    frame_hash bytea NOT NULL CHECK (octet_length(frame_hash) = 16)
$columns$);

CREATE UNIQUE INDEX raw_frames_vin_received_hash ON raw_frames (vin, received_at DESC, frame_hash);

SELECT nevguard.compress_time_series('raw_frames', 'vin', 'received_at DESC');

-- login, logout, connected, disconnected, ... A vehicle has at most one event of a kind at an
-- instant, which makes a replayed batch harmless.
SELECT nevguard.create_time_series('vehicle_events', 'at', $columns$
    vin text NOT NULL,
    at timestamptz NOT NULL,
    collected_at timestamptz,
    kind text NOT NULL CHECK (kind <> ''),
    serial integer,
    details jsonb NOT NULL DEFAULT '{}'
$columns$);

CREATE UNIQUE INDEX vehicle_events_vin_at_kind ON vehicle_events (vin, at DESC, kind);

SELECT nevguard.compress_time_series('vehicle_events', 'vin', 'at DESC');
