import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/domain/profiles/index.js';
import {
  type Answers,
  type AttackerPosition,
  assess,
  type Component,
  type Impact,
  isComplete,
  nextQuestion,
  QUESTIONS,
  RATINGS,
  type Rating,
  withAnswer,
} from '../../src/domain/severity.js';
import { plain, processDocument } from '../support/processDocs.js';

const COMPONENTS: Component[] = ['server', 'client'];
const POSITIONS: AttackerPosition[] = [
  'remote_anonymous',
  'authenticated_unprivileged',
  'authenticated_privileged',
  'adjacent_network',
  'local',
];
const IMPACTS: Impact[] = [
  'code_execution',
  'privilege_elevation',
  'sensitive_disclosure',
  'data_disclosure',
  'metadata_disclosure',
  'dos_persistent',
  'dos_temporary',
  'tampering_persistent',
  'tampering_temporary',
  'security_feature_bypass',
  'spoofing',
];
const EVERY_PROFILE = Object.values(PROFILES);

const answers = (a: Pick<Answers, 'component' | 'position' | 'impact'> & Partial<Answers>): Answers => ({
  userInteraction: false,
  straightforwardMitigation: false,
  nonDefaultConfig: false,
  highValueAsset: false,
  ...a,
});
const server = (position: AttackerPosition, impact: Impact, more: Partial<Answers> = {}) =>
  answers({ component: 'server', position, impact, ...more });
const client = (position: AttackerPosition, impact: Impact, more: Partial<Answers> = {}) =>
  answers({ component: 'client', position, impact, ...more });

const easy = { dosEasy: true };
const mitigated = { straightforwardMitigation: true };
const nonDefault = { nonDefaultConfig: true };

// One row per threshold bullet (and per interpretation), named after the document's section and bullet.
// Both documents have the same thresholds, so every row runs against both profiles.
const THRESHOLDS: Array<[name: string, answers: Answers, rating: Rating, path: string[]]> = [
  // Server › Critical
  [
    'Server › Critical › Elevation of privilege › Remote Anonymous › execution of arbitrary code',
    server('remote_anonymous', 'code_execution'),
    'Critical',
    ['server.critical.eop.anonymous.code-execution'],
  ],
  [
    'Server › Critical › Elevation of privilege › Remote Anonymous › unauthorized access to sensitive API objects',
    server('remote_anonymous', 'privilege_elevation'),
    'Critical',
    ['server.critical.eop.anonymous.unauthorized-access'],
  ],
  [
    'Server › Critical › Elevation of privilege › all write access violations (persistent tampering, interpretation)',
    server('remote_anonymous', 'tampering_persistent'),
    'Critical',
    ['server.critical.eop.anonymous.write-access'],
  ],
  [
    'Server › Critical › Information disclosure (targeted) › Remote Anonymous › PII, secrets, system credentials',
    server('remote_anonymous', 'sensitive_disclosure'),
    'Critical',
    ['server.critical.info.anonymous.sensitive'],
  ],
  // Server › High: the downgrades from Critical
  [
    'Server › High › "Critical" attacks downgraded when requiring adjacent network access',
    server('adjacent_network', 'code_execution'),
    'High',
    ['server.critical.eop.anonymous.code-execution', 'server.high.adjacent-network'],
  ],
  [
    'Server › High › Non-default (or non-typical) critical scenarios',
    server('remote_anonymous', 'privilege_elevation', nonDefault),
    'High',
    ['server.critical.eop.anonymous.unauthorized-access', 'server.high.non-default'],
  ],
  [
    'Server › High › cases where mitigations exist that can help prevent critical scenarios',
    server('remote_anonymous', 'sensitive_disclosure', mitigated),
    'High',
    ['server.critical.info.anonymous.sensitive', 'server.high.mitigation'],
  ],
  [
    'Server › a "Critical" needing user interaction may be reduced to "High"',
    server('remote_anonymous', 'code_execution', { userInteraction: true }),
    'High',
    ['server.critical.eop.anonymous.code-execution', 'server.user-interaction'],
  ],
  // Server › High › Denial of service
  [
    'Server › High › Denial of service › Remote Anonymous › persistent DoS (single malicious request)',
    server('remote_anonymous', 'dos_persistent', easy),
    'High',
    ['server.high.dos.anonymous.persistent'],
  ],
  [
    'Server › High › Denial of service › Remote Anonymous › temporary DoS (small number of requests)',
    server('remote_anonymous', 'dos_temporary', easy),
    'High',
    ['server.high.dos.anonymous.temporary'],
  ],
  [
    'Server › High › Denial of service › Authenticated User › persistent DoS against a high value asset',
    server('authenticated_unprivileged', 'dos_persistent', { ...easy, highValueAsset: true }),
    'High',
    ['server.high.dos.authenticated.high-value-asset'],
  ],
  [
    'Server › High › Denial of service › must be "easy to exploit" (not easy, interpretation)',
    server('remote_anonymous', 'dos_persistent', { dosEasy: false }),
    'Medium',
    ['server.interpretation.dos.not-easy'],
  ],
  [
    'Server › High › Denial of service › Authenticated User › no high value asset (interpretation)',
    server('authenticated_privileged', 'dos_persistent', easy),
    'Medium',
    ['server.interpretation.dos.authenticated.not-high-value-asset'],
  ],
  [
    'Server › High › Denial of service › Authenticated User › temporary DoS (interpretation)',
    server('authenticated_unprivileged', 'dos_temporary', { ...easy, highValueAsset: true }),
    'Medium',
    ['server.interpretation.dos.authenticated.temporary'],
  ],
  // Server › High › Elevation of privilege
  [
    'Server › High › Elevation of privilege › Authenticated User › execution of arbitrary code',
    server('authenticated_unprivileged', 'code_execution'),
    'High',
    ['server.high.eop.authenticated.code-execution'],
  ],
  [
    'Server › High › Elevation of privilege › Authenticated User › reading or writing to API objects',
    server('authenticated_privileged', 'privilege_elevation'),
    'High',
    ['server.high.eop.authenticated.unauthorized-access'],
  ],
  [
    'Server › High › Elevation of privilege › Authenticated User › arbitrary writing to etcd (interpretation)',
    server('authenticated_unprivileged', 'tampering_persistent'),
    'High',
    ['server.high.eop.authenticated.write-access'],
  ],
  [
    'Server › High › Elevation of privilege › Authenticated User › getting data from the server',
    server('authenticated_unprivileged', 'sensitive_disclosure'),
    'High',
    ['server.high.eop.authenticated.read-access'],
  ],
  [
    'Server › High › Elevation of privilege › breaking or bypassing any security feature',
    server('remote_anonymous', 'security_feature_bypass'),
    'High',
    ['server.high.security-feature-bypass'],
  ],
  [
    'Server › High › Elevation of privilege › masquerade as a specific entity',
    server('authenticated_unprivileged', 'spoofing'),
    'High',
    ['server.high.spoofing'],
  ],
  [
    'Server › High › Information disclosure (targeted) › anonymous, from specific locations',
    server('remote_anonymous', 'data_disclosure'),
    'High',
    ['server.high.info.anonymous.specific-locations'],
  ],
  // Server › Medium
  [
    'Server › Medium › "High" attacks downgraded when requiring local access',
    server('local', 'code_execution'),
    'Medium',
    ['server.high.eop.authenticated.code-execution', 'server.medium.local-access'],
  ],
  [
    'Server › Medium › "High" attacks downgraded when there is a straight-forward mitigation',
    server('remote_anonymous', 'security_feature_bypass', mitigated),
    'Medium',
    ['server.high.security-feature-bypass', 'server.medium.mitigation'],
  ],
  [
    'Server › Medium › Information disclosure (targeted) › anonymous, non-sensitive information',
    server('remote_anonymous', 'metadata_disclosure'),
    'Medium',
    ['server.medium.info.anonymous.non-sensitive'],
  ],
  [
    'Server › Medium › Information disclosure (targeted) › authenticated, non-sensitive (interpretation)',
    server('authenticated_unprivileged', 'metadata_disclosure'),
    'Low',
    ['server.interpretation.info.authenticated.non-sensitive'],
  ],
  // Server › Low
  [
    'Server › Low › "Medium" attacks downgraded with a mitigation and non-default scenarios',
    server('remote_anonymous', 'metadata_disclosure', { ...mitigated, ...nonDefault }),
    'Low',
    ['server.medium.info.anonymous.non-sensitive', 'server.low.mitigation-and-non-default'],
  ],
  [
    'Server › Low › Tampering › temporary modification that does not persist',
    server('remote_anonymous', 'tampering_temporary'),
    'Low',
    ['server.low.tampering.temporary'],
  ],
  // Client › Critical
  [
    'Client › Critical › Elevation of privilege › Remote Anonymous › execution of arbitrary code',
    client('remote_anonymous', 'code_execution'),
    'Critical',
    ['client.critical.eop.anonymous.code-execution'],
  ],
  [
    'Client › Critical › Elevation of privilege › Remote Anonymous › unauthorized access to sensitive API objects',
    client('remote_anonymous', 'privilege_elevation'),
    'Critical',
    ['client.critical.eop.anonymous.unauthorized-access'],
  ],
  [
    'Client › Critical › Information disclosure (targeted) › Remote Anonymous › PII, phone-ing home',
    client('remote_anonymous', 'sensitive_disclosure'),
    'Critical',
    ['client.critical.info.anonymous.sensitive'],
  ],
  // Client › High
  [
    'Client › High › Non-default critical scenarios',
    client('remote_anonymous', 'code_execution', nonDefault),
    'High',
    ['client.critical.eop.anonymous.code-execution', 'client.high.non-default'],
  ],
  [
    'Client › High › cases where mitigations exist that can help prevent critical scenarios',
    client('remote_anonymous', 'sensitive_disclosure', mitigated),
    'High',
    ['client.critical.info.anonymous.sensitive', 'client.high.mitigation'],
  ],
  [
    'Client › adjacent network access, as on the server (interpretation)',
    client('adjacent_network', 'privilege_elevation'),
    'High',
    ['client.critical.eop.anonymous.unauthorized-access', 'client.interpretation.adjacent-network'],
  ],
  [
    'Client › High › Denial of service › system corruption needs re-installation',
    client('remote_anonymous', 'dos_persistent'),
    'High',
    ['client.high.dos.system-corruption'],
  ],
  [
    'Client › High › Elevation of privilege › Authenticated User › execution of arbitrary code via the client',
    client('authenticated_unprivileged', 'code_execution'),
    'High',
    ['client.high.eop.authenticated.code-execution'],
  ],
  [
    'Client › High › Elevation of privilege › Authenticated User › reading or writing to API objects',
    client('authenticated_privileged', 'privilege_elevation'),
    'High',
    ['client.high.eop.authenticated.unauthorized-access'],
  ],
  [
    'Client › High › Elevation of privilege › Authenticated User › local low privilege user elevates',
    client('local', 'privilege_elevation'),
    'High',
    ['client.high.eop.local.elevation'],
  ],
  [
    'Client › High › Elevation of privilege › breaking or bypassing RBAC',
    client('authenticated_unprivileged', 'security_feature_bypass'),
    'High',
    ['client.high.security-feature-bypass'],
  ],
  [
    'Client › High › Tampering › persistent modification in a common or default scenario',
    client('remote_anonymous', 'tampering_persistent'),
    'High',
    ['client.high.tampering.default-scenario'],
  ],
  // Client › Medium and Low
  [
    'Client › Medium › Tampering › persistent modification in a specific scenario',
    client('remote_anonymous', 'tampering_persistent', nonDefault),
    'Medium',
    ['client.medium.tampering.specific-scenario'],
  ],
  [
    'Client › Low › Denial of service › temporary DoS needs a restart of the client',
    client('remote_anonymous', 'dos_temporary'),
    'Low',
    ['client.low.dos.restart'],
  ],
  [
    'Client › Low › Tampering › temporary modification that does not persist',
    client('authenticated_unprivileged', 'tampering_temporary'),
    'Low',
    ['client.low.tampering.temporary'],
  ],
  // Client cases the pivot leaves open
  [
    'Client › masquerading (interpretation, server bullet)',
    client('remote_anonymous', 'spoofing'),
    'High',
    ['client.interpretation.spoofing'],
  ],
  [
    'Client › authenticated disclosure (interpretation, reading API objects)',
    client('authenticated_unprivileged', 'data_disclosure'),
    'High',
    ['client.interpretation.info.authenticated'],
  ],
  [
    'Client › anonymous disclosure from specific locations (interpretation, server bullet)',
    client('remote_anonymous', 'data_disclosure'),
    'High',
    ['client.interpretation.info.anonymous.specific-locations'],
  ],
  [
    'Client › anonymous non-sensitive disclosure (interpretation, server bullet)',
    client('remote_anonymous', 'metadata_disclosure'),
    'Medium',
    ['client.interpretation.info.anonymous.non-sensitive'],
  ],
  [
    'Client › authenticated non-sensitive disclosure (interpretation)',
    client('local', 'metadata_disclosure'),
    'Low',
    ['client.interpretation.info.authenticated.non-sensitive'],
  ],
  [
    'Client › "High" downgraded with a straight-forward mitigation (interpretation, server rule)',
    client('authenticated_unprivileged', 'code_execution', mitigated),
    'Medium',
    ['client.high.eop.authenticated.code-execution', 'client.interpretation.medium.mitigation'],
  ],
  [
    'Client › "Medium" downgraded with a mitigation and non-default scenarios (interpretation, server rule)',
    client('remote_anonymous', 'metadata_disclosure', { ...mitigated, ...nonDefault }),
    'Low',
    [
      'client.interpretation.info.anonymous.non-sensitive',
      'client.interpretation.low.mitigation-and-non-default',
    ],
  ],
];

// How downgrades combine: one pass from Critical down, each answer used for at most one step.
const COMBINATIONS: typeof THRESHOLDS = [
  [
    'non-default takes Critical to High, the mitigation then takes High to Medium',
    server('remote_anonymous', 'code_execution', { ...nonDefault, ...mitigated }),
    'Medium',
    ['server.critical.eop.anonymous.code-execution', 'server.high.non-default', 'server.medium.mitigation'],
  ],
  [
    'adjacent network then a straight-forward mitigation',
    server('adjacent_network', 'sensitive_disclosure', mitigated),
    'Medium',
    ['server.critical.info.anonymous.sensitive', 'server.high.adjacent-network', 'server.medium.mitigation'],
  ],
  [
    'a mitigation used for Critical → High does not also give High → Medium',
    server('remote_anonymous', 'code_execution', mitigated),
    'High',
    ['server.critical.eop.anonymous.code-execution', 'server.high.mitigation'],
  ],
  [
    'local access then mitigation and non-default: High → Medium → Low',
    server('local', 'privilege_elevation', { ...mitigated, ...nonDefault }),
    'Low',
    [
      'server.high.eop.authenticated.unauthorized-access',
      'server.medium.local-access',
      'server.low.mitigation-and-non-default',
    ],
  ],
  [
    'a mitigation used for High → Medium does not also give Medium → Low',
    server('authenticated_unprivileged', 'code_execution', { ...mitigated, ...nonDefault }),
    'Medium',
    ['server.high.eop.authenticated.code-execution', 'server.medium.mitigation'],
  ],
  [
    'non-default alone does not lower a High',
    server('authenticated_unprivileged', 'code_execution', nonDefault),
    'High',
    ['server.high.eop.authenticated.code-execution'],
  ],
  [
    'user interaction lowers only a server Critical',
    server('authenticated_unprivileged', 'code_execution', { userInteraction: true }),
    'High',
    ['server.high.eop.authenticated.code-execution'],
  ],
  [
    'Client › Critical: a compromise behind a warning or prompt is not "without warnings or prompts": High',
    client('remote_anonymous', 'code_execution', { userInteraction: true }),
    'High',
    ['client.critical.eop.anonymous.code-execution', 'client.critical.prompt'],
  ],
  [
    'a client High is not lowered again by a prompt ("not one level reduction")',
    client('authenticated_unprivileged', 'privilege_elevation', { userInteraction: true }),
    'High',
    ['client.high.eop.authenticated.unauthorized-access'],
  ],
  [
    'adjacent network does not lower a High',
    server('adjacent_network', 'dos_persistent', easy),
    'High',
    ['server.high.dos.anonymous.persistent'],
  ],
  [
    'a persistent DoS by a local user on a high value asset: High → Medium',
    server('local', 'dos_persistent', { ...easy, highValueAsset: true }),
    'Medium',
    ['server.high.dos.authenticated.high-value-asset', 'server.medium.local-access'],
  ],
  [
    'an unanswered dosEasy counts as not easy',
    server('remote_anonymous', 'dos_temporary'),
    'Medium',
    ['server.interpretation.dos.not-easy'],
  ],
  [
    'client tampering in a specific scenario has used the non-default answer, so no Low',
    client('remote_anonymous', 'tampering_persistent', { ...nonDefault, ...mitigated }),
    'Medium',
    ['client.medium.tampering.specific-scenario'],
  ],
];

describe.each(EVERY_PROFILE)('severity thresholds ($id)', (profile) => {
  it.each(THRESHOLDS)('%s', (_name, input, rating, rules) => {
    const result = assess(input, profile);
    expect(result.rating).toBe(rating);
    expect(result.profile).toBe(profile.id);
    expect(result.path.map((s) => s.rule)).toEqual(rules);
    for (const s of result.path) {
      const row = [...profile.severity.baseline, ...profile.severity.adjustments].find(
        (r) => r.id === s.rule,
      );
      expect(s.quote).toBe(row?.quote);
      expect(s.explanation.startsWith(s.from === null ? `${s.to}:` : `${s.from} `)).toBe(true);
    }
  });

  it.each(COMBINATIONS)('%s', (_name, input, rating, rules) => {
    const result = assess(input, profile);
    expect(result.rating).toBe(rating);
    expect(result.path.map((s) => s.rule)).toEqual(rules);
  });
});

describe('severity rule data', () => {
  const profile = PROFILES.src;
  const everyAnswer: Answers[] = COMPONENTS.flatMap((component) =>
    POSITIONS.flatMap((position) =>
      IMPACTS.flatMap((impact) =>
        Array.from({ length: 32 }, (_, bits) =>
          answers({
            component,
            position,
            impact,
            dosEasy: (bits & 1) === 1,
            highValueAsset: (bits & 2) === 2,
            userInteraction: (bits & 4) === 4,
            straightforwardMitigation: (bits & 8) === 8,
            nonDefaultConfig: (bits & 16) === 16,
          }),
        ),
      ),
    ),
  );

  it('has exactly one baseline row for every combination of answers', () => {
    for (const a of everyAnswer) {
      const matching = profile.severity.baseline.filter((row) => {
        try {
          assess(a, { ...profile, severity: { baseline: [row], adjustments: [] } });
          return true;
        } catch {
          return false;
        }
      });
      expect(
        matching.map((r) => r.id),
        JSON.stringify(a),
      ).toHaveLength(1);
    }
  });

  it('reaches every row, never raises a rating, and marks interpretations in the explanation', () => {
    const reached = new Set<string>();
    for (const a of everyAnswer) {
      const { path } = assess(a, profile);
      for (const s of path) reached.add(s.rule);
      const levels = path.map((s) => RATINGS.indexOf(s.to));
      expect(levels).toEqual([...levels].sort((x, y) => x - y));
    }
    const rows = [...profile.severity.baseline, ...profile.severity.adjustments];
    expect(rows.map((r) => r.id).filter((id) => !reached.has(id))).toEqual([]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(r.explanation.includes('interpretation')).toBe(r.interpretation);
  });

  it('shares the thresholds between the two documents, which state them word for word', () => {
    expect(PROFILES.pst2018.severity.baseline).toBe(PROFILES.src.severity.baseline);
    expect(PROFILES.pst2018.severity.adjustments).toBe(PROFILES.src.severity.adjustments);
  });

  it('rejects answers outside the questionnaire', () => {
    const bad = { ...server('remote_anonymous', 'code_execution'), impact: 'gremlins' } as unknown as Answers;
    expect(() => assess(bad, profile)).toThrow(/no src baseline rule/);
  });
});

// Every quote must be in its document word for word.
describe('quotes', () => {
  it.each(EVERY_PROFILE)('every $id quote is in its document word for word', (profile) => {
    const doc = processDocument(profile.document);
    const missing = [...profile.severity.baseline, ...profile.severity.adjustments]
      .map((r) => r.quote)
      .filter((q) => !doc.includes(plain(q)));
    expect(missing).toEqual([]);
  });
});

describe('questionnaire', () => {
  /** Answers the questionnaire in order, choosing by question id, and returns the ids it was asked. */
  function walk(choose: Partial<Record<keyof Answers, string>>) {
    let partial: Partial<Answers> = {};
    const asked: string[] = [];
    for (let q = nextQuestion(partial); q; q = nextQuestion(partial)) {
      asked.push(q.id);
      partial = withAnswer(partial, q.id, choose[q.id] ?? (q.options[0]?.value as string));
    }
    return { asked, partial };
  }

  it('asks component, position and impact first', () => {
    expect(QUESTIONS.slice(0, 3).map((q) => q.id)).toEqual(['component', 'position', 'impact']);
    expect(nextQuestion({})?.id).toBe('component');
  });

  it('asks whether a DoS is easy only for a server DoS', () => {
    expect(walk({ component: 'server', impact: 'dos_persistent' }).asked).toContain('dosEasy');
    expect(walk({ component: 'server', impact: 'dos_temporary' }).asked).toContain('dosEasy');
    expect(walk({ component: 'server', impact: 'code_execution' }).asked).not.toContain('dosEasy');
    expect(walk({ component: 'client', impact: 'dos_persistent' }).asked).not.toContain('dosEasy');
  });

  it('is complete only once every applicable question has an answer', () => {
    const { asked, partial } = walk({ component: 'server', impact: 'dos_temporary', dosEasy: 'yes' });
    expect(asked).toEqual([
      'component',
      'position',
      'impact',
      'dosEasy',
      'highValueAsset',
      'userInteraction',
      'straightforwardMitigation',
      'nonDefaultConfig',
    ]);
    expect(isComplete(partial)).toBe(true);
    expect(partial.dosEasy).toBe(true);
    const { dosEasy: _, ...withoutEase } = partial;
    expect(isComplete(withoutEase)).toBe(false);
    expect(nextQuestion(withoutEase)?.id).toBe('dosEasy');
  });

  it('turns yes and no into booleans, rejects unknown values, and forgets answers that stop applying', () => {
    let p = withAnswer({ component: 'server', impact: 'dos_persistent' }, 'dosEasy', 'no');
    expect(p.dosEasy).toBe(false);
    p = withAnswer(p, 'impact', 'code_execution');
    expect(p).toEqual({ component: 'server', impact: 'code_execution' });
    expect(() => withAnswer(p, 'impact', 'gremlins')).toThrow(RangeError);
    expect(() => withAnswer(p, 'userInteraction', 'true')).toThrow(RangeError);
  });

  it('offers every answer value, within Block Kit option limits', () => {
    const values = (id: keyof Answers) => QUESTIONS.find((q) => q.id === id)?.options.map((o) => o.value);
    expect(values('component')).toEqual(COMPONENTS);
    expect(values('position')).toEqual(POSITIONS);
    expect(values('impact')).toEqual(IMPACTS);
    for (const q of QUESTIONS) {
      for (const o of q.options) {
        expect(o.label.length).toBeLessThanOrEqual(75);
        expect((o.help ?? '').length).toBeLessThanOrEqual(75);
      }
    }
  });
});

describe('assess (property)', () => {
  const arbAnswers = fc.record(
    {
      component: fc.constantFrom(...COMPONENTS),
      position: fc.constantFrom(...POSITIONS),
      impact: fc.constantFrom(...IMPACTS),
      dosEasy: fc.boolean(),
      userInteraction: fc.boolean(),
      straightforwardMitigation: fc.boolean(),
      nonDefaultConfig: fc.boolean(),
      highValueAsset: fc.boolean(),
    },
    { requiredKeys: ['component', 'position', 'impact', 'userInteraction', 'straightforwardMitigation'] },
  );

  it('never throws and ends its path on the rating, for answers however they were reached', () => {
    fc.assert(
      fc.property(arbAnswers, fc.constantFrom(...EVERY_PROFILE), (raw, profile) => {
        const a = answers(raw);
        const { rating, path } = assess(a, profile);
        expect(path.at(-1)?.to).toBe(rating);
        expect(path[0]?.from).toBeNull();
        for (let i = 1; i < path.length; i++) expect(path[i]?.from).toBe(path[i - 1]?.to);
      }),
    );
  });

  it('rates every answer set the modal can produce', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (picks) => {
        let partial: Partial<Answers> = {};
        for (let i = 0, q = nextQuestion(partial); q; i++, q = nextQuestion(partial)) {
          const option = q.options[(picks[i] ?? 0) % q.options.length];
          partial = withAnswer(partial, q.id, option?.value ?? '');
        }
        expect(isComplete(partial)).toBe(true);
        if (isComplete(partial)) expect(RATINGS).toContain(assess(partial, PROFILES.src).rating);
      }),
    );
  });
});
