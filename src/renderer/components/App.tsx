import { useEffect } from 'react';
import { useKeybridge } from '../store';
import { AuditView } from './AuditView';
import { ConnectionPane } from './ConnectionPane';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';
import { TransferView } from './TransferView';
import { windowTitle } from '../window-title';

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
  // Escape cancels a running test (panels close themselves on Escape: ConnectionPane).
  useEffect(() => {
    if (testingId === null) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') cancelTest(testingId);
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
          // The connection form's first field; elsewhere (audit log, export), the pane's first control.
          (document.querySelector<HTMLElement>('main form select, main form input') ?? document.querySelector<HTMLElement>('main select, main input, main button'))?.focus();
        }}
      >
        Skip to the connection settings
      </a>
      <Sidebar />
      <main className="main" id="main" aria-labelledby="pane-title">
        <Notices />
        {loadError ? (
          <div className="banner banner-error" role="alert">
            <strong>Keybridge could not load your connections.</strong> {loadError}
          </div>
        ) : view.kind === 'audit' ? (
          <AuditView />
        ) : view.kind === 'transfer' ? (
          <TransferView />
        ) : (
          <ConnectionPane key={paneKey} />
        )}
      </main>
    </div>
  );
}
