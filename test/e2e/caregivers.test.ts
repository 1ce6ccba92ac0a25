import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * Proches aidants in Chromium (DOMAIN.md §1): Dominique invites Camille on «Mes proches aidants»;
 * Camille accepts on «J'ai reçu une invitation» with the code from the email, gets a caregiver
 * login, signs in at «Accéder à mon DMP» with the SMS code, and sees Dominique's documents,
 * without «Gestion du DMP» nor the history.
 */

const EMAIL = 'camille.aidant@example.org';
const MOBILE = '+33611223344';
const PASSWORD = 'Galet-Fougère-Lanterne-73';
const NOTE_TITLE = 'Mes rendez-vous de cardiologie';

type OutboxEntry = { id: string; kind: string; text: string | null };

describe('proches aidants, in Chromium: invitation, acceptance, reading', () => {
  let s: BrowserSession;
  let patient: Page;
  let aidant: Page;
  let loginId = '';

  before(async () => {
    s = await startBrowserSession({ env: { DEV_OUTBOX: 'on' } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const dominique = await signedInPatient(s.t, DOMINIQUE);
    const note = await dominique.client.post(`/api/records/${dominique.recordId}/notes`, { title: NOTE_TITLE, text: 'Le 3 avril.' });
    assert.equal(note.statusCode, 201, note.body);
    patient = await s.newPage();
    const cookies = [...dominique.client.cookies].filter(([name]) => name === 'dmp_session' || name === 'dmp_csrf');
    await patient.context().addCookies(
      cookies.map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', httpOnly: name === 'dmp_session', sameSite: 'Strict' as const })),
    );
    aidant = await s.browser.newContext().then((c) => c.newPage());
  });
  after(async () => s.close());

  async function message(page: Page, to: string, kind: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await page.request.get(`${s.baseUrl}/dev/outbox?to=${encodeURIComponent(to)}`);
      assert.equal(response.status(), 200);
      const { messages } = (await response.json()) as { messages: OutboxEntry[] };
      const found = messages.find((m) => m.kind === kind && m.text !== null);
      if (found) return found.text!;
      if (Date.now() > deadline) assert.fail(`no «${kind}» message to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('Dominique invites Camille from «Gestion du DMP»', async () => {
    await patient.goto(s.baseUrl + '/mon-dmp/gestion');
    await patient.locator('main h1', { hasText: 'Gestion du DMP' }).waitFor();
    await patient.getByRole('link', { name: /inviter ou retirer mes proches aidants/ }).click();
    await patient.locator('main h1', { hasText: 'Mes proches aidants' }).waitFor();
    await patient.getByText("Je n'ai pas encore de proche aidant.").waitFor();
    await patient.getByLabel('Son prénom').fill('Camille');
    await patient.getByLabel('Son nom').fill('Aidant');
    await patient.getByLabel(/Son adresse mail/).fill(EMAIL);
    await patient.getByRole('button', { name: 'Inviter ce proche' }).click();
    await patient.getByText(/Camille Aidant va recevoir un mail/).waitFor();
    await patient.getByRole('heading', { name: 'Camille Aidant' }).waitFor();
  });

  it('Camille accepts with the code from the email and gets a caregiver login', async () => {
    const text = await message(aidant, EMAIL, 'caregiver-invitation');
    const code = /([A-Z0-9]{4} [A-Z0-9]{4} [A-Z0-9]{4})/.exec(text)?.[1];
    assert.ok(code, `a code in: ${text}`);
    await aidant.goto(s.baseUrl + '/connexion');
    await aidant.getByRole('link', { name: "J'ai reçu une invitation" }).click();
    await aidant.locator('main h1', { hasText: "J'ai reçu une invitation" }).waitFor();
    await aidant.getByLabel(/Le code d'invitation/).fill(code);
    await aidant.getByLabel(/L'adresse mail qui a reçu l'invitation/).fill(EMAIL);
    await aidant.getByRole('button', { name: 'Continuer' }).click();
    await aidant.getByText(/Dominique PAT-TROIS/).first().waitFor();
    await aidant.getByLabel(/Mon numéro de portable/).fill('06 11 22 33 44');
    // The password inputs' labels carry their hints too: named by field, as in the patient's journey.
    await aidant.locator('input[name="newPassword"]').fill(PASSWORD);
    await aidant.locator('input[name="newPasswordConfirmation"]').fill(PASSWORD);
    await aidant.getByRole('button', { name: "J'accepte l'invitation" }).click();
    await aidant.getByText("C'est fait : vous êtes proche aidant").waitFor();
    loginId = (await aidant.getByTestId('identifiant-aidant').textContent()) ?? '';
    assert.match(loginId, /^[a-z]{3}\d{4,}$/);
  });

  it('Camille signs in like anyone and sees Dominique’s documents, not the record’s settings', async () => {
    await aidant.getByRole('link', { name: 'Me connecter' }).click();
    await aidant.locator('main h1', { hasText: 'Accéder à mon DMP' }).waitFor();
    await aidant.locator('input[name="loginId"]').fill(loginId);
    await aidant.locator('input[name="password"]').fill(PASSWORD);
    await aidant.getByRole('button', { name: 'Continuer' }).click();
    await aidant.waitForURL(/\/connexion\/code$/);
    const sms = await message(aidant, MOBILE, 'login-code');
    const code = /\b(\d{8})\b/.exec(sms)?.[1];
    assert.ok(code);
    await aidant.locator('input[name="code"]').fill(code);
    await aidant.getByRole('button', { name: 'Accéder à mon DMP' }).click();
    await aidant.getByRole('heading', { level: 1, name: 'Bonjour Camille' }).waitFor();
    assert.equal(await aidant.getByRole('link', { name: /Gestion du DMP/ }).count(), 0);
    assert.equal(await aidant.getByRole('link', { name: /Historique des accès/ }).count(), 0);
    await aidant.getByRole('link', { name: /Mes documents/ }).click();
    await aidant.getByText(NOTE_TITLE).first().waitFor();
    assert.deepEqual(s.problems, []);
  });

  it('Camille, who has no DMP of her own, asks for a new password with her identifier and her email', async () => {
    await aidant.goto(s.baseUrl + '/mot-de-passe-oublie');
    await aidant.getByRole('link', { name: "Je suis proche aidant, je n'ai pas de DMP à mon nom" }).click();
    await aidant.waitForURL(/\/mot-de-passe-oublie\?aidant=1$/);
    await aidant.locator('input[name="loginId"]').fill(loginId);
    await aidant.getByRole('button', { name: 'Recevoir un code' }).click();
    await aidant.getByText("Écrivez votre adresse mail.").first().waitFor();
    await aidant.locator('input[name="email"]').fill(EMAIL);
    await aidant.getByRole('button', { name: 'Recevoir un code' }).click();
    await aidant.waitForURL(/\/mot-de-passe-oublie\/code$/);
    const sms = await message(aidant, MOBILE, 'password-reset-code');
    assert.match(sms, /\b\d{8}\b/);
  });
});
