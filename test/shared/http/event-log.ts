/**
 * Runs the parser over some bytes and writes what it reported as a small text log, the
 * "expected" language of the fixture files:
 *
 *   head@STREAM "START LINE" framing=F [cl=N] keepAlive=yes|no [upgrade]
 *     header "Name" "value" START-END        (spans relative to the message)
 *     block START-END
 *     warn CODE@OFFSET
 *   body "raw body bytes"                    (only when there is a body)
 *   payload "de-chunked bytes"               (only when it differs from body)
 *   trailer "Name" "value"
 *   bodywarn CODE@OFFSET
 *   end wire=N payload=N
 *   error CODE@OFFSET stream=N
 *   tunnel "bytes"
 */
import { HttpParser } from '../../../shared/http/http-parser';
import type { ParserOptions } from '../../../shared/http/parser-types';
import { escapeBytes } from './fixture-format';
import { concatBytes as concat } from '../../../shared/bytes/concat';

export interface Feed {
  /** Chunk sizes to cut the input into (cycled); empty = whole. */
  sizes: number[];
  /** Pause on every event, resume from outside after each push. */
  pauseEverywhere?: boolean;
}

export function runToLog(
  input: Uint8Array,
  options: ParserOptions,
  feed: Feed,
  expectResponseTo: string[] = [],
  callEnd = true,
): string {
  const log: string[] = [];
  let body: Uint8Array[] = [];
  let payload: Uint8Array[] = [];
  const tunnel: Uint8Array[] = [];
  let parser: HttpParser | null = null;
  const maybePause = (): void => {
    if (feed.pauseEverywhere) parser?.pause();
  };
  parser = new HttpParser(options, {
    onHead(head, at) {
      const cl = head.contentLength !== undefined ? ` cl=${head.contentLength}` : '';
      const up = head.upgrade ? ' upgrade' : '';
      log.push(
        `head@${at} "${str(head.startLine)}" framing=${head.framing}${cl} keepAlive=${head.keepAlive ? 'yes' : 'no'}${up}`,
      );
      head.headers.forEach(([n, v], i) => {
        const s = head.spans.headerLines[i];
        log.push(`  header "${str(n)}" "${str(v)}" ${s.start}-${s.end}`);
      });
      log.push(`  block ${head.spans.headerBlock.start}-${head.spans.headerBlock.end}`);
      for (const w of head.warnings) log.push(`  warn ${w.code}@${w.offset}`);
      maybePause();
    },
    onBody(raw) {
      body.push(raw.slice());
      maybePause();
    },
    onPayload(data) {
      payload.push(data.slice());
      maybePause();
    },
    onMessageEnd(end) {
      const b = escapeBytes(concat(body));
      const p = escapeBytes(concat(payload));
      if (b !== '') log.push(`body "${b}"`);
      if (p !== b) log.push(`payload "${p}"`);
      for (const [n, v] of end.trailers) log.push(`trailer "${str(n)}" "${str(v)}"`);
      for (const w of end.warnings) log.push(`bodywarn ${w.code}@${w.offset}`);
      log.push(`end wire=${end.wireBodyLength} payload=${end.payloadLength}`);
      body = [];
      payload = [];
      maybePause();
    },
    onError(issue, at) {
      // What arrived of a body before the error.
      if (body.length > 0) log.push(`body "${escapeBytes(concat(body))}"`);
      log.push(`error ${issue.code}@${issue.offset} stream=${at}`);
    },
    onTunnelData(data) {
      tunnel.push(data.slice());
    },
  });
  for (const m of expectResponseTo) parser.expectResponseTo(m);
  const resumeAll = (): void => {
    while (parser.paused) parser.resume();
  };
  let k = 0;
  for (let i = 0; i < input.length;) {
    const size = feed.sizes.length === 0 ? input.length : feed.sizes[k++ % feed.sizes.length];
    const chunk = input.slice(i, i + size);
    parser.push(chunk);
    chunk.fill(0xee); // the parser must not keep views of a pushed chunk past push()
    resumeAll();
    i += size;
  }
  if (callEnd) parser.end();
  resumeAll();
  if (tunnel.length > 0) log.push(`tunnel "${escapeBytes(concat(tunnel))}"`);
  return log.join('\n');
}

/** Header strings are latin1: escape them like bytes so logs stay ASCII. */
function str(text: string): string {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return escapeBytes(bytes);
}
