/**
 * Requests between cells about what to look at, per lab state: "open this test digit (or my drawing) in Inside"
 * (from the mistakes gallery or the draw pad) and "this feature map's filter" (hovering a map highlights the filter
 * that made it in the filters cell). Plain pub/sub beside the lab state; nothing here is persisted.
 */
import type { Split } from '../data/mnist';
import type { LabState } from '../state/lab-state';

/** What Inside should show: a data-set digit, or the learner's drawing. */
export type InspectTarget = { kind: 'digit'; split: Split; index: number } | { kind: 'drawing' };

/** A conv layer's filter: the one that made feature map `channel` of that layer. */
export interface FilterRef {
  layerName: string;
  channel: number;
}

type Listener = () => void;

interface Focus {
  pending: InspectTarget | null;
  highlight: FilterRef | null;
  listeners: Set<Listener>;
}

const focuses = new WeakMap<LabState, Focus>();

function focusOf(state: LabState): Focus {
  let focus = focuses.get(state);
  if (!focus) focuses.set(state, (focus = { pending: null, highlight: null, listeners: new Set() }));
  return focus;
}

function notify(focus: Focus): void {
  for (const l of [...focus.listeners]) l();
}

/** Asks Inside to show `target` (a digit also becomes the lab's selected digit). */
export function requestInspection(state: LabState, target: InspectTarget): void {
  if (target.kind === 'digit') state.set('selectedDigit', { split: target.split, index: target.index });
  const focus = focusOf(state);
  focus.pending = target;
  notify(focus);
}

/** The request not yet taken up, taken (a second call returns null). */
export function takeInspection(state: LabState): InspectTarget | null {
  const focus = focusOf(state);
  const target = focus.pending;
  focus.pending = null;
  return target;
}

export function highlightFilter(state: LabState, filter: FilterRef | null): void {
  const focus = focusOf(state);
  if (focus.highlight?.layerName === filter?.layerName && focus.highlight?.channel === filter?.channel) return;
  focus.highlight = filter;
  notify(focus);
}

export function highlightedFilter(state: LabState): FilterRef | null {
  return focusOf(state).highlight;
}

/** Calls `listener` on every request or highlight change; returns the unsubscribe function. */
export function subscribeFocus(state: LabState, listener: Listener): () => void {
  const focus = focusOf(state);
  focus.listeners.add(listener);
  return () => focus.listeners.delete(listener);
}
