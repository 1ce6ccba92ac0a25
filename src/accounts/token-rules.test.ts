import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { factsOf, isAccessTokenType, isBearerTokenType, judgeToken, type TokenFacts } from './token-rules';

const ISSUER = 'https://psc.example.fr/realms/esante';
const FHIR = 'https://dmp.example.fr/fhir';
const NOW = 1_800_000_000;
const fhir = { issuer: ISSUER, audience: { resource: FHIR } };
const own = { issuer: ISSUER, audience: { client: 'opendmp' } };
const good: TokenFacts = { issuer: ISSUER, audiences: [FHIR], clientId: 'lgc-1', expiresAt: NOW + 60, accessToken: true };

describe('access token rules', () => {
  it('accept a token for the FHIR resource, issued to a client, not expired', () => {
    assert.equal(judgeToken(good, fhir, NOW), null);
    assert.equal(judgeToken({ ...good, audiences: ['https://autre.example.fr', FHIR] }, fhir, NOW), null, 'one of several audiences');
  });

  it('name each reason for a refusal', () => {
    assert.equal(judgeToken({ ...good, issuer: 'https://autre.example.fr' }, fhir, NOW), 'foreign-issuer');
    assert.equal(judgeToken({ ...good, accessToken: false }, fhir, NOW), 'not-access-token');
    assert.equal(judgeToken({ ...good, expiresAt: NOW }, fhir, NOW), 'expired', 'exp is the first instant it is no longer valid');
    assert.equal(judgeToken({ ...good, audiences: [] }, fhir, NOW), 'audience');
    assert.equal(judgeToken({ ...good, audiences: [`${FHIR}/`] }, fhir, NOW), 'audience', 'compared exactly');
    assert.equal(judgeToken({ ...good, clientId: undefined }, fhir, NOW), 'client');
  });

  it('accept the service’s own tokens only where the service’s own client is expected', () => {
    const ownToken: TokenFacts = { issuer: undefined, audiences: [], clientId: 'opendmp', expiresAt: NOW + 60, accessToken: true };
    assert.equal(judgeToken(ownToken, own, NOW), null, 'an introspection answer need not repeat the issuer');
    assert.equal(judgeToken(ownToken, fhir, NOW), 'audience');
    assert.equal(judgeToken(good, own, NOW), 'audience', 'a practice software token is for /fhir only');
  });

  it('read aud as a string or a list, and the client from client_id or azp', () => {
    assert.deepEqual(factsOf({ iss: ISSUER, aud: FHIR, client_id: 'a', azp: 'b', exp: 5 }, true), {
      issuer: ISSUER, audiences: [FHIR], clientId: 'a', expiresAt: 5, accessToken: true,
    });
    assert.deepEqual(factsOf({ aud: [FHIR, 7], azp: 'b' }, true), { issuer: undefined, audiences: [FHIR], clientId: 'b', expiresAt: undefined, accessToken: true });
    assert.equal(factsOf({ client_id: '' }, true).clientId, undefined);
  });

  it('tell access tokens from other tokens', () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'JWT', undefined]) assert.equal(isAccessTokenType(typ), true, String(typ));
    for (const typ of ['logout+jwt', 'secevent+jwt', 'dpop+jwt', 7]) assert.equal(isAccessTokenType(typ), false, String(typ));
    assert.equal(isBearerTokenType('Bearer'), true);
    for (const type of ['refresh_token', undefined, 'DPoP']) assert.equal(isBearerTokenType(type), false, String(type));
  });
});
