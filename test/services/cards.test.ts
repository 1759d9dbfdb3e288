import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transact } from '../../src/store/db.js';
import { incidents } from '../../src/store/schema.js';
import { CARD_LAYOUT } from '../../src/views/incidentCard.js';
import { SECURITY } from '../integration/harness.js';
import { TestClock } from '../support/clock.js';
import { fileReport, type UnitWorld, unitWorld, type Wired, weekly } from '../support/unitServices.js';

const T0 = new Date('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const CAROL = 'U0CAROL01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const DAVE = 'U0DAVE001';
const CRITICAL_31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

let world: UnitWorld;
let clock: TestClock;
let srp: Wired;

beforeEach(async () => {
  clock = new TestClock(T0);
  world = await unitWorld(clock);
  srp = world.srp;
  world.addPerson(CAROL, 'member', new Date(T0.getTime() - 3 * DAY));
  world.addPerson(ALICE, 'member', new Date(T0.getTime() - 2 * DAY));
  world.addPerson(BOB, 'member', new Date(T0.getTime() - DAY));
  // Alice commands what comes in this week; Carol, the first to join, is the first Fix Lead.
  expect(srp.rotation.configure(CAROL, weekly([ALICE, BOB])).ok).toBe(true);
});
afterEach(() => world.stop());

type Block = { block_id?: string; text?: { text: string }; fields?: Array<{ text: string }> };
/** The text of one block of a card, fields joined. */
function blockText(card: { blocks: unknown[] } | undefined, blockId: string): string {
  const block = (card?.blocks as Block[] | undefined)?.find((b) => b.block_id === blockId);
  if (!block) throw new Error(`the card has no ${blockId} block`);
  return [block.text?.text, ...(block.fields ?? []).map((f) => f.text)].filter(Boolean).join('\n');
}

const cardRow = (id: string) => srp.store.dueWork.get(`card:${id}`);

describe('the incident card', () => {
  it('is a projection: it shows the roles and, once a CVSS is recorded, the severity', () => {
    const id = fileReport(srp, clock);
    expect(blockText(srp.cards.render(id), 'severity')).toMatch(/CVSS: _not scored_/);

    expect(srp.severity.recordCvss(CAROL, id, CRITICAL_31).outcome.ok).toBe(true);

    const card = srp.cards.render(id);
    expect(card?.text).toBe(`New vulnerability report ${id}`);
    expect(blockText(card, 'roles')).toContain(`*Incident commander*\n<@${ALICE}>`);
    expect(blockText(card, 'roles')).toContain(`*Fix Lead*\n<@${CAROL}>`);
    expect(blockText(card, 'severity')).toContain('*Severity* *Critical*');
    expect(blockText(card, 'severity')).toContain(`9.8 Critical (\`${CRITICAL_31}\`)`);
    expect(srp.cards.render('SRP-2026-404')).toBeUndefined();
  });

  it('is marked stale by any timeline event, in the transaction that records it', async () => {
    const id = fileReport(srp, clock);
    await srp.runner.run([`card:${id}`]);
    const drawn = cardRow(id);
    expect(drawn).toMatchObject({ state: 'done' });
    if (!drawn) return;

    // A change that rolls back takes its event and the card's re-arm with it.
    clock.advance(60_000);
    expect(() =>
      transact(srp.db, () => {
        srp.store.roles.addToFixTeam(id, DAVE, ALICE, clock.now());
        throw new Error('the request failed after the change');
      }),
    ).toThrow('the request failed');
    expect(srp.store.roles.fixTeam(id)).toEqual([]);
    expect(cardRow(id)).toEqual(drawn);

    expect(srp.store.roles.addToFixTeam(id, DAVE, ALICE, clock.now())).toBe(true);
    expect(cardRow(id)).toMatchObject({
      state: 'pending',
      generation: drawn.generation + 1,
      runAt: clock.now(),
      attempts: 0,
      doneAt: null,
    });
  });

  it('is posted by the first redraw and edited in place by the next', async () => {
    const id = fileReport(srp, clock);
    await srp.cards.redraw(id, `card:${id}`);
    srp.store.roles.addToFixTeam(id, DAVE, ALICE, clock.now());
    await srp.cards.redraw(id, `card:${id}`);

    const messages = world.fake.messages(SECURITY);
    expect(messages).toHaveLength(1);
    expect(world.fake.okCallsTo('chat.postMessage')).toHaveLength(1);
    expect(world.fake.okCallsTo('chat.update')).toHaveLength(1);
    expect(messages[0]?.text).toBe(`New vulnerability report ${id}`);
    expect(blockText({ blocks: messages[0]?.blocks ?? [] }, 'roles')).toContain(`*Fix Team*\n<@${DAVE}>`);
  });

  it('redraws nothing for an incident that does not exist', async () => {
    await srp.cards.redraw('SRP-2026-404', 'card:SRP-2026-404');
    expect(world.fake.calls).toEqual([]);
  });

  it('after a layout change marks every open card stale once, and nothing the second time', async () => {
    const [a, b, closed] = [fileReport(srp, clock), fileReport(srp, clock), fileReport(srp, clock)] as [
      string,
      string,
      string,
    ];
    srp.db.update(incidents).set({ phase: 'closed' }).where(eq(incidents.id, closed)).run();
    await srp.runner.drain();
    // As if the cards were drawn by the previous release.
    srp.store.meta.set('card_layout', String(CARD_LAYOUT - 1));
    const before = new Map([a, b, closed].map((id) => [id, cardRow(id)]));

    expect(await srp.cards.refreshLayout()).toBe(2);
    for (const id of [a, b]) {
      expect(cardRow(id)).toMatchObject({
        state: 'pending',
        generation: (before.get(id)?.generation ?? Number.NaN) + 1,
      });
    }
    expect(cardRow(closed)).toEqual(before.get(closed));
    expect(srp.store.meta.get('card_layout')).toBe(String(CARD_LAYOUT));

    const marked = new Map([a, b, closed].map((id) => [id, cardRow(id)]));
    expect(await srp.cards.refreshLayout()).toBe(0);
    for (const id of [a, b, closed]) expect(cardRow(id)).toEqual(marked.get(id));
  });
});
