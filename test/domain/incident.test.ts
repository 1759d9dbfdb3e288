import { describe, expect, it } from 'vitest';
import { formatAge, formatIncidentId, parseIncidentId } from '../../src/domain/incident.js';

describe('incident ids', () => {
  it('pads the sequence to three digits and grows past it', () => {
    expect(formatIncidentId(2026, 7)).toBe('SRP-2026-007');
    expect(formatIncidentId(2026, 1234)).toBe('SRP-2026-1234');
  });
  it('parses ids case-insensitively and rejects others', () => {
    expect(parseIncidentId(' srp-2026-007 ')).toBe('SRP-2026-007');
    expect(parseIncidentId('SRP-26-7')).toBeUndefined();
  });
});

describe('formatAge', () => {
  const t0 = new Date('2026-11-20T00:00:00Z');
  it.each([
    [0, '0m'],
    [59 * 60_000, '59m'],
    [(5 * 60 + 12) * 60_000, '5h 12m'],
    [(3 * 24 + 4) * 3_600_000, '3d 4h'],
    [-60_000, '0m'],
  ])('after %i ms reads %s', (elapsed, expected) => {
    expect(formatAge(t0, new Date(t0.getTime() + elapsed))).toBe(expected);
  });
});
