import { describe, expect, it } from 'vitest';
import type { StepState, StepStatus } from '../../src/domain/deadlines.js';
import type { Incident } from '../../src/domain/incident.js';
import { PROFILES } from '../../src/domain/profiles/index.js';
import type { StepRule } from '../../src/domain/profiles/types.js';
import { LIMITS } from '../../src/domain/report.js';
import {
  fixTeamHome,
  HOME_REPORT_ACTION,
  type HomeIncident,
  memberHome,
  NEEDS_LISTED,
  OPEN_LISTED,
  outsiderHome,
} from '../../src/views/home.js';
import { VIEW_MAX_BLOCKS, validateView } from '../support/blockKit.js';

const now = new Date('2026-11-23T16:00:00Z');
const DAY = 86_400_000;
const rules = PROFILES.src.phases.steps;
const rule = (id: string) => rules.find((r) => r.id === id) as StepRule;

function incident(n: number, patch: Partial<Incident> = {}): Incident {
  const id = `SRP-2026-${String(n).padStart(3, '0')}`;
  return {
    id,
    summary: `Summary of ${id}`,
    description: 'A description.',
    components: 'kubelet',
    arrival: 'hackerone',
    arrivalRef: null,
    disclosure: 'private',
    reporterName: null,
    reporterContact: null,
    receivedAt: new Date(now.getTime() - n * DAY),
    cveId: null,
    phase: 'development',
    resolution: null,
    publicAt: null,
    publicBy: null,
    publicWhere: null,
    publicLink: null,
    reportedBy: 'UREPORTER1',
    createdAt: new Date(now.getTime() - n * DAY),
    updatedAt: now,
    ...patch,
  };
}

function step(r: StepRule, state: StepState, dueInDays: number, patch: Partial<StepStatus> = {}): StepStatus {
  const dueAt = new Date(now.getTime() + dueInDays * DAY);
  return { rule: r, state, dueAt, asap: false, soonAt: new Date(dueAt.getTime() - DAY), ...patch };
}

const listed = (i: Incident, next?: StepStatus, overdue = 0): HomeIncident => ({
  incident: i,
  next,
  overdue,
});
const text = (view: object) => JSON.stringify(view);
const buttons = (view: { blocks: object[] }) =>
  view.blocks.flatMap((b) => {
    const block = b as { type: string; elements?: Array<{ type: string }>; accessory?: { type: string } };
    return [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])].filter(
      (e) => e.type === 'button',
    );
  });

describe('the Home tab', () => {
  it('shows a member what needs them first, overdue before due soon, then the open incidents and who is oncall', () => {
    const overdue = step(rule('fix_lgtm'), 'overdue', -2);
    const soon = step(rule('cvss_scored'), 'due_soon', 1);
    const view = memberHome({
      now,
      needs: {
        total: 2,
        lines: [
          { incidentId: 'SRP-2026-002', summary: 'Second <!channel>', step: overdue },
          { incidentId: 'SRP-2026-001', summary: 'First', step: soon },
        ],
      },
      open: {
        total: 2,
        incidents: [listed(incident(1), soon), listed(incident(2), overdue, 1)],
      },
      oncall: { primary: 'UPRIMARY01', secondary: 'USECOND001', until: new Date(now.getTime() + 3 * DAY) },
    });
    expect(validateView(view)).toEqual([]);
    const all = text(view);
    const at = (s: string) => all.indexOf(s);
    expect(at('*What needs you*')).toBeGreaterThan(-1);
    // Overdue first, then due soon, both before the list of open incidents.
    expect(at(':warning: *SRP-2026-002* · Fix LGTMed (Fix Team) · *overdue* since')).toBeGreaterThan(
      at('*What needs you*'),
    );
    expect(at(':alarm_clock: *SRP-2026-001* · CVSS scored (Fix Lead) · due soon:')).toBeGreaterThan(
      at(':warning: *SRP-2026-002*'),
    );
    expect(at('*Open incidents* (2)')).toBeGreaterThan(at(':alarm_clock: *SRP-2026-001*'));
    expect(all).toContain('Development · next: Fix LGTMed (Fix Team)');
    expect(all).toContain(':warning: 1 overdue');
    expect(all).toContain('primary <@UPRIMARY01>, secondary <@USECOND001>, until <!date^');
    // Summaries are the reporter's words: escaped, never a ping.
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('says so when nothing needs them, nothing is open and no rotation is set up', () => {
    const view = memberHome({
      now,
      needs: { total: 0, lines: [] },
      open: { total: 0, incidents: [] },
      oncall: undefined,
    });
    expect(validateView(view)).toEqual([]);
    expect(text(view)).toContain('Nothing needs you now.');
    expect(text(view)).toContain('*Open incidents* (0)');
    expect(text(view)).toContain('no rotation is set up');
  });

  it('stays within 100 blocks and every text limit with 200 open incidents at the longest summaries', () => {
    const long = 'S&<'.repeat(LIMITS.summary).slice(0, LIMITS.summary);
    const longRule = { ...rule('fix_lgtm'), name: 'N'.repeat(200) };
    const incidents = Array.from({ length: 200 }, (_, n) => incident(n + 1, { summary: long }));
    const needs = incidents.map((i) => ({
      incidentId: i.id,
      summary: long,
      step: step(longRule, 'overdue', -1),
    }));
    const view = memberHome({
      now,
      needs: { total: needs.length, lines: needs },
      open: { total: 200, incidents: incidents.map((i) => listed(i, step(longRule, 'overdue', -1), 11)) },
      oncall: { primary: 'UPRIMARY01', secondary: null, until: now },
    });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(VIEW_MAX_BLOCKS);
    expect(text(view)).toContain(`…and ${200 - NEEDS_LISTED} more`);
    expect(text(view)).toContain(`…and ${200 - OPEN_LISTED} more: \`/srp status\``);

    const fix = fixTeamHome({
      now,
      total: 200,
      incidents: incidents.map((i) => ({
        ...listed(i, step(longRule, 'overdue', -1), 11),
        mine: Array.from({ length: 12 }, () => step(longRule, 'overdue', -1)),
      })),
      own: { total: 300, reports: incidents.map((i) => ({ id: i.id, receivedAt: i.receivedAt })) },
    });
    expect(validateView(fix)).toEqual([]);
    expect(fix.blocks.length).toBeLessThanOrEqual(VIEW_MAX_BLOCKS);
  });

  it("shows anyone else exactly the report button and their own reports' ids and received dates", () => {
    const reports = [incident(2), incident(1)].map((i) => ({ id: i.id, receivedAt: i.receivedAt }));
    const view = outsiderHome({ total: 2, reports });
    expect(validateView(view)).toEqual([]);
    expect(buttons(view)).toEqual([expect.objectContaining({ action_id: HOME_REPORT_ACTION })]);
    const all = text(view);
    expect(all).toContain('`SRP-2026-002` · received <!date^');
    expect(all).toContain('`SRP-2026-001` · received <!date^');
    for (const absent of ['Summary of', 'Open incidents', 'Oncall', 'What needs you', 'Development']) {
      expect(all).not.toContain(absent);
    }
    expect(text(outsiderHome({ total: 0, reports: [] }))).toContain('None yet.');
    // Newest 20 and how many more.
    const many = Array.from({ length: 25 }, (_, n) => ({ id: incident(n + 1).id, receivedAt: now }));
    const cut = text(outsiderHome({ total: 25, reports: many }));
    expect(cut).toContain('SRP-2026-020');
    expect(cut).not.toContain('SRP-2026-021');
    expect(cut).toContain('…and 5 more');
  });

  it('shows a Fix Team member their incident with its phase, next deadline and their steps, and nothing else', () => {
    const theirs = incident(7, { summary: 'Their incident' });
    const mine = [step(rule('fix_lgtm'), 'due_soon', 2), step(rule('prs_merged'), 'upcoming', 9)];
    const view = fixTeamHome({
      now,
      total: 1,
      incidents: [{ ...listed(theirs, mine[0]), mine }],
      own: { total: 0, reports: [] },
    });
    expect(validateView(view)).toEqual([]);
    const all = text(view);
    expect(all).toContain('*SRP-2026-007* · Their incident');
    expect(all).toContain('Development · next: Fix LGTMed (Fix Team)');
    expect(all).toContain(':alarm_clock: Fix LGTMed · due soon:');
    expect(all).toContain(':white_circle: ');
    expect(all).not.toMatch(/SRP-2026-00[0-689]/);
    expect(all).not.toContain('Oncall');
    expect(all).not.toContain('What needs you');
    expect(buttons(view)).toHaveLength(1);
  });
});
