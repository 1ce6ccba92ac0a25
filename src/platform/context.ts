import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Database } from './db/database';

/** What every feature needs from the running service; built once at start, passed down. */
export interface AppContext {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Wraps patients' data keys and derives the service's secrets (core/crypto/keys.ts). */
  masterKey: Buffer;
}
