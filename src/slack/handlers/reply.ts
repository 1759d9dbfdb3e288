import type { Logger } from '../../logger.js';
import { errorCode } from '../../outbox/errors.js';
import type { Done, Outcome } from '../../services/result.js';
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

export function usage(text: string) {
  return { ok: false as const, message: `Usage: \`/srp ${text}\`` };
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
