// One virtual server and the relay policy it should enforce, laid out as Exchange System Manager shows it: the
// Access tab's Relay restrictions ("Only the list below" / "All except the list below", the list, "Allow all
// computers which successfully authenticate to relay", the users with Relay permission), Connection control, and
// how Relay Tester signs in (AUTH mechanism, EHLO name). Every control's accessible name says which server it is
// of, so two servers' fields do not read alike to a screen reader.
import { memo, type ReactNode } from 'react';
import { AUTH_MECHANISMS, DEFAULT_HELO, TLS_MODES } from '../../shared/session.js';
import { connectionMode, getAt, pathText, textAt, withConnectionMode, type ListMode } from '../plan/planEdit.js';
import { serverLabel } from '../plan/problems.js';
import { AddressListField } from './AddressListField.js';
import { fieldId, fieldState, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';
import { RelayUsersField } from './RelayUsersField.js';
import { TextField } from './TextField.js';

const TLS_LABELS: Record<string, string> = {
  auto: 'auto: STARTTLS when offered; never AUTH without it',
  starttls: 'starttls: STARTTLS required',
  implicit: 'implicit: TLS from the first byte (port 465)',
  none: 'none: plain text (AUTH in clear)',
};

const MECHANISM_LABELS: Record<string, string> = {
  login: 'AUTH LOGIN (Basic authentication)',
  plain: 'AUTH PLAIN',
  'cram-md5': 'AUTH CRAM-MD5',
  ntlm: 'AUTH NTLM (Integrated Windows authentication)',
  xoauth2: 'AUTH XOAUTH2 (access token as the password)',
  oauthbearer: 'AUTH OAUTHBEARER (access token as the password)',
};

const LIST_MODES: readonly (readonly [ListMode, string])[] = [
  ['only', 'Only the list below'],
  ['allExcept', 'All except the list below'],
];

type CertificateMode = 'verify' | 'pin' | 'allow-invalid';

/** Server keys the editor has no field for (the plan file sets them); their problems show under Further tests. */
const EXTRA_KEYS = ['senderMustMatchLogin', 'tricks', 'tricksAccount', 'canary', 'ntlm'] as const;

/** A group box whose legend also names the server, for screen readers only (the server's own box shows it). */
function Group({
  title,
  server,
  path,
  editing,
  className = 'server-group',
  children,
}: {
  title: string;
  server: string;
  path?: string;
  /** With a path: the group is described by the problems and warnings shown about that path inside it. */
  editing?: PlanEditing;
  className?: string;
  children: ReactNode;
}) {
  const describedBy = path && editing ? fieldState(editing, path).aria['aria-describedby'] : undefined;
  return (
    <fieldset className={className} data-path={path} aria-describedby={describedBy}>
      <legend>
        {title}
        <span className="visually-hidden"> of {server}</span>
      </legend>
      {children}
    </fieldset>
  );
}

/** Memoised: the window re-renders on every run event, and a server only changes with the plan (a new `editing`). */
export const ServerEditor = memo(function ServerEditor({ editing, index }: { editing: PlanEditing; index: number }) {
  const base = ['servers', index] as const;
  const at = pathText(base);
  const name = serverLabel(editing.plan, index);
  const certificateMode: CertificateMode =
    getAt(editing.plan, [...base, 'certificateSha256']) !== undefined
      ? 'pin'
      : getAt(editing.plan, [...base, 'allowInvalidCertificate']) === true
        ? 'allow-invalid'
        : 'verify';

  function setCertificateMode(mode: CertificateMode) {
    // The plan allows one of the two keys; editing.set applies changes in order, so both land.
    const pinned = getAt(editing.plan, [...base, 'certificateSha256']);
    editing.set([...base, 'allowInvalidCertificate'], mode === 'allow-invalid' ? true : undefined);
    editing.set(
      [...base, 'certificateSha256'],
      mode === 'pin' ? (typeof pinned === 'string' ? pinned : '') : undefined,
    );
  }

  const tlsPath = [...base, 'tls'];
  const tlsId = fieldId(tlsPath);
  const tls = textAt(editing.plan, tlsPath) || 'auto';
  const mechanismPath = [...base, 'authMechanism'];
  const mechanismId = fieldId(mechanismPath);
  const relayMode: ListMode = getAt(editing.plan, [...base, 'relay', 'mode']) === 'allExcept' ? 'allExcept' : 'only';
  const anyAuthenticated = getAt(editing.plan, [...base, 'relay', 'anyAuthenticated']) === true;
  const connectMode = connectionMode(editing.plan, index);
  const connectKey = connectMode === 'only' ? 'allow' : 'deny';
  const of = ` of ${name}`;
  return (
    <fieldset className="server" data-path={at}>
      <legend>{name}</legend>
      <div className="field-grid">
        <TextField
          editing={editing}
          path={[...base, 'name']}
          label="Name"
          accessibleName={`Name${of}`}
          placeholder="SMTP Relay Virtual Server"
        />
        <TextField
          editing={editing}
          path={[...base, 'host']}
          label="Host"
          accessibleName={`Host${of}`}
          placeholder="mail.corp.example"
        />
        <TextField
          editing={editing}
          path={[...base, 'port']}
          label="Port"
          accessibleName={`Port${of}`}
          numeric
          optional
          placeholder="25"
        />
        <div className="field">
          <label htmlFor={tlsId}>TLS</label>
          <select
            id={tlsId}
            data-path={pathText(tlsPath)}
            aria-label={`TLS${of}`}
            value={tls}
            disabled={editing.disabled}
            {...fieldState(editing, pathText(tlsPath)).aria}
            onChange={(event) => editing.set(tlsPath, event.target.value)}
          >
            {TLS_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {TLS_LABELS[mode] ?? mode}
              </option>
            ))}
          </select>
          <FieldProblems problems={editing.problems} warnings={editing.warnings} path={pathText(tlsPath)} />
        </div>
        <TextField
          editing={editing}
          path={[...base, 'banner']}
          label="Banner (masquerade domain the greeting must name)"
          accessibleName={`Banner (masquerade domain the greeting must name)${of}`}
          optional
          placeholder="relay.corp.example"
        />
      </div>

      <Group
        title="Server certificate"
        server={name}
        path={pathText([...base, 'certificateSha256'])}
        className="choice"
      >
        {(
          [
            ['verify', 'verify against the system’s certificate authorities'],
            ['pin', 'pin its SHA-256 fingerprint'],
            ['allow-invalid', 'accept any certificate (lab only; shown in every transcript)'],
          ] as const
        ).map(([mode, text]) => (
          <label key={mode} className="toggle">
            <input
              type="radio"
              name={fieldId(base, 'certificate')}
              value={mode}
              disabled={editing.disabled}
              checked={certificateMode === mode}
              onChange={() => setCertificateMode(mode)}
            />
            {text}
          </label>
        ))}
        {certificateMode === 'pin' ? (
          <TextField
            editing={editing}
            path={[...base, 'certificateSha256']}
            label="SHA-256 fingerprint"
            accessibleName={`SHA-256 fingerprint${of}`}
            placeholder="AB:CD:…"
          />
        ) : null}
        <FieldProblems problems={editing.problems} warnings={editing.warnings} path={at} />
      </Group>

      <Group title="Authentication" server={name}>
        <div className="field-grid">
          <div className="field">
            <label htmlFor={mechanismId}>AUTH mechanism</label>
            <select
              id={mechanismId}
              data-path={pathText(mechanismPath)}
              aria-label={`AUTH mechanism${of}`}
              value={textAt(editing.plan, mechanismPath)}
              disabled={editing.disabled}
              {...fieldState(editing, pathText(mechanismPath)).aria}
              onChange={(event) => editing.set(mechanismPath, event.target.value || undefined)}
            >
              <option value="">Best offered (without TLS: CRAM-MD5, then NTLM)</option>
              {AUTH_MECHANISMS.map((mechanism) => (
                <option key={mechanism} value={mechanism}>
                  {MECHANISM_LABELS[mechanism] ?? mechanism}
                </option>
              ))}
            </select>
            <FieldProblems problems={editing.problems} warnings={editing.warnings} path={pathText(mechanismPath)} />
          </div>
          <TextField
            editing={editing}
            path={[...base, 'helo']}
            label="EHLO name"
            accessibleName={`EHLO name${of}`}
            optional
            placeholder={DEFAULT_HELO}
            hint={`The name Relay Tester gives in EHLO; default ${DEFAULT_HELO}.`}
          />
        </div>
      </Group>

      <Group title="Relay restrictions" server={name} path={pathText([...base, 'relay', 'mode'])} editing={editing}>
        <div className="field-hint">Select which computers may relay through this virtual server:</div>
        <div className="radio-row">
          {LIST_MODES.map(([mode, text]) => (
            <label key={mode} className="toggle">
              <input
                type="radio"
                name={fieldId(base, 'relay-mode')}
                value={mode}
                disabled={editing.disabled}
                checked={relayMode === mode}
                onChange={() => editing.set([...base, 'relay', 'mode'], mode)}
              />
              {text}
            </label>
          ))}
        </div>
        <AddressListField
          editing={editing}
          path={[...base, 'relay', 'hosts']}
          label={relayMode === 'only' ? 'Computers that may relay' : 'Computers that may not relay'}
          itemLabel="relay host"
          context={name}
          hint={
            relayMode === 'only'
              ? 'Only these computers may relay without signing in.'
              : 'Every computer may relay without signing in, except these.'
          }
        />
        <label className="toggle">
          <input
            type="checkbox"
            data-path={pathText([...base, 'relay', 'anyAuthenticated'])}
            disabled={editing.disabled}
            checked={anyAuthenticated}
            onChange={(event) =>
              editing.set([...base, 'relay', 'anyAuthenticated'], event.target.checked ? true : undefined)
            }
          />
          Allow all computers which successfully authenticate to relay, regardless of the list above
        </label>
        <FieldProblems
          problems={editing.problems}
          warnings={editing.warnings}
          path={pathText([...base, 'relay', 'anyAuthenticated'])}
        />
        <FieldProblems
          problems={editing.problems}
          warnings={editing.warnings}
          path={pathText([...base, 'relay', 'mode'])}
        />
        <RelayUsersField editing={editing} path={[...base, 'relay', 'users']} serverName={name} />
      </Group>

      <Group title="Connection control" server={name} path={pathText([...base, 'connect'])} editing={editing}>
        <div className="field-hint">Select which computers may connect to this virtual server:</div>
        <div className="radio-row">
          {LIST_MODES.map(([mode, text]) => (
            <label key={mode} className="toggle">
              <input
                type="radio"
                name={fieldId(base, 'connect-mode')}
                value={mode}
                disabled={editing.disabled}
                checked={connectMode === mode}
                onChange={() => editing.set([], withConnectionMode(editing.plan, index, mode))}
              />
              {text}
            </label>
          ))}
        </div>
        <AddressListField
          editing={editing}
          path={[...base, 'connect', connectKey]}
          label={connectMode === 'only' ? 'Computers that may connect' : 'Computers refused at connect'}
          itemLabel="connection control entry"
          context={name}
          hint={
            connectMode === 'only'
              ? 'Only these computers may connect; every other one is refused at connect. An empty list refuses every computer.'
              : 'Every computer may connect except these, which are refused at connect.'
          }
        />
        <FieldProblems problems={editing.problems} warnings={editing.warnings} path={pathText([...base, 'connect'])} />
      </Group>

      <Group title="Further tests" server={name}>
        <label className="toggle">
          <input
            type="checkbox"
            data-path={pathText([...base, 'senderMustMatchLogin'])}
            disabled={editing.disabled}
            checked={getAt(editing.plan, [...base, 'senderMustMatchLogin']) === true}
            onChange={(event) =>
              editing.set([...base, 'senderMustMatchLogin'], event.target.checked ? true : undefined)
            }
          />
          Sender must match login (an authenticated user may only send as their own address)
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            data-path={pathText([...base, 'tricks'])}
            disabled={editing.disabled}
            checked={getAt(editing.plan, [...base, 'tricks']) === true}
            onChange={(event) => editing.set([...base, 'tricks'], event.target.checked ? true : undefined)}
          />
          Try address tricks (percent hack, bang path, source route, nmap&apos;s 16 tests), each in its own session
        </label>
        {/* Keys without a field of their own here still get their problems beside this group, not only in the summary. */}
        {EXTRA_KEYS.map((key) => (
          <FieldProblems
            key={key}
            problems={editing.problems}
            warnings={editing.warnings}
            path={pathText([...base, key])}
          />
        ))}
      </Group>
      <div className="server-actions">
        <button type="button" disabled={editing.disabled} onClick={() => editing.remove(base)}>
          Remove this server<span className="visually-hidden"> ({name})</span>
        </button>
      </div>
    </fieldset>
  );
});
