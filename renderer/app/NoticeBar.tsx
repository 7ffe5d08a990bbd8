// The latest message of the app (saved, copied, an error from the core), until dismissed or replaced.
export interface Notice {
  text: string;
  kind: 'info' | 'error';
  /** Distinguishes two equal messages in a row. */
  serial: number;
  /** A file the message is about, which the desktop app can show in its folder. */
  reveal?: string;
}

export function NoticeBar({
  notice,
  onDismiss,
  onReveal,
}: {
  notice?: Notice;
  onDismiss: () => void;
  /** Shows a file in the system's file manager, where the face can (the desktop app). */
  onReveal?: (file: string) => void;
}) {
  return (
    <div
      className={`notice ${notice ? `notice-${notice.kind}` : 'notice-empty'}`}
      role={notice?.kind === 'error' ? 'alert' : 'status'}
    >
      {notice ? (
        <>
          <span>{notice.text}</span>
          {notice.reveal && onReveal ? (
            <button type="button" className="link-button" onClick={() => onReveal(notice.reveal!)}>
              Show in folder
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss the message">
            ✕
          </button>
        </>
      ) : null}
    </div>
  );
}
