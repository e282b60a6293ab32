-- The audit log is append-only at the database level: whatever the application does (a bug,
-- a stray repository method, a hand-run query by an app role), rows of "AuditLog" can be
-- inserted and read, never changed or removed. Row triggers reject UPDATE and DELETE; a
-- statement trigger rejects TRUNCATE, which row triggers do not see.
--
-- Retention or legal erasure is an operator's job, done deliberately in a maintenance
-- session: ALTER TABLE "AuditLog" DISABLE TRIGGER USER; ...; ENABLE TRIGGER USER;

CREATE FUNCTION "audit_log_reject_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit entries can only be inserted. Record a new entry instead of changing an old one.';
END;
$$;

CREATE TRIGGER "AuditLog_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_reject_change"();

CREATE TRIGGER "AuditLog_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_reject_change"();
