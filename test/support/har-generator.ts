/**
 * A HAR 1.2 file with `count` simple entries (GET /item/N → 200 with a small JSON body,
 * or `bodyBytes` of text), for tests that need many entries or large bodies.
 */
export function generateHar(
  count: number,
  options: { bodyBytes?: number; host?: string } = {},
): string {
  const host = options.host ?? 'generated.test';
  const started = Date.UTC(2026, 0, 1);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const text = options.bodyBytes
      ? `${i}:`.padEnd(options.bodyBytes, 'x')
      : JSON.stringify({ item: i, name: `entry ${i}` });
    entries.push({
      startedDateTime: new Date(started + i).toISOString(),
      time: 2,
      request: {
        method: 'GET',
        url: `http://${host}/item/${i}`,
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Host', value: host }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        cookies: [],
        content: { size: text.length, mimeType: 'application/json', text },
        redirectURL: '',
        headersSize: -1,
        bodySize: text.length,
      },
      cache: {},
      timings: { send: 0, wait: 1, receive: 1 },
    });
  }
  return JSON.stringify({
    log: { version: '1.2', creator: { name: 'har-generator', version: '1' }, entries },
  });
}
