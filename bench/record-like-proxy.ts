/**
 * One exchange recorded through an ExchangeWriter in the order the proxy makes its calls
 * (main/core/proxy/forward-exchange.ts and its response half, response-relay.ts): request
 * bytes and head, request end (which makes the state request-complete), response head,
 * then body, the completed response, finish.
 * Shared by the benches that feed a store the way proxied traffic does.
 */
import type { MessageRecord } from '../shared/model/exchange';
import type { ExchangeWriter } from '../main/core/store/recorder-types';

export interface ProxiedTemplate {
  request: Uint8Array;
  /** Head and body of the response as one buffer; `headEnd` splits them. */
  response: Uint8Array;
  headEnd: number;
  mq: Omit<MessageRecord, 'rawLength'>;
  mr: Omit<MessageRecord, 'rawLength'>;
}

export function recordLikeProxy(w: ExchangeWriter, t: ProxiedTemplate): void {
  w.appendRequest(t.request);
  w.setRequest(t.mq);
  w.mark('requestEnd');
  w.mark('responseStart');
  w.appendResponse(t.response.subarray(0, t.headEnd));
  w.setResponse(t.mr);
  w.setState('response-head');
  w.appendResponse(t.response.subarray(t.headEnd));
  w.mark('responseEnd');
  w.setResponse(t.mr);
  w.finish();
}
