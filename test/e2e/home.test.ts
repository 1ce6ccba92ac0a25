import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBrowserSession, type BrowserSession } from './browser';

describe('home page in Chromium', () => {
  let s: BrowserSession;
  before(async () => {
    s = await startBrowserSession();
  });
  after(async () => s.close());

  it('says what the DMP is and leads to «Créer mon DMP»', async () => {
    const page = await s.newPage();
    await page.goto(s.baseUrl + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    const text = await page.textContent('main');
    assert.match(text ?? '', /Le DMP est un carnet de santé sur internet/);
    for (const entry of ['Créer mon DMP', 'Accéder à mon DMP', 'Espace professionnel']) {
      assert.ok(await page.getByRole('link', { name: entry }).first().isVisible(), `entry «${entry}» is visible`);
    }
    // The design system's stylesheet is loaded from our own origin.
    // (evaluated in the page: a string, since the test itself is compiled without DOM types)
    const font = String(await page.evaluate('getComputedStyle(document.body).fontFamily'));
    assert.match(font, /Marianne/);

    await page.getByRole('link', { name: 'Créer mon DMP' }).first().click();
    await page.waitForURL(/\/creer$/);
    // The address changes before the new page is drawn: wait for its heading, not just the URL.
    await page.locator('main h1', { hasText: 'Créer mon DMP' }).waitFor();
    assert.match((await page.textContent('main h1')) ?? '', /Créer mon DMP/);
    assert.deepEqual(s.problems, [], 'no console error, no blocked or failed request');
  });
});
