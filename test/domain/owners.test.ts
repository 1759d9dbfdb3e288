import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  orderProblems,
  perIssueRoleArg,
  releaseManagersSee,
  rotationPair,
  takeTurn,
} from '../../src/domain/owners.js';
import { PHASES } from '../../src/domain/phases.js';
import { PROFILES } from '../../src/domain/profiles/index.js';

const everyone = () => true;

describe('a weekly rotation of a per-issue role', () => {
  it("gives week N's incidents to list[N % len], with list[(N+1) % len] as secondary", () => {
    const order = ['UA', 'UB', 'UC'];
    expect(rotationPair(order, 0)).toEqual({ primary: 'UA', secondary: 'UB' });
    expect(rotationPair(order, 2)).toEqual({ primary: 'UC', secondary: 'UA' });
    expect(rotationPair(order, 7)).toEqual({ primary: 'UB', secondary: 'UC' });
    // Weeks before the rotation's first count backwards round the list too.
    expect(rotationPair(order, -1)).toEqual({ primary: 'UC', secondary: 'UA' });
    expect(rotationPair(['UA'], 5)).toEqual({ primary: 'UA', secondary: null });
    expect(rotationPair([], 5)).toEqual({ primary: null, secondary: null });
  });

  it('falls to the secondary when the primary cannot take it, and to nobody when neither can', () => {
    const rule = { mode: 'rotation' as const, order: ['UA', 'UB', 'UC'], queue: ['UA', 'UB', 'UC'] };
    expect(takeTurn(rule, 0, everyone).userId).toBe('UA');
    expect(takeTurn(rule, 0, (u) => u !== 'UA').userId).toBe('UB');
    // Not the next one down the list: the week has a primary and a secondary, nobody else.
    expect(takeTurn(rule, 0, (u) => u === 'UC').userId).toBeNull();
    // A rotation has no queue to move.
    expect(takeTurn(rule, 0, everyone).queue).toEqual(['UA', 'UB', 'UC']);
  });
});

describe('a queue of a per-issue role', () => {
  it('gives the next incident to the top, who goes to the bottom', () => {
    let rule = { mode: 'queue' as const, order: ['UA', 'UB', 'UC'], queue: ['UA', 'UB', 'UC'] };
    const taken: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const turn = takeTurn(rule, 0, everyone);
      taken.push(turn.userId);
      rule = { ...rule, queue: turn.queue };
    }
    expect(taken).toEqual(['UA', 'UB', 'UC', 'UA']);
  });

  it('passes over someone who cannot take it; they keep their place at the top for the next one', () => {
    const rule = { mode: 'queue' as const, order: ['UA', 'UB', 'UC'], queue: ['UA', 'UB', 'UC'] };
    const away = takeTurn(rule, 0, (u) => u !== 'UA');
    expect(away).toEqual({ userId: 'UB', queue: ['UA', 'UC', 'UB'] });
    expect(takeTurn({ ...rule, queue: away.queue }, 0, everyone).userId).toBe('UA');
    expect(takeTurn(rule, 0, () => false)).toEqual({ userId: null, queue: ['UA', 'UB', 'UC'] });
  });

  it('never loses or duplicates anyone, whoever is away', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom<string>('UA', 'UB', 'UC', 'UD', 'UE'), { minLength: 1 }),
        fc.array(fc.constantFrom<string>('UA', 'UB', 'UC', 'UD', 'UE')),
        (queue, away) => {
          const turn = takeTurn({ mode: 'queue', order: queue, queue }, 0, (u) => !away.includes(u));
          expect([...turn.queue].sort()).toEqual([...queue].sort());
          if (turn.userId !== null) {
            expect(away).not.toContain(turn.userId);
            expect(turn.queue.at(-1)).toBe(turn.userId);
          }
        },
      ),
    );
  });
});

describe('the rest of the per-issue roles', () => {
  it('reads a role as typed and checks an order', () => {
    expect(perIssueRoleArg('Triage')).toBe('triage');
    expect(perIssueRoleArg('project-manager')).toBe('project_manager');
    expect(perIssueRoleArg('pm')).toBe('project_manager');
    expect(perIssueRoleArg('commander')).toBeUndefined();
    const members = new Set(['UA', 'UB']);
    expect(orderProblems(['UA', 'UB'], (u) => members.has(u))).toEqual([]);
    expect(orderProblems([], (u) => members.has(u))).toEqual(['List at least one member, in order.']);
    expect(orderProblems(['UA', 'UA', 'UX'], (u) => members.has(u))).toEqual([
      '<@UA>: listed more than once.',
      '<@UX>: only committee members can hold these roles.',
    ]);
  });

  it('are the owners the 2018 profile names, and today’s profile names none of them', () => {
    const owners = (id: 'src' | 'pst2018') => new Set(PROFILES[id].phases.steps.map((s) => s.owner));
    for (const role of ['project_manager', 'triage', 'infra', 'disclosure'] as const) {
      expect(owners('pst2018')).toContain(role);
      expect(owners('src')).not.toContain(role);
    }
    expect(owners('src')).toContain('release_managers');
  });
});

describe('what the Release Managers see', () => {
  it('an incident from its release on, and a closed one only if it was closed from there', () => {
    const open = PHASES.filter((p) => p !== 'closed');
    expect(open.filter((p) => releaseManagersSee(p, undefined))).toEqual(['release', 'retrospective']);
    expect(releaseManagersSee('closed', 'retrospective')).toBe(true);
    expect(releaseManagersSee('closed', 'release')).toBe(true);
    // Closed before its release (not a vulnerability, a duplicate): it never reached them.
    expect(releaseManagersSee('closed', 'triage')).toBe(false);
    expect(releaseManagersSee('closed', 'development')).toBe(false);
    expect(releaseManagersSee('closed', undefined)).toBe(false);
  });
});
