import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  fileReport,
  type Harness,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/** Who owns a step, through signed requests: the 2018 roles, their queue and nudges, the Release Managers. */

const A = 'UMEMBERAA1';
const B = 'UMEMBERBB2';
const ASSOC = 'UASSOC0001';
/** A Release Manager: not on the committee, not in the security channel. */
const RM = 'URELMGR001';

function people() {
  return workspaceWith(
    [
      { id: A, name: 'ada', tz: 'UTC' },
      { id: B, name: 'bo', tz: 'UTC' },
      { id: ASSOC, name: 'ava', tz: 'UTC' },
      { id: RM, name: 'rem', tz: 'UTC' },
    ],
    [A, B, ASSOC],
  );
}

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** A Tuesday, 10:00 UTC: a report filed now was received at 09:00, so Fix Team organized is due tomorrow 09:00. */
async function start(process: 'src' | 'pst2018', at = '2026-10-20T10:00:00Z') {
  const clock = new TestClock(new Date(at));
  h = await startHarness({
    fake: people(),
    env: { SRP_ADMINS: [ADMIN, A, B].join(','), SRP_PROCESS: process },
    clock,
  });
  await h.driver.command(`members add <@${ASSOC}> associate`, { userId: ADMIN });
  await settled(h);
  return clock;
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json as { text?: string; blocks?: unknown[] };
const sayText = async (userId: string, text: string) => (await say(userId, text)).text ?? '';
const dms = (userId: string) => h.fake.messages(h.fake.dmChannelId(userId)).map((m) => m.text);
const homeText = (userId: string) => JSON.stringify(h.fake.homeView(userId)?.view.blocks ?? []);
const publishes = (userId: string) =>
  h.fake.okCallsTo('views.publish').filter((c) => c.args.user_id === userId).length;
/** Opens `userId`'s Home tab and waits until it is published. */
async function openHome(userId: string) {
  const before = publishes(userId);
  await h.driver.event({
    type: 'app_home_opened',
    user: userId,
    channel: h.fake.dmChannelId(userId),
    tab: 'home',
  });
  await h.fake.waitFor(() => publishes(userId) > before, 5000, `${userId}'s Home tab`);
  return homeText(userId);
}
const card = (id: string) =>
  JSON.stringify(h.fake.messages(SECURITY).find((m) => m.text.endsWith(id) && !m.thread_ts)?.blocks);
const replies = (id: string) => {
  const ts = h.fake.messages(SECURITY).find((m) => m.text.endsWith(id) && !m.thread_ts)?.ts;
  return h.fake.messages(SECURITY).filter((m) => m.thread_ts === ts && m.ts !== ts);
};

describe('the 2018 per-issue roles, under SRP_PROCESS=pst2018', () => {
  it('a Triage queue gives the first report to its top and the second to the next; each is told and on the card', async () => {
    await start('pst2018');
    expect(await sayText(A, 'roles')).toBe('Per-issue roles');
    expect(JSON.stringify((await say(A, 'roles')).blocks)).toContain('*Triage*: not assigned automatically');

    // Plain errors: an unknown role, someone not a member, an associate setting it.
    expect(await sayText(ADMIN, `roles triage queue <@${ASSOC}>`)).toContain(
      'only committee members can hold these roles',
    );
    expect(await sayText(ADMIN, `roles sheepherder queue <@${A}>`)).toContain(
      '"sheepherder" is not a per-issue role',
    );
    expect(await sayText(ADMIN, 'roles triage queue')).toContain('List who holds Triage');
    expect(await sayText(ASSOC, `roles triage queue <@${A}>`)).toContain('Only full members');
    expect(await sayText(ADMIN, `roles triage shuffle <@${A}>`)).toContain(
      'Say `rotation` or `queue` (not "shuffle")',
    );
    expect(await sayText(ADMIN, `roles triage queue <@${A}> bo`)).toContain('"bo" is not a person');
    expect(await sayText(ADMIN, `roles triage queue <@${A}> <@${A}>`)).toContain('listed more than once');
    // A rotation: this week's primary and secondary.
    expect(await sayText(ADMIN, `roles infra rotation <@${B}> <@${A}>`)).toContain(
      'Infra now rotates weekly',
    );
    expect(JSON.stringify((await say(A, 'roles')).blocks)).toMatch(
      /\*Infra\*: weekly rotation of <@UMEMBERBB2>, <@UMEMBERAA1>\. This week \(until <!date\^\d+\^[^>]*>\): primary <@UMEMBER(AA1|BB2)>, secondary <@UMEMBER(AA1|BB2)>\./,
    );
    expect(await sayText(ADMIN, `roles infra queue <@${A}>`)).toContain('Infra is now a queue');

    expect(await sayText(ADMIN, `roles triage queue <@${A}> <@${B}>`)).toBe(
      `Triage is now a queue: <@${A}>, <@${B}>; the top takes the next incident and goes to the bottom.`,
    );
    expect(JSON.stringify((await say(A, 'roles')).blocks)).toContain(
      `*Triage*: queue of <@${A}>, <@${B}>. Next incident: <@${A}>, then <@${B}>.`,
    );

    const first = await fileReport(h);
    const second = await fileReport(h);
    expect(h.srp.services.owners.perIncident(first)).toEqual({ triage: A, infra: A });
    expect(h.srp.services.owners.perIncident(second)).toEqual({ triage: B, infra: A });
    expect(dms(A)).toContain(`You hold the Triage role on ${first}.`);
    expect(dms(B)).toContain(`You hold the Triage role on ${second}.`);
    expect(card(first)).toContain(`*Per-issue roles*\\nTriage: <@${A}>`);
    expect(card(second)).toContain(`*Per-issue roles*\\nTriage: <@${B}>`);

    // A member gives it to someone else, with the reason.
    expect(await sayText(ADMIN, `role SRP-1 triage <@${B}> why`)).toContain('"SRP-1" is not an incident id');
    expect(await sayText(ADMIN, `role ${first} oncall <@${B}> why`)).toContain(
      '"oncall" is not a per-issue role',
    );
    expect(await sayText(ADMIN, `role ${first} triage <@${B}>`)).toContain(
      'A reason (it goes on the timeline) is needed.',
    );
    expect(await sayText(ADMIN, `role ${first} triage <@${B}> Ada is at a conference`)).toBe(
      `<@${B}> now holds the Triage role on ${first}.`,
    );
    await settled(h);
    expect(dms(A)).toContain(
      `<@${ADMIN}> gave the Triage role on ${first} to <@${B}>; the reason is on its timeline.`,
    );
    expect(card(first)).toContain(`Triage: <@${B}>`);
    expect(
      (await h.driver.command(`role ${first} triage <@${A}> back`, { userId: ASSOC })).json,
    ).toMatchObject({
      text: expect.stringContaining('Only full members'),
    });
  });

  it('Fix Team organized is Triage’s step: when it is overdue the nudge under the card mentions the holder', async () => {
    const clock = await start('pst2018');
    expect(await sayText(ADMIN, `roles triage queue <@${A}> <@${B}>`)).toContain('is now a queue');
    const first = await fileReport(h);
    const second = await fileReport(h);

    // Due a day after it was received (09:00 tomorrow, a working hour in UTC): an hour later it is overdue.
    clock.set('2026-10-21T10:00:00Z');
    await h.srp.runJobs();
    await settled(h);
    const nudge = (id: string) =>
      replies(id).find((m) => JSON.stringify(m.blocks).includes('*Fix Team organized* is overdue'));
    expect(JSON.stringify(nudge(first)?.blocks)).toContain(`<@${A}> *Fix Team organized* is overdue`);
    expect(JSON.stringify(nudge(second)?.blocks)).toContain(`<@${B}> *Fix Team organized* is overdue`);
    // And in each one's nudge DM: the id and the step only.
    expect(dms(A)).toContain(`${first}: Fix Team organized`);
    expect(dms(B)).toContain(`${second}: Fix Team organized`);
  });
});

describe('the 2018 roles under today’s process', () => {
  it('are answered plainly: the current process has none', async () => {
    await start('src');
    expect(await sayText(A, 'roles')).toContain('has no per-issue roles');
    expect(await sayText(ADMIN, `roles triage queue <@${A}>`)).toContain('has no per-issue roles');
    const id = await fileReport(h);
    expect(await sayText(ADMIN, `role ${id} triage <@${A}> because`)).toContain('has no per-issue roles');
  });
});

describe('the Release Managers', () => {
  it('see an embargoed incident only once it is in release, and mark their own steps done', async () => {
    await start('src');
    expect(await sayText(RM, `releasemanagers add <@${RM}>`)).toContain('Only full members');
    expect(await sayText(ASSOC, `releasemanagers add <@${RM}>`)).toContain('Only full members');
    expect(await sayText(ADMIN, 'releasemanagers add')).toContain('Mention the Release Manager');
    expect(await sayText(ADMIN, 'releasemanagers add rem')).toContain('"rem" is not a person');
    expect(await sayText(ADMIN, `releasemanagers remove <@${RM}>`)).toContain('is not a Release Manager');
    expect(JSON.stringify((await say(A, 'releasemanagers')).blocks)).toContain('_nobody yet_');
    expect(await sayText(ADMIN, `releasemanagers add <@${RM}>`)).toContain(
      `<@${RM}> is now a Release Manager`,
    );
    expect(await sayText(ADMIN, `releasemanagers add <@${RM}>`)).toContain('is already a Release Manager');
    expect(JSON.stringify((await say(A, 'releasemanagers')).blocks)).toContain(`<@${RM}>`);
    expect(JSON.stringify((await say(A, 'members')).blocks)).toContain(`*Release Managers*`);

    const id = await fileReport(h);
    const denied = 'This is for members of the Security Response Committee.';
    // Their Home tab: the incidents in release, none yet.
    expect(await openHome(RM)).toContain('*Incidents in release* (0)');
    expect(homeText(RM)).not.toContain(id);
    expect(await sayText(RM, `show ${id}`)).toContain(denied);
    expect(await sayText(RM, `done ${id} binaries_built`)).toContain(denied);
    expect(await sayText(RM, 'status')).toBe('No open incidents.');
    expect(JSON.stringify((await say(RM, 'help')).blocks)).toContain('you are a Release Manager');
    for (const to of ['development', 'disclosure-planning']) {
      expect(await sayText(ADMIN, `move ${id} ${to} moving on for the test`)).toContain('is now in');
      expect(await sayText(RM, `show ${id}`)).toContain(denied);
    }

    expect(await sayText(ADMIN, `move ${id} release the fix is ready`)).toContain(`${id} is now in Release.`);
    // Their open tab is redrawn with it and the steps that are theirs.
    await settled(h);
    await h.fake.waitFor(() => homeText(RM).includes(id), 5000, 'the Release Manager’s tab redrawn');
    expect(homeText(RM)).toContain('*Incidents in release* (1)');
    expect(homeText(RM)).toContain('Binaries built and published');
    const shown = await say(RM, `show ${id}`);
    expect(JSON.stringify(shown.blocks)).toContain('Path traversal in kubelet');
    expect(JSON.stringify((await say(RM, 'status')).blocks)).toContain(id);
    expect(await sayText(RM, `done ${id} cherry_picks`)).toContain('Only a member, or whoever owns it');
    expect(await sayText(RM, `done ${id} binaries_built`)).toBe(
      `*Binaries built and published* is done for ${id}.`,
    );
    // Still nothing a member does: moving it on, changing its deadlines.
    expect(await sayText(RM, `move ${id} retrospective`)).toContain('Only full members');

    // Off the roster, they see it no more.
    expect(await sayText(B, `releasemanagers remove <@${RM}>`)).toBe(
      `<@${RM}> is no longer a Release Manager.`,
    );
    expect(await sayText(RM, `show ${id}`)).toContain(denied);
    expect(await sayText(RM, 'status')).toContain(denied);
  });
});
