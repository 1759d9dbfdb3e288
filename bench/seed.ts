/**
 * Seeds a database with a committee's years of history: open incidents with their timelines, roles,
 * severity, Fix Teams, the cards and receipts already delivered (and their finished due work), a
 * committee and a rotation. Rows go in with prepared statements in one transaction, straight into the
 * schema that srp's own migrations created, so the bench measures srp on a database shaped like a real
 * one. Usable on its own: `tsx bench/seed.ts <file> [incidents] [events]`.
 *
 * With phases (issue 9): the incidents are spread over the phases (mostly triage, Fix Team and
 * development; some later; one in 19 public), each with its steps' records (the earlier phases' steps
 * done, the open ones' deadlines moved by the Fix Lead, the release date set), and the nudges of the
 * deadlines moved away from (sent, some repeated) as done due work. The pending nudges and staleness
 * pings are then planned by srp's own `replan` for every open incident (services wired on the file as
 * srp wires them, no Slack), after the start-up sweep marked them (which records `schedule_version`, so
 * srp's start-up finds nothing to plan again). What would have been sent before "now" is recorded as
 * sent, as srp's handlers would have left it: the nudge done and its repeat (an overdue step's, once a
 * working day) or the next staleness ping pending.
 */

import { WebClient } from '@slack/web-api';
import { PHASES, type Phase } from '../src/domain/phases.js';
import { resolveProfile } from '../src/domain/profiles/index.js';
import type { NudgePayload } from '../src/domain/work.js';
import { work } from '../src/domain/work.js';
import { createLogger } from '../src/logger.js';
import { closeDatabase, openDatabase, transact } from '../src/store/db.js';
import { CARD_LAYOUT } from '../src/views/incidentCard.js';
import { wireServices } from '../src/wiring.js';

/** The committee the bench seeds and then acts as. */
export const BENCH_PEOPLE = {
  members: ['UADMIN0001', 'UMEMBER002', 'UMEMBER003', 'UMEMBER004', 'UMEMBER005', 'UMEMBER006', 'UMEMBER007'],
  associate: 'UASSOC0001',
  fixTeamMember: 'UFIXTEAM01',
};

export interface SeedOptions {
  incidents: number;
  events: number;
  /** Who is on the committee; the first is the admin srp starts with. */
  members: string[];
  associate: string;
  /** A user on the Fix Team of every tenth incident, and nothing else. */
  fixTeamMember: string;
  /** The time "now" is, for the seeded history. */
  now: Date;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** How the open incidents spread over the phases, one in 20 each: mostly triage, Fix Team and development. */
const PHASE_MIX: Phase[] = [
  ...Array<Phase>(4).fill('triage'),
  ...Array<Phase>(4).fill('fix_team'),
  ...Array<Phase>(7).fill('development'),
  ...Array<Phase>(2).fill('disclosure_planning'),
  'release',
  ...Array<Phase>(2).fill('retrospective'),
];
/** One incident in this many was public when reported: every open step of it is due at once (ASAP). */
const PUBLIC_EVERY = 19;
/** One in this many was left alone: its steps are overdue and its nudges repeat once a working day. */
const NEGLECTED_EVERY = 50;

export interface SeedResult {
  incidents: number;
  events: number;
  phases: Partial<Record<Phase, number>>;
  public: number;
  /** incident_steps rows: steps done, and deadlines moved. */
  steps: { done: number; moved: number };
  /** due_work rows of the nudges and staleness pings, by state. */
  nudges: { pending: number; done: number; cancelled: number };
  stale: { pending: number; done: number };
  /** All due_work rows. */
  dueWork: number;
  /** Seconds: the rows, srp's replan of every open incident, what was due before now marked sent. */
  seconds: { rows: number; replan: number; sent: number };
}

/** A small deterministic spread (FNV-1a) so rows do not all fall due at once. */
function spread(text: string, range: number): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % range;
}

export async function seedScaleDb(path: string, o: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const db = openDatabase(path);
  const sql = db.$client;
  const now = o.now.getTime();
  const year = o.now.getUTCFullYear();
  const profile = resolveProfile('src', {});
  const steps = profile.phases.steps;
  const insert = {
    incident: sql.prepare(`insert into incidents (id, summary, description, components, arrival, arrival_ref,
      disclosure, reporter_name, reporter_contact, received_at, cve_id, phase, reported_by, source_key,
      created_at, updated_at, commander_active_at, public_at, public_by)
      values (?, ?, ?, ?, 'hackerone', '2345678', ?, 'Ada', 'ada@example.org', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    event:
      sql.prepare(`insert into incident_events (incident_id, at, actor, type, field, old_value, new_value)
      values (?, ?, ?, ?, ?, ?, ?)`),
    role: sql.prepare(`insert into incident_roles (incident_id, role, user_id, "from", "to", reason, assigned_by)
      values (?, ?, ?, ?, null, null, 'srp')`),
    delivery:
      sql.prepare(`insert into deliveries (key, kind, channel, state, ts, created_at, sent_at, attempts)
      values (?, ?, ?, 'sent', ?, ?, ?, 1)`),
    work: sql.prepare(`insert into due_work (key, kind, subject, due_at, run_at, state, attempts, created_at, done_at)
      values (?, ?, ?, ?, ?, 'done', 1, ?, ?)`),
    // A nudge sent before now (its payload as planned), or one planned and then cancelled.
    sent: sql.prepare(`insert into due_work (key, kind, subject, due_at, run_at, state, attempts, payload, created_at, done_at)
      values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?) on conflict do nothing`),
    step: sql.prepare(`insert into incident_steps (incident_id, step_id, outcome, outcome_at, outcome_by,
      due_at, due_moved_by, due_moved_at, due_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    severity: sql.prepare(`insert into severity (incident_id, cvss_vector, cvss_version, cvss_score_tenths,
      cvss_rating, final_rating, final_reason, final_at, updated_at)
      values (?, 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', '3.1', 88, 'High', 'High', 'the only rating so far', ?, ?)`),
    fixTeam: sql.prepare(
      'insert into fix_team (incident_id, user_id, added_by, added_at) values (?, ?, ?, ?)',
    ),
    member: sql.prepare(
      `insert into members (user_id, role, added_at, added_by, tz) values (?, ?, ?, 'seed', ?)`,
    ),
    counter: sql.prepare(
      'insert into id_counters (year, last) values (?, ?) on conflict(year) do update set last = excluded.last',
    ),
  };
  /** A nudge of an earlier deadline: sent (done), or cancelled when the deadline moved before it came. */
  const pastNudge = (id: string, n: NudgePayload, at: number, state: 'done' | 'cancelled', doneAt = at) => {
    const item = work.nudge(id, n, new Date(at));
    insert.sent.run(item.key, 'nudge', id, at, at, state, JSON.stringify(n), at - DAY, doneAt);
  };
  const eventsPer = Math.max(1, Math.floor(o.events / o.incidents));
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/Los_Angeles'];
  const phases: Partial<Record<Phase, number>> = {};
  let events = 0;
  let publicCount = 0;
  sql.transaction(() => {
    for (const [i, userId] of o.members.entries()) {
      insert.member.run(userId, 'member', now - 900 * DAY, zones[i % zones.length]);
    }
    insert.member.run(o.associate, 'associate', now - 400 * DAY, 'UTC');
    sql
      .prepare(`insert into rotation (id, "order", handoff_weekday, handoff_time, zone, start_date, feed_token, updated_at, updated_by)
        values (1, ?, 1, '10:00', 'Europe/Berlin', '2024-01-01', 'seedfeedtoken', ?, 'seed')`)
      .run(JSON.stringify(o.members.slice(0, 4)), now - 700 * DAY);
    for (let n = 1; n <= o.incidents; n++) {
      const id = `SRP-${year}-${String(n).padStart(5, '0')}`;
      // Spread over three years, oldest first.
      const created = now - Math.floor(((o.incidents - n + 1) / o.incidents) * 3 * 365 * DAY);
      const received = created - 3_600_000;
      const commander = o.members[n % o.members.length] as string;
      const lead = o.members[(n + 1) % o.members.length] as string;
      const last = created + (eventsPer - 1) * 3_600_000;
      const phase = PHASE_MIX[n % PHASE_MIX.length] as Phase;
      const isPublic = n % PUBLIC_EVERY === 0;
      const neglected = n % NEGLECTED_EVERY === 7;
      phases[phase] = (phases[phase] ?? 0) + 1;
      if (isPublic) publicCount++;
      insert.incident.run(
        id,
        `Seeded vulnerability ${n}`,
        'A description long enough to look like a report, with steps to reproduce and impact.',
        'kube-apiserver v1.30.0-v1.32.2',
        isPublic ? 'public' : 'private',
        received,
        n % 3 === 0 ? `CVE-${year}-${10000 + n}` : null,
        phase,
        'UREPORTER1',
        `seed:${n}`,
        created,
        last,
        n % 2 === 0 ? last : null,
        // As migration 0008 has it: a report taken in as public was public from when it was received.
        isPublic ? received : null,
        isPublic ? 'UREPORTER1' : null,
      );
      insert.role.run(id, 'commander', commander, created);
      insert.role.run(id, 'fix_lead', lead, created);
      for (let e = 0; e < eventsPer; e++) {
        const at = created + e * 3_600_000;
        if (e === 0) insert.event.run(id, at, 'UREPORTER1', 'created', null, null, '{"arrival":"hackerone"}');
        else insert.event.run(id, at, e % 2 ? commander : lead, 'field_changed', 'summary', '"old"', '"new"');
        events++;
      }
      for (const [kind, key] of [
        ['card', `card:${id}`],
        ['receipt', `receipt:${id}`],
      ] as const) {
        insert.delivery.run(
          key,
          kind,
          kind === 'card' ? 'GSECURITY1' : 'DREPORTER1',
          `${Math.floor(created / 1000)}.${String(n).padStart(6, '0')}`,
          created,
          created,
        );
        insert.work.run(key, kind, id, created, created, created, created);
      }
      if (n % 2 === 0) insert.severity.run(id, created, created);
      if (n % 10 === 0) insert.fixTeam.run(id, o.fixTeamMember, lead, created);

      // Its steps. The release date: weeks ahead while the fix is being made, days behind in the
      // retrospective (so the retrospective is due in a day or two).
      const phaseAt = PHASES.indexOf(phase);
      const releaseAt =
        phase === 'retrospective' ? now - (1 + (n % 2)) * DAY : now + (8 + spread(`${id}:release`, 53)) * DAY;
      for (const step of steps) {
        const profileDue = received + step.due.days * DAY;
        const before = PHASES.indexOf(step.phase) < phaseAt;
        const isRelease = step.id === profile.phases.releaseStep;
        if (before) {
          // Done in its time: its "due soon" nudge was sent; the release step carries the release date.
          const doneAt = Math.min(now - DAY, isRelease ? releaseAt : profileDue);
          insert.step.run(
            id,
            step.id,
            'done',
            doneAt,
            lead,
            isRelease ? releaseAt : null,
            isRelease ? lead : null,
            isRelease ? doneAt - 10 * DAY : null,
            isRelease ? 'the release date' : null,
          );
          if (step.due.from === 'disclosure') {
            pastNudge(
              id,
              { step: step.id, nudge: 'soon', deadline: profileDue, nth: 1 },
              profileDue - DAY,
              'done',
            );
          }
          continue;
        }
        // Open. A public incident's steps are all due at once; a neglected one's stay overdue.
        if (isPublic || neglected) continue;
        if (step.due.from !== 'disclosure') continue; // counted from the release date, which moves below
        // Its deadline passed (and was nudged, and repeated a few working days) before the Fix Lead moved
        // it; a recent incident's deadlines stand as the profile has them, only the release date is set.
        const repeats = 1 + (n % 5);
        const passed = profileDue + (repeats + 1) * DAY < now;
        if (!passed && !isRelease) continue;
        const movedTo = isRelease ? releaseAt : now + (1 + spread(`${id}:${step.id}`, 21)) * DAY;
        const movedAt = passed ? profileDue + repeats * DAY - 3_600_000 : now - 3_600_000;
        insert.step.run(
          id,
          step.id,
          null,
          null,
          null,
          movedTo,
          lead,
          movedAt,
          isRelease ? 'the release date' : 'waiting on the fix',
        );
        if (!passed) continue;
        pastNudge(
          id,
          { step: step.id, nudge: 'soon', deadline: profileDue, nth: 1 },
          profileDue - DAY,
          'done',
        );
        for (let nth = 1; nth <= repeats; nth++) {
          const at = profileDue + (nth - 1) * DAY;
          pastNudge(id, { step: step.id, nudge: 'overdue', deadline: profileDue, nth }, at, 'done');
        }
        // The next repeat was planned, then cancelled by the move.
        pastNudge(
          id,
          { step: step.id, nudge: 'overdue', deadline: profileDue, nth: repeats + 1 },
          profileDue + repeats * DAY,
          'cancelled',
          movedAt,
        );
      }
    }
    insert.counter.run(year, o.incidents);
    // The cards were drawn with today's layout: a start-up has nothing to redraw.
    sql.prepare("insert into meta (key, value) values ('card_layout', ?)").run(String(CARD_LAYOUT));
  })();
  const t1 = performance.now();

  // srp's own planning, on this file, with no Slack: the start-up sweep (which records schedule_version)
  // and then, for every open incident, the replan its `schedule:` row runs.
  const clock = { now: () => new Date(now) };
  const wired = wireServices({
    db,
    client: new WebClient('xoxb-seed', { slackApiUrl: 'http://127.0.0.1:9/api/' }),
    clock,
    log: createLogger('silent'),
    profile,
    securityChannel: 'GSECURITY1',
    announceChannel: 'CANNOUNCE1',
    owner: 'seed',
  });
  await wired.schedule.refreshAll();
  const scheduled = sql
    .prepare("select subject from due_work where kind = 'schedule' and state = 'pending'")
    .pluck()
    .all() as string[];
  transact(db, () => {
    for (const id of scheduled) wired.schedule.replan(id);
    sql
      .prepare(
        "update due_work set state = 'done', attempts = 1, done_at = ? where kind = 'schedule' and state = 'pending'",
      )
      .run(now);
  });
  const t2 = performance.now();

  // What was due before now went out, as the handlers leave it: the nudge or ping done, an overdue step's
  // repeat planned for a working day within the next 24 h, the next staleness ping at its time.
  const dueBefore = sql
    .prepare(`select key, kind, subject, run_at as runAt, payload from due_work
      where state = 'pending' and kind in ('nudge', 'stale') and run_at <= ?`)
    .all(now) as Array<{ key: string; kind: string; subject: string; runAt: number; payload: string }>;
  const markSent = sql.prepare(
    "update due_work set state = 'done', attempts = 1, done_at = run_at where key = ?",
  );
  const planAt = new Date(now);
  transact(db, () => {
    for (const row of dueBefore) {
      markSent.run(row.key);
      if (row.kind === 'nudge') {
        const n = JSON.parse(row.payload) as NudgePayload;
        if (n.nudge !== 'overdue') continue;
        // Once a working day since: the last few repeats sent, the next one pending.
        const days = Math.floor((now - row.runAt) / DAY);
        const next = n.nth + 1 + Math.floor((days * 5) / 7);
        for (let nth = Math.max(n.nth + 1, next - 5); nth < next; nth++) {
          const at = now - (next - nth) * DAY;
          pastNudge(row.subject, { ...n, nth }, at, 'done');
        }
        const at = new Date(now + 1 + spread(row.key, 24 * 60) * MINUTE);
        wired.store.dueWork.plan(work.nudge(row.subject, { ...n, nth: next }, at), planAt);
      } else {
        const p = JSON.parse(row.payload) as { lastEvent: number; nth: number };
        const limit = (row.runAt - p.lastEvent) / p.nth;
        const next = Math.floor((now - p.lastEvent) / limit) + 1;
        if (next - 1 > p.nth) {
          const prev = work.stale(
            row.subject,
            p.lastEvent,
            next - 1,
            new Date(p.lastEvent + (next - 1) * limit),
          );
          insert.sent.run(
            prev.key,
            'stale',
            row.subject,
            prev.dueAt.getTime(),
            prev.dueAt.getTime(),
            'done',
            JSON.stringify(prev.payload),
            prev.dueAt.getTime(),
            prev.dueAt.getTime(),
          );
        }
        const at = new Date(p.lastEvent + next * limit);
        wired.store.dueWork.plan(work.stale(row.subject, p.lastEvent, next, at), planAt);
      }
    }
  });
  const t3 = performance.now();

  const count = (kind: string, state: string) =>
    sql
      .prepare('select count(*) from due_work where kind = ? and state = ?')
      .pluck()
      .get(kind, state) as number;
  const stepCounts = sql
    .prepare(
      'select sum(outcome is not null), sum(outcome is null and due_at is not null) from incident_steps',
    )
    .raw()
    .get() as [number, number];
  const result: SeedResult = {
    incidents: o.incidents,
    events,
    phases,
    public: publicCount,
    steps: { done: stepCounts[0], moved: stepCounts[1] },
    nudges: {
      pending: count('nudge', 'pending'),
      done: count('nudge', 'done'),
      cancelled: count('nudge', 'cancelled'),
    },
    stale: { pending: count('stale', 'pending'), done: count('stale', 'done') },
    dueWork: sql.prepare('select count(*) from due_work').pluck().get() as number,
    seconds: { rows: (t1 - t0) / 1000, replan: (t2 - t1) / 1000, sent: (t3 - t2) / 1000 },
  };
  // No ANALYZE: srp must be fast on a database without planner statistics, as a real one is.
  sql.pragma('wal_checkpoint(TRUNCATE)');
  closeDatabase(db);
  return result;
}

/** The seed in a line or two, for the bench's output. */
export function describeSeed(s: SeedResult): string {
  const phases = PHASES.filter((p) => s.phases[p])
    .map((p) => `${p} ${s.phases[p]}`)
    .join(', ');
  return [
    `${s.incidents} open incidents (${phases}; ${s.public} public), ${s.events} timeline rows`,
    `incident_steps: ${s.steps.done} done, ${s.steps.moved} deadlines moved`,
    `due_work ${s.dueWork} rows: nudges ${s.nudges.pending} pending, ${s.nudges.done} done, ${s.nudges.cancelled} cancelled; staleness pings ${s.stale.pending} pending, ${s.stale.done} done`,
    `seeded in ${(s.seconds.rows + s.seconds.replan + s.seconds.sent).toFixed(1)} s (rows ${s.seconds.rows.toFixed(1)} s, srp's replan of every open incident ${s.seconds.replan.toFixed(1)} s, due before now marked sent ${s.seconds.sent.toFixed(1)} s)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, incidents = '10000', events = '1000000'] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('Usage: tsx bench/seed.ts <database file> [incidents] [timeline rows]\n');
    process.exit(2);
  }
  const seeded = await seedScaleDb(path, {
    incidents: Number(incidents),
    events: Number(events),
    ...BENCH_PEOPLE,
    now: new Date(),
  });
  process.stdout.write(`${describeSeed(seeded)}\n`);
}
