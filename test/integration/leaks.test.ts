import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ANNOUNCE,
  BEA as B,
  BEA_AND_CEM,
  CEM as C,
  ELSEWHERE,
  fileReport,
  type Harness,
  OUTSIDER,
  SECURITY,
  settled,
  startHarness,
  TestClock,
  workspaceWith,
} from './harness.js';

/**
 * The leak watcher over HTTP with signed events: a message in a public channel naming an incident under
 * embargo raises one alert in the security channel, whose button lets the Fix Lead or commander go public.
 */

const CVE = 'CVE-2026-31337';
const SECRET_WORDS = 'the zebra crossing exploit';

function people() {
  return workspaceWith(BEA_AND_CEM);
}

let h: Harness;
let clock: TestClock;
afterEach(async () => {
  await h?.stop();
});

async function start() {
  clock = new TestClock(new Date('2026-11-03T09:00:00Z'));
  h = await startHarness({ fake: people(), env: { SRP_ADMINS: [ADMIN, B, C].join(',') }, clock });
  await h.driver.command(`oncall setup <@${ADMIN}> <@${B}> <@${C}> monday 10:00 Europe/Berlin 2026-10-19`, {
    userId: ADMIN,
    channelId: SECURITY,
  });
  await h.srp.runJobs();
}

const say = async (userId: string, text: string) =>
  (await h.driver.command(text, { userId })).json.text as string;

/** A report with a CVE id, B as its Fix Lead (C is on call this week, so its commander). */
async function embargoed(cve = CVE): Promise<string> {
  const id = await fileReport(h, { values: { cveId: { type: 'plain_text_input', value: cve } } });
  expect(await say(ADMIN, `fixlead ${id} <@${B}> knows the component`)).toMatch(/Fix Lead/);
  await settled(h);
  expect(h.srp.services.roles.commander(id)).toBe(C);
  return id;
}

const alerts = (id?: string) =>
  h.fake
    .messages(SECURITY)
    .filter((m) => m.text.startsWith('Possible leak of') && (!id || m.text.includes(id)));

let seq = 0;
/** A message someone posts in a public channel, delivered to srp as Slack's `message.channels` event. */
function message(text: string, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    type: 'message',
    channel: ELSEWHERE,
    channel_type: 'channel',
    user: OUTSIDER,
    text,
    ts: `1793700000.${String(seq).padStart(6, '0')}`,
    ...extra,
  };
}

/** Delivers the event and waits for the work it made due (the matching runs right after the ack). */
async function deliver(event: object, opts: { retryNum?: number } = {}) {
  const res = await h.driver.event(event, opts);
  expect(res.status).toBe(200);
  await settled(h);
}

const namesAnnounce = () =>
  h.fake.calls.filter((c) => JSON.stringify(c.args).includes(ANNOUNCE)).map((c) => c.method);

describe('the leak watcher', () => {
  it('raises exactly one alert in the security channel for a message naming an embargoed incident’s CVE, also when Slack retries it or it is edited', async () => {
    await start();
    const id = await embargoed();
    const summary = h.srp.services.incidents.get(id)?.summary as string;
    const leak = message(`anyone know when <https://example.org/x|${CVE.toLowerCase()}> ships?`);
    await deliver(leak);
    await h.fake.waitFor(() => alerts(id).length === 1);

    const [alert] = alerts(id);
    const body = JSON.stringify(alert?.blocks);
    // A top-level message, where the committee sees it, mentioning the Fix Lead and the commander.
    expect(alert?.thread_ts).toBeUndefined();
    expect(body).toContain(`<@${B}>`);
    expect(body).toContain(`<@${C}>`);
    expect(body).toContain(
      `https://fake-workspace.slack.com/archives/${ELSEWHERE}/p${leak.ts.replace('.', '')}`,
    );
    expect(body).toContain('its CVE id');
    expect(body).toContain('Embargo broken: go public ASAP');
    // It quotes nothing of the message, and nothing of the incident but its id.
    expect(body).not.toContain('anyone know');
    expect(body).not.toContain(summary.slice(0, 20));
    expect(h.logs.text()).not.toContain('anyone know');
    expect(h.logs.text()).toContain('possible leak seen');

    // Slack retries the delivery; then the author edits the message (the CVE still in it).
    await deliver(leak, { retryNum: 1 });
    await deliver(leak, { retryNum: 2 });
    await deliver({
      type: 'message',
      subtype: 'message_changed',
      channel: ELSEWHERE,
      channel_type: 'channel',
      ts: '1793700999.000001',
      hidden: true,
      message: { type: 'message', user: OUTSIDER, text: `edit: ${CVE} ships friday`, ts: leak.ts },
      previous_message: { type: 'message', user: OUTSIDER, text: leak.text, ts: leak.ts },
    });
    await h.srp.runJobs();
    await settled(h);
    expect(alerts(id)).toHaveLength(1);

    // A retry of a delivery srp never saw (it was down) is taken: the leak is not missed.
    await deliver(message(`${CVE} is public on a blog`), { retryNum: 1 });
    await h.fake.waitFor(() => alerts(id).length === 2);
    expect(namesAnnounce()).toEqual([]);
  });

  it('raises an alert for a leak typed into an edit, for the srp id in lower case and for a watch word', async () => {
    await start();
    const id = await embargoed();
    await deliver(message('nothing to see here'));
    await deliver({
      type: 'message',
      subtype: 'message_changed',
      channel: ELSEWHERE,
      channel_type: 'channel',
      ts: '1793700999.000002',
      message: {
        type: 'message',
        user: OUTSIDER,
        text: `re ${id.toLowerCase()}: any news?`,
        ts: '1793700000.999999',
      },
    });
    await h.fake.waitFor(() => alerts(id).length === 1);
    expect(JSON.stringify(alerts(id)[0]?.blocks)).toContain('its srp id');

    expect(await say(B, `watch ${id} zebra crossing, kubelet logs`)).toMatch(
      /now watches .*`zebra crossing`/,
    );
    await deliver(message(`Is ${SECRET_WORDS} real?`));
    await h.fake.waitFor(() => alerts(id).length === 2);
    expect(JSON.stringify(alerts(id)[1]?.blocks)).toContain('one of its watch words');
    // A watch word inside another word is no match.
    await deliver(message('the zebra crossings are repainted'));
    expect(alerts(id)).toHaveLength(2);
    expect(h.logs.text()).not.toContain('zebra');
  });

  it('raises none for a published or closed incident, the bot’s own message, the security channel, or a private channel', async () => {
    await start();
    const published = await embargoed('CVE-2026-40001');
    const closed = await embargoed('CVE-2026-40002');
    const open = await embargoed('CVE-2026-40003');
    h.srp.db.$client
      .prepare(
        "insert into disclosures (incident_id, state, generation, updated_at) values (?, 'published', 0, ?)",
      )
      .run(published, clock.now().getTime());
    expect(await say(ADMIN, `close ${closed} duplicate of another report`)).toMatch(/is closed/);
    await settled(h);

    await deliver(message('CVE-2026-40001 and CVE-2026-40002 are out'));
    await deliver(message('CVE-2026-40003', { user: h.fake.botUserId, bot_id: h.fake.botId }));
    await deliver(message('CVE-2026-40003', { channel: SECURITY, channel_type: 'group' }));
    await deliver(message('CVE-2026-40003', { channel: 'GPRIVATE01', channel_type: 'group' }));
    await deliver(message('CVE-2026-40003', { channel: 'D0DM000001', channel_type: 'im' }));
    // A subtype that carries no new text.
    await deliver(message('CVE-2026-40003', { subtype: 'channel_join' }));
    expect(alerts()).toEqual([]);

    // And the control: the open one is watched.
    await deliver(message('CVE-2026-40003'));
    await h.fake.waitFor(() => alerts(open).length === 1);
    expect(alerts()).toHaveLength(1);
  });

  it('"Embargo broken" by the Fix Lead marks it public and makes its steps due now; by others it is refused; a second press is harmless', async () => {
    await start();
    const id = await embargoed();
    const leak = message(`${CVE} is on the mailing list`);
    await deliver(leak);
    await h.fake.waitFor(() => alerts(id).length === 1);
    const alertTs = alerts(id)[0]?.ts as string;
    /** The button, as rendered; or (`stale`) as an older copy of the alert would still show it. */
    const press = (userId: string, stale = false) =>
      h.driver.blockAction({
        userId,
        actionId: 'srp_leak_public',
        channelId: SECURITY,
        messageTs: alertTs,
        ...(stale ? { blockId: `leak:${id}`, value: `leak:${id}:${ELSEWHERE}:${leak.ts}` } : {}),
      });
    const answered = (text: string | RegExp) =>
      h.fake.waitFor(() =>
        h.fake.responses().some((r) => {
          const t = JSON.stringify(r.body);
          return typeof text === 'string' ? t.includes(text) : text.test(t);
        }),
      );

    // An outsider cannot see the incident; a member who is neither its Fix Lead nor its commander cannot.
    await press(OUTSIDER);
    await answered('for members of the Security Response Committee');
    await press(ADMIN);
    await answered(`Only ${id}'s Fix Lead or incident commander can declare its embargo broken`);
    expect(h.srp.services.incidents.get(id)?.publicAt).toBeNull();

    await press(B);
    await answered(`${id} is now public`);
    await settled(h);
    const incident = h.srp.services.incidents.get(id);
    expect(incident?.publicBy).toBe(B);
    expect(incident?.publicLink).toMatch(`https://fake-workspace.slack.com/archives/${ELSEWHERE}/p`);
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: B })).json);
    expect(show).toContain('due now (ASAP: public)');
    expect(show).toContain('found by the leak watcher');
    // The alert says who did it, and has no button left.
    await h.fake.waitFor(() => JSON.stringify(alerts(id)[0]?.blocks).includes(`marked public by <@${B}>`));
    expect(JSON.stringify(alerts(id)[0]?.blocks)).not.toContain('srp_leak_public');

    // A second press (a stale copy of the alert) changes nothing.
    const events = h.srp.db.$client
      .prepare('select count(*) from incident_events where incident_id = ?')
      .pluck();
    const before = events.get(id);
    await press(C, true);
    await answered(`${id} is public already`);
    await settled(h);
    expect(events.get(id)).toBe(before);
    expect(alerts(id)).toHaveLength(1);
    // Public now: the watcher stops.
    await deliver(message(`${CVE} again`));
    expect(alerts(id)).toHaveLength(1);
    expect(namesAnnounce()).toEqual([]);
  });

  it('watch words: the Fix Lead or commander sets and clears them, members list them, others are refused', async () => {
    await start();
    const id = await embargoed();
    expect(await say(OUTSIDER, `watch ${id} zebra`)).toMatch(
      /for members of the Security Response Committee/,
    );
    expect(await say(ADMIN, `watch ${id} zebra crossing`)).toMatch(
      /Only .*Fix Lead or incident commander can change its watch words/,
    );
    expect(await say(C, `watch ${id} ab, <@${B}>`)).toMatch(/too short.*formatting|formatting.*too short/);
    expect(await say(C, `watch ${id} zebra crossing, Kubelet Logs`)).toMatch(/now watches/);
    expect(await say(ADMIN, `watch ${id}`)).toMatch(
      new RegExp(
        `watches the public channels it is in for ${id}, ${CVE} and the watch words \`zebra crossing\`, \`kubelet logs\``,
      ),
    );
    expect(await say(B, `watch ${id} clear`)).toMatch(/cleared/);
    expect(await say(ADMIN, `watch ${id}`)).toMatch(/no watch words/);
    const show = JSON.stringify((await h.driver.command(`show ${id}`, { userId: B })).json);
    expect(show).toContain('set the watch words: zebra crossing, kubelet logs');
    expect(show).toContain('cleared the watch words');
  });
});
