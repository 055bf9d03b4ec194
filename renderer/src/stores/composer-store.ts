/**
 * The composer: tabs of editable requests, each with its target, send options and a
 * history of sends. The raw text is the single source of truth; the structured editor
 * reads `parts` (split from the text) and writes back by joining — so the two editors
 * can never disagree.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { SendResult, SendTarget } from '../../../shared/api/inspector-api';
import type { ExchangeDetail, MessageRecord } from '../../../shared/model/exchange';
import {
  concatBytes,
  crlfHead,
  decodeForEditing,
  encodedLength,
  encodeText,
  originForm,
  headText,
  joinRequestText,
  requestWarnings,
  splitRequestText,
  type RequestParts,
  withoutProxyHeaders,
} from '../lib/request-text';
import { bytesReader, createBodyLoader, SLICE_BYTES, type SliceReader } from './body-loader';
import { errorText, inspectorClient } from './client';

export interface SendRecord {
  sentAt: number;
  requestText: string;
  result: SendResult | null;
  /** The recorded exchange (when the sender stored one): drives the three-block view. */
  detail: ExchangeDetail | null;
  error: string | null;
}

export interface ComposerTab {
  id: number;
  title: string;
  raw: string;
  encoding: 'utf-8' | 'latin1';
  target: Required<SendTarget>;
  fixContentLength: boolean;
  /** Send the bytes exactly as typed: no Content-Length fix, no line-ending repair. */
  sendExactly: boolean;
  sendId: string | null;
  history: SendRecord[];
  shown: number;
}

const NEW_REQUEST = 'GET / HTTP/1.1\nHost: example.com\nUser-Agent: Wirelens\nAccept: */*\n\n';

export const useComposerStore = defineStore('composer', () => {
  const tabs = ref<ComposerTab[]>([]);
  const activeId = ref<number | null>(null);
  const openError = ref<string | null>(null);
  let nextId = 1;
  let sendCounter = 0;

  const active = computed(() => tabs.value.find((t) => t.id === activeId.value) ?? null);
  const parts = computed<RequestParts | null>(() =>
    active.value ? splitRequestText(active.value.raw) : null,
  );
  const warnings = computed(() => {
    const tab = active.value;
    if (!tab || !parts.value) return [];
    const bodyBytes = encodedLength(parts.value.body, tab.encoding);
    const fix = tab.fixContentLength && !tab.sendExactly;
    return requestWarnings(parts.value, fix, bodyBytes, tab.sendExactly);
  });
  const shownRecord = computed(() => {
    const tab = active.value;
    return tab ? (tab.history[tab.shown] ?? null) : null;
  });

  /** The response of the shown send, as a message record plus a body reader. */
  const response = shallowRef<MessageRecord | null>(null);
  let responseReader: SliceReader | null = null;
  const responseBody = createBodyLoader(() => responseReader);

  function addTab(
    title: string,
    raw: string,
    target: Required<SendTarget>,
    encoding: 'utf-8' | 'latin1' = 'utf-8',
  ): ComposerTab {
    const tab: ComposerTab = {
      id: nextId++,
      title,
      raw,
      encoding,
      target,
      fixContentLength: true,
      sendExactly: false,
      sendId: null,
      history: [],
      shown: -1,
    };
    tabs.value.push(tab);
    activeId.value = tab.id;
    showRecord(null);
    return tab;
  }

  function newRequest(): ComposerTab {
    return addTab('New request', NEW_REQUEST, {
      host: 'example.com',
      port: 80,
      tls: false,
      servername: '',
      verify: true,
    });
  }

  /** "Edit and resend": the captured request's head and raw body bytes, target prefilled. */
  async function openExchange(id: number): Promise<ComposerTab | null> {
    openError.value = null;
    try {
      const client = inspectorClient();
      const detail = await client.getExchange(id);
      if (!detail?.request) throw new Error(`Exchange #${id} has no recorded request.`);
      const chunks: Uint8Array[] = [];
      let offset = 0;
      for (;;) {
        const slice = await client.readBody({
          id,
          side: 'request',
          view: 'raw',
          offset,
          length: SLICE_BYTES,
        });
        chunks.push(slice.bytes);
        offset += slice.bytes.length;
        if (!slice.bytes.length || offset >= slice.total) break;
      }
      const body = decodeForEditing(concatBytes(chunks));
      // A request sent to a proxy opens as the origin got it: origin-form, without the
      // headers meant for the proxy.
      const startLine = originForm(detail.request.startLine);
      const headers =
        startLine === detail.request.startLine
          ? detail.request.headers
          : withoutProxyHeaders(detail.request.headers);
      const raw = `${headText(startLine, headers)}\n\n${body.text}`;
      const s = detail.summary;
      const t = detail.connection?.target;
      const tls = t ? t.tls : s.scheme === 'https';
      const host = t?.host ?? s.host;
      return addTab(
        `#${id} ${s.method} ${s.path}`.slice(0, 40),
        raw,
        {
          host,
          port: t?.port ?? s.port,
          tls,
          servername: detail.connection?.tls?.sni ?? (tls ? host : ''),
          verify: true,
        },
        body.encoding,
      );
    } catch (e) {
      openError.value = `Could not open #${id} in the composer: ${errorText(e)}`;
      return null;
    }
  }

  /** Opens composed request bytes (e.g. from a cURL command) in a new tab, target set. */
  function openRequest(title: string, raw: Uint8Array, target: SendTarget): ComposerTab {
    const { text, encoding } = decodeForEditing(raw);
    const end = text.indexOf('\r\n\r\n');
    // The editor works with LF lines (send turns them back into CR LF); the body stays as is.
    const edited =
      end === -1
        ? text.replace(/\r\n/g, '\n')
        : `${text.slice(0, end).replace(/\r\n/g, '\n')}\n\n${text.slice(end + 4)}`;
    return addTab(
      title,
      edited,
      {
        host: target.host,
        port: target.port,
        tls: target.tls,
        servername: target.servername ?? (target.tls ? target.host : ''),
        verify: target.verify ?? true,
      },
      encoding,
    );
  }

  function activate(id: number): void {
    activeId.value = id;
    const tab = active.value;
    showRecord(tab ? (tab.history[tab.shown] ?? null) : null);
  }

  function closeTab(id: number): void {
    const i = tabs.value.findIndex((t) => t.id === id);
    if (i === -1) return;
    tabs.value.splice(i, 1);
    if (activeId.value === id) {
      const next = tabs.value[Math.min(i, tabs.value.length - 1)];
      if (next) activate(next.id);
      else {
        activeId.value = null;
        showRecord(null);
      }
    }
  }

  function setRaw(text: string): void {
    if (active.value) active.value.raw = text;
  }

  /** Writes the CRs that repairing would add into the text, so "send exactly" keeps them. */
  function crlfInHead(): void {
    if (active.value) active.value.raw = crlfHead(active.value.raw);
  }

  /** Structured edits: change the parts, the raw text is rebuilt from them. */
  function updateParts(change: (p: RequestParts) => void): void {
    const tab = active.value;
    if (!tab) return;
    const p = splitRequestText(tab.raw);
    change(p);
    tab.raw = joinRequestText(p);
  }

  async function send(): Promise<SendRecord | null> {
    const tab = active.value;
    if (!tab || tab.sendId) return null;
    const sendId = `composer-${tab.id}-${++sendCounter}-${Date.now()}`;
    tab.sendId = sendId;
    const requestText = tab.raw;
    // Repairing line endings touches the head only: a typed or reopened body goes as it is.
    const raw = encodeText(tab.sendExactly ? requestText : crlfHead(requestText), tab.encoding);
    const record: SendRecord = {
      sentAt: Date.now(),
      requestText,
      result: null,
      detail: null,
      error: null,
    };
    try {
      const target: SendTarget = { ...tab.target, servername: tab.target.servername || undefined };
      const result = await inspectorClient().send({
        raw,
        target,
        sendId,
        options: {
          fixContentLength: tab.fixContentLength && !tab.sendExactly,
          normalizeLineEndings: !tab.sendExactly,
        },
      });
      record.result = markRaw(result);
      if (result.error) record.error = result.error.message;
      if (result.exchangeId !== null) {
        const detail = await inspectorClient().getExchange(result.exchangeId);
        record.detail = detail ? markRaw(detail) : null;
      }
    } catch (e) {
      record.error = errorText(e);
    } finally {
      tab.sendId = null;
    }
    tab.history.push(record);
    tab.shown = tab.history.length - 1;
    if (activeId.value === tab.id) showRecord(record);
    return record;
  }

  async function cancel(): Promise<void> {
    const id = active.value?.sendId;
    if (id)
      await inspectorClient()
        .cancelSend(id)
        .catch(() => false);
  }

  function showHistory(index: number): void {
    const tab = active.value;
    if (!tab || !tab.history[index]) return;
    tab.shown = index;
    showRecord(tab.history[index]);
  }

  function showRecord(record: SendRecord | null): void {
    const detail = record?.detail;
    const result = record?.result;
    if (detail?.response) {
      const id = detail.summary.id;
      response.value = detail.response;
      responseReader = (q) => inspectorClient().readBody({ id, side: 'response', ...q });
    } else if (result?.response) {
      const r = result.response;
      response.value = markRaw({
        startLine: r.startLine,
        headers: r.headers,
        rawLength: r.raw.length,
        issues: [],
        complete: true,
      });
      responseReader = bytesReader(r.raw.subarray(r.bodyOffset));
    } else {
      response.value = null;
      responseReader = null;
    }
    void responseBody.load('decoded');
  }

  return {
    tabs,
    activeId,
    active,
    parts,
    warnings,
    shownRecord,
    openError,
    response,
    responseBody: responseBody.state,
    loadResponseBody: responseBody.load,
    newRequest,
    openExchange,
    openRequest,
    activate,
    closeTab,
    setRaw,
    crlfInHead,
    updateParts,
    send,
    cancel,
    showHistory,
  };
});
