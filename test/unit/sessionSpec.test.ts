// buildSessionSpec: the one place a session is assembled from what probe, the runner or the vantage check know.
import { describe, expect, it } from 'vitest';
import { buildSessionSpec, certificateCheck } from '../../main/smtp/sessionSpec.js';
import type { Tunnel } from '../../main/smtp/tunnel.js';

const base = { host: 'mail.corp.test', port: 25, tls: 'auto', timeoutMs: 5_000 } as const;

describe('buildSessionSpec', () => {
  it('builds the relay test dialog with one deadline for connect, greeting and replies', () => {
    const spec = buildSessionSpec({ ...base, from: 'a@corp.test', to: ['b@example.org', 'c@example.org'] });
    expect(spec.timeouts).toEqual({ connectMs: 5_000, greetingMs: 5_000, replyMs: 5_000 });
    expect(spec.steps.map((step) => step.kind)).toEqual(['ehlo', 'starttls', 'mail', 'rcpt', 'rcpt', 'rset', 'quit']);
    expect(spec.certificate).toEqual({ mode: 'verify' });
    expect(spec.helo).toBe('relay-tester.invalid');
    expect(spec).not.toHaveProperty('auth');
    expect(spec).not.toHaveProperty('source');
  });

  it('stops after EHLO (and AUTH) without a sender: a banner check; DATA only when asked for', () => {
    const auth = { user: 'alice', password: 'Alice-Secret-1', mechanism: 'plain' as const };
    const banner = buildSessionSpec({ ...base, tls: 'none', auth, helo: 'client.test' });
    expect(banner.steps.map((step) => step.kind)).toEqual(['ehlo', 'auth', 'quit']);
    expect(banner.auth).toBe(auth);
    expect(banner.helo).toBe('client.test');
    const data = buildSessionSpec({ ...base, tls: 'implicit', from: '', to: ['b@example.org'], data: true });
    expect(data.steps.map((step) => step.kind)).toEqual(['ehlo', 'mail', 'rcpt', 'data', 'quit']);
  });

  it('pins a fingerprint over allowing an invalid certificate, and verifies otherwise', () => {
    expect(certificateCheck({ pinSha256: 'AB:CD', allowInvalid: true })).toEqual({ mode: 'pin', sha256: 'AB:CD' });
    expect(certificateCheck({ allowInvalid: true })).toEqual({ mode: 'allow-invalid' });
    expect(certificateCheck({ allowInvalid: false })).toEqual({ mode: 'verify' });
    expect(certificateCheck()).toEqual({ mode: 'verify' });
  });

  it('binds the source address, but not when a vantage point opens the connection', () => {
    expect(buildSessionSpec({ ...base, source: '127.0.0.2' }).source).toBe('127.0.0.2');
    const via: Tunnel = { describe: 'socks5 127.0.0.1:1080', open: () => Promise.reject(new Error('not opened')) };
    const tunnelled = buildSessionSpec({ ...base, source: '127.0.0.2', via });
    expect(tunnelled.via).toBe(via);
    expect(tunnelled).not.toHaveProperty('source');
  });
});
