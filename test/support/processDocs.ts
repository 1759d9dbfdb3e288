import { readFileSync } from 'node:fs';

/** Markdown as plain text, for comparing a quote with its source. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ');
}

/**
 * A process document by its file name (a profile's `document`), copied into test/fixtures/process from
 * shared/reference, as plain text (links, list markers and emphasis removed) so a rule's quote can be checked
 * word for word.
 */
export function processDocument(file: string): string {
  return plain(readFileSync(new URL(`../fixtures/process/${file}`, import.meta.url), 'utf8'));
}
