// Time from navigation to the data set being ready, and the JS heap once it is loaded.
export async function run({ browser, baseUrl, log }) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = Date.now();
    // The CPU backend allocates no WASM heap or GPU buffers, so the memory figure is the data set's and the page's.
    await page.goto(baseUrl + '?backend=cpu#/dataset');
    await page.getByTestId('dataset-counts').waitFor({ timeout: 60_000 });
    const readyMs = Date.now() - start;
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    // The pixels live in ArrayBuffers, outside V8's object heap: measure both. measureUserAgentSpecificMemory needs
    // cross-origin isolation, which the lab's COOP/COEP headers give.
    const allBytes = await page.evaluate(async () => {
      const measure = performance.measureUserAgentSpecificMemory;
      return measure ? (await measure.call(performance)).bytes : null;
    });
    runs.push({ readyMs, heapMB: usedSize / 1e6, totalMB: allBytes === null ? null : allBytes / 1e6 });
    await context.close();
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ready = median(runs.map((r) => r.readyMs));
  log({ name: 'dataset ready after navigation', value: ready, unit: 'ms', target: '<= 1500 ms', met: ready <= 1500, runs: runs.map((r) => r.readyMs) });
  const heap = median(runs.map((r) => r.heapMB));
  log({ name: 'V8 object heap after loading the data set', value: Number(heap.toFixed(1)), unit: 'MB' });
  if (runs[0].totalMB !== null) {
    const total = median(runs.map((r) => r.totalMB));
    log({ name: 'JS memory incl. ArrayBuffers after loading the data set', value: Number(total.toFixed(1)), unit: 'MB', target: '<= 80 MB', met: total <= 80 });
  }
}
