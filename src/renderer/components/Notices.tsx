import { useKeybridge } from '../store';

const NONE: string[] = [];

/** Start-up notices from main: no keyring, a store file set aside, ... */
export function Notices() {
  const notices = useKeybridge((s) => s.status?.notices ?? NONE);
  if (notices.length === 0) return null;
  return (
    <div className="banner banner-warning" role="status">
      {notices.map((notice) => (
        <p key={notice}>{notice}</p>
      ))}
    </div>
  );
}
