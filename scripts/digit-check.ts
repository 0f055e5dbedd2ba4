// `npx tsx scripts/digit-check.ts`: fits the "not a digit" check for the shipped model (data/model/) on the WASM
// backend and writes data/model/digit-check.json with the model's fingerprint and what was measured: the share of
// the 10,000 MNIST test digits it turns away (as they are, and as the draw pad shows them), and how many fresh
// non-digits (seeds not used to fit it) it catches.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initBackend } from '../src/backend/backend';
import { nodeWasmPaths } from '../src/backend/node-wasm';
import { fileFetch, loadPreparedMnist } from '../src/data/node';
import { seededRandom } from '../src/data/random';
import { chainLayers } from '../src/inspect/activations';
import { calibrateDigitCheck, featureRows, judge } from '../src/inspect/digit-check';
import { modelFingerprint } from '../src/inspect/lab-insight';
import { asOnPad, makeNonDigits } from '../src/inspect/non-digits';
import { loadShippedModel } from '../src/model/shipped';

const BASE = 'http://lab.local/model/';
const files = fileFetch(resolve('data/model'));
const modelFetch = ((input: RequestInfo | URL) => files(String(input).replace(BASE, ''))) as typeof fetch;

await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
const lab = await loadShippedModel(BASE, { fetch: modelFetch });
const dataset = await loadPreparedMnist();
const layers = chainLayers(lab.model);
const started = performance.now();
const check = await calibrateDigitCheck(layers, dataset.train.images, { onProgress: (f) => process.stdout.write(`\rcalibrating ${Math.floor(f * 100)}%  `) });
const seconds = (performance.now() - started) / 1000;
process.stdout.write('\n');
// Six significant digits are plenty for a logistic regression (and halve the file).
const round = (v: number) => Number(v.toPrecision(6));
const rounded = { ...check, mean: check.mean.map(round), scale: check.scale.map(round), weights: check.weights.map(round), bias: round(check.bias), threshold: round(check.threshold) };
const test = await featureRows(layers, dataset.test.images, dataset.test.count);
const testRejected = test.filter((row) => !judge(rounded, row).isDigit).length;
// The same test digits as "Load a sample digit" shows them: enlarged onto a 280-pixel pad and prepared again.
const onPad = await featureRows(layers, asOnPad(dataset.test.images, dataset.test.count, 280), dataset.test.count);
const testOnPadRejected = onPad.filter((row) => !judge(rounded, row).isDigit).length;
const fresh = makeNonDigits(seededRandom(2024), { perLetter: 5, smallLetters: true, noise: 50, scribbles: 100 });
const freshRows = await featureRows(layers, fresh.images, fresh.count);
const caught: Record<string, { caught: number; of: number }> = {};
fresh.kinds.forEach((kind, i) => {
  caught[kind] ??= { caught: 0, of: 0 };
  caught[kind].of++;
  if (!judge(rounded, freshRows[i]).isDigit) caught[kind].caught++;
});
const file = {
  fingerprint: await modelFingerprint(lab.model),
  check: rounded,
  measured: { calibrationSeconds: Math.round(seconds), testDigits: dataset.test.count, testRejected, testOnPadRejected, freshNonDigits: caught },
  command: 'npx tsx scripts/digit-check.ts',
};
await writeFile(resolve('data/model/digit-check.json'), JSON.stringify(file));
console.log(JSON.stringify(file.measured));
