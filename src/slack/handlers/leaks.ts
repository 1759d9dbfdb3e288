import type { SeenMessage } from '../../services/leaks.js';
import { LEAK_ACTIONS } from '../../views/leaks.js';
import { argsOf } from '../parse.js';
import type { MessageEvent } from '../payloads.js';
import type { ActionRoute, CommandRoute, EventRoute } from '../routes.js';
import { ackDone, readArgs, respondDone } from './reply.js';

/** Subtypes that carry text someone (or another app) just put into the channel. */
const NEW_TEXT = new Set(['thread_broadcast', 'file_share', 'me_message', 'bot_message']);

/**
 * The message an event is about, as the leak watcher reads it: a new message, or an edit (a leak typed
 * into an edit counts, and is keyed by the edited message, so it is one alert with the original). Other
 * subtypes (deletions, joins, topic changes) carry no new text: undefined.
 */
export function seenMessage(e: MessageEvent): SeenMessage | undefined {
  const base = { channel: e.channel, channelType: e.channel_type };
  if (e.subtype === 'message_changed') {
    const m = e.message;
    if (!m?.text) return undefined;
    return {
      ...base,
      ts: m.ts,
      threadTs: m.thread_ts,
      text: m.text,
      user: m.user,
      botId: m.bot_id ?? undefined,
    };
  }
  if (e.subtype !== undefined && !NEW_TEXT.has(e.subtype)) return undefined;
  if (!e.text) return undefined;
  return {
    ...base,
    ts: e.ts,
    threadTs: e.thread_ts,
    text: e.text,
    user: e.user,
    botId: e.bot_id ?? undefined,
  };
}

/**
 * Every message in a public channel srp is in. Slack has been answered already (Bolt acks events before
 * the listener runs); matching, the alert's row and its post come after.
 */
export const leakWatchEvent: EventRoute = {
  event: 'message',
  access: 'anyone',
  async run({ event }, services) {
    const seen = seenMessage(event as unknown as MessageEvent);
    if (!seen) return;
    await services.dueWork.run(services.leaks.seen(seen));
  },
};

export const leakRoutes: CommandRoute[] = [
  {
    name: 'watch',
    usage: 'watch <incident id> [<word>, <word>… | clear]',
    description:
      'What the leak watcher looks for in public channels until an incident is published (its ids, and watch words its Fix Lead or commander adds or clears).',
    access: 'incident',
    async run({ ack, command }, rest, services) {
      const input = await readArgs(ack, this.usage, () => {
        const a = argsOf(rest);
        return { id: a.incident(), words: a.optionalRest() };
      });
      if (!input) return;
      const d = input.words
        ? services.leaks.setWatch(command.user_id, input.id, input.words)
        : services.leaks.listWatch(input.id);
      await ackDone(ack, d, services);
    },
  },
];

export const leakActions: ActionRoute[] = [
  {
    actionId: LEAK_ACTIONS.goPublic,
    access: 'incident',
    incidentFrom: 'block',
    async run(args, services, incidentId) {
      await args.ack();
      const key = (args.action as { value?: string }).value ?? '';
      // The alert names its incident twice (block and key); access was checked on the block's.
      if (!incidentId || !key.startsWith(`leak:${incidentId}:`)) return;
      await respondDone(args, services.leaks.breakEmbargo(args.body.user.id, key), services);
    },
  },
];
