// Certificates made at test time with the system's openssl, in the test's own temporary folder: a test CA, a
// leaf for localhost signed by it, one for another host name, an expired one, and a self-signed one.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  dir: string;
  /** File name of the CA certificate, for NODE_EXTRA_CA_CERTS in a child process. */
  caFile: string;
  /** Private key shared by every leaf certificate. */
  key: string;
  /** Signed by the test CA for localhost and 127.0.0.1. */
  localhost: string;
  /** Signed by the test CA for wrong-host.example only. */
  wrongHost: string;
  /** Signed by the test CA for localhost and 127.0.0.1, valid in January 2020 only. */
  expired: string;
  /** Self-signed for localhost and 127.0.0.1. */
  selfSigned: string;
  remove(): void;
}

/** The SHA-256 fingerprint as Node shows it ("AB:CD:…"). */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

const CA_CONFIG = `[ca]
default_ca = test_ca
[test_ca]
database = db/index.txt
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = any_name
copy_extensions = none
unique_subject = no
[any_name]
commonName = supplied
[localhost]
subjectAltName = DNS:localhost,IP:127.0.0.1
[wrong_host]
subjectAltName = DNS:wrong-host.example
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-tester-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  mkdirSync(path.join(dir, 'db'));
  writeFileSync(path.join(dir, 'db/index.txt'), '');
  writeFileSync(path.join(dir, 'db/serial'), '1000\n');
  writeFileSync(path.join(dir, 'ca.cnf'), CA_CONFIG);

  openssl(
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Relay Tester Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', '-new', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
  const sign = (out: string, extensions: string, dates: string[]) =>
    openssl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-in',
      'leaf.csr',
      '-out',
      out,
      '-extensions',
      extensions,
      '-notext',
      ...dates,
    );
  sign('localhost.pem', 'localhost', ['-days', '2']);
  sign('wrong-host.pem', 'wrong_host', ['-days', '2']);
  sign('expired.pem', 'localhost', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
  openssl(
    'req',
    '-x509',
    '-key',
    'leaf.key',
    '-out',
    'self-signed.pem',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  );

  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    key: read('leaf.key'),
    localhost: read('localhost.pem'),
    wrongHost: read('wrong-host.pem'),
    expired: read('expired.pem'),
    selfSigned: read('self-signed.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
