/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as Wirelens writes it.
 * Fields starting with `_` are custom extensions the spec allows; readers ignore them.
 */

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarCookie extends HarNameValue {
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

export interface HarPostData {
  mimeType: string;
  text: string;
  /** Not in HAR 1.2 for postData, but used by several tools (and us) for binary bodies. */
  encoding?: 'base64';
  params?: Array<{ name: string; value?: string; fileName?: string; contentType?: string }>;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  /** The request line exactly as sent (e.g. absolute-form through the proxy). */
  _startLine?: string;
  /** Base64 of all recorded bytes, only when the head could not be parsed (malformed). */
  _raw?: string;
}

export interface HarContent {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: 'base64';
  /** Why the body could not be decoded; `text` then holds the bytes as received. */
  _decodeError?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  _transferSize?: number;
  _startLine?: string;
  /** Base64 of all recorded bytes, only when the head could not be parsed (malformed). */
  _raw?: string;
}

export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  /** Failed exchanges keep their error here instead of being dropped. */
  _error?: { code: string; message: string };
  /** Wirelens extras: where the request was sent and how the exchange ended. */
  _wirelens?: {
    id: number;
    source: string;
    state: string;
    scheme: string;
    host: string;
    port: number;
    warnings?: string[];
  };
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages?: unknown[];
    entries: HarEntry[];
  };
}
