import { BASE_METRICS } from '../domain/cvss.js';
import { type Answers, QUESTIONS, RATINGS, type Rating } from '../domain/severity.js';
import type { SeverityState } from '../domain/severityState.js';
import { context, divider, mrkdwn, plain, section, truncate } from './format.js';

export const SEVERITY_CALLBACK = 'srp_severity';
export const SEVERITY_ANSWER_ACTION = 'srp_sev_answer';
export const CVSS_CALLBACK = 'srp_cvss';
export const FINAL_CALL_CALLBACK = 'srp_severity_final';
export const SEVERITY_OPEN_ACTION = 'srp_sev_open';
export const CVSS_OPEN_ACTION = 'srp_cvss_open';
export const FINAL_CALL_OPEN_ACTION = 'srp_final_open';

/** What a boolean answer looks like as an option value, so selects can show it again. */
function answerValue(a: Partial<Answers>, id: keyof Answers): string | undefined {
  const v = a[id];
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
}

/**
 * The questionnaire, asked one question at a time: every question answered so far stays (and can be
 * changed), the next one is added below, and once complete the rating and its rule path are shown.
 * Each question is a select whose block_id is the question's id; the answers ride in private_metadata.
 */
export function severityModal(v: {
  incidentId: string;
  answers: Partial<Answers>;
  result?: { rating: Rating; path: Array<{ explanation: string; quote: string }> };
  notice?: string;
}) {
  const shown = [];
  for (const q of QUESTIONS) {
    if (q.when && !q.when(v.answers)) continue;
    shown.push(q);
    if (answerValue(v.answers, q.id) === undefined) break;
  }
  const option = (o: { value: string; label: string; help?: string }) => ({
    text: plain(o.label),
    value: o.value,
    ...(o.help ? { description: plain(truncate(o.help, 75)) } : {}),
  });
  const blocks: object[] = [context(`Severity thresholds of the process document, for ${v.incidentId}.`)];
  if (v.notice) blocks.push(section(`:warning: ${v.notice}`));
  for (const q of shown) {
    const current = q.options.find((o) => o.value === answerValue(v.answers, q.id));
    blocks.push({
      type: 'section',
      block_id: q.id,
      text: mrkdwn(`*${q.prompt}*${q.help ? `\n${q.help}` : ''}`),
      accessory: {
        type: 'static_select',
        action_id: SEVERITY_ANSWER_ACTION,
        placeholder: plain('Choose'),
        options: q.options.map(option),
        ...(current ? { initial_option: option(current) } : {}),
      },
    });
  }
  if (v.result) {
    blocks.push(
      divider(),
      section(`*Rating: ${v.result.rating}*`),
      ...v.result.path.map((p) => context(`${p.explanation}\n> ${truncate(p.quote, 2500)}`)),
    );
  }
  return {
    type: 'modal',
    callback_id: SEVERITY_CALLBACK,
    private_metadata: JSON.stringify({ incidentId: v.incidentId, answers: v.answers }),
    title: plain('Assess severity'),
    ...(v.result ? { submit: plain('Record rating') } : {}),
    close: plain('Cancel'),
    blocks,
  };
}

/** The versions whose base metrics can be picked one by one (3.0 differs from 3.1 only in its prefix). */
export const PICKABLE_VERSIONS = ['3.1', '4.0'] as const;
export type PickableVersion = (typeof PICKABLE_VERSIONS)[number];

/** The block holding one metric's picker, e.g. `metric31_AV`. */
export const pickBlock = (version: PickableVersion, key: string) =>
  `metric${version.replace('.', '')}_${key}`;

/** CVSS: paste a vector or a calculator link (3.0, 3.1 or 4.0), or pick every 3.1 or 4.0 base metric. */
export function cvssModal(incidentId: string) {
  const pickers = (version: PickableVersion) => [
    context(`Or pick every CVSS ${version} base metric:`),
    ...BASE_METRICS[version].map((m) => ({
      type: 'input',
      block_id: pickBlock(version, m.key),
      optional: true,
      label: plain(`${m.name} (${m.key})`),
      element: {
        type: 'static_select',
        action_id: 'value',
        placeholder: plain('Choose'),
        options: m.values.map((val) => ({
          text: plain(truncate(`${val.name} (${val.value})`, 75)),
          value: val.value,
        })),
      },
    })),
  ];
  return {
    type: 'modal',
    callback_id: CVSS_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain('CVSS score'),
    submit: plain('Score'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'vector',
        optional: true,
        label: plain('Vector or calculator link'),
        hint: plain(
          'CVSS 3.0, 3.1 or 4.0, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. Or pick each metric below.',
        ),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
      ...PICKABLE_VERSIONS.flatMap(pickers),
    ],
  };
}

/** The Fix Lead's final call: a rating and the reason, with both inputs in view. */
export function finalCallModal(incidentId: string, s: SeverityState) {
  const ratingOption = (r: Rating) => ({ text: plain(r), value: r });
  return {
    type: 'modal',
    callback_id: FINAL_CALL_CALLBACK,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain('Final severity'),
    submit: plain('Record'),
    close: plain('Cancel'),
    blocks: [
      section(
        `*Questionnaire:* ${s.questionnaire?.rating ?? '_not assessed_'}\n*CVSS:* ${s.cvss ? `${s.cvss.score.toFixed(1)} ${s.cvss.rating}` : '_not scored_'}`,
      ),
      context(
        '"CVSS is convenient but imperfect. Ultimately, the Fix Lead has discretion on classifying the severity."',
      ),
      {
        type: 'input',
        block_id: 'rating',
        label: plain('Final rating'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: RATINGS.map(ratingOption),
          ...(s.final ? { initial_option: ratingOption(s.final.rating) } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
      },
    ],
  };
}

const TRACK_LABEL = { out_of_band: 'Out-of-band release', next_patch: 'Next patch release' } as const;

/** The card's severity lines. */
export function severityCardText(s: SeverityState): string {
  const q = s.questionnaire ? s.questionnaire.rating : '_not assessed_';
  const c = s.cvss ? `${s.cvss.score.toFixed(1)} ${s.cvss.rating} (\`${s.cvss.vector}\`)` : '_not scored_';
  const final = s.needsFinalCall
    ? ':warning: the ratings disagree: the Fix Lead makes the final call'
    : s.final
      ? `*${s.final.rating}*${s.final.by ? ` (<@${s.final.by}>: ${truncate(s.final.reason ?? '', 300)})` : ''}`
      : '_pending_';
  const lines = [`*Severity* ${final}`, `Questionnaire: ${q} · CVSS: ${c}`];
  if (s.track) {
    const t = s.track;
    const flags = [
      TRACK_LABEL[t.release],
      t.maySlowRelease ? 'may slow the release (after discussion on the private list)' : null,
      t.maySemiPublicFix ? 'fix may be developed semi-publicly' : null,
      t.earlyDisclosurePossible ? 'early disclosure possible' : null,
      t.distributorNoticeRequired
        ? 'distributors need advance notice'
        : s.distributorRule === 'every_cve' && !s.hasCve
          ? 'distributors need notice once a CVE is assigned'
          : 'no distributor notice required',
    ].filter(Boolean);
    lines.push(`*Track* ${flags.join(' · ')}`);
  }
  return lines.join('\n');
}
