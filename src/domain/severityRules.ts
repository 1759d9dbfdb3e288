import type { SeverityRules } from './profiles/index.js';
import type { AttackerPosition, Component, Impact, Rating } from './severity.js';

/**
 * "Severity Thresholds - How We Do Vulnerability Scoring" as data. Every bullet of the document is one row
 * carrying its sentence word for word (markdown removed), so the rating path can quote it; rows marked
 * `interpretation` cover cases the document leaves open and quote the closest rule. The interpreter is
 * `assess` in severity.ts; each process profile (profiles/) says which rows its document has.
 */

/** A yes/no fact about the report that an adjustment turns on. */
export type Fact =
  | 'adjacentNetwork'
  | 'localAccess'
  | 'userInteraction'
  | 'straightforwardMitigation'
  | 'nonDefaultConfig';

export interface RuleSource {
  id: string;
  section: string;
  quote: string;
  explanation: string;
  interpretation: boolean;
}

export interface BaselineRule extends RuleSource {
  component: Component;
  positions: readonly AttackerPosition[];
  impacts: readonly Impact[];
  /** Answers that must have these values (an unanswered dosEasy counts as false). */
  requires?: Readonly<{ dosEasy?: boolean; highValueAsset?: boolean; nonDefaultConfig?: boolean }>;
  rating: Rating;
  /** Facts this row already priced in, so no adjustment lowers the rating for them a second time. */
  uses?: readonly Fact[];
}

export interface AdjustmentRule extends RuleSource {
  components: readonly Component[];
  from: Rating;
  to: Rating;
  /** Every fact must hold, and none may have been used by an earlier step. */
  when: readonly Fact[];
}

// The document names Remote Anonymous and Authenticated users. An adjacent-network attacker is anonymous
// too, so it starts where a remote one does and the adjacency rule steps it down. A local attacker already
// has a foothold on the host, so it starts with the Authenticated User bullets (the client pivot even lists
// "local low privilege user" under them) and, on the server, the local-access rule steps it down.
const ANON: readonly AttackerPosition[] = ['remote_anonymous', 'adjacent_network'];
const AUTH: readonly AttackerPosition[] = ['authenticated_unprivileged', 'authenticated_privileged', 'local'];
const ANY: readonly AttackerPosition[] = [...ANON, ...AUTH];
const DOS: readonly Impact[] = ['dos_persistent', 'dos_temporary'];

const SERVER_INFO_HIGH =
  'Cases where an anonymous user can easily read sensitive information on the system from specific locations, including system information that was not intended/designed to be exposed.';
const SERVER_INFO_MEDIUM =
  'Cases where an anonymous user can easily read anonymous (non-sensitive) information on the system, including system metrics that were not intended to be exposed.';
const SECURITY_FEATURE =
  'A vulnerability in a security feature is rated “High” by default, but the rating may be adjusted based on other considerations as documented here.';
const MASQUERADE =
  'An entity (computer, server, user, process) is able to masquerade as a specific entity (user or computer) of his/her choice.';
const TEMPORARY_TAMPERING = 'Temporary modification of data in a specific scenario that does not persist.';
const API_OBJECTS = 'reading or writing to API objects where the user should not be able to';

const server = (row: Omit<BaselineRule, 'component' | 'interpretation'> & { interpretation?: boolean }) =>
  ({ component: 'server', interpretation: false, ...row }) satisfies BaselineRule;
const client = (row: Omit<BaselineRule, 'component' | 'interpretation'> & { interpretation?: boolean }) =>
  ({ component: 'client', interpretation: false, ...row }) satisfies BaselineRule;

const SERVER_BASELINE: readonly BaselineRule[] = [
  server({
    id: 'server.critical.eop.anonymous.code-execution',
    section: 'Server › Critical › Elevation of privilege › Remote Anonymous User',
    positions: ANON,
    impacts: ['code_execution'],
    rating: 'Critical',
    quote: 'Execution of arbitrary code (remote code execution in the server)',
    explanation: 'Critical: an anonymous attacker can execute arbitrary code on a server component',
  }),
  server({
    id: 'server.critical.eop.anonymous.unauthorized-access',
    section: 'Server › Critical › Elevation of privilege › Remote Anonymous User',
    positions: ANON,
    impacts: ['privilege_elevation'],
    rating: 'Critical',
    quote: 'Unauthorized access. Examples: read, write, or delete access to sensitive API objects',
    explanation: 'Critical: an anonymous attacker gets more privilege than authorized on a server component',
  }),
  server({
    id: 'server.critical.eop.anonymous.write-access',
    section: 'Server › Critical › Elevation of privilege',
    positions: ANON,
    impacts: ['tampering_persistent'],
    rating: 'Critical',
    quote: 'This includes all write access violations.',
    explanation:
      'Critical: the server pivot has no bullet for persistent tampering, so srp counts it as a write access ' +
      'violation by an anonymous attacker (interpretation)',
    interpretation: true,
  }),
  server({
    id: 'server.critical.info.anonymous.sensitive',
    section: 'Server › Critical › Information disclosure (targeted) › Remote Anonymous User',
    positions: ANON,
    impacts: ['sensitive_disclosure'],
    rating: 'Critical',
    quote:
      'Cases where an unprivileged user can locate and read highly sensitive information from anywhere on the system, including system information that was not intended or designed to be exposed.',
    explanation: 'Critical: an anonymous attacker can read secrets, credentials or PII',
  }),
  server({
    id: 'server.high.dos.anonymous.persistent',
    section: 'Server › High › Denial of service › Remote Anonymous User',
    positions: ANON,
    impacts: ['dos_persistent'],
    requires: { dosEasy: true },
    rating: 'High',
    quote: 'Persistent DoS. Examples: Sending a single malicious request results in service failure',
    explanation: 'High: an anonymous attacker easily causes a persistent denial of service',
  }),
  server({
    id: 'server.high.dos.anonymous.temporary',
    section: 'Server › High › Denial of service › Remote Anonymous User',
    positions: ANON,
    impacts: ['dos_temporary'],
    requires: { dosEasy: true },
    rating: 'High',
    quote:
      'Temporary DoS. Examples: Sending a small number of requests that causes the system to be unusable for a period of time',
    explanation: 'High: an anonymous attacker easily causes a temporary denial of service',
  }),
  server({
    id: 'server.high.dos.authenticated.high-value-asset',
    section: 'Server › High › Denial of service › Authenticated User',
    positions: AUTH,
    impacts: ['dos_persistent'],
    requires: { dosEasy: true, highValueAsset: true },
    rating: 'High',
    quote: 'Persistent DoS against a high value asset.',
    explanation: 'High: an authenticated user easily causes a persistent failure of a high value asset',
  }),
  server({
    id: 'server.interpretation.dos.not-easy',
    section: 'Server › High › Denial of service',
    positions: ANY,
    impacts: DOS,
    requires: { dosEasy: false },
    rating: 'Medium',
    quote: 'Must be "easy to exploit" by sending a small amount of data or be otherwise quickly induced.',
    explanation:
      'Medium: a DoS that is not easy to exploit misses the High bar, one level down (interpretation)',
    interpretation: true,
  }),
  server({
    id: 'server.interpretation.dos.authenticated.not-high-value-asset',
    section: 'Server › High › Denial of service › Authenticated User',
    positions: AUTH,
    impacts: ['dos_persistent'],
    requires: { dosEasy: true, highValueAsset: false },
    rating: 'Medium',
    quote: 'Persistent DoS against a high value asset.',
    explanation:
      'Medium: for authenticated users the High DoS bullet needs a high value asset; without one, one level ' +
      'down (interpretation)',
    interpretation: true,
  }),
  server({
    id: 'server.interpretation.dos.authenticated.temporary',
    section: 'Server › High › Denial of service › Authenticated User',
    positions: AUTH,
    impacts: ['dos_temporary'],
    requires: { dosEasy: true },
    rating: 'Medium',
    quote: 'Persistent DoS against a high value asset.',
    explanation:
      'Medium: for authenticated users the High DoS bullet covers only persistent DoS; a temporary one is one ' +
      'level down (interpretation)',
    interpretation: true,
  }),
  server({
    id: 'server.high.eop.authenticated.code-execution',
    section: 'Server › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['code_execution'],
    rating: 'High',
    quote: 'execution of arbitrary code (like creating a pod or remote code execution attacks)',
    explanation: 'High: an authenticated user can execute arbitrary code on a server component',
  }),
  server({
    id: 'server.high.eop.authenticated.unauthorized-access',
    section: 'Server › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['privilege_elevation'],
    rating: 'High',
    quote: API_OBJECTS,
    explanation: 'High: an authenticated user gets more privilege than authorized on a server component',
  }),
  server({
    id: 'server.high.eop.authenticated.write-access',
    section: 'Server › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['tampering_persistent'],
    rating: 'High',
    quote:
      'arbitrary writing to the file system or server components like etcd, where the user should not have the ability to write',
    explanation:
      'High: the server pivot has no bullet for persistent tampering, so srp counts it as an authenticated ' +
      "user's write access violation (interpretation)",
    interpretation: true,
  }),
  server({
    id: 'server.high.eop.authenticated.read-access',
    section: 'Server › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['sensitive_disclosure', 'data_disclosure'],
    rating: 'High',
    quote:
      'getting data from the server or server components, where the user should not have the ability to read',
    explanation: 'High: an authenticated user can read data from the server they should not be able to read',
  }),
  server({
    id: 'server.high.info.anonymous.specific-locations',
    section: 'Server › High › Information disclosure (targeted)',
    positions: ANON,
    impacts: ['data_disclosure'],
    rating: 'High',
    quote: SERVER_INFO_HIGH,
    explanation: 'High: an anonymous attacker can read sensitive data from specific locations',
  }),
  server({
    id: 'server.medium.info.anonymous.non-sensitive',
    section: 'Server › Medium › Information disclosure (targeted)',
    positions: ANON,
    impacts: ['metadata_disclosure'],
    rating: 'Medium',
    quote: SERVER_INFO_MEDIUM,
    explanation: 'Medium: an anonymous attacker can read non-sensitive metadata or system metrics',
  }),
  server({
    id: 'server.interpretation.info.authenticated.non-sensitive',
    section: 'Server › Medium › Information disclosure (targeted)',
    positions: AUTH,
    impacts: ['metadata_disclosure'],
    rating: 'Low',
    quote: SERVER_INFO_MEDIUM,
    explanation:
      'Low: the Medium bullet is for anonymous users; needing credentials puts it one level down, as ' +
      'authenticated elevation of privilege sits one below anonymous (interpretation)',
    interpretation: true,
  }),
  server({
    id: 'server.high.security-feature-bypass',
    section: 'Server › High › Elevation of privilege',
    positions: ANY,
    impacts: ['security_feature_bypass'],
    rating: 'High',
    quote: SECURITY_FEATURE,
    explanation: 'High: breaking or bypassing a security feature is High by default',
  }),
  server({
    id: 'server.high.spoofing',
    section: 'Server › High › Elevation of privilege',
    positions: ANY,
    impacts: ['spoofing'],
    rating: 'High',
    quote: MASQUERADE,
    explanation: 'High: the attacker can masquerade as an identity of their choice',
  }),
  server({
    id: 'server.low.tampering.temporary',
    section: 'Server › Low › Tampering',
    positions: ANY,
    impacts: ['tampering_temporary'],
    rating: 'Low',
    quote: TEMPORARY_TAMPERING,
    explanation: 'Low: the modification of data does not persist',
  }),
];

const CLIENT_BASELINE: readonly BaselineRule[] = [
  client({
    id: 'client.critical.eop.anonymous.code-execution',
    section: 'Client › Critical › Elevation of privilege › Remote Anonymous User',
    positions: ANON,
    impacts: ['code_execution'],
    rating: 'Critical',
    quote: "Execution of arbitrary code (remote code execution on the client's system)",
    explanation: "Critical: an anonymous attacker can execute arbitrary code on the user's system",
  }),
  client({
    id: 'client.critical.eop.anonymous.unauthorized-access',
    section: 'Client › Critical › Elevation of privilege › Remote Anonymous User',
    positions: ANON,
    impacts: ['privilege_elevation'],
    rating: 'Critical',
    quote: 'Unauthorized access. Examples: read, write, and delete access to sensitive API objects',
    explanation: 'Critical: an anonymous attacker gets more privilege than authorized through the client',
  }),
  client({
    id: 'client.critical.info.anonymous.sensitive',
    section: 'Client › Critical › Information disclosure (targeted) › Remote Anonymous User',
    positions: ANON,
    impacts: ['sensitive_disclosure'],
    rating: 'Critical',
    quote:
      'Cases where the attacker can locate and read information from anywhere on the system, including system information that was not intended or designed to be exposed.',
    explanation: "Critical: an anonymous attacker can read PII or local data from the user's system",
  }),
  client({
    id: 'client.high.dos.system-corruption',
    section: 'Client › High › Denial of service',
    positions: ANY,
    impacts: ['dos_persistent'],
    rating: 'High',
    quote: 'System corruption DoS requires re-installation of system and/or components.',
    explanation: 'High: recovering needs the system or components re-installed',
  }),
  client({
    id: 'client.low.dos.restart',
    section: 'Client › Low › Denial of service',
    positions: ANY,
    impacts: ['dos_temporary'],
    rating: 'Low',
    quote: 'Temporary DoS requires restart of the client application.',
    explanation: 'Low: recovering needs only a restart of the client',
  }),
  client({
    id: 'client.high.eop.authenticated.code-execution',
    section: 'Client › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['code_execution'],
    rating: 'High',
    quote: 'Execution of arbitrary code (remote code execution via the client)',
    explanation: 'High: an authenticated or local user can execute arbitrary code via the client',
  }),
  client({
    id: 'client.high.eop.authenticated.unauthorized-access',
    section: 'Client › High › Elevation of privilege › Authenticated User',
    positions: ['authenticated_unprivileged', 'authenticated_privileged'],
    impacts: ['privilege_elevation'],
    rating: 'High',
    quote: API_OBJECTS,
    explanation: 'High: an authenticated user gets more privilege than authorized through the client',
  }),
  client({
    id: 'client.high.eop.local.elevation',
    section: 'Client › High › Elevation of privilege › Authenticated User',
    positions: ['local'],
    impacts: ['privilege_elevation'],
    rating: 'High',
    quote: 'local low privilege user can elevate themselves to another user, administrator, or local system.',
    explanation: 'High: a local low privilege user can elevate themselves',
  }),
  client({
    id: 'client.interpretation.info.authenticated',
    section: 'Client › High › Elevation of privilege › Authenticated User',
    positions: AUTH,
    impacts: ['sensitive_disclosure', 'data_disclosure'],
    rating: 'High',
    quote: API_OBJECTS,
    explanation:
      'High: the client pivot has no disclosure bullet for authenticated users; srp counts it as reading what ' +
      'the user should not be able to (interpretation)',
    interpretation: true,
  }),
  client({
    id: 'client.interpretation.info.anonymous.specific-locations',
    section: 'Server › High › Information disclosure (targeted)',
    positions: ANON,
    impacts: ['data_disclosure'],
    rating: 'High',
    quote: SERVER_INFO_HIGH,
    explanation: "High: the client pivot has no such bullet, so srp applies the server's (interpretation)",
    interpretation: true,
  }),
  client({
    id: 'client.interpretation.info.anonymous.non-sensitive',
    section: 'Server › Medium › Information disclosure (targeted)',
    positions: ANON,
    impacts: ['metadata_disclosure'],
    rating: 'Medium',
    quote: SERVER_INFO_MEDIUM,
    explanation: "Medium: the client pivot has no such bullet, so srp applies the server's (interpretation)",
    interpretation: true,
  }),
  client({
    id: 'client.interpretation.info.authenticated.non-sensitive',
    section: 'Server › Medium › Information disclosure (targeted)',
    positions: AUTH,
    impacts: ['metadata_disclosure'],
    rating: 'Low',
    quote: SERVER_INFO_MEDIUM,
    explanation: 'Low: as on the server, needing credentials puts it one level below Medium (interpretation)',
    interpretation: true,
  }),
  client({
    id: 'client.high.security-feature-bypass',
    section: 'Client › High › Elevation of privilege',
    positions: ANY,
    impacts: ['security_feature_bypass'],
    rating: 'High',
    quote: SECURITY_FEATURE,
    explanation: 'High: breaking or bypassing a security feature is High by default',
  }),
  client({
    id: 'client.interpretation.spoofing',
    section: 'Server › High › Elevation of privilege',
    positions: ANY,
    impacts: ['spoofing'],
    rating: 'High',
    quote: MASQUERADE,
    explanation:
      "High: the client pivot has no masquerading bullet, so srp applies the server's (interpretation)",
    interpretation: true,
  }),
  client({
    id: 'client.high.tampering.default-scenario',
    section: 'Client › High › Tampering',
    positions: ANY,
    impacts: ['tampering_persistent'],
    requires: { nonDefaultConfig: false },
    rating: 'High',
    quote:
      'Modification of any user data or data used to make trust decisions in a common or default scenario where the modification persists.',
    explanation: 'High: persistent modification of user data in a common or default scenario',
  }),
  client({
    id: 'client.medium.tampering.specific-scenario',
    section: 'Client › Medium › Tampering',
    positions: ANY,
    impacts: ['tampering_persistent'],
    requires: { nonDefaultConfig: true },
    uses: ['nonDefaultConfig'],
    rating: 'Medium',
    quote:
      'Modification of any user data or data used to make trust decisions in a specific scenario where the modification persists.',
    explanation:
      'Medium: persistent modification of user data, but only in a specific (non-default) scenario',
  }),
  client({
    id: 'client.low.tampering.temporary',
    section: 'Client › Low › Tampering',
    positions: ANY,
    impacts: ['tampering_temporary'],
    rating: 'Low',
    quote: TEMPORARY_TAMPERING,
    explanation: 'Low: the modification of data does not persist',
  }),
];

const ADJACENT = '"Critical" attacks are downgraded to "High" when requiring adjacent network access.';
const SERVER_HIGH =
  'Non-default (or non-typical) critical scenarios or cases where mitigations exist that can help prevent critical scenarios.';
const CLIENT_HIGH =
  'Non-default critical scenarios or cases where mitigations exist that can help prevent critical scenarios.';
const SERVER_MEDIUM =
  '"High" attacks are downgraded to "Medium" when requiring local access or when there is a straight-forward mitigation.';
const SERVER_LOW =
  '"Medium" attacks are downgraded to "Low" when there is a straight-forward mitigation and the attack requires quite a few non-default or very untypical scenarios to trigger.';
const NON_DEFAULT_LOW =
  'Medium downgraded to Low: a straight-forward mitigation exists and it needs non-default or untypical ' +
  'configuration (the document asks for "quite a few" such scenarios; the Fix Lead confirms)';

// Ordered from Critical down; `assess` runs them once each. On the client, user interaction is not a rule:
// "The effect of user interaction is not one level reduction in severity", and the client bullets already
// price it in. Nor is local access: the client pivot rates local elevation High outright.
const ADJUSTMENTS: readonly AdjustmentRule[] = [
  {
    id: 'server.high.adjacent-network',
    section: 'Server › High',
    components: ['server'],
    from: 'Critical',
    to: 'High',
    when: ['adjacentNetwork'],
    quote: ADJACENT,
    explanation: 'Critical downgraded to High: requires adjacent network access',
    interpretation: false,
  },
  {
    id: 'client.interpretation.adjacent-network',
    section: 'Server › High',
    components: ['client'],
    from: 'Critical',
    to: 'High',
    when: ['adjacentNetwork'],
    quote: ADJACENT,
    explanation:
      'Critical downgraded to High: requires adjacent network access (the client pivot does not say; srp ' +
      "applies the server's rule, interpretation)",
    interpretation: true,
  },
  {
    id: 'server.user-interaction',
    section: 'Server',
    components: ['server'],
    from: 'Critical',
    to: 'High',
    when: ['userInteraction'],
    quote:
      'If a "Critical" vulnerability exists only on server components, and is exploited in a way that requires user interaction and results in the compromise of the server, the severity may be reduced from "Critical" to "High" in accordance with the data definition of extensive user interaction presented at the start of the client severity pivot.',
    explanation:
      'Critical reduced to High: exploitation requires user interaction (the document says "may be ' +
      'reduced"; the Fix Lead decides)',
    interpretation: false,
  },
  {
    id: 'client.critical.prompt',
    section: 'Client › Critical',
    components: ['client'],
    from: 'Critical',
    to: 'High',
    when: ['userInteraction'],
    quote:
      'Network worms or unavoidable cases where the client is "compromised" without warnings or prompts.',
    explanation:
      'Critical reduced to High: the user must accept a warning or prompt, so the compromise is not ' +
      'unavoidable (using the client alone does not count)',
    interpretation: false,
  },
  // Non-default before mitigation: when both hold, the mitigation is left to take High down to Medium.
  {
    id: 'server.high.non-default',
    section: 'Server › High',
    components: ['server'],
    from: 'Critical',
    to: 'High',
    when: ['nonDefaultConfig'],
    quote: SERVER_HIGH,
    explanation: 'Critical downgraded to High: needs a non-default or untypical configuration',
    interpretation: false,
  },
  {
    id: 'server.high.mitigation',
    section: 'Server › High',
    components: ['server'],
    from: 'Critical',
    to: 'High',
    when: ['straightforwardMitigation'],
    quote: SERVER_HIGH,
    explanation: 'Critical downgraded to High: a mitigation exists that helps prevent the critical scenario',
    interpretation: false,
  },
  {
    id: 'client.high.non-default',
    section: 'Client › High',
    components: ['client'],
    from: 'Critical',
    to: 'High',
    when: ['nonDefaultConfig'],
    quote: CLIENT_HIGH,
    explanation: 'Critical downgraded to High: needs a non-default configuration',
    interpretation: false,
  },
  {
    id: 'client.high.mitigation',
    section: 'Client › High',
    components: ['client'],
    from: 'Critical',
    to: 'High',
    when: ['straightforwardMitigation'],
    quote: CLIENT_HIGH,
    explanation: 'Critical downgraded to High: a mitigation exists that helps prevent the critical scenario',
    interpretation: false,
  },
  {
    id: 'server.medium.local-access',
    section: 'Server › Medium',
    components: ['server'],
    from: 'High',
    to: 'Medium',
    when: ['localAccess'],
    quote: SERVER_MEDIUM,
    explanation: 'High downgraded to Medium: requires local access',
    interpretation: false,
  },
  {
    id: 'server.medium.mitigation',
    section: 'Server › Medium',
    components: ['server'],
    from: 'High',
    to: 'Medium',
    when: ['straightforwardMitigation'],
    quote: SERVER_MEDIUM,
    explanation: 'High downgraded to Medium: a straight-forward mitigation exists',
    interpretation: false,
  },
  {
    id: 'client.interpretation.medium.mitigation',
    section: 'Server › Medium',
    components: ['client'],
    from: 'High',
    to: 'Medium',
    when: ['straightforwardMitigation'],
    quote: SERVER_MEDIUM,
    explanation:
      "High downgraded to Medium: a straight-forward mitigation exists (the server's rule; the client pivot " +
      'does not say, interpretation)',
    interpretation: true,
  },
  {
    id: 'server.low.mitigation-and-non-default',
    section: 'Server › Low',
    components: ['server'],
    from: 'Medium',
    to: 'Low',
    when: ['straightforwardMitigation', 'nonDefaultConfig'],
    quote: SERVER_LOW,
    explanation: NON_DEFAULT_LOW,
    interpretation: false,
  },
  {
    id: 'client.interpretation.low.mitigation-and-non-default',
    section: 'Server › Low',
    components: ['client'],
    from: 'Medium',
    to: 'Low',
    when: ['straightforwardMitigation', 'nonDefaultConfig'],
    quote: SERVER_LOW,
    explanation: `${NON_DEFAULT_LOW} (the server's rule; the client pivot does not say, interpretation)`,
    interpretation: true,
  },
];

// The 2018 thresholds are word for word today's (only whitespace, links, the team's name and one typo in an
// example differ), so both profiles share these rows; the documents differ in the release track instead.
export const SEVERITY_THRESHOLDS: SeverityRules = {
  baseline: [...SERVER_BASELINE, ...CLIENT_BASELINE],
  adjustments: ADJUSTMENTS,
};
