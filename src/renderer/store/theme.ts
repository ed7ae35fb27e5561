// Light or dark: following the OS (prefers-color-scheme) unless the admin chose one, kept in this
// window's storage. The choice is a data-theme attribute on <html> that styles.css reads.
import { api } from '../api';

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
  // The desktop around the page follows too (nativeTheme in main); the page does not wait for it.
  void api.setTheme({ theme: choice }).catch(() => undefined);
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Storage unavailable: the choice lasts until the window closes.
  }
}
