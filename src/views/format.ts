/** Small Block Kit helpers shared by every view. Pure. */

/** Slack renders this in each reader's own time zone; the fallback (UTC) shows where it cannot. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${unix}^${format}|${fallback}>`;
}

/** User text inside mrkdwn: without this a report could ping @channel or fake a link. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to `max` characters, never cutting an escaped entity (`&amp;`) in half. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';') && amp >= cut.length - 5) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** User text for mrkdwn, escaped first and then shortened, so the limit holds after escaping. */
export function userText(s: string, max: number): string {
  return truncate(escapeMrkdwn(s), max);
}

export const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

export function section(text: string, blockId?: string) {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(truncate(text, 3000)) };
}

export function context(...texts: string[]) {
  return { type: 'context', elements: texts.slice(0, 10).map((t) => mrkdwn(truncate(t, 3000))) };
}

export const divider = () => ({ type: 'divider' });

export function header(text: string) {
  return { type: 'header', text: plain(truncate(text, 150)) };
}
