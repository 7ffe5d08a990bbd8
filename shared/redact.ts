// Secrets are masked where commands are built; this is the second line of defence for any text that leaves the
// engine (errors, logs): it removes each secret and the encodings a dialog could carry it in.

/**
 * Every form in which `password` could appear in an SMTP dialog: itself, base64, the PLAIN blobs and, for a token,
 * the XOAUTH2 blob. (The engine also learns each secret payload it sends, such as an NTLM response.)
 */
export function secretForms(user: string, password: string): string[] {
  if (password === '') return [];
  const forms = new Set<string>([password]);
  forms.add(base64Utf8(password));
  forms.add(base64Utf8(`\0${user}\0${password}`));
  forms.add(base64Utf8(`${user}\0${user}\0${password}`));
  forms.add(base64Utf8(`user=${user}\x01auth=Bearer ${password}\x01\x01`));
  return [...forms].filter((form) => form.length >= 3);
}

/** Replaces each secret form in `text` by a placeholder. */
export function scrubSecrets(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join('<hidden>');
  }
  return out;
}

/** base64 of the UTF-8 bytes of `text`, without Node's Buffer (shared code runs in the browser too). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
