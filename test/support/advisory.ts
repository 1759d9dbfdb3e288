import { DEFAULT_DISCLOSURE, type DisclosureConfig } from '../../src/config.js';
import { type AdvisoryRecord, advisoryRecord } from '../../src/domain/disclosure/advisory.js';
import type { SeverityPatch } from '../../src/store/severity.js';

/**
 * A disclosure ready to approve: a record with every field the texts need, the severity they quote, and
 * the project's addresses (without them the emails cannot be approved). Shared by the tests that need
 * approved texts without walking the advisory modal.
 */
export const READY_RECORD: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Path traversal in kubelet /logs <!channel>',
  actor: 'an attacker with access to the kubelet API',
  doSomething: 'read any file on the node',
  vulnerable: 'Clusters with the NodeLogQuery feature gate enabled.',
  affected: [{ component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#127001' }],
  detection: 'Requests to /logs/query with a path outside /var/log.',
  reporterCredit: 'Grace Hopper',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/128006',
  cveId: 'CVE-2026-4242',
});

export const READY_SEVERITY: SeverityPatch = {
  finalRating: 'High',
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
  cvssVersion: '3.1',
  cvssScore: 65,
  cvssRating: 'Medium',
};

/** The environment of a deployment whose emails can be approved. */
export const DISCLOSURE_ENV = {
  SRP_ANNOUNCE_EMAIL_TO: 'announce@example.org',
  SRP_DISTRIBUTORS_EMAIL: 'distributors@example.org',
  SRP_SECURITY_EMAIL: 'security@example.org',
};

/** The same, for services wired without a Config (unit tests). */
export function readyDisclosure(): DisclosureConfig {
  const d = DEFAULT_DISCLOSURE();
  return {
    ...d,
    project: {
      ...d.project,
      announceTo: [DISCLOSURE_ENV.SRP_ANNOUNCE_EMAIL_TO],
      distributorsEmail: DISCLOSURE_ENV.SRP_DISTRIBUTORS_EMAIL,
      securityEmail: DISCLOSURE_ENV.SRP_SECURITY_EMAIL,
    },
  };
}
