import type { AdvisoryField } from '../domain/disclosure/advisory.js';
import { FIELD_MAX, FORM_FIELDS, type FormValues } from '../domain/disclosure/form.js';
import type { SeverityState } from '../domain/severityState.js';
import { context, plain, section, slackDate } from './format.js';

export const DISCLOSE_CALLBACK = 'srp_disclose';
export const DISCLOSE_OPEN_ACTION = 'srp_disclose_open';

/** Each input's element; its block_id is the record's field, so errors map straight back to it. */
const VALUE = 'value';

interface FieldView {
  label: string;
  hint?: string;
  placeholder?: string;
  multiline?: boolean;
}

/** How the form asks for each field (labels ≤ 2,000 characters, placeholders ≤ 150). */
const FIELDS: Record<AdvisoryField, FieldView> = {
  summary: {
    label: 'Summary',
    hint: 'One line: the $SUMMARY of every subject and title.',
    placeholder: 'Path traversal in the kubelet /logs endpoint',
  },
  cveId: { label: 'CVE id', placeholder: 'CVE-2026-12345' },
  cwe: { label: 'CWE', placeholder: 'CWE-22' },
  actor: {
    label: 'Who can exploit it ($ACTOR)',
    hint: '"…where $ACTOR may be able to $DO_SOMETHING"',
    placeholder: 'an authenticated user',
  },
  doSomething: {
    label: 'What they may be able to do ($DO_SOMETHING)',
    placeholder: 'read any file on the node',
    multiline: true,
  },
  vulnerable: {
    label: 'Am I vulnerable?',
    hint: 'Which configurations are affected and how to check.',
    multiline: true,
  },
  condition: {
    label: 'Affected only if',
    hint: 'For the distributors\' email: "only affected if $CONDITION".',
    multiline: true,
  },
  affected: {
    label: 'Affected components, versions and fixes',
    hint: 'One line per release line: component [first affected] < fixed [PR], e.g. "kubelet 1.30.0 < 1.30.5 #12345", "kubelet < 1.29.9". Leave out the fixed version where there is no fix yet.',
    placeholder: 'kube-apiserver 1.31.0 < 1.31.2 #12345',
    multiline: true,
  },
  mitigation: { label: 'How to mitigate before upgrading', multiline: true },
  actionRequired: { label: 'Action required after upgrading', multiline: true },
  fixImpact: { label: 'Fix impact', hint: 'What the fix changes for users, if anything.', multiline: true },
  detection: { label: 'Detection', hint: 'How to tell whether it was exploited.', multiline: true },
  additionalDetails: { label: 'Additional details', multiline: true },
  reporterCredit: {
    label: 'Reporter credit',
    hint: 'As the reporter wants to be credited; leave empty if they asked not to be.',
  },
  fixTeamCredit: {
    label: 'Fix Team credit',
    hint: 'Names as they should appear in public (this text leaves Slack).',
    placeholder: 'Jane Doe (@jdoe), Example Corp',
  },
  releaseManagersCredit: {
    label: 'Release managers credit',
    hint: 'Names as they should appear in public.',
  },
  trackingIssue: {
    label: 'Tracking issue link',
    placeholder: 'https://github.com/example/project/issues/123',
  },
  introducedBy: {
    label: 'Introduced by (PR or commit)',
    hint: 'The change that introduced the bug, if known: the retrospective links it. Never published.',
    placeholder: 'https://github.com/example/project/pull/123',
  },
  patchDeployable: {
    label: 'Patch deployment terms for distributors',
    hint: 'Whether distributors may deploy the patch before the embargo lifts, and whether it is embargoed.',
    multiline: true,
  },
};

/** Everything the modal shows; assembled by the disclosure service, rendered here without a lookup. */
export interface DisclosureForm {
  incidentId: string;
  values: FormValues;
  /** The version the form opened on (null: none saved yet): the submission is merged over it. */
  version: number | null;
  lastEdit?: { by: string; at: Date };
  cveRequired: boolean;
  severity: SeverityState | null;
  fixTeam: readonly string[];
  releaseManagers: readonly string[];
}

function input(field: AdvisoryField, initial: string | null, optional: boolean) {
  const f = FIELDS[field];
  const max = FIELD_MAX[field];
  return {
    type: 'input',
    block_id: field,
    optional,
    label: plain(f.label),
    ...(f.hint ? { hint: plain(f.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE,
      multiline: f.multiline ?? false,
      max_length: max,
      ...(f.placeholder ? { placeholder: plain(f.placeholder) } : {}),
      ...(initial ? { initial_value: initial.slice(0, max) } : {}),
    },
  };
}

/** The severity and CVSS as the texts will carry them: read here, entered in the severity assessment. */
export function severityContext(s: SeverityState | null): string {
  const rating = s?.final
    ? `*${s.final.rating}*${s.final.by ? ` (final call by <@${s.final.by}>)` : ''}`
    : s?.questionnaire
      ? `*${s.questionnaire.rating}* (questionnaire; no final rating yet)`
      : '_not assessed yet_';
  const cvss = s?.cvss
    ? `${s.cvss.score.toFixed(1)} ${s.cvss.rating} \`${s.cvss.vector}\``
    : '_not scored yet_';
  const dispute = s?.needsFinalCall
    ? ' · :warning: the ratings disagree: the Fix Lead makes the final call'
    : '';
  return `Severity: ${rating} · CVSS: ${cvss}${dispute}\nThese come from the severity assessment (\`/srp severity\`, \`/srp cvss\`), not from this form.`;
}

const mentions = (users: readonly string[]) => users.map((u) => `<@${u}>`).join(', ');

/**
 * The advisory record modal (`/srp disclose`, "Prepare disclosure" on the card): every field of the
 * record, prefilled from its latest version or the report, with the severity shown as context. Pure.
 */
export function disclosureModal(f: DisclosureForm) {
  const version = f.version
    ? `Version ${f.version}${f.lastEdit ? `, last edited by <@${f.lastEdit.by}> ${slackDate(f.lastEdit.at)}` : ''}. Saving makes the next version; a change voids the texts' approvals and cancels a scheduled announcement.`
    : 'Not saved yet: prefilled from the report. Every field can be changed later; each change is on the timeline.';
  const blocks: object[] = [
    context(`The advisory record of ${f.incidentId}, which every disclosure text is made from. ${version}`),
    context(severityContext(f.severity)),
  ];
  for (const field of FORM_FIELDS) {
    if (field === 'fixTeamCredit') {
      blocks.push(
        context(
          f.fixTeam.length
            ? `Fix Team on srp: ${mentions(f.fixTeam)}. Write their names as they should be credited.`
            : 'Nobody is on the Fix Team in srp yet.',
        ),
      );
    }
    if (field === 'releaseManagersCredit' && f.releaseManagers.length) {
      blocks.push(context(`Release managers on srp: ${mentions(f.releaseManagers)}.`));
    }
    const optional = !(field === 'summary' || (field === 'cveId' && f.cveRequired));
    blocks.push(input(field, f.values[field], optional));
  }
  return {
    type: 'modal',
    callback_id: DISCLOSE_CALLBACK,
    private_metadata: JSON.stringify({ incidentId: f.incidentId, version: f.version ?? 0 }),
    title: plain('Advisory record'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

/** A submitted modal's values: block_id → action_id → the element's state. */
type InputValues = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

/** The form as typed, from a submission's state (missing and empty inputs read as null). */
export function readDisclosureValues(values: unknown): FormValues {
  const v = (values ?? {}) as InputValues;
  return Object.fromEntries(FORM_FIELDS.map((f) => [f, v[f]?.[VALUE]?.value ?? null])) as FormValues;
}

/** The reply under the card when an edit voided approvals or cancelled the announcement: generic words. */
export function advisoryChangedReply(
  incidentId: string,
  p: { version: number; by: string; voided: number; cancelled: boolean },
) {
  const what = [
    ...(p.voided ? [`${p.voided} approval${p.voided === 1 ? '' : 's'} voided`] : []),
    ...(p.cancelled ? ['the scheduled announcement cancelled'] : []),
  ].join(', ');
  return {
    text: `${incidentId}: the advisory record changed`,
    blocks: [
      section(
        `:pencil2: The advisory record of ${incidentId} changed (version ${p.version}, by <@${p.by}>): ${what}. The texts need approving${p.cancelled ? ' and scheduling' : ''} again.`,
        'advisory-changed',
      ),
    ],
  };
}

/** The card's line about the record: which version, who edited it last, and when. */
export function advisoryCardLine(a: { version: number; editedBy: string; editedAt: Date }): string {
  return `*Advisory*: version ${a.version}, edited by <@${a.editedBy}> ${slackDate(a.editedAt)}`;
}
