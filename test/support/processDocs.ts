import { readFileSync } from 'node:fs';

/**
 * The two process documents, copied into test/fixtures/process from shared/reference, as plain
 * text (links, list markers and emphasis removed) so a rule's quote can be checked word for word.
 */
const FILES = {
  src: 'security-release-process.md',
  pst2018: 'security-release-process-2018.md',
} as const;

/** Markdown as plain text, for comparing a quote with its source. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*[-*]\s+/gm, '')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ');
}

export function processDocument(id: keyof typeof FILES): string {
  return plain(readFileSync(new URL(`../fixtures/process/${FILES[id]}`, import.meta.url), 'utf8'));
}
