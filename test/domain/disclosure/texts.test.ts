import { describe, expect, it } from 'vitest';
import { DEFAULT_DISCLOSURE, parseConfig } from '../../../src/config.js';
import { type AdvisoryRecord, advisoryRecord } from '../../../src/domain/disclosure/advisory.js';
import { escapeMarkdown, escapeSlack } from '../../../src/domain/disclosure/escape.js';
import { compileTemplates, TEMPLATE_FILES } from '../../../src/domain/disclosure/templates.js';
import {
  embargoOf,
  missingSentence,
  type ProjectInfo,
  type RenderedText,
  renderTexts,
  type TextsInput,
  textsHash,
} from '../../../src/domain/disclosure/texts.js';

const { templates } = DEFAULT_DISCLOSURE();

const project: ProjectInfo = {
  name: 'Kubernetes',
  repo: 'kubernetes/kubernetes',
  securityEmail: 'security@kubernetes.io',
  signer: 'Ada Committee',
  announceTo: ['kubernetes-announce@googlegroups.com', 'dev@kubernetes.io'],
  ossSecurityTo: 'oss-security@lists.openwall.com',
  distributorsEmail: 'distributors-announce@kubernetes.io',
};

const full: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Node log query allows reading arbitrary files',
  actor: 'an attacker with access to the kubelet API',
  doSomething: 'read any file on the node',
  vulnerable:
    'Clusters are affected if the NodeLogQuery feature gate is enabled on a kubelet.\nCheck with: kubectl get --raw /api/v1/nodes/<node>/proxy/configz',
  condition: 'the NodeLogQuery feature gate is enabled',
  affected: [
    { component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#127001' },
    { component: 'kubelet', introduced: '1.31.0', fixed: '1.31.1', pr: '#127002' },
    { component: 'kubelet', introduced: null, fixed: '1.29.9', pr: null },
  ],
  mitigation: 'disable the NodeLogQuery feature gate',
  actionRequired: 'restart every kubelet after the upgrade',
  fixImpact: 'log queries for paths outside /var/log are refused',
  detection: 'Look for requests to /logs/query with a path outside /var/log in the kubelet logs.',
  additionalDetails: 'The query parameter was joined to the log directory without cleaning.',
  reporterCredit: 'Grace Hopper',
  fixTeamCredit: 'Alan Turing and Barbara Liskov',
  releaseManagersCredit: 'Edsger Dijkstra',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/128006',
  cveId: 'CVE-2026-2270',
  cwe: 'CWE-22',
  patchDeployable: 'The patch may be deployed to hosted kube-apiservers before the embargo lifts.',
});

const base: TextsInput = {
  incidentId: 'SRP-2026-007',
  profileId: 'src',
  record: full,
  severity: {
    finalRating: 'High',
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
    cvssVersion: '3.1',
    cvssScore: 65,
  },
  // Tuesday 14 July 2026, 16:00 UTC = 9:00 AM PDT.
  targetAt: new Date('2026-07-14T16:00:00Z'),
  project,
};

const render = (patch: Partial<TextsInput> = {}) => renderTexts(templates, { ...base, ...patch });
const byId = (texts: RenderedText[], id: string) => texts.find((t) => t.id === id) as RenderedText;

/** A text as its golden file holds it: what it is, where it goes, what it lacks, then its body. */
function golden(t: RenderedText): string {
  return [
    `id: ${t.id}`,
    `title: ${t.title}`,
    ...(t.to ? [`to: ${t.to}`] : []),
    ...(t.subject ? [`subject: ${t.subject}`] : []),
    `missing: ${t.missing.length ? t.missing.join(', ') : '(nothing)'}`,
    '----',
    t.body,
  ].join('\n');
}

describe('every text of a fully filled record', () => {
  const texts = render();

  it('renders each text of the process with nothing missing, no blanks and no "undefined"', () => {
    expect(texts.map((t) => t.id)).toEqual([
      'slack-line',
      'announcement-email',
      'announcement-email-oss',
      'tracking-issue',
      'placeholder-issue',
      'distributors-email',
    ]);
    for (const t of texts) {
      expect(t.missing, t.id).toEqual([]);
      expect(`${t.subject ?? ''}${t.body}`).not.toMatch(/undefined|null|\[missing|\{\{|\}\}/);
    }
  });

  it.each([
    'slack-line',
    'announcement-email',
    'announcement-email-oss',
    'tracking-issue',
    'placeholder-issue',
    'distributors-email',
  ])('%s matches its golden file', async (id) => {
    await expect(golden(byId(texts, id))).toMatchFileSnapshot(`__golden__/full/${id}.txt`);
  });

  it('the 2018 process adds the forthcoming-fix email', async () => {
    const t = byId(render({ profileId: 'pst2018' }), 'forthcoming-fix-email');
    expect(t.missing).toEqual([]);
    await expect(golden(t)).toMatchFileSnapshot('__golden__/full/forthcoming-fix-email.txt');
  });

  it('subjects and titles follow the documents', () => {
    expect(byId(texts, 'announcement-email').subject).toBe(
      '[Security Advisory] CVE-2026-2270: Node log query allows reading arbitrary files',
    );
    expect(byId(texts, 'announcement-email-oss').subject).toBe(
      '[Kubernetes] CVE-2026-2270: Node log query allows reading arbitrary files',
    );
    expect(byId(texts, 'distributors-email').subject).toBe(
      '[EMBARGOED] CVE-2026-2270: Node log query allows reading arbitrary files',
    );
    const issue = byId(texts, 'tracking-issue');
    expect(issue.subject).toBe('CVE-2026-2270: Node log query allows reading arbitrary files');
    expect(issue.body.split('\n')[0]).toBe(
      'CVSS Rating: [CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N)',
    );
    expect(issue.body).toContain('/label official-cve-feed\n/area kubelet');
    expect(issue.body).toContain('- kubelet 1.30.5 (fixed by #127001)');
  });

  it('links a CVSS 4.0 vector to the 4.0 calculator', () => {
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N';
    const issue = byId(
      render({ severity: { finalRating: 'High', cvssVector: vector, cvssVersion: '4.0', cvssScore: 71 } }),
      'tracking-issue',
    );
    expect(issue.body.split('\n')[0]).toBe(
      `CVSS Rating: [${vector}](https://www.first.org/cvss/calculator/4.0#${vector})`,
    );
  });

  it('hashes the texts: the same inputs the same hash, any change another', () => {
    expect(textsHash(render())).toBe(textsHash(render()));
    expect(textsHash(render())).toMatch(/^[0-9a-f]{64}$/);
    const edited = render({ record: { ...full, detection: `${full.detection} Also audit logs.` } });
    expect(textsHash(edited)).not.toBe(textsHash(texts));
  });
});

describe('a partly filled record', () => {
  const partial = advisoryRecord.parse({
    summary: 'Node log query allows reading arbitrary files',
    affected: [{ component: 'kubelet', introduced: '1.30.0', fixed: null, pr: null }],
    reporterCredit: 'Grace Hopper',
  });
  const texts = render({
    record: partial,
    severity: undefined,
    targetAt: null,
    project: { ...project, announceTo: [], distributorsEmail: undefined, securityEmail: undefined },
  });

  it('lists what each text needs, in words, and shows a marker where it goes (never a blank)', () => {
    expect(missingSentence(byId(texts, 'slack-line'))).toBe(
      'the Slack line (#announcements) needs: severity (the final rating), CVE, fixed versions, tracking issue',
    );
    expect(byId(texts, 'placeholder-issue').missing).toEqual([]);
    expect(byId(texts, 'distributors-email').missing).toEqual(
      expect.arrayContaining(['distributors list address (SRP_DISTRIBUTORS_EMAIL)', 'target time', 'CVE']),
    );
    for (const t of texts) {
      expect(t.body).not.toMatch(/undefined|null|\{\{/);
      for (const m of t.missing)
        expect(`${t.to ?? ''}${t.subject ?? ''}${t.body}`).toContain(`[missing: ${m}]`);
    }
  });

  it.each([
    'slack-line',
    'announcement-email',
    'announcement-email-oss',
    'tracking-issue',
    'placeholder-issue',
    'distributors-email',
  ])('%s matches its golden file', async (id) => {
    await expect(golden(byId(texts, id))).toMatchFileSnapshot(`__golden__/partial/${id}.txt`);
  });
});

describe('hostile input is inert', () => {
  const hostile =
    '<!channel> <!here> <@U123> <https://evil.example|click> *bold* _it_ ~s~ `code` ```x``` <script>alert(1)</script> &lt; @channel';
  const texts = render({ record: { ...full, summary: hostile, reporterCredit: hostile, actor: hostile } });

  it('in the Slack line: no mention, link or formatting survives', () => {
    const line = byId(texts, 'slack-line').body;
    for (const live of [
      '<!channel>',
      '<!here>',
      '<@U123>',
      '<https://evil',
      '*bold*',
      '_it_',
      '~s~',
      '`code`',
      '<script',
      '&lt; ',
    ]) {
      expect(line).not.toContain(live);
    }
    expect(line).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;');
    expect(line).toContain('\u2217bold\u2217');
    expect(line).toContain('@\u200bchannel');
    // The template's own formatting stays.
    expect(line).toContain('Rated *High*');
  });

  it('in the emails and the issue: Markdown and HTML are escaped', () => {
    for (const id of [
      'announcement-email',
      'announcement-email-oss',
      'tracking-issue',
      'distributors-email',
    ]) {
      const t = byId(texts, id);
      const all = `${t.subject}\n${t.body}`;
      for (const live of ['<!channel>', '<script>', '<@U123>', '*bold*', '`code`', '[https']) {
        expect(all, id).not.toContain(live);
      }
      // An entity stays text: `&lt;` is not turned into `<` by a Markdown reader.
      expect(all).not.toMatch(/(?<!\\)&lt;/);
      expect(all).toContain('\\<script\\>alert(1)\\</script\\>');
      expect(all).toContain('\\*bold\\*');
      expect(all).toContain('\\&lt;');
    }
  });

  it('the escapers, one by one', () => {
    expect(escapeSlack('a & b <c> *d* snake_case _e_ ~f~ `g`\nh')).toBe(
      'a &amp; b &lt;c&gt; \u2217d\u2217 snake_case \u02cde\u02cd \u223cf\u223c \u02cbg\u02cb h',
    );
    expect(escapeMarkdown('# title\n- item\n1. one\n===\nx_y [a](b) <b> &amp; |c|')).toBe(
      '\\# title\n\\- item\n1\\. one\n\\===\nx\\_y \\[a\\](b) \\<b\\> \\&amp; \\|c\\|',
    );
    // GitHub: no slash command at a line's start, no @mention; an address stays an address.
    expect(escapeMarkdown('/close\nping @octocat, write to security@example.org')).toBe(
      '\\/close\nping @\u200boctocat, write to security@example.org',
    );
  });
});

describe('the embargo: 9AM PT on the target day, in UTC, flagged when the target is not 9AM PT', () => {
  it.each([
    // January: PST, 9AM PT = 17:00 UTC, so a 16:00 UTC target is 8AM PT.
    [
      '2026-01-13T16:00:00Z',
      'Tuesday, January 13, 2026',
      '9:00 AM PST',
      '2026-01-13 17:00 UTC',
      '8:00 AM PST',
    ],
    ['2026-01-13T17:00:00Z', 'Tuesday, January 13, 2026', '9:00 AM PST', '2026-01-13 17:00 UTC', null],
    // July: PDT, 16:00 UTC is 9AM PT.
    ['2026-07-14T16:00:00Z', 'Tuesday, July 14, 2026', '9:00 AM PDT', '2026-07-14 16:00 UTC', null],
    // The US springs forward on Sunday 8 March 2026: the Thursday before is PST, the Monday after PDT
    // (while Europe is still on winter time until 29 March).
    ['2026-03-05T16:00:00Z', 'Thursday, March 5, 2026', '9:00 AM PST', '2026-03-05 17:00 UTC', '8:00 AM PST'],
    ['2026-03-09T16:00:00Z', 'Monday, March 9, 2026', '9:00 AM PDT', '2026-03-09 16:00 UTC', null],
    // The US falls back on Sunday 1 November 2026 (Europe already did on 25 October).
    ['2026-10-29T16:00:00Z', 'Thursday, October 29, 2026', '9:00 AM PDT', '2026-10-29 16:00 UTC', null],
    [
      '2026-11-02T16:00:00Z',
      'Monday, November 2, 2026',
      '9:00 AM PST',
      '2026-11-02 17:00 UTC',
      '8:00 AM PST',
    ],
  ])('target %s', (at, date, time, utc, flaggedAs) => {
    const e = embargoOf(new Date(at));
    expect(e).toMatchObject({ date, time, utc, isNinePT: flaggedAs === null });
    if (flaggedAs)
      expect(e.flag).toContain(`which is ${flaggedAs} on that day, not 9AM PT; 9AM PT is ${utc}`);
    else expect(e.flag).toBeNull();
    const mail = byId(render({ targetAt: new Date(at) }), 'distributors-email').body;
    expect(mail).toContain(`under embargo until ${date} at or after 9AM PT (${time}, ${utc})`);
    expect(mail.includes('not 9AM PT')).toBe(flaggedAs !== null);
  });
});

describe('templates are checked at start-up', () => {
  const valid = {
    SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
    SLACK_SIGNING_SECRET: 'secret',
    SRP_SECURITY_CHANNEL: 'G0123456',
    SRP_ANNOUNCE_CHANNEL: 'C0999999',
    SRP_ADMINS: 'U0123456',
  };
  const dir = (files: Record<string, string>) => ({
    readDir: () => Object.keys(files),
    readFile: (path: string) => files[path.split('/').pop() as string] ?? '',
  });

  it('a team template naming an unknown field stops srp: the file, the field and the known fields', () => {
    const r = parseConfig(
      { ...valid, SRP_TEMPLATES_DIR: '/team/templates' },
      dir({ 'slack-line.hbs': 'New advisory {{cve}}: {{summery}} ({{severity}})\n' }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^\/team\/templates\/slack-line\.hbs: unknown field "summery"; the known fields are: incident\.id, summary, cve, /,
    );
  });

  it('a team template replaces srp’s by its file name; the others stay srp’s', () => {
    const r = parseConfig(
      { ...valid, SRP_TEMPLATES_DIR: '/team/templates' },
      dir({ 'slack-line.hbs': 'Advisory {{cve}}: {{summary}}\n' }),
    );
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.templates.sources['slack-line.hbs']).toBe('/team/templates/slack-line.hbs');
    expect(r.config.templates.sources['tracking-issue.hbs']).toBe('templates/tracking-issue.hbs');
    const line = byId(renderTexts(r.config.templates, base), 'slack-line');
    expect(line.body).toBe('Advisory CVE-2026-2270: Node log query allows reading arbitrary files');
  });

  it.each([
    ['an unknown file name', { 'slak-line.hbs': 'x' }, /slak-line\.hbs: no template has this name/],
    ['a helper', { 'slack-line.hbs': '{{lookup cve}}' }, /helpers are not allowed/],
    ['an each block', { 'slack-line.hbs': '{{#each affected}}x{{/each}}' }, /only \{\{#if field\}\}/],
    ['a syntax error', { 'slack-line.hbs': '{{#if cve}}x' }, /slack-line\.hbs: the template does not parse/],
  ])('%s is a start-up problem too', (_name, files, message) => {
    const r = parseConfig({ ...valid, SRP_TEMPLATES_DIR: '/team/templates' }, dir(files));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(message);
  });

  it('srp’s own templates are all there and pass', () => {
    const sources = Object.fromEntries(TEMPLATE_FILES.map((f) => [f, { source: '', from: f }]));
    expect(compileTemplates(sources).ok).toBe(true);
    expect(templates.texts).toHaveLength(7);
  });
});
