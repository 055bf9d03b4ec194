/**
 * Which status and which plain words the client gets for each failure. One table, so the
 * same problem always reads the same way in curl, in the browser and in the exchange list.
 */
import { ERROR_CODES } from '../../../shared/api/inspector-api';
import type { ParseIssue, WirelensError } from '../../../shared/model/exchange';

/** Status for a request the proxy refuses to forward because it could not parse it. */
export function statusForClientIssue(issue: ParseIssue): number {
  if (issue.code === 'HEAD_TOO_LARGE' || issue.code === 'TOO_MANY_HEADERS') return 431;
  if (issue.code === 'UNKNOWN_TRANSFER_CODING') return 501;
  return 400;
}

export function clientIssueText(issue: ParseIssue): string {
  return (
    `Wirelens could not parse this request, so it was not forwarded.\n` +
    `${issue.code}: ${issue.message} (at byte ${issue.offset})\n`
  );
}

/** Status for an upstream failure: 504 for timeouts, 502 for everything else. */
export function statusForUpstreamError(error: WirelensError): number {
  return error.code === ERROR_CODES.UPSTREAM_TIMEOUT ? 504 : 502;
}

export function upstreamErrorText(error: WirelensError, target: string): string {
  return `Wirelens could not get a response from ${target}.\n${error.code}: ${error.message}\n`;
}

export const CLIENT_ABORTED: WirelensError = Object.freeze({
  code: ERROR_CODES.CLIENT_ABORTED,
  message: 'the client closed the connection before the response was complete',
});

export function clientBodyText(message: string): string {
  return `Wirelens could not parse this request body.\n${message}\n`;
}

/** The response could not be parsed; cut short by the origin closing counts as a reset. */
export function responseIssueError(
  where: string,
  issue: ParseIssue,
  bodyBytes: number,
): WirelensError {
  if (issue.code === 'INCOMPLETE_MESSAGE') {
    return {
      code: ERROR_CODES.UPSTREAM_RESET,
      message: `${where} closed the connection before the response was complete (${bodyBytes} body bytes received)`,
    };
  }
  return {
    code: ERROR_CODES.UPSTREAM_PARSE_ERROR,
    message: `the response from ${where} could not be parsed: ${issue.code}: ${issue.message} (at byte ${issue.offset})`,
  };
}

/** The upstream connection ended (closed, reset, stalled) before the response was complete. */
export function closedError(
  where: string,
  code: string,
  headSent: boolean,
  bodyBytes: number,
  cause?: Error,
): WirelensError {
  const why = cause ? `: ${cause.message}` : '';
  const when = headSent
    ? `after ${bodyBytes} body bytes, before the response was complete`
    : 'before a complete response head';
  return { code, message: `${where} closed the connection ${when}${why}` };
}

export class ProxyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyError';
  }

  toJSON(): WirelensError {
    return { code: this.code, message: this.message };
  }
}

export function asWirelensError(error: unknown, fallbackCode: string): WirelensError {
  if (error instanceof ProxyError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallbackCode, message };
}
