/**
 * How many JSON entries may still be shown opened at first, shared by one tree: small
 * documents open fully, big ones top-down until it runs out, so a large document never
 * renders tens of thousands of nodes at once.
 */
import type { InjectionKey } from 'vue';

export interface OpenBudget {
  left: number;
}

export const JSON_OPEN_BUDGET: InjectionKey<OpenBudget> = Symbol('json-open-budget');
export const JSON_OPEN_ENTRIES = 400;
