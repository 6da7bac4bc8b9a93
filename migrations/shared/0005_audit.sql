-- The append-only, hash-chained audit log and security alerts (issue 4, docs/audit.md).
--
-- One chain for the whole platform. Appenders lock the single audit_chain_head row FOR UPDATE,
-- number their entries after it, hash them in Python (backend/core/audit.py) and move the
-- head, all in one transaction: numbers are gapless (an identity column would skip the values
-- of rolled-back appends) and a truncated tail no longer matches the head.

CREATE TABLE nevguard.audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq bigint NOT NULL CHECK (seq >= 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32)
);
INSERT INTO nevguard.audit_chain_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'));

CREATE TABLE nevguard.audit_log (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    at timestamptz NOT NULL,
    actor_kind text NOT NULL
        CHECK (actor_kind IN ('user', 'client', 'system', 'vehicle-gateway', 'anonymous')),
    actor_id text NOT NULL,
    -- Tenant slugs, not foreign keys: the log outlives tenants and records probes of tenants
    -- that do not exist.
    actor_tenant text CHECK (actor_tenant ~ '^[a-z][a-z0-9_]{1,39}$'),
    role text,
    tenant text CHECK (tenant ~ '^[a-z][a-z0-9_]{1,39}$'),
    operation text NOT NULL,
    targets text[] NOT NULL DEFAULT '{}',
    result text NOT NULL CHECK (result IN ('allowed', 'denied', 'failed', 'ok')),
    ip inet,
    user_agent text,
    request_id text,
    details jsonb NOT NULL DEFAULT '{}',
    prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32)
);
-- Time ranges and the alert rules' look-back.
CREATE INDEX audit_log_at ON nevguard.audit_log (at);
-- A tenant admin's view (AuditEntry.visible_to), newest first by keyset on seq.
CREATE INDEX audit_log_tenant ON nevguard.audit_log ((coalesce(actor_tenant, tenant)), seq DESC);
CREATE INDEX audit_log_actor ON nevguard.audit_log (actor_id, seq DESC);

-- Where verification starts once older entries are pruned: the (seq, hash) of the newest
-- pruned entry. The prune also appends an audit.prune entry naming the same pair, so the
-- checkpoint is anchored inside the chain that continues after it.
CREATE TABLE nevguard.audit_checkpoints (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32),
    pruned_before timestamptz NOT NULL,
    deleted bigint NOT NULL CHECK (deleted >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The floor under any configured retention (the issue asks for at least 180 days).
CREATE FUNCTION nevguard.audit_min_retention() RETURNS interval
    LANGUAGE sql IMMUTABLE AS $$ SELECT interval '180 days' $$;

CREATE FUNCTION nevguard.audit_refuse() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'nevguard.% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

-- Audit rows change only through nevguard.prune_audit_log, which sets
-- nevguard.audit_prune_through for its own transaction; even then only rows covered by a
-- checkpoint and older than the floor may go. (A table owner can still disable triggers: the
-- hash chain is what makes such changes visible.)
CREATE FUNCTION nevguard.audit_log_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    through bigint := nullif(current_setting('nevguard.audit_prune_through', true), '')::bigint;
BEGIN
    IF TG_OP = 'DELETE' AND through IS NOT NULL AND OLD.seq <= through
       AND OLD.at < now() - nevguard.audit_min_retention()
       AND EXISTS (SELECT FROM nevguard.audit_checkpoints WHERE seq >= OLD.seq) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'nevguard.audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON nevguard.audit_log
    FOR EACH ROW EXECUTE FUNCTION nevguard.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON nevguard.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION nevguard.audit_refuse();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON nevguard.audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION nevguard.audit_refuse();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON nevguard.audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION nevguard.audit_refuse();

-- Delete entries 1..through (what remains of them) after recording the checkpoint. The caller
-- verifies that stretch first (backend/storage/audit_retention.py) so tampered evidence is
-- never pruned, and passes what it verified: the function refuses anything younger than
-- ``keep`` or the floor, and a through that would leave a partial prefix.
CREATE FUNCTION nevguard.prune_audit_log(through bigint, keep interval)
    RETURNS TABLE (checkpoint_seq bigint, checkpoint_hash bytea, deleted bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := now() - greatest(keep, nevguard.audit_min_retention());
    row_hash bytea;
    removed bigint;
BEGIN
    PERFORM 1 FROM nevguard.audit_chain_head FOR UPDATE;
    SELECT l.hash INTO row_hash FROM nevguard.audit_log AS l WHERE l.seq = through;
    IF row_hash IS NULL THEN
        RAISE EXCEPTION 'audit entry % does not exist', through USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (SELECT FROM nevguard.audit_log AS l WHERE l.seq <= through AND l.at >= cutoff) THEN
        RAISE EXCEPTION 'audit entries up to % are not all older than %', through, cutoff
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT count(*) INTO removed FROM nevguard.audit_log AS l WHERE l.seq <= through;
    INSERT INTO nevguard.audit_checkpoints (seq, hash, pruned_before, deleted)
        VALUES (through, row_hash, cutoff, removed);
    PERFORM set_config('nevguard.audit_prune_through', through::text, true);
    DELETE FROM nevguard.audit_log AS l WHERE l.seq <= through;
    PERFORM set_config('nevguard.audit_prune_through', '', true);
    RETURN QUERY SELECT through, row_hash, removed;
END $$;

-- Security alerts raised by backend/core/security_alerts.py rules. One open (unacknowledged)
-- alert per kind, tenant and subject; last_seq is the newest audit entry counted, so
-- re-evaluating the same entries changes nothing.
CREATE TABLE nevguard.security_alerts (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('brute_force_account', 'brute_force_ip',
                                       'repeated_denials', 'cross_tenant')),
    tenant text CHECK (tenant ~ '^[a-z][a-z0-9_]{1,39}$'),
    subject text NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL CHECK (last_seen >= first_seen),
    count bigint NOT NULL CHECK (count > 0),
    last_seq bigint NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    acknowledged boolean NOT NULL DEFAULT false,
    acknowledged_by text,
    acknowledged_at timestamptz
);
CREATE UNIQUE INDEX security_alerts_open ON nevguard.security_alerts
    (kind, coalesce(tenant, ''), subject) WHERE NOT acknowledged;
CREATE INDEX security_alerts_tenant ON nevguard.security_alerts (tenant, last_seen DESC);
