import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { traceEvent } from '../../src/audit/recorder';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * «Historique des accès» and «Mes notifications» in Chromium, for the demo patient Dominique
 * PAT-TROIS (signed up and signed in through the API, the session cookies given to the browser):
 * the history lists the events in sentences with the verified mark, a refusal has its badge, the
 * filters work, the CSV downloads; the notification switches are saved.
 * Set E2E_SCREENSHOTS=<folder> to keep a PNG of each screen.
 */

describe('«Historique des accès» in Chromium', () => {
  let s: BrowserSession;
  let page: Page;
  const shots = process.env.E2E_SCREENSHOTS;

  before(async () => {
    s = await startBrowserSession();
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const patient = await signedInPatient(s.t, DOMINIQUE);
    const pro = { recordId: patient.recordId, actorKind: 'professional' as const, actorId: '10001234565' };
    await traceEvent(s.t.ctx, { ...pro, action: 'read-list', allowed: true, rule: 'authorized-care-team', personal: { actorName: 'Dr Claire Martin', profession: 'G15_10' } });
    await traceEvent(s.t.ctx, { ...pro, actorId: '10009876543', action: 'read-list', allowed: false, rule: 'blocked-professional', personal: { actorName: 'Dr Jean Bloqué', profession: 'G15_10' } });
    page = await s.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const cookies = [...patient.client.cookies].filter(([name]) => name === 'dmp_session' || name === 'dmp_csrf');
    assert.equal(cookies.length, 2, 'the API client holds a session and a CSRF token');
    await page.context().addCookies(
      cookies.map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', httpOnly: name === 'dmp_session', sameSite: 'Strict' as const })),
    );
    if (shots) mkdirSync(shots, { recursive: true });
  });
  after(async () => s.close());

  const shot = async (name: string) => {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  const mainText = async () => (await page.textContent('main')) ?? '';

  it('opens the history from the home of the record: sentences, the verified mark, a refused attempt', async () => {
    await page.goto(s.baseUrl + '/mon-dmp');
    await page.getByRole('link', { name: /Historique des accès/ }).click();
    await page.waitForURL(/\/mon-dmp\/historique$/);
    await page.locator('main h1', { hasText: 'Historique des accès' }).waitFor();
    await page.getByText('Historique vérifié : intact').waitFor();
    const items = page.locator('.dmp-history-list > li');
    await items.first().waitFor();
    assert.ok((await items.count()) >= 3, 'the creation, the login… and the two events above');
    const text = await mainText();
    assert.match(text, /Dr Claire Martin, médecin, a consulté la liste de vos documents le 12 mars 2026 à 10 h 00, en tant que membre de votre équipe de soins\./);
    assert.match(text, /Vous avez créé votre DMP en ligne le 12 mars 2026/);
    const refused = page.locator('.dmp-history-list > li.dmp-history-refused');
    assert.equal(await refused.count(), 1);
    assert.match((await refused.textContent()) ?? '', /Accès refusé.*Dr Jean Bloqué, médecin, a tenté de consulter la liste de vos documents .* accès refusé : vous l’aviez bloqué\./);
    await shot('historique-1-liste');
  });

  it('filters by who, then shows everything again', async () => {
    await page.getByLabel('Qui').selectOption({ label: 'Professionnel de santé' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/qui=professional/);
    await page.getByRole('heading', { name: '2 événements' }).waitFor();
    assert.doesNotMatch(await mainText(), /Vous avez créé/);
    await shot('historique-2-filtre');
    await page.getByRole('button', { name: 'Tout afficher' }).click();
    await page.waitForURL(/\/mon-dmp\/historique$/);
    await page.getByText(/Vous avez créé votre DMP/).waitFor();
  });

  it('downloads the whole history as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger (CSV)' }).click()]);
    assert.match(download.suggestedFilename(), /^historique-dmp-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /^\uFEFFN°;Date et heure \(heure de Paris\);/);
    assert.match(csv, /Dr Jean Bloqué/);
  });

  it('saves the notification switches', async () => {
    await page.getByRole('link', { name: /Choisir les messages que je reçois/ }).click();
    await page.waitForURL(/\/mon-dmp\/notifications$/);
    await page.locator('main h1', { hasText: 'Mes notifications' }).waitFor();
    const sms = page.locator('#notif-new-document-sms-input');
    assert.equal(await sms.isChecked(), true, 'everything is on at first');
    await page.locator('label[for="notif-new-document-sms-input"]').click();
    assert.equal(await sms.isChecked(), false);
    await shot('notifications-1');
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.getByText('Mes choix sont enregistrés.').waitFor();
    await page.reload();
    await page.locator('#notif-new-document-sms-input').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#notif-new-document-sms-input').isChecked(), false, 'kept');
    assert.equal(await page.locator('#notif-new-document-email-input').isChecked(), true);
    await shot('notifications-2');
    assert.deepEqual(s.problems, []);
  });
});
