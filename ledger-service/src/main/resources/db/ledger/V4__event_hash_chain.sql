-- The hash chain (docs/audit.md): every event's metadata carries tallyhash, SHA-256 over the previous event's hash
-- (32 zero bytes before a ledger's first event), then "ledger id\nsequence\nevent id\ntype.vrevision\n", then the
-- payload as stored. ledger-service computes it as it appends (ChainedAppendEvents); this computes it once for the
-- events stored before. It must give exactly what EventHash gives: ChainMigrationIT checks that.
DO $$
DECLARE
    e        RECORD;
    ledger   VARCHAR(255) := NULL;
    previous BYTEA;
    link     BYTEA;
BEGIN
    FOR e IN SELECT global_index, aggregate_identifier, sequence_number, event_identifier, payload_type,
                    payload_revision, payload, meta_data
             FROM domain_event_entry ORDER BY aggregate_identifier, sequence_number
    LOOP
        IF ledger IS DISTINCT FROM e.aggregate_identifier THEN
            ledger := e.aggregate_identifier;
            previous := decode(repeat('00', 32), 'hex');
        END IF;
        link := sha256(previous
                || convert_to(e.aggregate_identifier || E'\n' || e.sequence_number || E'\n' || e.event_identifier
                              || E'\n' || e.payload_type || '.v' || COALESCE(e.payload_revision, 'null') || E'\n',
                              'UTF8')
                || e.payload);
        UPDATE domain_event_entry
        SET meta_data = convert_to((COALESCE(convert_from(meta_data, 'UTF8')::jsonb, '{}'::jsonb)
                                    || jsonb_build_object('tallyhash', encode(link, 'hex')))::text, 'UTF8')
        WHERE global_index = e.global_index;
        previous := link;
    END LOOP;
END $$;
