/** Offer a blob as a file download (text files, pictures). */
export function downloadBlob(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Offer text as a file download. */
export function download(name: string, text: string, type = 'application/yaml') {
  downloadBlob(name, new Blob([text], { type }));
}
