import { type AdvisoryRecord, advisoryRecord } from '../../../src/domain/disclosure/advisory.js';
import type { ExportContext, SeverityInput } from '../../../src/domain/exports/index.js';

/** Every field filled, including a private one (patchDeployable) that no public export may carry. */
export const fullRecord: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Node escape via hostPath volumes',
  actor: 'a user who can create pods',
  doSomething: 'gain root on the node through a crafted hostPath volume',
  vulnerable: 'Clusters are affected if they allow hostPath volumes. Check with `kubectl get psp`.',
  condition: 'hostPath volumes are allowed',
  affected: [
    { component: 'kubelet', introduced: '1.30.0', fixed: '1.30.5', pr: '#12345' },
    {
      component: 'kubelet',
      introduced: '1.29.0',
      fixed: '1.29.9',
      pr: 'https://github.com/kubernetes/kubernetes/pull/12346',
    },
    { component: 'kubelet', introduced: null, fixed: '1.28.14', pr: '#12347' },
    { component: 'kube-apiserver', introduced: '1.30.0', fixed: '1.30.5', pr: '#12348' },
    { component: 'kubectl', introduced: '1.31.0', fixed: null, pr: null },
  ],
  mitigation: 'Disallow hostPath volumes with an admission policy.',
  actionRequired: 'Restart every kubelet after the upgrade.',
  fixImpact: 'hostPath volumes with symlinks are refused.',
  detection: 'Look for pods with hostPath volumes mounting `/`.',
  additionalDetails: 'See the design notes in the issue.',
  reporterCredit: 'Alice Example (Example Corp)',
  fixTeamCredit: 'Bob Builder and Carol Coder',
  releaseManagersCredit: 'Dana Release',
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/130001',
  cveId: 'CVE-2026-1234',
  cwe: 'CWE-59',
  patchDeployable: 'PRIVATE-EMBARGO-TERMS: hosted apiservers may deploy early',
});

/** The least a CVE record can be written from: summary, CVE id, one range with its fix PR, the issue. */
export const minimalRecord: AdvisoryRecord = advisoryRecord.parse({
  summary: 'Secrets logged at high verbosity',
  affected: [{ component: 'kube-controller-manager', introduced: null, fixed: '1.31.2', pr: '#4242' }],
  trackingIssue: 'https://github.com/kubernetes/kubernetes/issues/130002',
  cveId: 'CVE-2026-2222',
});

export const fullSeverity: SeverityInput = {
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
  cvssVersion: '3.1',
  cvssScore: 99,
  cvssRating: 'Critical',
  finalRating: 'High',
  questionnaireRating: 'High',
};

export const minimalSeverity: SeverityInput = {
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  cvssVersion: '4.0',
  cvssScore: 69,
  cvssRating: 'Medium',
};

export const fullContext: ExportContext = {
  incidentId: 'SRP-2026-007',
  project: 'Kubernetes',
  assigner: { shortName: 'kubernetes', orgId: 'a6081bf6-c852-4425-ad4f-a67919267565' },
  repoUrl: 'https://github.com/kubernetes/kubernetes',
  publishedAt: new Date('2026-03-10T16:00:00Z'),
  modifiedAt: new Date('2026-03-10T16:05:00Z'),
  announcementUrl: 'https://groups.google.com/g/kubernetes-security-announce/c/AbCdEf',
  osv: { ecosystem: 'Kubernetes' },
};

export const minimalContext: ExportContext = {
  incidentId: 'SRP-2026-008',
  project: 'Kubernetes',
  assigner: { shortName: 'kubernetes', orgId: 'a6081bf6-c852-4425-ad4f-a67919267565' },
  repoUrl: 'https://github.com/kubernetes/kubernetes',
  publishedAt: null,
  modifiedAt: new Date('2026-04-01T12:00:00Z'),
  announcementUrl: null,
  osv: { ecosystem: 'Kubernetes' },
};
