import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryStore } from '../../src/store/advisory.js';
import {
  ADMIN,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  workspace,
} from './harness.js';

/**
 * The advisory record, as a committee meets it: `/srp disclose` (or the card's button) opens it for the
 * incident's commander and Fix Lead; each save is a version with one timeline event per changed field;
 * an edit after approval voids it and cancels a scheduled announcement, and the card's thread says so.
 */

const B = 'UMEMBER002';
const FIXER = 'UFIXER0001';

let h: Harness;
beforeEach(async () => {
  const ws = workspace();
  ws.users = [
    ...(ws.users ?? []),
    { id: B, name: 'bea', tz: 'Europe/Berlin' },
    { id: FIXER, name: 'fixer', tz: 'UTC' },
  ];
  h = await startHarness({ fake: ws, env: { SRP_ADMINS: `${ADMIN},${B}` } });
});
afterEach(async () => {
  await h.stop();
});

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json?.text as string;
const cardOf = (id: string) => h.fake.messages(SECURITY).find((m) => m.text.endsWith(id));
const thread = (id: string) => {
  const ts = cardOf(id)?.ts;
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};
const events = (id: string, type: string) =>
  h.srp.services.incidents.timeline(id).filter((e) => e.type === type);
const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

/** An incident with ADMIN in command, B its Fix Lead and FIXER (not on the committee) on its Fix Team. */
async function incident(): Promise<string> {
  // Filed by a member, who enters the reporter's name (a reporter filing in Slack is not asked it).
  const id = await fileReport(h, { userId: ADMIN });
  await say(ADMIN, `ic ${id} take I am on call`);
  await say(ADMIN, `fixlead ${id} <@${B}> knows the kubelet`);
  await say(ADMIN, `fixteam ${id} add <@${FIXER}>`);
  await settled(h);
  return id;
}

/** Opens the record's form with `open` and returns the modal it opened. */
async function opens(open: () => Promise<unknown>) {
  const before = h.fake.okCallsTo('views.open').length;
  await open();
  const call = await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[before]);
  return (call.response as { view: { id: string; blocks: Array<Record<string, unknown>> } }).view;
}

/** The form's first values, as Slack would send them back untouched, with `patch` typed over them. */
function typed(view: { blocks: Array<Record<string, unknown>> }, patch: Record<string, string | null> = {}) {
  const values: Record<string, Record<string, object>> = {};
  for (const b of view.blocks) {
    if (b.type !== 'input') continue;
    const initial = (b.element as { initial_value?: string }).initial_value ?? null;
    values[b.block_id as string] = text(initial);
  }
  for (const [k, v] of Object.entries(patch)) values[k] = text(v);
  return values;
}

describe('the advisory record', () => {
  it('the commander opens it prefilled from the report, saves it with one event per field, and an edit of one field is one event', async () => {
    const id = await incident();
    const view = await opens(() =>
      h.driver.command(`disclose ${id}`, { userId: ADMIN, channelId: SECURITY }),
    );
    const initial = typed(view);
    expect(initial.summary).toEqual(text('Path traversal in kubelet /logs endpoint'));
    expect(initial.reporterCredit).toEqual(text('Ada Lovelace'));
    // The report's "kubelet v1.30.0-v1.32.2" does not read as ranges: offered as typed, to rewrite.
    expect(initial.affected).toEqual(text('kubelet v1.30.0-v1.32.2'));

    const bad = await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values: initial });
    expect(bad.json.response_action).toBe('errors');
    expect(bad.json.errors.affected).toMatch(/^Line 1 reads "component \[introduced\] < fixed \[PR\]"/);
    expect(h.srp.services.incidents.timeline(id).some((e) => e.type.startsWith('advisory'))).toBe(false);

    const first = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: typed(view, {
        affected: 'kubelet 1.30.0 < 1.30.5 #123\nkubelet 1.31.0 < 1.31.2',
        mitigation: 'Block /logs.',
      }),
    });
    expect(first.json.response_action).toBe('update');
    expect(JSON.stringify(first.json.view)).toContain(
      `${id}: the advisory record is saved as version 1 (4 fields changed).`,
    );
    expect(events(id, 'advisory_created')).toHaveLength(1);
    expect(
      events(id, 'advisory_edited')
        .map((e) => e.field)
        .sort(),
    ).toEqual(['affected', 'mitigation', 'reporterCredit', 'summary']);
    await settled(h);
    expect(JSON.stringify(cardOf(id)?.blocks)).toMatch(
      /\*Advisory\*: version 1, edited by <@UADMIN0001> <!date\^/,
    );
    // Nothing was voided or cancelled: the thread is not told about an ordinary save.
    expect(thread(id).some((m) => m.text.includes('advisory record changed'))).toBe(false);

    // The Fix Lead opens it again (prefilled from version 1) and changes one field.
    const again = await opens(() => h.driver.command(`disclose ${id}`, { userId: B }));
    const before = events(id, 'advisory_edited').length;
    const second = await h.driver.viewSubmission({
      userId: B,
      viewId: again.id,
      values: typed(again, { mitigation: 'Block /logs at the proxy.' }),
    });
    expect(JSON.stringify(second.json.view)).toContain('version 2 (1 field changed)');
    const edits = events(id, 'advisory_edited').slice(before);
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({
      actor: B,
      field: 'mitigation',
      oldValue: 'Block /logs.',
      newValue: 'Block /logs at the proxy.',
    });
  });

  it('a replayed submission saves once', async () => {
    const id = await incident();
    const view = await opens(() => h.driver.command(`disclose ${id}`, { userId: ADMIN }));
    const values = typed(view, { affected: 'kubelet < 1.30.5' });
    const [a, b] = [
      await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values }),
      await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values }),
    ];
    expect(a.json.response_action).toBe('update');
    expect(JSON.stringify(b.json.view)).toContain('saved as version 1');
    expect(events(id, 'advisory_created')).toHaveLength(1);
    expect(advisoryStore(h.srp.db).latest(id)?.version).toBe(1);
  });

  it('is refused to a Fix Team member who is neither commander nor Fix Lead, on opening and on saving; a bad id is named', async () => {
    const id = await incident();
    expect(await say(FIXER, `disclose ${id}`)).toMatch(
      new RegExp(`Only ${id}'s incident commander or Fix Lead can edit its advisory record`),
    );
    expect(await say(OUTSIDER, `disclose ${id}`)).toMatch(/Security Response Committee/);
    expect(await say(ADMIN, 'disclose SRP-2026-999')).toMatch(/There is no incident SRP-2026-999/);
    expect(await say(ADMIN, 'disclose')).toMatch(/Give the incident id/);
    // A form opened by the commander, submitted by someone else: checked again, nothing saved.
    const view = await opens(() => h.driver.command(`disclose ${id}`, { userId: ADMIN }));
    const res = await h.driver.viewSubmission({
      userId: FIXER,
      viewId: view.id,
      values: typed(view, { affected: 'kubelet < 1.30.5' }),
    });
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors.summary).toMatch(/incident commander or Fix Lead/);
    expect(advisoryStore(h.srp.db).latest(id)).toBeUndefined();
  });

  it('"Prepare disclosure" shows on the card from development on and opens the same form', async () => {
    const id = await incident();
    expect(JSON.stringify(cardOf(id)?.blocks)).not.toContain('srp_disclose_open');
    await say(ADMIN, `accept ${id}`);
    await say(ADMIN, `move ${id} development the Fix Team is working`);
    await settled(h);
    expect(JSON.stringify(cardOf(id)?.blocks)).toContain('Prepare disclosure');
    const view = await opens(() =>
      h.driver.blockAction({ userId: B, actionId: 'srp_disclose_open', channelId: SECURITY, value: id }),
    );
    expect(JSON.stringify(view.blocks)).toContain(`The advisory record of ${id}`);
    // The button re-checks who presses it.
    const refused = await h.driver.blockAction({
      userId: FIXER,
      actionId: 'srp_disclose_open',
      channelId: SECURITY,
      value: id,
    });
    expect(refused.status).toBe(200);
    await h.fake.waitFor(() =>
      h.fake.responses().some((r) => JSON.stringify(r).includes('incident commander or Fix Lead')),
    );
  });

  it('an edit after approval voids it, cancels the scheduled announcement and says so in the card’s thread', async () => {
    const id = await incident();
    const store = advisoryStore(h.srp.db);
    const view = await opens(() => h.driver.command(`disclose ${id}`, { userId: ADMIN }));
    await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: typed(view, { affected: 'kubelet < 1.30.5' }),
    });
    const now = h.srp.services.clock.now();
    store.approve(id, 1, 'hash-1', B, now);
    store.approve(id, 1, 'hash-1', ADMIN, now);
    store.putDisclosure(
      id,
      {
        state: 'scheduled',
        targetAt: new Date(now.getTime() + 86_400_000),
        generation: 1,
        scheduledMessageId: 'Q0123',
      },
      now,
    );

    const again = await opens(() => h.driver.command(`disclose ${id}`, { userId: ADMIN }));
    const res = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: again.id,
      values: typed(again, { detection: 'Look for ../ in kubelet logs.' }),
    });
    expect(JSON.stringify(res.json.view)).toMatch(
      /2 approvals were voided.*scheduled announcement is cancelled/,
    );
    expect(store.standing(id)).toHaveLength(0);
    expect(store.disclosure(id)).toMatchObject({
      state: 'unscheduled',
      generation: 2,
      scheduledMessageId: null,
    });
    expect(events(id, 'approvals_voided')).toHaveLength(1);
    expect(events(id, 'announcement_cancelled')).toHaveLength(1);
    // Slack's scheduled message is the publish service's to withdraw: the work names the new generation,
    // and withdraws every one before it.
    const unschedule = h.srp.db.$client
      .prepare('select kind, payload from due_work where key = ?')
      .get(`announce-unschedule:${id}:2`) as { kind: string; payload: string } | undefined;
    expect(unschedule?.kind).toBe('announce-unschedule');
    expect(JSON.parse(unschedule?.payload ?? '{}')).toMatchObject({ generation: 2 });

    await h.fake.waitFor(() => thread(id).some((m) => JSON.stringify(m.blocks).includes('advisory record')));
    const reply = thread(id).find((m) => JSON.stringify(m.blocks).includes('advisory record'));
    expect(JSON.stringify(reply?.blocks)).toContain(
      `The advisory record of ${id} changed (version 2, by <@${ADMIN}>): 2 approvals voided, the scheduled announcement cancelled.`,
    );
    // Generic words: none of the record's text goes into the reply.
    expect(JSON.stringify(reply)).not.toContain('kubelet');
  });
});
