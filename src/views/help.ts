import { section } from './format.js';

export interface HelpEntry {
  usage: string;
  description: string;
  membersOnly: boolean;
}

export function helpMessage(entries: HelpEntry[], isMember: boolean) {
  const lines = entries
    .filter((e) => isMember || !e.membersOnly)
    .map((e) => `\`/srp ${e.usage}\` ${e.description}${e.membersOnly ? ' _(committee)_' : ''}`);
  const text = `*srp: the security release process in Slack*\n${lines.join('\n')}`;
  return { text: 'srp commands', blocks: [section(text)] };
}

export function unknownCommandMessage(sub: string, entries: HelpEntry[], isMember: boolean) {
  const names = entries.filter((e) => isMember || !e.membersOnly).map((e) => `\`${e.usage.split(' ')[0]}\``);
  const text = `\`/srp ${sub}\` is not a command I know. Try one of ${names.join(', ')}, or \`/srp help\`.`;
  return { text, blocks: [section(text)] };
}
