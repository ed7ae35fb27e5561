import { zodResolver } from '@hookform/resolvers/zod';
import * as RadioGroup from '@radix-ui/react-radio-group';
import { useEffect, useId, useState, type DragEvent } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { LIMITS } from '../../shared/contract';
import type { AuthMethod, ConnectionView, TokenImport } from '../../shared/types';
import { api } from '../api';
import { KeybridgeCallError } from '../../shared/rpc';
import { useKeybridge } from '../store';
import { formatJsonRule, PRESETS, type PresetId } from '../../shared/presets';
import { FIELD_OF, formSchema, inputOf, originOf, valuesOf, type FormValues } from '../connection-form-values';
import { ProductSection } from './ProductSection';
import { TrustSettings } from './TrustSettings';
import { afterProductChange, specSettings, startingProduct } from '../../shared/connection-profile';

/** The seeds' words for each method, and what its "identity" field is. */
const METHODS: Record<AuthMethod, { label: string; secret: string; identity: string | null; identityHelp?: string }> = {
  bearer: { label: 'Token (Authorization: Bearer)', secret: 'API token', identity: null },
  header: { label: 'API key in a header', secret: 'API key', identity: 'Header name', identityHelp: 'For example apikey (Thales STA) or AUTHTOKEN (Password Manager Pro).' },
  basic: { label: 'User name and password (HTTP Basic)', secret: 'Password', identity: 'User name' },
  'passportal-hmac': { label: 'Access key (Passportal HMAC)', secret: 'Secret access key', identity: 'Access key ID' },
};

export function ConnectionForm({ connection }: { connection: ConnectionView | null }) {
  const saveAndTest = useKeybridge((s) => s.saveAndTest);
  const retest = useKeybridge((s) => s.retest);
  const firstRun = useKeybridge((s) => s.connections.length === 0);
  const setFormDirty = useKeybridge((s) => s.setFormDirty);
  const busy = useKeybridge((s) => s.busy);
  const id = useId();
  const ids = {
    name: `${id}-name`,
    address: `${id}-address`,
    method: `${id}-method`,
    identity: `${id}-identity`,
    endpoint: `${id}-endpoint`,
    token: `${id}-token`,
    tokenHelp: `${id}-token-help`,
    verify: `${id}-verify`,
    verifyHelp: `${id}-verify-help`,
  };
  const [imported, setImported] = useState<TokenImport | null>(null);
  const [dragging, setDragging] = useState(false);
  /** An expiry date in the past that the admin chose to keep after the warning. */
  const [confirmedPast, setConfirmedPast] = useState<string | null>(null);
  /** Test requests an imported OpenAPI specification offers. */
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const hasSecret = connection !== null && connection.tokenState !== 'missing' && connection.tokenState !== 'undecryptable';

  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    getValues,
    reset,
    clearErrors,
    formState: { errors, isDirty },
  } = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: valuesOf(connection),
  });
  const [presetId, method, tokenText, verify, neverExpires, proxyMode, endpointText, addressText] = useWatch({
    control,
    name: ['preset', 'authMethod', 'apiToken', 'verifyCertificate', 'neverExpires', 'proxyMode', 'endpoint', 'serverAddress'],
  });
  const tokenLength = tokenText.trim().length;
  /** The saved secret would go to another server: main asks first, in a dialog of its own. */
  const movesSavedSecret =
    connection !== null && ((hasSecret && tokenLength === 0 && imported === null) || connection.clientCertificate !== null) && addressText.trim() !== '' && originOf(addressText) !== originOf(connection.serverAddress);
  // The form knows when it differs from what is saved: a marker, another button, and leaving asks.
  const changed = isDirty || imported !== null || tokenLength > 0;
  useEffect(() => {
    setFormDirty(changed);
  }, [changed, setFormDirty]);
  useEffect(() => () => setFormDirty(false), [setFormDirty]);
  const preset = PRESETS[presetId];
  // The product's own words for its secret, when its own method is used.
  const words = method === preset.auth ? { ...METHODS[method], secret: preset.secretLabel, identity: preset.identityLabel ?? METHODS[method].identity } : METHODS[method];

  /** A new product keeps what still applies (the shared rule: shared/connection-profile.ts). */
  const chooseProduct = (next: PresetId): void => {
    const after = afterProductChange(PRESETS[presetId], PRESETS[next], { method, identity: getValues('authIdentity') });
    if (getValues('endpoint') === PRESETS[presetId].endpoint) setValue('endpoint', '');
    setValue('preset', next);
    setValue('authMethod', after.method);
    setValue('authIdentity', after.identity);
  };
  /** "API token", "API key", "password", "secret access key": for use inside a sentence. */
  const noun = words.secret.replace(/^(?!API)\w/, (c) => c.toLowerCase());

  const accept = (result: TokenImport): void => {
    setImported(result);
    setValue('apiToken', '');
    clearErrors('apiToken');
    if (result.kind === 'access-key-pair') {
      // An access key pair belongs to the product whose method it is (Passportal).
      if (!PRESETS[presetId].methods.includes('passportal-hmac')) chooseProduct(startingProduct(result));
      setValue('authMethod', 'passportal-hmac');
      setValue('authIdentity', result.accessKeyId ?? '');
    }
    if (result.keyName) setValue('keyName', result.keyName);
  };
  const refuse = (error: unknown): void => {
    setError('apiToken', { message: error instanceof KeybridgeCallError ? error.message : 'The file could not be imported.' });
  };

  const importFromFile = async (): Promise<void> => {
    try {
      const result = await api.importTokenFile();
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
      setError('apiToken', { message: `${file.name}: the file is larger than 64 KiB, so it is not a key file.` });
      return;
    }
    try {
      accept(await api.importTokenText({ fileName: file.name, text: await file.text() }));
    } catch (error) {
      refuse(error);
    }
  };

  /** A message must never hide in a closed section: open each one that holds a field in error. */
  const openSectionsWithErrors = (invalid: Partial<Record<string, unknown>>, event?: { target: unknown }): void => {
    const form = event?.target;
    if (!(form instanceof HTMLFormElement)) return;
    for (const details of form.querySelectorAll('details')) {
      if (Object.keys(invalid).some((name) => details.querySelector(`[name="${name}"]`))) details.open = true;
    }
  };

  const onSubmit = handleSubmit(async (values, event) => {
    if (connection && !changed) {
      // Nothing to save: test what is saved.
      await retest(connection.id);
      return;
    }
    if (!hasSecret && !imported && values.apiToken.trim() === '') {
      setError('apiToken', { message: `Paste the ${noun}, or import the file you downloaded from the key manager.` });
      return;
    }
    if (!values.neverExpires && values.expiresOn === '') {
      setError('expiresOn', { message: 'Enter the expiry date, or tick "Never expires".' });
      openSectionsWithErrors({ expiresOn: true }, event);
      return;
    }
    // A date in the past is most likely a typo: say so once, and save it if the admin insists.
    const today = new Date().toISOString().slice(0, 10);
    if (!values.neverExpires && values.expiresOn < today && values.expiresOn !== connection?.expiresOn && confirmedPast !== values.expiresOn) {
      setConfirmedPast(values.expiresOn);
      setError('expiresOn', { message: `${values.expiresOn} is in the past: this API token has already expired. Correct the date, or press Save and test connection again to keep it.` });
      openSectionsWithErrors({ expiresOn: true }, event);
      return;
    }
    const outcome = await saveAndTest(inputOf(values, connection, imported));
    if (outcome.ok) {
      // The secret now lives in main only: the field is emptied and shows the masked hint instead.
      // What was saved is the new baseline: the form is no longer changed.
      reset({ ...values, apiToken: '' });
      setImported(null);
      return;
    }
    if (outcome.code === 'import-expired') setImported(null);
    setError(FIELD_OF[outcome.code] ?? 'root', { message: outcome.message });
  }, openSectionsWithErrors);

  const tokenHelp = imported
    ? `Imported ${imported.fileName ?? 'key'} (${imported.hint}). It is saved encrypted when you save.`
    : tokenLength > 0
      ? `${tokenLength} characters pasted. Saved encrypted; never shown again.`
      : hasSecret
        ? `${words.secret} saved (${connection?.tokenHint ?? '••••'}${connection?.tokenState === 'session-only' ? ', kept until Keybridge closes' : ''}). Paste or import a new one only to replace it.`
        : connection?.tokenState === 'undecryptable'
          ? 'The saved token can no longer be decrypted on this computer. Paste or import it again.'
          : 'Paste it, import the file you downloaded from the key manager, or drop that file here.';

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label="Connection settings">
      <ProductSection
        value={presetId}
        onChange={chooseProduct}
        onStaAddress={(address) => setValue('serverAddress', address, { shouldValidate: true })}
        showSteps={connection === null}
        autoFocus={firstRun}
        specTrust={connection ? { id: connection.id, verifyCertificate: connection.verifyCertificate } : { verifyCertificate: verify === 'yes' }}
        onSpec={(summary) => {
          // The same rule as the CLI's --openapi (shared/connection-profile.ts): only a method the product offers.
          const applied = specSettings(preset, summary);
          if (applied.auth) {
            setValue('authMethod', applied.auth.method);
            setValue('authIdentity', applied.auth.headerName ?? '');
          }
          if (applied.endpoint) setValue('endpoint', applied.endpoint);
          setEndpoints(summary.endpoints);
        }}
      />

      <div className="field">
        <label htmlFor={ids.name}>Connection name</label>
        <input id={ids.name} {...register('name')} placeholder="e.g. Key Manager (production)" autoComplete="off" aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? `${id}-name-error` : undefined} />
        {errors.name ? <p className="field-error" id={`${id}-name-error`}>{errors.name.message}</p> : null}
      </div>

      <div className="field">
        <label htmlFor={ids.address}>Server address</label>
        <input
          id={ids.address}
          {...register('serverAddress')}
          placeholder="keymanager.example.com or https://host:port"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.serverAddress ? true : undefined} aria-describedby={errors.serverAddress ? `${id}-serverAddress-error` : undefined}
        />
        {errors.serverAddress ? (
          <p className="field-error" id={`${id}-serverAddress-error`}>{errors.serverAddress.message}</p>
        ) : movesSavedSecret && connection ? (
          <p className="field-note" role="status">
            The saved {hasSecret && tokenLength === 0 && imported === null ? words.secret : "client certificate's key"} was entered for <span className="mono">{originOf(connection.serverAddress)}</span>. When you save, Keybridge asks in a separate dialog before it
            goes to <span className="mono">{originOf(addressText)}</span>; or enter it again for the new address.
          </p>
        ) : (
          <p className="field-help">
            Keybridge tests the API on this server over HTTPS{preset.defaultPort ? ` (port ${preset.defaultPort} unless the address names one)` : ''} with the request{' '}
            <span className="mono">{endpointText.trim() || preset.endpoint}</span>; another endpoint can be set under Key details.
          </p>
        )}
      </div>

      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.method}>API authentication method</label>
          <select id={ids.method} {...register('authMethod')}>
            {preset.methods.map((m) => (
              <option key={m} value={m}>
                {METHODS[m].label}
              </option>
            ))}
          </select>
        </div>
        {method === 'passportal-hmac' ? (
          <div className="field">
            <label htmlFor={`${id}-scope`}>Scope</label>
            <input id={`${id}-scope`} {...register('authScope')} autoComplete="off" spellCheck={false} placeholder="docs_api" aria-invalid={errors.authScope ? true : undefined} aria-describedby={errors.authScope ? `${id}-authScope-error` : undefined} />
            {errors.authScope ? <p className="field-error" id={`${id}-authScope-error`}>{errors.authScope.message}</p> : null}
          </div>
        ) : null}
        {words.identity ? (
          <div className="field">
            <label htmlFor={ids.identity}>{words.identity}</label>
            <input id={ids.identity} {...register('authIdentity')} autoComplete="off" spellCheck={false} aria-invalid={errors.authIdentity ? true : undefined} aria-describedby={errors.authIdentity ? `${id}-authIdentity-error` : undefined} />
            {errors.authIdentity ? <p className="field-error" id={`${id}-authIdentity-error`}>{errors.authIdentity.message}</p> : words.identityHelp ? <p className="field-help">{words.identityHelp}</p> : null}
          </div>
        ) : null}
      </div>

      <div
        className={`field dropzone${dragging ? ' is-dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void onDrop(event)}
      >
        <label htmlFor={ids.token}>{words.secret}</label>
        <div className="token-input">
          {imported ? (
            <div className="imported" id={ids.token} role="group" aria-label={`Imported ${words.secret}`}>
              <span>Imported</span>
              <span className="mono">{imported.hint}</span>
              <button type="button" className="button button-small" onClick={() => setImported(null)}>
                Remove
              </button>
            </div>
          ) : (
            <input
              id={ids.token}
              type="password"
              {...register('apiToken')}
              placeholder={hasSecret ? 'Saved. Paste a new one to replace it' : `Paste the ${noun}`}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={ids.tokenHelp}
              aria-invalid={errors.apiToken ? true : undefined}
            />
          )}
        </div>
        {errors.apiToken ? (
          <p className="field-error" id={ids.tokenHelp}>
            {errors.apiToken.message}
          </p>
        ) : (
          <p className="field-help" id={ids.tokenHelp}>
            {tokenHelp}
          </p>
        )}
        <div>
          <button type="button" className="button button-small" onClick={() => void importFromFile()} disabled={busy !== null}>
            Import from file…
          </button>
        </div>
      </div>

      <div className="field">
        <span className="label" id={ids.verify}>
          Verify certificate
        </span>
        <Controller
          control={control}
          name="verifyCertificate"
          render={({ field }) => (
            <RadioGroup.Root className="segmented" value={field.value} onValueChange={field.onChange} aria-labelledby={ids.verify} aria-describedby={ids.verifyHelp}>
              <RadioGroup.Item className="segment" value="yes">
                Yes
              </RadioGroup.Item>
              <RadioGroup.Item className="segment" value="no">
                No
              </RadioGroup.Item>
            </RadioGroup.Root>
          )}
        />
        <p className="field-help" id={ids.verifyHelp}>
          {/* Form and report agree: a pinned key is checked whatever this setting says (the engine checks the pin first). */}
          {connection?.pinnedSpki
            ? 'A trusted certificate is pinned for this connection: only its key is accepted, whatever this setting says. Forget it in the test result to use this setting again.'
            : verify === 'no'
              ? `The certificate will not be checked. Use only for evaluation servers with self-signed certificates.${
                  connection?.verifyCertificate && hasSecret && tokenLength === 0 && imported === null ? ` When you save, Keybridge asks before the saved ${words.secret} is sent unchecked.` : ''
                }`
              : 'Recommended. Choose No only for an evaluation server with a self-signed certificate, or trust its certificate after a test.'}
        </p>
      </div>

      <details className="more" open={connection !== null && (connection.extraCas.length > 0 || connection.clientCertificate !== null || connection.useSystemCa || connection.proxy !== '')}>
        <summary>Trust and network: CA certificates, client certificate, proxy</summary>
        <label className="checkbox">
          <input type="checkbox" {...register('useSystemCa')} /> Also trust this computer's certificate store
        </label>
        {connection ? <TrustSettings connection={connection} /> : <p className="field-help">Save the connection first to add CA or client certificates.</p>}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-proxy`}>Proxy</label>
            <select id={`${id}-proxy`} {...register('proxyMode')}>
              <option value="environment">From the environment (HTTPS_PROXY, NO_PROXY)</option>
              <option value="none">No proxy</option>
              <option value="custom">This proxy…</option>
            </select>
          </div>
          {proxyMode === 'custom' ? (
            <div className="field">
              <label htmlFor={`${id}-proxy-url`}>Proxy address</label>
              <input id={`${id}-proxy-url`} {...register('proxyUrl')} placeholder="http://proxy.example.com:3128" autoComplete="off" spellCheck={false} aria-invalid={errors.proxyUrl ? true : undefined} />
              {errors.proxyUrl ? <p className="field-error">{errors.proxyUrl.message}</p> : null}
            </div>
          ) : null}
        </div>
      </details>

      <details className="more" open={connection !== null && Boolean(connection.owner || connection.expiresOn || connection.boundHost || connection.description || connection.keyName)}>
        <summary>Key details: owner, validity, bound host, test request</summary>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-owner`}>Token owner (service account)</label>
            <input id={`${id}-owner`} {...register('owner')} autoComplete="off" placeholder="e.g. user_portal_max" aria-invalid={errors.owner ? true : undefined} aria-describedby={errors.owner ? `${id}-owner-error` : undefined} />
            {errors.owner ? <p className="field-error" id={`${id}-owner-error`}>{errors.owner.message}</p> : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-keyname`}>Key name</label>
            <input id={`${id}-keyname`} {...register('keyName')} autoComplete="off" aria-invalid={errors.keyName ? true : undefined} aria-describedby={errors.keyName ? `${id}-keyName-error` : undefined} />
            {errors.keyName ? <p className="field-error" id={`${id}-keyName-error`}>{errors.keyName.message}</p> : null}
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-expires`}>Expires on</label>
            <input id={`${id}-expires`} type="date" {...register('expiresOn')} disabled={neverExpires} aria-invalid={errors.expiresOn ? true : undefined} aria-describedby={errors.expiresOn ? `${id}-expiresOn-error` : undefined} />
            <label className="checkbox">
              <input type="checkbox" {...register('neverExpires')} /> Never expires
            </label>
            {errors.expiresOn ? <p className="field-error" id={`${id}-expiresOn-error`}>{errors.expiresOn.message}</p> : null}
          </div>
          <div className="field">
            <label htmlFor={`${id}-bound`}>Bound to host</label>
            <input id={`${id}-bound`} {...register('boundHost')} autoComplete="off" placeholder="The workstation an API user is bound to" aria-invalid={errors.boundHost ? true : undefined} aria-describedby={errors.boundHost ? `${id}-boundHost-error` : undefined} />
            {errors.boundHost ? <p className="field-error" id={`${id}-boundHost-error`}>{errors.boundHost.message}</p> : null}
          </div>
        </div>
        <div className="field">
          <label htmlFor={ids.endpoint}>Test endpoint</label>
          <input id={ids.endpoint} {...register('endpoint')} list={`${ids.endpoint}-choices`} autoComplete="off" spellCheck={false} placeholder={`${preset.endpoint} (default)`} aria-invalid={errors.endpoint ? true : undefined} aria-describedby={errors.endpoint ? `${id}-endpoint-error` : undefined} />
          <datalist id={`${ids.endpoint}-choices`}>
            {endpoints.map((e) => (
              <option key={e} value={e} />
            ))}
          </datalist>
          {errors.endpoint ? <p className="field-error" id={`${id}-endpoint-error`}>{errors.endpoint.message}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-rule`}>Success rule</label>
          <input
            id={`${id}-rule`}
            {...register('successRule')}
            autoComplete="off"
            spellCheck={false}
            placeholder={preset.successRule ? `${formatJsonRule(preset.successRule)} (${preset.product})` : 'e.g. status=ok or totalResults=1 (optional)'}
            aria-invalid={errors.successRule ? true : undefined} aria-describedby={errors.successRule ? `${id}-successRule-error` : undefined}
          />
          {errors.successRule ? (
            <p className="field-error" id={`${id}-successRule-error`}>{errors.successRule.message}</p>
          ) : (
            <p className="field-help">Success only when the JSON answer has this value (PATH=VALUE; true, false, null and numbers are JSON).</p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>Description</label>
          <textarea id={`${id}-description`} rows={2} {...register('description')} aria-invalid={errors.description ? true : undefined} aria-describedby={errors.description ? `${id}-description-error` : undefined} />
          {errors.description ? <p className="field-error" id={`${id}-description-error`}>{errors.description.message}</p> : null}
        </div>
      </details>

      {errors.root ? (
        <div className="banner banner-error" role="alert">
          {errors.root.message}
        </div>
      ) : null}

      <div className="form-actions action-bar">
        <button type="submit" className="button button-primary" disabled={busy !== null || connection?.enabled === false}>
          {busy === 'testing' ? 'Testing connection…' : connection && !changed ? 'Test saved settings' : 'Save and test connection'}
        </button>
        {busy === 'testing' && connection ? (
          <button type="button" className="button" onClick={() => void api.cancelTest({ id: connection.id })}>
            Cancel test
          </button>
        ) : null}
        {connection && changed ? (
          <span className="unsaved" role="status">
            Unsaved changes
          </span>
        ) : null}
        {connection?.enabled === false ? <span className="muted">This connection is disabled. Enable it to save and test.</span> : null}
      </div>
    </form>
  );
}
