import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the real entry point the way `npx srp` does: `node bin/srp.js …` from the repository root.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function srp(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, ['bin/srp.js', ...args], {
    cwd: ROOT,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
}

describe('srp cvss', () => {
  it('prints the normalized vector, version, score and rating of a lowercase vector', () => {
    const r = srp(['cvss', 'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:n/a:n']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      version: '3.1',
      score: 7.5,
      rating: 'High',
      baseScore: 7.5,
      overallScore: 7.5,
    });
    expect(r.stderr).toBe('');
  });

  it('reads a FIRST calculator link of the 3-1# form', () => {
    // CVE-2021-25741, kubernetes/kubernetes#104980; CVE record: 8.8.
    const r = srp([
      'cvss',
      'https://www.first.org/cvss/calculator/3-1#CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    ]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      version: '3.1',
      score: 8.8,
      rating: 'High',
      baseScore: 8.8,
      overallScore: 8.8,
    });
  });

  it('scores CVSS 4.0 and keeps the metrics after the base ones', () => {
    // CVE-2024-0012, Palo Alto Networks CNA record: 9.3.
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red';
    const r = srp(['cvss', vector.toLowerCase()]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      vector,
      version: '4.0',
      score: 9.3,
      rating: 'Critical',
      baseScore: 9.3,
      overallScore: 9.3,
    });
  });

  it('answers an invalid vector with a JSON error naming the metric, a readable line and exit 2', () => {
    const r = srp(['cvss', 'CVSS:3.1/AV:N/AC:L/PR:X/UI:N/S:U/C:H/I:H/A:H']);
    expect(r.code).toBe(2);
    expect(json(r.stdout)).toEqual({
      error: 'PR:X is not a valid Privileges Required value; use N, L or H.',
      metric: 'PR',
    });
    expect(r.stderr).toBe('srp cvss: PR:X is not a valid Privileges Required value; use N, L or H.\n');
  });

  it('names a missing base metric', () => {
    const r = srp(['cvss', 'CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
    expect(r.code).toBe(2);
    expect(json(r.stdout)).toEqual({ error: 'The vector is missing Attack Vector (AV).', metric: 'AV' });
  });

  it('leaves out the metric when the error is not about one', () => {
    const r = srp(['cvss', 'not a vector']);
    expect(r.code).toBe(2);
    expect(json(r.stdout)).toEqual({
      error: 'No CVSS vector found; paste one such as CVSS:3.1/AV:N/AC:L/… or a calculator link.',
    });
  });

  it('puts notes on stderr, keeping stdout one JSON line', () => {
    const r = srp(['cvss', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ version: '3.1', score: 9.8 });
    expect(r.stderr).toBe('srp cvss: note: The vector has no CVSS version prefix; read as CVSS 3.1.\n');
  });

  it('reads the vector from stdin with -', () => {
    const r = srp(['cvss', '-'], 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ version: '3.0', score: 9.8, rating: 'Critical' });
  });

  it('prints usage and exits 2 with no subcommand, an unknown one, or no vector', () => {
    for (const args of [[], ['score', 'x']]) {
      const r = srp(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: srp <command>');
      expect(r.stderr).toMatch(/^ {2}cvss /m);
    }
    const r = srp(['cvss']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: srp cvss');
    expect(srp(['frobnicate']).stderr).toContain('unknown command "frobnicate"');
  });

  it('prints usage on stdout and exits 0 for --help', () => {
    const r = srp(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: srp <command>');
    expect(srp(['cvss', '--help']).stdout).toContain('Usage: srp cvss');
  });
});
