-- Platform-wide registry: tenants (one per vehicle manufacturer), the VIN -> tenant routing
-- table the gateway caches, the upstream platforms allowed to log in with 0x05 (§7.3) and the
-- per-terminal keys for decryption and signatures (§5, §14).

CREATE TABLE nevguard.tenants (
    id bigserial PRIMARY KEY,
    -- backend.core.tenancy.TENANT_SLUG; the schema is t_<slug>.
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9_]{1,39}$'),
    name text NOT NULL CHECK (name <> ''),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    quotas jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(quotas) = 'object')
);

CREATE TABLE nevguard.vehicles (
    -- Upper-case letters and digits, as the terminal sends it in the frame header (§4).
    vin char(17) PRIMARY KEY CHECK (vin ~ '^[0-9A-Z]{17}$'),
    tenant_id bigint NOT NULL REFERENCES nevguard.tenants (id),
    model text,
    -- Screening thresholds differ: offline > 90 days for private, > 60 days otherwise.
    usage_type text NOT NULL DEFAULT 'private' CHECK (usage_type IN ('private', 'operating')),
    sale_date date,
    -- NULL: the gateway's default for acknowledging realtime frames (§6.2).
    ack_realtime boolean,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicles_tenant ON nevguard.vehicles (tenant_id);

CREATE TABLE nevguard.platform_accounts (
    id bigserial PRIMARY KEY,
    -- §7.3: the username field is 12 bytes, the password 20.
    username varchar(12) NOT NULL UNIQUE CHECK (username <> ''),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2%'),
    -- NULL: the platform may carry vehicles of any tenant.
    tenant_id bigint REFERENCES nevguard.tenants (id),
    enabled boolean NOT NULL DEFAULT true,
    -- Optional limits the gateway enforces per account; NULL means the gateway default.
    max_vins integer CHECK (max_vins > 0),
    frames_per_second real CHECK (frames_per_second > 0),
    ack_realtime boolean,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE nevguard.device_keys (
    -- A VIN, or a platform's unique code for platform links.
    unique_id varchar(17) NOT NULL CHECK (unique_id <> ''),
    -- One of the key slots of a terminal (gateway.protocol.crypto.UnitKeys).
    key_kind text NOT NULL CHECK (key_kind IN ('aes128', 'sm4', 'rsa', 'sm2', 'signature')),
    -- Raw symmetric key, or a DER-encoded asymmetric key.
    key_material bytea NOT NULL CHECK (octet_length(key_material) > 0),
    -- Algorithm details that are not the key itself (block mode, IV, padding).
    parameters jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(parameters) = 'object'),
    valid_from timestamptz NOT NULL DEFAULT now(),
    valid_until timestamptz CHECK (valid_until > valid_from),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unique_id, key_kind, valid_from)
);
