/**
 * Keeps every test's name lookups on this machine. Loaded into each test process and every
 * Node process they start (`--import` in NODE_OPTIONS, set by the vitest and Playwright
 * configs), before any test code.
 *
 * Why: the tests may reach only 127.0.0.1 and ::1, yet a real resolver query for a name
 * that does not exist still leaves the machine (glibc asks the configured nameserver even
 * for `.invalid`), and Chromium sends its own background requests (sign-in, component
 * updates) through the proxy under test, which would look those names up.
 *
 * So `localhost` and `*.localhost` resolve to loopback (RFC 6761), IP literals pass
 * through (they need no query), and every other name fails the way a resolver says
 * "no such name" — `ENOTFOUND` from `getaddrinfo` — without a packet. Code under test
 * still meets a real failing lookup through Node's own `dns.lookup` API; only the answer
 * comes from here.
 */
import dns from 'node:dns';
import net from 'node:net';

const realLookup = dns.lookup;

function isLocalName(host) {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function notFound(host) {
  const error = new Error(`getaddrinfo ENOTFOUND ${host}`);
  error.code = 'ENOTFOUND';
  error.errno = -3008;
  error.syscall = 'getaddrinfo';
  error.hostname = host;
  return error;
}

function loopbackAnswer(options) {
  const family = typeof options === 'number' ? options : options?.family;
  const all = typeof options === 'object' && options !== null && options.all === true;
  const v6 = family === 6 || family === 'IPv6';
  const address = v6 ? '::1' : '127.0.0.1';
  return all ? [{ address, family: v6 ? 6 : 4 }] : { address, family: v6 ? 6 : 4 };
}

function guardedLookup(host, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' ? undefined : options;
  if (typeof host !== 'string' || net.isIP(host) !== 0) return realLookup(host, options, callback);
  if (!isLocalName(host)) {
    process.nextTick(cb, notFound(host));
    return {};
  }
  const answer = loopbackAnswer(opts);
  if (Array.isArray(answer)) process.nextTick(cb, null, answer);
  else process.nextTick(cb, null, answer.address, answer.family);
  return {};
}

const realPromiseLookup = dns.promises.lookup;

async function guardedPromiseLookup(host, options) {
  if (typeof host !== 'string' || net.isIP(host) !== 0) return realPromiseLookup(host, options);
  if (!isLocalName(host)) throw notFound(host);
  return loopbackAnswer(options);
}

dns.lookup = guardedLookup;
dns.promises.lookup = guardedPromiseLookup;
