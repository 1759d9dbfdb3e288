import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { schemaProblems } from '../../src/domain/exports/index.js';
import { tempDir } from '../support/tempDir.js';
import {
  ADMIN,
  EXPORT_ENV,
  ORG_ID,
  OUTSIDER,
  PERMALINK,
  PUBLISHED_AT,
  PUBLISHED_RECORD,
  SECRETS,
  type Seeded,
  seed,
  srp,
  srpHere,
} from './seed.js';

// `npx srp` (node bin/srp.js) against a real database file filled through srp's services.
const tmp = tempDir('srp-cli-');
const DB = tmp.path('data/srp.db');
const env = { DATABASE_URL: DB, ...EXPORT_ENV };
let ids: Seeded;

beforeAll(() => {
  ids = seed(DB);
});
afterAll(() => tmp.cleanup());

// biome-ignore lint/suspicious/noExplicitAny: the records are read field by field, as a script would
type Json = Record<string, any>;

// Each spawn of `node bin/srp.js` costs seconds (tsx compiles the sources): the acceptance cases run
// the real entry point; the many cases of one rule run `main` in this process.
const SPAWNS = 120_000;
const outputs = new Map<string, string>();

describe('srp export', () => {
  it(
    'writes the CVE record of a published incident: valid against the official schema, as entered',
    async () => {
      const r = srp(['export', ids.published, '--format', 'cve'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      outputs.set('cve', r.stdout);
      const cve = JSON.parse(r.stdout) as Json;
      expect(schemaProblems('cve', cve)).toEqual([]);
      expect(cve.cveMetadata).toEqual({
        cveId: PUBLISHED_RECORD.cveId,
        assignerOrgId: ORG_ID,
        assignerShortName: 'kubernetes',
        state: 'PUBLISHED',
      });
      const cna = cve.containers.cna;
      expect(cna.title).toBe(PUBLISHED_RECORD.summary);
      expect(cna.descriptions[0].value).toContain('may allow a user who can create pods to gain root');
      expect(cna.affected).toHaveLength(1);
      expect(cna.affected[0]).toMatchObject({ vendor: 'Kubernetes', product: 'kubelet' });
      expect(cna.affected[0].versions).toEqual(
        expect.arrayContaining([
          { version: '1.30.0', status: 'affected', versionType: 'semver', lessThan: '1.30.5' },
          { version: '1.29.0', status: 'affected', versionType: 'semver', lessThan: '1.29.9' },
          { version: '1.30.5', status: 'unaffected' },
          { version: '1.29.9', status: 'unaffected' },
        ]),
      );
      expect(JSON.stringify(cna.metrics)).toContain('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H');
      expect(cna.metrics[0].cvssV3_1).toMatchObject({ baseScore: 9.9, baseSeverity: 'CRITICAL' });
      expect(JSON.stringify(cna.problemTypes)).toContain('CWE-59');
      const refs = cna.references.map((x: Json) => [x.url, x.tags]);
      expect(refs).toEqual(
        expect.arrayContaining([
          [PUBLISHED_RECORD.trackingIssue, ['issue-tracking']],
          [PERMALINK, ['mailing-list']],
          ['https://github.com/kubernetes/kubernetes/pull/12345', ['patch']],
        ]),
      );
      expect(cna.credits.map((c: Json) => c.value)).toEqual(['Alice Example', 'Bob Builder']);
      expect(cna.workarounds[0].value).toBe(PUBLISHED_RECORD.mitigation);
    },
    SPAWNS,
  );

  it(
    'writes the OSV record, valid against the OSV schema, with the publication time',
    async () => {
      const r = srp(['export', ids.published, '--format', 'osv'], env);
      expect(r.code).toBe(0);
      outputs.set('osv', r.stdout);
      const osv = JSON.parse(r.stdout) as Json;
      expect(schemaProblems('osv', osv)).toEqual([]);
      expect(osv.id).toBe('CVE-2026-1234');
      expect(osv.published).toBe(PUBLISHED_AT.toISOString());
      expect(osv.summary).toBe(PUBLISHED_RECORD.summary);
      expect(osv.severity).toEqual([
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H' },
      ]);
      expect(osv.affected[0].package).toEqual({ ecosystem: 'Kubernetes', name: 'kubelet' });
      expect(osv.affected[0].ranges[0].events).toEqual([{ introduced: '1.30.0' }, { fixed: '1.30.5' }]);
    },
    SPAWNS,
  );

  it(
    'writes the CVE map as YAML that parses, one document per release branch',
    async () => {
      const r = srp(['export', ids.published, '--format', 'cve-map'], env);
      expect(r.code).toBe(0);
      outputs.set('cve-map', r.stdout);
      const docs = parseAllDocuments(r.stdout).map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS() as Json;
      });
      expect(docs.map((d) => d.pr)).toEqual([12345, 12346]);
      expect(docs[0]?.datafields.cve).toMatchObject({
        id: 'CVE-2026-1234',
        title: PUBLISHED_RECORD.summary,
        trackingissue: PUBLISHED_RECORD.trackingIssue,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
        score: 9.9,
        rating: 'Critical',
      });
    },
    SPAWNS,
  );

  it(
    'a published export holds no private field: no reporter contact, internal notes, embargo terms or watch words',
    async () => {
      const md = srp(['export', ids.published, '--format', 'advisory-md'], env);
      expect(md.code).toBe(0);
      outputs.set('advisory-md', md.stdout);
      for (const format of ['cve', 'osv', 'cve-map', 'advisory-md']) {
        const text = outputs.get(format) ?? '';
        expect(text, format).toContain('CVE-2026-1234');
        for (const secret of [
          SECRETS.reporterContact,
          SECRETS.description,
          SECRETS.watchWord,
          'PRIVATE-EMBARGO-TERMS',
          'GET /logs',
          'hackerone.com',
        ]) {
          expect(text, `${format} carries "${secret}"`).not.toContain(secret);
        }
      }
    },
    SPAWNS,
  );

  it(
    'refuses an unpublished incident without --as, and to someone not a member or its Fix Lead (exit 2)',
    async () => {
      const without = srp(['export', ids.embargoed, '--format', 'cve'], env);
      expect(without.code).toBe(2);
      expect(without.stdout).toBe('');
      expect(without.stderr).toContain('is not published yet');
      expect(without.stderr).toContain('--as');

      const outsider = await srpHere(['export', ids.embargoed, '--format', 'osv', '--as', OUTSIDER], env);
      expect(outsider.code).toBe(2);
      expect(outsider.stdout).toBe('');
      expect(outsider.stderr).toContain('only members of the committee and its Fix Lead');

      const member = srp(['export', ids.embargoed, '--format', 'cve', '--as', ADMIN], env);
      expect(member.code).toBe(0);
      const cve = JSON.parse(member.stdout) as Json;
      expect(schemaProblems('cve', cve)).toEqual([]);
      expect(cve.cveMetadata.cveId).toBe('CVE-2026-2222');
    },
    SPAWNS,
  );

  it(
    'writes to --out, and refuses to replace an existing file without --force',
    async () => {
      const out = tmp.path('advisory.md');
      const first = await srpHere(['export', ids.published, '--format', 'advisory-md', '--out', out], env);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toMatch(/^# CVE-2026-1234: Node escape via hostPath volumes/);

      writeFileSync(out, 'keep me');
      const again = await srpHere(['export', ids.published, '--format', 'advisory-md', '--out', out], env);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('give --force');
      expect(readFileSync(out, 'utf8')).toBe('keep me');

      const forced = await srpHere(
        ['export', ids.published, '--format', 'advisory-md', '--out', out, '--force'],
        env,
      );
      expect(forced.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('CVE-2026-1234');
    },
    SPAWNS,
  );

  it(
    'exit 2 on bad input: a bad format, an unknown incident, a missing argument, an option it does not take',
    async () => {
      const cases: Array<[string[], string]> = [
        [['export', ids.published, '--format', 'pdf'], 'unknown format "pdf"'],
        [['export', 'SRP-2026-999', '--format', 'cve'], 'There is no incident SRP-2026-999'],
        [['export', ids.published], 'give the format'],
        [['export', '--format', 'cve'], 'give the incident id'],
        [['export', 'CVE-2026-1234', '--format', 'cve'], 'is not an incident id'],
        [['export', ids.published, '--format'], '--format needs a value'],
        [['export', ids.published, '--format', 'cve', '--as', 'alice'], '--as needs a Slack user id'],
        [['export', ids.published, '--format', 'cve', '--verbose'], 'unknown option "--verbose"'],
      ];
      const real = srp(cases[0]?.[0] ?? [], env);
      expect(real.code).toBe(2);
      expect(real.stderr).toContain('unknown format "pdf"');
      for (const [args, message] of cases) {
        const r = await srpHere(args, env);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout, args.join(' ')).toBe('');
        expect(r.stderr, args.join(' ')).toContain(message);
      }
    },
    SPAWNS,
  );

  it(
    'exit 2 on an invalid configuration, listing every problem at once; no Slack variable is asked for',
    async () => {
      const r = srp(['export', ids.published, '--format', 'cve'], {
        DATABASE_URL: DB,
        SRP_CVE_ASSIGNER: 'kubernetes',
        SRP_OSV_ECOSYSTEM: 'Kubernetess',
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('SRP_CVE_ASSIGNER and SRP_CVE_ASSIGNER_ORG_ID go together');
      expect(r.stderr).toContain('SRP_OSV_ECOSYSTEM must be an OSV ecosystem');
      expect(r.stderr).not.toContain('SLACK');
    },
    SPAWNS,
  );

  it(
    'exit 1 when a record cannot be made: no assigner configured, no advisory record, retro-md not built',
    async () => {
      const noAssigner = await srpHere(['export', ids.published, '--format', 'cve'], { DATABASE_URL: DB });
      expect(noAssigner.code).toBe(1);
      expect(noAssigner.stderr).toContain('set SRP_CVE_ASSIGNER and SRP_CVE_ASSIGNER_ORG_ID');

      const noRecord = await srpHere(['export', ids.bare, '--format', 'osv', '--as', ADMIN], env);
      expect(noRecord.code).toBe(1);
      expect(noRecord.stderr).toContain('has no advisory record yet');

      // The retrospective carries critiques: never for the world, even after publication.
      const retro = await srpHere(['export', ids.published, '--format', 'retro-md'], env);
      expect(retro.code).toBe(2);
      const asMember = await srpHere(['export', ids.published, '--format', 'retro-md', '--as', ADMIN], env);
      expect(asMember.code).toBe(0);
      expect(asMember.stdout).toContain(`# Retrospective: ${ids.published}`);
    },
    SPAWNS,
  );

  it(
    'exit 1 when the database cannot be read: not a database, or no file at DATABASE_URL',
    async () => {
      const garbage = tmp.path('garbage.db');
      writeFileSync(garbage, 'this is not an SQLite database, just some text to fill a page '.repeat(100));
      const real = srp(['export', ids.published, '--format', 'cve'], { ...env, DATABASE_URL: garbage });
      expect(real.code).toBe(1);
      expect(real.stdout).toBe('');
      expect(real.stderr).toContain('cannot read the database');
      for (const command of [
        ['export', ids.published, '--format', 'cve'],
        ['status'],
        ['show', ids.published],
      ]) {
        const bad = await srpHere(command, { ...env, DATABASE_URL: garbage });
        expect(bad.code, command.join(' ')).toBe(1);
        expect(bad.stderr).toContain('cannot read the database');
        const none = await srpHere(command, { ...env, DATABASE_URL: tmp.path('nowhere/srp.db') });
        expect(none.code, command.join(' ')).toBe(1);
        expect(none.stderr).toContain('there is no database at');
      }
    },
    SPAWNS,
  );
});

describe('srp status and show', () => {
  it(
    'status --json parses and lists every open incident with its publication',
    async () => {
      const r = srp(['status', '--json'], env);
      expect(r.code).toBe(0);
      const status = JSON.parse(r.stdout) as Json;
      expect(status.total).toBe(3);
      const byId = Object.fromEntries(status.incidents.map((i: Json) => [i.id, i]));
      expect(byId[ids.published]).toMatchObject({
        summary: 'Node escape via hostPath volumes',
        phase: 'triage',
        rating: 'Critical',
        publication: { state: 'published', publishedAt: PUBLISHED_AT.toISOString(), permalink: PERMALINK },
      });
      expect(byId[ids.embargoed].publication.state).toBe('unscheduled');
      expect(byId[ids.bare].nextDeadline).toMatchObject({
        step: expect.any(String),
        dueAt: expect.any(String),
      });
      expect(r.stdout).not.toContain(SECRETS.reporterContact);
    },
    SPAWNS,
  );

  it(
    'status in plain text: one line per incident; --as an outsider sees none',
    async () => {
      const r = await srpHere(['status'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ID\s+PHASE\s+RATING/);
      for (const id of Object.values(ids)) expect(r.stdout).toContain(id);
      expect(r.stdout).toContain('3 open incidents.');
      const outsider = await srpHere(['status', '--as', OUTSIDER], env);
      expect(outsider.code).toBe(0);
      expect(outsider.stdout.trim()).toBe('No open incidents.');
    },
    SPAWNS,
  );

  it(
    'show: the incident in full, its timeline in order; --json for scripts; an unknown id is exit 2',
    async () => {
      const text = await srpHere(['show', ids.published], env);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`${ids.published}  Node escape via hostPath volumes`);
      expect(text.stdout).toContain(`Fix Lead:     ${ADMIN}`);
      expect(text.stdout).toContain('Timeline:');
      expect(text.stdout).toContain('cvss_scored');

      const json = srp(['show', ids.published, '--json'], env);
      expect(json.code).toBe(0);
      const shown = JSON.parse(json.stdout) as Json;
      expect(shown.incident.id).toBe(ids.published);
      expect(shown.roles.fixLead).toBe(ADMIN);
      expect(shown.severity.cvss.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H');
      expect(shown.timeline.map((e: Json) => e.type)).toEqual(
        expect.arrayContaining(['created', 'cvss_scored']),
      );
      expect(shown.steps.length).toBeGreaterThan(5);
      expect(json.stdout).not.toContain(SECRETS.reporterContact);

      const unknown = await srpHere(['show', 'SRP-2026-404'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('there is no incident SRP-2026-404');
      const hidden = await srpHere(['show', ids.published, '--as', OUTSIDER], env);
      expect(hidden.code).toBe(2);
    },
    SPAWNS,
  );
});

describe('srp --help', () => {
  it(
    'every command prints its usage on stdout and exits 0',
    async () => {
      const real = srp(['export', '--help'], {});
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('Usage: srp export');
      for (const command of ['export', 'status', 'show', 'backup', 'cvss']) {
        const r = await srpHere([command, '--help'], {});
        expect(r.code, command).toBe(0);
        expect(r.stdout, command).toContain(`Usage: srp ${command}`);
        expect(r.stderr, command).toBe('');
      }
      const top = await srpHere(['--help'], {});
      expect(top.code).toBe(0);
      for (const command of ['export', 'status', 'show', 'backup', 'cvss']) {
        expect(top.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    },
    SPAWNS,
  );
});
