// What the form's sections share beyond the form values: the saved connection, the key file
// imported but not saved yet, the endpoints an OpenAPI specification offers, and the last test's
// mark on a field (the verdict that points at what to change).
import { createContext, useContext } from 'react';
import type { ConnectionView, TokenImport } from '../../../shared/types';
import type { Section, VerdictMark } from './form-values';

export interface FormExtras {
  connection: ConnectionView | null;
  /** A saved, decryptable secret exists. */
  hasSecret: boolean;
  imported: TokenImport | null;
  /** Takes an import (sets method and key name for an access key pair), or removes it (null). */
  setImported(result: TokenImport | null): void;
  /** A refused import: shown on the secret field. */
  importError: string | null;
  setImportError(message: string | null): void;
  endpoints: string[];
  setEndpoints(endpoints: string[]): void;
  /** The last test's verdict about a field, while the form shows the saved settings. */
  mark: VerdictMark | null;
  openSection(section: Section): void;
}

export const FormExtrasContext = createContext<FormExtras | null>(null);

export function useFormExtras(): FormExtras {
  const extras = useContext(FormExtrasContext);
  if (!extras) throw new Error('useFormExtras outside ConnectionForm');
  return extras;
}
