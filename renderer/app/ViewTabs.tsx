// The tabs of the window's views (ARIA tabs: one tab stop, the arrow keys move between them).
import type { KeyboardEvent } from 'react';

export type Tab = 'plan' | 'matrix' | 'probe' | 'history';
const TABS: { id: Tab; label: string }[] = [
  { id: 'plan', label: 'Plan' },
  { id: 'matrix', label: 'Matrix and transcript' },
  { id: 'probe', label: 'Quick probe' },
  { id: 'history', label: 'History' },
];

export interface ViewTabsProps {
  tab: Tab;
  onTab: (tab: Tab) => void;
  /** Shown as a badge on the Plan tab. */
  problemCount: number;
}

export function ViewTabs({ tab, onTab, problemCount }: ViewTabsProps) {
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length]!;
    onTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="Views">
      {TABS.map((entry, index) => (
        <button
          key={entry.id}
          id={`tab-${entry.id}`}
          type="button"
          role="tab"
          aria-selected={tab === entry.id}
          aria-controls={`panel-${entry.id}`}
          tabIndex={tab === entry.id ? 0 : -1}
          onClick={() => onTab(entry.id)}
          onKeyDown={(event) => onTabKey(event, index)}
        >
          {entry.label}
          {entry.id === 'plan' && problemCount > 0 ? (
            <span className="badge" aria-label={`${problemCount} problems`}>
              {problemCount}
            </span>
          ) : null}
        </button>
      ))}
    </div>
  );
}
