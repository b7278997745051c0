// Reads and writes one environment's release record in a workspace: the only code that touches release.json.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentName } from '../../cdk8s/environments';
import { formatReleaseRecord, parseReleaseRecord, RELEASE_RECORD_FILE, type ReleaseRecord } from '../../cdk8s/release-record';
import type { Workspace } from './workspace';

export function emptyRecord(env: EnvironmentName): ReleaseRecord {
  return { environment: env, bad: [], history: [] };
}

/** The record's path in the repository, for messages. */
export function recordPath(ws: Workspace, env: EnvironmentName): string {
  return `${ws.envPath(env)}/${RELEASE_RECORD_FILE}`;
}

/** The environment's record; an environment never deployed to has an empty one. */
export async function readRecord(ws: Workspace, env: EnvironmentName): Promise<ReleaseRecord> {
  const path = join(await ws.envDir(env), RELEASE_RECORD_FILE);
  if (!existsSync(path)) return emptyRecord(env);
  const record = parseReleaseRecord(await readFile(path, 'utf8'), recordPath(ws, env));
  if (record.environment !== env) throw new Error(`${recordPath(ws, env)} is the record of '${record.environment}', not '${env}'`);
  return record;
}

export async function writeRecord(ws: Workspace, record: ReleaseRecord): Promise<void> {
  const dir = await ws.envDir(record.environment);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, RELEASE_RECORD_FILE), formatReleaseRecord(record));
}
