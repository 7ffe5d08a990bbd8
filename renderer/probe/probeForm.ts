// The quick probe form as data: what it starts from (the open plan, or a case of its matrix), and what its fields
// mean (the probe's settings, or what to fix first, in the user's words). Pure, so it is tested without a browser.
import type { TestCase } from '../../shared/matrix.js';
import type { Plan } from '../../shared/plan.js';
import type { ProbeSettings } from '../../shared/probe.js';
import type { SourceBinding } from '../../shared/run.js';
import { AUTH_MECHANISMS, DEFAULT_HELO, TLS_MODES, type AuthMechanism, type TlsMode } from '../../shared/session.js';

export type CertificateChoice = 'verify' | 'pin' | 'allow-invalid';

/** The form's fields as typed. `source` is "" (this machine), "vantage:NAME" or an address or subnet. */
export interface ProbeForm {
  host: string;
  port: string;
  tls: TlsMode;
  certificate: CertificateChoice;
  pinSha256: string;
  source: string;
  account: string;
  mechanism: AuthMechanism | '';
  helo: string;
  from: string;
  to: string;
}

export const EMPTY_FORM: ProbeForm = {
  host: '',
  port: '25',
  tls: 'auto',
  certificate: 'verify',
  pinSha256: '',
  source: '',
  account: '',
  mechanism: '',
  helo: DEFAULT_HELO,
  from: '',
  to: '',
};

export const VANTAGE_PREFIX = 'vantage:';

/** The recipient the matrix uses for relaying (shared/matrix.ts), so a probe from the plan asks the same. */
function externalRecipient(plan: Plan): string {
  return `relay-test@${plan.domains.external}`;
}

function serverFields(server: Plan['servers'][number]): Partial<ProbeForm> {
  const fields: Partial<ProbeForm> = {
    host: server.host,
    port: String(server.port),
    tls: server.tls,
    certificate: server.certificateSha256 ? 'pin' : server.allowInvalidCertificate ? 'allow-invalid' : 'verify',
    pinSha256: server.certificateSha256 ?? '',
    helo: server.helo ?? DEFAULT_HELO,
  };
  if (server.authMechanism) fields.mechanism = server.authMechanism;
  return fields;
}

/** The form for the plan's first server, its sender and the external recipient, from its first source. */
export function formFromPlan(plan: Plan): ProbeForm {
  const server = plan.servers[0]!;
  return {
    ...EMPTY_FORM,
    ...serverFields(server),
    source: plan.sources[0] ?? '',
    from: plan.sender,
    to: externalRecipient(plan),
  };
}

/** The form that asks what a case of the matrix asks (from its vantage point when its source has one). */
export function formFromCase(plan: Plan, testCase: TestCase, sources: readonly SourceBinding[]): ProbeForm {
  const server = plan.servers.find((candidate) => candidate.name === testCase.server) ?? plan.servers[0]!;
  const form: ProbeForm = { ...formFromPlan(plan), ...serverFields(server) };
  const vantage = sources.find((binding) => binding.source === testCase.source)?.vantage;
  form.source = vantage ? `${VANTAGE_PREFIX}${vantage}` : (testCase.source ?? '');
  form.account = testCase.account ?? '';
  const mechanism = testCase.account ? plan.accountMechanisms?.[testCase.account] : undefined;
  if (mechanism) form.mechanism = mechanism;
  if (testCase.from !== undefined) form.from = testCase.from;
  if (testCase.to) form.to = testCase.to;
  return form;
}

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

export type FormProblems = Partial<Record<keyof ProbeForm, string>>;

/** Recipients as typed: separated by commas, semicolons or spaces. */
export function recipients(text: string): string[] {
  return text.split(/[\s,;]+/).filter((item) => item !== '');
}

/** The probe's settings, or a problem per field in plain words (shown beside the field). */
export function readForm(form: ProbeForm): { settings: ProbeSettings } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const host = form.host.trim();
  if (host === '') problems.host = 'Enter the server’s host name or address.';
  else if (!/^[A-Za-z0-9.:_-]+$/.test(host)) problems.host = 'A host name or address has no spaces or symbols.';
  const port = Number(form.port.trim());
  if (!/^\d+$/.test(form.port.trim()) || port < 1 || port > 65535) problems.port = 'Port must be from 1 to 65535.';
  if (!TLS_MODES.includes(form.tls)) problems.tls = 'Choose a TLS mode.';
  const pin = form.pinSha256.trim();
  if (form.certificate === 'pin' && !/^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/.test(pin))
    problems.pinSha256 = 'A SHA-256 fingerprint is 64 hex digits (colons allowed).';
  const helo = form.helo.trim();
  if (helo === '' || /\s/.test(helo)) problems.helo = 'The EHLO name is one word, such as a host name.';
  const from = form.from.trim();
  if (/[\s<>]/.test(from)) problems.from = 'An address has no spaces or angle brackets (leave empty for <>).';
  const to = recipients(form.to);
  if (to.length === 0) problems.to = 'Enter at least one recipient.';
  else if (to.some((address) => /[<>]/.test(address) || !address.includes('@')))
    problems.to = 'Each recipient is an address such as someone@external.example.';
  else if (to.length > 20) problems.to = 'At most 20 recipients.';
  const account = form.account.trim();
  if (form.mechanism !== '' && (!AUTH_MECHANISMS.includes(form.mechanism) || account === ''))
    problems.mechanism = 'A mechanism needs an account.';
  const source = form.source.trim();
  if (/\s/.test(source)) problems.source = 'A source is one address or subnet.';
  // Control characters would inject commands on the wire and escape sequences into a pasted command line.
  for (const key of ['host', 'pinSha256', 'source', 'account', 'helo', 'from', 'to'] as const) {
    if (CONTROL.test(form[key])) problems[key] = 'Remove the control characters (such as ESC or a line break).';
  }
  if (Object.keys(problems).length > 0) return { problems };
  const settings: ProbeSettings = {
    host,
    port,
    tls: form.tls,
    certificate:
      form.certificate === 'pin'
        ? { mode: 'pin', sha256: pin }
        : form.certificate === 'allow-invalid'
          ? { mode: 'allow-invalid' }
          : { mode: 'verify' },
    helo,
    from,
    to,
  };
  if (source.startsWith(VANTAGE_PREFIX)) settings.vantage = source.slice(VANTAGE_PREFIX.length);
  else if (source !== '') settings.source = source;
  if (account !== '') settings.account = account;
  if (form.mechanism !== '') settings.mechanism = form.mechanism;
  return { settings };
}
