#!/usr/bin/env node
// Screenshots of lesson pages in headless Chromium, for looking at what the lab shows.
// Usage: node scripts/screenshot.mjs [baseUrl] [route ...]   (default: the preview server, every lesson)
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://localhost:4173/';
const routes = process.argv.slice(3).length ? process.argv.slice(3) : ['', 'dataset', 'augmentation', 'model', 'training', 'inside', 'draw'];
const out = 'test-results/screens';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
page.on('pageerror', (e) => console.log('page error:', e.message));
for (const route of routes) {
  await page.goto(`${base}#/${route}`);
  await page.waitForTimeout(Number(process.env.WAIT_MS ?? 3000));
  const file = `${out}/${route || 'start'}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
