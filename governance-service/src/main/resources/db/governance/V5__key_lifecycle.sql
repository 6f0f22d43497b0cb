-- Keys may expire (set at creation, or a grace deadline set by rotation); null never expires, as every key did
-- before. last_used_at is coarse: written at most about once a minute per key. updated_at dates the published state
-- of a key changed after creation (revocation, rotation); null means created_at, or revoked_at for a revoked key.
alter table api_key
    add column expires_at   timestamptz,
    add column last_used_at timestamptz,
    add column updated_at   timestamptz;
alter table admin_key
    add column expires_at   timestamptz,
    add column last_used_at timestamptz,
    add column updated_at   timestamptz;
