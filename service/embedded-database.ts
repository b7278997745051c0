// The embedded PostgreSQL for machines without one: PGlite persisted in a data folder, served on a loopback port by
// pglite-socket so the service reaches it through the very same pg + Prisma code path as a real server.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from 'pino';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedPostgres {
  /** A `postgresql://` URL on 127.0.0.1 and the port the socket server was given. */
  readonly url: string;
  readonly dataDir: string;
  /**
   * How many pool connections the service may open. PGlite is one backend session shared by every socket: the
   * server multiplexes connections message by message, so two connections' extended-protocol exchanges (Parse,
   * Bind, Execute) can interleave and the unnamed statement of one replaces the other's. One connection is the
   * only safe size; the server allows one more for an overlap while a broken connection is replaced.
   */
  readonly poolSize: 1;
  close(): Promise<void>;
}

const SERVER_CONNECTIONS = 2;

/**
 * Opens (creating on first use) the PGlite database under `<dataDir>/pglite` and serves it on a free loopback port.
 * Throws DataDirInUse when another live process holds the folder.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  const directory = path.resolve(dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  const lock = lockDataDir(path.resolve(dataDir));
  let db: PGlite | undefined;
  let server: PGLiteSocketServer;
  try {
    db = await PGlite.create(directory);
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: SERVER_CONNECTIONS });
    await server.start();
  } catch (error) {
    await db?.close();
    lock.release();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());
  logger.debug({ dataDir: directory, port }, 'embedded postgres listening');
  let closing: Promise<void> | undefined;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dataDir: directory,
    poolSize: 1,
    close: () => {
      closing ??= (async () => {
        await server.stop();
        await db.close();
        lock.release();
      })();
      return closing;
    },
  };
}
