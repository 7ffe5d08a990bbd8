// Light or dark (following the system unless chosen) and large text for a projector; remembered in this browser.
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const THEME_KEY = 'relayTester.theme';
const LARGE_TEXT_KEY = 'relayTester.largeText';

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage may be unavailable (file:// or privacy settings); preferences then last one session
  }
}

function store(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // see stored()
  }
}

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function usePreferences() {
  const [theme, setTheme] = useState<ThemeChoice>(() => {
    const value = stored(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  });
  const [largeText, setLargeText] = useState(() => stored(LARGE_TEXT_KEY) === 'true');
  const [systemDark, setSystemDark] = useState(systemPrefersDark);

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const listener = (event: MediaQueryListEvent) => setSystemDark(event.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);

  const dark = theme === 'dark' || (theme === 'system' && systemDark);

  useEffect(() => {
    store(THEME_KEY, theme);
  }, [theme]);

  // The page is told the resolved theme, so one dark palette in the stylesheet serves "dark" and "system".
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [dark]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
    store(LARGE_TEXT_KEY, String(largeText));
  }, [largeText]);

  return { theme, setTheme, largeText, setLargeText, dark };
}
