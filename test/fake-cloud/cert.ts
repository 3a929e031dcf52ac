/**
 * A throw-away TLS certificate for the fake cloud, made at every start and never
 * written to disk. Chromium trusts it through `--ignore-certificate-errors-spki-list`,
 * which takes the base64 SHA-256 of the certificate's DER SubjectPublicKeyInfo.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface FakeCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate (also usable as a CA by Node clients). */
  cert: string;
  /** base64(sha256(DER SubjectPublicKeyInfo)), the value of Chromium's SPKI pin flag. */
  spkiPin: string;
}

/** The SPKI pin of a PEM certificate. */
export function spkiPinOf(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** A self-signed EC P-256 certificate valid for `hosts` plus localhost and 127.0.0.1 (::1). */
export async function makeCertificate(hosts: readonly string[]): Promise<FakeCertificate> {
  const names = [...new Set([...hosts, 'localhost', '127.0.0.1', '::1'])];
  const notBeforeDate = new Date(Date.now() - 24 * 3_600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3_600_000);
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }, { name: 'organizationName', value: 'GDAP Lens fake cloud (test only)' }], {
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
        altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, spkiPin: spkiPinOf(pems.cert) };
}
