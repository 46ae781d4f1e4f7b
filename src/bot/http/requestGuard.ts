import type { Server } from 'node:http';
import type restify from 'restify';
import type { Config } from '../config.js';

/**
 * What every request passes before routing and body parsing, on every route.
 *
 * Compressed bodies are refused (415): Teams and the Bot Framework connector never compress
 * requests, and restify's body reader inflates gzip with no error listener (one bad byte ends the
 * process) and counts the limit in compressed bytes (a small request expands to hundreds of MiB).
 * Refusing before anything reads the body keeps both out of reach.
 */
export function refuseEncodedBodies(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined) return next();
  const codings = String(encoding).split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (codings.every((c) => c === 'identity')) {
    // "identity" means no encoding; restify's reader would refuse the word itself.
    delete req.headers['content-encoding'];
    return next();
  }
  // The unread body is dropped with the connection.
  res.header('Connection', 'close');
  res.send(415, { error: 'unsupported_content_encoding', message: 'Request bodies must not be compressed (Content-Encoding: identity or none).' });
  next(false);
}

/**
 * Bounds what slow or numerous clients can hold: at most `maxConnections` sockets (further ones are
 * closed on accept), and a request whose headers and body are not complete within the timeout is
 * answered 408 and closed. Checked every second instead of Node's default 30 s.
 */
export function limitConnections(server: restify.Server, limits: Config['connections']): void {
  // connectionsCheckingInterval is read when the server starts listening (Node ≥ 18), missing from its types.
  const http = server.server as Server & { connectionsCheckingInterval: number };
  http.maxConnections = limits.maxConnections;
  http.requestTimeout = limits.requestTimeoutMs;
  http.headersTimeout = Math.min(http.headersTimeout, limits.requestTimeoutMs);
  http.connectionsCheckingInterval = Math.min(1000, limits.requestTimeoutMs);
}
