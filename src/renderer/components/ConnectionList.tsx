// The saved connections as one WAI-ARIA listbox: a single Tab stop; Up, Down, Page Up, Page Down,
// Home, End and typeahead move the active option (aria-activedescendant, focus stays on the list);
// Enter, Space or a click opens it. The selected option is the connection the pane shows.
// Virtualised: only the options in view (and the active one) are in the DOM, so 500 cost what a
// screenful does.
// @tanstack/react-virtual: headless and well kept; it measures options of varying height (a name
// on one or two lines) and scrolls to an index, which a hand-rolled window would have to redo.
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ConnectionView } from '../../shared/types';
import { listState, moveActive, typeahead } from '../connection-list';

interface Props {
  /** The connections shown, in their order. */
  connections: readonly ConnectionView[];
  /** The connection the pane shows, or null (a new connection, the audit log…). */
  selectedId: string | null;
  onOpen(id: string): void;
  /** Changes with the search, filter and sort: the list then brings its active option into view. */
  arrangement: string;
}

/** The option's element id, for aria-activedescendant. */
const optionId = (id: string): string => `connection-option-${id}`;
/** Letters typed within this time make one typeahead search ("km p" finds "KM Production"). */
const TYPEAHEAD_MS = 600;

export function ConnectionList({ connections, selectedId, onOpen, arrangement }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(selectedId);
  // A selection made elsewhere (saving a new connection, a delete) moves the active option with it.
  const [seenSelected, setSeenSelected] = useState(selectedId);
  if (seenSelected !== selectedId) {
    setSeenSelected(selectedId);
    if (selectedId !== null) setActiveId(selectedId);
  }
  // The active option is one that is shown: else the selected one, else the first.
  let active = connections.findIndex((c) => c.id === activeId);
  if (active < 0) active = connections.findIndex((c) => c.id === selectedId);
  if (active < 0 && connections.length > 0) active = 0;
  const activeConnection = active >= 0 ? connections[active] : undefined;

  // The active option is always rendered, even scrolled away, so aria-activedescendant names an element.
  const rangeExtractor = useCallback(
    (range: Range): number[] => {
      const indexes = defaultRangeExtractor(range);
      if (active >= 0 && active < range.count && !indexes.includes(active)) return [...indexes, active].sort((a, b) => a - b);
      return indexes;
    },
    [active],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- not compiled with React Compiler; the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: connections.length,
    getScrollElement: () => scrollRef.current,
    // A name on one line is 64 px high, on two 82: most near names take two at the default width.
    estimateSize: () => 76,
    getItemKey: (index) => connections[index]?.id ?? index,
    overscan: 6,
    gap: 2,
    // Room for the selected option's border and the active one's focus ring at either end.
    paddingStart: 3,
    paddingEnd: 3,
    scrollPaddingStart: 3,
    scrollPaddingEnd: 3,
    rangeExtractor,
  });

  // The selected connection is brought into view on load, when the selection changes, and after a
  // search, filter or sort; the admin's own scrolling is left alone otherwise.
  const activeRef = useRef(active);
  activeRef.current = active;
  const reveal = `${selectedId}|${arrangement}|${connections.length > 0}`;
  useEffect(() => {
    const index = activeRef.current;
    const element = scrollRef.current;
    const item = virtualizer.measurementsCache[index];
    if (index < 0 || !element || !item) return;
    // Left where it is when already in view (a click); else centred, with its neighbours around it.
    if (item.start < element.scrollTop || item.end > element.scrollTop + element.clientHeight) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [reveal, virtualizer]);

  const pick = useCallback(
    (id: string): void => {
      setActiveId(id);
      onOpen(id);
    },
    [onOpen],
  );
  const typed = useRef({ text: '', at: 0 });
  const goTo = (index: number): void => {
    const connection = connections[index];
    if (!connection) return;
    // Into view first, then pointed at: the option exists (rendered as the active one) when named.
    virtualizer.scrollToIndex(index, { align: 'auto' });
    setActiveId(connection.id);
  };
  /** How many options fit in the list's height, for Page Up and Page Down. */
  const pageSize = (): number => {
    const element = scrollRef.current;
    if (!element) return 1;
    const top = element.scrollTop;
    const bottom = top + element.clientHeight;
    const inView = virtualizer.getVirtualItems().filter((item) => item.start >= top && item.end <= bottom).length;
    return Math.max(1, inView - 1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = moveActive(event.key, active, connections.length, pageSize());
    if (next !== null) {
      event.preventDefault();
      goTo(next);
      return;
    }
    const typing = event.timeStamp - typed.current.at < TYPEAHEAD_MS && typed.current.text !== '';
    if (event.key === 'Enter' || (event.key === ' ' && !typing)) {
      event.preventDefault();
      if (activeConnection) onOpen(activeConnection.id);
      return;
    }
    if ([...event.key].length !== 1) return;
    event.preventDefault();
    const text = (typing ? typed.current.text : '') + event.key;
    typed.current = { text, at: event.timeStamp };
    const found = typeahead(connections.map((c) => c.name), active, text);
    if (found >= 0) goTo(found);
  };

  return (
    <div
      ref={scrollRef}
      className="connection-list"
      role="listbox"
      aria-label="Saved connections"
      tabIndex={0}
      aria-activedescendant={activeConnection ? optionId(activeConnection.id) : undefined}
      onKeyDown={onKeyDown}
    >
      <div role="presentation" className="connection-list-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <ConnectionOption
            key={item.key}
            connection={connections[item.index]!}
            index={item.index}
            setSize={connections.length}
            start={item.start}
            selected={connections[item.index]!.id === selectedId}
            active={item.index === active}
            measure={virtualizer.measureElement}
            onPick={pick}
          />
        ))}
      </div>
    </div>
  );
}

interface OptionProps {
  connection: ConnectionView;
  index: number;
  setSize: number;
  /** Its offset in the list, from the virtualizer. */
  start: number;
  selected: boolean;
  active: boolean;
  measure(element: HTMLElement | null): void;
  onPick(id: string): void;
}

/** One option. Memoised: scrolling mounts the options that come into view and leaves the others be. */
const ConnectionOption = memo(function ConnectionOption({ connection, index, setSize, start, selected, active, measure, onPick }: OptionProps) {
  const state = listState(connection);
  return (
    <div
      ref={measure}
      data-index={index}
      id={optionId(connection.id)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={`connection-item${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      title={connection.name}
      onClick={() => onPick(connection.id)}
    >
      <span className={`dot dot-${state.tone}`} aria-hidden="true" />
      <span className="connection-text">
        <span className="connection-name">{connection.name}</span>
        {/* What a test reaches: the punycode host, with an internationalised name's Unicode beside it. */}
        <span className="connection-address" title={connection.reaches?.unicodeHost ? `${connection.reaches.unicodeHost} is reached as ${connection.reaches.asciiHost}` : undefined}>
          {connection.reaches?.address ?? connection.serverAddress}
          {connection.reaches?.unicodeHost ? ` (${connection.reaches.unicodeHost})` : ''}
        </span>
        <span className={`connection-state state-${state.tone}`}>{state.label}</span>
      </span>
    </div>
  );
});
