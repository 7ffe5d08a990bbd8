// Says so plainly when the browser lost its connection to `relay-tester ui` (there is no reconnect: the session is
// per launch, so a restarted host prints a new address).
import { useEffect, useState } from 'react';
import type { ConnectionMonitor, ConnectionState } from '../api/socketApi.js';

export function ConnectionBanner({ connection }: { connection?: ConnectionMonitor }) {
  const [state, setState] = useState<ConnectionState | undefined>(() => connection?.current());
  useEffect(() => {
    if (!connection) return;
    setState(connection.current());
    return connection.onChange(setState);
  }, [connection]);
  if (state?.state !== 'closed') return null;
  return (
    <div className="connection-banner" role="alert">
      <strong>Disconnected.</strong> {state.reason}. Nothing more can be run or saved from this page: start{' '}
      <code>relay-tester ui</code> again and open the address it prints.
    </div>
  );
}
