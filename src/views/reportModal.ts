import {
  ARRIVAL_CHANNELS,
  type Arrival,
  FORM_FIELDS,
  LIMITS,
  type Report,
  type ReportDraft,
  type ReportForm,
} from '../domain/report.js';
import { context, plain } from './format.js';

export const REPORT_CALLBACK = 'srp_report';
export const REPORT_EDIT_CALLBACK = 'srp_report_edit';
export const REPORT_ADD_CALLBACK = 'srp_report_add';

/** Each input block is named after the report field it holds, so errors map straight back to it. */
const VALUE = 'value';

function textInput(
  field: keyof typeof LIMITS | 'cveId',
  label: string,
  opts: {
    optional?: boolean;
    multiline?: boolean;
    hint?: string;
    placeholder?: string;
    initial?: string | null;
  },
) {
  const max = field === 'cveId' ? 30 : LIMITS[field];
  return {
    type: 'input',
    block_id: field,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: VALUE,
      multiline: opts.multiline ?? false,
      max_length: max,
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

const arrivalOption = (key: Arrival) => ({ text: plain(ARRIVAL_CHANNELS[key]), value: key });
const disclosureOptions = [
  { text: plain('No, it was reported privately'), value: 'private' },
  {
    text: plain('Yes, it is already public'),
    value: 'public',
    description: plain('Every deadline becomes ASAP'),
  },
];

/**
 * The intake modal. `form` says who fills it in (see `ReportForm`): a reporter is asked only what a
 * reporter knows, the committee everything. `initial` pre-fills it for an edit; `now` is the default
 * received time for a new report. The form shown is carried in private_metadata, for the submission.
 */
export function reportModal(opts: { now: Date; initial?: Report; incidentId?: string; form?: ReportForm }) {
  const r = opts.initial;
  const editing = Boolean(opts.incidentId);
  const form = opts.form ?? 'committee';
  const asked = new Set<string>(FORM_FIELDS[form]);
  return {
    type: 'modal',
    callback_id: editing ? REPORT_EDIT_CALLBACK : REPORT_CALLBACK,
    private_metadata: JSON.stringify(editing ? { incidentId: opts.incidentId } : { form }),
    title: plain(editing ? `Edit ${opts.incidentId}` : 'Report a vulnerability'),
    submit: plain(editing ? 'Save' : 'Submit report'),
    close: plain('Cancel'),
    blocks: [
      context(':lock: Only the Security Response Committee sees this report.'),
      textInput('summary', 'Summary', {
        placeholder: 'One line, e.g. "Path traversal in kubelet log endpoint"',
        initial: r?.summary,
      }),
      textInput('description', 'Description', {
        multiline: true,
        hint: 'What is affected, how it can be exploited, and any proof of concept.',
        initial: r?.description,
      }),
      textInput('components', 'Affected component(s) and versions', {
        placeholder: 'e.g. kube-apiserver v1.30.0-v1.32.2',
        initial: r?.components,
      }),
      {
        type: 'input',
        block_id: 'arrival',
        label: plain('How did it arrive?'),
        element: {
          type: 'static_select',
          action_id: VALUE,
          placeholder: plain('Choose a source'),
          options: (Object.keys(ARRIVAL_CHANNELS) as Arrival[]).map(arrivalOption),
          ...(r ? { initial_option: arrivalOption(r.arrival) } : {}),
        },
      },
      textInput('arrivalRef', 'Link or reference', {
        optional: true,
        hint: 'The HackerOne report, email thread, GitHub issue or distributor ticket.',
        initial: r?.arrivalRef,
      }),
      {
        type: 'input',
        block_id: 'disclosure',
        label: plain('Is it already public?'),
        element: {
          type: 'radio_buttons',
          action_id: VALUE,
          options: disclosureOptions,
          initial_option: disclosureOptions[r?.disclosure === 'public' ? 1 : 0],
        },
      },
      textInput('reporterName', 'Reporter name', { optional: true, initial: r?.reporterName }),
      textInput('reporterContact', form === 'reporter' ? 'Another way to reach you' : 'Reporter contact', {
        optional: true,
        placeholder: 'Email, HackerOne handle, ...',
        initial: r?.reporterContact,
      }),
      {
        type: 'input',
        block_id: 'receivedAt',
        label: plain('When was it received?'),
        element: {
          type: 'datetimepicker',
          action_id: VALUE,
          initial_date_time: Math.floor((r?.receivedAt ?? opts.now).getTime() / 1000),
        },
      },
      textInput('cveId', 'CVE id, if already known', {
        optional: true,
        placeholder: 'CVE-2026-12345',
        initial: r?.cveId,
      }),
    ].filter((b) => !('block_id' in b) || asked.has(b.block_id)),
  };
}

type StateValues = Record<string, Record<string, Record<string, unknown>>>;

/** Reads the submitted modal back into a draft report; validation is the domain's job. */
export function draftFromState(values: StateValues): ReportDraft {
  const el = (block: string) => values[block]?.[VALUE] ?? {};
  const str = (block: string) => (el(block).value as string | null | undefined) ?? null;
  const option = (block: string) => (el(block).selected_option as { value?: string } | null)?.value ?? null;
  const unix = el('receivedAt').selected_date_time as number | null | undefined;
  return {
    summary: str('summary'),
    description: str('description'),
    components: str('components'),
    arrival: option('arrival'),
    arrivalRef: str('arrivalRef'),
    disclosure: option('disclosure'),
    reporterName: str('reporterName'),
    reporterContact: str('reporterContact'),
    receivedAt: typeof unix === 'number' ? new Date(unix * 1000) : null,
    cveId: str('cveId'),
  };
}

/** A reporter's later addition to their own report: one multiline input, named after what it holds. */
export function reportAddModal(incidentId: string) {
  return {
    type: 'modal',
    callback_id: REPORT_ADD_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain(`Add to ${incidentId}`),
    submit: plain('Send'),
    close: plain('Cancel'),
    blocks: [
      context(':lock: Only the Security Response Committee sees what you add.'),
      textInput('addition', 'What would you like to add?', {
        multiline: true,
        hint: 'New findings, a proof of concept, affected versions, a disclosure date you have in mind...',
      }),
    ],
  };
}

/** The text of a submitted addition; validation is the domain's job. */
export function additionFromState(values: StateValues): string | null {
  return (values.addition?.[VALUE]?.value as string | null | undefined) ?? null;
}
