import type { CommandRoute } from './routes.js';

const WHO: Record<CommandRoute['access'], string> = {
  anyone: 'anyone',
  involved: 'committee, Fix Teams, Release Managers',
  committee: 'committee',
  member: 'members',
  incident: "committee, the incident's Fix Team, Release Managers from its release on",
};

/**
 * The README's table of commands, from the routing table itself: `npm run docs` writes it, and a test
 * fails if the README and the routes drift apart.
 */
export function commandsTable(routes: readonly CommandRoute[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = routes.map((r) => `| \`/srp ${cell(r.usage)}\` | ${WHO[r.access]} | ${cell(r.description)} |`);
  return ['| Command | Who | What |', '| --- | --- | --- |', ...rows].join('\n');
}
