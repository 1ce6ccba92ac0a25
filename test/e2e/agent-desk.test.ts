import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addAgent } from '../../src/accounts/agent-staff';
import { loadDemoDirectoriesIfEmpty } from '../../src/directory/demo';
import { STRONG_PASSWORD } from '../helpers/patients';
import { startBrowserSession, waitInPage, type BrowserSession } from './browser';

/**
 * The insurance desk in Chromium (DOMAIN.md §2, way 3): a new CPAM agent signs in with the
 * identifier and initial password an operator gave her, types the code from her work mail,
 * chooses her own password, then creates the record of Laurent MOREL, who is at the desk with
 * his carte Vitale, and prints his letter. Set E2E_SCREENSHOTS=<folder> to keep the screens.
 */

const AGENT_EMAIL = 'nadia.benhamou@cpam-rhone.example.fr';

describe('the insurance desk in Chromium', () => {
  let s: BrowserSession;
  let page: Page;
  let agent = { agentId: '', initialPassword: '' };

  before(async () => {
    s = await startBrowserSession({ env: { DEV_OUTBOX: 'on' } });
    await loadDemoDirectoriesIfEmpty(s.t.ctx);
    agent = await addAgent(s.t.ctx, { firstName: 'Nadia', lastName: 'Benhamou', office: 'CPAM du Rhône, accueil de Villeurbanne', email: AGENT_EMAIL });
    page = await s.newPage();
  });
  after(async () => s.close());

  const mainText = async () => ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');
  async function arrive(url: RegExp, heading: string): Promise<void> {
    await page.waitForURL(url);
    await page.locator('main h1', { hasText: heading }).waitFor();
  }
  async function shot(name: string): Promise<void> {
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage: true });
  }
  async function deskCode(): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await page.request.get(`${s.baseUrl}/dev/outbox?to=${encodeURIComponent(AGENT_EMAIL)}`);
      const { messages } = (await response.json()) as { messages: { kind: string; text: string | null }[] };
      const code = /\b(\d{8})\b/.exec(messages.find((m) => m.kind === 'desk-login-code')?.text ?? '')?.[1];
      if (code) return code;
      if (Date.now() > deadline) assert.fail('no desk sign-in code in the outbox');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('signs in from the footer link: identifier, password, then the code sent to her work mail', async () => {
    await page.goto(s.baseUrl + '/');
    await page.getByRole('link', { name: 'Guichet Assurance Maladie' }).click();
    await arrive(/\/agent$/, "Guichet DMP de l'Assurance Maladie");
    await page.getByLabel("Identifiant d'agent").fill(agent.agentId);
    await page.getByLabel('Mot de passe', { exact: true }).fill('Pas-le-bon-mot-de-passe');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByText('Identifiant ou mot de passe incorrect.').waitFor();
    await page.getByLabel('Mot de passe', { exact: true }).fill(agent.initialPassword);
    await shot('guichet-01-connexion');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await arrive(/\/agent\/code$/, 'Code de connexion');
    assert.match(await mainText(), /par mail à n•••••@cpam-rhone\.example\.fr/);
    await page.getByLabel(/code/i).first().fill(await deskCode());
    await page.getByRole('button', { name: 'Ouvrir le guichet' }).click();
  });

  it('must choose her own password first, with the verdict as she types', async () => {
    await arrive(/\/agent\/mot-de-passe$/, 'Choisissez votre mot de passe');
    await page.locator('input[name="newPassword"]').fill('nadia2026');
    await waitInPage(page, (id) => (document.getElementById(id)?.textContent ?? '').includes('12'), 'verdict-mot-de-passe');
    await page.locator('input[name="newPassword"]').fill(STRONG_PASSWORD);
    await page.locator('input[name="newPasswordConfirmation"]').fill(STRONG_PASSWORD);
    await shot('guichet-02-mot-de-passe');
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
  });

  it('creates the record of the insured person at the desk, once he said yes, and prints his letter', async () => {
    await arrive(/\/agent\/guichet$/, "Créer le DMP d'un assuré");
    assert.match(await mainText(), /Guichet de Nadia BENHAMOU, CPAM du Rhône, accueil de Villeurbanne/);
    await page.getByLabel('Numéro de sécurité sociale du patient').fill('1 72 12 69 383 465 62');
    await page.getByLabel('Numéro de série de la carte Vitale').fill('1396 7854 9983 7434');
    await page.getByLabel(/Téléphone portable du patient/).fill('06 39 98 00 05');
    await page.getByRole('button', { name: 'Créer le DMP' }).click();
    await page.getByText('Cochez la case quand le patient a dit oui.').first().waitFor();
    await page.getByLabel("Le patient est d'accord pour créer son DMP").check({ force: true });
    await shot('guichet-03-creer');
    await page.getByRole('button', { name: 'Créer le DMP' }).click();

    await page.locator('main h1', { hasText: 'Le DMP est créé' }).waitFor();
    assert.match(await mainText(), /C'est fait : le DMP de Laurent Henri MOREL est créé\./);
    assert.match((await page.getByTestId('login-id').textContent()) ?? '', /[a-z]{3}\d{4}/);
    assert.match((await page.getByTestId('initial-password').textContent()) ?? '', /\S{8,}/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le courrier pour le patient' }).click(),
    ]);
    const pdf = await readFile((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    await shot('guichet-04-cree');
  });

  it('starts again for the next person, and a second record for the same person is refused', async () => {
    await page.getByRole('button', { name: 'Créer un autre DMP' }).click();
    await page.locator('main h1', { hasText: "Créer le DMP d'un assuré" }).waitFor();
    assert.equal(await page.getByLabel('Numéro de sécurité sociale du patient').inputValue(), '', 'nothing of the previous person stays');
    await page.getByLabel('Numéro de sécurité sociale du patient').fill('172126938346562');
    await page.getByLabel('Numéro de série de la carte Vitale').fill('1396785499837434');
    await page.getByLabel(/Téléphone portable du patient/).fill('0639980005');
    await page.getByLabel("Le patient est d'accord pour créer son DMP").check({ force: true });
    await page.getByRole('button', { name: 'Créer le DMP' }).click();
    await page.getByText('Un DMP existe déjà pour cette personne.').waitFor();
  });

  it('signs out back to the desk sign-in, and nothing went wrong in the page', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await arrive(/\/agent$/, "Guichet DMP de l'Assurance Maladie");
    await page.goto(s.baseUrl + '/agent/guichet');
    await arrive(/\/agent$/, "Guichet DMP de l'Assurance Maladie");
    assert.deepEqual(s.problems.filter((p) => !/status of 4(00|01|09) /.test(p)), []);
  });
});
