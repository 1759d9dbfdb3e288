import type { Logger } from '../../logger.js';
import { errorCode } from '../../outbox/errors.js';
import type { Done, Outcome } from '../../services/result.js';
import { BadInput } from '../parse.js';
import type { ActionArgs, CommandArgs, Services } from '../routes.js';

/** A command's answer: ephemeral, so only the person who asked sees it. */
export function ackOutcome(ack: CommandArgs['ack'], outcome: Outcome | string) {
  const text =
    typeof outcome === 'string' ? outcome : outcome.ok ? outcome.message : `:warning: ${outcome.message}`;
  return ack({ response_type: 'ephemeral', text });
}

/** A button's answer, to the person who pressed it; `respond` fails quietly when the response_url is gone. */
export async function respondOutcome(args: Pick<ActionArgs, 'respond'>, outcome: Outcome, replace = false) {
  const text = outcome.ok ? outcome.message : `:warning: ${outcome.message}`;
  await args.respond({ response_type: 'ephemeral', replace_original: replace, text }).catch(() => {});
}

/**
 * Reads a command's arguments; if they are wrong, answers what was wrong and how the command goes, and
 * returns undefined (the handler stops).
 */
export async function readArgs<T>(
  ack: CommandArgs['ack'],
  usageLine: string,
  read: () => T,
): Promise<T | undefined> {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof BadInput)) throw err;
    await ackOutcome(ack, { ok: false, message: `${err.message}\nUsage: \`/srp ${usageLine}\`` });
    return undefined;
  }
}

/** Answers Slack with the outcome first (the change is already stored), then runs the work it made due. */
export async function ackDone(ack: CommandArgs['ack'], done: Done, services: Pick<Services, 'dueWork'>) {
  await ackOutcome(ack, done.outcome);
  await services.dueWork.run(done.due ?? []);
}

export async function respondDone(
  args: Pick<ActionArgs, 'respond'>,
  done: Done,
  services: Pick<Services, 'dueWork'>,
  replace = false,
) {
  await respondOutcome(args, done.outcome, replace);
  await services.dueWork.run(done.due ?? []);
}

/**
 * Opens a modal after acking; a trigger that expired meanwhile gets a plain answer (`failure`, or a
 * generic one), not silence.
 */
export async function openModal(
  args: Pick<ActionArgs, 'client'> & { respond?: ActionArgs['respond'] },
  triggerId: string,
  view: object,
  log: Logger,
  failure = 'Slack did not let me open the form in time; please try again.',
) {
  try {
    await args.client.views.open({ trigger_id: triggerId, view: view as never });
  } catch (err) {
    log.warn({ error: errorCode(err) }, 'could not open a modal');
    await args
      .respond?.({ response_type: 'ephemeral', replace_original: false, text: failure })
      .catch(() => {});
  }
}

/**
 * A modal's answer once its change is stored: the modal turns into a short confirmation the person
 * closes, instead of vanishing in silence. Seen by them only, like an ephemeral message.
 */
export function confirmation(title: string, message: string) {
  return {
    response_action: 'update' as const,
    view: {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: title.slice(0, 24) },
      close: { type: 'plain_text' as const, text: 'Close' },
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${message}`.slice(0, 3000) } },
      ],
    },
  };
}
