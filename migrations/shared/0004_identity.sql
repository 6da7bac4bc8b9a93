-- Identity and access (issue 4): people, their sessions and refresh tokens, the keys that sign
-- access tokens, OEM systems' API clients and provider support grants. Roles and scopes are
-- checked against backend/core/access.py; the CHECKs below repeat its vocabulary so a bad row
-- cannot be written by hand either. See docs/auth.md.

CREATE TABLE nevguard.users (
    id bigserial PRIMARY KEY,
    -- NULL for provider staff (platform_admin, platform_operator).
    tenant_id bigint REFERENCES nevguard.tenants (id),
    -- Stored lower-case so uniqueness ignores case.
    email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    display_name text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('platform_admin', 'platform_operator', 'tenant_admin',
                                       'safety_engineer', 'operator', 'analyst', 'viewer')),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2%'),
    -- Raw RFC 4226 key; NULL until the user enrols an authenticator.
    totp_secret bytea CHECK (octet_length(totp_secret) >= 16),
    totp_required boolean NOT NULL DEFAULT false,
    -- The newest TOTP step accepted: a code of this step or an older one is a replay.
    last_totp_step bigint,
    failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until timestamptz,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((tenant_id IS NULL) = (role IN ('platform_admin', 'platform_operator')))
);
CREATE INDEX users_tenant ON nevguard.users (tenant_id);

CREATE TABLE nevguard.invitations (
    id bigserial PRIMARY KEY,
    tenant_id bigint REFERENCES nevguard.tenants (id),
    email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    role text NOT NULL CHECK (role IN ('platform_admin', 'platform_operator', 'tenant_admin',
                                       'safety_engineer', 'operator', 'analyst', 'viewer')),
    -- SHA-256 of the emailed token; the token itself is never stored.
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    invited_by bigint NOT NULL REFERENCES nevguard.users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at timestamptz,
    CHECK (expires_at > created_at),
    CHECK ((tenant_id IS NULL) = (role IN ('platform_admin', 'platform_operator')))
);
CREATE INDEX invitations_tenant ON nevguard.invitations (tenant_id, created_at DESC);

-- One login: the sid claim of its access tokens and the family of its refresh tokens.
-- Revoking the session ends every access token of it at the next verification.
CREATE TABLE nevguard.sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES nevguard.users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The refresh tokens of a family never outlive this (no sliding sessions).
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    -- logout, refresh_reuse, password_changed, disabled, ...
    revoked_reason text,
    user_agent text,
    ip inet,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user ON nevguard.sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE nevguard.refresh_tokens (
    id bigserial PRIMARY KEY,
    -- SHA-256 of a 256-bit random token: a fast hash is enough for a value nobody can guess.
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    family_id uuid NOT NULL REFERENCES nevguard.sessions (id),
    parent_id bigint REFERENCES nevguard.refresh_tokens (id),
    issued_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    -- Set when exchanged for a child; presenting it again is reuse (a stolen copy).
    rotated_at timestamptz,
    revoked_at timestamptz,
    user_agent text,
    ip inet,
    CHECK (expires_at > issued_at)
);
CREATE INDEX refresh_tokens_family ON nevguard.refresh_tokens (family_id);

CREATE TABLE nevguard.signing_keys (
    -- RFC 7638 thumbprint of the public key.
    kid text PRIMARY KEY,
    algorithm text NOT NULL CHECK (algorithm = 'ES256'),
    private_key_pem text NOT NULL CHECK (private_key_pem LIKE '-----BEGIN PRIVATE KEY-----%'),
    public_jwk jsonb NOT NULL CHECK (jsonb_typeof(public_jwk) = 'object'
                                     AND NOT public_jwk ? 'd'),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Signs from activation until it is retired; published until retired_at, which rotation
    -- sets one maximum token lifetime ahead so tokens it signed still verify.
    activated_at timestamptz,
    retired_at timestamptz
);
-- At most one key signs at a time.
CREATE UNIQUE INDEX signing_keys_one_active ON nevguard.signing_keys ((true))
    WHERE activated_at IS NOT NULL AND retired_at IS NULL;

-- The public keys verifiers may use now: what the JWKS endpoint serves.
CREATE VIEW nevguard.jwks AS
    SELECT kid, public_jwk, created_at
      FROM nevguard.signing_keys
     WHERE retired_at IS NULL OR retired_at > now();

CREATE TABLE nevguard.api_clients (
    id bigserial PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES nevguard.tenants (id),
    client_id text NOT NULL UNIQUE CHECK (client_id ~ '^[a-z0-9][a-z0-9_-]{2,63}$'),
    name text NOT NULL CHECK (name <> ''),
    secret_hash text NOT NULL CHECK (secret_hash LIKE '$argon2%'),
    -- backend.core.access.SCOPES keys.
    scopes text[] NOT NULL DEFAULT '{}',
    enabled boolean NOT NULL DEFAULT true,
    created_by bigint NOT NULL REFERENCES nevguard.users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_clients_tenant ON nevguard.api_clients (tenant_id);

-- A tenant admin lets one provider staff member read the tenant's data until expires_at.
CREATE TABLE nevguard.support_grants (
    id bigserial PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES nevguard.tenants (id),
    grantee_id bigint NOT NULL REFERENCES nevguard.users (id),
    granted_by bigint NOT NULL REFERENCES nevguard.users (id),
    reason text NOT NULL CHECK (reason <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_by bigint REFERENCES nevguard.users (id),
    CHECK (expires_at > created_at)
);
CREATE INDEX support_grants_active ON nevguard.support_grants (tenant_id, grantee_id, expires_at)
    WHERE revoked_at IS NULL;
