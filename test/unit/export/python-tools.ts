/** Test helpers that ask the machine's own Python 3 (no packages needed) about generated code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'digit-lab-export-'));
let files = 0;

function python(args: string[], input?: string): string {
  const result = spawnSync('python3', args, { input, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** Writes `code` as a UTF-8 file (so a coding declaration would take effect, as it would for a learner). */
function writeSource(code: string): string {
  const path = join(dir, `export-${++files}.py`);
  writeFileSync(path, code, 'utf8');
  return path;
}

/** Throws with Python's message unless `python3 -m py_compile` accepts the code. */
export function pyCompile(code: string): void {
  python(['-m', 'py_compile', writeSource(code)]);
}

const SHAPE = `
import ast, sys
with open(sys.argv[1], "rb") as f:
    tree = ast.parse(f.read())
for node in ast.walk(tree):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        node.value = ""
print(ast.dump(tree))
`;

/**
 * The file's syntax tree as Python parses a file (bytes, so a coding declaration takes effect), with every string
 * blanked and no comments: two exports with the same shape run the same code, whatever their texts say.
 */
export function pyCodeShape(code: string): string {
  return python(['-c', SHAPE, writeSource(code)]).trim();
}

/** The values of Python string literals, evaluated by Python. */
export function pyEvalStrings(literals: string[]): string[] {
  const program = `import json\nprint(json.dumps([${literals.join(', ')}]))\n`;
  return JSON.parse(python([writeSource(program)])) as string[];
}
