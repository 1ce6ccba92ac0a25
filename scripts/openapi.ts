// Writes the service's OpenAPI document and the web app's API types generated from it:
//
//   npm run api:types                 regenerate web/src/shared/api.openapi.json and api-types.ts
//   npm run check:api-types           regenerate into a temporary folder, fail if they differ
//
// The server is built in-process on a throwaway in-memory database, so the document is exactly
// what /api/openapi.json serves, without a running service. Run with tsx (it imports src/).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildServer } from '../src/api/server';
import { loadConfig } from '../src/platform/config';
import type { AppContext } from '../src/platform/context';
import { openDatabase } from '../src/platform/db/database';
import { migrateDatabase } from '../src/app/cli/migrations';
import { createLogger } from '../src/platform/logging';
import { systemClock } from '../src/platform/clock';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.join(root, 'web', 'src', 'shared');
const DOCUMENT = 'api.openapi.json';
const TYPES = 'api-types.ts';

const HEADER = `/**
 * GENERATED FILE, do not edit: the types of the OpenDMP API, from its OpenAPI document
 * (web/src/shared/api.openapi.json, itself generated from the routes' zod schemas).
 * Regenerate with \`npm run api:types\` (scripts/openapi.ts); CI checks it is up to date
 * with \`npm run check:api-types\`.
 */

`;

/** The document /api/openapi.json serves, from a server built on an empty database. */
async function openApiDocument(dataDir: string): Promise<object> {
  const database = await openDatabase({ memory: true });
  const masterKey = randomBytes(32);
  await migrateDatabase(database, masterKey);
  // Test settings: the same routes as development (dev doors included, hidden or not), no secrets needed.
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const ctx: AppContext = { config, database, clock: systemClock, logger: createLogger('silent'), masterKey };
  const app = await buildServer(ctx);
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}

async function generate(outDir: string, dataDir: string): Promise<void> {
  const document = await openApiDocument(dataDir);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  writeFileSync(path.join(outDir, DOCUMENT), json);
  const ast = await openapiTS(JSON.parse(json) as Parameters<typeof openapiTS>[0]);
  writeFileSync(path.join(outDir, TYPES), HEADER + astToString(ast));
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const scratch = mkdtempSync(path.join(tmpdir(), 'opendmp-openapi-'));
  try {
    if (!check) {
      await generate(shared, scratch);
      console.log(`api:types: wrote web/src/shared/${DOCUMENT} and web/src/shared/${TYPES}`);
      return;
    }
    await generate(scratch, scratch);
    const stale = [DOCUMENT, TYPES].filter((name) => {
      const committed = readFileSync(path.join(shared, name), 'utf8');
      return committed !== readFileSync(path.join(scratch, name), 'utf8');
    });
    if (stale.length) {
      console.error(`check:api-types: out of date: ${stale.map((n) => `web/src/shared/${n}`).join(', ')}; run \`npm run api:types\``);
      process.exitCode = 1;
    } else {
      console.log('check:api-types: web/src/shared/api-types.ts is up to date');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
