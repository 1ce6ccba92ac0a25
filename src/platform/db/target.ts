import { join } from 'node:path';
import type { Config } from '../config';
import type { DatabaseTarget } from './database';

/** A server when DATABASE_URL is set, otherwise the embedded database under DATA_DIR. */
export function databaseTarget(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): DatabaseTarget {
  return config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: join(config.DATA_DIR, 'pglite') };
}
