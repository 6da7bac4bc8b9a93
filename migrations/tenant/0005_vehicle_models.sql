-- The tenant's vehicle models: what the registry's vehicles are, and what a recall groups by
-- (same model, same battery or motor supplier). Vehicles point here through the shared
-- registry's model_id (migrations/shared/0006); a shared table cannot hold a foreign key into
-- every tenant's schema, so backend/services checks the id inside the same transaction.

CREATE TABLE vehicle_models (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 100),
    maker text NOT NULL CHECK (maker = btrim(maker) AND length(maker) BETWEEN 1 AND 100),
    battery_chemistry text NOT NULL CHECK (battery_chemistry IN ('ncm', 'lfp', 'other')),
    -- GB/T 32960 counts cells and probes in WORDs whose top values are sentinels (§8.0).
    cell_count integer NOT NULL CHECK (cell_count BETWEEN 1 AND 65531),
    probe_count integer NOT NULL CHECK (probe_count BETWEEN 0 AND 65531),
    rated_capacity_kwh double precision NOT NULL
        CHECK (rated_capacity_kwh > 0 AND rated_capacity_kwh < 10000),
    battery_supplier text CHECK (length(battery_supplier) BETWEEN 1 AND 100),
    motor_supplier text CHECK (length(motor_supplier) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
