// The window: the sidebar and the main pane side by side, the sidebar resizable (by pointer or, on
// its separator, the arrow keys, Home and End) and its width kept in this window's storage.
import { lazy, Suspense, useEffect, useRef } from 'react';
// react-resizable-panels: well kept, and its separator is a focusable WAI-ARIA window splitter
// (role=separator with its values, keyboard resizing) that a hand-made drag handle would lack.
import { Group, Panel, Separator, type PanelImperativeHandle } from 'react-resizable-panels';
import { useKeybridge } from '../store';
import { ConnectionPane } from './ConnectionPane';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';

// The audit log and export/import are opened now and then: loaded when first shown, so the window
// draws its connections sooner.
const AuditView = lazy(() => import('./AuditView').then((m) => ({ default: m.AuditView })));
const TransferView = lazy(() => import('./TransferView').then((m) => ({ default: m.TransferView })));
import { windowTitle } from '../window-title';
import { SIDEBAR_WIDTH, storedSidebarWidth, storeSidebarWidth } from '../sidebar-width';

export function App() {
  const load = useKeybridge((s) => s.load);
  const loadError = useKeybridge((s) => s.loadError);
  const view = useKeybridge((s) => s.view);
  const paneKey = useKeybridge((s) => s.paneKey);
  const selectedName = useKeybridge((s) => s.connections.find((c) => c.id === s.selectedId)?.name ?? null);
  useEffect(() => {
    document.title = windowTitle(view, selectedName);
  }, [view, selectedName]);
  const testingId = useKeybridge((s) => s.testingId);
  const cancelTest = useKeybridge((s) => s.cancelTest);
  const sidebarPanel = useRef<PanelImperativeHandle>(null);
  // Escape cancels a running test (panels close themselves on Escape: ConnectionPane).
  useEffect(() => {
    if (testingId === null) return;
    const onKey = (event: KeyboardEvent): void => {
      // Not when the Escape was someone else's (a panel closing, a menu, the search field clearing),
      // nor while another connection is shown: it cancels the test the admin is looking at.
      if (event.key !== 'Escape' || event.defaultPrevented || useKeybridge.getState().selectedId !== testingId) return;
      const target = event.target as HTMLElement | null;
      if (target?.matches('select, input[type="search"]')) return;
      cancelTest(testingId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [testingId, cancelTest]);
  useEffect(() => {
    void load();
    // A file dropped outside the token field must not make the window navigate to it.
    const stop = (event: DragEvent): void => event.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, [load]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          // The first field of the form's open tab; elsewhere (audit log, export), the pane's first control.
          (
            document.querySelector<HTMLElement>('main form [role="tabpanel"]:not([hidden]) :is(select, input, textarea)') ??
            document.querySelector<HTMLElement>('main select, main input, main button')
          )?.focus();
        }}
      >
        Skip to the connection settings
      </a>
      <Group
        className="app-panels"
        orientation="horizontal"
        onLayoutChanged={(_layout, meta) => {
          // Only what the admin chose is kept, not a width the window's size forced; read once the
          // new layout is on screen (the panel's size is its element's width).
          if (meta.isUserInteraction) requestAnimationFrame(() => sidebarPanel.current && storeSidebarWidth(sidebarPanel.current.getSize().inPixels));
        }}
      >
        <Panel
          id="sidebar-panel"
          className="sidebar-panel"
          panelRef={sidebarPanel}
          defaultSize={storedSidebarWidth()}
          minSize={SIDEBAR_WIDTH.min}
          maxSize={SIDEBAR_WIDTH.max}
          groupResizeBehavior="preserve-pixel-size"
        >
          <Sidebar />
        </Panel>
        <Separator className="sidebar-separator" aria-label="Resize the connection list" />
        <Panel id="main-panel" className="main-panel" minSize={320}>
          <main className="main" id="main" aria-labelledby="pane-title">
            <Notices />
            {loadError ? (
              <div className="banner banner-error" role="alert">
                <strong>Keybridge could not load your connections.</strong> {loadError}
              </div>
            ) : view.kind === 'audit' ? (
              <Suspense fallback={<p className="loading">Loading the audit log…</p>}>
                <AuditView />
              </Suspense>
            ) : view.kind === 'transfer' ? (
              <Suspense fallback={<p className="loading">Loading…</p>}>
                <TransferView />
              </Suspense>
            ) : (
              <ConnectionPane key={paneKey} />
            )}
          </main>
        </Panel>
      </Group>
    </div>
  );
}
