-- Secrets at rest (docs/auth.md): TOTP keys and access-token signing keys are stored sealed
-- with AES-256-GCM under a key-encryption key the database never sees. The plaintext columns
-- stay only for rows written before this migration: `nevguard migrate` seals them and clears
-- the plaintext (SQL cannot, it has no key), and new rows are written sealed.

ALTER TABLE nevguard.users
    ADD COLUMN totp_secret_sealed bytea,
    ADD CONSTRAINT users_totp_one_form CHECK (totp_secret IS NULL OR totp_secret_sealed IS NULL);
COMMENT ON COLUMN nevguard.users.totp_secret IS
    'Legacy plaintext RFC 4226 key; sealed into totp_secret_sealed by nevguard migrate.';

ALTER TABLE nevguard.signing_keys
    ALTER COLUMN private_key_pem DROP NOT NULL,
    ADD COLUMN private_key_sealed bytea,
    ADD CONSTRAINT signing_keys_one_form CHECK (num_nonnulls(private_key_pem,
                                                             private_key_sealed) = 1);
COMMENT ON COLUMN nevguard.signing_keys.private_key_pem IS
    'Legacy plaintext PKCS#8 PEM; sealed into private_key_sealed by nevguard migrate.';
