import { describe, expect, it } from 'vitest';
import {
  addClass,
  addExample,
  checkClassName,
  ClassSetError,
  EMPTY_CLASS_SET,
  flattenExamples,
  MAX_CLASSES,
  parseClassSet,
  removeClass,
  removeExample,
  type ClassSet,
} from '../../../src/symbols/class-set';

const ink = (v = 1) => new Float32Array(784).fill(0).fill(v, 300, 320);

describe('class names', () => {
  it('accepts symbols and words, trimmed', () => {
    expect(checkClassName('  +  ', EMPTY_CLASS_SET)).toEqual({ ok: true, name: '+' });
    expect(checkClassName('not a digit', EMPTY_CLASS_SET)).toEqual({ ok: true, name: 'not a digit' });
    expect(checkClassName('×', EMPTY_CLASS_SET)).toEqual({ ok: true, name: '×' });
  });

  it('refuses an empty name, a 10 KB name (without repeating it), HTML, control characters, digits and duplicates, each with a reason', () => {
    const refuse = (name: string, set: ClassSet = EMPTY_CLASS_SET) => {
      const check = checkClassName(name, set);
      expect(check.ok).toBe(false);
      return (check as { message: string }).message;
    };
    expect(refuse('   ')).toMatch(/Give the class a name/);
    const huge = 'A'.repeat(10 * 1024);
    const message = refuse(huge);
    expect(message).toBe('That name is 10,240 characters long: use at most 24.');
    expect(message.length).toBeLessThan(80);
    expect(refuse('<img src=x onerror=alert(1)>')).toMatch(/cannot contain < or >: HTML is not allowed/);
    expect(refuse('<b>')).toMatch(/HTML/);
    expect(refuse('a\nb')).toMatch(/line breaks or control characters/);
    expect(refuse('7')).toMatch(/“7” is a digit/);
    expect(refuse('+', addClass(EMPTY_CLASS_SET, '+'))).toBe('There is already a class called “+”.');
  });

  it('takes at most 16 classes; a refused change leaves the set as it was', () => {
    let set = EMPTY_CLASS_SET;
    for (let i = 0; i < MAX_CLASSES; i++) set = addClass(set, `c${i}`);
    expect(() => addClass(set, 'one more')).toThrow(/16 classes already/);
    expect(() => addClass(set, '<script>')).toThrow(ClassSetError);
    expect(set.classes).toHaveLength(MAX_CLASSES);
  });
});

describe('examples', () => {
  it('are kept as 28×28 bytes, removed by position, and flattened in class order', () => {
    let set = addClass(addClass(EMPTY_CLASS_SET, '+'), '×');
    set = addExample(set, '+', ink(1));
    set = addExample(set, '×', ink(0.5));
    set = addExample(set, '+', ink(0.2));
    expect(set.classes[0].examples).toHaveLength(2);
    expect(set.classes[0].examples[0][310]).toBe(255);
    expect(set.classes[1].examples[0][310]).toBe(128);
    const flat = flattenExamples(set);
    expect(Array.from(flat.labels)).toEqual([0, 0, 1]);
    expect(flat.images[784 * 2 + 310]).toBe(128);
    const fewer = removeExample(set, '+', 0);
    expect(fewer.classes[0].examples[0][310]).toBe(51);
    expect(set.classes[0].examples).toHaveLength(2);
    expect(removeClass(set, '+').classes.map((c) => c.name)).toEqual(['×']);
  });

  it('refuses an empty drawing, a wrong size, an unknown class and a missing position', () => {
    const set = addClass(EMPTY_CLASS_SET, '+');
    expect(() => addExample(set, '+', new Float32Array(784))).toThrow(/empty/);
    expect(() => addExample(set, '+', new Float32Array(100))).toThrow(/784 pixels/);
    expect(() => addExample(set, '=', ink())).toThrow(/no class called “=”/);
    expect(() => removeExample(set, '+', 0)).toThrow(/no drawing number 1/);
  });
});

describe('a class set read back from storage or a file', () => {
  it('comes back as it was, and a damaged or unsafe one is refused', () => {
    const set = addExample(addClass(EMPTY_CLASS_SET, '='), '=', ink());
    expect(parseClassSet(structuredClone(set))).toEqual(set);
    expect(() => parseClassSet({})).toThrow(/no list of classes/);
    expect(() => parseClassSet({ classes: [{ name: '<b>x</b>', examples: [] }] })).toThrow(/HTML/);
    expect(() => parseClassSet({ classes: [{ name: 'ok', examples: [new Uint8Array(10)] }] })).toThrow(/not a 28×28 image/);
    expect(() => parseClassSet({ classes: [{ name: 'a', examples: [] }, { name: 'a', examples: [] }] })).toThrow(/already a class/);
  });
});
