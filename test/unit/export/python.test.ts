import { describe, expect, it } from 'vitest';
import { ExportError, markdownText, pyCommentText, pyIdentifier, pyInteger, pyNumber, pyString } from '../../../src/export/python';
import { pyCodeShape, pyEvalStrings } from './python-tools';

const HOSTILE = [
  'plain',
  'quote " and \' and \\ backslash',
  '"); import os; os.system("echo owned") #',
  'line\nbreak\r\nand\u2028separator\u2029too\u0085next\u000bvt\u000cff',
  'nul\u0000 and escape \u001b[31m',
  'ünïcödé — 数字 🙂',
  '\\N{LATIN SMALL LETTER A} {braces} %s',
  '"""triple"""',
  '\ud800 lone surrogate',
];

describe('pyString', () => {
  it('is an ASCII literal that Python reads back as exactly the same text', () => {
    const texts = HOSTILE.filter((t) => !/[\ud800-\udfff](?![\udc00-\udfff])/.test(t));
    const literals = texts.map(pyString);
    for (const literal of literals) expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
    expect(pyEvalStrings(literals)).toEqual(texts);
  });

  it('is a single string token, whatever the text', () => {
    const assignments = (texts: string[]) => texts.map((text, i) => `x${i} = ${pyString(text)}\n`).join('');
    expect(pyCodeShape(assignments(HOSTILE))).toBe(pyCodeShape(assignments(HOSTILE.map(() => ''))));
  });
});

describe('pyCommentText', () => {
  it('keeps a comment on one line with no control characters', () => {
    const comments = HOSTILE.map(pyCommentText);
    for (const comment of comments) expect(comment).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(pyCodeShape(`${comments.map((c) => `# ${c}\n`).join('')}x = 1\n`)).toBe(pyCodeShape('x = 1\n'));
  });

  it('defuses an encoding declaration, which on line 1 or 2 would make Python decode the file differently', () => {
    const name = 'coding: utf-7 +AAo-import os';
    const file = (comment: string) => `# ${comment}\n# ${comment}\nx = 1\n`;
    expect(pyCommentText(name)).not.toMatch(/coding[:=]/);
    expect(pyCodeShape(file(pyCommentText(name)))).toBe(pyCodeShape('x = 1\n'));
    // Undefused, Python reads the file as UTF-7, where "+AAo-" is a line break: the second comment would run code.
    expect(pyCodeShape(file(name))).toContain("Import(names=[alias(name='os')])");
  });
});

describe('numbers and names', () => {
  it('writes finite numbers and refuses everything else', () => {
    expect(pyNumber(0.003, 'x')).toBe('0.003');
    expect(pyNumber(1e-7, 'x')).toBe('1e-7');
    expect(pyNumber(-0, 'x')).toBe('0');
    for (const bad of [Number.NaN, Infinity, '1; import os', null, undefined, {}]) {
      expect(() => pyNumber(bad, 'The learning rate')).toThrow(ExportError);
    }
    expect(pyInteger(42, 'Seed', 0, 100)).toBe('42');
    for (const bad of [1.5, -1, 101, '42']) expect(() => pyInteger(bad, 'Seed', 0, 100)).toThrow(/Seed must be a whole number/);
  });

  it('makes identifiers of letters, digits and underscores only', () => {
    expect(pyIdentifier('dense only')).toBe('dense_only');
    expect(pyIdentifier('3 layers')).toBe('_3_layers');
    expect(pyIdentifier('"); import os #')).toBe('import_os');
    expect(pyIdentifier('数字')).toBe('model');
  });

  it('keeps Markdown inert: no HTML, links, headings or line breaks', () => {
    const text = markdownText('# <img src=x onerror=alert(1)> [link](javascript:alert(1))\n# heading');
    expect(text).not.toMatch(/[<>\n]/);
    expect(text).not.toMatch(/(^|[^\\])[[\]()#]/);
  });
});
