/** Times a step of the page's share of teaching as a performance measure "digit-lab:symbols-<name>" (for the e2e figures). */
export async function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(`digit-lab:symbols-${name}`, { start, end: performance.now() });
  }
}
