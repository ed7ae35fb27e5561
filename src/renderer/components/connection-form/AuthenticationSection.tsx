// Authentication: the method, its identity (header name, user name, access key ID), Passportal's
// scope, and the secret: pasted, imported from the key manager's file, or dropped here. A verdict
// about the secret (rejected, missing) is said on this field, with the fix.
import { useId, useRef, useState, type DragEvent } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { LIMITS } from '../../../shared/limits';
import { PRESETS } from '../../../shared/presets';
import { KeybridgeCallError } from '../../../shared/rpc';
import { useKeybridge } from '../../store';
import { METHODS, secretNoun, wordsFor } from './auth-methods';
import { Field } from './Field';
import { useFormExtras } from './form-context';
import type { FormValues } from './form-values';
import { useAcceptImport } from './form-changes';

/** What the last test said about the secret, in the admin's words. */
function secretVerdict(verdict: string | undefined, secret: string): string | null {
  if (verdict === 'no-token') return `No ${secret} is saved for this connection.`;
  if (verdict === 'http-unauthorized' || verdict === 'auth-rejected') return `The key manager rejected this ${secret} in the last test.`;
  return null;
}

export function AuthenticationSection() {
  const { register, control } = useFormContext<FormValues>();
  const { connection, hasSecret, imported, setImported, importError, setImportError, mark } = useFormExtras();
  const importTokenFile = useKeybridge((s) => s.importTokenFile);
  const importTokenText = useKeybridge((s) => s.importTokenText);
  const acceptImport = useAcceptImport();
  const [presetId, method, tokenText] = useWatch({ control, name: ['preset', 'authMethod', 'apiToken'] });
  const preset = PRESETS[presetId];
  const words = wordsFor(preset, method);
  const noun = secretNoun(words);
  const [dragging, setDragging] = useState(false);
  const secretInput = useRef<HTMLInputElement | null>(null);
  const removeId = `${useId()}-remove`;
  const tokenLength = tokenText.trim().length;

  const accept = (result: Parameters<typeof acceptImport>[0]): void => {
    setImportError(null);
    acceptImport(result);
    // The button that imported may be gone (the verdict's note): the work continues at the import.
    requestAnimationFrame(() => document.getElementById(`${removeId}`)?.focus());
  };
  const refuse = (error: unknown): void => setImportError(error instanceof KeybridgeCallError ? error.message : 'The file could not be imported.');
  const importFromFile = async (): Promise<void> => {
    try {
      const result = await importTokenFile();
      if (result) accept(result);
    } catch (error) {
      refuse(error);
    }
  };
  const onDrop = async (event: DragEvent<HTMLDivElement>): Promise<void> => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    if (file.size > LIMITS.apiToken) {
      setImportError(`${file.name}: the file is larger than 64 KiB, so it is not a key file.`);
      return;
    }
    try {
      accept(await importTokenText({ fileName: file.name, text: await file.text() }));
    } catch (error) {
      refuse(error);
    }
  };

  const verdict = mark?.field === 'apiToken' && tokenLength === 0 && imported === null ? secretVerdict(connection?.lastTest?.verdict, words.secret) : null;
  const missing = connection !== null && connection.tokenState === 'missing' && tokenLength === 0 && imported === null;
  const help = imported
    ? `Imported ${imported.fileName ?? 'key'} (${imported.hint}). It is saved encrypted when you save.`
    : tokenLength > 0
      ? `${tokenLength} characters pasted. Saved encrypted; never shown again.`
      : hasSecret
        ? `${words.secret} saved (${connection?.tokenHint ?? '••••'}${connection?.tokenState === 'session-only' ? ', kept until Keybridge closes' : ''}). Paste or import a new one only to replace it.`
        : connection?.tokenState === 'undecryptable'
          ? 'The saved token can no longer be decrypted on this computer. Paste or import it again.'
          : 'Paste it, import the file you downloaded from the key manager, or drop that file here.';
  const { ref: registerRef, ...tokenField } = register('apiToken');

  return (
    <>
      <div className="field-row">
        <Field name="authMethod" label="API authentication method">
          {(c) => (
            <select {...c} {...register('authMethod')}>
              {preset.methods.map((m) => (
                <option key={m} value={m}>
                  {METHODS[m].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {method === 'passportal-hmac' ? (
          <Field name="authScope" label="Scope">
            {(c) => <input {...c} {...register('authScope')} autoComplete="off" spellCheck={false} placeholder="docs_api" />}
          </Field>
        ) : null}
        {words.identity ? (
          <Field name="authIdentity" label={words.identity} help={words.identityHelp}>
            {(c) => <input {...c} {...register('authIdentity')} autoComplete="off" spellCheck={false} />}
          </Field>
        ) : null}
      </div>

      <div
        className={`dropzone${dragging ? ' is-dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void onDrop(event)}
      >
        <Field
          name="apiToken"
          label={words.secret}
          error={importError}
          className={verdict || missing ? 'is-marked' : undefined}
          note={
            verdict || missing ? (
              <div className="verdict-fix">
                <p>
                  {verdict ?? `No ${noun} is saved for this connection: it was imported without it, or it was lost.`} {missing && !verdict ? 'Paste it or import its file to use the connection.' : `Paste a new ${noun} or import its file, then save and test.`}
                </p>
                <div className="chips">
                  <button type="button" className="button button-small" onClick={() => secretInput.current?.focus()}>
                    {missing ? 'Paste' : 'Replace'}
                  </button>
                  <button type="button" className="button button-small" onClick={() => void importFromFile()}>
                    Import from file…
                  </button>
                </div>
              </div>
            ) : null
          }
          help={help}
          after={
            verdict || missing ? null : (
              <div>
                <button type="button" className="button button-small" onClick={() => void importFromFile()}>
                  Import from file…
                </button>
              </div>
            )
          }
        >
          {(c) =>
            imported ? (
              <div className="imported" id={c.id} role="group" aria-label={`Imported ${words.secret}`} aria-describedby={c['aria-describedby']}>
                <span>Imported</span>
                <span className="mono">{imported.hint}</span>
                <button
                  type="button"
                  id={removeId}
                  className="button button-small"
                  onClick={() => {
                    setImported(null);
                    requestAnimationFrame(() => secretInput.current?.focus());
                  }}
                >
                  Remove
                </button>
              </div>
            ) : (
              <input
                {...c}
                type="password"
                {...tokenField}
                ref={(element) => {
                  registerRef(element);
                  secretInput.current = element;
                }}
                onChange={(event) => {
                  setImportError(null);
                  void tokenField.onChange(event);
                }}
                placeholder={hasSecret ? 'Saved. Paste a new one to replace it' : `Paste the ${noun}`}
                autoComplete="off"
                spellCheck={false}
              />
            )
          }
        </Field>
      </div>
    </>
  );
}
