import { type StatsFigures, statsHeadline, statsSections } from '../domain/stats.js';
import { context, section } from './format.js';

/**
 * `/srp stats`: the figures as `npx srp stats` prints them, each group a code block whose bars are drawn
 * in █ (counts) and █/░ (deadlines met/missed), so no image is uploaded. Only srp's own labels and
 * numbers: nothing here is user text.
 */
export function statsMessage(f: StatsFigures) {
  const blocks: object[] = [section(`:bar_chart: *${statsHeadline(f)}*`)];
  for (const s of statsSections(f)) blocks.push(section(`*${s.title}*\n\`\`\`${s.lines.join('\n')}\`\`\``));
  blocks.push(
    context(
      'Median and 90th percentile are nearest-rank. Triage: until it left Triage; fix: until it left Development; ' +
        "publication: until its announcement. Deadlines as srp's schedule had them; open steps not yet due are not counted. " +
        `The same figures: \`npx srp stats --since ${f.period.since}\`.`,
    ),
  );
  return { text: statsHeadline(f), blocks };
}
