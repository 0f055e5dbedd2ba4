/** Hands a file to the browser to save, as a download link would. */
export function saveFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started by the next task; the object URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
