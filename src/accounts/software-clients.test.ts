import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redirectUriProblem } from './software-clients';

describe('redirect URIs of practice software (RFC 8252)', () => {
  it('accept the loopback address on any port, claimed https URIs and private-use schemes', () => {
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://127.0.0.1/cb', 'http://[::1]:9000/cb', 'https://logiciel.editeur.fr/oauth/retour', 'fr.editeur.logiciel:/callback']) {
      assert.equal(redirectUriProblem(uri), null, uri);
    }
  });

  it('refuse what another program could receive, or what is no address', () => {
    const refused: [string, RegExp][] = [
      ['http://localhost:8765/callback', /loopback/],
      ['http://logiciel.example.fr/callback', /loopback/],
      ['https://127.0.0.1/callback', /use http/],
      ['http://127.0.0.1:8765/callback#frag', /fragment/],
      ['http://user:pw@127.0.0.1/cb', /credentials/],
      ['javascript:alert(1)', /javascript scheme/],
      ['monlogiciel:/callback', /reverse domain/],
      ['/callback', /absolute/],
    ];
    for (const [uri, problem] of refused) assert.match(redirectUriProblem(uri) ?? '', problem, uri);
  });
});
