/**
 * Cross-origin isolation from the service worker. Threads in the WASM backend need SharedArrayBuffer, which a page
 * gets only when it is cross-origin isolated: its document (and each worker script) must come with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`. A host that cannot set
 * headers (GitHub Pages) never sends them; the lab's service worker adds them to every response it gives, so from the
 * second load on the page is isolated wherever it is served.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The response with the isolation headers set (and its status, status text, other headers and streaming body kept).
 * An opaque or error response (status 0) cannot be rebuilt and is returned as it is.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  if (Object.entries(ISOLATION_HEADERS).every(([name, value]) => response.headers.get(name) === value)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A Workbox plugin that gives every response a strategy hands out the isolation headers. */
export const isolationPlugin = {
  handlerWillRespond: async ({ response }: { response: Response }): Promise<Response> => withIsolationHeaders(response),
};
