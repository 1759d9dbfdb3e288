/**
 * What a failed Slack call means for the work that made it: retry later (and when), or give up.
 * web-api v8 throws platform errors (`ok:false`, `data.error`), HTTP errors (`statusCode`), request
 * errors (no answer) and rate-limit errors (`retryAfter`, seconds).
 */

/** The outbox refused a post by policy (where it may post what): a bug to fix, never worth a retry. */
export class GuardRefusal extends Error {
  readonly code = 'srp_guard_refusal';
}

/** A short name for a failure, for logs and the queue's last_error: never a message that could hold data. */
export function errorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; statusCode?: number };
  return e?.data?.error ?? (e?.statusCode ? `http_${e.statusCode}` : undefined) ?? e?.code ?? 'unknown_error';
}

/** How long Slack asked us to wait (HTTP 429 with Retry-After), in ms. */
export function retryAfterMs(err: unknown): number | undefined {
  const s = (err as { retryAfter?: unknown })?.retryAfter;
  return typeof s === 'number' && s >= 0 ? s * 1000 : undefined;
}

/**
 * Slack answers that no retry can change: the target is gone or not ours, the content or the token is
 * wrong. Everything else (5xx, timeouts, rate limits, `internal_error`) is worth trying again.
 */
const PERMANENT = new Set([
  'srp_guard_refusal',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_blocks_too_long',
  'msg_too_long',
  'no_text',
  'invalid_metadata_format',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'restricted_action',
]);

export function isPermanent(err: unknown): boolean {
  return err instanceof GuardRefusal || PERMANENT.has(errorCode(err));
}
