-- One sealing run of the sealer (src/workers/sealer.ts, DESIGN.md guarantees 2–4) as one call, so
-- that the event bodies never leave PostgreSQL: a run was six round trips, and reading every body
-- back to hash it in Node cost the service ~28 µs of CPU per event (bench/README.md, session 7).
--
-- Takes the sealing lock (transaction-scoped; when another process holds it, nothing is done and
-- `locked` is true), takes up to `batch_size` committed events off the queue in `pos` order,
-- numbers them after the chain's head, chains their hashes and queues one webhook delivery per
-- subscribed, active endpoint, all in the caller's transaction.
--
-- hash = sha256hex(prevhash || '\n' || sequence || '\n' || body), the body's stored UTF-8 bytes,
-- prevhash of the first event 64 zeros: the definition that GET /v1/audit/verify recomputes in
-- Node (chainHash in src/modules/audit/chain.ts). test/audit/verify.test.ts holds the two together.
CREATE FUNCTION audit_seal(lock_key bigint, batch_size integer)
  RETURNS TABLE (locked boolean, events integer, deliveries integer)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  positions bigint[];
  bodies text[];
  body text;
  first_sequence bigint;
  head_hash text;
  hashes text[] := '{}';
  prevhashes text[] := '{}';
  delivered integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(lock_key) THEN
    RETURN QUERY SELECT true, 0, 0;
    RETURN;
  END IF;
  -- Each statement below takes a new snapshot (a volatile function), so it sees the previous
  -- sealer's commit. Only committed rows are visible, and SKIP LOCKED passes over none of them
  -- while we hold the lock (writers never lock queue rows after their commit). The batch's
  -- positions are looked up by `= any(array(…))`, an index lookup each: as a join with the batch,
  -- PostgreSQL merge-joined the whole events index from its start (13 ms for 50 events at 19,000).
  WITH taken AS (
    DELETE FROM audit_unsealed
    WHERE pos = any(array(SELECT pos FROM audit_unsealed ORDER BY pos LIMIT batch_size FOR UPDATE SKIP LOCKED))
    RETURNING pos
  )
  SELECT array_agg(e.pos ORDER BY e.pos), array_agg(e.body ORDER BY e.pos) INTO positions, bodies
  FROM audit_events e
  WHERE e.pos = any(array(SELECT pos FROM taken))
    AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_pos = e.pos);
  IF positions IS NULL THEN
    RETURN QUERY SELECT false, 0, 0;
    RETURN;
  END IF;

  SELECT c.sequence + 1, c.hash INTO first_sequence, head_hash FROM audit_chain c ORDER BY c.sequence DESC LIMIT 1;
  first_sequence := coalesce(first_sequence, 1);
  head_hash := coalesce(head_hash, repeat('0', 64));
  FOREACH body IN ARRAY bodies LOOP
    prevhashes := prevhashes || head_hash;
    head_hash := encode(sha256(convert_to(head_hash || E'\n' || (first_sequence + cardinality(hashes)) || E'\n' || body, 'UTF8')), 'hex');
    hashes := hashes || head_hash;
  END LOOP;

  WITH chain AS (
    INSERT INTO audit_chain (sequence, event_pos, hash, prevhash)
    SELECT first_sequence + link.n - 1, link.pos, link.hash, link.prevhash
    FROM unnest(positions, hashes, prevhashes) WITH ORDINALITY AS link (pos, hash, prevhash, n)
    RETURNING sequence, event_pos
  ),
  inserted AS (
    INSERT INTO webhook_deliveries (id, webhook_id, event_sequence, event_type)
    SELECT gen_random_uuid(), w.id, c.sequence, e.type
    FROM chain c
    JOIN audit_events e ON e.pos = c.event_pos
    JOIN webhooks w ON w.active AND w.deleted_at IS NULL AND (e.type = any(w.event_types) OR '*' = any(w.event_types))
    RETURNING 1
  )
  SELECT count(*)::integer INTO delivered FROM inserted;
  RETURN QUERY SELECT false, cardinality(positions), delivered;
END
$$;
