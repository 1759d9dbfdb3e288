import { describe, expect, it } from 'vitest';
import { type ScheduleFacts, schedule } from '../../src/domain/deadlines.js';
import type { Incident } from '../../src/domain/incident.js';
import { PROFILES } from '../../src/domain/profiles/index.js';
import { LIMITS } from '../../src/domain/report.js';
import { escapeMrkdwn, slackDate } from '../../src/views/format.js';
import { helpMessage, unknownCommandMessage } from '../../src/views/help.js';
import { incidentCard, incidentCardText, reporterAdditionPost } from '../../src/views/incidentCard.js';
import { membersMessage } from '../../src/views/members.js';
import { releaseManagersMessage, rolesMessage } from '../../src/views/owners.js';
import { additionReceipt, reporterReceipt } from '../../src/views/receipt.js';
import { draftFromState, reportAddModal, reportModal } from '../../src/views/reportModal.js';
import { cvssModal, severityModal } from '../../src/views/severity.js';
import { timelineLine } from '../../src/views/show.js';
import { STATUS_LISTED, statusMessage } from '../../src/views/status.js';
import { validateMessageBlocks, validateView } from '../support/blockKit.js';

const now = new Date('2026-11-23T16:00:00Z');
const longest: Incident = {
  id: 'SRP-2026-1234',
  summary: 'S'.repeat(LIMITS.summary),
  description: '<!channel> & '.repeat(300).slice(0, LIMITS.description),
  components: 'c'.repeat(LIMITS.components),
  arrival: 'github_issue',
  arrivalRef: `https://github.com/${'x'.repeat(LIMITS.arrivalRef - 19)}`,
  disclosure: 'public',
  reporterName: 'n'.repeat(LIMITS.reporterName),
  reporterContact: 'c'.repeat(LIMITS.reporterContact),
  receivedAt: now,
  cveId: 'CVE-2026-123456',
  phase: 'triage',
  resolution: null,
  publicAt: null,
  publicBy: null,
  publicWhere: null,
  publicLink: null,
  reportedBy: 'U0123456',
  createdAt: now,
  updatedAt: now,
};

const facts: ScheduleFacts = {
  phase: 'development',
  receivedAt: now,
  publicAt: null,
  fixTeamSize: 0,
  hasCvss: false,
  hasFinalRating: false,
  hasCve: true,
  published: false,
  distributorNotice: true,
  records: {},
};

describe('Block Kit views stay within Slack limits at the longest allowed input', () => {
  it('report modal, new and edit', () => {
    expect(validateView(reportModal({ now }))).toEqual([]);
    expect(validateView(reportModal({ now, initial: longest, incidentId: longest.id }))).toEqual([]);
  });
  it("the reporter's form and the form to add to a report", () => {
    expect(validateView(reportModal({ now, form: 'reporter' }))).toEqual([]);
    expect(validateView(reportAddModal(longest.id))).toEqual([]);
  });
  it("a reporter's longest addition under the card, escaped", () => {
    const post = reporterAdditionPost(
      longest.id,
      'U0123456',
      '<!channel> & '.repeat(300).slice(0, LIMITS.addition),
    );
    expect(validateMessageBlocks(post.blocks, post.text)).toEqual([]);
    expect(JSON.stringify(post.blocks)).not.toContain('<!channel>');
    expect(post.text).toBe('The reporter added information to SRP-2026-1234');
  });
  it('CVSS modal with pickers for 3.1 and 4.0, and the final-call and questionnaire modals', () => {
    expect(validateView(cvssModal('SRP-2026-001'))).toEqual([]);
    expect(validateView(severityModal({ incidentId: 'SRP-2026-001', answers: {} }))).toEqual([]);
  });
  it('incident card', () => {
    const card = incidentCard(longest);
    expect(validateMessageBlocks(card.blocks, card.text)).toEqual([]);
    // With its schedule: public, every step overdue and named, the phase buttons and the step select.
    const late = new Date(now.getTime() + 90 * 86_400_000);
    const plan = { schedule: schedule(PROFILES.src.phases, facts, late), rules: PROFILES.src.phases };
    for (const phase of ['triage', 'development', 'closed'] as const) {
      const planned = incidentCard(
        { ...longest, phase, publicAt: now, publicBy: 'U0123456' },
        undefined,
        undefined,
        plan,
      );
      expect(validateMessageBlocks(planned.blocks, planned.text)).toEqual([]);
    }
    const own = incidentCard({ ...longest, arrival: 'slack', arrivalRef: null, reporterName: null });
    expect(validateMessageBlocks(own.blocks, own.text)).toEqual([]);
  });
  it('incident card with every role held: a big Fix Team and all four of the 2018 roles', () => {
    const u = (i: number) => `U${String(i).padStart(10, '0')}`;
    const roles = {
      commander: u(1),
      pendingCommander: u(2),
      fixLead: u(3),
      fixTeam: Array.from({ length: 60 }, (_, i) => u(100 + i)),
      perIncident: { project_manager: u(4), triage: u(5), infra: u(6), disclosure: u(7) },
    };
    const late = new Date(now.getTime() + 90 * 86_400_000);
    const plan = { schedule: schedule(PROFILES.pst2018.phases, facts, late), rules: PROFILES.pst2018.phases };
    const card = incidentCard({ ...longest, phase: 'release' }, roles, undefined, plan);
    expect(validateMessageBlocks(card.blocks, card.text)).toEqual([]);
    expect(JSON.stringify(card.blocks)).toContain(
      `*Per-issue roles*\\nRelease/Project Manager: <@${u(4)}> · Triage: <@${u(5)}> · Infra: <@${u(6)}> · Disclosure: <@${u(7)}>`,
    );
    // None held (today's process): no such field at all.
    expect(JSON.stringify(incidentCard(longest, { ...roles, perIncident: {} }).blocks)).not.toContain(
      'Per-issue roles',
    );
  });
  it('status with more incidents than a message can hold', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      ...longest,
      id: `SRP-2026-${String(i + 1).padStart(3, '0')}`,
    }));
    const late = schedule(PROFILES.src.phases, facts, new Date(now.getTime() + 90 * 86_400_000));
    const msg = statusMessage({ total: many.length, incidents: many.slice(0, STATUS_LISTED) }, now, () => ({
      next: late.steps[0],
      overdue: late.steps.length,
    }));
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(msg.blocks)).toContain(`${80 - STATUS_LISTED} more`);
    expect(JSON.stringify(msg.blocks)).toContain('Fix Team organized');
    // Within Slack's total text limit too, although every summary is at its longest and escapes expand it.
    expect(validateMessageBlocks(msg.blocks, msg.text)).toEqual([]);
  });
  it('help, unknown command and receipt', () => {
    const entries = [{ name: 'status', usage: 'status', description: 'd', access: 'committee' as const }];
    for (const m of [
      helpMessage(entries, 'member'),
      unknownCommandMessage('x', entries, 'anyone'),
      reporterReceipt('SRP-2026-001'),
      additionReceipt('SRP-2026-001'),
    ]) {
      expect(validateMessageBlocks(m.blocks, m.text)).toEqual([]);
    }
  });
});

describe('what views reveal', () => {
  it('the card notification text carries only the id and a stock phrase', () => {
    expect(incidentCardText(longest)).toBe('New vulnerability report SRP-2026-1234');
  });
  it('escapes report text so it cannot ping @channel or forge links', () => {
    const json = JSON.stringify(incidentCard(longest).blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt; &amp;');
    expect(escapeMrkdwn('<https://evil|click>')).toBe('&lt;https://evil|click&gt;');
  });
  it('help lists what each standing may use: committee commands hidden from others', () => {
    const entries = [
      { name: 'report', usage: 'report', description: 'r', access: 'anyone' as const },
      { name: 'status', usage: 'status', description: 's', access: 'involved' as const },
      { name: 'members', usage: 'members', description: 'm', access: 'committee' as const },
      { name: 'show', usage: 'show <incident id>', description: 'o', access: 'incident' as const },
    ];
    const text = (s: 'member' | 'fix_team' | 'anyone') => helpMessage(entries, s).blocks[0]?.text.text ?? '';
    expect(text('anyone')).toContain('report');
    expect(text('anyone')).not.toContain('status');
    expect(text('anyone')).not.toContain('members');
    // A Fix Team member outside the committee: status and show, not the committee's commands.
    expect(text('fix_team')).toMatch(/status[\s\S]*show/);
    expect(text('fix_team')).not.toContain('`/srp members`');
    expect(text('member')).toContain('`/srp members`');
    // A Release Manager outside the committee: the same as a Fix Team member, told what they are.
    const rm = helpMessage(entries, 'release_manager').blocks[0]?.text.text ?? '';
    expect(rm).toContain('you are a Release Manager');
    expect(rm).toMatch(/status[\s\S]*show/);
    expect(rm).not.toContain('`/srp members`');
  });
  it('an unknown command is answered with one line per family of commands and its subcommands', () => {
    const entries = ['members', 'members add', 'members remove', 'oncall', 'oncall setup', 'status'].map(
      (name) => ({ name, usage: name, description: '', access: 'member' as const }),
    );
    const text = unknownCommandMessage('membres', entries, 'member').text;
    expect(text).toContain('`/srp members` (add, remove)');
    expect(text).toContain('`/srp oncall` (setup)');
    expect(text.match(/\/srp members/g)).toHaveLength(1);
    expect(text).toContain('`/srp help`');
  });
  it('dates render in each reader’s zone with a UTC fallback', () => {
    expect(slackDate(now)).toBe('<!date^1795449600^{date_short_pretty} at {time}|2026-11-23 16:00 UTC>');
  });
});

describe('who owns what', () => {
  const committee = {
    members: [{ userId: 'U0ALICE01', membership: 'member' as const, company: 'Acme', tz: 'UTC' }],
    leaves: [],
    warnings: [],
    profile: { name: 'Security Release Process', committee: PROFILES.src.committee },
    now,
  };
  it('/srp members lists the Release Managers after the committee, and nothing when there are none', () => {
    const withRms = JSON.stringify(membersMessage({ ...committee, releaseManagers: ['U0RELMGR1'] }).blocks);
    expect(withRms).toContain('*Release Managers* (they see incidents from their release on)\\n<@U0RELMGR1>');
    expect(JSON.stringify(membersMessage(committee).blocks)).not.toContain('Release Managers');
    validateMessageBlocks(membersMessage({ ...committee, releaseManagers: ['U0RELMGR1'] }).blocks);
  });
  it('the timeline names the 2018 roles by their names', () => {
    const event = (field: string) => ({
      id: 1,
      incidentId: 'SRP-2026-001',
      at: now,
      actor: 'U0ALICE01',
      type: 'role_changed',
      field,
      oldValue: null,
      newValue: { userId: 'U0BOB0001', reason: 'away' },
    });
    expect(timelineLine(event('triage'))).toContain('made <@U0BOB0001> Triage: away');
    expect(timelineLine(event('project_manager'))).toContain('Release/Project Manager');
    expect(timelineLine(event('commander'))).toContain('incident commander');
    expect(timelineLine(event('fix_lead'))).toContain('fix lead');
  });
  it('the roster and the roles read plainly, empty or not', () => {
    expect(releaseManagersMessage([]).text).toBe('No Release Managers yet.');
    expect(releaseManagersMessage(['U0RELMGR1']).text).toBe('Release Managers: <@U0RELMGR1>');
    const roles = rolesMessage(
      [
        { role: 'project_manager', rule: undefined, now: null, next: null },
        {
          role: 'triage',
          rule: { role: 'triage', mode: 'queue', order: ['U0ALICE01'], queue: ['U0ALICE01'] },
          now: null,
          next: null,
        },
      ],
      'PST 2018',
    );
    const json = JSON.stringify(roles.blocks);
    expect(json).toContain('not assigned automatically');
    expect(json).toContain('Next incident: _nobody available_');
    validateMessageBlocks(roles.blocks);
  });
});

describe('draftFromState', () => {
  it('reads every field back from a submitted modal, and null for empty ones', () => {
    const v = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
    const draft = draftFromState({
      summary: v('s'),
      description: v('d'),
      components: v('c'),
      arrival: { value: { type: 'static_select', selected_option: { value: 'distributor' } } },
      arrivalRef: v(null),
      disclosure: { value: { type: 'radio_buttons', selected_option: { value: 'public' } } },
      reporterName: v(null),
      reporterContact: v('x@y'),
      receivedAt: { value: { type: 'datetimepicker', selected_date_time: 1795449600 } },
      cveId: v(null),
    });
    expect(draft).toEqual({
      summary: 's',
      description: 'd',
      components: 'c',
      arrival: 'distributor',
      arrivalRef: null,
      disclosure: 'public',
      reporterName: null,
      reporterContact: 'x@y',
      receivedAt: now,
      cveId: null,
    });
    expect(draftFromState({}).receivedAt).toBeNull();
  });
});
