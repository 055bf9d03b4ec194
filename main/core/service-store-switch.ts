/**
 * The service's store behind one fixed object, so "Open capture" can put a new store in
 * place while the proxy, the sender and the UI's event subscription keep the reference
 * they were given. Writers handed out by the previous store keep writing to it; it is
 * closed, so what they write is dropped (an exchange in flight across the swap is lost,
 * the proxy itself keeps working into the new store).
 */
import type {
  BodySlice,
  BodySliceQuery,
  InspectorEvent,
  ListQuery,
  ListResult,
  MessageSide,
} from '../../shared/api/inspector-api';
import type { ConnectionRecord, ExchangeDetail } from '../../shared/model/exchange';
import type { StorePart } from './service-parts';
import { importInto, type ImportExchangeInput } from './store/import-exchange';
import type { ExchangeWriter, NewExchange } from './store/recorder-types';

export class StoreSwitch implements StorePart {
  private readonly listeners = new Set<(event: InspectorEvent) => void>();
  private unsubscribe: () => void;

  constructor(private current: StorePart) {
    this.unsubscribe = this.follow(current);
  }

  /** The store in place now (what the parts work on). */
  get inner(): StorePart {
    return this.current;
  }

  get size(): number | undefined {
    return this.current.size;
  }

  /** Puts `next` in place; events now come from it. The caller closed the previous one. */
  replace(next: StorePart): void {
    this.unsubscribe();
    this.current = next;
    this.unsubscribe = this.follow(next);
  }

  openConnection(init: Omit<ConnectionRecord, 'id'>): number {
    return this.current.openConnection(init);
  }

  updateConnection(id: number, patch: Partial<Omit<ConnectionRecord, 'id'>>): void {
    this.current.updateConnection(id, patch);
  }

  startExchange(init: NewExchange): ExchangeWriter {
    return this.current.startExchange(init);
  }

  get writesBehind(): boolean {
    return this.current.writesBehind ?? false;
  }

  whenCaughtUp(callback: () => void): void {
    if (this.current.whenCaughtUp) this.current.whenCaughtUp(callback);
    else callback();
  }

  importExchange(input: ImportExchangeInput): number {
    const store = this.current;
    return store.importExchange ? store.importExchange(input) : importInto(store, input);
  }

  list(query: ListQuery): ListResult | Promise<ListResult> {
    return this.current.list(query);
  }

  get(id: number): ExchangeDetail | null | Promise<ExchangeDetail | null> {
    return this.current.get(id);
  }

  readBody(query: BodySliceQuery): Promise<BodySlice> {
    return this.current.readBody(query);
  }

  async readRaw(id: number, side: MessageSide): Promise<Uint8Array | null> {
    return this.current.readRaw ? this.current.readRaw(id, side) : null;
  }

  subscribe(listener: (event: InspectorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clear(): void | Promise<void> {
    return this.current.clear();
  }

  close(): void | Promise<void> {
    this.unsubscribe();
    return this.current.close();
  }

  private follow(store: StorePart): () => void {
    return store.subscribe((event) => {
      for (const listener of [...this.listeners]) listener(event);
    });
  }
}
