import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { DOMINIQUE, signedInPatient } from '../helpers/patients';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * «Ma santé» and «Volontés et droits» in Chromium, for the demo patient Dominique PAT-TROIS
 * (signed up and signed in through the API, then the session cookies are given to the
 * browser): add an allergy (after a refused empty form), change it, add and delete a vaccine,
 * name a trusted person, and read the médecin traitant. Set E2E_SCREENSHOTS=<folder> to keep
 * a PNG of each screen.
 */

describe('«Ma santé» and «Volontés et droits» in Chromium', () => {
  // The tests follow one another like one person's visit: each starts where the previous one ended.
  let s: BrowserSession;
  let page: Page;
  const shots = process.env.E2E_SCREENSHOTS;

  before(async () => {
    s = await startBrowserSession();
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    const patient = await signedInPatient(s.t, DOMINIQUE);
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

  async function arrive(url: RegExp, heading: string | RegExp): Promise<void> {
    await page.waitForURL(url);
    await page.locator('main h1', { hasText: heading }).waitFor();
  }

  async function shot(name: string): Promise<void> {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  /**
   * Waits until the field `id` has the focus. Polled from here: a string given to
   * waitForFunction is evaluated by the page, which our CSP (no 'unsafe-eval') refuses.
   */
  async function focusOn(id: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (String(await page.evaluate('document.activeElement && document.activeElement.id')) !== id) {
      assert.ok(Date.now() < deadline, `the focus goes to #${id}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The text of a section of the list screen, found by its heading. */
  async function section(heading: string): Promise<string> {
    return (await page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true }) }).textContent()) ?? '';
  }

  it('opens «Ma santé» from the home of the record: four empty lists', async () => {
    await page.goto(s.baseUrl + '/mon-dmp');
    await page.getByRole('link', { name: /Ma santé/ }).click();
    await arrive(/\/mon-dmp\/sante$/, 'Ma santé');
    for (const heading of ['Mes maladies et problèmes de santé', 'Mes allergies', 'Mes traitements', 'Mes vaccins']) {
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
    }
    assert.match(await section('Mes allergies'), /Je n'ai ajouté aucune allergie/);
    await shot('sante-1-vide');
  });

  it('adds an allergy: an empty form is refused next to the field, then it is listed', async () => {
    await page.getByRole('link', { name: 'Ajouter une allergie' }).click();
    await arrive(/\/mon-dmp\/sante\/allergie\/ajouter$/, 'Ajouter une allergie');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await focusOn('champ-substance');
    assert.equal(await page.getAttribute('#champ-substance', 'aria-invalid'), 'true');
    assert.match((await page.textContent('form')) ?? '', /Écrivez ce qui vous donne une allergie/);
    await shot('sante-2-allergie-erreur');

    await page.getByLabel('Ce qui me donne une allergie').fill('Pénicilline');
    await page.getByLabel("Ce qui m'arrive (facultatif)").fill('Plaques rouges sur tout le corps');
    await page.getByText('Modérée', { exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await arrive(/\/mon-dmp\/sante$/, 'Ma santé');
    assert.match(await page.textContent('main') ?? '', /C'est enregistré : « Pénicilline »/);
    const allergies = await section('Mes allergies');
    assert.match(allergies, /Pénicilline/);
    assert.match(allergies, /Plaques rouges sur tout le corps/);
    assert.match(allergies, /Gravité : modérée/);
    await shot('sante-3-allergie-ajoutee');
  });

  it('changes the allergy on its own screen', async () => {
    await page.getByRole('link', { name: 'Modifier : Pénicilline' }).click();
    await arrive(/\/allergie\/[0-9a-f-]+\/modifier$/, 'Modifier une allergie');
    assert.equal(await page.inputValue('#champ-substance'), 'Pénicilline', 'the form shows what was written');
    await page.getByText('Grave', { exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await arrive(/\/mon-dmp\/sante$/, 'Ma santé');
    assert.match(await section('Mes allergies'), /Gravité : grave/);
  });

  it('adds a vaccine and deletes it after saying yes', async () => {
    await page.getByRole('link', { name: 'Ajouter un vaccin' }).click();
    await arrive(/\/vaccin\/ajouter$/, 'Ajouter un vaccin');
    await page.getByLabel('Nom du vaccin').fill('Grippe saisonnière');
    await page.getByLabel('Date du vaccin').fill('2025-10-15');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await arrive(/\/mon-dmp\/sante$/, 'Ma santé');
    assert.match(await section('Mes vaccins'), /Grippe saisonnière.*Date : 15\/10\/2025/s);

    await page.getByRole('link', { name: 'Supprimer : Grippe saisonnière' }).click();
    await arrive(/\/vaccin\/[0-9a-f-]+\/supprimer$/, 'Supprimer ce vaccin');
    assert.match(await page.textContent('main') ?? '', /Je supprime ce vaccin de mon DMP \?/);
    await shot('sante-4-supprimer');
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await arrive(/\/mon-dmp\/sante$/, 'Ma santé');
    assert.match(await section('Mes vaccins'), /Je n'ai ajouté aucun vaccin/);
    assert.match(await section('Mes allergies'), /Pénicilline/, 'the allergy is still there');
  });

  it('names a trusted person in «Volontés et droits» and reads the médecin traitant', async () => {
    await page.goto(s.baseUrl + '/mon-dmp');
    await page.getByRole('link', { name: /Volontés et droits/ }).click();
    await arrive(/\/mon-dmp\/volontes$/, 'Volontés et droits');
    assert.match(await section('Mon médecin traitant'), /Dr Claire MARTIN.*Médecin, médecine générale/s);
    assert.match(await section('Mes directives anticipées'), /Je n'ai pas encore écrit mes directives anticipées/);
    await shot('volontes-1-vide');

    await page.getByRole('link', { name: 'Ajouter ma personne de confiance' }).click();
    await arrive(/\/volontes\/personne-de-confiance\/ajouter$/, 'Ajouter ma personne de confiance');
    await page.getByLabel('Prénom et nom').fill('Camille Lenoir');
    await page.getByLabel('Son lien avec moi').fill('sœur');
    await page.getByLabel('Téléphone').fill('06 12 34');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    // The server's message, next to the field.
    await focusOn('champ-phone');
    assert.match((await page.textContent('form')) ?? '', /Écrivez un numéro de téléphone/);
    await page.getByLabel('Téléphone').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Enregistrer' }).click();

    await arrive(/\/mon-dmp\/volontes$/, 'Volontés et droits');
    const trusted = await section('Ma personne de confiance');
    assert.match(trusted, /Camille Lenoir/);
    assert.match(trusted, /Lien : sœur/);
    assert.match(trusted, /Téléphone : 06 12 34 56 78/);
    assert.equal(await page.getByRole('link', { name: 'Ajouter ma personne de confiance' }).count(), 0, 'only one trusted person');
    await shot('volontes-2-personne-de-confiance');
    // The browser logs the two refusals asked for on purpose (empty allergy, short phone number); nothing else.
    const refusals = s.problems.filter((p) => /status of 400/.test(p));
    assert.equal(refusals.length, 2);
    assert.deepEqual(s.problems.filter((p) => !refusals.includes(p)), [], 'no other console error, no blocked or failed request');
  });
});
