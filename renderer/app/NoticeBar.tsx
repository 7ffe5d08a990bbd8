// The latest message of the app (saved, copied, an error from the core), until dismissed or replaced.
export interface Notice {
  text: string;
  kind: 'info' | 'error';
  /** Distinguishes two equal messages in a row. */
  serial: number;
}

export function NoticeBar({ notice, onDismiss }: { notice?: Notice; onDismiss: () => void }) {
  return (
    <div
      className={`notice ${notice ? `notice-${notice.kind}` : 'notice-empty'}`}
      role={notice?.kind === 'error' ? 'alert' : 'status'}
    >
      {notice ? (
        <>
          <span>{notice.text}</span>
          <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss the message">
            ✕
          </button>
        </>
      ) : null}
    </div>
  );
}
