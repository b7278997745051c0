// The ceilings the benchmark compares the service with: bare node:http + pg, prepared statements, one write statement
// per request, the same answers, and nothing else (no framework, logs, metrics or schema validation).
// CEILING_WRITE=plain: a plain upsert (meant for a table without a trigger); service: the service's own write SQL.
// Usage: DATABASE_URL=... PORT=... CEILING_WRITE=... tsx bench/ceiling-server.ts   (prints "listening <port>")
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { daysUntilBirthday } from '../service/birthday';
import { greetingFor } from '../service/greeting';
import { FIND_DATE_OF_BIRTH_SQL, saveBatchStatement } from '../service/users-store';

const FIND = {
  name: 'ceiling_find',
  text: FIND_DATE_OF_BIRTH_SQL,
  rowMode: 'array' as const,
};
/** What any hand-written service would send: one row, two parameters. */
const PLAIN_UPSERT_SQL = `INSERT INTO "users" ("username", "date_of_birth", "updated_at")
VALUES ($1, $2::date, CURRENT_TIMESTAMP)
ON CONFLICT ("username") DO UPDATE SET "date_of_birth" = EXCLUDED."date_of_birth", "updated_at" = EXCLUDED."updated_at"`;
// `service`: the very statement the service writes a batch with (its text imported), here with one row per request,
// prepared like the service's Prisma statements are.
const SAVE =
  process.env.CEILING_WRITE === 'plain'
    ? { name: 'ceiling_save', text: PLAIN_UPSERT_SQL, values: (key: string, date: string): unknown[] => [key, date] }
    : {
        name: 'ceiling_save',
        text: saveBatchStatement([]).text,
        values: (key: string, date: string): unknown[] => [[key], [date]],
      };
const USERNAME = /^\/hello\/([A-Za-z]{1,64})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

function today(): { year: number; month: number; day: number } {
  const now = new Date();
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const match = USERNAME.exec(req.url ?? '');
  if (!match) return send(res, 400, { title: 'bad username' });
  const username = match[1]!;
  if (req.method === 'GET') {
    const { rows } = await pool.query<[string]>({ ...FIND, values: [username.toLowerCase()] });
    const date = rows[0]?.[0];
    if (date === undefined) return send(res, 404, { title: 'not found' });
    const [, y, m, d] = DATE.exec(date)!.map(Number);
    return send(res, 200, {
      message: greetingFor(username, daysUntilBirthday({ year: y!, month: m!, day: d! }, today())),
    });
  }
  if (req.method === 'PUT') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { dateOfBirth?: unknown };
    if (typeof body.dateOfBirth !== 'string' || !DATE.test(body.dateOfBirth))
      return send(res, 400, { title: 'bad date' });
    await pool.query({
      name: SAVE.name,
      text: SAVE.text,
      values: SAVE.values(username.toLowerCase(), body.dateOfBirth),
    });
    return send(res, 204);
  }
  return send(res, 405, { title: 'method not allowed' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch(() => send(res, 500, { title: 'error' }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
