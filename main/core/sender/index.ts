/** The raw-socket sender's public surface (see ./send-request.ts). */
export { sendRequest, sendPipelined, DEFAULT_TIMEOUTS, type SenderDeps } from './send-request';
export { ConnectionPool, defaultPool } from './connection-pool';
export { prepareRequest, type PreparedRequest, type PrepareOptions } from './prepare-request';
export { targetFromRequest, parseHostPort, type TargetHints } from './resolve-target';
export { SenderError } from './sender-error';
export { sendResultJson, type SendResultJson } from './result-json';
