#!/usr/bin/env node
// Benchmarks against the built site (dist/) in headless Chromium, plus Node benchmarks. One JSON line per figure.
// Usage: npm run bench [-- --only NAME_SUBSTRING] [--backends webgl,wasm,cpu]
//   bench/page/*.mjs   export async function run({ browser, baseUrl, log })    (page-level: navigation, latency)
//   bench/cases/*.ts   in-page cases run through bench.html for each backend  (engine: augment, training)
//   bench/node/*.ts    export async function run({ log })                       (run with tsx in Node)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = opt('--only');
const backends = (opt('--backends') ?? 'webgl,wasm,cpu').split(',');
const port = Number(process.env.BENCH_PORT ?? 4399);
const baseUrl = `http://localhost:${port}/`;
const log = (figure) => console.log(JSON.stringify(figure));
const selected = (name) => !only || name.includes(only);
const list = (dir, ext) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(ext)).sort();
  } catch {
    return [];
  }
};

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
const stopServer = () => {
  try {
    process.kill(-server.pid);
  } catch {
    /* already gone */
  }
};
process.on('exit', stopServer);
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(baseUrl)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 200));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info'],
});
let failures = 0;
try {
  for (const file of list('bench/page', '.mjs')) {
    if (!selected(file)) continue;
    const mod = await import(pathToFileURL(resolve('bench/page', file)).href);
    try {
      await mod.run({ browser, baseUrl, log });
    } catch (error) {
      failures++;
      log({ name: file, error: String(error) });
    }
  }
  const page = await browser.newPage();
  await page.goto(baseUrl + 'bench.html');
  await page.waitForFunction(() => typeof window.benchList === 'function');
  const cases = await page.evaluate(() => window.benchList());
  await page.close();
  for (const name of cases.filter(selected)) {
    for (const backend of backends) {
      const p = await browser.newPage();
      p.setDefaultTimeout(0);
      try {
        await p.goto(baseUrl + 'bench.html');
        await p.waitForFunction(() => typeof window.runBench === 'function');
        const figures = await p.evaluate(([n, b]) => window.runBench(n, b), [name, backend]);
        for (const f of figures) log({ where: 'chromium', requested: backend, ...f });
      } catch (error) {
        failures++;
        log({ name, requested: backend, error: String(error).split('\n')[0] });
      } finally {
        await p.close();
      }
    }
  }
} finally {
  await browser.close();
  stopServer();
}

for (const file of list('bench/node', '.ts')) {
  if (!selected(file)) continue;
  const code = await new Promise((done) => {
    const child = spawn('npx', ['tsx', join('bench/node', file)], { stdio: 'inherit' });
    child.on('exit', done);
  });
  if (code !== 0) failures++;
}
process.exit(failures ? 1 : 0);
