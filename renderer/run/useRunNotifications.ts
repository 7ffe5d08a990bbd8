// "Notify me when a long run ends": the user's choice, remembered in this browser, and the browser's permission,
// asked for only from that checkbox (a user gesture), never on load. The desktop app's window denies every
// permission request (main/electron/windowPolicy.ts), notifications included, so there the choice is not offered
// and the title and the in-app notice tell alone.
import { useCallback, useState } from 'react';

const NOTIFY_KEY = 'relayTester.notifyLongRuns';

export type NotificationChoice = { enabled: boolean; supported: boolean };

function notificationApi(): typeof Notification | undefined {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : undefined;
}

function storedChoice(): boolean {
  try {
    return window.localStorage.getItem(NOTIFY_KEY) === 'true';
  } catch {
    return false; // storage may be unavailable; the choice then lasts one session
  }
}

function storeChoice(enabled: boolean): void {
  try {
    window.localStorage.setItem(NOTIFY_KEY, String(enabled));
  } catch {
    // see storedChoice()
  }
}

/** Whether a system notification may be shown now: chosen, supported and permitted. */
export function systemNotificationsAllowed(enabled: boolean): boolean {
  return enabled && notificationApi()?.permission === 'granted';
}

export function useRunNotifications(
  onNotice: (text: string, kind?: 'info' | 'error') => void,
  face: 'electron' | 'browser' | undefined,
) {
  const supported = face === 'browser' && notificationApi() !== undefined;
  const [enabled, setEnabledState] = useState(() => storedChoice() && notificationApi()?.permission === 'granted');

  const setEnabled = useCallback(
    async (wanted: boolean) => {
      const api = notificationApi();
      if (!wanted) {
        setEnabledState(false);
        storeChoice(false);
        return;
      }
      if (!api) {
        onNotice('This browser cannot show notifications; a finished run is still shown here and in the tab title.');
        return;
      }
      const permission = api.permission === 'default' ? await api.requestPermission() : api.permission;
      if (permission !== 'granted') {
        setEnabledState(false);
        storeChoice(false);
        onNotice(
          'Notifications are blocked for this page; allow them in the browser’s site settings to be told when a long run ends.',
          'error',
        );
        return;
      }
      setEnabledState(true);
      storeChoice(true);
    },
    [onNotice],
  );

  return { enabled: enabled && supported, supported, setEnabled };
}
