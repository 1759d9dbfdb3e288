import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { offlineSlack } from '../../src/cli/command.js';
import { main } from '../../src/cli/srp.js';
import { systemClock } from '../../src/clock.js';
import { type AdvisoryRecord, advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import { resolveProfile } from '../../src/domain/profiles/index.js';
import { work } from '../../src/domain/work.js';
import { createLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { wireServices } from '../../src/wiring.js';

/** Runs the real entry point the way `npx srp` does: `node bin/srp.js …` from the repository root. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function srp(args: string[], env: Record<string, string>, stdin = '') {
  const r = spawnSync(process.execPath, ['bin/srp.js', ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    // Only what is given: no Slack token, no channel (the command line needs none).
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command line run in this process (`main` of src/cli/srp.ts): for the many cases of one rule. */
export async function srpHere(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: (line) => out.push(`${line}\n`),
    stderr: (line) => err.push(`${line}\n`),
    readStdin: async () => '',
    env,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

export const ADMIN = 'U0CLIADMIN';
export const OTHER_MEMBER = 'U0CLIMEMB2';
export const OUTSIDER = 'U0CLIOUTSD';
export const ORG_ID = 'a6081bf6-c852-4425-ad4f-a67919267565';

export const EXPORT_ENV = {
  SRP_CVE_ASSIGNER: 'kubernetes',
  SRP_CVE_ASSIGNER_ORG_ID: ORG_ID,
  SRP_OSV_ECOSYSTEM: 'Kubernetes',
};

/** What is entered for the published incident: the advisory record's fields, as the modal saves them. */
export const PUBLISHED_RECORD: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Node escape via hostPath volumes',
  actor: 'a user who can create pods',
  doSomething: 'gain root on the node through a crafted hostPath volume',
  vulnerable: 'Clusters that allow hostPath volumes.',
  condition: 'hostPath volumes are allowed',
  affected: [
    { component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#12345' },
    { component: 'kubelet', introduced: '1.29.0', fixed: '1.29.9', pr: '#12346' },
  ],
  mitigation: 'Disallow hostPath volumes with an admission policy.',
  reporterCredit: 'Alice Example',
  fixTeamCredit: 'Bob Builder',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/130001',
  cveId: 'CVE-2026-1234',
  cwe: 'CWE-59',
  patchDeployable: 'PRIVATE-EMBARGO-TERMS: hosted apiservers may deploy early',
});

export const EMBARGOED_RECORD: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Secrets logged at high verbosity',
  affected: [{ component: 'kube-controller-manager', introduced: null, fixed: '1.31.2', pr: '#4242' }],
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/130002',
  cveId: 'CVE-2026-2222',
});

/** Private things entered about the published incident that no record for the world may carry. */
export const SECRETS = {
  reporterContact: 'alice.private@example.org',
  description: 'INTERNAL-NOTE: exploit steps only the committee has seen',
  watchWord: 'hostpathzebra',
};

export const PERMALINK = 'https://example.slack.com/archives/C0ANNOUNCE/p1773158400000100';
export const PUBLISHED_AT = new Date('2026-03-10T16:00:00Z');

export interface Seeded {
  published: string;
  embargoed: string;
  bare: string;
}

/**
 * A real srp database at `path`, filled through srp's services (wired as srp wires them, without Slack):
 * members, three reports, severity, advisory records and the published state of one of them (as the
 * publish service records it once Slack has posted the announcement).
 */
export function seed(path: string): Seeded {
  const db = openDatabase(path);
  try {
    const w = wireServices({
      db,
      client: offlineSlack,
      clock: systemClock,
      log: createLogger('silent'),
      profile: resolveProfile('src', {}),
      securityChannel: 'GSECURITY1',
      announceChannel: 'C0ANNOUNCE',
      owner: 'seed',
    });
    const at = new Date();
    w.store.members.addIfAbsent(ADMIN, 'member', 'test', at);
    w.store.members.addIfAbsent(OTHER_MEMBER, 'member', 'test', at);
    let n = 0;
    const report = (summary: string, patch: Record<string, unknown> = {}) => {
      const r = w.incidents.submit(
        {
          summary,
          description: 'GET /logs/../../etc/shadow returns the file.',
          components: 'kubelet',
          arrival: 'hackerone',
          arrivalRef: 'https://hackerone.com/reports/2345678',
          disclosure: 'private',
          reporterName: 'Alice Example',
          reporterContact: 'alice@example.org',
          receivedAt: new Date(at.getTime() - 3_600_000),
          cveId: null,
          ...patch,
        },
        { userId: OUTSIDER, sourceKey: `view:SEED${++n}` },
      );
      if (!r.ok) throw new Error(`seed report invalid: ${JSON.stringify(r.errors)}`);
      // Its roles, as the work run right after the answer gives them.
      w.runner.runDatabaseWork(work.intakeRoles(r.incident.id, at).key);
      return r.incident.id;
    };
    const published = report('Node escape via hostPath volumes', {
      reporterContact: SECRETS.reporterContact,
      description: SECRETS.description,
    });
    const embargoed = report('Secrets logged at high verbosity');
    const bare = report('A report nobody has looked at yet');

    const ok = (d: { outcome: { ok: boolean; message: string } }) => {
      if (!d.outcome.ok) throw new Error(d.outcome.message);
    };
    ok(w.severity.recordCvss(ADMIN, published, 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H'));
    ok(w.severity.recordCvss(ADMIN, embargoed, 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N'));
    w.store.advisory.save(published, PUBLISHED_RECORD, ADMIN, at);
    w.store.advisory.save(embargoed, EMBARGOED_RECORD, ADMIN, at);
    w.store.advisory.setWatchWords(published, [SECRETS.watchWord], ADMIN, at);
    w.store.advisory.putDisclosure(
      published,
      { state: 'published', publishedAt: PUBLISHED_AT, permalink: PERMALINK },
      at,
    );
    return { published, embargoed, bare };
  } finally {
    closeDatabase(db);
  }
}
