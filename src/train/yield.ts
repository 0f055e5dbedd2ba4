/**
 * Lets the event loop run queued messages (Pause, Stop) before the next batch, without waiting for a frame:
 * a MessageChannel task runs at once, where setTimeout is clamped to 4 ms and requestAnimationFrame to the display.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
