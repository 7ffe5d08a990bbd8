// What a TLS peer presented, and whether the session trusts it. Verification is on unless the caller pins a
// fingerprint or explicitly allows an invalid (lab) certificate; either choice is shown in the transcript.
import type tls from 'node:tls';
import type { CertificateCheck, TlsDetails } from '../../shared/session.js';
import { makeVisible } from '../../shared/text.js';

function distinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** What the peer presented; its names are made visible here, since they travel into reasons and reports. */
export function describeCertificate(socket: tls.TLSSocket): TlsDetails {
  const certificate = socket.getPeerCertificate();
  const details: TlsDetails = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    verified: socket.authorized,
    trust: 'refused',
    subject: makeVisible(distinguishedName(certificate?.subject)),
    issuer: makeVisible(distinguishedName(certificate?.issuer)),
    validFrom: certificate?.valid_from ?? '',
    validTo: certificate?.valid_to ?? '',
    sha256: certificate?.fingerprint256 ?? '',
  };
  if (!socket.authorized && socket.authorizationError)
    details.verifyError = makeVisible(String(socket.authorizationError));
  if (certificate?.subjectaltname) details.subjectAltName = makeVisible(certificate.subjectaltname);
  return details;
}

/** "AB:CD:…" and "abcd…" name the same fingerprint. */
export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function judgeCertificate(
  details: TlsDetails,
  check: CertificateCheck,
): { trust: TlsDetails['trust']; reason: string } {
  if (check.mode === 'pin') {
    const matches = normaliseFingerprint(details.sha256) === normaliseFingerprint(check.sha256);
    return matches
      ? { trust: 'pinned', reason: `certificate accepted by its pinned SHA-256 fingerprint (${details.sha256})` }
      : {
          trust: 'refused',
          reason: `certificate refused: SHA-256 fingerprint ${details.sha256} does not match the pinned ${check.sha256}`,
        };
  }
  if (details.verified) return { trust: 'verified', reason: 'certificate verified' };
  if (check.mode === 'allow-invalid') {
    return {
      trust: 'allowed-invalid',
      reason: `certificate NOT verified (${details.verifyError ?? 'unknown error'}); accepted because invalid certificates were explicitly allowed`,
    };
  }
  return {
    trust: 'refused',
    reason: `certificate refused: ${details.verifyError ?? 'not verified'} (pin its SHA-256 fingerprint ${details.sha256} or allow invalid certificates for a lab server)`,
  };
}
