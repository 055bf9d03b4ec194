/**
 * A request aimed at the proxy's own address (a browser opening http://127.0.0.1:8080/,
 * or a misconfigured client) is answered here instead of being forwarded to ourselves,
 * which would loop until something ran out.
 */
import type { ParsedHead } from '../../../shared/http/parser-types';
import type { ClientSide, ExchangeDriver } from './client-side';
import { recordFromHead, type TrackedExchange } from './exchange-record';
import { syntheticResponse } from './synthetic-response';

export const SELF_PAGE_TEXT =
  'This is the Wirelens proxy.\n' +
  'Configure your browser or client to use this address as its HTTP proxy;\n' +
  'requests sent to the proxy itself are answered with this page, never forwarded.\n';

export class SelfAnswer implements ExchangeDriver {
  private done = false;

  constructor(
    private readonly client: ClientSide,
    private readonly ex: TrackedExchange,
    private readonly head: ParsedHead,
  ) {}

  requestBody(raw: Uint8Array): void {
    this.ex.appendRequest(raw);
  }

  requestEnd(wireBodyLength: number, trailers: Array<[string, string]>): void {
    this.ex.setRequest(
      recordFromHead(this.head, 0, wireBodyLength, {
        wireBodyLength,
        payloadLength: 0,
        trailers,
        warnings: [],
      }),
    );
    this.ex.mark('requestEnd');
    const keepAlive = this.head.keepAlive && !this.head.upgrade;
    const page = syntheticResponse(200, SELF_PAGE_TEXT, { close: !keepAlive });
    const bytes =
      this.head.method === 'HEAD'
        ? page.bytes.subarray(0, page.record.layout!.body.start)
        : page.bytes;
    this.ex.mark('responseStart');
    this.ex.appendResponse(bytes);
    this.ex.setResponse(page.record, 200);
    this.ex.mark('responseEnd');
    this.client.write(bytes);
    this.finish(keepAlive);
  }

  tunnelUp(): void {
    // An upgrade request to the proxy itself: nothing to relay.
  }

  clientBodyError(message: string, rest: Uint8Array): void {
    this.ex.appendRequest(rest);
    if (this.done) return;
    this.done = true;
    this.ex.fail({ code: 'CLIENT_PARSE_ERROR', message });
    this.client.done(false);
  }

  clientClosed(): void {
    if (this.done) return;
    this.done = true;
    this.ex.fail({
      code: 'CLIENT_ABORTED',
      message: 'the client closed the connection mid-request',
    });
  }

  abort(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.ex.fail({ code: 'INTERNAL', message: reason });
    this.client.destroy();
  }

  private finish(keepAlive: boolean): void {
    if (this.done) return;
    this.done = true;
    this.ex.finish();
    this.client.done(keepAlive);
  }
}
