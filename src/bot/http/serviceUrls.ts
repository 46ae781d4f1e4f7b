/**
 * Where replies may be posted when the bot cannot trust the request's `serviceUrl` (local mode: no
 * channel token vouches for it): this machine, and the origins listed in ALLOWED_SERVICE_URLS.
 * Anything else would let any client make the bot send requests wherever it likes.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isAllowedServiceUrl(serviceUrl: string, allowedOrigins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK.has(url.hostname) || allowedOrigins.includes(url.origin);
}

/** Thrown instead of sending to a serviceUrl that is not allowed: at once, not after a network timeout. */
export class ServiceUrlNotAllowedError extends Error {
  constructor(serviceUrl: string) {
    super(`replies to ${String(serviceUrl).slice(0, 100)} are not allowed in local mode (set ALLOWED_SERVICE_URLS)`);
    this.name = 'ServiceUrlNotAllowedError';
  }
}
