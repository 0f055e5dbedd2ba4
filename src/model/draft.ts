/**
 * The model editor's draft as pure operations: a list of layers with stable keys (so a row's DOM and focus follow
 * a layer when it moves), edited without mutation. The editor keeps the messages and focus; these keep the maths.
 */
import { parseModelSpec } from './parse';
import { defaultLayer, MODEL_SPEC_VERSION, PRESETS, type LayerSpec, type LayerType, type ModelSpec, type PresetId } from './spec';

export interface DraftLayer {
  /** Stable identity for the editor's row. */
  readonly key: number;
  readonly spec: LayerSpec;
}

export type Draft = readonly DraftLayer[];

let nextKey = 1;

/** A fresh draft of copies of `layers`, each with a new key. */
export function toDraft(layers: readonly LayerSpec[]): DraftLayer[] {
  return layers.map((spec) => ({ key: nextKey++, spec: { ...spec } }));
}

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
const PRESET_NAMES = new Set(PRESET_IDS.map((id) => PRESETS[id].spec.name));

/** The spec the draft stands for; an empty name is "custom". */
export function draftSpec(draft: Draft, name: string): ModelSpec {
  return { version: MODEL_SPEC_VERSION, name: name.trim() || 'custom', layers: draft.map((d) => d.spec) };
}

/** A preset's name no longer fits once its layers were edited. */
export function nameAfterEdit(name: string): string {
  return PRESET_NAMES.has(name) ? 'custom' : name;
}

export const sameLayers = (a: ModelSpec, b: ModelSpec): boolean => JSON.stringify(a.layers) === JSON.stringify(b.layers);

/** The preset whose layers the spec has, if any. */
export function presetOf(spec: ModelSpec): PresetId | undefined {
  return PRESET_IDS.find((id) => sameLayers(PRESETS[id].spec, spec));
}

/** The draft with one layer's settings changed. */
export function updateLayer(draft: Draft, index: number, patch: Partial<LayerSpec>): DraftLayer[] {
  return draft.map((d, i) => (i === index ? { key: d.key, spec: { ...d.spec, ...patch } as LayerSpec } : d));
}

/** The draft with the layer at `from` moved to `to`, or null when that is no move (same place, outside the list). */
export function moveLayer(draft: Draft, from: number, to: number): DraftLayer[] | null {
  if (from === to || from < 0 || from >= draft.length || to < 0 || to >= draft.length) return null;
  const next = [...draft];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** Where a dragged layer lands when dropped before or after the layer at `target`. */
export function dropIndex(from: number, target: number, before: boolean): number {
  const to = target + (before ? 0 : 1);
  return to > from ? to - 1 : to;
}

/** The draft without the layer at `index`, the removed layer, and the one that takes its place (for focus). */
export function removeLayer(draft: Draft, index: number): { draft: DraftLayer[]; removed: DraftLayer; neighbour: DraftLayer | null } {
  const next = [...draft];
  const [removed] = next.splice(index, 1);
  return { draft: next, removed, neighbour: next[Math.min(index, next.length - 1)] ?? null };
}

/** Where a new layer goes unless the learner says: just before the first Flatten (on the last image-shaped block). */
export function defaultInsertAfter(draft: Draft): number {
  const flatten = draft.findIndex((d) => d.spec.type === 'flatten');
  return flatten >= 0 ? flatten - 1 : draft.length - 1;
}

/** The draft with a new layer of `type` after index `after` (-1: first); `at` is its index. */
export function insertLayer(draft: Draft, after: number, type: LayerType): { draft: DraftLayer[]; item: DraftLayer; at: number } {
  const at = Math.max(0, Math.min(after, draft.length - 1) + 1);
  const item = { key: nextKey++, spec: defaultLayer(type) };
  const next = [...draft];
  next.splice(at, 0, item);
  return { draft: next, item, at };
}

export type ParsedSpecText = { ok: true; spec: ModelSpec } | { ok: false; message: string };

/** Reads a model from JSON text (pasted or a file called `source`), with a message a learner understands. */
export function parseSpecText(text: string, source: string): ParsedSpecText {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Nothing was changed.` };
  }
  const spec = parseModelSpec(raw);
  if (!spec) {
    return {
      ok: false,
      message: `${source} is not a Digit Lab model: it needs "version": ${MODEL_SPEC_VERSION} and a "layers" list of known layers with their settings. Nothing was changed.`,
    };
  }
  return { ok: true, spec };
}
