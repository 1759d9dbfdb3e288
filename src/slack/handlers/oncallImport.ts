import type { WebClient } from '@slack/web-api';
import { errorCode } from '../../outbox/errors.js';
import { plain } from '../../views/format.js';
import { words } from '../parse.js';
import type { CommandRoute, Services, ViewRoute } from '../routes.js';
import { ackOutcome, openModal } from './reply.js';

/** Calendar files are small; anything bigger is not an oncall schedule. */
const MAX_ICAL_BYTES = 1_000_000;
const FETCH_TIMEOUT_MS = 10_000;
export const ONCALL_IMPORT_CALLBACK = 'srp_oncall_import';

/** Reads a calendar over https, bounded in size and time, whatever the server claims or sends. */
async function fetchCalendar(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok || !res.body) throw new Error(`the server answered ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ICAL_BYTES) throw new Error('the calendar is larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Imports the calendar's events as overrides; people are matched by srp's own tag, or by email via Slack. */
async function importCalendar(
  services: Services,
  client: WebClient,
  actor: string,
  text: string,
): Promise<string> {
  const byEmail = new Map<string, string>();
  for (const m of services.members.list()) {
    try {
      const email = (await client.users.info({ user: m.userId })).user?.profile?.email;
      if (email) byEmail.set(email.toLowerCase(), m.userId);
    } catch (err) {
      services.log.warn(
        { user: m.userId, error: errorCode(err) },
        'could not read a member profile for the import',
      );
    }
  }
  const result = services.rotation.importICal(actor, text, (e) =>
    e.email ? (byEmail.get(e.email.toLowerCase()) ?? null) : null,
  );
  const problems = result.problems.slice(0, 10).map((p) => `• ${p}`);
  return [`Imported ${result.imported} shift(s) as overrides.`, ...problems].join('\n');
}

function importModal() {
  return {
    type: 'modal',
    callback_id: ONCALL_IMPORT_CALLBACK,
    title: plain('Import a rotation'),
    submit: plain('Import'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'file',
        label: plain('iCalendar file (.ics)'),
        hint: plain(
          'An export from Opsgenie, PagerDuty, Google Calendar or srp. Its events become overrides.',
        ),
        element: { type: 'file_input', action_id: 'value', filetypes: ['ics'], max_files: 1 },
      },
    ],
  };
}

export const oncallImportRoute: CommandRoute = {
  name: 'oncall import',
  usage: 'oncall import [https URL of an .ics calendar]',
  description: 'Bring a schedule across from another tool, from a file (a form opens) or a calendar link.',
  access: 'member',
  async run({ ack, command, respond, client }, rest, services) {
    const url = words(rest)[0]?.replace(/^<|>$/g, '');
    if (!url) {
      await ack();
      await openModal({ client, respond }, command.trigger_id, importModal(), services.log);
      return;
    }
    if (!/^https:\/\//.test(url)) {
      return ackOutcome(ack, {
        ok: false,
        message: 'Give an https link to the calendar, or no link to upload a file.',
      });
    }
    await ackOutcome(ack, 'Importing the calendar…');
    let text: string;
    try {
      text = await fetchCalendar(url);
    } catch (err) {
      await respond({
        response_type: 'ephemeral',
        text: `:warning: Could not fetch the calendar: ${(err as Error).message}.`,
      });
      return;
    }
    await respond({
      response_type: 'ephemeral',
      text: await importCalendar(services, client, command.user_id, text),
    });
  },
};

type FileValues = Record<string, Record<string, { files?: Array<{ id?: string }> }>>;

export const oncallImportView: ViewRoute = {
  callbackId: ONCALL_IMPORT_CALLBACK,
  access: 'member',
  async run({ ack, body, view, client, context }, services) {
    const fileId = (view.state.values as FileValues).file?.value?.files?.[0]?.id;
    if (!fileId) {
      await ack({ response_action: 'errors', errors: { file: 'Upload the .ics file to import.' } });
      return;
    }
    await ack();
    let result: string;
    try {
      // The download link comes from Slack itself (files.info), never from the payload, and needs the token.
      const info = await client.files.info({ file: fileId });
      const link = info.file?.url_private_download ?? info.file?.url_private;
      if (!link) throw new Error('Slack gave no download link');
      const text = await fetchCalendar(link, { authorization: `Bearer ${context.botToken}` });
      result = await importCalendar(services, client, body.user.id, text);
    } catch (err) {
      result = `:warning: Could not read the file: ${(err as Error).message}.`;
    }
    const note = services.rotation.tell(body.user.id, `oncall-import:${view.id}`, result);
    await services.dueWork.run(note.due ?? []);
  },
};
