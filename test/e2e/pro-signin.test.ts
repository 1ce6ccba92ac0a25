import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { freeLocalUrl } from '../helpers/free-port';
import { startBrowserSession, type BrowserSession } from './browser';

/**
 * A doctor signs in with Pro Santé Connect, played by the development provider under /dev/oidc
 * of the same server (so the server listens on the address it announces in PUBLIC_URL).
 */
describe('professional sign-in in Chromium', () => {
  let s: BrowserSession;
  before(async () => {
    const { url } = await freeLocalUrl();
    s = await startBrowserSession({ env: { PUBLIC_URL: url } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
  });
  after(async () => s.close());

  it('goes from «Se connecter avec Pro Santé Connect» to the professional space of Dr Claire MARTIN', async () => {
    const page = await s.newPage();
    await page.goto(s.baseUrl + '/pro');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();

    await page.waitForURL(/\/dev\/oidc\/interaction\//);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByRole('button', { name: /Dr Claire MARTIN/ }).click();

    await page.waitForURL(/\/pro\/espace$/);
    await page.locator('main h1', { hasText: 'Dr Claire MARTIN' }).waitFor();
    assert.match((await page.textContent('main')) ?? '', /Médecin, Médecine générale/);
    assert.deepEqual(s.problems, [], 'no console error, no blocked or failed request (CSP included)');

    // The space finds a patient by INS; here nobody has a DMP yet.
    await page.getByLabel('Matricule INS').fill('2 79 03 51 215 189 89');
    await page.getByLabel('Nom de naissance').fill('PAT-TROIS');
    await page.getByLabel('Premier prénom').fill('Dominique');
    await page.getByLabel('Date de naissance').fill('1979-03-28');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Aucun DMP ne correspond à cette identité.').waitFor();

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/pro$/);
  });

  it('tells an unknown professional why they cannot go in', async () => {
    const page = await s.newPage();
    await page.goto(s.baseUrl + '/pro');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.waitForURL(/\/dev\/oidc\/interaction\//);
    await page.getByLabel('Numéro RPPS (11 chiffres)').fill('19999999998');
    await page.getByRole('button', { name: 'Se connecter avec ce numéro' }).click();
    await page.waitForURL(/\/pro\?erreur=inconnu$/);
    await page.getByRole('heading', { name: "Vous n'êtes pas dans l'annuaire du DMP" }).waitFor();
  });
});
