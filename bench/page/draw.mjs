// Drawing cell: time from navigation to the first possible prediction on #/draw (model loaded and warmed up), and
// time from the end of a stroke to its prediction on screen (median after warm-up), per tfjs backend
// (DRAW_BACKENDS=wasm,cpu picks some).
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Points of a stroke on the pad: vertical lines and ovals at a few places, so each prediction is real work. */
function strokePoints(box, i) {
  const cx = box.x + box.width * (0.35 + 0.3 * ((i * 37) % 10) / 10);
  const cy = box.y + box.height / 2;
  if (i % 2 === 0) return Array.from({ length: 12 }, (_, k) => [cx, box.y + box.height * (0.15 + 0.7 * (k / 11))]);
  return Array.from({ length: 24 }, (_, k) => {
    const a = (k / 23) * Math.PI * 2;
    return [cx + Math.sin(a) * box.width * 0.2, cy - Math.cos(a) * box.height * 0.32];
  });
}

async function strokeLatencies(page, strokes) {
  const pad = page.locator('draw-pad canvas.pad');
  const box = await pad.boundingBox();
  const out = [];
  for (let i = 0; i < strokes; i++) {
    await page.getByRole('button', { name: 'Clear' }).click();
    const next = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('draw-prediction', (e) => resolve(e.detail.latencyMs), { once: true })),
    );
    const points = strokePoints(box, i);
    await page.mouse.move(...points[0]);
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...p);
    await page.mouse.up();
    out.push(await next);
  }
  return out;
}

export async function run({ browser, baseUrl, log }) {
  for (const backend of (process.env.DRAW_BACKENDS ?? 'auto,webgl,wasm,cpu').split(',')) {
    try {
      await measure(browser, baseUrl, log, backend);
    } catch (error) {
      log({ name: 'draw', requested: backend, error: String(error).split('\n')[0] });
    }
  }
}

async function measure(browser, baseUrl, log, backend) {
  {
    const query = backend === 'auto' ? '' : `?backend=${backend}`;
    const ready = [];
    let latencies = [];
    let active = '';
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      try {
        await page.goto(`${baseUrl}${query}#/draw`);
        await page.locator('draw-pad[status="ready"]').waitFor({ timeout: 60_000 });
      } catch (error) {
        await context.close();
        throw error;
      }
      // Navigation start to "a prediction can be made" (model fetched, checked and warmed up), on the page's clock.
      ready.push(await page.evaluate(() => performance.now()));
      active = (await page.getByTestId('backend').textContent())?.trim() ?? '';
      if (i === 0) {
        await strokeLatencies(page, 3); // warm-up
        latencies = await strokeLatencies(page, 15);
      }
      await context.close();
    }
    const readyMs = Math.round(median(ready));
    log({ name: 'draw: navigation to first possible prediction', requested: backend, active, value: readyMs, unit: 'ms', target: '<= 1500 ms', met: readyMs <= 1500, runs: ready.map(Math.round) });
    const latency = Number(median(latencies).toFixed(1));
    log({ name: 'draw: end of stroke to shown prediction (median of 15 after warm-up)', requested: backend, active, value: latency, unit: 'ms', target: '<= 16 ms', met: latency <= 16, runs: latencies.map((v) => Number(v.toFixed(1))) });
  }
}
