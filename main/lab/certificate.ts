// The lab's STARTTLS certificate: self-signed, generated at each start (Node cannot create X.509 certificates
// itself; `selfsigned` does it in JavaScript, so no openssl is needed). Plans pin it by its SHA-256 fingerprint.
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { generate } from 'selfsigned';

export interface LabCertificate {
  key: string;
  cert: string;
  /** SHA-256 fingerprint as "AB:CD:…", the form plans' certificateSha256 takes. */
  sha256: string;
}

const VALID_DAYS = 30;

/** A certificate naming every host name and IP address of the lab's virtual servers. */
export async function generateLabCertificate(names: readonly string[]): Promise<LabCertificate> {
  const unique = [...new Set(names)];
  const commonName = unique.find((name) => net.isIP(name) === 0) ?? 'relay-tester-lab';
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 86_400_000);
  const generated = await generate(
    [
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: 'Relay Tester lab (self-signed)' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: unique.map((name) =>
            net.isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
          ),
        },
      ],
    },
  );
  return { key: generated.private, cert: generated.cert, sha256: new X509Certificate(generated.cert).fingerprint256 };
}
