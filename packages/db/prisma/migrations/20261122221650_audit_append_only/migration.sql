-- AuditEvent is append-only at the database level: rows can be inserted, never changed or removed.
-- (Hand-written: Prisma's schema language has no triggers; the schema diff ignores functions and triggers.)

CREATE OR REPLACE FUNCTION "kinerja_audit_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING HINT = 'audit events are never changed or deleted';
END;
$$;

CREATE TRIGGER "AuditEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "kinerja_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "kinerja_audit_append_only"();
