import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/domain/profiles/index.js';
import {
  type ReleaseTrack,
  ratingsDisagree,
  releaseTrack,
  type TrackArgs,
  trackFactsFrom,
} from '../../src/domain/releaseTrack.js';
import type { Answers, Rating } from '../../src/domain/severity.js';
import { plain, processDocument } from '../support/processDocs.js';

const args = (more: Partial<TrackArgs>): TrackArgs => ({
  rating: 'High',
  cvssScore: null,
  hasCve: true,
  userInteraction: false,
  straightforwardMitigation: false,
  remotelyExploitable: false,
  privilegeEscalation: false,
  rules: PROFILES.src.releaseTrack,
  ...more,
});

const PST = PROFILES.pst2018.releaseTrack;

type Expect = Pick<ReleaseTrack, 'release' | 'maySlowRelease' | 'maySemiPublicFix'>;

// Fix Development Process: rating → release, "under ~4.0" → may slow, "under ~7.0" → may go semi-public.
const SRC_TRACK: Array<[name: string, rating: Rating, score: number | null, expected: Expect]> = [
  ['Critical 9.8: out of band, private', 'Critical', 9.8, oob(false, false)],
  ['High 7.0: out of band, 7.0 is not under ~7.0', 'High', 7.0, oob(false, false)],
  ['High over a 6.9 score: the Fix Lead’s High keeps the fix private', 'High', 6.9, oob(false, false)],
  ['Medium 6.5: next patch, may go semi-public', 'Medium', 6.5, next(false, true)],
  ['Medium 4.0: 4.0 is not under ~4.0', 'Medium', 4.0, next(false, true)],
  ['Medium 3.9: may slow the release', 'Medium', 3.9, next(true, true)],
  ['Low 5.0: "or the assessed risk is low" allows slowing whatever the score', 'Low', 5.0, next(true, true)],
  ['Low without a score: may slow, may go semi-public', 'Low', null, next(true, true)],
  ['Medium without a score: semi-public by rating, not slowed', 'Medium', null, next(false, true)],
  ['High without a score: private', 'High', null, oob(false, false)],
  ['Critical without a score: private', 'Critical', null, oob(false, false)],
  [
    'Critical over a 3.1 score: the rating outranks the score, no slowing',
    'Critical',
    3.1,
    oob(false, false),
  ],
];

function oob(maySlowRelease: boolean, maySemiPublicFix: boolean): Expect {
  return { release: 'out_of_band', maySlowRelease, maySemiPublicFix };
}
function next(maySlowRelease: boolean, maySemiPublicFix: boolean): Expect {
  return { release: 'next_patch', maySlowRelease, maySemiPublicFix };
}

describe('release track, today’s process (src)', () => {
  it.each(SRC_TRACK)('%s', (_name, rating, cvssScore, expected) => {
    expect(releaseTrack(args({ rating, cvssScore }))).toMatchObject(expected);
  });

  it.each([
    [false, false, false],
    [true, false, true],
    [false, true, true],
    [true, true, true],
  ])('early disclosure with user interaction %s, mitigation %s: %s', (userInteraction, mitigation, early) => {
    const track = releaseTrack(args({ userInteraction, straightforwardMitigation: mitigation }));
    expect(track.earlyDisclosurePossible).toBe(early);
    expect(track.reasons[3]).toContain('No matter the CVSS score');
  });

  it('gives distributors advance notice of every CVE, and only of CVEs', () => {
    expect(releaseTrack(args({ hasCve: true })).distributorNoticeRequired).toBe(true);
    expect(releaseTrack(args({ hasCve: false, remotelyExploitable: true })).distributorNoticeRequired).toBe(
      false,
    );
    expect(releaseTrack(args({ hasCve: true })).reasons[4]).toContain('assigned a CVE, at least 7 days');
  });

  it('explains each decision in one sentence that quotes the document', () => {
    const track = releaseTrack(args({ rating: 'Medium', cvssScore: 3.5 }));
    expect(track.reasons).toHaveLength(5);
    expect(track.reasons[0]).toContain('“Medium and Low severity vulnerability fixes');
    expect(track.reasons[1]).toMatch(/^May slow the release .*CVSS 3\.5.*“If the CVSS score is under ~4\.0/);
    expect(track.reasons[2]).toContain('“If the CVSS score is under ~7.0');
    for (const r of track.reasons) expect(r).toMatch(/“.+”$/);
  });
});

describe('release track, the 2018 process (pst2018)', () => {
  it.each(['Critical', 'High', 'Medium', 'Low'] as const)(
    'gives a %s fix its own patch release',
    (rating) => {
      const track = releaseTrack(args({ rating, rules: PST }));
      expect(track.release).toBe('out_of_band');
      expect(track.reasons[0]).toContain('create a new patch release branch');
    },
  );

  it.each([
    ['Medium', 3.9, true],
    ['Medium', 4.0, false],
    ['Low', 6.0, true],
    ['High', null, false],
  ] as const)('slows a %s %s release: %s', (rating, cvssScore, slow) => {
    expect(releaseTrack(args({ rating, cvssScore, rules: PST })).maySlowRelease).toBe(slow);
  });

  it('has no semi-public fix and no disclosure before a fix', () => {
    const track = releaseTrack(
      args({
        rating: 'Low',
        cvssScore: 2.0,
        userInteraction: true,
        straightforwardMitigation: true,
        rules: PST,
      }),
    );
    expect(track).toMatchObject({ maySemiPublicFix: false, earlyDisclosurePossible: false });
    expect(track.reasons[2]).toContain('private security repos');
    expect(track.reasons[3]).toContain('after the Fix Team has developed a Fix or mitigation');
  });

  it.each([
    [false, false, false],
    [true, false, true],
    [false, true, true],
    [true, true, true],
  ])(
    'reserves distributor disclosure: remote %s, privilege escalation %s → %s',
    (remote, privesc, notice) => {
      const track = releaseTrack(
        args({ hasCve: true, remotelyExploitable: remote, privilegeEscalation: privesc, rules: PST }),
      );
      expect(track.distributorNoticeRequired).toBe(notice);
      expect(track.reasons[4]).toContain('remotely exploitable or privilege escalation issues');
    },
  );
});

describe('releaseTrack input checks', () => {
  it.each([-0.1, 10.1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a CVSS score of %s', (cvssScore) => {
    expect(() => releaseTrack(args({ cvssScore }))).toThrow(RangeError);
  });

  it.each([0, 10])('accepts the bounds (%s)', (cvssScore) => {
    expect(() => releaseTrack(args({ cvssScore }))).not.toThrow();
  });
});

describe('trackFactsFrom', () => {
  const base: Answers = {
    component: 'server',
    position: 'remote_anonymous',
    impact: 'code_execution',
    userInteraction: false,
    straightforwardMitigation: true,
    nonDefaultConfig: false,
    highValueAsset: false,
  };

  it.each([
    ['remote_anonymous', true],
    ['authenticated_unprivileged', true],
    ['authenticated_privileged', true],
    ['adjacent_network', false],
    ['local', false],
  ] as const)('counts %s as remotely exploitable: %s', (position, remote) => {
    expect(trackFactsFrom({ ...base, position }).remotelyExploitable).toBe(remote);
  });

  it('counts code execution and elevation as privilege escalation, nothing else', () => {
    expect(trackFactsFrom(base).privilegeEscalation).toBe(true);
    expect(trackFactsFrom({ ...base, impact: 'privilege_elevation' }).privilegeEscalation).toBe(true);
    expect(trackFactsFrom({ ...base, impact: 'spoofing' }).privilegeEscalation).toBe(false);
  });

  it('counts a client as user interaction and passes the mitigation through', () => {
    expect(trackFactsFrom(base)).toMatchObject({ userInteraction: false, straightforwardMitigation: true });
    expect(trackFactsFrom({ ...base, component: 'client' }).userInteraction).toBe(true);
  });
});

describe('ratingsDisagree', () => {
  it.each([
    ['High', 'High', false],
    ['High', 'Critical', true],
    ['Low', 'Medium', true],
    ['Low', 'None', true],
    ['Critical', 'None', true],
    [null, 'High', false],
    ['Medium', null, false],
    [null, null, false],
  ] as const)('questionnaire %s vs CVSS %s: %s', (questionnaire, cvss, disagree) => {
    expect(ratingsDisagree(questionnaire, cvss)).toBe(disagree);
  });
});

// Every quote must be in its document word for word.
describe('release track quotes', () => {
  it.each(['src', 'pst2018'] as const)('every %s quote is in its document word for word', (id) => {
    const doc = processDocument(PROFILES[id].document);
    const rules = PROFILES[id].releaseTrack;
    const quotes = [
      ...Object.values(rules.release).map((r) => r.quote),
      rules.slowQuote,
      rules.semiPublicQuote,
      rules.earlyDisclosureQuote,
      rules.distributorsQuote,
    ];
    expect(quotes.filter((q) => !doc.includes(plain(q)))).toEqual([]);
  });
});
