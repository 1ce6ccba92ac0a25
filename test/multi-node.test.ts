import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FAILURES_BEFORE_LOCK } from '../src/accounts/rules';
import type { TestDatabase } from './helpers/database';
import { freeLocalUrl } from './helpers/free-port';
import { Browser } from './helpers/oidc-browser';

/**
 * Many app nodes for real (#15): three service processes on one fresh PostgreSQL database, started
 * as an operator would (`serve --role web` twice, `serve --role worker` once), with the same
 * MASTER_KEY and the same document store, and nothing else in common. Every step is made on one
 * web node and checked on the other, over real HTTP: what one process kept in its memory and
 * another needed would fail here.
 *
 * There is no load balancer: the test plays it, sending each request to the node it chooses with
 * the same cookies. Both nodes have the same PUBLIC_URL, the address people use, as they would
 * behind one; it is node A's, so that what the service sends the browser to (the development
 * OpenID provider at PUBLIC_URL/dev/oidc, the sign-in callback) lands on A. With TRUSTED_PROXIES
 * unset, every request counts as coming from 127.0.0.1, on both nodes.
 *
 * On PGlite the test is skipped: the embedded database lives inside one process, which no other
 * process can open.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP = process.env.DATABASE_URL ? false : 'PostgreSQL only (DATABASE_URL): the embedded database (PGlite) lives in one process, another cannot share it';
const START_TIMEOUT_MS = 45_000;

// The demo data (README «Demo logins», demo/*.csv), written out here rather than imported from the
// seed and the in-process helpers: those would load most of the service into this process too.
const DEMO_PASSWORD = 'Demo-OpenDMP-2026';
const DOMINIQUE = { nir: '279035121518989', email: 'dominique.pat-trois@example.org' };
const CLAIRE_MARTIN = '10001234565'; // médecin généraliste, Dominique's médecin traitant
const DOMINIQUE_TRAITS = { ins: DOMINIQUE.nir, birthName: 'PAT-TROIS', firstName: 'Dominique', birthDate: '1979-03-28' };
/** Insured persons of the demo directory with an email (README), for creation-code requests. */
const NICOLAS = { nir: '185054958815725', email: 'nicolas.durand@example.com' };
const ELODIE = '287094410927272';
const MARIE_ANGE = '279022A00415130';
const FATIMA = '278029935000801';
const GERMAINE = '238043726159428';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** One service process, with the tail of what it printed (shown when something fails). */
class Node {
  output = '';
  exited: number | null = null;
  constructor(readonly name: string, readonly url: string | null, readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => (this.exited = code ?? (signal ? 128 : 1)));
  }

  describe(): string {
    return `${this.name}${this.exited === null ? '' : ` (exited ${this.exited})`}:\n${this.output || '(nothing printed)'}`;
  }

  /** SIGTERM (the service closes its server, its workers and its pool), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.exited !== null || this.child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * A browser's cookie jar and CSRF header (as test/helpers/client.ts, bench/harness.ts BenchClient),
 * not tied to one node: the same cookies go to whichever node a request is sent to, as they would
 * behind a load balancer.
 */
class Jar {
  readonly cookies = new Map<string, string>();

  constructor(private readonly publicUrl: string) {}

  async request(base: string, method: string, path: string, body?: unknown): Promise<Response> {
    if (!this.cookies.has('dmp_csrf')) this.keep(await fetch(`${base}/healthz`));
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    // As the web app's page, served from PUBLIC_URL: its Origin, which every node checks.
    if (method !== 'GET') Object.assign(headers, { origin: new URL(this.publicUrl).origin, 'x-csrf-token': this.cookies.get('dmp_csrf') ?? '' });
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return this.keep(await fetch(base + path, { method, headers, body: payload }));
  }

  get = (base: string, path: string) => this.request(base, 'GET', path);
  post = (base: string, path: string, body: unknown = {}) => this.request(base, 'POST', path, body);

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

async function expectStatus(res: Response, status: number, what: string): Promise<unknown> {
  const text = await res.text();
  assert.equal(res.status, status, `${what}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Polls `probe` until it returns something, or fails with `what` after `ms`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface OutboxEntry {
  id: string;
  kind: string;
  to: string | null;
  status: string;
  data: { code?: string } | null;
}

/** The development outbox as a node shows it, newest first. */
async function outboxOf(base: string, to: string): Promise<OutboxEntry[]> {
  const res = await fetch(`${base}/dev/outbox?to=${encodeURIComponent(to)}`);
  assert.equal(res.status, 200, `${base}/dev/outbox`);
  return ((await res.json()) as { messages: OutboxEntry[] }).messages;
}

describe('three service processes on one PostgreSQL (two web nodes, one worker)', { skip: SKIP }, () => {
  let testDatabase: TestDatabase;
  let dataDir: string;
  const nodes: Node[] = [];
  let A: string;
  let B: string;
  let recordId: string;
  let dominique: Jar;
  let claire: Jar;

  before(async () => {
    // Imported here: on PGlite the file is skipped and needs no database code at all.
    const { createTestDatabase } = await import('./helpers/database');
    testDatabase = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'multi-node-'));
    const masterKey = randomBytes(32).toString('base64');
    const inherited = { ...process.env };
    // Only what is set below: no load balancer to trust, and nothing of this test runner's own.
    for (const name of ['TRUSTED_PROXIES', 'NODE_TEST_CONTEXT', 'BLOB_STORE', 'PRINT_QUEUE_DIR', 'PSC_ISSUER', 'PSC_CLIENT_ID', 'PSC_CLIENT_SECRET']) delete inherited[name];
    const start = (name: string, role: 'web' | 'worker', env: Record<string, string>, url: string | null) => {
      // What `tsx src/app/cli/main.ts serve` runs, without tsx's own parent process in between,
      // so that the signal reaches the service itself.
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/cli/main.ts', 'serve', '--role', role], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...inherited,
          NODE_ENV: 'test',
          DATABASE_URL: testDatabase.url!,
          MASTER_KEY: masterKey,
          // The documents' store, shared by every node as S3 would be; and the print queue.
          DATA_DIR: dataDir,
          BLOB_STORE: `file:${join(dataDir, 'blobs')}`,
          DEV_OUTBOX: 'on',
          DEV_OIDC_PROVIDER: 'on',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          ...env,
        },
      });
      const node = new Node(name, url, child);
      nodes.push(node);
      return node;
    };
    const a = await freeLocalUrl();
    let b = await freeLocalUrl();
    while (b.port === a.port) b = await freeLocalUrl();
    A = a.url;
    B = b.url;
    // Node A loads the demo data before it listens: one process seeds, once; the others leave it off.
    start('web node A', 'web', { PORT: String(a.port), PUBLIC_URL: A, DEMO_DATA: 'on' }, A);
    start('web node B', 'web', { PORT: String(b.port), PUBLIC_URL: A, DEMO_DATA: 'off' }, B);
    start('worker', 'worker', { PUBLIC_URL: A, DEMO_DATA: 'off' }, null);
    await Promise.all(
      nodes.filter((n) => n.url).map((n) =>
        eventually(`${n.name} ready`, async () => {
          if (n.exited !== null) throw new Error(n.describe());
          const res = await fetch(`${n.url}/readyz`).catch(() => null);
          return res?.status === 200 ? true : undefined;
        }, START_TIMEOUT_MS).catch((error: unknown) => {
          throw new Error(`${String(error)}\n${nodes.map((x) => x.describe()).join('\n')}`);
        }),
      ),
    );
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await testDatabase?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Any failure shows what the three processes printed. */
  const withOutput = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (error instanceof Error) error.message += `\n--- processes ---\n${nodes.map((n) => n.describe()).join('\n')}`;
      throw error;
    }
  };

  it('signs a patient in with her password on A, her code read and checked on B, and serves her session on A', () =>
    withOutput(async () => {
      dominique = new Jar(A);
      const started = (await expectStatus(await dominique.post(A, '/api/auth/login', { loginId: 'dom1979', password: DEMO_PASSWORD }), 200, 'password on A')) as { challengeId: string };
      const sent = await eventually('the login code in the outbox, seen from B', async () =>
        (await outboxOf(B, DOMINIQUE.email)).find((m) => m.kind === 'login-code' && m.data?.code),
      );
      const verified = (await expectStatus(await dominique.post(B, '/api/auth/login/verify', { challengeId: started.challengeId, code: sent.data!.code }), 200, 'code on B')) as { firstLoginRequired: boolean };
      assert.equal(verified.firstLoginRequired, false);
      assert.ok(dominique.cookies.has('dmp_session'), 'B opened the session');

      const me = (await expectStatus(await dominique.get(A, '/api/me'), 200, '/api/me on A')) as { currentRecordId: string };
      recordId = me.currentRecordId;
      const documents = (await expectStatus(await dominique.get(A, `/api/records/${recordId}/documents?limit=100`), 200, 'her documents on A')) as { total: number };
      assert.ok(documents.total >= 7, `the seven CDA examples, and more (got ${documents.total})`);
      // The code was used on B: it is spent on A too, and opens nothing there.
      const replay = new Jar(A);
      await expectStatus(await replay.post(A, '/api/auth/login/verify', { challengeId: started.challengeId, code: sent.data!.code }), 400, 'the same code again on A');
      assert.ok(!replay.cookies.has('dmp_session'));
    }));

  it('counts wrong passwords on both nodes together: the account locks at the configured number', () =>
    withOutput(async () => {
      const guesser = new Jar(A);
      for (let i = 1; i <= FAILURES_BEFORE_LOCK; i++) {
        const node = i % 2 ? A : B;
        const res = await guesser.post(node, '/api/auth/login', { loginId: 'san1976', password: `not-the-password-${i}` });
        const expected = i < FAILURES_BEFORE_LOCK ? 401 : 423;
        await expectStatus(res, expected, `wrong password ${i} on ${node === A ? 'A' : 'B'}`);
      }
      // Locked on the other node too, even with the right password.
      const right = (await expectStatus(await guesser.post(B, '/api/auth/login', { loginId: 'san1976', password: DEMO_PASSWORD }), 423, 'right password on B while locked')) as { detail: string };
      assert.match(right.detail, /bloqué/);
    }));

  it('sends a creation code asked on A: its message is seen from B, and the worker process delivers it', () =>
    withOutput(async () => {
      const asker = new Jar(A);
      await expectStatus(await asker.post(A, '/api/creation/code-requests', { nir: NICOLAS.nir, nirConfirmation: NICOLAS.nir }), 202, 'creation code on A');
      const queued = await eventually('the creation code in the outbox, seen from B', async () =>
        (await outboxOf(B, NICOLAS.email)).find((m) => m.kind === 'creation-code'),
      );
      assert.match(queued.data?.code ?? '', /\S/, 'the message holds the code');
      // Only the worker process delivers (web nodes run no outbox worker): sent means it did.
      await eventually('the message sent by the worker', async () =>
        (await outboxOf(A, NICOLAS.email)).find((m) => m.id === queued.id && m.status === 'sent'),
      );
    }));

  it('counts the creation-code requests of one address on both nodes together (10 per hour)', () =>
    withOutput(async () => {
      // The previous test made the first of the address's ten; each NIR stays within its own 3 a day.
      const nirs = [NICOLAS.nir, NICOLAS.nir, ELODIE, ELODIE, ELODIE, MARIE_ANGE, MARIE_ANGE, MARIE_ANGE, FATIMA];
      const asker = new Jar(A);
      for (const [i, nir] of nirs.entries()) {
        const node = i % 2 ? A : B;
        await expectStatus(await asker.post(node, '/api/creation/code-requests', { nir, nirConfirmation: nir }), 202, `request ${i + 2} on ${node === A ? 'A' : 'B'}`);
      }
      for (const node of [A, B]) {
        const refused = await asker.post(node, '/api/creation/code-requests', { nir: GERMAINE, nirConfirmation: GERMAINE });
        await expectStatus(refused, 429, `the eleventh request on ${node === A ? 'A' : 'B'}`);
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
      }
    }));

  it('signs Dr Claire MARTIN in, started on B, through the development provider on A; her session lists Dominique’s documents on B', () =>
    withOutput(async () => {
      // The development provider (src/api/dev/oidc-provider.ts) keeps its interactions, sessions,
      // codes and refresh tokens in its process's memory: every step at /dev/oidc must reach the
      // same node (A, at PUBLIC_URL, where the redirects go), as Pro Santé Connect is one service
      // outside ours. The rest is shared: the sign-in flow is started on B (its state sealed in a
      // cookie under a key from the master key) and finished on A, and the DMP session it ends
      // with, in the database, serves on B.
      const browser = new Browser(B);
      const started = await browser.request(`${B}/api/pro/login`);
      assert.equal(started.status, 303);
      assert.ok(started.headers.get('location')!.startsWith(`${A}/dev/oidc/`), started.headers.get('location')!);
      assert.ok(browser.cookies.has('dmp_pro_signin'), 'B keeps the flow in a cookie');
      const { url: chooser } = await browser.follow(started);
      const uid = /^\/dev\/oidc\/interaction\/([^/]+)$/.exec(chooser.pathname)?.[1];
      assert.ok(uid, chooser.href);
      const chosen = await browser.request(`${A}/dev/oidc/interaction/${uid}/login`, { form: { rpps: CLAIRE_MARTIN } });
      const { url: callback } = await browser.follow(chosen, (u) => u.pathname === '/api/pro/callback');
      assert.equal(callback.origin, new URL(A).origin, 'the provider sends the browser back to PUBLIC_URL, on A');
      const { url } = await browser.follow(await browser.request(callback.href), (u) => u.pathname === '/pro/espace');
      assert.equal(url.pathname, '/pro/espace', browser.visited.join('\n'));
      claire = new Jar(A);
      for (const name of ['dmp_session', 'dmp_csrf']) {
        assert.ok(browser.cookies.has(name), name);
        claire.cookies.set(name, browser.cookies.get(name)!);
      }

      const me = (await expectStatus(await claire.get(B, '/api/pro/me'), 200, '/api/pro/me on B')) as { rpps: string };
      assert.equal(me.rpps, CLAIRE_MARTIN);
      const found = (await expectStatus(await claire.get(B, `/api/pro/patients?${new URLSearchParams(DOMINIQUE_TRAITS)}`), 200, 'finding Dominique by INS on B')) as { recordId: string };
      assert.equal(found.recordId, recordId);
      const list = (await expectStatus(await claire.get(B, `/api/pro/records/${recordId}/documents?limit=100`), 200, 'her documents on B')) as { total: number; explanation: string };
      assert.ok(list.total >= 7, `got ${list.total}`);
      assert.match(list.explanation, /médecin traitant/);
    }));

  it('serves on B to the patient the document the professional deposited on A', () =>
    withOutput(async () => {
      const form = new FormData();
      form.set('typeCode', '11490-0');
      form.set('title', 'Lettre de liaison, déposée sur un nœud');
      form.set('careDate', '2026-02-01');
      form.set('file', new Blob([PDF], { type: 'application/pdf' }), 'lettre.pdf');
      const deposited = (await expectStatus(await claire.request(A, 'POST', `/api/pro/records/${recordId}/documents`, form), 201, 'deposit on A')) as { documentId: string };

      const page = (await expectStatus(await dominique.get(B, `/api/records/${recordId}/documents?limit=100`), 200, 'her documents on B')) as { documents: { documentId: string; title: string }[] };
      const listed = page.documents.find((d) => d.documentId === deposited.documentId);
      assert.equal(listed?.title, 'Lettre de liaison, déposée sur un nœud');
      const content = await dominique.get(B, `/api/records/${recordId}/documents/${deposited.documentId}/content`);
      assert.equal(content.status, 200);
      assert.deepEqual(Buffer.from(await content.arrayBuffer()), PDF, 'the bytes A stored, opened by B with the record key');
    }));

  it('ends a session signed out on one node on the other at once', () =>
    withOutput(async () => {
      await expectStatus(await dominique.get(A, '/api/me'), 200, 'her session on A');
      const session = dominique.cookies.get('dmp_session')!;
      await expectStatus(await dominique.post(B, '/api/auth/logout'), 204, 'signing out on B');
      // The browser dropped its cookie; whoever kept a copy of it is refused on A.
      const copy = new Jar(A);
      copy.cookies.set('dmp_session', session);
      await expectStatus(await copy.get(A, '/api/me'), 401, 'the same session on A');
    }));
});
