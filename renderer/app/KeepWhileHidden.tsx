// A hidden tab's content is not re-rendered: while `active` stays false, React keeps the last render (a run's
// progress re-renders the window many times a second, and the plan editor of a large plan is costly to render).
import { memo, type ReactNode } from 'react';

function Content({ children }: { active: boolean; children: ReactNode }) {
  return <>{children}</>;
}

export const KeepWhileHidden = memo(Content, (previous, next) => !previous.active && !next.active);
