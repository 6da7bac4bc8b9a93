-- Storage each tenant's schema takes (tables, their TOAST and indexes; TimescaleDB chunks
-- counted with their hypertable), measured by the worker's storage cron so no request pays
-- for it (docs/operations.md "Storage quota"). alerted_percent is the highest quota
-- threshold (80, 100) already alerted since usage was last below the first one: an alert is
-- raised when usage climbs past a threshold, not at every measurement.
CREATE TABLE nevguard.tenant_storage (
    tenant_id bigint PRIMARY KEY REFERENCES nevguard.tenants (id) ON DELETE CASCADE,
    bytes bigint NOT NULL CHECK (bytes >= 0),
    measured_at timestamptz NOT NULL,
    alerted_percent smallint NOT NULL DEFAULT 0 CHECK (alerted_percent IN (0, 80, 100))
);

-- Storage quota alerts share the security alert list (one open alert per kind, tenant and
-- subject; the subject is the threshold reached, "80%" or "100%").
ALTER TABLE nevguard.security_alerts DROP CONSTRAINT security_alerts_kind_check;
ALTER TABLE nevguard.security_alerts ADD CONSTRAINT security_alerts_kind_check
    CHECK (kind IN ('brute_force_account', 'brute_force_ip', 'repeated_denials',
                    'cross_tenant', 'storage_quota'));
