import { useEffect } from 'react';
import { useKeybridge } from '../store';
import { ConnectionPane } from './ConnectionPane';
import { Notices } from './Notices';
import { Sidebar } from './Sidebar';

export function App() {
  const load = useKeybridge((s) => s.load);
  const loadError = useKeybridge((s) => s.loadError);
  useEffect(() => {
    void load();
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
        ) : (
          <ConnectionPane />
        )}
      </main>
    </div>
  );
}
