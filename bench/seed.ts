/**
 * Seeds a database with a committee's years of history: open incidents with their timelines, roles,
 * severity, Fix Teams, the cards and receipts already delivered (and their finished due work), a
 * committee and a rotation. Rows go in with prepared statements in one transaction, straight into the
 * schema that srp's own migrations created, so the bench measures srp on a database shaped like a real
 * one. Usable on its own: `tsx bench/seed.ts <file> [incidents] [events]`.
 */

import { closeDatabase, openDatabase } from '../src/store/db.js';
import { CARD_LAYOUT } from '../src/views/incidentCard.js';

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

export function seedScaleDb(path: string, o: SeedOptions): { incidents: number; events: number } {
  const db = openDatabase(path);
  const sql = db.$client;
  const now = o.now.getTime();
  const year = o.now.getUTCFullYear();
  const insert = {
    incident: sql.prepare(`insert into incidents (id, summary, description, components, arrival, arrival_ref,
      disclosure, reporter_name, reporter_contact, received_at, cve_id, status, reported_by, source_key,
      created_at, updated_at, commander_active_at)
      values (?, ?, ?, ?, 'hackerone', '2345678', ?, 'Ada', 'ada@example.org', ?, ?, ?, ?, ?, ?, ?, ?)`),
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
  const eventsPer = Math.max(1, Math.floor(o.events / o.incidents));
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/Los_Angeles'];
  let events = 0;
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
      const commander = o.members[n % o.members.length] as string;
      const lead = o.members[(n + 1) % o.members.length] as string;
      const last = created + (eventsPer - 1) * 3_600_000;
      insert.incident.run(
        id,
        `Seeded vulnerability ${n}`,
        'A description long enough to look like a report, with steps to reproduce and impact.',
        'kube-apiserver v1.30.0-v1.32.2',
        n % 5 === 0 ? 'public' : 'private',
        created - 3_600_000,
        n % 3 === 0 ? `CVE-${year}-${10000 + n}` : null,
        n % 4 === 0 ? 'triage' : 'development',
        'UREPORTER1',
        `seed:${n}`,
        created,
        last,
        n % 2 === 0 ? last : null,
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
    }
    insert.counter.run(year, o.incidents);
    // The cards were drawn with today's layout: a start-up has nothing to redraw.
    sql.prepare("insert into meta (key, value) values ('card_layout', ?)").run(String(CARD_LAYOUT));
  })();
  // No ANALYZE: srp must be fast on a database without planner statistics, as a real one is.
  sql.pragma('wal_checkpoint(TRUNCATE)');
  closeDatabase(db);
  return { incidents: o.incidents, events };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, incidents = '10000', events = '1000000'] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('Usage: tsx bench/seed.ts <database file> [incidents] [timeline rows]\n');
    process.exit(2);
  }
  const t0 = Date.now();
  const seeded = seedScaleDb(path, {
    incidents: Number(incidents),
    events: Number(events),
    ...BENCH_PEOPLE,
    now: new Date(),
  });
  process.stdout.write(
    `seeded ${seeded.incidents} incidents, ${seeded.events} timeline rows in ${Date.now() - t0} ms\n`,
  );
}
