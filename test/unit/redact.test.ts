// The second line of defence for secrets (shared/redact.ts): every form a password travels in through an SMTP
// dialog, removed from any text.
import { describe, expect, it } from 'vitest';
import { base64Utf8, scrubSecrets, secretForms } from '../../shared/redact.js';
import { loginClient } from '../../main/smtp/sasl/login.js';
import { encode } from '../../main/smtp/sasl/mechanism.js';
import { plainClient } from '../../main/smtp/sasl/plain.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('secretForms', () => {
  it('lists the password, its base64, both PLAIN blobs and the XOAUTH2 blob', () => {
    expect(secretForms('alice', 'Wonder-land-42').sort()).toEqual(
      [
        'Wonder-land-42',
        b64('Wonder-land-42'),
        b64('\0alice\0Wonder-land-42'),
        b64('alice\0alice\0Wonder-land-42'),
        b64('user=alice\x01auth=Bearer Wonder-land-42\x01\x01'),
      ].sort(),
    );
  });

  it('matches what the engine puts on the wire for PLAIN and LOGIN, non-ASCII passwords included', () => {
    for (const password of ['Wonder-land-42', 'Pässwörd-€-日本', 'a b"c\'d\\e']) {
      const forms = secretForms('jürgen', password);
      const credentials = { user: 'jürgen', secret: password, host: 'mx.test', port: 25 };
      expect(forms).toContain(loginClient(credentials).next(new TextEncoder().encode('Password:'), 2).wire);
      expect(forms).toContain(plainClient(credentials).start()!.wire);
      expect(base64Utf8(password)).toBe(encode(password));
    }
  });

  it('has nothing to hide for an empty password', () => {
    expect(secretForms('alice', '')).toEqual([]);
  });

  it('does not list a form shorter than three characters, which would mask ordinary text', () => {
    const forms = secretForms('alice', 'xy');
    expect(forms).not.toContain('xy');
    expect(forms).toContain(b64('xy'));
  });
});

describe('scrubSecrets', () => {
  const forms = secretForms('alice', 'Wonder-land-42');

  it('replaces every occurrence of every form', () => {
    const text = `AUTH PLAIN ${b64('\0alice\0Wonder-land-42')} then ${b64('Wonder-land-42')} and Wonder-land-42 twice: Wonder-land-42`;
    const scrubbed = scrubSecrets(text, forms);
    expect(scrubbed).toBe('AUTH PLAIN <hidden> then <hidden> and <hidden> twice: <hidden>');
    for (const form of forms) expect(scrubbed).not.toContain(form);
  });

  it('leaves text without secrets unchanged', () => {
    expect(scrubSecrets('250 2.0.0 Ok', forms)).toBe('250 2.0.0 Ok');
    expect(scrubSecrets('anything', [])).toBe('anything');
  });

  it('removes a password quoted inside a server reply', () => {
    const reply = `500 5.5.1 Command unrecognized: "${b64('Wonder-land-42')}"`;
    expect(scrubSecrets(reply, forms)).toBe('500 5.5.1 Command unrecognized: "<hidden>"');
  });
});
