import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import * as oidc from 'openid-client';
import { computeLuhnDigit } from '../src/identity/rpps';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { buildServer } from '../src/api/server';
import { requireProfessional } from '../src/api/professional/guard';
import { startTestApp, type TestApp } from './helpers/context';
import { freeLocalUrl } from './helpers/free-port';
import { Browser as BrowserAt, reachChooser } from './helpers/oidc-browser';
import { DOMINIQUE, signedInPatient } from './helpers/patients';

/**
 * Professional sign-in through the real redirects: our server is both the OpenID client and, under
 * /dev/oidc, the development provider; it listens on a real port because the client calls the
 * provider over HTTP (discovery, token, userinfo, introspection).
 */

const CLAIRE = '10001234565'; // Dr Claire MARTIN, médecin généraliste (demo/professionals.csv)
const JULIEN = '10002458718';
const UNKNOWN = `1999999999${computeLuhnDigit('1999999999')}`; // well formed, not in the directory
const CLIENT_ID = 'opendmp-dev';
const CLIENT_SECRET = 'dev-only-secret-never-in-production';

let t: TestApp;
let base: string;
/** A browser on this test's server. */
class Browser extends BrowserAt {
  constructor() {
    super(base);
  }
}
/** Dominique PAT-TROIS, with her DMP, signed in as a patient. */
let dominique: Awaited<ReturnType<typeof signedInPatient>>;

before(async () => {
  const address = await freeLocalUrl();
  base = address.url;
  t = await startTestApp({
    env: { PUBLIC_URL: base },
    routes(app) {
      app.get('/test/pro-only', { preHandler: requireProfessional }, async (request) => request.professional);
      app.post('/test/exempt-elsewhere', { config: { csrfExempt: true } }, async () => ({ ok: true }));
    },
  });
  await t.app.listen({ port: address.port, host: '127.0.0.1' });
  await loadDemoDirectoriesIfEmpty(t.ctx);
  dominique = await signedInPatient(t, DOMINIQUE);
});
after(async () => t.close());

/** Signs in at the provider as `rpps` and follows the redirects to where the browser lands. */
async function signIn(browser: Browser, rpps: string, stop?: (url: URL) => boolean) {
  const { uid } = await reachChooser(browser);
  return browser.follow(await browser.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps } }), stop ?? ((url) => !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/dev/')));
}

async function signedInProfessional(rpps: string): Promise<Browser> {
  const browser = new Browser();
  const { url } = await signIn(browser, rpps);
  assert.equal(url.pathname, '/pro/espace', browser.visited.join('\n'));
  return browser;
}

const inject = (browser: Browser | null, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(browser ? { cookie: browser.cookieHeader() } : {}), ...headers } });

describe('signing in with Pro Santé Connect (development provider)', () => {
  it('goes from «Se connecter» to the professional space, with a session for Dr Claire MARTIN', async () => {
    const browser = new Browser();
    const { html } = await reachChooser(browser);
    assert.match(html, /Dr Claire MARTIN/);
    assert.match(html, /Médecin, Médecine générale/);
    assert.doesNotMatch(html, /<script/i, 'no script: the page lives under our CSP');
    const { uid } = await reachChooser(browser);
    const { url } = await browser.follow(await browser.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps: CLAIRE } }), (u) => u.pathname === '/pro/espace');
    assert.equal(url.pathname, '/pro/espace', browser.visited.join('\n'));
    assert.ok(browser.cookies.has('dmp_session'));
    assert.ok(!browser.cookies.has('dmp_pro_signin'), 'the flow cookie is cleared');

    const me = await inject(browser, '/api/pro/me');
    assert.equal(me.statusCode, 200, me.body);
    assert.deepEqual(me.json(), {
      rpps: CLAIRE,
      firstName: 'Claire',
      lastName: 'MARTIN',
      name: 'Claire MARTIN',
      profession: 'G15_10',
      professionLabel: 'Médecin',
      specialty: 'SM54',
      specialtyLabel: 'Médecine générale',
      role: null,
      workplace: { name: 'Cabinet médical du Mail, Angers', finess: null },
    });
  });

  it('sends the login with PKCE, state, nonce and the eIDAS level, and keeps the flow in a sealed Lax cookie', async () => {
    const response = await new Browser().request('/api/pro/login');
    assert.equal(response.status, 303);
    const target = new URL(response.headers.get('location')!);
    assert.equal(target.origin + target.pathname, `${base}/dev/oidc/auth`);
    for (const param of ['state', 'nonce', 'code_challenge']) assert.ok(target.searchParams.get(param), param);
    assert.equal(target.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(target.searchParams.get('acr_values'), 'eidas1');
    assert.equal(target.searchParams.get('redirect_uri'), `${base}/api/pro/callback`);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('dmp_pro_signin='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\/api\/pro\/callback/i);
    assert.ok(!cookie.includes(target.searchParams.get('state')!), 'the state is not readable in the cookie');
  });

  it('refuses a professional who is not in the directory, in French, without a session', async () => {
    const browser = new Browser();
    const { url } = await signIn(browser, UNKNOWN);
    assert.equal(url.pathname + url.search, '/pro?erreur=inconnu');
    assert.ok(!browser.cookies.has('dmp_session'));
    assert.equal((await inject(browser, '/api/pro/me')).statusCode, 401);
  });

  it('says so when the professional cancels at the provider', async () => {
    const browser = new Browser();
    const { uid } = await reachChooser(browser);
    const { url } = await browser.follow(await browser.request(`/dev/oidc/interaction/${uid}/abort`, { form: {} }), (u) => u.pathname === '/pro');
    assert.equal(url.search, '?erreur=annule');
  });

  it('refuses a callback that another browser started, or with a state that was changed', async () => {
    const started = new Browser();
    const { url: callback } = await signIn(started, CLAIRE, (u) => u.pathname === '/api/pro/callback');
    const other = new Browser();
    const stolen = await other.follow(await other.request(callback.href));
    assert.equal(stolen.url.pathname + stolen.url.search, '/pro?erreur=expire');

    const changed = new URL(callback);
    changed.searchParams.set('state', 'forged');
    const forged = await started.follow(await started.request(changed.href));
    assert.equal(forged.url.pathname + forged.url.search, '/pro?erreur=echec');
    assert.ok(!started.cookies.has('dmp_session'));
  });

  it('shows the chooser again on the next sign-in, and a wrong RPPS on the page', async () => {
    const browser = await signedInProfessional(CLAIRE);
    const { uid } = await reachChooser(browser);
    const wrong = await browser.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps: '10001234566' } });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /clé de contrôle/);
  });

  it('signs out', async () => {
    const browser = await signedInProfessional(CLAIRE);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/pro/logout',
      headers: { cookie: browser.cookieHeader(), 'x-csrf-token': browser.cookies.get('dmp_csrf')! },
    });
    assert.equal(out.statusCode, 204);
    assert.equal((await inject(browser, '/api/pro/me')).statusCode, 401);
  });
});

describe('the development provider and our CSRF check', () => {
  it('took the provider’s form posts without our token (above), but nothing else', async () => {
    const elsewhere = await t.app.inject({ method: 'POST', url: '/test/exempt-elsewhere', payload: {} });
    assert.equal(elsewhere.statusCode, 403, 'the exemption holds under /dev/oidc/ only');
    assert.equal(elsewhere.json().type, 'https://opendmp.fr/problemes/csrf');
  });

  it('is not served when DEV_OIDC_PROVIDER is off', async () => {
    const off = await buildServer({ ...t.ctx, config: { ...t.ctx.config, DEV_OIDC_PROVIDER: false } });
    try {
      assert.equal((await off.inject({ method: 'GET', url: '/dev/oidc/.well-known/openid-configuration' })).statusCode, 404);
      const login = await off.inject({ method: 'GET', url: '/api/pro/login' });
      assert.equal(login.headers.location, '/pro?erreur=indisponible');
    } finally {
      await off.close();
    }
  });
});

describe('practice software with a bearer access token', () => {
  /** What practice software does: its own authorization code flow, as the professional, then the token exchange. */
  async function accessTokenFor(rpps: string): Promise<string> {
    const config = await oidc.discovery(new URL(`${base}/dev/oidc`), CLIENT_ID, undefined, oidc.ClientSecretBasic(CLIENT_SECRET), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${base}/api/pro/callback`,
      scope: 'openid scope_all',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const software = new Browser();
    const { uid } = await reachChooser(software, authorize.href);
    const { url } = await software.follow(await software.request(`/dev/oidc/interaction/${uid}/login`, { form: { rpps } }), (u) => u.pathname === '/api/pro/callback');
    const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state });
    return tokens.access_token;
  }

  it('is accepted for Dr Claire MARTIN, and a professional session too', async () => {
    const token = await accessTokenFor(CLAIRE);
    const res = await inject(null, '/test/pro-only', { authorization: `Bearer ${token}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().rpps, CLAIRE);
    assert.equal(res.json().profession, 'G15_10');
    const bySession = await inject(await signedInProfessional(CLAIRE), '/test/pro-only');
    assert.equal(bySession.json().rpps, CLAIRE);
  });

  it('is refused when forged, altered or expired, with a WWW-Authenticate challenge', async () => {
    const token = await accessTokenFor(CLAIRE);
    for (const bad of [randomBytes(32).toString('base64url'), `${token}x`, 'a b']) {
      const res = await inject(null, '/test/pro-only', { authorization: `Bearer ${bad}` });
      assert.equal(res.statusCode, 401, bad);
      assert.match(String(res.headers['www-authenticate']), /^Bearer error="invalid_(token|request)"$/);
    }
    assert.equal((await inject(null, '/test/pro-only', { authorization: `Bearer ${token}` })).statusCode, 200, 'valid now');
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 2 * 3600_000 });
    try {
      assert.equal((await inject(null, '/test/pro-only', { authorization: `Bearer ${token}` })).statusCode, 401, 'expired after an hour');
    } finally {
      mock.timers.reset();
    }
  });

  it('is refused for a professional absent from the directory; a cookie never replaces a bad token', async () => {
    const unknown = await inject(null, '/test/pro-only', { authorization: `Bearer ${await accessTokenFor(UNKNOWN)}` });
    assert.equal(unknown.statusCode, 403);
    assert.equal(unknown.json().type, 'https://opendmp.fr/problemes/unknown-professional');
    const both = await inject(await signedInProfessional(CLAIRE), '/test/pro-only', { authorization: 'Bearer forged-forged-forged-forged' });
    assert.equal(both.statusCode, 401);
  });

  it('leaves out patients and strangers', async () => {
    assert.equal((await inject(null, '/test/pro-only')).statusCode, 401);
    const res = await dominique.client.get('/test/pro-only');
    assert.equal(res.statusCode, 403);
    assert.match(res.json().detail, /réservé aux professionnels/);
  });
});

describe('finding a patient by INS', () => {
  let claire: Browser;
  const query = (traits: Record<string, string>) => `/api/pro/patients?${new URLSearchParams(traits).toString()}`;
  const DOMINIQUE_TRAITS = { ins: DOMINIQUE.nir, birthName: 'PAT-TROIS', firstName: 'Dominique', birthDate: '1979-03-28' };

  before(async () => {
    claire = await signedInProfessional(CLAIRE);
  });

  it('finds the DMP with the right traits, however they are typed', async () => {
    for (const traits of [DOMINIQUE_TRAITS, { ...DOMINIQUE_TRAITS, birthName: 'pat trois', firstName: 'dominique marie-louise' }]) {
      const res = await inject(claire, query(traits));
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        recordId: dominique.recordId,
        patient: { birthName: 'PAT-TROIS', firstNames: 'Dominique Marie-Louise', birthDate: '1979-03-28', sex: 'F' },
        recordStatus: 'active',
      });
    }
  });

  it('answers the same sentence for wrong traits, an INS without a DMP, and an unknown INS', async () => {
    const NICOLAS = '185054958815725'; // in the directory, no DMP
    const NOBODY = '185057800608491'; // valid key, not in the directory
    for (const traits of [
      { ...DOMINIQUE_TRAITS, birthDate: '1979-03-29' },
      { ...DOMINIQUE_TRAITS, firstName: 'Marie-Louise' },
      { ins: NICOLAS, birthName: 'DURAND', firstName: 'Nicolas', birthDate: '1985-05-14' },
      { ...DOMINIQUE_TRAITS, ins: NOBODY },
    ]) {
      const res = await inject(claire, query(traits));
      assert.equal(res.statusCode, 404, JSON.stringify(traits));
      assert.equal(res.json().detail, 'Aucun DMP ne correspond à cette identité.');
    }
  });

  it('refuses a malformed INS next to its field, and a search without the traits', async () => {
    const wrongKey = await inject(claire, query({ ...DOMINIQUE_TRAITS, ins: '279035121518980' }));
    assert.equal(wrongKey.statusCode, 400);
    assert.equal(wrongKey.json().errors[0].field, 'ins');
    const byNameOnly = await inject(claire, query({ birthName: 'PAT-TROIS', firstName: 'Dominique', birthDate: '1979-03-28' }));
    assert.equal(byNameOnly.statusCode, 400);
  });

  it('is for professionals only, and limited per professional', async () => {
    assert.equal((await inject(null, query(DOMINIQUE_TRAITS))).statusCode, 401);
    const julien = await signedInProfessional(JULIEN);
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await inject(julien, query(DOMINIQUE_TRAITS))).statusCode;
    assert.equal(last, 429);
    assert.equal((await inject(claire, query(DOMINIQUE_TRAITS))).statusCode, 200, 'another professional is not limited');
  });
});
