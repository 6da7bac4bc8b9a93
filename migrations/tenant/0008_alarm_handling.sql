-- Alarm handling and response (issue 5 part 2, docs/alarms.md "Handling and response").
--
-- alarm_handling_queue is the durable path from the alarm engine to the handling worker: a
-- trigger on alarm_events writes a row in the engine's own transaction whenever an event
-- opens, rises in level, closes or reopens, so no level-3 alarm is lost when Redis pub/sub
-- drops a message or the worker is down; the worker drains it (handled_at) and nothing here
-- makes the engine wait for a notification. The WHEN clauses keep the engine's ordinary
-- updates (frame counts, last_seen_at) free of any trigger call.

CREATE TABLE alarm_handling_queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL REFERENCES alarm_events (id) ON DELETE CASCADE,
    change text NOT NULL CHECK (change IN ('opened', 'level_raised', 'closed', 'reopened')),
    level smallint NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    handled_at timestamptz
);
CREATE INDEX alarm_handling_queue_waiting ON alarm_handling_queue (id) WHERE handled_at IS NULL;

-- search_path is pinned to this tenant's schema when the function is created.
CREATE FUNCTION alarm_handling_enqueue() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO alarm_handling_queue (event_id, change, level)
    VALUES (NEW.id,
            CASE WHEN TG_OP = 'INSERT' THEN 'opened'
                 WHEN NEW.state IS DISTINCT FROM OLD.state AND NEW.state = 'closed' THEN 'closed'
                 WHEN NEW.state IS DISTINCT FROM OLD.state THEN 'reopened'
                 ELSE 'level_raised' END,
            NEW.peak_level);
    RETURN NULL;
END $$;

CREATE TRIGGER alarm_events_opened AFTER INSERT ON alarm_events
    FOR EACH ROW EXECUTE FUNCTION alarm_handling_enqueue();
CREATE TRIGGER alarm_events_changed AFTER UPDATE ON alarm_events
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR NEW.peak_level > OLD.peak_level)
    EXECUTE FUNCTION alarm_handling_enqueue();

-- The tenant's handling policy per level, SLA settings and working calendar (one document,
-- checked by backend/core/alarm_cases/policy.py), and its duty rota (rota.py). No row: the
-- defaults.
CREATE TABLE alarm_handling_settings (
    name text PRIMARY KEY CHECK (name IN ('handling', 'rota')),
    document jsonb NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Where notifications go: one row per channel. The secret (webhook HMAC key, SMTP password,
-- SMS gateway token) is sealed under the keyring's KEK (docs/auth.md "secrets at rest") with
-- the context 'notification_channels.secret:<kind>'; settings holds the rest (SMTP host,
-- port, security, user, sender address).
CREATE TABLE notification_channels (
    kind text PRIMARY KEY CHECK (kind IN ('webhook', 'email', 'sms')),
    enabled boolean NOT NULL DEFAULT true,
    target text NOT NULL CHECK (length(target) BETWEEN 1 AND 2000),
    settings jsonb NOT NULL DEFAULT '{}',
    secret_sealed bytea,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alarm_cases (
    id uuid PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE REFERENCES alarm_events (id) ON DELETE CASCADE,
    vin text NOT NULL,
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'assigned', 'disposed')),
    opened_at timestamptz NOT NULL,
    confirm_due timestamptz NOT NULL,
    dispose_due timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by text,
    assignee text,
    assigned_at timestamptz,
    disposed_at timestamptz,
    disposed_by text,
    disposition text CHECK (disposition IN ('false_alarm', 'sensor_fault', 'confirmed_fault',
                                            'accident', 'other')),
    ack_escalations integer NOT NULL DEFAULT 0,
    last_escalated_at timestamptz,
    dispose_escalated boolean NOT NULL DEFAULT false,
    reopen_count integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'disposed') = (disposed_at IS NOT NULL AND disposition IS NOT NULL))
);
CREATE INDEX alarm_cases_opened ON alarm_cases (opened_at DESC, id DESC);
CREATE INDEX alarm_cases_vin ON alarm_cases (vin, opened_at DESC);
CREATE INDEX alarm_cases_assignee ON alarm_cases (assignee, opened_at DESC);
-- The escalation check: cases still waiting for someone.
CREATE INDEX alarm_cases_pending ON alarm_cases (confirm_due) WHERE state <> 'disposed';

-- Every step of a case with who and when (the API's audit log records the request as well).
CREATE TABLE alarm_case_steps (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES alarm_cases (id) ON DELETE CASCADE,
    kind text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL,
    comment text,
    assignee text,
    disposition text,
    details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alarm_case_steps_case ON alarm_case_steps (case_id, id);

-- Evidence files live in object storage (S3); a row is made when the upload URL is handed out.
CREATE TABLE alarm_case_evidence (
    id uuid PRIMARY KEY,
    case_id uuid NOT NULL REFERENCES alarm_cases (id) ON DELETE CASCADE,
    object_key text NOT NULL UNIQUE,
    file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type text NOT NULL,
    added_by text NOT NULL,
    added_at timestamptz NOT NULL
);
CREATE INDEX alarm_case_evidence_case ON alarm_case_evidence (case_id, added_at);

-- The notification outbox: one row per notice, channel and recipient (dedupe_key unique, so a
-- notice handled twice is sent once). Senders lease a row (next_try_at in the future) before
-- the attempt and record the outcome after it.
CREATE TABLE notification_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    event_id uuid NOT NULL REFERENCES alarm_events (id) ON DELETE CASCADE,
    case_id uuid REFERENCES alarm_cases (id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('webhook', 'email', 'sms')),
    recipient text NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('alarm', 'escalation')),
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_try_at timestamptz,
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_try_at)
    WHERE status = 'pending';
CREATE INDEX notification_deliveries_event ON notification_deliveries (event_id);
