import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { PDFDocument } from '@cantoo/pdf-lib';
import { SMTPServer } from 'smtp-server';
import { enqueueMessage, listOperatorDeadLetters, openPayload, type OutboxMessage } from '../src/notify/outbox';
import { createTransports, letterFileName } from '../src/notify/transports';
import { claimDueMessages, deliverDueMessages, MAX_ATTEMPTS, retryDelayMs, startOutboxWorker } from '../src/notify/worker';
import { startTestApp, type TestApp } from './helpers/context';

interface ReceivedMail {
  to: string[];
  raw: string;
}

async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Quoted-printable soft line breaks of the body put back together: what a mail reader shows.
        const [head, ...body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
        const raw = [head, body.join('\r\n\r\n').replace(/=\r\n/g, '')].join('\r\n\r\n');
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface SmsRequest {
  key: string | undefined;
  body: { to: string; text: string };
}

async function startSmsGateway() {
  const state = { status: 200, requests: [] as SmsRequest[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(state.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { state, url: `http://127.0.0.1:${port}/sms`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const loginByEmail = (email: string, code: string): OutboxMessage => ({
  kind: 'login-code',
  to: { email },
  data: { code, validMinutes: 10 },
});
const loginBySms = (mobile: string, code: string): OutboxMessage => ({
  kind: 'login-code',
  to: { mobile },
  data: { code, validMinutes: 10 },
});

async function row(t: TestApp, id: string) {
  const result = await sql<{
    status: string;
    attempts: number;
    next_attempt_at: Date;
    last_error: string | null;
    payload: Uint8Array | null;
    sent_at: Date | null;
  }>`SELECT status, attempts, next_attempt_at, last_error, payload, sent_at FROM outbox_message WHERE id = ${id}`.execute(
    t.ctx.database.db,
  );
  return result.rows[0]!;
}

const enqueue = (t: TestApp, message: OutboxMessage) =>
  t.ctx.database.db.transaction().execute((trx) => enqueueMessage(trx as Kysely<any>, t.ctx.masterKey, message, t.clock.now()));

describe('outbox: messages leave for real', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let printQueue: string;

  before(async () => {
    smtp = await startSmtpServer();
    gateway = await startSmsGateway();
    printQueue = mkdtempSync(join(tmpdir(), 'print-queue-'));
    t = await startTestApp({ env: { SMTP_URL: smtp.url, SMS_GATEWAY_URL: gateway.url, PRINT_QUEUE_DIR: printQueue, DEV_OUTBOX: 'on' } });
  });
  after(async () => {
    await t.close();
    await smtp.close();
    await gateway.close();
    rmSync(printQueue, { recursive: true, force: true });
  });

  it('queues nothing when the change that caused the message rolls back', async () => {
    await assert.rejects(
      t.ctx.database.db.transaction().execute(async (trx) => {
        await enqueueMessage(trx as Kysely<any>, t.ctx.masterKey, loginByEmail('rollback@example.fr', '11112222'), t.clock.now());
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_message`.execute(t.ctx.database.db);
    assert.equal(count.rows[0]?.n, 0);
  });

  it('refuses a message for a channel its kind does not use', async () => {
    const bad = { kind: 'creation-code', to: { mobile: '+33612345678' }, data: { code: 'X', firstName: 'A', lastName: 'B', expiresOn: '2026-04-01' } };
    await assert.rejects(enqueue(t, bad as unknown as OutboxMessage), /cannot go by sms/);
  });

  it('sends an email over SMTP, once, with a Message-ID made from the outbox id', async () => {
    const id = await enqueue(t, loginByEmail('camille.durand@example.fr', '48213907'));
    const report = await deliverDueMessages(t.ctx);
    assert.deepEqual(report, { claimed: 1, sent: 1, retried: 0, dead: 0, released: 0 });
    assert.equal(smtp.mails.length, 1);
    const mail = smtp.mails[0]!;
    assert.deepEqual(mail.to, ['camille.durand@example.fr']);
    const code = /Code de connexion : (\d{8})/.exec(mail.raw)?.[1];
    assert.equal(code, '48213907', 'the code is read from the received mail');
    assert.match(mail.raw, new RegExp(`^Message-ID: <${id}@dmp\\.localhost>`, 'mi'));
    assert.match(mail.raw, /^From: Mon DMP <ne-pas-repondre@dmp\.localhost>/m);
    const r = await row(t, id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 1);
    assert.ok(r.payload, 'kept for the dev outbox when DEV_OUTBOX is on');
    assert.deepEqual(await deliverDueMessages(t.ctx), { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0 });
    assert.equal(smtp.mails.length, 1, 'never sent twice');
  });

  it('stores no readable code or recipient', async () => {
    const id = await enqueue(t, loginByEmail('secret.person@example.fr', '90817263'));
    const r = await row(t, id);
    const stored = Buffer.from(r.payload!);
    for (const clear of ['90817263', 'secret.person', 'example.fr', 'login-code']) {
      assert.ok(!stored.includes(Buffer.from(clear)), `"${clear}" is not stored in clear`);
    }
    assert.deepEqual(openPayload(t.ctx.masterKey, id, r.payload!).data, { code: '90817263', validMinutes: 10 });
    assert.throws(() => openPayload(t.ctx.masterKey, randomBytes(16).toString('hex'), r.payload!), /altered|key/, 'bound to its row');
    await deliverDueMessages(t.ctx);
  });

  it('retries an SMS the gateway refused, after a wait, then sends it once', async () => {
    gateway.state.status = 500;
    gateway.state.requests.length = 0;
    const id = await enqueue(t, loginBySms('+33612345678', '31415926'));
    assert.deepEqual(await deliverDueMessages(t.ctx), { claimed: 1, sent: 0, retried: 1, dead: 0, released: 0 });
    let r = await row(t, id);
    assert.equal(r.status, 'pending');
    assert.equal(r.attempts, 1);
    assert.equal(r.last_error, 'DeliveryError:sms-gateway-500');
    assert.equal(r.next_attempt_at.getTime(), t.clock.now().getTime() + 30_000);

    assert.equal((await deliverDueMessages(t.ctx)).claimed, 0, 'not before its time');
    gateway.state.status = 200;
    t.clock.advance(30_000);
    assert.equal((await deliverDueMessages(t.ctx)).sent, 1);
    r = await row(t, id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 2);
    assert.equal(r.sent_at?.getTime(), t.clock.now().getTime());
    assert.equal(gateway.state.requests.length, 2);
    const last = gateway.state.requests[1]!;
    assert.equal(last.key, id);
    assert.equal(last.body.to, '+33612345678');
    assert.match(last.body.text, /31415926/);

    t.clock.advance(3_600_000);
    assert.equal((await deliverDueMessages(t.ctx)).claimed, 0);
    assert.equal(gateway.state.requests.length, 2, 'never sent again');
  });

  it('sends again, exactly once, a message whose worker died mid-delivery, with the same Idempotency-Key', async () => {
    gateway.state.status = 200;
    gateway.state.requests.length = 0;
    const id = await enqueue(t, loginBySms('+33700000001', '27182818'));
    // The worker claims it, hands it to the gateway, and dies before recording it.
    const [claimed] = await claimDueMessages(t.ctx, 10);
    assert.equal(claimed?.id, id);
    const transports = createTransports(t.ctx.config);
    await transports.deliver(
      { id, createdAt: claimed.createdAt, message: openPayload(t.ctx.masterKey, id, claimed.payload!) },
      AbortSignal.timeout(5000),
    );
    await transports.close();

    assert.equal((await deliverDueMessages(t.ctx)).claimed, 0, 'left alone while its lease runs');
    t.clock.advance(3 * 60_000);
    assert.deepEqual(await deliverDueMessages(t.ctx), { claimed: 1, sent: 1, retried: 0, dead: 0, released: 0 });
    assert.equal((await deliverDueMessages(t.ctx)).claimed, 0);
    assert.deepEqual(
      gateway.state.requests.map((r) => r.key),
      [id, id],
      'the gateway can drop the second one: same key',
    );
    const r = await row(t, id);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 2);
  });

  it(`gives up after ${MAX_ATTEMPTS} failures and lists the message for operators, without personal data`, async () => {
    gateway.state.status = 503;
    const id = await enqueue(t, loginBySms('+33699999999', '16180339'));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const report = await deliverDueMessages(t.ctx);
      assert.equal(report.claimed, 1, `attempt ${attempt}`);
      assert.equal(attempt < MAX_ATTEMPTS ? report.retried : report.dead, 1);
      t.clock.advance(retryDelayMs(attempt));
    }
    const r = await row(t, id);
    assert.equal(r.status, 'dead');
    assert.equal(r.attempts, MAX_ATTEMPTS);
    assert.equal((await deliverDueMessages(t.ctx)).claimed, 0);

    const dead = await listOperatorDeadLetters(t.ctx);
    const entry = dead.find((d) => d.id === id);
    assert.ok(entry);
    assert.deepEqual(Object.keys(entry).sort(), ['attempts', 'channel', 'createdAt', 'id', 'kind', 'lastError']);
    assert.equal(entry.channel, 'sms');
    assert.equal(entry.kind, 'login-code');
    assert.equal(entry.attempts, MAX_ATTEMPTS);
    assert.equal(entry.lastError, 'DeliveryError:sms-gateway-503');
    assert.ok(!JSON.stringify(dead).includes('16180339') && !JSON.stringify(dead).includes('+33699999999'));
    const logs = t.logs.join('');
    assert.match(logs, /message abandoned/);
    assert.ok(!logs.includes('16180339') && !logs.includes('699999999'), 'the logs say nothing personal');
    gateway.state.status = 200;
  });

  it('gives up at once when the gateway says the message can never be taken', async () => {
    gateway.state.status = 400;
    const id = await enqueue(t, loginBySms('+33600000000', '12121212'));
    assert.equal((await deliverDueMessages(t.ctx)).dead, 1);
    assert.equal((await row(t, id)).last_error, 'DeliveryError:sms-gateway-400');
    gateway.state.status = 200;
  });

  it('prints a letter: a PDF put atomically into the print queue, also shown by the dev outbox', async () => {
    const id = await enqueue(t, {
      kind: 'creation-code',
      to: { postal: { name: 'Hélène Çelik', line: '3 allée des Érables', postalCode: '13008', city: 'Marseille' } },
      data: { code: 'RMGADQEP2KRG', firstName: 'Hélène', lastName: 'Çelik', expiresOn: '2026-04-12' },
    });
    assert.equal((await deliverDueMessages(t.ctx)).sent, 1);
    const name = letterFileName(id, t.clock.now());
    assert.deepEqual(readdirSync(printQueue), [name], 'one file, no temporary left');
    const pdf = readFileSync(join(printQueue, name));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal((await PDFDocument.load(pdf)).getPageCount(), 1);

    const res = await t.app.inject({ method: 'GET', url: `/dev/outbox/${id}/letter.pdf` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.deepEqual(res.rawPayload, pdf, 'the same letter as printed');
    const missing = await t.app.inject({ method: 'GET', url: `/dev/outbox/${randomUUID()}/letter.pdf` });
    assert.equal(missing.statusCode, 404);
  });

  it('shows the messages at /dev/outbox, newest first, with their text, filtered by recipient', async () => {
    await enqueue(t, loginBySms('+33611111111', '10000001'));
    await enqueue(t, loginBySms('+33611111111', '10000002'));
    await enqueue(t, loginByEmail('other@example.fr', '10000003'));
    const res = await t.app.inject({ method: 'GET', url: '/dev/outbox?to=%2B33611111111' });
    assert.equal(res.statusCode, 200);
    const { messages } = res.json();
    assert.equal(messages.length, 2);
    assert.equal(messages[0].channel, 'sms');
    assert.equal(messages[0].kind, 'login-code');
    assert.equal(messages[0].to, '+33611111111');
    assert.equal(messages[0].status, 'pending');
    assert.equal(messages[0].subject, null);
    assert.match(messages[0].text, /10000002/, 'newest first');
    assert.equal(messages[0].data.code, '10000002');
    assert.match(messages[1].text, /10000001/);

    const all = (await t.app.inject({ method: 'GET', url: '/dev/outbox' })).json().messages;
    const mail = all.find((m: { to: string }) => m.to === 'other@example.fr');
    assert.equal(mail.subject, 'Votre code de connexion à Mon DMP');
    const page = await t.app.inject({ method: 'GET', url: '/dev/outbox.html' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /10000003/);
    await deliverDueMessages(t.ctx);
  });

  it('runs as a background worker that delivers and stops cleanly', async () => {
    const before = smtp.mails.length;
    const worker = startOutboxWorker(t.ctx, { intervalMs: 10 });
    await enqueue(t, loginByEmail('worker@example.fr', '55555555'));
    for (let i = 0; i < 200 && smtp.mails.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    assert.equal(smtp.mails.length, before + 1);
    assert.match(smtp.mails.at(-1)!.raw, /55555555/);
  });

  it('delivers 100 queued emails to the local SMTP server', async (ctx) => {
    const before = smtp.mails.length;
    await t.ctx.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 100; i++) {
        await enqueueMessage(trx as Kysely<any>, t.ctx.masterKey, loginByEmail(`p${i}@example.fr`, String(20000000 + i)), t.clock.now());
      }
    });
    const started = performance.now();
    const transports = createTransports(t.ctx.config);
    let sent = 0;
    for (let r = await deliverDueMessages(t.ctx, { transports }); r.claimed; r = await deliverDueMessages(t.ctx, { transports })) sent += r.sent;
    await transports.close();
    const ms = performance.now() - started;
    ctx.diagnostic(`100 emails delivered in ${Math.round(ms)} ms (${t.ctx.database.kind})`);
    assert.equal(sent, 100);
    assert.equal(smtp.mails.length, before + 100);
    const ids = new Set(smtp.mails.slice(before).map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]));
    assert.equal(ids.size, 100);
  });

  it('lets several workers run at once without sending a message twice', async () => {
    const before = smtp.mails.length;
    await t.ctx.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 60; i++) {
        await enqueueMessage(trx as Kysely<any>, t.ctx.masterKey, loginByEmail(`w${i}@example.fr`, String(30000000 + i)), t.clock.now());
      }
    });
    const worker = async () => {
      let sent = 0;
      for (let r = await deliverDueMessages(t.ctx, { limit: 7 }); r.claimed; r = await deliverDueMessages(t.ctx, { limit: 7 })) sent += r.sent;
      return sent;
    };
    const counts = await Promise.all([worker(), worker(), worker()]);
    assert.equal(counts.reduce((a, b) => a + b), 60);
    const received = smtp.mails.slice(before).map((m) => m.to[0]);
    assert.equal(received.length, 60);
    assert.equal(new Set(received).size, 60);
  });
});

describe('outbox in production mode (DEV_OUTBOX off)', () => {
  let t: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  before(async () => {
    gateway = await startSmsGateway();
    t = await startTestApp({ env: { DEV_OUTBOX: 'off', SMS_GATEWAY_URL: gateway.url } });
  });
  after(async () => {
    await t.close();
    await gateway.close();
  });

  it('has no /dev/outbox', async () => {
    for (const url of ['/dev/outbox', '/dev/outbox.html', `/dev/outbox/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/letter.pdf`]) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
  });

  it('forgets what a message said once it is sent or given up', async () => {
    const sent = await enqueue(t, loginBySms('+33612345678', '24682468'));
    assert.equal((await deliverDueMessages(t.ctx)).sent, 1);
    assert.equal(gateway.state.requests[0]?.key, sent);
    assert.equal((await row(t, sent)).payload, null);

    gateway.state.status = 400;
    const dead = await enqueue(t, loginBySms('+33612345678', '13571357'));
    assert.equal((await deliverDueMessages(t.ctx)).dead, 1);
    assert.equal((await row(t, dead)).payload, null);
  });
});
