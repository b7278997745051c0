-- Every change to a user's row notifies the channel `users_changed` with the changed username, in the writer's own
-- transaction (delivered on commit, never for a rolled-back write). Each replica's in-process cache of dates of
-- birth listens on it and drops that entry; a TRUNCATE sends an empty payload, meaning "drop everything".
-- Prisma Migrate does not model triggers, so `prisma migrate diff` neither creates nor reports this; it is ours.

-- CreateFunction
CREATE FUNCTION "users_notify_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('users_changed', '');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('users_changed', OLD."username");
    ELSE
        PERFORM pg_notify('users_changed', NEW."username");
        IF TG_OP = 'UPDATE' AND OLD."username" <> NEW."username" THEN
            PERFORM pg_notify('users_changed', OLD."username");
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "users_notify_change_row"
AFTER INSERT OR UPDATE OR DELETE ON "users"
FOR EACH ROW EXECUTE FUNCTION "users_notify_change"();

-- CreateTrigger
CREATE TRIGGER "users_notify_change_truncate"
AFTER TRUNCATE ON "users"
FOR EACH STATEMENT EXECUTE FUNCTION "users_notify_change"();
