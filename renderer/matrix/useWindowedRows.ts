// Windowing for the matrix's long tables: only the rows in view (and a few around them) are in the DOM, so a
// 5,000-case plan renders and scrolls in a few milliseconds. Short tables are rendered whole: no spacer rows, and
// every row stays in the DOM for find-in-page and screen readers.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

/** Above this many rows the table is windowed. */
export const WINDOW_THRESHOLD = 150;

export interface WindowedRows {
  /** The indexes to render, in order. */
  indexes: number[];
  /** Heights of the spacer rows before and after them (0 when the table is rendered whole). */
  before: number;
  after: number;
  /** Brings a row into view (a no-op for a whole table: the focused row scrolls itself). */
  scrollTo: (index: number) => void;
}

/** The root font size in pixels (large text makes it 21 px): row heights are set in rem. */
function remPixels(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * `rowRem(index)`: the height of a row in rem, which CSS must give it exactly (cells do not wrap). Rows are not
 * measured: measuring each row as it mounts forces a layout per row and made scrolling a 5,000-case plan stutter.
 */
export function useWindowedRows(
  count: number,
  scrollElement: RefObject<HTMLElement | null>,
  rowRem: (index: number) => number,
): WindowedRows {
  const windowed = count > WINDOW_THRESHOLD;
  const virtualizer = useVirtualizer({
    count: windowed ? count : 0,
    getScrollElement: () => scrollElement.current,
    estimateSize: (index) => rowRem(index) * remPixels(),
    overscan: 4,
    // React 19: a scroll updates the rows in the next frame rather than in a synchronous re-render.
    useFlushSync: false,
  });
  if (!windowed) {
    return {
      indexes: Array.from({ length: count }, (_, index) => index),
      before: 0,
      after: 0,
      scrollTo: () => undefined,
    };
  }
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  const first = items[0];
  const last = items[items.length - 1];
  return {
    indexes: items.map((item) => item.index),
    before: first ? first.start : 0,
    after: last ? total - last.end : 0,
    scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
  };
}
