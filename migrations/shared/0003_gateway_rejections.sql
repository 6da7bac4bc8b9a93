-- Refused logins and frames (security access log): who, when, why. Kept like telemetry, for
-- the life of the platform, so it is a time-series table partitioned by day.
-- create_time_series builds in the current schema: the runner's search_path is nevguard here.

SELECT nevguard.create_time_series('gateway_rejections', 'at', $columns$
    at timestamptz NOT NULL,
    peer text NOT NULL,
    unique_id text,
    reason text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'
$columns$);

CREATE INDEX gateway_rejections_at ON nevguard.gateway_rejections (at DESC);
CREATE INDEX gateway_rejections_unique_id ON nevguard.gateway_rejections (unique_id, at DESC)
    WHERE unique_id IS NOT NULL;

SELECT nevguard.compress_time_series('gateway_rejections', 'reason', 'at DESC');
