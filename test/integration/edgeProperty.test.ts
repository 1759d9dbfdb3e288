import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextIn, requests, sendSigned } from '../support/edgeRequests.js';
import { ADMIN, type Harness, startHarness } from './harness.js';

/**
 * Generated requests of every kind, well-formed or broken (missing, extra and mistyped fields, nulls,
 * huge strings, other bodies and content types), correctly signed, to the real app over HTTP. A crash
 * anywhere in the app would surface as an unhandled error and fail this file. `npm run fuzz` sends
 * 10,000 of them to srp as a child process.
 */
describe('any correctly signed request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is answered within 3 s and never with a 5xx; srp serves /healthz and /srp afterwards', async () => {
    const generated = requests(contextIn(h.fake, ADMIN));
    await fc.assert(
      fc.asyncProperty(generated, async ({ wire, intact }) => {
        const res = await sendSigned(h.driver, wire);
        expect(res.status).toBeLessThan(500);
        expect(res.ms).toBeLessThan(3000);
        // A request left well-formed is taken (200), or has no route (404): never refused as malformed.
        if (intact) expect([200, 404]).toContain(res.status);
      }),
      { numRuns: 300 },
    );
    expect((await fetch(`http://127.0.0.1:${h.srp.port}/healthz`)).status).toBe(200);
    const help = await h.driver.command('help', { userId: ADMIN });
    expect([help.status, typeof help.json?.text]).toEqual([200, 'string']);
  }, 60_000);
});
