// Hands bytes the core produced (a report) to the browser as a file to save: a Blob behind an <a download>, so the
// page's CSP needs nothing new (blob: URLs are navigated to by the user agent, not loaded by the page).
export interface DownloadableFile {
  fileName: string;
  mimeType: string;
  base64: string;
}

export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
  return bytes;
}

export function offerDownload({ fileName, mimeType, base64 }: DownloadableFile): void {
  const url = URL.createObjectURL(new Blob([decodeBase64(base64)], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started from the click; the URL is released once the browser took it.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
