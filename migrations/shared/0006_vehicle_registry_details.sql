-- Registry details a recall needs (MISSION.md: "which vehicles share a model, a production
-- batch, a battery supplier lot"). `model_id` is the id of a row in the owning tenant's
-- `vehicle_models` (migrations/tenant/0005); a foreign key cannot point into a schema per
-- tenant, so the registry service checks it in the same transaction. The older free-text
-- `model` column stays what `nevguard vehicle add --model` writes.

ALTER TABLE nevguard.vehicles
    ADD COLUMN model_id bigint CHECK (model_id > 0),
    ADD COLUMN production_batch text CHECK (length(production_batch) BETWEEN 1 AND 64),
    ADD COLUMN battery_pack_lot text CHECK (length(battery_pack_lot) BETWEEN 1 AND 64),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The tenant's vehicle list pages through VINs in order; the old (tenant_id) index cannot.
CREATE INDEX vehicles_tenant_vin ON nevguard.vehicles (tenant_id, vin);
DROP INDEX nevguard.vehicles_tenant;
CREATE INDEX vehicles_tenant_model ON nevguard.vehicles (tenant_id, model_id)
    WHERE model_id IS NOT NULL;
CREATE INDEX vehicles_tenant_battery_lot ON nevguard.vehicles (tenant_id, battery_pack_lot)
    WHERE battery_pack_lot IS NOT NULL;
CREATE INDEX vehicles_tenant_batch ON nevguard.vehicles (tenant_id, production_batch)
    WHERE production_batch IS NOT NULL;
