import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { responsible, type StepRecord, schedule } from '../../src/domain/deadlines.js';
import { advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import type { Incident } from '../../src/domain/incident.js';
import { PROFILES } from '../../src/domain/profiles/index.js';
import {
  buildRetrospective,
  formatDuration,
  openAfterRelease,
  type RetroEvent,
  type RetroInput,
  retrospectiveMarkdown,
  windowText,
} from '../../src/domain/retrospective.js';
import { retrospectiveMessage } from '../../src/views/retrospective.js';
import { validateMessageBlocks } from '../support/blockKit.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const rules = PROFILES.src.phases;
const T0 = new Date('2026-11-02T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const IC = 'UCOMMAND01';
const LEAD = 'UFIXLEAD01';
const DEV = 'UDEVELOP01';
const APPROVER = 'UAPPROVE01';
/** Published 20 days and 6 hours after the report. */
const PUBLISHED = at(20 * DAY + 6 * HOUR);

const incident: Incident = {
  id: 'SRP-2026-042',
  summary: 'Path traversal in kubelet /logs',
  description: 'GET /logs/../../etc/shadow returns the file.',
  components: 'kubelet',
  arrival: 'hackerone',
  arrivalRef: 'https://hackerone.com/reports/1',
  disclosure: 'private',
  reporterName: 'Ada Lovelace',
  reporterContact: 'ada@example.org',
  receivedAt: T0,
  cveId: 'CVE-2026-4242',
  phase: 'retrospective',
  resolution: null,
  publicAt: null,
  publicBy: null,
  publicWhere: null,
  publicLink: null,
  reportedBy: IC,
  createdAt: at(HOUR),
  updatedAt: PUBLISHED,
};

const ev = (ms: number, actor: string, type: string, rest: Partial<RetroEvent> = {}): RetroEvent => ({
  at: at(ms),
  actor,
  type,
  field: null,
  oldValue: null,
  newValue: null,
  ...rest,
});

const done = (ms: number, by: string): StepRecord => ({
  outcome: 'done',
  outcomeAt: at(ms),
  outcomeBy: by,
  outcomeReason: null,
  dueAt: null,
  dueMovedBy: null,
  dueMovedAt: null,
  dueReason: null,
});

const MOVED_AT = 10 * DAY;
const timeline: RetroEvent[] = [
  ev(HOUR, IC, 'created'),
  ev(HOUR, 'srp', 'role_changed', { field: 'commander', newValue: IC }),
  ev(HOUR, 'srp', 'role_changed', { field: 'fix_lead', newValue: LEAD }),
  ev(5 * HOUR, LEAD, 'fix_team_added', { newValue: DEV }),
  ev(DAY, LEAD, 'severity_assessed', { newValue: { rating: 'High', inputs: {}, path: [] } }),
  ev(2 * DAY, LEAD, 'cvss_scored', {
    newValue: {
      vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
      version: '3.1',
      score: 6.5,
      rating: 'Medium',
    },
  }),
  ev(2 * DAY, 'srp', 'severity_disputed', { newValue: { questionnaire: 'High', cvss: '6.5 Medium' } }),
  ev(3 * DAY, LEAD, 'severity_final', {
    newValue: {
      rating: 'High',
      reason: 'Any authenticated user reads node secrets.',
      questionnaire: 'High',
      cvss: '6.5 Medium',
    },
  }),
  ev(9 * DAY, DEV, 'step_done', { field: 'fix_lgtm', newValue: { step: 'Fix LGTMed' } }),
  ev(MOVED_AT, LEAD, 'deadline_moved', {
    field: 'announce',
    oldValue: at(21 * DAY).getTime(),
    newValue: {
      step: 'Announced',
      due: PUBLISHED.getTime(),
      reason: 'the patch release train leaves on the 23rd',
    },
  }),
  ev(11 * DAY, LEAD, 'advisory_created', { newValue: 1 }),
  ev(11 * DAY + HOUR, APPROVER, 'approved', { field: 'texts', newValue: { version: 1, hash: 'abc' } }),
  ev(12 * DAY, LEAD, 'distributor_notice_sent', { field: 'advance', newValue: 'by_hand' }),
  ev(19 * DAY, LEAD, 'distributor_notice_sent', { field: 'release_day', newValue: 'smtp' }),
  ev(20 * DAY + 6 * HOUR + 60_000, 'srp', 'published', {
    field: 'announcement',
    newValue: {
      ts: '1.2',
      permalink: 'https://slack.example/archives/C1/p1',
      generation: 1,
      at: PUBLISHED.getTime(),
    },
  }),
  ev(20 * DAY + 12 * HOUR, LEAD, 'step_done', {
    field: 'fix_team_removed',
    newValue: { step: 'Fix Team removed from the private repo' },
  }),
  ev(20 * DAY + 13 * HOUR, LEAD, 'fix_team_removed', { oldValue: DEV }),
];

function input(patch: Partial<RetroInput> = {}): RetroInput {
  const records: Record<string, StepRecord> = {
    fix_lgtm: done(9 * DAY, DEV),
    distributors_advance: done(12 * DAY, LEAD),
    distributors_release_day: done(19 * DAY, LEAD),
    cherry_picks: done(20 * DAY, LEAD),
    prs_merged: done(20 * DAY + HOUR, 'URELEASE01'),
    binaries_built: done(20 * DAY + 2 * HOUR, 'URELEASE01'),
    announce: { ...done(0, 'srp'), outcome: null, outcomeAt: null, outcomeBy: null, dueAt: PUBLISHED },
    fix_team_removed: done(20 * DAY + 12 * HOUR, LEAD),
  };
  const s = schedule(
    rules,
    {
      phase: 'retrospective',
      receivedAt: T0,
      publicAt: null,
      fixTeamSize: 1,
      hasCvss: true,
      hasFinalRating: true,
      hasCve: true,
      published: true,
      distributorNotice: true,
      records,
    },
    at(21 * DAY + 6 * HOUR),
  );
  return {
    incident,
    rules,
    schedule: s,
    timeline,
    tenures: [
      { role: 'commander', userId: IC, from: at(HOUR), to: null, reason: null },
      { role: 'fix_lead', userId: LEAD, from: at(HOUR), to: null, reason: null },
    ],
    approvals: [{ version: 1, approvedBy: APPROVER, approvedAt: at(11 * DAY + HOUR), voidedAt: null }],
    advisory: advisoryRecord.parse({
      summary: 'Path traversal in kubelet /logs',
      affected: [
        {
          component: 'kubelet',
          introduced: '1.30.0',
          fixed: '1.30.5',
          pr: 'https://github.com/kubernetes/kubernetes/pull/127001',
        },
        { component: 'kubelet', introduced: '1.31.0', fixed: '1.31.2', pr: '#127002' },
      ],
      reporterCredit: 'Grace Hopper (@ghopper)',
      fixTeamCredit: 'Dev Eloper',
      trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/128006',
      introducedBy: 'https://github.com/kubernetes/kubernetes/pull/120000',
      cveId: 'CVE-2026-4242',
    }),
    disclosure: { publishedAt: PUBLISHED, permalink: 'https://slack.example/archives/C1/p1' },
    notices: [
      { notice: 'advance', sentAt: at(12 * DAY), sentBy: LEAD, via: 'by_hand' },
      { notice: 'release_day', sentAt: at(19 * DAY), sentBy: LEAD, via: 'smtp' },
    ],
    feedback: [
      {
        author: DEV,
        text: 'The *private* fork lagged master by a week; <!channel> sync it daily.',
        at: at(21 * DAY + 7 * HOUR),
      },
    ],
    noticeSteps: PROFILES.src.disclosure.notices,
    ...patch,
  };
}

describe('the retrospective draft', () => {
  const r = buildRetrospective(input());

  it('states each phase against the process window: met, or how long it took and the window', () => {
    const row = (name: string, origin = 'disclosure') =>
      r.phases.find((p) => p.name === name && p.origin === origin);
    expect(row('Fix Team')).toMatchObject({ verdict: 'met', window: 'within 1 d of the report' });
    expect(row('Fix Team')?.text).toBe('Met: done 5 h after the report (window within 1 d of the report).');
    // The LGTMs came on day 9 of a 1-7 day window: the duration and the window, nothing about anyone.
    expect(row('Development')).toMatchObject({ verdict: 'outside', window: '1-7 d after the report' });
    expect(row('Development')?.text).toBe('Took 9 d after the report, window 1-7 d after the report.');
    expect(row('Disclosure planning', 'release')?.text).toBe(
      'Met: done 8 d 6 h before the release (window 7-14 d before the release).',
    );
    expect(row('Release')?.text).toBe(
      'Met: done 20 d 6 h after the report (window 1-21 d after the report).',
    );
    expect(row('Retrospective', 'release')).toMatchObject({
      verdict: 'open',
      window: '1-3 d after the release',
    });
    expect(row('Retrospective', 'release')?.text).toContain(
      'Retrospective sent, CVE record published, Tracking issue closed open',
    );
  });

  it('is blameless: no line calls anything or anyone late', () => {
    const md = retrospectiveMarkdown(r);
    expect(md).not.toMatch(/\blate\b|\bslow\b|\bfault\b|\bblame\b(?!less)/i);
    expect(JSON.stringify(retrospectiveMessage(r, { fixLead: LEAD, dueAt: null, done: null }))).not.toMatch(
      /\blate\b/i,
    );
  });

  it('lists every moved deadline with who moved it and why', () => {
    expect(r.moved).toEqual([
      {
        step: 'announce',
        name: 'Announced',
        by: LEAD,
        at: at(MOVED_AT),
        from: at(21 * DAY),
        to: PUBLISHED,
        reason: 'the patch release train leaves on the 23rd',
      },
    ]);
  });

  it('gives each distributor notice its lead time before the announcement', () => {
    expect(r.notices.map((n) => [n.notice, n.leadMs, n.minimumMs, n.text])).toEqual([
      [
        'advance',
        8 * DAY + 6 * HOUR,
        7 * DAY,
        'Advance notice sent 8 d 6 h before the announcement; the process asks for at least 7 d.',
      ],
      [
        'release_day',
        DAY + 6 * HOUR,
        DAY,
        'Release-day notice sent 1 d 6 h before the announcement; the process asks for at least 1 d.',
      ],
    ]);
  });

  it('names everyone involved with their tenure, the approvers and the reporter as credited', () => {
    const roles = r.people.map((p) => p.role);
    expect(roles).toEqual([
      'Incident commander',
      'Fix Lead',
      'Fix Team',
      'Approved the texts',
      'Told the distributors',
      'Told the distributors',
      'Reporter',
      'Fix Team credit',
    ]);
    const team = r.people.find((p) => p.role === 'Fix Team');
    expect(team?.who).toEqual({ user: DEV });
    expect(team?.line).toEqual([
      { at: at(5 * HOUR) },
      ' to ',
      { at: at(20 * DAY + 13 * HOUR) },
      ' (20 d 8 h)',
    ]);
    expect(r.people.find((p) => p.role === 'Reporter')?.who).toEqual({ typed: 'Grace Hopper (@ghopper)' });
  });

  it('keeps the severity assessments and the final call with its reason', () => {
    expect(r.severity.assessments).toHaveLength(3);
    expect(r.severity.final).toEqual([
      'Rated High by ',
      { user: LEAD },
      ': ',
      { typed: 'Any authenticated user reads node secrets.' },
    ]);
  });

  it('links what introduced the bug, the fixes, the tracking issue, the announcement and the CVE', () => {
    expect(r.links.map((l) => l.label)).toEqual([
      'Introduced by',
      'Fix for kubelet 1.30.5',
      'Fix for kubelet 1.31.2',
      'Tracking issue',
      'Announcement',
      'CVE',
    ]);
  });

  it('the steps after the release still open keep it from closing', () => {
    expect(openAfterRelease(input().schedule).map((s) => s.rule.id)).toEqual([
      'retrospective',
      'cve_published',
      'tracking_issue_closed',
    ]);
  });

  it('matches the golden Markdown of a full retrospective', () => {
    const names: Record<string, string> = { [IC]: 'Ines', [LEAD]: 'Lea', [DEV]: 'Dev', [APPROVER]: 'Abe' };
    const md = retrospectiveMarkdown(r, { name: (u) => names[u] ?? u });
    const file = fileURLToPath(new URL('./golden/retrospective.md', import.meta.url));
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, md);
    expect(md).toBe(readFileSync(file, 'utf8'));
  });

  it('renders within Block Kit limits, however long the timeline', () => {
    const long = input({
      timeline: [
        ...timeline,
        ...Array.from({ length: 400 }, (_, i) =>
          ev(DAY + i * 60_000, LEAD, 'deadline_moved', {
            field: 'fix_lgtm',
            oldValue: at(7 * DAY).getTime(),
            newValue: { step: 'Fix LGTMed', due: at(8 * DAY).getTime(), reason: 'x'.repeat(400) },
          }),
        ),
      ],
      feedback: Array.from({ length: 60 }, (_, i) => ({
        author: DEV,
        text: `<@U1> ${'y'.repeat(2500)} ${i}`,
        at: at(22 * DAY),
      })),
    });
    const message = retrospectiveMessage(buildRetrospective(long), {
      fixLead: LEAD,
      dueAt: null,
      done: null,
    });
    expect(validateMessageBlocks(message.blocks, message.text)).toEqual([]);
    // Typed text is escaped: no mention from a critique reaches Slack.
    expect(JSON.stringify(message)).not.toContain('<@U1>');
    expect(JSON.stringify(retrospectiveMessage(r, { fixLead: LEAD, dueAt: null, done: null }))).not.toContain(
      '<!channel>',
    );
  });
});

describe("the retrospective step's nudges", () => {
  it("go to the Fix Lead under today's process (its owner), and the CVE and tracking issue steps share its window", () => {
    const step = (id: string) => rules.steps.find((s) => s.id === id);
    expect(step('retrospective')?.owner).toBe('fix_lead');
    expect(
      responsible('fix_lead', {
        commander: IC,
        fixLead: LEAD,
        fixTeam: [DEV],
        releaseManagers: [],
        perIncident: {},
      }),
    ).toEqual([LEAD]);
    for (const id of ['cve_published', 'tracking_issue_closed']) {
      expect(step(id)).toMatchObject({ phase: 'retrospective', owner: 'fix_lead', done: 'by_person' });
      expect(step(id)?.due).toEqual(step('retrospective')?.due);
    }
  });
});

describe('durations and windows', () => {
  it.each([
    [0, '0 min'],
    [40 * 60_000, '40 min'],
    [5 * HOUR + 12 * 60_000, '5 h 12 min'],
    [3 * DAY + 4 * HOUR, '3 d 4 h'],
    [-2 * DAY, '2 d'],
  ])('%d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [1, 7, 'disclosure', '1-7 d after the report'],
    [0, 1, 'disclosure', 'within 1 d of the report'],
    [-14, -7, 'release', '7-14 d before the release'],
    [-3, 0, 'release', 'from 3 d before the release to its day'],
    [-3, 1, 'release', 'from 3 d before to 1 d after the release'],
  ] as const)('opens %d, due %d from %s: %s', (opens, due, origin, text) =>
    expect(windowText(opens, due, origin)).toBe(text),
  );
});
