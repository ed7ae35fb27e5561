// Light or dark: following the OS (prefers-color-scheme) unless the admin chose one, kept in this
// window's storage. The choice is a data-theme attribute on <html> that styles.css reads.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'keybridge.theme';

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Storage unavailable: the choice lasts until the window closes.
  }
}
