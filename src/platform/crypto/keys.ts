import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';

/**
 * The master key wraps every patient's data key and derives the service's
 * other secrets (one-time code MACs, outbox sealing). Production gives it by
 * configuration (MASTER_KEY, from a KMS); a laptop gets one generated once and
 * kept in DATA_DIR, so that its data survives restarts.
 */
export function resolveMasterKey(config: Pick<Config, 'MASTER_KEY' | 'DATA_DIR' | 'NODE_ENV'>): Buffer {
  if (config.MASTER_KEY) return Buffer.from(config.MASTER_KEY, 'base64');
  if (config.NODE_ENV === 'production') throw new Error('MASTER_KEY is required in production');
  const file = join(config.DATA_DIR, 'dev-master-key');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** A 32-byte key for one purpose, so that no two uses share a key. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `opendmp:${purpose}`, 32));
}
