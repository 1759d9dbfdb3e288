/**
 * An incident's life, as the record the SRC keeps it: each phase in order, and how one may move between
 * them. The next phase is one step; anything else (skipping a phase, going back, closing without a fix,
 * reopening) needs a reason, which the timeline keeps. Pure.
 */

export const PHASES = [
  'triage',
  'fix_team',
  'development',
  'disclosure_planning',
  'release',
  'retrospective',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_NAME: Record<Phase, string> = {
  triage: 'Triage',
  fix_team: 'Fix Team',
  development: 'Development',
  disclosure_planning: 'Disclosure planning',
  release: 'Release',
  retrospective: 'Retrospective',
  closed: 'Closed',
};

/** How a closed incident ended: fixed, or one of the ways a report closes without a fix. */
export const RESOLUTIONS = {
  fixed: 'fixed',
  not_vulnerability: 'not a vulnerability',
  duplicate: 'a duplicate',
  out_of_scope: 'out of scope',
  wont_fix: "won't fix",
} as const;
export type Resolution = keyof typeof RESOLUTIONS;
export type NoFix = Exclude<Resolution, 'fixed'>;
export const NO_FIX: readonly NoFix[] = ['not_vulnerability', 'duplicate', 'out_of_scope', 'wont_fix'];

export const isOpen = (p: Phase) => p !== 'closed';

/** The phase after `p` in the usual course, or undefined after the last one. */
export function nextPhase(p: Phase): Phase | undefined {
  const i = PHASES.indexOf(p);
  return i >= 0 && i < PHASES.length - 1 ? PHASES[i + 1] : undefined;
}

export type Move =
  | { kind: 'advance'; to: Phase }
  | { kind: 'close'; resolution: Resolution }
  | { kind: 'reopen'; to: Phase };

export type MoveCheck = { ok: true; needsReason: boolean } | { ok: false; problem: string };

/**
 * Whether a move is allowed from `from`, and whether it needs a reason. The usual next phase needs none;
 * closing a fixed incident from its retrospective needs none; everything else does.
 */
export function checkMove(from: Phase, move: Move): MoveCheck {
  if (move.kind === 'reopen') {
    if (from !== 'closed') return { ok: false, problem: `It is not closed: it is in ${PHASE_NAME[from]}.` };
    if (move.to === 'closed') return { ok: false, problem: 'Reopen it into a phase, e.g. Development.' };
    return { ok: true, needsReason: true };
  }
  if (from === 'closed') {
    return { ok: false, problem: 'It is closed: reopen it first, with the reason.' };
  }
  if (move.kind === 'close') {
    const usual = move.resolution === 'fixed' && from === 'retrospective';
    return { ok: true, needsReason: !usual };
  }
  if (move.to === from) return { ok: false, problem: `It is already in ${PHASE_NAME[from]}.` };
  if (move.to === 'closed') return { ok: false, problem: 'Close it with how it ended (fixed, or why not).' };
  return { ok: true, needsReason: move.to !== nextPhase(from) };
}

/**
 * The SRC's canned replies for reports that are not vulnerabilities of the project, as drafts a member
 * copies into their answer to the reporter (srp itself only tells the reporter their report was
 * reviewed). From the companion's "Canned replies: non-vuln, container-vuln, clickjacking, SPF record".
 */
export const CANNED_REPLIES = {
  not_vulnerability: {
    title: 'Not a vulnerability',
    text:
      'Thank you for your report. After review, the Security Response Committee has concluded that the ' +
      'behaviour you describe is working as intended and does not cross a security boundary of the ' +
      'project, so we are closing it as not a vulnerability. If you have more information that shows ' +
      'otherwise, please reply and we will look again.',
  },
  container_image_cve: {
    title: 'Container image CVE',
    text:
      'Thank you for your report. CVEs found by scanning the project’s container images usually come from ' +
      'base-image packages that the project’s code does not use, and are resolved when the base images are ' +
      'rebuilt. Unless you can show that the vulnerable code is reachable through the project, we track ' +
      'these through the regular image update process rather than as security reports.',
  },
  clickjacking: {
    title: 'Clickjacking',
    text:
      'Thank you for your report. Clickjacking on pages that have no state-changing actions behind them ' +
      'does not put users at risk, so we do not treat missing framing protections on such pages as a ' +
      'vulnerability. If you found a page where a framed click changes state, please send the steps.',
  },
  spf_record: {
    title: 'SPF or DMARC record',
    text:
      'Thank you for your report. Missing or permissive SPF, DKIM or DMARC records on domains that do not ' +
      'send mail are outside the scope of our security process. We appreciate the note and have passed it ' +
      'to the people who run the domains.',
  },
} as const;
export type CannedReply = keyof typeof CANNED_REPLIES;
