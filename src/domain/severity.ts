import type { ProcessId, ProcessProfile } from './profiles/index.js';
import type { BaselineRule, Fact, RuleSource } from './severityRules.js';

/**
 * The severity questionnaire: the answers a Fix Lead gives, the questions a modal asks, and the interpreter
 * that turns answers into a rating with the path of rules that produced it. The rules themselves are data in
 * severityRules.ts, which each process profile refers to.
 */

export type Component = 'server' | 'client';
export type AttackerPosition =
  | 'remote_anonymous'
  | 'authenticated_unprivileged'
  | 'authenticated_privileged'
  | 'adjacent_network'
  | 'local';
/**
 * Targeted disclosure has three levels because the document has three: highly sensitive data (Critical),
 * sensitive data from specific locations such as files, API resources or namespace names (High), and
 * non-sensitive metadata or metrics (Medium).
 */
export type Impact =
  | 'code_execution'
  | 'privilege_elevation'
  | 'sensitive_disclosure'
  | 'data_disclosure'
  | 'metadata_disclosure'
  | 'dos_persistent'
  | 'dos_temporary'
  | 'tampering_persistent'
  | 'tampering_temporary'
  | 'security_feature_bypass'
  | 'spoofing';

export interface Answers {
  component: Component;
  position: AttackerPosition;
  impact: Impact;
  /** Server DoS only: a small amount of data or otherwise quickly induced. Unanswered counts as no. */
  dosEasy?: boolean;
  userInteraction: boolean;
  straightforwardMitigation: boolean;
  nonDefaultConfig: boolean;
  /** Server DoS only: a high value asset fails. Unanswered counts as no. */
  highValueAsset?: boolean;
}

export type Rating = 'Critical' | 'High' | 'Medium' | 'Low';
export const RATINGS: readonly Rating[] = ['Critical', 'High', 'Medium', 'Low'];

export interface RuleStep {
  rule: string;
  /** Where in the document the quoted sentence is, e.g. "Server › High › Denial of service". */
  section: string;
  from: Rating | null;
  to: Rating;
  quote: string;
  explanation: string;
  /** True when the document does not cover the case and srp applied the closest rule. */
  interpretation: boolean;
}

export interface Assessment {
  rating: Rating;
  path: RuleStep[];
  profile: ProcessId;
}

function matchesBaseline(rule: BaselineRule, a: Answers): boolean {
  if (rule.component !== a.component) return false;
  if (!rule.positions.includes(a.position) || !rule.impacts.includes(a.impact)) return false;
  const req = rule.requires ?? {};
  if (req.dosEasy !== undefined && req.dosEasy !== (a.dosEasy ?? false)) return false;
  if (req.highValueAsset !== undefined && req.highValueAsset !== (a.highValueAsset ?? false)) return false;
  if (req.nonDefaultConfig !== undefined && req.nonDefaultConfig !== a.nonDefaultConfig) return false;
  return true;
}

function facts(a: Answers): Record<Fact, boolean> {
  return {
    adjacentNetwork: a.position === 'adjacent_network',
    localAccess: a.position === 'local',
    userInteraction: a.userInteraction,
    straightforwardMitigation: a.straightforwardMitigation,
    nonDefaultConfig: a.nonDefaultConfig,
  };
}

function step(rule: RuleSource, from: Rating | null, to: Rating): RuleStep {
  const { id, section, quote, explanation, interpretation } = rule;
  return { rule: id, section, from, to, quote, explanation, interpretation };
}

/**
 * The first baseline row that matches gives the starting rating (the rows are written not to overlap). Then
 * the adjustments run once each, in order, Critical rows before High rows before Medium rows, so a report can
 * step down more than one level. Each answer justifies at most one step: a straightforward mitigation that
 * already took Critical to High does not also take High to Medium, because the document places "cases where
 * mitigations exist" at High, not Medium.
 */
export function assess(answers: Answers, profile: ProcessProfile): Assessment {
  const { baseline, adjustments } = profile.severity;
  const base = baseline.find((rule) => matchesBaseline(rule, answers));
  if (!base) {
    throw new Error(`no ${profile.id} baseline rule for ${JSON.stringify(answers)}`);
  }
  const holds = facts(answers);
  const used = new Set<Fact>(base.uses ?? []);
  let rating = base.rating;
  const path = [step(base, null, rating)];
  for (const adj of adjustments) {
    if (!adj.components.includes(answers.component) || adj.from !== rating) continue;
    if (!adj.when.every((f) => holds[f] && !used.has(f))) continue;
    for (const f of adj.when) used.add(f);
    path.push(step(adj, rating, adj.to));
    rating = adj.to;
  }
  return { rating, path, profile: profile.id };
}

// ---- The questionnaire, in the order a modal asks it ----

export interface QuestionOption {
  value: string;
  /** Kept within 75 characters, Block Kit's limit for an option's text and description. */
  label: string;
  help?: string;
}

export interface Question {
  id: keyof Answers;
  prompt: string;
  help?: string;
  options: QuestionOption[];
  /** Hides a question that does not apply to the answers so far. */
  when?: (partial: Partial<Answers>) => boolean;
}

const YES_NO: QuestionOption[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
const BOOLEAN_QUESTIONS = new Set<keyof Answers>([
  'dosEasy',
  'userInteraction',
  'straightforwardMitigation',
  'nonDefaultConfig',
  'highValueAsset',
]);

const isDos = (impact: Impact | undefined) => impact === 'dos_persistent' || impact === 'dos_temporary';

export const QUESTIONS: readonly Question[] = [
  {
    id: 'component',
    prompt: 'Which kind of component is vulnerable?',
    options: [
      { value: 'server', label: 'Server', help: 'kube-apiserver, kubelet, org images, core addons' },
      { value: 'client', label: 'Client', help: 'kubectl or a client library; the target is a user' },
    ],
  },
  {
    id: 'position',
    prompt: 'Where does the attacker have to be?',
    options: [
      {
        value: 'remote_anonymous',
        label: 'Remote anonymous user',
        help: 'Any network location, no credentials',
      },
      {
        value: 'authenticated_unprivileged',
        label: 'Authenticated user, unprivileged',
        help: 'Authenticated, but with no privileges',
      },
      {
        value: 'authenticated_privileged',
        label: 'Authenticated user, privileged',
        help: 'Authenticated, with some privileges',
      },
      { value: 'adjacent_network', label: 'Adjacent network', help: 'On the private network: internal IPs' },
      { value: 'local', label: 'Local access', help: 'On the same physical host (or VM)' },
    ],
  },
  {
    id: 'impact',
    prompt: 'What does the attacker gain?',
    options: [
      { value: 'code_execution', label: 'Execution of arbitrary code' },
      { value: 'privilege_elevation', label: 'More privilege than authorized', help: 'Unauthorized access' },
      {
        value: 'sensitive_disclosure',
        label: 'Disclosure of highly sensitive data',
        help: 'Secrets, credentials, PII, from anywhere on the system',
      },
      {
        value: 'data_disclosure',
        label: 'Disclosure of sensitive data from specific locations',
        help: 'Files, API resources, namespace names, logs, workload metrics',
      },
      {
        value: 'metadata_disclosure',
        label: 'Disclosure of non-sensitive metadata',
        help: 'System metrics, UIDs, creationTimestamps, resourceVersions',
      },
      {
        value: 'dos_persistent',
        label: 'Persistent denial of service',
        help: 'A human must intervene to recover',
      },
      {
        value: 'dos_temporary',
        label: 'Temporary denial of service',
        help: 'Recovers by itself or by a restart',
      },
      { value: 'tampering_persistent', label: 'Persistent tampering', help: 'The modification persists' },
      {
        value: 'tampering_temporary',
        label: 'Temporary tampering',
        help: 'The modification does not persist',
      },
      {
        value: 'security_feature_bypass',
        label: 'Bypass of a security feature',
        help: 'e.g. NetworkPolicy, RBAC',
      },
      {
        value: 'spoofing',
        label: 'Masquerading as another identity',
        help: 'A user or computer of their choice',
      },
    ],
  },
  {
    id: 'dosEasy',
    prompt: 'Is the denial of service easy to exploit?',
    help: 'By sending a small amount of data, or otherwise quickly induced.',
    options: YES_NO,
    // Only the server's DoS rules turn on ease; the client's turn on what it takes to recover.
    when: (p) => p.component === 'server' && isDos(p.impact),
  },
  {
    id: 'highValueAsset',
    // The thresholds only ask it of a denial of service on a server.
    when: (p) => p.component === 'server' && isDos(p.impact),
    prompt: 'Does a high value asset fail?',
    help: 'A mission critical component whose failure makes the entire cluster unusable.',
    options: YES_NO,
  },
  {
    id: 'userInteraction',
    prompt: 'Does exploitation require user interaction?',
    help:
      'On a server: a user must act for it to work. On a client: the user must accept a warning or prompt ' +
      '(running kubectl alone does not count).',
    options: YES_NO,
  },
  {
    id: 'straightforwardMitigation',
    prompt: 'Is there a straightforward mitigation?',
    help: 'Something users can do before upgrading that prevents the attack.',
    options: YES_NO,
  },
  {
    id: 'nonDefaultConfig',
    prompt: 'Does it need non-default or untypical configuration?',
    help: 'Non-default (or non-typical) scenarios that most clusters do not run.',
    options: YES_NO,
  },
];

function applies(q: Question, partial: Partial<Answers>): boolean {
  return q.when === undefined || q.when(partial);
}

/** The first applicable question without an answer; undefined once the answers are complete. */
export function nextQuestion(partial: Partial<Answers>): Question | undefined {
  return QUESTIONS.find((q) => applies(q, partial) && partial[q.id] === undefined);
}

export function isComplete(partial: Partial<Answers>): partial is Answers {
  return nextQuestion(partial) === undefined;
}

/**
 * Records an option value from the modal (booleans arrive as 'yes'/'no') and drops answers to questions that
 * no longer apply, so changing the impact from DoS to code execution forgets whether the DoS was easy.
 */
export function withAnswer(partial: Partial<Answers>, id: keyof Answers, value: string): Partial<Answers> {
  const question = QUESTIONS.find((q) => q.id === id);
  if (!question?.options.some((o) => o.value === value)) {
    throw new RangeError(`not an answer to ${String(id)}: ${value}`);
  }
  const next: Record<string, unknown> = { ...partial };
  next[id] = BOOLEAN_QUESTIONS.has(id) ? value === 'yes' : value;
  const answers = next as Partial<Answers>;
  for (const q of QUESTIONS) if (!applies(q, answers)) delete answers[q.id];
  return answers;
}
