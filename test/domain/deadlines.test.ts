import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  deliveryTime,
  effectiveRating,
  leadTime,
  nextDeadline,
  nextRepeat,
  nudgeStillDue,
  overdueSteps,
  plannedNudges,
  responsible,
  type ScheduleFacts,
  type StepRecord,
  type StepStatus,
  schedule,
  stalenessLimit,
  stalePingAt,
  stepsLeftBehind,
} from '../../src/domain/deadlines.js';
import { checkMove, NO_FIX, PHASES, type Phase, RESOLUTIONS } from '../../src/domain/phases.js';
import { type Owner, type PhaseRules, PROFILES, type StepRule } from '../../src/domain/profiles/index.js';
import { RATINGS } from '../../src/domain/severity.js';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../src/domain/workingHours.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The disclosure: a Monday morning, well away from any DST change. */
const R = new Date('2026-05-04T10:00:00Z');
const at = (ms: number) => new Date(R.getTime() + ms);
const d = (iso: string) => new Date(iso);

const SRC = PROFILES.src.phases;
const PST = PROFILES.pst2018.phases;

function facts(patch: Partial<ScheduleFacts> = {}): ScheduleFacts {
  return {
    phase: 'development',
    receivedAt: R,
    publicAt: null,
    fixTeamSize: 0,
    hasCvss: false,
    hasFinalRating: false,
    hasCve: false,
    published: false,
    distributorNotice: null,
    records: {},
    ...patch,
  };
}

const OPEN: StepRecord = {
  outcome: null,
  outcomeAt: null,
  outcomeBy: null,
  outcomeReason: null,
  dueAt: null,
  dueMovedBy: null,
  dueMovedAt: null,
  dueReason: null,
};
/** A deadline the Fix Lead moved to `to` at `when`. */
const movedTo = (to: Date, when = R): StepRecord => ({
  ...OPEN,
  dueAt: to,
  dueMovedBy: 'U0CAROL01',
  dueMovedAt: when,
  dueReason: 'the patch needs another review',
});
const settled = (outcome: 'done' | 'skipped', when = at(HOUR)): StepRecord => ({
  ...OPEN,
  outcome,
  outcomeAt: when,
  outcomeBy: 'U0CAROL01',
  outcomeReason: outcome === 'skipped' ? 'moved on without it' : null,
});

function step(s: { steps: StepStatus[] }, id: string): StepStatus {
  const found = s.steps.find((x) => x.rule.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}
const rule = (rules: PhaseRules, id: string): StepRule => {
  const found = rules.steps.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

/**
 * Each step's deadline in days after the disclosure, with the release date (announce) at its default of
 * 21 days; and how long before it the "due soon" nudge comes (a quarter of its window, at least an hour).
 * Written out by hand from the documents, not read back from the profiles.
 */
type Row = readonly [id: string, days: number, leadHours: number, when: StepRule['when'] | null];
const SRC_TABLE: readonly Row[] = [
  ['fix_team_organized', 1, 6, null], // "within the first 24 hours": the window is the day itself
  ['cvss_scored', 7, 36, null], // "within the 1-7 days": a 6-day window
  ['final_rating', 7, 36, null],
  ['cve_requested', 7, 36, null],
  ['fix_lgtm', 7, 36, null],
  ['distributors_advance', 14, 42, 'has_cve'], // "at least 7 days before": release − 7, window 7 days
  ['cherry_picks', 21, 12, null], // on the release date, window the 2 days before it
  ['prs_merged', 21, 12, null],
  ['binaries_built', 21, 12, null],
  ['distributors_release_day', 20, 12, 'has_cve'], // "at least 24 hours in advance"
  ['announce', 21, 120, null], // "within 1-21 days": a 20-day window
  ['fix_team_removed', 22, 6, null],
  ['retrospective', 24, 12, null], // "1-3 days after the Release Date"
  ['cve_published', 24, 12, 'has_cve'], // the SRC's practice after disclosure, in the same window
  ['tracking_issue_closed', 24, 12, null],
];
const PST_TABLE: readonly Row[] = [
  ['fix_team_organized', 1, 6, null],
  ['cvss_scored', 7, 36, null],
  ['final_rating', 7, 36, null],
  ['forthcoming_fix', 7, 36, null], // "Disclosure of Forthcoming Fix to Users (Completed within 1-7 days)"
  ['distributors_optional', 14, 78, 'distributor_notice'], // optional, "within 1-14 days": 13-day window
  ['release_branch', 21, 12, null],
  ['binaries_built', 21, 12, null],
  ['cherry_picks', 21, 12, null],
  ['cve_requested', 21, 12, null], // the 2018 process requests the CVE on release day
  ['announce', 21, 120, null],
  ['fix_team_removed', 22, 6, null],
  ['retrospective', 24, 12, null],
];
const TABLES = [
  ['src', SRC, SRC_TABLE],
  ['pst2018', PST, PST_TABLE],
] as const;

describe('deadlines from the disclosure, for both processes', () => {
  it.each(TABLES)('%s: the table covers every step of the profile, in order', (_id, rules, table) => {
    expect(rules.steps.map((s) => s.id)).toEqual(table.map(([id]) => id));
    expect(rules.releaseStep).toBe('announce');
  });

  describe.each(TABLES)('%s', (_id, rules, table) => {
    // Every conditional step applies here: a CVE for today's process, distributor notice for 2018's.
    const s = schedule(rules, facts({ distributorNotice: true, hasCve: false }), R);
    const withCve = schedule(rules, facts({ distributorNotice: true, hasCve: true }), R);

    it('counts the release date 21 days from the disclosure', () => {
      expect(s.releaseAt).toEqual(at(21 * DAY));
    });

    it.each(table)('%s is due %i days after the disclosure, nudged %i h before', (id, days, lead, when) => {
      const x = step(when === 'has_cve' ? withCve : s, id);
      expect(x.dueAt).toEqual(at(days * DAY));
      expect(x.soonAt).toEqual(at(days * DAY - lead * HOUR));
      expect(x.asap).toBe(false);
      expect(x.moved).toBeUndefined();
    });

    it('goes upcoming → due soon at the lead time → overdue at the deadline (boundaries inclusive)', () => {
      for (const [id, days, lead, when] of table) {
        const f = facts({ distributorNotice: true, hasCve: when === 'has_cve' });
        if (id === 'cve_requested' && f.hasCve) continue;
        const due = days * DAY;
        const stateAt = (ms: number) => step(schedule(rules, f, at(ms)), id).state;
        expect([id, stateAt(0)]).toEqual([id, 'upcoming']);
        expect([id, stateAt(due - lead * HOUR - 1)]).toEqual([id, 'upcoming']);
        expect([id, stateAt(due - lead * HOUR)]).toEqual([id, 'due_soon']);
        expect([id, stateAt(due - 1)]).toEqual([id, 'due_soon']);
        expect([id, stateAt(due)]).toEqual([id, 'overdue']);
      }
    });

    it('plans a "due soon" and an "overdue" nudge for every open step, and none once closed', () => {
      const nudges = plannedNudges('development', s);
      const open = s.steps.filter((x) => x.state === 'upcoming');
      expect(nudges).toHaveLength(2 * open.length);
      for (const x of open) {
        expect(nudges).toContainEqual({ step: x.rule.id, kind: 'soon', at: x.soonAt, deadline: x.dueAt });
        expect(nudges).toContainEqual({ step: x.rule.id, kind: 'overdue', at: x.dueAt, deadline: x.dueAt });
      }
      expect(plannedNudges('closed', s)).toEqual([]);
    });
  });

  it('src: the distributor steps apply only once the incident has a CVE (which makes cve_requested done)', () => {
    const none = schedule(SRC, facts(), R);
    expect(step(none, 'distributors_advance').state).toBe('not_applicable');
    expect(step(none, 'distributors_release_day').state).toBe('not_applicable');
    expect(plannedNudges('development', none).map((n) => n.step)).not.toContain('distributors_advance');
    const cve = schedule(SRC, facts({ hasCve: true }), R);
    expect(step(cve, 'distributors_advance').state).toBe('upcoming');
    expect(step(cve, 'distributors_release_day').state).toBe('upcoming');
    expect(step(cve, 'cve_requested').state).toBe('done');
  });

  it.each([
    [null, 'not_applicable'],
    [false, 'not_applicable'],
    [true, 'upcoming'],
  ] as const)(
    'pst2018: with distributor notice %s, the optional distributors step is %s',
    (notice, state) => {
      expect(
        step(schedule(PST, facts({ distributorNotice: notice }), R), 'distributors_optional').state,
      ).toBe(state);
    },
  );

  it('refuses a profile whose release step is missing or counts from the release itself', () => {
    expect(() => schedule({ ...SRC, releaseStep: 'nope' }, facts(), R)).toThrow(/release step "nope"/);
    expect(() => schedule({ ...SRC, releaseStep: 'retrospective' }, facts(), R)).toThrow(
      /count from the disclosure/,
    );
  });

  it('names the next deadline and the overdue steps', () => {
    const s = schedule(SRC, facts(), at(2 * DAY));
    // An overdue step is still the next deadline: the earliest one not met.
    expect(nextDeadline(s)?.rule.id).toBe('fix_team_organized');
    expect(overdueSteps(s).map((x) => x.rule.id)).toEqual(['fix_team_organized']);
    const organized = schedule(SRC, facts({ fixTeamSize: 1 }), at(2 * DAY));
    expect(nextDeadline(organized)?.rule.id).toBe('cvss_scored');
    expect(overdueSteps(organized)).toEqual([]);
    const allDone = Object.fromEntries(SRC.steps.map((x) => [x.id, settled('done')]));
    expect(nextDeadline(schedule(SRC, facts({ records: allDone }), R))).toBeUndefined();
  });
});

describe('moved deadlines', () => {
  describe.each(TABLES)('%s', (_id, rules, table) => {
    const release = at(28 * DAY);
    const s = schedule(
      rules,
      facts({ distributorNotice: true, hasCve: true, records: { announce: movedTo(release) } }),
      R,
    );

    it('moving the release date moves every step counted from it, and no other', () => {
      expect(s.releaseAt).toEqual(release);
      for (const [id, days] of table) {
        const follows = rule(rules, id).due.from === 'release' || id === 'announce';
        expect([id, step(s, id).dueAt]).toEqual([id, at((follows ? days + 7 : days) * DAY)]);
      }
      expect(step(s, 'announce').moved).toEqual({
        by: 'U0CAROL01',
        at: R,
        reason: 'the patch needs another review',
      });
      expect(step(s, 'retrospective').moved).toBeUndefined();
    });
  });

  it('a moved step keeps its moved deadline when the release date moves too', () => {
    const mine = at(25 * DAY);
    const s = schedule(
      SRC,
      facts({ records: { announce: movedTo(at(28 * DAY)), cherry_picks: movedTo(mine) } }),
      R,
    );
    expect(step(s, 'cherry_picks').dueAt).toEqual(mine);
    expect(step(s, 'prs_merged').dueAt).toEqual(at(28 * DAY));
  });

  it('counts the "due soon" lead over the window as moved: from where it opens to the new deadline', () => {
    // cvss_scored's window opens a day after the disclosure; moved to day 11 it is 10 days: lead 2.5 days.
    const s = schedule(SRC, facts({ records: { cvss_scored: movedTo(at(11 * DAY)) } }), R);
    expect(step(s, 'cvss_scored').soonAt).toEqual(at(11 * DAY - 60 * HOUR));
    // Moved before the window even opens, the window is empty and the lead is the one-hour minimum.
    const early = schedule(SRC, facts({ records: { cvss_scored: movedTo(at(12 * HOUR)) } }), R);
    expect(step(early, 'cvss_scored').soonAt).toEqual(at(11 * HOUR));
  });

  it('a moved deadline is another nudge: the old one is no longer due, the new one is', () => {
    const before = schedule(SRC, facts(), at(6 * DAY));
    const planned = plannedNudges('development', before).find(
      (n) => n.step === 'fix_lgtm' && n.kind === 'overdue',
    );
    expect(planned?.deadline).toEqual(at(7 * DAY));
    const after = schedule(SRC, facts({ records: { fix_lgtm: movedTo(at(9 * DAY)) } }), at(6 * DAY));
    const n = { step: 'fix_lgtm', nudge: 'overdue' as const, deadline: at(7 * DAY).getTime() };
    expect(nudgeStillDue('development', after, n, at(7 * DAY))).toBeUndefined();
    expect(
      nudgeStillDue('development', after, { ...n, deadline: at(9 * DAY).getTime() }, at(9 * DAY)),
    ).toMatchObject({ rule: { id: 'fix_lgtm' } });
  });
});

describe('public disclosure: "all timelines become ASAP"', () => {
  const publicAt = at(2 * DAY + 3 * HOUR);

  it.each(TABLES)('%s: every open step not yet due is due the moment it became public', (_id, rules) => {
    const s = schedule(rules, facts({ publicAt, distributorNotice: true }), publicAt);
    for (const x of s.steps) {
      if (x.state === 'not_applicable') continue;
      const planned = x.rule.id === 'fix_team_organized' ? at(DAY) : undefined;
      if (planned) {
        // Due before it became public: its deadline stands (and has passed).
        expect(x).toMatchObject({ dueAt: planned, asap: false, state: 'overdue' });
      } else {
        expect([x.rule.id, x.dueAt, x.asap, x.soonAt, x.state]).toEqual([
          x.rule.id,
          publicAt,
          true,
          publicAt,
          'overdue',
        ]);
      }
    }
    // No "due soon" for an ASAP step: it is overdue at once. (The step whose own deadline had passed keeps
    // its "due soon", which the scheduler drops for a deadline already gone.)
    const nudges = plannedNudges('development', s);
    expect(nudges.filter((n) => n.kind === 'soon').map((n) => n.step)).toEqual(['fix_team_organized']);
    for (const x of s.steps.filter((y) => y.asap && y.state !== 'not_applicable')) {
      expect(nudges.filter((n) => n.step === x.rule.id)).toEqual([
        { step: x.rule.id, kind: 'overdue', at: publicAt, deadline: publicAt },
      ]);
    }
  });

  it('a deadline moved before it became public is ASAP too; one moved after it stands', () => {
    const records = {
      fix_lgtm: movedTo(at(10 * DAY), at(DAY)),
      cherry_picks: movedTo(at(10 * DAY), publicAt),
      prs_merged: movedTo(at(12 * DAY), at(3 * DAY)),
    };
    const s = schedule(SRC, facts({ publicAt, records }), at(3 * DAY));
    expect(step(s, 'fix_lgtm')).toMatchObject({ dueAt: publicAt, asap: true, state: 'overdue' });
    expect(step(s, 'cherry_picks')).toMatchObject({ dueAt: at(10 * DAY), asap: false, state: 'upcoming' });
    expect(step(s, 'prs_merged')).toMatchObject({ dueAt: at(12 * DAY), asap: false, state: 'upcoming' });
    expect(step(s, 'prs_merged').soonAt.getTime()).toBeLessThan(at(12 * DAY).getTime());
    const nudged = plannedNudges('development', s)
      .filter((n) => n.step === 'prs_merged')
      .map((n) => n.kind);
    expect(nudged).toEqual(['soon', 'overdue']);
  });

  it('done steps stay done once public', () => {
    const s = schedule(SRC, facts({ publicAt, records: { fix_lgtm: settled('done') } }), publicAt);
    expect(step(s, 'fix_lgtm').state).toBe('done');
    expect(plannedNudges('development', s).map((n) => n.step)).not.toContain('fix_lgtm');
  });
});

describe('steps that are not nudged', () => {
  it.each([
    ['done', settled('done')],
    ['skipped', settled('skipped')],
  ] as const)('a %s step is %s with who and why, and plans no nudge', (state, record) => {
    const s = schedule(SRC, facts({ records: { fix_lgtm: record } }), at(8 * DAY));
    expect(step(s, 'fix_lgtm')).toMatchObject({
      state,
      outcome: { at: record.outcomeAt, by: 'U0CAROL01', reason: record.outcomeReason },
    });
    expect(plannedNudges('development', s).map((n) => n.step)).not.toContain('fix_lgtm');
    expect(overdueSteps(s).map((x) => x.rule.id)).not.toContain('fix_lgtm');
  });

  it('a step that does not apply plans no nudge, even when overdue', () => {
    const s = schedule(PST, facts({ distributorNotice: false }), at(30 * DAY));
    expect(plannedNudges('development', s).map((n) => n.step)).not.toContain('distributors_optional');
  });

  it.each([
    ['src', 'fix_team_organized', { fixTeamSize: 1 }],
    ['src', 'cvss_scored', { hasCvss: true }],
    ['src', 'final_rating', { hasFinalRating: true }],
    ['src', 'cve_requested', { hasCve: true }],
    ['src', 'announce', { published: true }],
    ['pst2018', 'fix_team_organized', { fixTeamSize: 3 }],
    ['pst2018', 'cvss_scored', { hasCvss: true }],
    ['pst2018', 'final_rating', { hasFinalRating: true }],
    ['pst2018', 'cve_requested', { hasCve: true }],
    ['pst2018', 'announce', { published: true }],
  ] as const)('%s: %s is done by srp once %o', (id, stepId, fact) => {
    const rules = PROFILES[id].phases;
    expect(step(schedule(rules, facts(), at(30 * DAY)), stepId).state).toBe('overdue');
    const s = schedule(rules, facts(fact), at(30 * DAY));
    expect(step(s, stepId)).toMatchObject({ state: 'done', outcome: { at: null, by: 'srp', reason: null } });
    expect(plannedNudges('development', s).map((n) => n.step)).not.toContain(stepId);
    // Only that step: the fact makes no other step done.
    const others = s.steps.filter((x) => x.rule.id !== stepId && x.state === 'done');
    expect(others).toEqual([]);
  });

  it('a person’s record wins over a fact: skipped stays skipped when the fact comes later', () => {
    const s = schedule(SRC, facts({ hasCvss: true, records: { cvss_scored: settled('skipped') } }), R);
    expect(step(s, 'cvss_scored').state).toBe('skipped');
  });
});

describe('leadTime: a quarter of the window, at least an hour, or the step’s own', () => {
  const nudges = SRC.nudges;
  const cvss = rule(SRC, 'cvss_scored');
  it.each([
    [6 * DAY, 36 * HOUR],
    [DAY, 6 * HOUR],
    [4 * HOUR, HOUR],
    [4 * HOUR + 4, HOUR + 1],
    [3 * HOUR, HOUR],
    [0, HOUR],
  ])('a %i ms window → %i ms', (windowMs, lead) => {
    expect(leadTime(cvss, windowMs, nudges)).toBe(lead);
  });

  it('a step’s leadMs (a team’s process file) overrides the share and the minimum', () => {
    expect(leadTime({ ...cvss, leadMs: 5 * 60_000 }, 6 * DAY, nudges)).toBe(5 * 60_000);
    expect(leadTime({ ...cvss, leadMs: 3 * DAY }, DAY, nudges)).toBe(3 * DAY);
    const rules: PhaseRules = {
      ...SRC,
      steps: SRC.steps.map((x) => (x.id === 'cvss_scored' ? { ...x, leadMs: 2 * HOUR } : x)),
    };
    expect(step(schedule(rules, facts(), R), 'cvss_scored').soonAt).toEqual(at(7 * DAY - 2 * HOUR));
  });

  it('follows the phase’s share and minimum when a process file changes them', () => {
    expect(leadTime(cvss, 6 * DAY, { ...nudges, leadShare: 0.5 })).toBe(3 * DAY);
    expect(leadTime(cvss, 6 * DAY, { ...nudges, minLeadMs: 2 * DAY })).toBe(2 * DAY);
  });
});

describe('nudgeStillDue: a nudge planned earlier, checked again when it fires', () => {
  const deadline = at(7 * DAY);
  const soon = { step: 'fix_lgtm', nudge: 'soon' as const, deadline: deadline.getTime() };
  const overdue = { ...soon, nudge: 'overdue' as const };
  const fire = at(6 * DAY);

  it('is the step while it is open with the same deadline', () => {
    const s = schedule(SRC, facts(), fire);
    expect(nudgeStillDue('development', s, soon, fire)?.rule.id).toBe('fix_lgtm');
    expect(nudgeStillDue('development', s, overdue, deadline)?.rule.id).toBe('fix_lgtm');
    expect(nudgeStillDue('development', s, overdue, at(9 * DAY))?.rule.id).toBe('fix_lgtm');
  });

  it.each([
    ['its deadline moved', facts({ records: { fix_lgtm: movedTo(at(8 * DAY)) } }), 'development'],
    ['the step is done', facts({ records: { fix_lgtm: settled('done') } }), 'development'],
    ['the step was skipped', facts({ records: { fix_lgtm: settled('skipped') } }), 'development'],
    ['the incident is closed', facts({ phase: 'closed' }), 'closed'],
    ['it became public (ASAP is another deadline)', facts({ publicAt: at(5 * DAY) }), 'development'],
  ] as const)('is nothing once %s', (_why, f, phase) => {
    const s = schedule(SRC, f, fire);
    expect(nudgeStillDue(phase, s, soon, fire)).toBeUndefined();
    expect(nudgeStillDue(phase, s, overdue, at(8 * DAY))).toBeUndefined();
  });

  it('is nothing for a "due soon" whose deadline passed (the overdue one says it), or for an unknown step', () => {
    const s = schedule(SRC, facts(), deadline);
    expect(nudgeStillDue('development', s, soon, deadline)).toBeUndefined();
    expect(nudgeStillDue('development', s, soon, new Date(deadline.getTime() - 1))).toBeDefined();
    expect(nudgeStillDue('development', s, { ...soon, step: 'gone' }, fire)).toBeUndefined();
  });
});

describe('stepsLeftBehind: moving past open steps skips them', () => {
  const s = schedule(SRC, facts({ hasCve: true, records: { cvss_scored: settled('done') } }), at(2 * DAY));
  const ids = (from: Phase, to: Phase) => stepsLeftBehind(s, from, to).map((x) => x.rule.id);

  it.each([
    ['triage', 'fix_team', []],
    ['triage', 'development', ['fix_team_organized']],
    ['fix_team', 'development', ['fix_team_organized']],
    ['development', 'disclosure_planning', ['fix_team_organized', 'final_rating', 'fix_lgtm']],
    ['development', 'release', ['fix_team_organized', 'final_rating', 'fix_lgtm', 'distributors_advance']],
    [
      'release',
      'retrospective',
      [
        'fix_team_organized',
        'final_rating',
        'fix_lgtm',
        'distributors_advance',
        'cherry_picks',
        'prs_merged',
        'binaries_built',
        'distributors_release_day',
        'announce',
        'fix_team_removed',
      ],
    ],
  ] as const)('%s → %s leaves %j open', (from, to, expected) => {
    expect(ids(from, to)).toEqual(expected);
  });

  it('going back, staying, or closing leaves nothing behind', () => {
    expect(ids('release', 'development')).toEqual([]);
    expect(ids('development', 'development')).toEqual([]);
    expect(ids('closed', 'development')).toEqual([]);
  });

  it('done and not applicable steps are never left behind', () => {
    const none = schedule(SRC, facts({ fixTeamSize: 2 }), R);
    expect(stepsLeftBehind(none, 'triage', 'release').map((x) => x.rule.id)).toEqual([
      'cvss_scored',
      'final_rating',
      'cve_requested',
      'fix_lgtm',
    ]);
  });
});

describe('checkMove: every phase pair', () => {
  // '-': the usual next phase, no reason; 'R': allowed with a reason; '=': already there;
  // 'C': closing needs how it ended; 'X': it is closed, reopen it first.
  const MATRIX = [
    '                     tri fix dev dis rel ret clo',
    'triage               =   -   R   R   R   R   C',
    'fix_team             R   =   -   R   R   R   C',
    'development          R   R   =   -   R   R   C',
    'disclosure_planning  R   R   R   =   -   R   C',
    'release              R   R   R   R   =   -   C',
    'retrospective        R   R   R   R   R   =   C',
    'closed               X   X   X   X   X   X   X',
  ];
  const cases = MATRIX.slice(1).flatMap((row) => {
    const [from, ...cells] = row.split(/\s+/) as [Phase, ...string[]];
    return cells.map((cell, i) => [from, PHASES[i] as Phase, cell] as const);
  });

  it('has a cell for every pair', () => {
    expect(cases).toHaveLength(PHASES.length ** 2);
    expect(MATRIX.slice(1).map((row) => row.split(' ')[0])).toEqual([...PHASES]);
  });

  it.each(cases)('advance %s → %s: %s', (from, to, cell) => {
    const r = checkMove(from, { kind: 'advance', to });
    switch (cell) {
      case '-':
        return expect(r).toEqual({ ok: true, needsReason: false });
      case 'R':
        return expect(r).toEqual({ ok: true, needsReason: true });
      case '=':
        return expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(/already in/) });
      case 'C':
        return expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(/Close it with how/) });
      default:
        return expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(/reopen it first/) });
    }
  });

  it.each(PHASES)(
    'close from %s: fixed after the retrospective needs no reason, anything else does',
    (from) => {
      for (const resolution of Object.keys(RESOLUTIONS) as (keyof typeof RESOLUTIONS)[]) {
        const r = checkMove(from, { kind: 'close', resolution });
        if (from === 'closed') {
          expect(r).toMatchObject({ ok: false, problem: expect.stringMatching(/closed: reopen it first/) });
        } else {
          const usual = from === 'retrospective' && resolution === 'fixed';
          expect([resolution, r]).toEqual([resolution, { ok: true, needsReason: !usual }]);
        }
      }
      expect(NO_FIX).not.toContain('fixed');
    },
  );

  it.each(PHASES)('reopen into %s', (to) => {
    const r = checkMove('closed', { kind: 'reopen', to });
    expect(r).toEqual(
      to === 'closed'
        ? { ok: false, problem: expect.stringMatching(/Reopen it into a phase/) }
        : { ok: true, needsReason: true },
    );
    for (const from of PHASES.filter((p) => p !== 'closed')) {
      expect(checkMove(from, { kind: 'reopen', to })).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/It is not closed/),
      });
    }
  });
});

describe('staleness: how long an incident may go quiet', () => {
  it.each([
    ['src', 'Critical', 2 * DAY],
    ['src', 'High', 7 * DAY],
    ['src', 'Medium', 30 * DAY],
    ['src', 'Low', null],
    ['src', null, 30 * DAY], // unrated counts as Medium
    ['pst2018', 'Critical', 2 * DAY],
    ['pst2018', 'High', 7 * DAY],
    ['pst2018', 'Medium', 30 * DAY],
    ['pst2018', 'Low', null],
    ['pst2018', null, 30 * DAY],
  ] as const)('%s: %s → %s ms', (id, rating, limit) => {
    expect(stalenessLimit(PROFILES[id].phases, rating)).toBe(limit);
  });

  it('pings once per period after the last event', () => {
    const last = d('2026-05-04T10:00:00Z');
    expect(stalePingAt(last, 2 * DAY, 1)).toEqual(d('2026-05-06T10:00:00Z'));
    expect(stalePingAt(last, 2 * DAY, 2)).toEqual(d('2026-05-08T10:00:00Z'));
    expect(stalePingAt(last, 7 * DAY, 3)).toEqual(d('2026-05-25T10:00:00Z'));
  });

  it('counts by the final call, else the questionnaire, else CVSS', () => {
    expect(effectiveRating({ final: 'Low', questionnaire: 'High', cvss: 'Critical' })).toBe('Low');
    expect(effectiveRating({ final: null, questionnaire: 'High', cvss: 'Critical' })).toBe('High');
    expect(effectiveRating({ final: null, questionnaire: null, cvss: 'Critical' })).toBe('Critical');
    expect(effectiveRating({ final: null, questionnaire: null, cvss: null })).toBeNull();
    for (const r of RATINGS) expect(stalenessLimit(SRC, r)).toBe(SRC.staleness.limits[r]);
  });
});

describe('responsible: who a step’s nudges go to', () => {
  const holders = {
    commander: 'UCMD',
    fixLead: 'ULEAD',
    fixTeam: ['UDEV1', 'UDEV2'],
    releaseManagers: ['URM'],
    perIncident: { triage: 'UTRI', infra: null, disclosure: 'UDIS' } as Partial<Record<Owner, string | null>>,
  };
  const nobody = { commander: null, fixLead: null, fixTeam: [], releaseManagers: [], perIncident: {} };

  it.each([
    ['commander', holders, ['UCMD']],
    ['fix_lead', holders, ['ULEAD']],
    ['fix_team', holders, ['UDEV1', 'UDEV2']],
    ['release_managers', holders, ['URM']],
    ['triage', holders, ['UTRI']],
    ['disclosure', holders, ['UDIS']],
    // Fallbacks: nobody holds it yet.
    ['fix_lead', { ...holders, fixLead: null }, ['UCMD']], // no Fix Lead → the commander
    ['fix_team', { ...holders, fixTeam: [] }, ['ULEAD']], // empty Fix Team → the Fix Lead
    ['fix_team', { ...holders, fixTeam: [], fixLead: null }, ['UCMD']],
    ['release_managers', { ...holders, releaseManagers: [] }, ['ULEAD']],
    ['infra', holders, ['ULEAD']], // a 2018 role given to nobody → the Fix Lead
    ['project_manager', holders, ['ULEAD']], // not on record at all
    ['infra', { ...holders, fixLead: null }, ['UCMD']], // → then the commander
    ['commander', { ...holders, commander: null }, ['ULEAD']],
    ['commander', nobody, []],
    ['fix_lead', nobody, []],
    ['fix_team', nobody, []],
    ['triage', nobody, []],
  ] as const)('%s with %o → %j', (owner, h, expected) => {
    expect(responsible(owner, h)).toEqual(expected);
  });

  it('returns a copy of a group, never the holders’ own array', () => {
    const got = responsible('fix_team', holders);
    expect(got).not.toBe(holders.fixTeam);
  });
});

describe('working hours across DST, in New York and Berlin', () => {
  // 2026: New York springs forward on 8 March and falls back on 1 November; Berlin on 29 March and 25
  // October. Between them the two are 5 hours apart instead of 6.
  const ny: WorkingHours = { ...DEFAULT_WORKING_HOURS, zone: 'America/New_York' };
  const berlin: WorkingHours = { ...DEFAULT_WORKING_HOURS, zone: 'Europe/Berlin' };
  const everyDay = (h: WorkingHours): WorkingHours => ({ ...h, days: [1, 2, 3, 4, 5, 6, 7] });

  describe('deliveryTime: now while someone works, else the next 09:00 local of whoever starts first', () => {
    it.each([
      [
        'NY Friday evening before spring forward → Monday 09:00 EDT',
        [ny],
        '2026-03-06T23:00:00Z',
        '2026-03-09T13:00:00Z',
      ],
      [
        'NY Saturday before fall back → Monday 09:00 EST',
        [ny],
        '2026-10-31T15:00:00Z',
        '2026-11-02T14:00:00Z',
      ],
      ['NY Sunday of fall back → Monday 09:00 EST', [ny], '2026-11-01T05:30:00Z', '2026-11-02T14:00:00Z'],
      [
        'Berlin Friday evening before spring forward → Monday 09:00 CEST',
        [berlin],
        '2026-03-27T17:00:00Z',
        '2026-03-30T07:00:00Z',
      ],
      [
        'Berlin Friday evening before fall back → Monday 09:00 CET',
        [berlin],
        '2026-10-23T17:00:00Z',
        '2026-10-26T08:00:00Z',
      ],
      [
        'Berlin early Wednesday in the gap weeks → 09:00 CET',
        [berlin],
        '2026-03-18T06:00:00Z',
        '2026-03-18T08:00:00Z',
      ],
      [
        'NY early Wednesday in the gap weeks → 09:00 EDT',
        [ny],
        '2026-03-18T06:00:00Z',
        '2026-03-18T13:00:00Z',
      ],
      // 22:00Z on a gap-week Tuesday: NY is off (18:00 EDT), Berlin is asleep; Berlin starts first.
      [
        'both, between the changes → Berlin first',
        [ny, berlin],
        '2026-03-17T22:00:00Z',
        '2026-03-18T08:00:00Z',
      ],
      // 16:30Z: Berlin has just stopped (17:30 CET), NY works (12:30 EDT): now.
      ['both, NY still working → now', [ny, berlin], '2026-03-17T16:30:00Z', '2026-03-17T16:30:00Z'],
      // The same instant a week later, after Berlin's change: Berlin 18:30 CEST, NY 12:30 EDT → still now.
      ['both after Berlin’s change → now', [ny, berlin], '2026-03-31T16:30:00Z', '2026-03-31T16:30:00Z'],
      [
        'Friday night, both → Monday Berlin 09:00 CEST',
        [berlin, ny],
        '2026-04-03T23:00:00Z',
        '2026-04-06T07:00:00Z',
      ],
    ] as const)('%s', (_label, hours, now, expected) => {
      const got = deliveryTime(d(now), hours, false);
      expect(got).toEqual(d(expected));
    });

    it('weekends are skipped: Saturday and Sunday wait for Monday', () => {
      for (const day of ['2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z']) {
        expect(deliveryTime(d(day), [berlin], false)).toEqual(d('2026-10-26T08:00:00Z'));
      }
    });

    it('urgent (public or Critical) goes now, whatever the hour', () => {
      const sunday = d('2026-03-29T01:30:00Z');
      expect(deliveryTime(sunday, [berlin, ny], true)).toBe(sunday);
    });

    it('goes now when someone has no working hours on record, or nobody is named', () => {
      const sunday = d('2026-03-08T07:00:00Z');
      expect(deliveryTime(sunday, [null], false)).toBe(sunday);
      expect(deliveryTime(sunday, [berlin, null], false)).toBe(sunday);
      expect(deliveryTime(sunday, [], false)).toBe(sunday);
    });
  });

  describe('nextRepeat: the start of the next working day, local', () => {
    it.each([
      ['Berlin Thursday → Friday 09:00 CET', [berlin], '2026-03-26T10:00:00Z', '2026-03-27T08:00:00Z'],
      ['Berlin Friday → Monday 09:00 CEST', [berlin], '2026-03-27T10:00:00Z', '2026-03-30T07:00:00Z'],
      ['Berlin Friday → Monday 09:00 CET', [berlin], '2026-10-23T10:00:00Z', '2026-10-26T08:00:00Z'],
      ['NY Friday → Monday 09:00 EDT', [ny], '2026-03-06T15:00:00Z', '2026-03-09T13:00:00Z'],
      ['NY Friday → Monday 09:00 EST', [ny], '2026-10-30T14:00:00Z', '2026-11-02T14:00:00Z'],
      // Late evening: still the next local day, not the day after.
      ['NY Thursday 23:30 EDT → Friday 09:00 EDT', [ny], '2026-10-30T03:30:00Z', '2026-10-30T13:00:00Z'],
      // Working every day: the day of the change itself, 25 and 22 hours later.
      [
        'NY every day: Saturday → Sunday of fall back',
        [everyDay(ny)],
        '2026-10-31T14:00:00Z',
        '2026-11-01T14:00:00Z',
      ],
      [
        'Berlin every day: Saturday → Sunday of spring forward',
        [everyDay(berlin)],
        '2026-03-28T09:00:00Z',
        '2026-03-29T07:00:00Z',
      ],
      ['both, gap weeks: Berlin starts first', [ny, berlin], '2026-03-17T15:00:00Z', '2026-03-18T08:00:00Z'],
      ['both, after fall back in Berlin only', [ny, berlin], '2026-10-27T15:00:00Z', '2026-10-28T08:00:00Z'],
    ] as const)('%s', (_label, hours, now, expected) => {
      expect(nextRepeat(d(now), hours, false)).toEqual(d(expected));
    });

    it('urgent, or someone’s hours unknown: exactly 24 hours later, even across a DST change', () => {
      const now = d('2026-03-28T09:00:00Z');
      expect(nextRepeat(now, [berlin], true)).toEqual(d('2026-03-29T09:00:00Z'));
      expect(nextRepeat(now, [berlin, null], false)).toEqual(d('2026-03-29T09:00:00Z'));
      expect(nextRepeat(now, [], false)).toEqual(d('2026-03-29T09:00:00Z'));
    });
  });

  it('property: deliveryTime is now or a 09:00 local weekday start; nextRepeat a later local day at 09:00', () => {
    const zones = ['America/New_York', 'Europe/Berlin'] as const;
    fc.assert(
      fc.property(
        fc.date({ min: d('2026-01-01T00:00:00Z'), max: d('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.subarray([...zones], { minLength: 1 }),
        (now, chosen) => {
          const hours = chosen.map((zone) => ({ ...DEFAULT_WORKING_HOURS, zone }));
          const localOf = (zone: string, t: Date) => DateTime.fromJSDate(t, { zone });
          const startsWork = (t: Date) =>
            chosen.some((zone) => {
              const l = localOf(zone, t);
              return l.weekday <= 5 && l.hour === 9 && l.minute === 0 && l.second === 0;
            });
          const working = (t: Date) =>
            chosen.some((zone) => {
              const l = localOf(zone, t);
              return l.weekday <= 5 && l.hour >= 9 && l.hour < 17;
            });

          const delivered = deliveryTime(now, hours, false);
          if (working(now)) expect(delivered).toBe(now);
          else {
            expect(delivered.getTime()).toBeGreaterThan(now.getTime());
            expect(startsWork(delivered)).toBe(true);
            // Nobody works in between: it is the first start, not a later one.
            expect(delivered.getTime() - now.getTime()).toBeLessThanOrEqual(3 * DAY + 2 * HOUR);
          }

          const repeat = nextRepeat(now, hours, false);
          expect(startsWork(repeat)).toBe(true);
          // On a later local day for whoever it starts for: at most once a working day.
          const zone = chosen.find((z) => {
            const l = localOf(z, repeat);
            return l.weekday <= 5 && l.hour === 9 && l.minute === 0;
          }) as string;
          expect(localOf(zone, repeat).startOf('day') > localOf(zone, now).startOf('day')).toBe(true);
          expect(repeat.getTime() - now.getTime()).toBeLessThanOrEqual(4 * DAY);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('properties of the schedule', () => {
  const profile = fc.constantFrom(SRC, PST);
  const stepRecord = fc.oneof(
    fc.constant(undefined),
    fc.constant(settled('done')),
    fc.constant(settled('skipped')),
    fc.integer({ min: 1, max: 40 * 24 }).map((h) => movedTo(at(h * HOUR), at(Math.floor(h / 2) * HOUR))),
  );
  const scenario = profile.chain((rules) =>
    fc.record({
      rules: fc.constant(rules),
      records: fc.tuple(...rules.steps.map(() => stepRecord)),
      publicAfterH: fc.option(fc.integer({ min: 0, max: 30 * 24 }), { nil: undefined }),
      nowH: fc.integer({ min: 0, max: 40 * 24 }),
      hasCve: fc.boolean(),
      notice: fc.constantFrom(null, false, true),
    }),
  );

  it('one nudge per step, kind and deadline; none for a closed incident; "due soon" strictly before its deadline', () => {
    fc.assert(
      fc.property(scenario, ({ rules, records, publicAfterH, nowH, hasCve, notice }) => {
        const recs: Record<string, StepRecord> = {};
        rules.steps.forEach((r, i) => {
          const rec = records[i];
          if (rec) recs[r.id] = rec;
        });
        const f = facts({
          records: recs,
          hasCve,
          distributorNotice: notice,
          publicAt: publicAfterH === undefined ? null : at(publicAfterH * HOUR),
        });
        const s = schedule(rules, f, at(nowH * HOUR));
        const nudges = plannedNudges('development', s);
        const keys = nudges.map((n) => `${n.step}:${n.kind}:${n.deadline.getTime()}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const n of nudges) {
          const x = step(s, n.step);
          expect(['upcoming', 'due_soon', 'overdue']).toContain(x.state);
          expect(n.deadline).toEqual(x.dueAt);
          if (n.kind === 'soon') expect(n.at.getTime()).toBeLessThan(n.deadline.getTime());
          else expect(n.at).toEqual(n.deadline);
          // Every planned nudge is still due when it fires (a "due soon" before its deadline).
          expect(
            nudgeStillDue(
              'development',
              s,
              { step: n.step, nudge: n.kind, deadline: n.deadline.getTime() },
              n.at,
            ),
          ).toBe(x);
          if (f.publicAt && x.asap) expect(n.kind).toBe('overdue');
        }
        expect(plannedNudges('closed', s)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
