import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryError } from './transports';
import { errorLabel, retryDelayMs } from './worker';

describe('outbox worker rules', () => {
  it('waits longer after each failure', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n) / 60_000);
    assert.deepEqual(minutes, [0.5, 2, 10, 60, 180, 360, 720, 720]);
  });

  it('names a failure by its kind and code, never its message', () => {
    const smtp = Object.assign(new Error('550 <camille@example.fr> unknown'), { code: 'EENVELOPE', responseCode: 550 });
    assert.equal(errorLabel(smtp), 'Error:EENVELOPE:550');
    assert.equal(errorLabel(new DeliveryError('sms-gateway-500')), 'DeliveryError:sms-gateway-500');
    assert.equal(errorLabel('boom'), 'Unknown');
  });
});
