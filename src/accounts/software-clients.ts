/**
 * The register of practice software admitted to the FHIR door (table software_client, migration
 * 0015). Each piece of software (LGC) is its own OAuth client, a public native client in the
 * sense of RFC 8252: it runs on the professional's computer, keeps no secret, and proves its
 * authorization requests with PKCE. An operator admits it (`npm run fhir:client:add`) and may
 * disable it; /fhir accepts only tokens issued to admitted, enabled software, and the
 * development provider reads its client registrations here, so every node sees them.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../platform';
import { accountsDb } from './store';

export interface SoftwareClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  createdAt: Date;
  disabledAt: Date | null;
}

export class ClientRegistrationError extends Error {
  override name = 'ClientRegistrationError';
}

const MAX_REDIRECT_URIS = 10;
/** A client id a provider may have given (PSC's own), or ours: printable, no spaces. */
const CLIENT_ID_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$/;
const LOOPBACKS = new Set(['127.0.0.1', '[::1]']);

/**
 * Why a redirect URI cannot be registered for a native client, or null (RFC 8252 §7):
 * a loopback address over http (§7.3; `localhost` is not, §8.3), a claimed https URI (§7.2), or
 * a private-use scheme in reverse domain notation (§7.1, e.g. `fr.editeur.logiciel:/callback`).
 * Never a fragment (RFC 6749 §3.1.2).
 */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `not an absolute URI: ${uri}`;
  }
  if (url.hash || uri.includes('#')) return `a redirect URI has no fragment: ${uri}`;
  if (url.username || url.password) return `a redirect URI carries no credentials: ${uri}`;
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'http') return LOOPBACKS.has(url.hostname) ? null : `http is only for the loopback address (127.0.0.1 or [::1]): ${uri}`;
  if (scheme === 'https') return LOOPBACKS.has(url.hostname) || url.hostname === 'localhost' ? `use http for the loopback address: ${uri}` : null;
  if (['javascript', 'data', 'file', 'vbscript', 'blob'].includes(scheme)) return `the ${scheme} scheme cannot receive a code: ${uri}`;
  return scheme.includes('.') ? null : `a private-use scheme is a reverse domain name (fr.editeur.logiciel:/callback): ${uri}`;
}

/** Admits a piece of software; returns it with its client id (given, or a new random one). */
export async function registerSoftwareClient(
  ctx: Pick<AppContext, 'database' | 'clock'>,
  input: { name: string; redirectUris: string[]; clientId?: string },
): Promise<SoftwareClient> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new ClientRegistrationError('the software name is required (100 characters at most)');
  const redirectUris = [...new Set(input.redirectUris.map((u) => u.trim()))];
  if (redirectUris.length === 0) throw new ClientRegistrationError('at least one --redirect-uri is required');
  if (redirectUris.length > MAX_REDIRECT_URIS) throw new ClientRegistrationError(`at most ${MAX_REDIRECT_URIS} redirect URIs`);
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientRegistrationError(problem);
  }
  const clientId = input.clientId?.trim() || `lgc-${randomBytes(12).toString('base64url')}`;
  if (!CLIENT_ID_FORMAT.test(clientId)) throw new ClientRegistrationError(`not a usable client id: ${clientId}`);
  const now = ctx.clock.now();
  const inserted = await accountsDb(ctx)
    .insertInto('software_client')
    .values({ client_id: clientId, name, redirect_uris: redirectUris, created_at: now, disabled_at: null })
    .onConflict((oc) => oc.column('client_id').doNothing())
    .returning('client_id')
    .executeTakeFirst();
  if (!inserted) throw new ClientRegistrationError(`the client id ${clientId} is already registered`);
  return { clientId, name, redirectUris, createdAt: now, disabledAt: null };
}

/** The software under this client id, disabled or not; null when it was never admitted. */
export async function findSoftwareClient(ctx: Pick<AppContext, 'database'>, clientId: string): Promise<SoftwareClient | null> {
  if (!CLIENT_ID_FORMAT.test(clientId)) return null;
  const row = await accountsDb(ctx).selectFrom('software_client').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return row ? { clientId: row.client_id, name: row.name, redirectUris: row.redirect_uris, createdAt: row.created_at, disabledAt: row.disabled_at } : null;
}

/**
 * Takes the software out of the door at once: its tokens are refused at the next request and
 * the development provider no longer knows the client (no new sign-in, no refresh).
 * False when there is no such client; disabling twice keeps the first date.
 */
export async function disableSoftwareClient(ctx: Pick<AppContext, 'database' | 'clock'>, clientId: string): Promise<boolean> {
  const db = accountsDb(ctx);
  const found = await db.selectFrom('software_client').select('client_id').where('client_id', '=', clientId).executeTakeFirst();
  if (!found) return false;
  await db.updateTable('software_client').set({ disabled_at: ctx.clock.now() }).where('client_id', '=', clientId).where('disabled_at', 'is', null).execute();
  return true;
}
