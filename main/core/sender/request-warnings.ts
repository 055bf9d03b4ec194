/**
 * What is wrong with a request about to be sent. Sending broken requests on purpose is a
 * feature, so none of this blocks the send: it is said next to the result.
 */
import type { RawHeaders } from '../../../shared/model/exchange';
import { headerValues, isFolded, splitStartLine, type RequestHead } from './request-head';

export function lintRequest(head: RequestHead, headers: RawHeaders, bodyLength: number): string[] {
  const warnings: string[] = [];
  if (head.lines.length === 0) return ['the request is empty'];
  const { method, target, version } = splitStartLine(head.lines[0].text);
  if (!method || !target || !/^HTTP\/\d\.\d$/.test(version)) {
    warnings.push(`the request line should read "METHOD TARGET HTTP/1.1": "${head.lines[0].text}"`);
  }
  const bareLf =
    head.lines.filter((l) => l.eol === '\n').length + (head.terminatorEol === '\n' ? 1 : 0);
  if (bareLf > 0) warnings.push(`the head has ${bareLf} bare LF line ending(s) instead of CRLF`);
  if (!head.terminated) {
    warnings.push('the head does not end with an empty line: the server will wait for more');
  }
  head.lines.slice(1).forEach((line, i) => {
    if (isFolded(line)) warnings.push(`header line ${i + 1} is folded (obs-fold): "${line.text}"`);
    else if (!line.text.includes(':'))
      warnings.push(`header line ${i + 1} has no colon: "${line.text}"`);
  });
  warnings.push(...framingWarnings(headers, bodyLength));
  if (version === 'HTTP/1.1' && headerValues(headers, 'host').length === 0) {
    warnings.push('no Host header (required by HTTP/1.1)');
  } else if (headerValues(headers, 'host').length > 1) {
    warnings.push('more than one Host header');
  }
  return warnings;
}

function framingWarnings(headers: RawHeaders, bodyLength: number): string[] {
  const warnings: string[] = [];
  const lengths = headerValues(headers, 'content-length');
  const encodings = headerValues(headers, 'transfer-encoding');
  if (lengths.length > 1) warnings.push(`Content-Length appears ${lengths.length} times`);
  if (lengths.length > 0 && encodings.length > 0) {
    warnings.push('both Content-Length and Transfer-Encoding are present');
  }
  if (encodings.length > 0) return warnings;
  if (lengths.length === 0) {
    if (bodyLength > 0) {
      warnings.push(
        `the body has ${bodyLength} bytes but no Content-Length or Transfer-Encoding frames it`,
      );
    }
    return warnings;
  }
  const declared = lengths[0];
  if (!/^\d+$/.test(declared)) {
    warnings.push(`Content-Length is not a number: "${declared}"`);
  } else if (Number(declared) !== bodyLength) {
    warnings.push(`Content-Length says ${declared}, body has ${bodyLength} bytes`);
  }
  return warnings;
}
