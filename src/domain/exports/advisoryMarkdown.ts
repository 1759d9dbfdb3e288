import type { AdvisoryRecord } from '../disclosure/advisory.js';
import { escapeMarkdown, escapeUrl } from '../disclosure/escape.js';
import {
  byComponent,
  calculatorUrl,
  cvssOf,
  type ExportContext,
  prUrl,
  rangeText,
  type SeverityInput,
} from './common.js';

/**
 * The advisory as Markdown: the public tracking issue's text (comms-templates'
 * vulnerability-announcement-issue, src-companion.md §4.2), from the record alone. Pure.
 *
 * Every piece of user text is escaped so it renders as typed and does nothing: Markdown and HTML
 * characters backslash-escaped, block starts at a line's start (`#`, `-`, `+`, `1.`, `=`), a `/` at a
 * line's start (a Prow command such as `/close` or `/lgtm` in an issue body), and `@` before a name
 * (a mention) broken with a zero-width space. Links are percent-encoded where they would end the link.
 * Missing fields show as `(missing: <field>)` rather than a blank, so a reader sees what is not yet known.
 *
 * When the disclosure texts' templates (templates/tracking-issue.hbs, issue 10) are merged, this
 * should be rendered from that template instead, so a team's own template is honoured.
 */
/** The Markdown escaping the disclosure texts use (one rule set, so the issue and the export agree). */
export const escapeMd = escapeMarkdown;
export const escapeMdUrl = (url: string) => escapeUrl('markdown', url);

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
const missing = (field: string) => `(missing: ${field})`;
const text = (s: string | null, field: string) => (s ? escapeMd(s) : missing(field));
const link = (url: string) => `<${escapeMdUrl(url)}>`;

export function advisoryMarkdown(
  r: AdvisoryRecord,
  severity: SeverityInput | null,
  ctx: ExportContext,
): string {
  const cvss = cvssOf(severity);
  const rating = severity?.finalRating ?? severity?.questionnaireRating ?? cvss?.rating ?? null;
  const cve = r.cveId ?? missing('CVE');
  const components =
    [...byComponent(r.affected).keys()].map(escapeMd).join(', ') || missing('affected versions');
  const out: string[] = [];
  const para = (...lines: string[]) => out.push(lines.join('\n'));

  para(`# ${cve}: ${escapeMd(oneLine(r.summary))}`);
  para(
    cvss
      ? `CVSS Rating: [${escapeMd(cvss.vector)}](${escapeMdUrl(calculatorUrl(cvss))})`
      : `CVSS Rating: ${missing('CVSS vector')}`,
  );
  para(
    r.actor && r.doSomething
      ? `A security issue was discovered in ${escapeMd(ctx.project)} ${components} where ${escapeMd(r.actor)} may be able to ${escapeMd(r.doSomething)}.`
      : `A security issue was discovered in ${escapeMd(ctx.project)} ${components}: ${escapeMd(r.summary)}`,
  );
  if (r.condition) para(`You are only affected if ${escapeMd(r.condition)}.`);
  para(
    `This issue has been rated **${rating ?? missing('severity')}**${cvss ? ` (CVSS score ${cvss.score.toFixed(1)})` : ''} and assigned **${cve}**.`,
  );

  para('### Am I vulnerable?');
  para(text(r.vulnerable, 'Am I vulnerable?'));
  para('#### Affected Versions');
  para(
    r.affected.length
      ? r.affected.map((a) => `- ${escapeMd(a.component)} ${escapeMd(rangeText(a))}`).join('\n')
      : missing('affected versions'),
  );

  para('### How do I mitigate this vulnerability?');
  if (r.actionRequired) para(`**ACTION REQUIRED:** ${escapeMd(r.actionRequired)}`);
  if (r.mitigation)
    para(`Prior to upgrading, this vulnerability can be mitigated as follows: ${escapeMd(r.mitigation)}`);
  para('Upgrade to one of the fixed versions below.');
  para('#### Fixed Versions');
  const fixed = r.affected.filter((a) => a.fixed !== null);
  para(
    fixed.length
      ? fixed
          .map((a) => {
            const url = a.pr ? prUrl(a.pr, ctx.repoUrl) : null;
            const by = url ? ` - fixed by ${link(url)}` : a.pr ? ` - fixed by ${escapeMd(a.pr)}` : '';
            return `- ${escapeMd(a.component)} ${escapeMd(a.fixed as string)}${by}`;
          })
          .join('\n')
      : missing('fixed versions'),
  );
  if (r.fixImpact) para(`**Fix impact:** ${escapeMd(r.fixImpact)}`);

  para('### Detection');
  para(text(r.detection, 'detection'));

  if (r.additionalDetails || r.trackingIssue) {
    para('#### Additional Details');
    if (r.additionalDetails) para(escapeMd(r.additionalDetails));
    if (r.trackingIssue) para(`See the tracking issue: ${link(r.trackingIssue)}`);
  }
  if (ctx.announcementUrl) para(`Announcement: ${link(ctx.announcementUrl)}`);

  para('#### Acknowledgements');
  para(`This vulnerability was reported by ${text(r.reporterCredit, 'reporter credit')}.`);
  if (r.fixTeamCredit) para(`The issue was fixed and coordinated by ${escapeMd(r.fixTeamCredit)}.`);
  if (r.releaseManagersCredit)
    para(`Thank you to the release managers: ${escapeMd(r.releaseManagersCredit)}.`);
  return `${out.join('\n\n')}\n`;
}
