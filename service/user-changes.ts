// The stream of "this user's row changed" events a cache needs: PostgreSQL LISTEN on a dedicated connection that
// reconnects by itself, or, for the embedded database that only this process writes, nothing at all.
import { setTimeout as delay } from 'node:timers/promises';
import { Client, type Notification } from 'pg';
import type { Logger } from 'pino';

/**
 * The channel the `users_notify_changed_keys` trigger notifies once per statement, with the changed keys as a JSON
 * array, or an empty payload for "anything may have changed" (prisma/migrations/*_notify_user_changes_per_statement).
 */
export const USER_CHANGES_CHANNEL = 'users_changed_keys';

/** `key` is the changed user's lower-cased username; undefined means "anything may have changed". */
export type ChangeListener = (key: string | undefined) => void;

export interface UserChanges {
  /**
   * True while every change is being received. A cache serves and stores entries only then: changes made while the
   * subscription is down are never announced.
   */
  readonly live: boolean;
  /** Called for every change, and with undefined whenever `live` turns on or off. */
  subscribe(listener: ChangeListener): void;
  /** Settles once `live` first turns on (never, while the database stays unreachable). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** For a database no other process writes: the cache's own invalidation after each write is all there is. */
export function localUserChanges(): UserChanges {
  return { live: true, ready: Promise.resolve(), subscribe: () => undefined, close: () => Promise.resolve() };
}

export interface ListenOptions {
  /** How often the idle LISTEN connection proves it is alive; a silent network drop is noticed within this. @default 5000 */
  readonly heartbeatMs?: number;
  /** Ceiling of the doubling delay between reconnection attempts. @default 5000 */
  readonly maxBackoffMs?: number;
}

const CONNECT_TIMEOUT_MS = 2_000;

/** Subscribes to the channel on its own connection (never one of the pool's) and keeps it subscribed. */
export function listenForUserChanges(
  url: string,
  logger: Logger,
  options: ListenOptions = {},
): UserChanges & { readonly ready: Promise<void> } {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const listeners: ChangeListener[] = [];
  const stop = new AbortController();
  let live = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const emit = (key: string | undefined) => {
    for (const listener of listeners) listener(key);
  };
  const setLive = (value: boolean) => {
    if (live === value) return;
    live = value;
    // Going live: entries stored before could have missed changes. Going down: changes will be missed from now on.
    emit(undefined);
  };

  /** One connection's life: connect, LISTEN, then wait until it breaks, fails a heartbeat, or the service closes. */
  async function session(): Promise<boolean> {
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'hello-app-listen',
    });
    let lost: (reason: unknown) => void = () => undefined;
    const ended = new Promise<unknown>((resolve) => (lost = resolve));
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    client.on('notification', (message: Notification) => {
      if (message.channel === USER_CHANGES_CHANNEL) for (const key of changedKeys(message.payload)) emit(key);
    });
    const onAbort = () => lost(undefined);
    stop.signal.addEventListener('abort', onAbort);
    let heartbeat: NodeJS.Timeout | undefined;
    let subscribed = false;
    try {
      await client.connect();
      await client.query(`LISTEN "${USER_CHANGES_CHANNEL}"`);
      subscribed = true;
      setLive(true);
      markReady();
      logger.info({ channel: USER_CHANGES_CHANNEL }, 'listening for user changes');
      heartbeat = setInterval(() => {
        client.query('SELECT 1').catch((error: unknown) => lost(error));
      }, heartbeatMs);
      heartbeat.unref();
      const reason = await ended;
      if (reason !== undefined)
        logger.warn({ err: reason }, 'user changes subscription lost; the cache is bypassed until it is back');
    } catch (error) {
      if (!stop.signal.aborted) logger.warn({ err: error }, 'cannot subscribe to user changes; retrying');
    } finally {
      setLive(false);
      clearInterval(heartbeat);
      stop.signal.removeEventListener('abort', onAbort);
      // A connection that fails its heartbeat may never answer a Terminate; do not wait for it.
      void client.end().catch(() => undefined);
    }
    return subscribed;
  }

  const running = (async () => {
    let backoff = 100;
    while (!stop.signal.aborted) {
      if (await session()) backoff = 100;
      if (stop.signal.aborted) break;
      await delay(backoff, undefined, { signal: stop.signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  })();

  return {
    get live() {
      return live;
    },
    ready,
    subscribe: (listener) => void listeners.push(listener),
    close: async () => {
      stop.abort();
      await running;
    },
  };
}

/** The keys a notification names; `[undefined]` ("anything may have changed") when it names none it can read. */
export function changedKeys(payload: string | undefined): (string | undefined)[] {
  if (!payload) return [undefined];
  try {
    const keys: unknown = JSON.parse(payload);
    if (Array.isArray(keys) && keys.every((key) => typeof key === 'string')) return keys;
  } catch {
    // Not the trigger's format: fall through to the safe answer.
  }
  return [undefined];
}
