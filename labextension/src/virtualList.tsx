/**
 * A list that renders only the rows in (and near) its scrolled window, and asks for more rows
 * when the user scrolls near its end: 100,000 runs cost the browser a screenful of elements.
 *
 * Windowing is @tanstack/react-virtual's (rows of any height, measured as they render); the
 * visible rows stay real `<li>` elements in normal flow, below a spacer, so the rows' own
 * markup, classes and `data-*` hooks are unchanged.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

/** What a row is given to take part in the windowing: spread onto its `<li>`. */
export interface IRowSlot {
  ref: (element: HTMLElement | null) => void;
  'data-index': number;
}

/** Rows closer than this to the end of what is loaded ask for the next page. */
const NEAR_END = 10;

export function VirtualList<T>(props: {
  items: T[];
  /** A stable key per item. */
  itemKey: (item: T) => string;
  /** A first guess of a row's height in pixels (rows are measured once shown). */
  estimateSize: number;
  renderRow: (item: T, slot: IRowSlot) => JSX.Element;
  /** Whether every item is loaded; if not, `onNearEnd` is called when the end comes into view. */
  complete: boolean;
  onNearEnd: () => void;
  /** Class of the scrolling box (the `<ul>` inside keeps `orchestr-lab-list`). */
  className?: string;
}): JSX.Element {
  const { items, complete, onNearEnd } = props;
  const scroller = React.useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => props.estimateSize,
    getItemKey: index => props.itemKey(items[index]),
    overscan: 10,
    gap: 6
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows.length ? rows[rows.length - 1].index : -1;
  React.useEffect(() => {
    if (!complete && items.length > 0 && last >= items.length - NEAR_END) {
      onNearEnd();
    }
  }, [last, items.length, complete, onNearEnd]);
  // The list is as tall as all its rows (measured or estimated), so the box around it sizes
  // itself before any row shows; the rows shown sit below a spacer.
  const before = rows.length ? rows[0].start : 0;
  return (
    <div className={`orchestr-lab-scroll ${props.className ?? ''}`} ref={scroller}>
      <ul
        className="orchestr-lab-list orchestr-lab-virtual"
        style={{ height: virtualizer.getTotalSize(), paddingTop: before }}
      >
        {rows.map(row =>
          React.cloneElement(
            props.renderRow(items[row.index], { ref: virtualizer.measureElement, 'data-index': row.index }),
            { key: row.key }
          )
        )}
      </ul>
    </div>
  );
}
