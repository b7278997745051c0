-- One notification per statement instead of one per row. The service writes in batches (one statement per batch), and
-- PostgreSQL serialises the commits of transactions that notified; per-row triggers also cost a plpgsql call per row.
-- Each statement that changes users now notifies the channel `users_changed_keys` once, with the changed usernames as
-- a JSON array (`["alice","bob"]`), in the writer's own transaction (delivered on commit, never for a rollback). An
-- empty payload means "drop everything": a TRUNCATE, or a statement whose keys exceed PostgreSQL's 8,000-byte payload
-- (the service's batches never do: service/users-store.ts bounds their rows).
-- Replicas of the release before this one listen on `users_changed` and read its payload as one username; they are
-- told "drop everything" (an empty payload) once per statement, so they stay coherent until they are replaced.
-- Prisma Migrate does not model triggers, so `prisma migrate diff` neither creates nor reports this; it is ours.

-- DropTrigger
DROP TRIGGER "users_notify_change_row" ON "users";

-- DropTrigger
DROP TRIGGER "users_notify_change_truncate" ON "users";

-- DropFunction
DROP FUNCTION "users_notify_change"();

-- CreateFunction
CREATE FUNCTION "users_notify_changed_keys"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keys text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        keys := '';
    ELSIF TG_OP = 'INSERT' THEN
        SELECT json_agg("username")::text INTO keys FROM "new_rows";
    ELSIF TG_OP = 'DELETE' THEN
        SELECT json_agg("username")::text INTO keys FROM "old_rows";
    ELSE
        -- An update may rename a user: both the old and the new key changed.
        SELECT json_agg("username")::text INTO keys
          FROM (SELECT "username" FROM "new_rows" UNION SELECT "username" FROM "old_rows") AS "changed";
    END IF;
    -- NULL: the statement changed no row, so there is nothing to announce.
    IF keys IS NOT NULL THEN
        IF octet_length(keys) >= 8000 THEN
            keys := '';
        END IF;
        PERFORM pg_notify('users_changed_keys', keys);
        PERFORM pg_notify('users_changed', '');
    END IF;
    RETURN NULL;
END;
$$;

-- CreateTrigger (a trigger with transition tables takes one event each)
CREATE TRIGGER "users_notify_changed_keys_insert"
AFTER INSERT ON "users" REFERENCING NEW TABLE AS "new_rows"
FOR EACH STATEMENT EXECUTE FUNCTION "users_notify_changed_keys"();

-- CreateTrigger
CREATE TRIGGER "users_notify_changed_keys_update"
AFTER UPDATE ON "users" REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows"
FOR EACH STATEMENT EXECUTE FUNCTION "users_notify_changed_keys"();

-- CreateTrigger
CREATE TRIGGER "users_notify_changed_keys_delete"
AFTER DELETE ON "users" REFERENCING OLD TABLE AS "old_rows"
FOR EACH STATEMENT EXECUTE FUNCTION "users_notify_changed_keys"();

-- CreateTrigger
CREATE TRIGGER "users_notify_changed_keys_truncate"
AFTER TRUNCATE ON "users"
FOR EACH STATEMENT EXECUTE FUNCTION "users_notify_changed_keys"();
