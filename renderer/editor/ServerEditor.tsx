// One virtual server and the relay policy it should enforce.
import { TLS_MODES } from '../../shared/session.js';
import { getAt, pathText, textAt } from '../plan/planEdit.js';
import { AddressListField } from './AddressListField.js';
import { fieldId, type PlanEditing } from './planEditing.js';
import { FieldProblems } from './ProblemList.js';
import { RelayUsersField } from './RelayUsersField.js';
import { TextField } from './TextField.js';

const TLS_LABELS: Record<string, string> = {
  auto: 'auto: STARTTLS when offered; never AUTH without it',
  starttls: 'starttls: STARTTLS required',
  implicit: 'implicit: TLS from the first byte (port 465)',
  none: 'none: plain text (AUTH in clear)',
};

type CertificateMode = 'verify' | 'pin' | 'allow-invalid';

export function ServerEditor({ editing, index }: { editing: PlanEditing; index: number }) {
  const base = ['servers', index] as const;
  const at = pathText(base);
  const name = textAt(editing.plan, [...base, 'name']) || `Server ${index + 1}`;
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

  const tlsId = fieldId([...base, 'tls']);
  const tls = textAt(editing.plan, [...base, 'tls']) || 'auto';
  return (
    <fieldset className="server" data-path={at}>
      <legend>{name}</legend>
      <div className="field-grid">
        <TextField editing={editing} path={[...base, 'name']} label="Name" placeholder="SMTP Relay Virtual Server" />
        <TextField editing={editing} path={[...base, 'host']} label="Host" placeholder="mail.corp.example" />
        <TextField editing={editing} path={[...base, 'port']} label="Port" numeric optional placeholder="25" />
        <div className="field">
          <label htmlFor={tlsId}>TLS</label>
          <select
            id={tlsId}
            data-path={pathText([...base, 'tls'])}
            value={tls}
            disabled={editing.disabled}
            onChange={(event) => editing.set([...base, 'tls'], event.target.value)}
          >
            {TLS_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {TLS_LABELS[mode] ?? mode}
              </option>
            ))}
          </select>
          <FieldProblems problems={editing.problems} path={pathText([...base, 'tls'])} />
        </div>
        <TextField
          editing={editing}
          path={[...base, 'banner']}
          label="Banner (masquerade domain the greeting must name)"
          optional
          placeholder="relay.corp.example"
        />
      </div>
      <fieldset className="choice" data-path={pathText([...base, 'certificateSha256'])}>
        <legend>Server certificate</legend>
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
            placeholder="AB:CD:…"
          />
        ) : null}
        <FieldProblems problems={editing.problems} path={at} />
      </fieldset>
      <RelayUsersField editing={editing} path={[...base, 'relay', 'users']} />
      <AddressListField
        editing={editing}
        path={[...base, 'relay', 'hosts']}
        label="Relay hosts (may relay without authenticating)"
        itemLabel="relay host"
      />
      <AddressListField
        editing={editing}
        path={[...base, 'connect', 'deny']}
        label="Connection control: refused at connect"
        itemLabel="denied client"
      />
      <label className="toggle">
        <input
          type="checkbox"
          data-path={pathText([...base, 'senderMustMatchLogin'])}
          disabled={editing.disabled}
          checked={getAt(editing.plan, [...base, 'senderMustMatchLogin']) === true}
          onChange={(event) => editing.set([...base, 'senderMustMatchLogin'], event.target.checked ? true : undefined)}
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
      <div className="server-actions">
        <button type="button" disabled={editing.disabled} onClick={() => editing.remove(base)}>
          Remove this server
        </button>
      </div>
    </fieldset>
  );
}
