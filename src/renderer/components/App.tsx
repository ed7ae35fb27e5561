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
  const selectedId = useKeybridge((s) => s.selectedId);
  const selectedName = useKeybridge((s) => s.connections.find((c) => c.id === s.selectedId)?.name ?? null);
  useEffect(() => {
    document.title = windowTitle(view, selectedName);
  }, [view, selectedName]);
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
      <Sidebar />
      <main className="main" aria-labelledby="pane-title">
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
          <ConnectionPane key={selectedId ?? 'new'} />
        )}
      </main>
    </div>
  );
}
