import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { JULIEN_LEFEBVRE, professionalClient } from '../helpers/professionals';
import { startBrowserSession, waitInPage, type BrowserSession } from './browser';

/**
 * The focus after a confirmation dialog (WCAG 2.4.3, #13 point 4): closed with Escape, with
 * «Fermer» or with «Non», the dialog gives the focus back to the button that opened it; after
 * «Oui», to that button if it is still there, or else to the message that says what was done.
 * A keyboard user never lands on <body>, at the top of the page.
 */

describe('confirmation dialogs give the focus back, in Chromium', () => {
  let s: BrowserSession;
  let page: Page;
  let recordId = '';
  let dominiqueClient: Awaited<ReturnType<typeof signedInPatient>>['client'];

  before(async () => {
    s = await startBrowserSession();
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const dominique = await signedInPatient(s.t, DOMINIQUE);
    recordId = dominique.recordId;
    dominiqueClient = dominique.client;
    // Dr LEFEBVRE has her consent, so «Gestion du DMP» offers to withdraw it.
    const julien = await professionalClient(s.t, JULIEN_LEFEBVRE);
    const consent = await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true });
    assert.equal(consent.statusCode, 200, consent.body);
    const note = await dominique.client.post(`/api/records/${recordId}/notes`, { title: 'Questions pour mon médecin', text: 'Combien de séances ?' });
    assert.equal(note.statusCode, 201, note.body);

    page = await s.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const cookies = [...dominique.client.cookies].filter(([name]) => name === 'dmp_session' || name === 'dmp_csrf');
    await page.context().addCookies(
      cookies.map(([name, value]) => ({ name, value, domain: '127.0.0.1', path: '/', httpOnly: name === 'dmp_session', sameSite: 'Strict' as const })),
    );
  });
  after(async () => {
    await s.close();
  });

  /** Waits until the focus is on the element with this id (or fails, saying where it is). */
  async function focusReturnsTo(id: string): Promise<void> {
    try {
      await waitInPage(page, (wanted) => document.activeElement?.id === wanted, id, 3_000);
    } catch {
      const where = await page.evaluate(() => {
        const e = document.activeElement;
        return e === null ? 'nothing' : `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} «${(e.textContent ?? '').trim().slice(0, 40)}»`;
      });
      assert.fail(`the focus should be on #${id}, it is on ${where}`);
    }
  }

  /** Waits until the focus is on an element of <main> (not <main> itself, not <body>) that says these words. */
  async function focusIsOnText(words: string): Promise<void> {
    await waitInPage(
      page,
      (w) => {
        const e = document.activeElement;
        return e !== null && e.closest('main') !== null && e.tagName !== 'MAIN' && (e.textContent ?? '').includes(w);
      },
      words,
      3_000,
    );
  }

  /** Opens the dialog with the keyboard, as a keyboard user would, and checks it is open. */
  async function openWith(buttonId: string, dialogName: string) {
    await page.focus(`#${buttonId}`);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: dialogName });
    await dialog.waitFor();
    // DSFR moves the focus into the dialog.
    await waitInPage(page, () => document.activeElement?.closest('dialog[open]') != null, '');
    return dialog;
  }

  it('blocking a professional: Escape, «Fermer» and «Non» give the focus back to «Bloquer»', async () => {
    await page.goto(s.baseUrl + '/mon-dmp/gestion/bloquer');
    await page.locator('main h1', { hasText: 'Bloquer un professionnel' }).waitFor();
    await page.getByLabel('Nom du professionnel').fill('lefebvre');
    await page.getByRole('button', { name: 'Chercher' }).click();
    const opener = `bloquer-${JULIEN_LEFEBVRE}`;
    await page.locator(`#${opener}`).waitFor();

    let dialog = await openWith(opener, 'Bloquer ce professionnel ?');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    dialog = await openWith(opener, 'Bloquer ce professionnel ?');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    dialog = await openWith(opener, 'Bloquer ce professionnel ?');
    await dialog.getByRole('button', { name: 'Non, je ne le bloque pas' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);
  });

  it('after «Oui, je le bloque», the button is gone: the focus is on the message that says it is done', async () => {
    const dialog = await openWith(`bloquer-${JULIEN_LEFEBVRE}`, 'Bloquer ce professionnel ?');
    await dialog.getByRole('button', { name: 'Oui, je le bloque' }).click();
    await page.getByText("C'est fait. Julien LEFEBVRE est bloqué : il ne peut plus lire mon DMP.").waitFor();
    await page.getByRole('button', { name: 'Débloquer Julien LEFEBVRE' }).waitFor();
    await focusIsOnText("C'est fait. Julien LEFEBVRE est bloqué");
    // Unblocked again, so that he keeps no block for the next test... and his consent ended with the block.
    await page.getByRole('button', { name: 'Débloquer Julien LEFEBVRE' }).click();
    await page.getByText("C'est fait. Julien LEFEBVRE n'est plus bloqué.").waitFor();
  });

  it('withdrawing an access: Escape and «Non» give the focus back to «Retirer l\'accès»', async () => {
    // The block ended his consent: he declares it again.
    const julien = await professionalClient(s.t, JULIEN_LEFEBVRE);
    assert.equal((await julien.post(`/api/pro/records/${recordId}/consent`, { consent: true })).statusCode, 200);
    await page.goto(s.baseUrl + '/mon-dmp/gestion');
    const opener = `retirer-${JULIEN_LEFEBVRE}`;
    await page.locator(`#${opener}`).waitFor();

    let dialog = await openWith(opener, "Retirer l'accès ?");
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    dialog = await openWith(opener, "Retirer l'accès ?");
    await dialog.getByRole('button', { name: "Non, je garde son accès" }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    dialog = await openWith(opener, "Retirer l'accès ?");
    await dialog.getByRole('button', { name: "Oui, je retire l'accès" }).click();
    await page.getByText("C'est fait. Julien LEFEBVRE n'a plus accès à mon DMP.").waitFor();
    await focusIsOnText("C'est fait. Julien LEFEBVRE n'a plus accès");
  });

  it('removing a caregiver: Escape gives the focus back to «Retirer»; after «Oui», the message has it', async () => {
    const invited = await dominiqueClient.post(`/api/records/${recordId}/caregivers`, { firstName: 'Paul', lastName: 'PAT-TROIS', email: 'paul@example.org' });
    assert.equal(invited.statusCode, 201, invited.body);
    await page.goto(s.baseUrl + '/mon-dmp/gestion/aidants');
    const button = page.getByRole('button', { name: 'Retirer Paul PAT-TROIS' });
    await button.waitFor();
    const opener = await button.getAttribute('id');
    assert.ok(opener, 'the button «Retirer» has an id');

    let dialog = page.getByRole('dialog');
    await page.focus(`#${opener}`);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await waitInPage(page, () => document.activeElement?.closest('dialog[open]') != null, '');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    await page.focus(`#${opener}`);
    await page.keyboard.press('Enter');
    dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Oui, je le retire' }).click();
    await page.getByText("C'est fait. Paul PAT-TROIS n'a plus accès à mon DMP.").waitFor();
    await focusIsOnText("C'est fait. Paul PAT-TROIS n'a plus accès");
  });

  it('deleting a document: Escape and «Non» give the focus back to «Supprimer»', async () => {
    await page.goto(s.baseUrl + '/mon-dmp/documents');
    await page.getByRole('link', { name: 'Questions pour mon médecin' }).click();
    await page.locator('main h1', { hasText: 'Questions pour mon médecin' }).waitFor();
    const opener = await page.getByRole('button', { name: 'Supprimer' }).getAttribute('id');
    assert.ok(opener, 'the button «Supprimer» has an id');

    let dialog = await openWith(opener, 'Supprimer ce document ?');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);

    dialog = await openWith(opener, 'Supprimer ce document ?');
    await dialog.getByRole('button', { name: 'Non, je le garde' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await focusReturnsTo(opener);
    assert.deepEqual(s.problems, [], 'no console error, no failed request');
  });
});
