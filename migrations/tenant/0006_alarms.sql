-- Alarm events, the tenant's rule settings and protocol compliance flags (docs/alarms.md).
--
-- alarm_events: one row per episode of a condition on a vehicle, written by the alarm engine
-- (backend/workers/alarm_engine.py). The id is made by the engine when the event opens, so the
-- alarm workflow (cases, acknowledgements; issue 5 part 2) can reference events by id.
-- feed_position is the alarm-feed entry that last changed the event: after a restart the
-- engine skips entries at or before it, so replaying the feed never counts a frame twice.

CREATE TABLE alarm_events (
    id uuid PRIMARY KEY,
    vin text NOT NULL,
    source text NOT NULL CHECK (source IN ('vehicle', 'platform')),
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    state text NOT NULL CHECK (state IN ('open', 'closed')),
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    peak_level smallint NOT NULL CHECK (peak_level BETWEEN level AND 4),
    opened_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL CHECK (last_seen_at >= opened_at),
    cleared_at timestamptz,
    closed_at timestamptz CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    frame_count integer NOT NULL CHECK (frame_count >= 1),
    reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
    flapping boolean NOT NULL DEFAULT false,
    historical boolean NOT NULL DEFAULT false,
    fault_codes bigint[] NOT NULL DEFAULT '{}',
    feed_position text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- At most one open event per vehicle and condition, whatever the engine does.
CREATE UNIQUE INDEX alarm_events_one_open ON alarm_events (vin, source, code)
    WHERE state = 'open';
-- Lists newest first (keyset on opened_at, id), per vehicle or for the whole tenant.
CREATE INDEX alarm_events_opened ON alarm_events (opened_at DESC, id DESC);
CREATE INDEX alarm_events_vin_opened ON alarm_events (vin, opened_at DESC, id DESC);
-- The engine's start: open events and those closed within the flap window.
CREATE INDEX alarm_events_closed_at ON alarm_events (closed_at) WHERE state = 'closed';

-- A tenant's setting of one platform rule, for all its vehicles (model_id NULL) or one model.
-- The defaults are code (backend/core/alarms/rules.py), not rows: a NULL part keeps the value
-- below it (model -> tenant -> default).
CREATE TABLE alarm_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    model_id bigint REFERENCES vehicle_models (id) ON DELETE CASCADE,
    threshold double precision CHECK (threshold >= 0 AND threshold < 1e9),
    level smallint CHECK (level BETWEEN 1 AND 4),
    enabled boolean,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (code, model_id)
);

-- Level-3/4 alarms the vehicle did not report as the standard asks (PROTOCOL.md §11):
-- one row per event and kind at most.
CREATE TABLE compliance_flags (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES alarm_events (id) ON DELETE CASCADE,
    vin text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('fast_reporting_missing', 'prealarm_missing')),
    detected_at timestamptz NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    UNIQUE (event_id, kind)
);
CREATE INDEX compliance_flags_vin ON compliance_flags (vin, detected_at DESC);
