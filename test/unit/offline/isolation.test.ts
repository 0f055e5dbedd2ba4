import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, isolationPlugin, withIsolationHeaders } from '../../../src/offline/isolation';

describe('cross-origin isolation headers from the service worker', () => {
  it('adds COOP and COEP, keeping status, other headers and the body', async () => {
    const original = new Response('hello', { status: 201, statusText: 'Created', headers: { 'Content-Type': 'application/wasm', ETag: '"1"' } });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get('Content-Type')).toBe('application/wasm');
    expect(isolated.headers.get('ETag')).toBe('"1"');
    expect(isolated.status).toBe(201);
    expect(isolated.statusText).toBe('Created');
    expect(await isolated.text()).toBe('hello');
  });

  it('replaces other values of the two headers and leaves a response that has them as it is', () => {
    const loose = new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' } });
    expect(withIsolationHeaders(loose).headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    const already = new Response('x', { headers: ISOLATION_HEADERS });
    expect(withIsolationHeaders(already)).toBe(already);
  });

  it('passes an error response (status 0) through untouched', () => {
    const error = Response.error();
    expect(withIsolationHeaders(error)).toBe(error);
  });

  it('is a Workbox plugin that isolates what a strategy hands out', async () => {
    const response = await isolationPlugin.handlerWillRespond({ response: new Response('x') });
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });
});
