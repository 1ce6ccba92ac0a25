import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { lastCode } from '../helpers/outbox';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * A new password is judged on what was typed last (#13 point 5): right after a weak one, a good
 * one is accepted on the first click, even when the click comes before the live verdict (drawn
 * a moment after the typing stops) has caught up. Here on «J'ai oublié mon mot de passe»; the
 * first-login step uses the same fields and check (patient-journey.test.ts).
 */

const WEAK = 'azerty';
const GOOD = 'Galet-Mistral-Cerfeuil-77';

describe('a new password in Chromium: the value sent is the value checked', () => {
  let s: BrowserSession;
  let page: Page;
  let loginId = '';

  before(async () => {
    s = await startBrowserSession({ env: { DEV_OUTBOX: 'on' } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    loginId = (await signedInPatient(s.t, DOMINIQUE)).loginId;
    page = await s.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  after(async () => s.close());

  async function resetForm(): Promise<void> {
    await page.goto(s.baseUrl + '/mot-de-passe-oublie');
    await page.locator('main h1', { hasText: "J'ai oublié mon mot de passe" }).waitFor();
    await page.locator('input[name="loginId"]').fill(loginId);
    await page.locator('input[name="nir"]').fill(DOMINIQUE.nir);
    await page.getByRole('button', { name: 'Recevoir un code' }).click();
    await page.waitForURL(/\/mot-de-passe-oublie\/code$/);
    await page.locator('main h1', { hasText: 'Choisir un nouveau mot de passe' }).waitFor();
    await page.locator('input[name="code"]').fill(await lastCode(s.t.ctx, 'password-reset-code', DOMINIQUE.email));
  }

  it('a weak password refused, then a good one typed and sent at once: accepted on the first click', async () => {
    await resetForm();
    const field = page.locator('input[name="newPassword"]');
    await field.fill(WEAK);
    await page.getByText("Ce mot de passe n'est pas assez sûr", { exact: false }).waitFor();
    await page.locator('input[name="newPasswordConfirmation"]').fill(WEAK);
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page.locator('#champ-newPassword[aria-invalid="true"]').waitFor();

    // The good one, pasted in both fields, and the button pressed straight away.
    await field.fill(GOOD);
    await page.locator('input[name="newPasswordConfirmation"]').fill(GOOD);
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page.waitForURL(/\/mot-de-passe-oublie\/termine$/, { timeout: 5_000 }).catch(async () => {
      assert.fail(`the good password was refused: ${(await page.textContent('main'))?.replace(/\s+/g, ' ')}`);
    });
    await page.locator('main h1', { hasText: 'Mon mot de passe est changé' }).waitFor();
  });

  it('a good password typed over a weak one is not refused by the weak one’s verdict', async () => {
    await resetForm();
    const field = page.locator('input[name="newPassword"]');
    await field.fill(WEAK);
    await page.getByText("Ce mot de passe n'est pas assez sûr", { exact: false }).waitFor();
    // Both fields filled before the verdict on the good one is drawn.
    await page.locator('input[name="newPasswordConfirmation"]').fill(GOOD + '-2');
    await field.fill(GOOD + '-2');
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page.waitForURL(/\/mot-de-passe-oublie\/termine$/, { timeout: 5_000 }).catch(async () => {
      assert.fail(`the good password was refused: ${(await page.textContent('main'))?.replace(/\s+/g, ' ')}`);
    });
    assert.deepEqual(s.problems, [], 'no console error, no failed request');
  });
});
