import { useState } from 'react';
import { useKeybridge } from '../store';

const NONE: string[] = [];

/** Start-up notices from main (no keyring, a store file set aside, ...) and the no-keyring choice. */
export function Notices() {
  const notices = useKeybridge((s) => s.status?.notices ?? NONE);
  const protection = useKeybridge((s) => s.status?.secretProtection);
  const allowed = useKeybridge((s) => s.status?.allowObfuscatedSecrets ?? false);
  const setSecretPolicy = useKeybridge((s) => s.setSecretPolicy);
  const [error, setError] = useState<string | null>(null);
  if (notices.length === 0) return null;
  const change = async (allow: boolean): Promise<void> => {
    const outcome = await setSecretPolicy(allow);
    setError(outcome.ok ? null : outcome.message);
  };
  return (
    <div className="banner banner-warning" role="status">
      {notices.map((notice) => (
        <p key={notice}>{notice}</p>
      ))}
      {protection === 'obfuscated' ? (
        <p>
          <button type="button" className="button button-small" onClick={() => void change(!allowed)}>
            {allowed ? 'Keep tokens in memory only' : 'Save tokens on this computer anyway'}
          </button>
        </p>
      ) : null}
      {error ? <p>{error}</p> : null}
    </div>
  );
}
