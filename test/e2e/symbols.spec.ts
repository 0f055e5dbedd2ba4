// Lesson 7, Beyond digits: the figures of issue 14 in real Chromium, with drawings made in the test as stroke paths
// (test/unit/symbols/strokes.ts) and drawn with the mouse, as a learner would.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { preprocess } from '../../src/draw/preprocess';
import { addClass, addExample, EMPTY_CLASS_SET, type ClassSet } from '../../src/symbols/class-set';
import { writeSymbolFile } from '../../src/symbols/file';
import { linePaths, otherStyleDrawing, paintDrawing, taughtDrawing, type Drawing, type Path, type Shape } from '../unit/symbols/strokes';
import { watchErrors } from './helpers';

test.describe.configure({ timeout: 600_000 });

async function openLab(page: Page): Promise<Locator> {
  await page.goto('./#/symbols');
  const lab = page.locator('symbol-lab');
  await expect(lab).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  return lab;
}

/** Draws `paths` (fractions of `area`'s box) with the mouse. */
async function strokes(page: Page, area: Locator, paths: Path[]): Promise<void> {
  for (const path of paths) {
    await area.scrollIntoViewIfNeeded();
    const box = (await area.boundingBox())!;
    const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
    await page.mouse.move(...at(path[0]));
    await page.mouse.down();
    for (const p of path.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
    await page.mouse.up();
  }
}

/** Clears the symbol pad, draws one drawing with its brush, and returns what the cell reads it as. */
async function drawAndRead(page: Page, lab: Locator, drawing: Drawing): Promise<{ label: string; confidence: string }> {
  await lab.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(lab).not.toHaveAttribute('prediction', /./);
  await lab.getByLabel('Brush size').fill(String(drawing.brush));
  await strokes(page, lab.locator('symbol-pad canvas.pad'), drawing.paths);
  await expect(lab).toHaveAttribute('prediction', /./);
  return { label: (await lab.getAttribute('prediction'))!, confidence: (await lab.getAttribute('confidence'))! };
}

async function addClassNamed(lab: Locator, name: string): Promise<void> {
  await lab.getByLabel('New class name').fill(name);
  await lab.getByRole('button', { name: 'Add class' }).click();
  await expect(lab.getByRole('radio', { name, exact: true })).toBeChecked();
}

/** Draws `count` examples of `shape` in the taught style and adds each to its class. */
async function drawExamples(page: Page, lab: Locator, shape: Shape, count: number): Promise<void> {
  await lab.getByRole('radio', { name: shape, exact: true }).check();
  for (let i = 1; i <= count; i++) {
    await drawAndRead(page, lab, taughtDrawing(shape, i));
    await lab.getByRole('button', { name: `Add to “${shape}”` }).click();
  }
  const row = lab.locator('symbol-classes li').filter({ has: page.getByRole('radio', { name: shape, exact: true }) });
  await expect(row).toContainText(`${count} drawing${count === 1 ? '' : 's'}`);
}

/** Clicks Teach and waits until the taught model reads; returns the seconds from the click. */
async function teach(lab: Locator, classes: string): Promise<number> {
  const t0 = Date.now();
  await lab.getByRole('button', { name: /^Teach( again)?$/ }).click();
  await expect(lab.getByRole('status').filter({ hasText: 'Taught:' })).toHaveText(`Taught: the network now reads 0–9 and ${classes}.`, { timeout: 120_000 });
  return (Date.now() - t0) / 1000;
}

/** A class-set file with examples painted from stroke paths in Node (no taught model). */
function classSetFile(shapes: Shape[], count: number): Buffer {
  let set: ClassSet = EMPTY_CLASS_SET;
  for (const shape of shapes) {
    set = addClass(set, shape);
    for (let i = 1; i <= count; i++) set = addExample(set, shape, preprocess(paintDrawing(taughtDrawing(shape, i))).centred.data);
  }
  return Buffer.from(writeSymbolFile({ classSet: set, taught: null }));
}

test('+ and × from 12 drawings each: taught in ≤ 10 s, new drawings in other styles read right, digits still read right and score within 0.5 point on MNIST', async ({ page }) => {
  const errors = watchErrors(page);
  const lab = await openLab(page);
  await expect(lab.getByText('Reading with the digits model: it can only answer 0–9.')).toBeVisible();
  // Before teaching, a + can only be read as some digit.
  expect((await drawAndRead(page, lab, otherStyleDrawing('+', 0))).label).toMatch(/^\d$/);

  await addClassNamed(lab, '+');
  await addClassNamed(lab, '×');
  await drawExamples(page, lab, '+', 12);
  await drawExamples(page, lab, '×', 12);
  await expect(lab.locator('symbol-gallery canvas')).toHaveCount(24);

  const seconds = await teach(lab, '+ ×');
  const ready = Number((await lab.getByTestId('ready-seconds').textContent())!.replace(' s', ''));
  console.log(`[figure] e2e: Teach → taught model reading: ${seconds.toFixed(1)} s by the test's clock, ${ready} s by the cell's`);
  console.log(`[figure] e2e: ${(await lab.getByTestId('teach-steps').textContent())!.replace(/\s+/g, ' ')}`);
  expect(seconds).toBeLessThanOrEqual(10);
  await expect(lab.getByTestId('held-out')).toContainText(/of 24 of your drawings right/, { timeout: 60_000 });
  console.log(`[figure] e2e: ${(await lab.getByTestId('held-out').textContent())!.replace(/\s+/g, ' ')}`);
  await expect(lab.locator('symbol-confusion tbody tr')).toHaveCount(12);

  const read = async (shape: Shape) => {
    const labels: string[] = [];
    for (let i = 0; i < 10; i++) labels.push((await drawAndRead(page, lab, otherStyleDrawing(shape, i))).label);
    return labels;
  };
  const plus = await read('+');
  const times = await read('×');
  console.log(`[figure] e2e other styles: + ${plus.filter((l) => l === '+').length}/10 (${plus.join(' ')}), × ${times.filter((l) => l === '×').length}/10 (${times.join(' ')})`);
  expect(plus.filter((l) => l === '+').length).toBeGreaterThanOrEqual(9);
  expect(times.filter((l) => l === '×').length).toBeGreaterThanOrEqual(9);
  // The bars show every class, digits and new ones.
  await expect(lab.locator('symbol-reading').getByRole('meter')).toHaveCount(12);

  const digits: Shape[] = ['0', '1', '2', '3', '4', '5', '7'];
  const digitReads: string[] = [];
  for (const d of digits) digitReads.push((await drawAndRead(page, lab, taughtDrawing(d, 3))).label);
  expect(digitReads).toEqual(digits);

  const check = lab.getByTestId('digit-check');
  await expect(check).toBeVisible({ timeout: 300_000 });
  const text = (await check.textContent())!.replace(/\s+/g, ' ');
  console.log(`[figure] e2e: ${text}`);
  const [base, extended] = [...text.matchAll(/(\d+\.\d+)%/g)].map((m) => Number(m[1]));
  expect(base).toBeCloseTo(99.6, 1);
  expect(Math.abs(extended - base)).toBeLessThanOrEqual(0.5);
  expect(errors).toEqual([]);
});

test('"12+7=" written on the line reads "12 + 7 = 19"', async ({ page }) => {
  const lab = await openLab(page);
  await lab.getByLabel('Load a class set (.json)').setInputFiles({ name: 'ops.json', mimeType: 'application/json', buffer: classSetFile(['+', '×', '='], 12) });
  await expect(lab.getByText('Loaded “ops.json”: 3 classes (+ × =), 36 drawings, no taught model.')).toBeVisible();
  await lab.getByLabel(/Then score the 10,000 test digits/).uncheck();
  await teach(lab, '+ × =');
  // The report above the line grows once the held-out check is in: write after it, not while the page moves.
  await expect(lab.getByTestId('held-out')).toBeVisible({ timeout: 60_000 });
  const line = lab.locator('symbol-line');
  const band = line.locator('.line-wrap');
  await strokes(page, band, linePaths('12+7=', 3));
  await expect(line.getByTestId('line-reading')).toHaveText('12 + 7 = 19');
  await expect(line.locator('.box')).toHaveCount(5);
  await expect(line.getByRole('img', { name: /^Character \d, read as/ })).toHaveCount(5);
  await line.getByRole('button', { name: 'Clear line' }).click();
  await expect(line.getByTestId('line-reading')).toHaveText('The line is empty.');
});

test('kept across a reload; download the class set and model, clear the browser storage, load the file: the same predictions', async ({ page }) => {
  const lab = await openLab(page);
  await lab.getByLabel('Load a class set (.json)').setInputFiles({ name: 'pm.json', mimeType: 'application/json', buffer: classSetFile(['+', '×'], 12) });
  await teach(lab, '+ ×');
  const probes = [otherStyleDrawing('+', 1), otherStyleDrawing('×', 2), taughtDrawing('7', 4), otherStyleDrawing('+', 4)];
  const before = [];
  for (const d of probes) before.push(await drawAndRead(page, lab, d));

  // A reload brings the classes and the taught model back from IndexedDB.
  await page.reload();
  await expect(lab).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(lab.getByText('Reading with your taught model (0–9 and + ×).')).toBeVisible();
  await expect(lab.getByRole('radio')).toHaveCount(2);
  expect(await drawAndRead(page, lab, probes[0])).toEqual(before[0]);

  const downloading = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'Download class set' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('digit-lab-symbols.json');
  const file = await readFile((await download.path())!);

  await page.evaluate(async () => {
    localStorage.clear();
    for (const name of ['digit-lab-symbols', 'digit-lab', 'digit-lab-models']) {
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    }
  });
  await page.reload();
  await expect(lab).toHaveAttribute('status', 'ready', { timeout: 90_000 });
  await expect(lab.getByText('No classes of your own yet')).toBeVisible();
  await expect(lab.getByText('Reading with the digits model')).toBeVisible();

  await lab.getByLabel('Load a class set (.json)').setInputFiles({ name: 'digit-lab-symbols.json', mimeType: 'application/json', buffer: file });
  await expect(lab.getByText('Loaded “digit-lab-symbols.json”: 2 classes (+ ×), 24 drawings, and its taught model.')).toBeVisible();
  const after = [];
  for (const d of probes) after.push(await drawAndRead(page, lab, d));
  console.log(`[figure] e2e predictions before download: ${JSON.stringify(before)}, after clearing storage and loading: ${JSON.stringify(after)}`);
  expect(after).toEqual(before);
});

test('teaching 5 times leaves the page and the worker with the tensors they had after the first', async ({ page }) => {
  const lab = await openLab(page);
  await lab.getByLabel('Load a class set (.json)').setInputFiles({ name: 'pm.json', mimeType: 'application/json', buffer: classSetFile(['+', '×'], 12) });
  await lab.getByLabel(/Then score the 10,000 test digits/).uncheck();
  const tensors = () => page.evaluate(async () => {
    const lab = (window as unknown as { digitLab: { pageTensors(): number; workerTensors(): Promise<number | null> } }).digitLab;
    return { page: lab.pageTensors(), worker: await lab.workerTensors() };
  });
  // The longest task on the page's main thread while teaching 6 times (the work itself runs in the training worker).
  await page.evaluate(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.longest = Math.max(w.longest, e.duration)))).observe({ type: 'longtask' });
    performance.clearMeasures();
  });
  await teach(lab, '+ ×');
  await expect(lab.getByTestId('held-out')).toBeVisible({ timeout: 60_000 });
  await expect(lab.getByRole('button', { name: 'Teach again' })).toBeEnabled();
  const baseline = await tensors();
  for (let i = 0; i < 5; i++) {
    await lab.getByRole('button', { name: 'Teach again' }).click();
    await expect(lab.getByRole('button', { name: 'Stop' })).toBeVisible();
    await expect(lab.getByRole('button', { name: 'Stop' })).toBeHidden({ timeout: 120_000 });
  }
  const after = await tensors();
  const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest);
  const steps = await page.evaluate(() =>
    Object.entries(
      performance
        .getEntriesByType('measure')
        .filter((m) => m.name.startsWith('digit-lab:symbols-'))
        .reduce<Record<string, number>>((most, m) => ({ ...most, [m.name.slice(18)]: Math.max(most[m.name.slice(18)] ?? 0, Math.round(m.duration)) }), {}),
    ),
  );
  console.log(`[figure] e2e longest main-thread task during 6 teachings: ${Math.round(longest)} ms; the page's steps at their longest (ms, may span several tasks): ${JSON.stringify(steps)}`);
  // Building the extended model on the page, its first prediction and storing it each take a task of their own
  // (together they were one task of 380-420 ms on this loaded machine).
  expect(longest).toBeLessThan(300);
  console.log(`[figure] e2e tensors after teaching once: ${JSON.stringify(baseline)}, after 5 more: ${JSON.stringify(after)}`);
  expect(after).toEqual(baseline);
});

test('bad class names and bad files are refused with a clear message, and nothing is lost', async ({ page }) => {
  const errors = watchErrors(page);
  const lab = await openLab(page);
  await addClassNamed(lab, '=');
  const refuse = async (name: string, message: string | RegExp) => {
    await lab.getByLabel('New class name').fill(name);
    await lab.getByRole('button', { name: 'Add class' }).click();
    await expect(lab.locator('symbol-classes').getByRole('alert')).toHaveText(message);
    await expect(lab.getByLabel('New class name')).toHaveAttribute('aria-invalid', 'true');
  };
  await refuse('', 'Give the class a name: a symbol such as +, or a word (up to 24 characters).');
  await refuse('x'.repeat(10 * 1024), 'That name is 10,240 characters long: use at most 24.');
  await refuse('<img src=x onerror=alert(1)>', 'Class names cannot contain < or >: HTML is not allowed in a name.');
  await refuse('=', 'There is already a class called “=”.');
  await refuse('4', /“4” is a digit/);
  await expect(lab.getByRole('radio')).toHaveCount(1);

  await drawExamples(page, lab, '=', 2);
  // The lesson's Inside view follows the symbol pad's drawing: the frozen body's feature maps of an "=".
  const inside = page.locator('activation-viewer');
  await expect(inside.getByRole('figure', { name: 'Your drawing (prepared as MNIST)' })).toBeVisible({ timeout: 60_000 });
  await expect(inside.getByRole('img', { name: /^Channel 1 of 32:/ }).first()).toBeVisible();
  const loadField = lab.getByLabel('Load a class set (.json)');
  const fileAlert = lab.locator('symbol-file').getByRole('alert');
  await loadField.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(fileAlert).toHaveText('“notes.txt” is not a Digit Lab class set: it is not JSON. Choose a file saved with “Download class set”. Nothing was changed.');
  await loadField.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
  await expect(fileAlert).toHaveText(/“other.json” is not a Digit Lab class set\./);
  const unsafe = JSON.parse(classSetFile(['+'], 1).toString());
  unsafe.classes[0].name = '<script>alert(1)</script>';
  await loadField.setInputFiles({ name: 'unsafe.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(unsafe)) });
  await expect(fileAlert).toHaveText(/HTML is not allowed in a name\. Nothing was changed\.$/);
  // The class and its two drawings are still there.
  await expect(lab.getByRole('radio', { name: '=' })).toBeChecked();
  await expect(lab.locator('symbol-gallery canvas')).toHaveCount(2);
  // Teach is refused with a reason while a class has fewer than 3 drawings.
  await expect(lab.getByText('Draw at least 3 examples of every class (one has 2).')).toBeVisible();
  await expect(lab.getByRole('button', { name: 'Teach' })).toBeDisabled();
  expect(errors).toEqual([]);
});
