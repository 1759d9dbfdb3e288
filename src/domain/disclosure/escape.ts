/**
 * User text made inert for each kind of output the disclosure texts are sent as. Pure.
 *
 * - Slack (the #announcements line): Slack's three entities (`&`, `<`, `>`), so `<!channel>`, `<!here>`,
 *   `<@U…>` and `<url|label>` show literally; mrkdwn's formatting characters (`*`, `~`, `` ` ``, and `_`
 *   where it could start or end italics) become look-alikes that format nothing; `@channel`, `@here` and
 *   `@everyone` get a zero-width space so no client links them; a newline becomes a space (one line).
 * - Markdown (the emails, which lists and forums render as Markdown, and the GitHub issue): every
 *   character that starts Markdown formatting or HTML is backslash-escaped (CommonMark: an escaped `<`
 *   is a literal `<`, never a tag), entity-like `&…;` too, and what starts a block at a line's start
 *   (`# `, `- `, `+ `, `1. `, a line of `=`); a plain-text reader sees the character with a backslash before it.
 */

const ZWSP = '\u200b';

export function escapeSlack(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*/g, '\u2217')
    .replace(/~/g, '\u223c')
    .replace(/`/g, '\u02cb')
    .replace(/(^|[^\p{L}\p{N}])_|_(?=$|[^\p{L}\p{N}])/gu, (m) => m.replace('_', '\u02cd'))
    .replace(/@(?=(channel|here|everyone)\b)/gi, `@${ZWSP}`);
}

export function escapeMarkdown(s: string): string {
  return (
    s
      .replace(/\r\n?/g, '\n')
      .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
      .replace(/^(\s*)([#+-]|\d+[.)])(?=\s|$)/gm, (_m, space: string, mark: string) =>
        /^\d/.test(mark) ? `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${space}\\${mark}`,
      )
      .replace(/^(\s*)(=+\s*)$/gm, '$1\\$2')
      // GitHub reads a line starting with / as a command (/label, /close) and @name as a mention; an
      // address (name@host) is neither.
      .replace(/^(\s*)\//gm, '$1\\/')
      .replace(/(?<![\w.+-])@(?=[A-Za-z0-9])/g, `@${ZWSP}`)
  );
}

/** One line (headers: a subject, a title): newlines folded into spaces. */
export const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/**
 * A link srp or a person put in the record (already checked to be an https URL without spaces): kept
 * clickable and copyable, with the characters that would end a Markdown link or start a tag encoded.
 */
export function escapeUrl(kind: 'slack' | 'markdown', url: string): string {
  if (kind === 'slack') return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E');
  return url.replace(
    /[\s<>()[\]`"\\*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
