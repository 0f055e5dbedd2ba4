import { describe, expect, it } from 'vitest';
import {
  defaultInsertAfter,
  draftSpec,
  dropIndex,
  insertLayer,
  moveLayer,
  nameAfterEdit,
  parseSpecText,
  presetOf,
  removeLayer,
  toDraft,
  updateLayer,
} from '../../../src/model/draft';
import { CLASSIC_SPEC, SMALL_SPEC } from '../../../src/model/spec';

const types = (draft: readonly { spec: { type: string } }[]) => draft.map((d) => d.spec.type);

describe('draft operations', () => {
  it('gives every layer its own key and copies the specs', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    expect(new Set(draft.map((d) => d.key)).size).toBe(6);
    expect(draft[0].spec).toEqual(SMALL_SPEC.layers[0]);
    expect(draft[0].spec).not.toBe(SMALL_SPEC.layers[0]);
    expect(toDraft(SMALL_SPEC.layers)[0].key).not.toBe(draft[0].key);
  });

  it('builds the spec, naming an unnamed model "custom"', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    expect(draftSpec(draft, '  my net ')).toEqual({ ...SMALL_SPEC, name: 'my net' });
    expect(draftSpec(draft, ' ').name).toBe('custom');
  });

  it('knows the presets, and forgets a preset name once edited', () => {
    expect(presetOf(CLASSIC_SPEC)).toBe('classic');
    expect(presetOf({ ...SMALL_SPEC, name: 'renamed' })).toBe('small');
    expect(presetOf({ ...SMALL_SPEC, layers: SMALL_SPEC.layers.slice(1) })).toBeUndefined();
    expect(nameAfterEdit('small')).toBe('custom');
    expect(nameAfterEdit('my net')).toBe('my net');
  });

  it('updates one layer without touching the others or the original', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    const next = updateLayer(draft, 2, { filters: 32 });
    expect(next[2].spec).toEqual({ ...SMALL_SPEC.layers[2], filters: 32 });
    expect(next[2].key).toBe(draft[2].key);
    expect(next[0]).toBe(draft[0]);
    expect(draft[2].spec).toEqual(SMALL_SPEC.layers[2]);
  });

  it('moves a layer, keeping its key; no move is null', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    const next = moveLayer(draft, 1, 0)!;
    expect(types(next)).toEqual(['maxPool2d', 'conv2d', 'conv2d', 'maxPool2d', 'flatten', 'dense']);
    expect(next[0].key).toBe(draft[1].key);
    expect(moveLayer(draft, 0, -1)).toBeNull();
    expect(moveLayer(draft, 5, 6)).toBeNull();
    expect(moveLayer(draft, 2, 2)).toBeNull();
  });

  it('finds where a dropped layer lands', () => {
    // Dragging layer 1 (index 0) onto the lower half of layer 3 (index 2): it lands at index 2.
    expect(dropIndex(0, 2, false)).toBe(2);
    expect(dropIndex(0, 2, true)).toBe(1);
    // Dragging upwards: before layer 1 is index 0.
    expect(dropIndex(3, 0, true)).toBe(0);
    expect(dropIndex(3, 0, false)).toBe(1);
  });

  it('removes a layer and names the neighbour that takes its place', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    const { draft: next, removed, neighbour } = removeLayer(draft, 5);
    expect(removed.spec.type).toBe('dense');
    expect(neighbour?.key).toBe(draft[4].key);
    expect(next).toHaveLength(5);
    expect(removeLayer(toDraft([SMALL_SPEC.layers[0]]), 0).neighbour).toBeNull();
  });

  it('inserts a default layer just before the Flatten unless told where', () => {
    const draft = toDraft(SMALL_SPEC.layers);
    expect(defaultInsertAfter(draft)).toBe(3);
    const { draft: next, item, at } = insertLayer(draft, defaultInsertAfter(draft), 'dropout');
    expect(at).toBe(4);
    expect(next[4]).toBe(item);
    expect(item.spec).toEqual({ type: 'dropout', rate: 0.25 });
    expect(insertLayer(draft, -1, 'batchNorm').at).toBe(0);
    expect(insertLayer(draft, 99, 'flatten').at).toBe(6);
    expect(defaultInsertAfter(toDraft([{ type: 'dense', units: 10 }]))).toBe(0);
  });

  it('reads a model from JSON text, or says what is wrong', () => {
    const ok = parseSpecText(JSON.stringify(SMALL_SPEC), 'x.json');
    expect(ok).toEqual({ ok: true, spec: SMALL_SPEC });
    const broken = parseSpecText('{"version": 1, "layers": [', 'The pasted text');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^The pasted text is not valid JSON \(.+\)\. Nothing was changed\.$/);
    const unknown = parseSpecText('{"version": 1, "layers": [{"type": "lstm"}]}', 'model.json');
    expect(!unknown.ok && unknown.message).toContain('model.json is not a Digit Lab model');
  });
});
