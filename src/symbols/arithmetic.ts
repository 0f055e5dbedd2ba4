/**
 * Reads a line of recognised characters as arithmetic: digits make numbers, and classes named like an operator
 * (+, − or -, × or x or *, ÷ or / or :, =) are operators. "12+7=" becomes "12 + 7 = 19"; × and ÷ go before + and −.
 * Anything else is read as plain text.
 */
export type Operator = '+' | '−' | '×' | '÷';

const OPERATORS: Record<string, Operator | '='> = {
  '+': '+',
  '−': '−',
  '-': '−',
  '–': '−',
  '×': '×',
  x: '×',
  X: '×',
  '*': '×',
  '÷': '÷',
  '/': '÷',
  ':': '÷',
  '=': '=',
};

/** The operator a class name stands for, or null. */
export function operatorFor(label: string): Operator | '=' | null {
  return OPERATORS[label.trim()] ?? null;
}

type Token = { kind: 'number'; value: number; text: string } | { kind: 'op'; op: Operator } | { kind: 'equals' };

export interface LineReading {
  /** What was read, spaced: "12 + 7 = 19", or the characters as read ("A B 7"). */
  text: string;
  /** The value of the sum, when the line is one. */
  value: number | null;
  /** Why a line of digits and operators could not be worked out, or how it compares with the answer written. */
  note: string | null;
}

/** A result as a person writes it: whole numbers exactly, others to at most 6 decimals. */
export function formatResult(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

function tokenize(labels: readonly string[]): Token[] | null {
  const tokens: Token[] = [];
  for (const label of labels) {
    if (/^\d$/.test(label)) {
      const last = tokens.at(-1);
      if (last?.kind === 'number') {
        last.text += label;
        last.value = Number(last.text);
      } else tokens.push({ kind: 'number', value: Number(label), text: label });
      continue;
    }
    const op = operatorFor(label);
    if (op === null) return null;
    tokens.push(op === '=' ? { kind: 'equals' } : { kind: 'op', op });
  }
  return tokens;
}

/** Evaluates number (op number)* with × ÷ before + −; throws a message for a line that is no sum. */
function evaluate(tokens: Token[]): number {
  if (tokens.length === 0) throw new Error('There is nothing before the “=”.');
  const values: number[] = [];
  const ops: Operator[] = [];
  let expectNumber = true;
  let negate = false;
  for (const token of tokens) {
    if (expectNumber) {
      if (token.kind === 'number') {
        values.push(negate ? -token.value : token.value);
        negate = false;
        expectNumber = false;
      } else if (token.kind === 'op' && token.op === '−' && values.length === 0 && !negate) {
        negate = true;
      } else {
        throw new Error(token.kind === 'op' ? `A number is missing before “${token.op}”.` : 'A number is missing before “=”.');
      }
    } else if (token.kind === 'op') {
      ops.push(token.op);
      expectNumber = true;
    } else {
      throw new Error('Two numbers follow each other without an operator.');
    }
  }
  if (expectNumber) throw new Error(`A number is missing after “${ops.at(-1) ?? '−'}”.`);
  // × and ÷ first, left to right; then + and −.
  const sums: number[] = [values[0]];
  const signs: Operator[] = [];
  ops.forEach((op, i) => {
    const next = values[i + 1];
    if (op === '×' || op === '÷') {
      if (op === '÷' && next === 0) throw new Error('It divides by zero, which has no answer.');
      sums[sums.length - 1] = op === '×' ? sums[sums.length - 1] * next : sums[sums.length - 1] / next;
    } else {
      signs.push(op);
      sums.push(next);
    }
  });
  return sums.slice(1).reduce((total, v, i) => (signs[i] === '+' ? total + v : total - v), sums[0]);
}

const spaced = (tokens: Token[]) => tokens.map((t) => (t.kind === 'number' ? t.text : t.kind === 'op' ? t.op : '=')).join(' ');

/** Reads the labels of a line, left to right. */
export function readLine(labels: readonly string[]): LineReading {
  if (labels.length === 0) return { text: '', value: null, note: null };
  const tokens = tokenize(labels);
  const plain = { text: labels.join(' '), value: null };
  if (!tokens) return { ...plain, note: null };
  if (!tokens.some((t) => t.kind !== 'number')) return { text: spaced(tokens), value: null, note: null };
  const equals = tokens.findIndex((t) => t.kind === 'equals');
  if (equals >= 0 && tokens.slice(equals + 1).some((t) => t.kind !== 'number')) {
    return { ...plain, note: 'The line has something after its answer: write one sum ending with “=”.' };
  }
  const left = equals >= 0 ? tokens.slice(0, equals) : tokens;
  let value: number;
  try {
    value = evaluate(left);
  } catch (error) {
    return { text: spaced(tokens), value: null, note: `Not a sum I can work out: ${(error as Error).message}` };
  }
  const written = equals >= 0 ? tokens[equals + 1] : undefined;
  if (written?.kind === 'number') {
    const right = Math.abs(written.value - value) < 1e-9;
    return { text: spaced(tokens), value, note: right ? 'The answer written is right.' : `The answer written is wrong: it is ${formatResult(value)}.` };
  }
  return { text: `${spaced(left)} = ${formatResult(value)}`, value, note: null };
}
