import type { Clock } from '../clock.js';
import {
  compileWatchList,
  type LeakMatcher,
  mergeWatchWords,
  parseWatchWords,
  type WatchEntry,
} from '../domain/disclosure/leaks.js';
import { afterEventKeys, type LeakPayload, work } from '../domain/work.js';
import type { Logger } from '../logger.js';
import { messageLink, type Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { DueWorkRow, DueWorkStore } from '../store/dueWork.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import { escapeMrkdwn } from '../views/format.js';
import { leakAlertMessage } from '../views/leaks.js';
import type { PhaseService } from './phases.js';
import { type Done, done, refused } from './result.js';

/** A message as the leak watcher takes it from Slack: where, which, its text, and who sent it. */
export interface SeenMessage {
  channel: string;
  /** Slack's `channel_type`: only `channel` (a public channel) is watched. */
  channelType: string | undefined;
  /** The message's own ts (for an edit, the edited message's). */
  ts: string;
  threadTs?: string | undefined;
  text: string;
  user?: string | undefined;
  botId?: string | undefined;
}

/** srp's own identity in Slack, and the workspace's address (for links to messages). */
export interface SlackIdentity {
  botId: string;
  botUserId: string;
  /** `https://<workspace>.slack.com/`, from auth.test. */
  url?: string | undefined;
}

/**
 * The leak watcher: until an incident is published, a message in a public channel that names it (its CVE
 * id, its srp id, a watch word) raises one alert in the security channel, and the alert's button lets its
 * Fix Lead or commander declare the embargo broken. Also the watch words themselves.
 *
 * Nothing here logs a message's text or quotes it anywhere: an alert names the incident and links the
 * message.
 */
export function leakService(deps: {
  advisory: AdvisoryStore;
  incidents: IncidentStore;
  roles: IncidentRoleStore;
  dueWork: DueWorkStore;
  outbox: Outbox;
  phases: Pick<PhaseService, 'markPublic'>;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  log: Logger;
  securityChannel: string;
  identity?: SlackIdentity | undefined;
}) {
  const { clock, log } = deps;

  /** The compiled watch list, loaded again only when its version moved. */
  let cached: { version: string; matcher: LeakMatcher } | undefined;
  function matcher(): LeakMatcher {
    const version = deps.advisory.watchVersion();
    if (cached?.version === version) return cached.matcher;
    const entries: WatchEntry[] = deps.advisory.watchList().map((w) => ({
      incidentId: w.incidentId,
      cveIds: [w.cveId, w.advisoryCveId].filter((c): c is string => Boolean(c)),
      words: w.watchWords,
    }));
    cached = { version, matcher: compileWatchList(entries) };
    return cached.matcher;
  }

  /** Whether the leak watcher still watches the incident (open, not public, not published). */
  function watched(id: string): boolean {
    const incident = deps.incidents.get(id);
    if (!incident || incident.phase === 'closed' || incident.publicAt) return false;
    return deps.advisory.disclosure(id)?.state !== 'published';
  }

  const leads = (id: string) => {
    const h = deps.roles.holders(id);
    return { fixLead: h.fixLead, commander: h.commander };
  };

  /** Who may change the watch words or break the embargo: the incident's Fix Lead or commander. */
  function leadsOnly(actor: string, id: string, what: string): Done | undefined {
    const h = leads(id);
    if (actor === h.fixLead || actor === h.commander) return undefined;
    const who = [h.fixLead, h.commander].filter(Boolean).map((u) => `<@${u}>`);
    return refused(
      `Only ${id}'s Fix Lead or incident commander can ${what}${who.length ? ` (${[...new Set(who)].join(', ')})` : ''}.`,
    );
  }

  return {
    /**
     * A message seen in a channel srp is in. Returns the keys of the alerts it made due (none for srp's
     * own messages, the security channel, DMs and private channels, or a message naming nothing watched).
     */
    seen(m: SeenMessage): string[] {
      if (m.channelType !== 'channel' || m.channel === deps.securityChannel) return [];
      const me = deps.identity;
      if (me && (m.user === me.botUserId || m.botId === me.botId)) return [];
      const hits = matcher().match(m.text);
      if (hits.length === 0) return [];
      const now = clock.now();
      const link = me?.url ? messageLink(me.url, m.channel, m.ts, m.threadTs) : undefined;
      const items = hits.map((hit) =>
        work.leakAlert(
          hit.incidentId,
          {
            channel: m.channel,
            ts: m.ts,
            ...(m.threadTs && m.threadTs !== m.ts ? { threadTs: m.threadTs } : {}),
            via: hit.via,
            ...(link ? { link } : {}),
          },
          now,
        ),
      );
      deps.transact(() => {
        for (const item of items) deps.dueWork.enqueue(item, now);
      });
      // The incident, the channel and the message's ts: never its text.
      for (const hit of hits)
        log.warn(
          { incident: hit.incidentId, channel: m.channel, ts: m.ts, via: hit.via },
          'possible leak seen',
        );
      return items.map((i) => i.key);
    },

    /** Due work: the alert in the security channel, posted once and redrawn in place after its button. */
    async deliverAlert(row: DueWorkRow): Promise<void> {
      const id = row.subject;
      const leak = JSON.parse(row.payload ?? '{}') as LeakPayload;
      // An alert not yet posted for an incident no longer under embargo says nothing anyone can act on.
      if (!deps.outbox.isDelivered(row.key) && !watched(id)) return;
      const incident = deps.incidents.get(id);
      if (!incident) return;
      await deps.outbox.upsert({
        key: row.key,
        kind: row.kind,
        channel: deps.securityChannel,
        sensitivity: 'embargoed',
        render: () =>
          leakAlertMessage({
            incidentId: id,
            alertKey: row.key,
            leak,
            ...leads(id),
            publicBy: incident.publicBy,
            publicAt: incident.publicAt,
          }),
      });
    },

    /**
     * "Embargo broken: go public ASAP" on the alert `alertKey`: its incident's Fix Lead or commander marks
     * it public (every remaining deadline due now), seen where the alert says; the alert then says who.
     * Pressed again, or after the incident went public otherwise, it only says so.
     */
    breakEmbargo(actor: string, alertKey: string): Done {
      const row = deps.dueWork.get(alertKey);
      if (row?.kind !== 'leak-alert') return refused('That alert is not one srp knows.');
      const id = row.subject;
      const leak = JSON.parse(row.payload ?? '{}') as LeakPayload;
      const denied = leadsOnly(actor, id, 'declare its embargo broken');
      if (denied) return denied;
      const now = clock.now();
      const redraw = work.leakAlert(id, leak, now);
      const incident = deps.incidents.get(id);
      if (incident?.publicAt) {
        deps.transact(() => deps.dueWork.rearm(redraw, now));
        return done(
          `${id} is public already (since ${incident.publicAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${incident.publicBy ? `, marked by <@${incident.publicBy}>` : ''}).`,
          [redraw.key],
        );
      }
      const marked = deps.phases.markPublic(
        actor,
        id,
        `a message in a public Slack channel (${leak.channel}), found by the leak watcher`,
        leak.link,
      );
      if (!marked.outcome.ok) return marked;
      deps.transact(() => deps.dueWork.rearm(redraw, now));
      return { ...marked, due: [...(marked.due ?? []), redraw.key] };
    },

    /** What the leak watcher looks for about an incident (anyone who may see it may ask). */
    listWatch(id: string): Done {
      const incident = deps.incidents.get(id);
      if (!incident) return refused(`There is no incident ${id}.`);
      const words = deps.advisory.watchWords(id);
      const cves = [incident.cveId, deps.advisory.latest(id)?.record.cveId].filter(
        (c, i, all): c is string => Boolean(c) && all.indexOf(c) === i,
      );
      const terms = [id, ...cves].join(', ');
      const wordList = words.length
        ? `the watch words ${words.map((w) => `\`${escapeMrkdwn(w)}\``).join(', ')}`
        : `no watch words (the Fix Lead or commander adds them: \`/srp watch ${id} <word>, <word>\`)`;
      const state = watched(id)
        ? `Until ${id} is published, srp watches the public channels it is in for ${terms} and ${wordList}.`
        : `${id} is not watched any more (it is closed, public or published). It had ${wordList}.`;
      return done(state);
    },

    /** Adds watch words (typed comma-separated), or clears them with `clear`. Fix Lead or commander. */
    setWatch(actor: string, id: string, input: string): Done {
      const incident = deps.incidents.get(id);
      if (!incident) return refused(`There is no incident ${id}.`);
      const denied = leadsOnly(actor, id, 'change its watch words');
      if (denied) return denied;
      const now = clock.now();
      const current = deps.advisory.watchWords(id);
      if (input.trim().toLowerCase() === 'clear') {
        if (current.length === 0) return refused(`${id} has no watch words to clear.`);
        deps.advisory.setWatchWords(id, [], actor, now);
        return done(
          `${id}'s watch words are cleared; srp still watches for its ids.`,
          afterEventKeys(id, now),
        );
      }
      if (!watched(id)) {
        return refused(`${id} is closed, public or published: there is no embargo left to watch.`);
      }
      const parsed = parseWatchWords(input);
      if (parsed.problems.length) {
        return refused(
          `Watch words are separated by commas, e.g. \`/srp watch ${id} kubelet logs, path traversal\`: ${parsed.problems.join('; ')}.`,
        );
      }
      const merged = mergeWatchWords(current, parsed.words);
      if (merged.problem) return refused(`${id}: ${merged.problem}.`);
      const added = merged.words.length - current.length;
      if (added === 0) return refused(`${id} is watched for those words already.`);
      deps.advisory.setWatchWords(id, merged.words, actor, now);
      log.info({ incident: id, words: merged.words.length }, 'watch words changed');
      return done(
        `srp now watches the public channels it is in for ${merged.words.map((w) => `\`${escapeMrkdwn(w)}\``).join(', ')} (and ${id}'s ids) until ${id} is published.`,
        afterEventKeys(id, now),
      );
    },
  };
}
export type LeakService = ReturnType<typeof leakService>;
