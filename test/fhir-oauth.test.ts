import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { findRecord } from '../src/records/records';
import { addSoftwareClientCommand, disableSoftwareClientCommand } from '../src/app/cli/software-clients';
import { startTestApp, type TestApp } from './helpers/context';
import { freeLocalUrl } from './helpers/free-port';
import { multipart } from './helpers/multipart';
import { Browser, reachChooser } from './helpers/oidc-browser';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient } from './helpers/professionals';

/**
 * Practice software (an LGC) as its own OAuth client of Pro Santé Connect, here the development
 * provider of the test server: an operator registers it, a professional signs in from it
 * (authorization code + PKCE, public native client), it exchanges the code, refreshes, and calls
 * /fhir with the access token; every refusal answers as RFC 6750 asks, with an OperationOutcome.
 * The server listens on a real port: the provider's endpoints and keys are fetched over HTTP.
 */

const REDIRECT = 'http://127.0.0.1:8765/callback';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let t: TestApp;
let base: string;
let issuer: string;
let ins: string;

before(async () => {
  const address = await freeLocalUrl();
  base = address.url;
  issuer = `${base}/dev/oidc`;
  t = await startTestApp({ env: { PUBLIC_URL: base } });
  await t.app.listen({ port: address.port, host: '127.0.0.1' });
  await loadDemoDirectoriesIfEmpty(t.ctx);
  const { recordId } = await signedInPatient(t, DOMINIQUE);
  const record = await findRecord(t.ctx, recordId);
  ins = `urn:oid:${record.insOid}|${record.insMatricule}`;
  // Dr Claire MARTIN, Dominique's médecin traitant, has written one document to the record.
  const claire = await professionalClient(t, CLAIRE_MARTIN);
  const body = multipart({ typeCode: '11490-0', title: 'Lettre de liaison', careDate: '2026-02-01' }, { name: 'lettre.pdf', type: 'application/pdf', bytes: PDF });
  const deposit = await claire.request('POST', `/api/pro/records/${recordId}/documents`, body.payload, { headers: body.headers });
  assert.equal(deposit.statusCode, 201, deposit.body);
});
after(async () => t.close());

/** What the operator does: `npm run fhir:client:add -- --name … --redirect-uri …`; returns the printed client id. */
async function registerSoftware(name: string): Promise<string> {
  const printed = await addSoftwareClientCommand(t.ctx, ['--name', name, '--redirect-uri', REDIRECT]);
  const clientId = /client id: +(\S+)/.exec(printed)?.[1];
  assert.ok(clientId, printed);
  assert.match(printed, new RegExp(`FHIR resource: +${base}/fhir`));
  return clientId;
}

/** The software's side: a public client, no secret. */
const softwareConfig = (clientId: string) => oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });

/** The professional signs in from the software: authorization code with PKCE, through the provider's login page. */
async function signInFrom(config: oidc.Configuration, rpps: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorize = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid scope_all offline_access',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new Browser(base);
  const { uid } = await reachChooser(browser, authorize.href);
  const { url } = await browser.follow(await browser.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps } }), (u) => u.origin === new URL(REDIRECT).origin);
  assert.equal(url.origin + url.pathname, REDIRECT, browser.visited.join('\n'));
  return oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state });
}

const fhir = (path: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET', payload?: string) =>
  t.app.inject({ method, url: path, headers: { ...(payload ? { 'content-type': 'application/fhir+json' } : {}), ...headers }, ...(payload ? { payload } : {}) });
const searchPath = () => `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&status=current`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A refusal as RFC 6750 §3 writes it, with the French OperationOutcome the FHIR door always answers. */
function assertRefused(res: Awaited<ReturnType<typeof fhir>>, status: number, challenge: string, diagnostics?: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['www-authenticate'], challenge);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
  const outcome = res.json();
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.equal(outcome.issue[0].severity, 'error');
  if (diagnostics) assert.match(outcome.issue[0].diagnostics, diagnostics);
}

describe('practice software signs a professional in and calls /fhir', () => {
  let clientId: string;
  let config: oidc.Configuration;
  let tokens: Awaited<ReturnType<typeof signInFrom>>;

  before(async () => {
    clientId = await registerSoftware('Logiciel X');
    config = await softwareConfig(clientId);
    tokens = await signInFrom(config, CLAIRE_MARTIN);
  });

  it('gets a JWT access token for the FHIR door, signed ES256 by the provider, naming the professional, and a refresh token', () => {
    const header = decodeProtectedHeader(tokens.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, `${base}/fhir`);
    assert.equal(claims.client_id, clientId);
    assert.equal(claims.SubjectNameID, `8${CLAIRE_MARTIN}`);
    // Her exercise and place of activity, as PSC's SubjectRefPro writes them: /fhir reads them from the token.
    const exercise = (claims.SubjectRefPro as { exercices: { codeProfession: string; activities: { raisonSocialeSite: string }[] }[] }).exercices[0]!;
    assert.equal(exercise.codeProfession, '10');
    assert.equal(exercise.activities[0]!.raisonSocialeSite, 'Cabinet médical du Mail, Angers');
    assert.ok(tokens.refresh_token, 'a refresh token');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  });

  it('reads the patient’s documents with that token, as Dr Claire MARTIN', async () => {
    const res = await fhir(searchPath(), bearer(tokens.access_token));
    assert.equal(res.statusCode, 200, res.body);
    const bundle = res.json();
    assert.equal(bundle.resourceType, 'Bundle');
    assert.deepEqual(bundle.entry.map((e: { resource: { description: string } }) => e.resource.description), ['Lettre de liaison']);
  });

  it('refreshes the access token, and the new one works too', async () => {
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(decodeJwt(refreshed.access_token).aud, `${base}/fhir`);
    const res = await fhir(searchPath(), bearer(refreshed.access_token));
    assert.equal(res.statusCode, 200, res.body);
  });

  it('finds the OAuth endpoints in the CapabilityStatement, the same as the provider’s discovery', async () => {
    const res = await fhir('/fhir/metadata');
    assert.equal(res.statusCode, 200, res.body);
    const security = res.json().rest[0].security;
    const uris = security.extension.find((e: { url: string }) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    const uri = (name: string) => uris.extension.find((e: { url: string }) => e.url === name)?.valueUri;
    const metadata = config.serverMetadata();
    assert.equal(uri('authorize'), metadata.authorization_endpoint);
    assert.equal(uri('token'), metadata.token_endpoint);
    assert.equal(security.service[0].coding[0].code, 'OAuth');
    assert.equal(security.cors, false);
  });

  it('posts to /fhir with the bearer and no CSRF token, and is not refused for CSRF (with or without a session cookie)', async () => {
    const notABundle = JSON.stringify({ resourceType: 'Patient' });
    const alone = await fhir('/fhir', bearer(tokens.access_token), 'POST', notABundle);
    assert.notEqual(alone.statusCode, 403, alone.body);
    assert.ok(alone.statusCode >= 400 && alone.statusCode < 500, alone.body);
    assert.doesNotMatch(alone.json().issue[0].diagnostics, /vérifiée/, 'not the CSRF refusal');
    // A stray session cookie does not bring the check back: the bearer alone decides at /fhir.
    const session = (await professionalClient(t, CLAIRE_MARTIN)).cookies.get('dmp_session')!;
    const withCookie = await fhir('/fhir', { ...bearer(tokens.access_token), cookie: `dmp_session=${session}` }, 'POST', notABundle);
    assert.equal(withCookie.statusCode, alone.statusCode, withCookie.body);
    // Whereas a cookie alone is a browser's credential, and is checked.
    const cookieOnly = await fhir('/fhir', { cookie: `dmp_session=${session}` }, 'POST', notABundle);
    assert.equal(cookieOnly.statusCode, 403, cookieOnly.body);
    assert.match(cookieOnly.json().issue[0].diagnostics, /vérifiée/);
  });

  it('answers 403 insufficient_scope when the token is good but the access policy refuses', async () => {
    // Dr Julien LEFEBVRE is a GP to whom Dominique gave no access.
    const julien = await signInFrom(config, JULIEN_LEFEBVRE);
    const res = await fhir(searchPath(), bearer(julien.access_token));
    assertRefused(res, 403, 'Bearer error="insufficient_scope"', /autoris|accord/i);
  });
});

describe('refusals at /fhir (RFC 6750 §3)', () => {
  let clientId: string;
  let tokens: Awaited<ReturnType<typeof signInFrom>>;

  before(async () => {
    clientId = await registerSoftware('Logiciel Y');
    tokens = await signInFrom(await softwareConfig(clientId), CLAIRE_MARTIN);
  });

  /** A token shaped as the provider's, signed with a key that is not the provider's. */
  async function signedElsewhere(changes: { iss?: string; kid?: string }) {
    const { privateKey } = await generateKeyPair('ES256');
    const claims = decodeJwt(tokens.access_token);
    return new SignJWT({ ...claims, ...(changes.iss ? { iss: changes.iss } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...(changes.kid ? { kid: changes.kid } : {}) })
      .sign(privateKey);
  }

  it('asks for a token, without an error code, when there is none (§3.1)', async () => {
    assertRefused(await fhir(searchPath()), 401, 'Bearer');
    assertRefused(await fhir(searchPath(), { authorization: 'Basic Y2xhaXJlOm1vdC1kZS1wYXNzZQ==' }), 401, 'Bearer', /Bearer/);
  });

  it('refuses a malformed Authorization header as invalid_request', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Bearer deux morceaux']) {
      assertRefused(await fhir(searchPath(), { authorization: header }), 401, 'Bearer error="invalid_request"');
    }
  });

  it('refuses an expired token as invalid_token', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 2 * 3600_000 });
    try {
      assertRefused(await fhir(searchPath(), bearer(tokens.access_token)), 401, 'Bearer error="invalid_token"', /expiré/);
    } finally {
      mock.timers.reset();
    }
  });

  it('refuses a forged signature, and a token of another issuer', async () => {
    const kid = decodeProtectedHeader(tokens.access_token).kid!;
    assertRefused(await fhir(searchPath(), bearer(await signedElsewhere({ kid }))), 401, 'Bearer error="invalid_token"', /signature/);
    const foreign = await signedElsewhere({ iss: 'https://autre-fournisseur.example.fr/realms/sante' });
    assertRefused(await fhir(searchPath(), bearer(foreign)), 401, 'Bearer error="invalid_token"', /pas été délivré par Pro Santé Connect/);
    // The same token with one character changed in its payload: the signature no longer matches.
    const [h, p, s] = tokens.access_token.split('.') as [string, string, string];
    const altered = `${h}.${p.slice(0, -2)}${p.at(-2) === 'A' ? 'B' : 'A'}${p.at(-1)}.${s}`;
    assert.equal((await fhir(searchPath(), bearer(altered))).statusCode, 401);
  });

  it('refuses a genuine token of the provider meant for someone else: the ID token (audience: the software)', async () => {
    const idToken = tokens.id_token!;
    assert.equal(decodeJwt(idToken).aud, clientId);
    assertRefused(await fhir(searchPath(), bearer(idToken)), 401, 'Bearer error="invalid_token"', /pas destiné à l’API FHIR/);
  });

  /**
   * The service's own sign-in token (its web client, `opendmp-dev`) is bound to no resource: it is
   * meant for the provider's userinfo and, as always, for /api/pro. /fhir refuses it, as RFC 9068
   * §4 asks of a resource server whose identifier the token does not name: a token leaked from
   * one door is not good at another, and only software registered as a client reaches /fhir.
   * Conversely a token of practice software, for /fhir, is not good at /api/pro.
   */
  it('refuses the service’s own sign-in token, which is not for the FHIR resource; and the software’s token at /api/pro', async () => {
    const own = await oidc.discovery(new URL(issuer), 'opendmp-dev', undefined, oidc.ClientSecretBasic('dev-only-secret-never-in-production'), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorize = oidc.buildAuthorizationUrl(own, { redirect_uri: `${base}/api/pro/callback`, scope: 'openid scope_all', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const browser = new Browser(base);
    const { uid } = await reachChooser(browser, authorize.href);
    const { url } = await browser.follow(await browser.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps: CLAIRE_MARTIN } }), (u) => u.pathname === '/api/pro/callback');
    const ownToken = (await oidc.authorizationCodeGrant(own, url, { pkceCodeVerifier: verifier, expectedState: state })).access_token;

    assertRefused(await fhir(searchPath(), bearer(ownToken)), 401, 'Bearer error="invalid_token"', /pas destiné à l’API FHIR/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/pro/me', headers: bearer(ownToken) })).statusCode, 200, 'still good where it is meant for');
    const software = await t.app.inject({ method: 'GET', url: '/api/pro/me', headers: bearer(tokens.access_token) });
    assert.equal(software.statusCode, 401, software.body);
    assert.equal(software.headers['www-authenticate'], 'Bearer error="invalid_token"');
  });

  it('refuses the tokens of a disabled client at once, and no longer signs in or refreshes for it', async () => {
    const doomedId = await registerSoftware('Logiciel Z');
    const config = await softwareConfig(doomedId);
    const doomed = await signInFrom(config, CLAIRE_MARTIN);
    assert.equal((await fhir(searchPath(), bearer(doomed.access_token))).statusCode, 200);

    assert.match(await disableSoftwareClientCommand(t.ctx, [doomedId]), /disabled/);
    assertRefused(await fhir(searchPath(), bearer(doomed.access_token)), 401, 'Bearer error="invalid_token"', /logiciel .* n’est pas autorisé/);
    await assert.rejects(oidc.refreshTokenGrant(config, doomed.refresh_token!), (error: Error & { error?: string }) => error.error === 'invalid_client');
    await assert.rejects(disableSoftwareClientCommand(t.ctx, ['lgc-never-registered']), /no software client/);
  });

  it('takes the loopback redirect on whatever port the software listens on (RFC 8252 §7.3), and no other address', async () => {
    const config = await softwareConfig(clientId);
    const request = (redirect: string) =>
      oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).href;
    await reachChooser(new Browser(base), request('http://127.0.0.1:40123/callback'));
    const elsewhere = await new Browser(base).request(request('http://127.0.0.1:40123/autre-chemin'));
    assert.equal(elsewhere.status, 400);
  });

  it('does not sign in from software that was never registered', async () => {
    const config = await softwareConfig('lgc-never-registered');
    const authorize = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const response = await new Browser(base).request(authorize.href);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /client/i);
  });
});

describe('registering practice software from the command line', () => {
  it('refuses what cannot be a native client’s registration, in one line', async () => {
    await assert.rejects(addSoftwareClientCommand(t.ctx, ['--redirect-uri', REDIRECT]), /missing --name/);
    await assert.rejects(addSoftwareClientCommand(t.ctx, ['--name', 'Logiciel W']), /at least one --redirect-uri/);
    await assert.rejects(addSoftwareClientCommand(t.ctx, ['--name', 'Logiciel W', '--redirect-uri', 'http://logiciel.example.fr/cb']), /loopback/);
    const given = await addSoftwareClientCommand(t.ctx, ['--name', 'Logiciel PSC', '--redirect-uri', REDIRECT, '--client-id', 'editeur-logiciel-psc']);
    assert.match(given, /client id: +editeur-logiciel-psc\n/, 'the id Pro Santé Connect gave the software');
    await assert.rejects(addSoftwareClientCommand(t.ctx, ['--name', 'Autre', '--redirect-uri', REDIRECT, '--client-id', 'editeur-logiciel-psc']), /already registered/);
  });
});
