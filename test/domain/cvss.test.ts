import { describe, expect, it } from 'vitest';
import {
  BASE_METRICS,
  type CvssParse,
  type CvssResult,
  type CvssVersion,
  parseCvss,
  ratingFor,
  vectorFromPicks,
} from '../../src/domain/cvss.js';

function ok(p: CvssParse): CvssResult {
  if (!p.ok) throw new Error(`expected a valid vector, got: ${p.error}`);
  return p.result;
}

function err(p: CvssParse): { error: string; metric?: string } {
  if (p.ok) throw new Error(`expected an error, got ${p.result.vector}`);
  return p;
}

// Source: FIRST, "Common Vulnerability Scoring System v3.0: Examples",
// https://www.first.org/cvss/v3.0/examples (base vector and base score of each worked example).
const FIRST_V30_EXAMPLES: Array<[string, string, number]> = [
  ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVE-2013-0375 MySQL stored SQL injection', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
  ['CVE-2009-0783 Apache Tomcat XML parser', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
  ['CVE-2012-0384 Cisco IOS arbitrary command execution', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVE-2008-1447 DNS Kaminsky bug', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
  ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
  ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
  ['CVE-2012-1342 Cisco access control bypass', 'AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8],
  ['CVE-2013-6014 Juniper proxy ARP denial of service', 'AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3],
  ['CVE-2014-9253 DokuWiki reflected XSS', 'AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4],
  ['CVE-2009-0658 Adobe Acrobat buffer overflow', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2011-1265 Microsoft Windows Bluetooth RCE', 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-2019 Apple iOS security control bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6],
  ['CVE-2015-0970 SearchBlox CSRF', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-0224 OpenSSL CCS injection', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4],
  ['CVE-2012-5376 Google Chrome sandbox bypass', 'AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
];

// Source: FIRST, "Common Vulnerability Scoring System v3.1: Examples",
// https://www.first.org/cvss/v3.1/examples (base vector and base score of each worked example).
const FIRST_V31_EXAMPLES: Array<[string, string, number]> = [
  ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVE-2013-0375 MySQL stored SQL injection', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
  ['CVE-2009-0783 Apache Tomcat XML parser', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
  ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVE-2008-1447 DNS Kaminsky bug', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
  ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
  ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
  ['CVE-2012-1342 Cisco access control bypass', 'AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8],
  ['CVE-2013-6014 Juniper proxy ARP denial of service', 'AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3],
  ['CVE-2019-7551 Cantemo Portal stored XSS', 'AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H', 9.0],
  ['CVE-2009-0658 Adobe Acrobat buffer overflow', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2011-1265 Microsoft Windows Bluetooth RCE', 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-2019 Apple iOS security control bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6],
  ['CVE-2015-0970 SearchBlox CSRF', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-0224 OpenSSL CCS injection', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4],
  ['CVE-2012-5376 Google Chrome sandbox bypass', 'AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
  ['CVE-2016-1645 Google Chrome PDFium JPEG 2000 RCE', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2016-0128 Windows SAM/LSAD downgrade (Badlock)', 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N', 6.8],
  ['CVE-2016-2118 Samba SAMR/LSAD (Badlock)', 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.5],
  ['CVE-2017-5942 WordPress Mail plugin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVE-2018-18913 Opera DLL search order hijacking', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2016-5558 Oracle Outside In Technology', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:L', 8.6],
  ['CVE-2016-5729 Lenovo ThinkPwn', 'AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 8.2],
  ['CVE-2015-2890 Flash storage lock on resume', 'AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:H/A:H', 6.0],
  ['CVE-2018-3652 Intel DCI', 'AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 7.6],
  ['CVE-2019-0884 scripting engine memory corruption (IE)', 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.5],
  ['CVE-2019-0884 scripting engine memory corruption (Edge)', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N', 4.2],
];

// Source: FIRST, "Common Vulnerability Scoring System v4.0: Examples",
// https://www.first.org/cvss/v4.0/examples. `published` is the score the document gives for the whole
// vector (CVSS-B, or CVSS-BT/BE when threat or environmental metrics are present); `base` is CVSS-B,
// which the same document gives for the base vector of that example.
const FIRST_V40_EXAMPLES: Array<{ name: string; vector: string; base: number; published: number }> = [
  {
    name: 'CVE-2022-41741 nginx mp4 module memory corruption',
    vector: 'AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    base: 7.3,
    published: 7.3,
  },
  {
    name: 'CVE-2020-3549 Cisco FMC',
    vector: 'AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    base: 7.7,
    published: 7.7,
  },
  {
    name: 'CVE-2020-3549 Cisco FMC, unreported exploit (CVSS-BT)',
    vector: 'AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U',
    base: 7.7,
    published: 5.2,
  },
  {
    name: 'CVE-2023-3089 OpenShift FIPS',
    vector: 'AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N',
    base: 8.3,
    published: 8.3,
  },
  {
    name: 'CVE-2023-3089 OpenShift FIPS, environmental (CVSS-BE)',
    vector:
      'AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L',
    base: 8.3,
    published: 8.1,
  },
  {
    name: 'CVE-2021-44714 Adobe Acrobat',
    vector: 'AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N',
    base: 4.6,
    published: 4.6,
  },
  {
    name: 'CVE-2022-21830 Blue Prism',
    vector: 'AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N',
    base: 5.1,
    published: 5.1,
  },
  {
    name: 'CVE-2022-22186 Juniper',
    vector: 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N',
    base: 6.9,
    published: 6.9,
  },
  {
    name: 'CVE-2023-21989 Oracle VirtualBox',
    vector: 'AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N',
    base: 5.9,
    published: 5.9,
  },
  {
    name: 'CVE-2020-3947 VMware Workstation',
    vector: 'AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H',
    base: 9.4,
    published: 9.4,
  },
  {
    name: 'CVE-2023-48228 authentik',
    vector: 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H',
    base: 9.3,
    published: 9.3,
  },
  {
    name: 'CVE-2023-30560 Medtronic pump, supplemental metrics',
    vector: 'AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D',
    base: 8.3,
    published: 8.3,
  },
  {
    name: 'CVE-2014-0160 OpenSSL Heartbleed, attacked (CVSS-BT)',
    vector: 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A',
    base: 8.7,
    published: 8.7,
  },
  {
    name: 'CVE-2021-44228 Log4Shell, attacked (CVSS-BT)',
    vector: 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A',
    base: 9.3,
    published: 9.3,
  },
  {
    name: 'CVE-2013-6014 Juniper proxy ARP',
    vector: 'AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H',
    base: 6.4,
    published: 6.4,
  },
  {
    name: 'CVE-2016-5729 Lenovo ThinkPwn, supplemental Recovery',
    vector: 'AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/R:I',
    base: 8.4,
    published: 8.4,
  },
];

describe('FIRST published examples', () => {
  it.each(FIRST_V30_EXAMPLES)('v3.0 %s', (_name, vector, score) => {
    const r = ok(parseCvss(`CVSS:3.0/${vector}`));
    expect(r).toMatchObject({
      version: '3.0',
      vector: `CVSS:3.0/${vector}`,
      score,
      rating: ratingFor(score),
    });
  });

  it.each(FIRST_V31_EXAMPLES)('v3.1 %s', (_name, vector, score) => {
    const r = ok(parseCvss(`CVSS:3.1/${vector}`));
    expect(r).toMatchObject({
      version: '3.1',
      vector: `CVSS:3.1/${vector}`,
      score,
      rating: ratingFor(score),
    });
  });

  it.each(FIRST_V40_EXAMPLES)('v4.0 $name', ({ vector, base, published }) => {
    const r = ok(parseCvss(`CVSS:4.0/${vector}`));
    // A 4.0 vector has one score, the one FIRST publishes for it (CVSS-B/BT/BE/BTE).
    expect(r).toMatchObject({
      version: '4.0',
      vector: `CVSS:4.0/${vector}`,
      score: published,
      baseScore: base,
      overallScore: published,
    });
    expect(r.rating).toBe(ratingFor(published));
  });
});

// Real advisories. "CVE record" means the CNA's entry in the CVE List (github.com/CVEProject/cvelistV5,
// cves/<year>/<n>xxx/<id>.json, metrics.cvssV3_x/cvssV4_0 vectorString and baseScore). Kubernetes
// issue texts are as they appear in the official CVE feed (kubernetes.io/docs/reference/issues-security/
// official-cve-feed, copied in kubernetes-sigs/cve-feed-osv collector/testdata/k8s-db.json).
const REAL_ADVISORIES: Array<{ source: string; input: string; vector: string; score: number }> = [
  {
    source: 'CVE record CVE-2018-1002105 (Kubernetes CNA); kubernetes/kubernetes#71411',
    input: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    score: 9.8,
  },
  {
    source: 'CVE record CVE-2017-1002102 (Kubernetes CNA)',
    input: 'CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:H',
    vector: 'CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:H',
    score: 7.1,
  },
  {
    source: 'CVE record CVE-2019-11247 (Kubernetes CNA); kubernetes/kubernetes#80983',
    input: 'CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:U/C:L/I:L/A:L',
    vector: 'CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:U/C:L/I:L/A:L',
    score: 5.0,
  },
  {
    source: 'kubernetes/kubernetes#97076 (CVE-2020-8554, "CVSS Rating: **Medium**", 3.0 link)',
    input:
      'CVSS Rating: **Medium** ([CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L](https://www.first.org/cvss/calculator/3.0#CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L))',
    vector: 'CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L',
    score: 6.3,
  },
  {
    source: 'CVE record CVE-2020-8554 (Kubernetes CNA: the same metrics as #97076 under a 3.1 prefix, 6.3)',
    input: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L',
    score: 6.3,
  },
  {
    source: 'CVE record CVE-2020-8555 (Kubernetes CNA, 3.1; kubernetes-sigs/cve-feed-osv gives it as 3.0)',
    input: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N',
    vector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N',
    score: 6.3,
  },
  {
    source:
      'kubernetes-sigs/cve-feed-osv vulns/CVE-2020-8555.json (3.0 prefix), scored 6.3 by the CVE record',
    input: 'CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N',
    vector: 'CVSS:3.0/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N',
    score: 6.3,
  },
  {
    source: 'kubernetes/kubernetes#93032 (CVE-2020-8557, "CVSS Rating: Medium (5.5)", environmental metrics)',
    input:
      'CVSS Rating: Medium (5.5)  [CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H/CR:H/IR:H/AR:M](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H/CR:H/IR:H/AR:M)',
    vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H/CR:H/IR:H/AR:M',
    score: 5.5,
  },
  {
    source: 'CVE record CVE-2020-8558 (Kubernetes CNA); kubernetes/kubernetes#92315',
    input: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
    vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
    score: 5.4,
  },
  {
    source: 'CVE record CVE-2020-10749 (Red Hat CNA, legacy "score/vector" form)',
    input: '6/CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:L/I:L/A:L',
    vector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:L/I:L/A:L',
    score: 6.0,
  },
  {
    source: 'CVE record CVE-2021-25741 (Kubernetes CNA); kubernetes/kubernetes#104980',
    input: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    score: 8.8,
  },
  {
    source: 'CVE record CVE-2022-3172 (Kubernetes CNA); kubernetes/kubernetes#112513',
    input: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L',
    vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L',
    score: 5.1,
  },
  {
    source: 'kubernetes/kubernetes#118690 (CVE-2023-2431, "rated LOW … (score: 3.4)")',
    input:
      'This issue has been rated LOW ([CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N)) (score: 3.4).',
    vector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N',
    score: 3.4,
  },
  {
    source:
      'kubernetes/kubernetes#118640 (CVE-2023-2727 and CVE-2023-2728, one rating line each); CVE records: 6.5',
    input:
      'CVSS Rating: [CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N)\r\nCVSS Rating: [CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N)',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N',
    score: 6.5,
  },
  {
    source: 'kubernetes/kubernetes#118419 (CVE-2023-2878, "rated **MEDIUM** … (6.5)")',
    input:
      'This issue has been rated **MEDIUM** [CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N](https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N) (6.5), and assigned **CVE-2023-2878**',
    vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N',
    score: 6.5,
  },
  {
    source: 'CVE record CVE-2024-3177 (Kubernetes CNA); kubernetes/kubernetes#124336',
    input: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N',
    score: 2.7,
  },
  {
    source: 'CVE record CVE-2024-3400 (Palo Alto Networks CNA)',
    input: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    score: 10.0,
  },
  {
    source:
      'CVE record CVE-2024-0012 (Palo Alto Networks CNA), first of two 4.0 scenarios, supplemental metrics',
    input: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red',
    vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red',
    score: 9.3,
  },
  {
    source: 'CVE record CVE-2024-0012 (Palo Alto Networks CNA), second 4.0 scenario',
    input: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red',
    vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red',
    score: 5.9,
  },
];

describe('real advisories', () => {
  it.each(REAL_ADVISORIES)('$source', ({ input, vector, score }) => {
    const r = ok(parseCvss(input));
    expect(r).toMatchObject({ vector, score, rating: ratingFor(score) });
  });

  it('scores each of them the same in lowercase and as a FIRST calculator link', () => {
    for (const { vector, score } of REAL_ADVISORIES) {
      expect(ok(parseCvss(vector.toLowerCase())).score).toBe(score);
      const version = vector.slice(5, 8);
      expect(ok(parseCvss(`https://www.first.org/cvss/calculator/${version}#${vector}`)).score).toBe(score);
    }
  });

  it('CVE-2020-8557: the environmental metrics are kept but the published score is the base one', () => {
    const r = ok(parseCvss(REAL_ADVISORIES.find((a) => a.source.includes('#93032'))?.input ?? ''));
    expect(r.baseVector).toBe('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H');
    expect(r.score).toBe(5.5);
  });
});

describe('tolerant reading', () => {
  const heartbleed = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';

  it.each([
    ['lowercase', 'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:n/a:n'],
    ['mixed case', 'Cvss:3.1/Av:n/AC:l/pr:N/ui:N/S:u/c:H/I:n/a:N'],
    ['surrounding whitespace and newline', `  \n${heartbleed}\t\n`],
    ['double quotes', `"${heartbleed}"`],
    ['single quotes', `'${heartbleed}'`],
    ['backticks', `\`${heartbleed}\``],
    ['typographic quotes', `“${heartbleed}”`],
    ['angle brackets', `<${heartbleed}>`],
    ['parentheses', `(${heartbleed})`],
    ['trailing slash', `${heartbleed}/`],
    ['trailing full stop', `${heartbleed}.`],
    ['spaces around slashes', 'CVSS:3.1 / AV:N / AC:L / PR:N / UI:N / S:U / C:H / I:N / A:N'],
    ['a space after the prefix', 'CVSS:3.1 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'],
    ['metrics out of order', 'CVSS:3.1/S:U/C:H/I:N/A:N/AV:N/AC:L/PR:N/UI:N'],
    ['FIRST calculator 3.1#', `https://www.first.org/cvss/calculator/3.1#${heartbleed}`],
    ['FIRST calculator 3-1#', `https://www.first.org/cvss/calculator/3-1#${heartbleed}`],
    ['FIRST calculator without scheme', `www.first.org/cvss/calculator/3.1#${heartbleed}`],
    [
      'FIRST calculator, percent-encoded',
      `https://www.first.org/cvss/calculator/3.1#${encodeURIComponent(heartbleed)}`,
    ],
    [
      'NVD calculator',
      'https://nvd.nist.gov/vuln-metrics/cvss/v3-calculator?vector=AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N&version=3.1',
    ],
    [
      'NVD calculator with a CVE name and an encoded vector',
      'https://nvd.nist.gov/vuln-metrics/cvss/v3-calculator?name=CVE-2014-0160&vector=AV%3AN%2FAC%3AL%2FPR%3AN%2FUI%3AN%2FS%3AU%2FC%3AH%2FI%3AN%2FA%3AN&version=3.1',
    ],
    ['Markdown link', `[${heartbleed}](https://www.first.org/cvss/calculator/3.1#${heartbleed})`],
    ['Slack link', `<https://www.first.org/cvss/calculator/3.1#${heartbleed}|${heartbleed}>`],
    ['sentence around it', `Rated High (7.5): ${heartbleed}, see the advisory.`],
  ])('%s', (_name, input) => {
    expect(ok(parseCvss(input))).toMatchObject({
      version: '3.1',
      vector: heartbleed,
      score: 7.5,
      rating: 'High',
    });
  });

  it('reads FIRST 3.0 and 4.0 calculator links and NVD and Red Hat 4.0 calculator links', () => {
    const v30 = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(ok(parseCvss(`https://www.first.org/cvss/calculator/3.0#${v30}`))).toMatchObject({
      version: '3.0',
      score: 9.8,
    });
    const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    for (const link of [
      `https://www.first.org/cvss/calculator/4.0#${v40}`,
      `https://www.first.org/cvss/calculator/4-0#${v40}`,
      `https://redhatproductsecurity.github.io/cvss-v4-calculator/#${v40}`,
      `https://nvd.nist.gov/vuln-metrics/cvss/v4-calculator?vector=${v40.slice(9)}&version=4.0`,
    ]) {
      expect(ok(parseCvss(link))).toMatchObject({
        version: '4.0',
        vector: v40,
        score: 9.3,
        rating: 'Critical',
      });
    }
  });

  it('keeps temporal and environmental metrics, scores the base, and reports the overall score too', () => {
    const r = ok(parseCvss('cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h/e:p/rl:o/rc:c/cr:h/mav:l'));
    expect(r).toMatchObject({
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L',
      baseVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      score: 9.8,
      rating: 'Critical',
    });
    // Temporal 9.8 × 0.94 × 0.95 × 1 = 8.8 (FIRST 3.1 calculator); the MAV:L environmental score is lower.
    expect(ok(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C')).overallScore).toBe(
      8.8,
    );
    expect(r.overallScore).toBeLessThan(8.8);
  });

  it('puts temporal and environmental metrics in canonical order and drops Not Defined (X) ones', () => {
    const r = ok(
      parseCvss('CVSS:3.1/MAV:L/AV:N/E:X/AC:L/RC:C/PR:N/UI:N/S:U/C:H/I:H/A:H/MS:X/E:P'.replace('/E:X', '')),
    );
    expect(r.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RC:C/MAV:L');
    const withX = ok(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/MAV:X'));
    expect(withX.vector).toBe(withX.baseVector);
    expect(withX.overallScore).toBe(9.8);
  });

  it('keeps 4.0 threat, environmental and supplemental metrics, with Provider Urgency in its own case', () => {
    const r = ok(
      parseCvss('cvss:4.0/av:n/ac:l/at:n/pr:n/ui:n/vc:h/vi:h/va:h/sc:n/si:n/sa:n/u:amber/e:p/msi:s/au:y'),
    );
    expect(r.vector).toBe(
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MSI:S/AU:Y/U:Amber',
    );
    // The whole vector is scored (CVSS-BTE); the base metrics alone give 9.3.
    expect(r).toMatchObject({ score: 9.7, baseScore: 9.3 });
  });

  it('reads a vector without a prefix as 3.1, or as 4.0 when it has 4.0 metrics, and says so', () => {
    const v31 = ok(parseCvss('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'));
    expect(v31).toMatchObject({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      score: 9.8,
    });
    expect(v31.notes).toEqual(['The vector has no CVSS version prefix; read as CVSS 3.1.']);
    const v40 = ok(parseCvss('av:n/ac:l/at:n/pr:n/ui:n/vc:h/vi:h/va:h/sc:n/si:n/sa:n'));
    expect(v40).toMatchObject({ version: '4.0', score: 9.3 });
    expect(v40.notes).toEqual(['The vector has no CVSS:4.0/ prefix; read as CVSS 4.0 from its metrics.']);
  });

  it('takes the version from the link when the vector in it has no prefix', () => {
    const r = ok(parseCvss('https://www.first.org/cvss/calculator/3.0#AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'));
    expect(r).toMatchObject({
      version: '3.0',
      vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      notes: [],
    });
  });

  it('follows the vector when the link and the vector disagree on 3.0 and 3.1, and notes it', () => {
    const r = ok(
      parseCvss('https://www.first.org/cvss/calculator/3.1#CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
    );
    expect(r.version).toBe('3.0');
    expect(r.notes).toEqual(['The link is for CVSS 3.1 but the vector says CVSS:3.0; scored as 3.0.']);
  });

  it('notes a Red Hat style score that the vector does not produce', () => {
    const r = ok(parseCvss('9.9/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'));
    expect(r.score).toBe(9.8);
    expect(r.notes).toEqual(['The text gives a score of 9.9; the vector scores 9.8.']);
  });

  it('accepts the same vector twice in one text (link text and link target)', () => {
    const v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(ok(parseCvss(`${v} ${v.toLowerCase()}`)).vector).toBe(v);
  });
});

describe('errors name the metric', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    [
      'invalid base value',
      'CVSS:3.1/AV:N/AC:L/PR:X/UI:N/S:U/C:H/I:H/A:H',
      'PR:X is not a valid Privileges Required value; use N, L or H.',
      'PR',
    ],
    [
      'invalid value, lowercase input',
      'cvss:3.1/av:q/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h',
      'AV:q is not a valid Attack Vector value; use N, A, L or P.',
      'AV',
    ],
    [
      'invalid temporal value',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q',
      'E:Q is not a valid Exploit Code Maturity value; use X, U, P, F or H.',
      'E',
    ],
    [
      'Safety only in the modified subsequent metrics of 4.0',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N',
      'SC:S is not a valid Subsequent System Confidentiality value; use N, L or H.',
      'SC',
    ],
    [
      '3.x user interaction value in 4.0',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'UI:R is not a valid User Interaction value; use N, P or A.',
      'UI',
    ],
    [
      'unknown metric',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/QQ:N',
      'Unknown metric QQ in the vector.',
      'QQ',
    ],
    [
      'a 4.0 metric in a 3.1 vector',
      'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'Unknown metric AT in a CVSS 3.1 vector; AT is a CVSS 4.0 metric.',
      'AT',
    ],
    [
      'a 3.x metric in a 4.0 vector',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O',
      'Unknown metric RL in a CVSS 4.0 vector; RL is a CVSS 3.x metric.',
      'RL',
    ],
    [
      'duplicate metric',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/av:l',
      'Attack Vector (AV) appears more than once in the vector.',
      'AV',
    ],
    [
      'duplicate with the same value',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H',
      'Availability (A) appears more than once in the vector.',
      'A',
    ],
    [
      'missing one base metric',
      'CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'The vector is missing Attack Vector (AV).',
      'AV',
    ],
    [
      'missing two base metrics',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H',
      'The vector is missing Scope (S) and Availability (A).',
      'S',
    ],
    [
      'missing three 4.0 base metrics',
      'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N',
      'The vector is missing Attack Requirements (AT), Subsequent System Integrity (SI) and Subsequent System Availability (SA).',
      'AT',
    ],
    [
      'not a metric:value pair',
      'CVSS:3.1/AV=N/AC:L',
      '"AV=N" is not a metric:value pair such as AV:N.',
      'AV',
    ],
    ['empty value', 'CVSS:3.1/AV:/AC:L', '"AV:" is not a metric:value pair such as AV:N.', 'AV'],
    [
      'no metrics after the prefix',
      'CVSS:3.1/',
      'The vector has no metrics; expected something like CVSS:3.1/AV:N/AC:L/….',
      'AV',
    ],
    [
      'CVSS 2.0 prefix',
      'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P',
      'CVSS 2.0 is not supported; srp scores CVSS 3.0, 3.1 and 4.0.',
      'CVSS',
    ],
    [
      'unknown version',
      'CVSS:3.2/AV:N',
      'CVSS 3.2 is not supported; srp scores CVSS 3.0, 3.1 and 4.0.',
      'CVSS',
    ],
    [
      'a CVSS 2.0 vector without prefix',
      '(AV:N/AC:L/Au:N/C:P/I:P/A:P)',
      'This looks like a CVSS 2.0 vector (it has Au); srp scores CVSS 3.0, 3.1 and 4.0.',
      'Au',
    ],
    [
      'empty input',
      '   ',
      'Paste a CVSS vector such as CVSS:3.1/AV:N/AC:L/… or a calculator link.',
      undefined,
    ],
    [
      'prose without a vector',
      'rated high, see the issue',
      'No CVSS vector found; paste one such as CVSS:3.1/AV:N/AC:L/… or a calculator link.',
      undefined,
    ],
    [
      'a link without a vector',
      'https://www.first.org/cvss/calculator/3.1',
      'The link has no CVSS vector in it; paste the vector itself, such as CVSS:3.1/AV:N/AC:L/….',
      undefined,
    ],
  ];

  it.each(cases)('%s', (_name, input, error, metric) => {
    const e = err(parseCvss(input));
    expect(e.error).toBe(error);
    expect(e.metric).toBe(metric);
  });

  it('reports the first problem in a vector with an invalid value inside a calculator link', () => {
    const e = err(
      parseCvss('https://www.first.org/cvss/calculator/3.1#CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H'),
    );
    expect(e).toMatchObject({ error: 'S:X is not a valid Scope value; use U or C.', metric: 'S' });
  });

  it('refuses a text with two different vectors and lists them', () => {
    const e = err(
      parseCvss(
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H and CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      ),
    );
    expect(e.error).toBe(
      'The text holds 2 different vectors (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N); paste just one.',
    );
  });
});

describe('BASE_METRICS and vectorFromPicks', () => {
  it('lists the base metrics of each version in vector order', () => {
    expect(BASE_METRICS['3.0'].map((m) => m.key)).toEqual(['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A']);
    expect(BASE_METRICS['3.1'].map((m) => m.key)).toEqual(['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A']);
    expect(BASE_METRICS['4.0'].map((m) => m.key)).toEqual([
      'AV',
      'AC',
      'AT',
      'PR',
      'UI',
      'VC',
      'VI',
      'VA',
      'SC',
      'SI',
      'SA',
    ]);
    expect(BASE_METRICS['3.0'][0]?.values.map((v) => v.name)).toEqual([
      'Network',
      'Adjacent Network',
      'Local',
      'Physical',
    ]);
    expect(BASE_METRICS['3.1'][0]?.values.map((v) => v.name)).toEqual([
      'Network',
      'Adjacent',
      'Local',
      'Physical',
    ]);
    expect(BASE_METRICS['4.0'][4]).toEqual({
      key: 'UI',
      name: 'User Interaction',
      values: [
        { value: 'N', name: 'None' },
        { value: 'P', name: 'Passive' },
        { value: 'A', name: 'Active' },
      ],
    });
  });

  it.each(['3.0', '3.1', '4.0'] as CvssVersion[])(
    'every %s picker value builds a vector the calculator scores',
    (version) => {
      const first = Object.fromEntries(BASE_METRICS[version].map((m) => [m.key, m.values[0]?.value ?? '']));
      for (const m of BASE_METRICS[version]) {
        for (const v of m.values) {
          const r = ok(vectorFromPicks(version, { ...first, [m.key]: v.value }));
          expect(r.version).toBe(version);
          expect(r.vector).toContain(`/${m.key}:${v.value}`);
          expect(r.score).toBeGreaterThanOrEqual(0);
        }
      }
    },
  );

  it('builds the vector in canonical order from picks in any order and case', () => {
    const r = ok(
      vectorFromPicks('3.1', { a: 'h', i: 'h', c: 'h', s: 'u', ui: 'n', pr: 'n', ac: 'l', av: 'n' }),
    );
    expect(r).toMatchObject({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 });
  });

  it('names the metric a picker left empty', () => {
    const picks = {
      AV: 'N',
      AC: 'L',
      AT: 'N',
      PR: 'N',
      UI: 'N',
      VC: 'H',
      VI: 'H',
      VA: 'H',
      SC: 'N',
      SI: 'N',
      SA: '',
    };
    expect(err(vectorFromPicks('4.0', picks))).toEqual({
      ok: false,
      error: 'The vector is missing Subsequent System Availability (SA).',
      metric: 'SA',
    });
  });

  it('rejects a value that is not allowed, or that would smuggle in more metrics', () => {
    const picks = { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' };
    expect(err(vectorFromPicks('3.1', { ...picks, UI: 'P' }))).toMatchObject({ metric: 'UI' });
    expect(err(vectorFromPicks('3.1', { ...picks, AV: 'N/AC:H' }))).toEqual({
      ok: false,
      error: 'AV:N/AC:H is not a valid Attack Vector value; use N, A, L or P.',
      metric: 'AV',
    });
    expect(err(vectorFromPicks('3.1', { ...picks, QQ: 'N' }))).toMatchObject({ metric: 'QQ' });
  });
});

describe('every metric value srp accepts is one the calculator scores', () => {
  // Temporal, threat, environmental and supplemental values, one at a time on top of a base vector.
  const bases: Record<CvssVersion, string> = {
    '3.0': 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    '3.1': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    '4.0': 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  };
  const extra: Record<CvssVersion, Record<string, string[]>> = {
    '3.0': {
      E: ['U', 'P', 'F', 'H'],
      RL: ['O', 'T', 'W', 'U'],
      RC: ['U', 'R', 'C'],
      CR: ['L', 'M', 'H'],
      MAV: ['N', 'A', 'L', 'P'],
      MS: ['U', 'C'],
      MA: ['N', 'L', 'H'],
    },
    '3.1': { E: ['U', 'P', 'F', 'H'], RL: ['O', 'T', 'W', 'U'], MPR: ['N', 'L', 'H'], MUI: ['N', 'R'] },
    '4.0': {
      E: ['A', 'P', 'U'],
      AR: ['L', 'M', 'H'],
      MAT: ['N', 'P'],
      MUI: ['N', 'P', 'A'],
      MSC: ['N', 'L', 'H'],
      MSI: ['N', 'L', 'H', 'S'],
      MSA: ['N', 'L', 'H', 'S'],
      S: ['N', 'P'],
      AU: ['N', 'Y'],
      R: ['A', 'U', 'I'],
      V: ['D', 'C'],
      RE: ['L', 'M', 'H'],
      U: ['Clear', 'Green', 'Amber', 'Red'],
    },
  };
  it.each(['3.0', '3.1', '4.0'] as CvssVersion[])('%s', (version) => {
    for (const [key, values] of Object.entries(extra[version])) {
      for (const value of values) {
        const r = ok(parseCvss(`${bases[version]}/${key}:${value}`));
        expect(r.vector).toBe(`${bases[version]}/${key}:${value}`);
        expect(r.overallScore).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('ratingFor', () => {
  it.each([
    [0, 'None'],
    [0.1, 'Low'],
    [3.9, 'Low'],
    [4.0, 'Medium'],
    [6.9, 'Medium'],
    [7.0, 'High'],
    [8.9, 'High'],
    [9.0, 'Critical'],
    [10, 'Critical'],
  ] as const)('%d is %s', (score, rating) => {
    expect(ratingFor(score)).toBe(rating);
  });

  it('refuses a number that is not a CVSS score', () => {
    for (const bad of [-0.1, 10.1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => ratingFor(bad)).toThrow(RangeError);
  });
});
