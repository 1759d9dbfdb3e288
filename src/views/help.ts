import type { Standing } from '../domain/committee.js';
import { escapeMrkdwn, section } from './format.js';

export interface HelpEntry {
  /** The words after `/srp` that pick the command, e.g. `members add`. */
  name: string;
  usage: string;
  description: string;
  access: 'anyone' | 'involved' | 'committee' | 'member' | 'incident';
}

/** Which commands someone may use, from their standing: what the routing table checks, said in advance. */
function mayUse(e: HelpEntry, standing: Standing): boolean {
  switch (e.access) {
    case 'anyone':
      return true;
    case 'involved':
    case 'incident':
      return standing !== 'anyone';
    case 'committee':
      return standing === 'member' || standing === 'associate';
    case 'member':
      return standing === 'member';
  }
}

const NOTE: Record<HelpEntry['access'], string> = {
  anyone: '',
  involved: '',
  incident: '',
  committee: ' _(committee)_',
  member: ' _(members)_',
};

/** What someone outside the committee is told they are, above the commands they may use. */
const OUTSIDE_INTRO: Partial<Record<Standing, string>> = {
  fix_team: '*srp: you are on a Fix Team; these are the commands you can use*',
  release_manager:
    '*srp: you are a Release Manager; you see an incident from its release on, and these are the commands you can use*',
};

export function helpMessage(entries: HelpEntry[], standing: Standing) {
  const outside = OUTSIDE_INTRO[standing];
  const lines = entries
    .filter((e) => mayUse(e, standing))
    .map((e) => `\`/srp ${e.usage}\` ${e.description}${outside ? '' : NOTE[e.access]}`);
  const intro = outside ?? '*srp: the security release process in Slack*';
  return { text: 'srp commands', blocks: [section(`${intro}\n${lines.join('\n')}`)] };
}

/**
 * The answer to a command srp does not know: what was typed, then one line per family of commands the
 * person may use, with its subcommands (`members`: add, remove, role, ...), and where help is.
 */
export function unknownCommandMessage(typed: string, entries: HelpEntry[], standing: Standing) {
  const families = new Map<string, string[]>();
  for (const e of entries.filter((x) => mayUse(x, standing))) {
    const [family = '', ...sub] = e.name.split(' ');
    const subs = families.get(family) ?? [];
    if (sub.length) subs.push(sub.join(' '));
    families.set(family, subs);
  }
  const lines = [...families].map(([family, subs]) =>
    subs.length ? `\`/srp ${family}\` (${subs.join(', ')})` : `\`/srp ${family}\``,
  );
  const text = `\`/srp ${escapeMrkdwn(typed)}\` is not a command I know. These are:\n${lines.join('\n')}\nSee \`/srp help\` for what each does.`;
  return { text, blocks: [section(text)] };
}
