// General: the product, the connection's name and the server address. A pasted curl command or URL
// with its header fills the form (its secret goes to the secret field as an import); a hostname
// mismatch offers the names the certificate holds.
import { useState, type ClipboardEvent } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { productForMethod, specSettings } from '../../../shared/connection-profile';
import type { PastedConnection } from '../../../shared/paste-connection';
import { PRESETS } from '../../../shared/presets';
import { useKeybridge } from '../../store';
import { Field } from './Field';
import { useFormExtras } from './form-context';
import { certificateNames, originOf, withHost, type FormValues } from './form-values';
import { useAcceptImport, useChooseProduct } from './form-changes';
import { ProductField } from './ProductField';
import { wordsFor } from './auth-methods';

export function GeneralSection({ autoFocus }: { autoFocus: boolean }) {
  const { register, control, setValue, getValues, setFocus } = useFormContext<FormValues>();
  const { connection, hasSecret, imported, setEndpoints, mark, setImportError } = useFormExtras();
  const importTokenText = useKeybridge((s) => s.importTokenText);
  const chooseProduct = useChooseProduct();
  const acceptImport = useAcceptImport();
  const [presetId, method, verify, addressText, endpointText, tokenText] = useWatch({ control, name: ['preset', 'authMethod', 'verifyCertificate', 'serverAddress', 'endpoint', 'apiToken'] });
  const preset = PRESETS[presetId];
  const words = wordsFor(preset, method);
  const [pasteNote, setPasteNote] = useState<string[] | null>(null);
  const tokenLength = tokenText.trim().length;

  /** The saved secret would go to another server: main asks first, in a dialog of its own. */
  const movesSavedSecret =
    connection !== null && ((hasSecret && tokenLength === 0 && imported === null) || connection.clientCertificate !== null) && addressText.trim() !== '' && originOf(addressText) !== originOf(connection.serverAddress);

  /**
   * A curl command, or a URL with its header: fill the form from it, never put a secret in the
   * address. Plain text (a host, a URL) pastes as usual; anything else is read by the paste parser,
   * loaded only then (it is most of a curl and shell reader, not needed to draw the window).
   */
  const onPaste = (event: ClipboardEvent<HTMLInputElement>): void => {
    const text = event.clipboardData.getData('text');
    // A host or a URL with nothing that could be a key (no space, credentials, query or fragment).
    if (/^[^\s@?#]*$/.test(text.trim())) return;
    event.preventDefault();
    void import('../../../shared/paste-connection').then(
      ({ pastedConnection }) => {
        const pasted = pastedConnection(text);
        // Text the reader does not know may still hold a key: it never goes into the address.
        if (pasted) fillFrom(pasted);
        else setPasteNote(['Nothing was filled in: this is not an address or a command Keybridge reads (curl, HTTPie, or a URL with its header). Type the server address.']);
      },
      () => setPasteNote(['The pasted text could not be read. Type the server address.']),
    );
  };
  const fillFrom = (pasted: PastedConnection): void => {
    if (pasted.problems.length > 0) {
      setPasteNote(pasted.problems);
      return;
    }
    const done: string[] = [];
    if (pasted.serverAddress) {
      setValue('serverAddress', pasted.serverAddress, { shouldDirty: true, shouldValidate: true });
      done.push(`address ${pasted.serverAddress}`);
    }
    if (pasted.endpoint) {
      setValue('endpoint', pasted.endpoint, { shouldDirty: true });
      done.push(`test request ${pasted.endpoint} (Key details)`);
    }
    if (pasted.product && pasted.product !== getValues('preset')) {
      chooseProduct(pasted.product);
      done.push(PRESETS[pasted.product].product);
    }
    if (pasted.auth) {
      if (!PRESETS[getValues('preset')].methods.includes(pasted.auth.method)) chooseProduct(productForMethod(pasted.auth.method));
      setValue('authMethod', pasted.auth.method, { shouldDirty: true });
      if (pasted.auth.method === 'header') setValue('authIdentity', pasted.auth.headerName, { shouldDirty: true });
      if (pasted.auth.method === 'basic') setValue('authIdentity', pasted.auth.username, { shouldDirty: true });
      done.push(pasted.auth.method === 'header' ? `the key in the ${pasted.auth.headerName} header` : pasted.auth.method === 'basic' ? `user ${pasted.auth.username}` : 'bearer token');
    }
    const notes = [...pasted.warnings];
    if (pasted.verifyCertificate === false && verify === 'yes') notes.push('The command skipped certificate checks (-k). Verify certificate stays Yes: test, then trust the certificate if it is the right one.');
    setPasteNote([`Filled in from the pasted command: ${done.join(', ') || 'nothing Keybridge uses'}.`, ...notes]);
    if (pasted.secret) {
      // The secret goes to main as an import at once; the window keeps only its masked hint.
      importTokenText({ fileName: null, text: pasted.secret }).then(acceptImport, () => {
        // Said here, where the admin pasted, as well as on the secret's field.
        setImportError('The secret in the pasted command could not be imported. Paste it into the secret field.');
        setPasteNote((notes) => [...(notes ?? []), 'Its secret could not be imported: paste the secret in Authentication.']);
      });
    }
  };

  const names = mark?.field === 'serverAddress' && connection?.lastTest?.verdict === 'tls-hostname-mismatch' && originOf(addressText) === originOf(connection.serverAddress) ? certificateNames(connection.lastTest.certificate?.subjectAltNames ?? []) : [];
  const addressNote = movesSavedSecret && connection ? (
    <p>
      The saved {hasSecret && tokenLength === 0 && imported === null ? words.secret : "client certificate's key"} was entered for <span className="mono">{originOf(connection.serverAddress)}</span>. When you save, Keybridge asks in a separate dialog before it goes to{' '}
      <span className="mono">{originOf(addressText) || 'the new address'}</span>; or enter it again for the new address.
    </p>
  ) : names.length > 0 ? (
    <div className="verdict-fix">
      <p>The certificate does not name this host. It names:</p>
      <div className="chips">
        {names.map((name) => {
          const next = withHost(addressText, name);
          return next ? (
            <button
              key={name}
              type="button"
              className="button button-small mono"
              onClick={() => {
                setValue('serverAddress', next, { shouldDirty: true, shouldValidate: true });
                // The buttons go with the mismatch: the work continues in the address.
                setFocus('serverAddress');
              }}
            >
              Use {name}
            </button>
          ) : (
            <span key={name} className="mono chip">
              {name}
            </span>
          );
        })}
      </div>
    </div>
  ) : pasteNote ? (
    <ul className="plain-notes">
      {pasteNote.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  ) : null;

  return (
    <>
      <ProductField
        value={presetId}
        onChange={chooseProduct}
        onStaAddress={(address) => setValue('serverAddress', address, { shouldValidate: true, shouldDirty: true })}
        showSteps={connection === null}
        autoFocus={autoFocus}
        specTrust={connection ? { id: connection.id, verifyCertificate: connection.verifyCertificate } : { verifyCertificate: verify === 'yes' }}
        onSpec={(summary) => {
          // The same rule as the CLI's --openapi (shared/connection-profile.ts): only a method the product offers.
          const applied = specSettings(preset, summary);
          if (applied.auth) {
            setValue('authMethod', applied.auth.method, { shouldDirty: true });
            setValue('authIdentity', applied.auth.headerName ?? '', { shouldDirty: true });
          }
          if (applied.endpoint) setValue('endpoint', applied.endpoint, { shouldDirty: true });
          setEndpoints(summary.endpoints);
        }}
      >
        <Field name="name" label="Connection name">
          {(c) => <input {...c} {...register('name')} placeholder="e.g. Key manager (production)" autoComplete="off" />}
        </Field>
        <Field
          name="serverAddress"
          label="Server address"
          className={mark?.field === 'serverAddress' ? 'is-marked' : undefined}
          note={addressNote}
          help={
            <>
              Tested over HTTPS{preset.defaultPort ? ` (port ${preset.defaultPort} unless the address names one)` : ''} with <span className="mono">GET {endpointText.trim() || preset.endpoint}</span> (Key details). You can paste a curl command here.
            </>
          }
        >
          {(c) => (
            <input
              {...c}
              {...register('serverAddress', { onChange: () => setPasteNote(null) })}
              onPaste={onPaste}
              placeholder="host or https://host:port"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
      </ProductField>
    </>
  );
}
