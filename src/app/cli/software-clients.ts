import { parseArgs } from 'node:util';
import { ClientRegistrationError, disableSoftwareClient, pscSettings, registerSoftwareClient } from '../../accounts';
import type { AppContext, Config } from '../../platform';
import { withContext } from './with-context';

/**
 * Practice software admitted to the FHIR door, each its own OAuth client (accounts software-clients.ts):
 *   fhir:client:add --name "Logiciel X" --redirect-uri http://127.0.0.1:8765/callback [--redirect-uri …] [--client-id ID]
 *   fhir:client:disable <client id>
 * `--client-id` records the id Pro Santé Connect gave the software; without it a new one is made
 * (the development provider knows the client at once). The output is what the software's
 * publisher configures: client id, issuer, and the resource its tokens are for.
 */

/** What `fhir:client:add` does, on a context: returns the lines it prints. */
export async function addSoftwareClientCommand(ctx: AppContext, args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, 'client-id': { type: 'string' } },
  });
  if (!values.name) throw new ClientRegistrationError('missing --name');
  const client = await registerSoftwareClient(ctx, {
    name: values.name,
    redirectUris: values['redirect-uri'] ?? [],
    ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
  });
  const settings = pscSettings(ctx.config);
  return [
    `Practice software registered: ${client.name}`,
    `  client id:      ${client.clientId}`,
    `  redirect URIs:  ${client.redirectUris.join(' ')}`,
    ...(settings ? [`  issuer:         ${settings.issuer}`, `  FHIR resource:  ${settings.fhirResource}`] : []),
    'A public client: no secret; authorization code with PKCE (S256), then the refresh token.',
  ].join('\n');
}

export async function fhirClientAddCommand(config: Config, args: string[]): Promise<void> {
  await withContext(config, async (ctx) => console.log(await addSoftwareClientCommand(ctx, args)));
}

export async function fhirClientDisableCommand(config: Config, args: string[]): Promise<void> {
  const clientId = args[0]?.trim();
  if (!clientId) throw new ClientRegistrationError('give the client id of the software to disable');
  await withContext(config, async (ctx) => {
    if (!(await disableSoftwareClient(ctx, clientId))) throw new ClientRegistrationError(`no software client ${clientId}`);
    console.log(`Software client ${clientId} disabled: its tokens are refused at /fhir from now on.`);
  });
}
