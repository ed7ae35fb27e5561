// The key manager product, first in the form: its name, how the admin gets the key (the product's
// own first-run steps), and, for Thales STA, the zone and tenant code that build its address.
import { useId, useState, type ReactNode } from 'react';
import { KeybridgeCallError } from '../../../shared/rpc';
import { PRESET_IDS, PRESETS, staAddress, type PresetId } from '../../../shared/presets';
import type { OpenApiSummary } from '../../../shared/types';
import { useKeybridge } from '../../store';

interface Props {
  value: PresetId;
  onChange(preset: PresetId): void;
  /** Thales STA: a valid zone and tenant code give the address. */
  onStaAddress(address: string): void;
  /** Open the first-run steps (a new connection). */
  showSteps: boolean;
  /** An OpenAPI specification was imported: apply what it says. */
  onSpec(summary: OpenApiSummary): void;
  /** How a specification downloaded from the server is trusted: the saved connection's settings, or the form's. */
  specTrust: { id?: string; verifyCertificate: boolean };
  /** First run: the work starts here. */
  autoFocus?: boolean;
  /** Drawn right under the product (name and address): the main choices first, the product's guidance after. */
  children?: ReactNode;
}

export function ProductField({ value, onChange, onStaAddress, showSteps, onSpec, specTrust, autoFocus = false, children }: Props) {
  const id = useId();
  const importOpenApi = useKeybridge((s) => s.importOpenApi);
  const [spec, setSpec] = useState<{ ok: true; text: string } | { ok: false; text: string } | null>(null);
  const [specUrl, setSpecUrl] = useState('');
  /** From a file (the dialog in main), or downloaded from `url` over a judged connection. */
  const importSpec = async (url?: string): Promise<void> => {
    try {
      const summary = await importOpenApi(url ? { url, ...(specTrust.id ? { id: specTrust.id } : { verifyCertificate: specTrust.verifyCertificate }) } : undefined);
      if (!summary) return;
      onSpec(summary);
      const how = summary.auth ? (summary.auth.method === 'header' ? `the key in the ${summary.auth.headerName} header` : `HTTP ${summary.auth.method}`) : 'no authentication Keybridge can use';
      setSpec({ ok: true, text: `From "${summary.title}": ${how}; ${summary.endpoints.length} test request(s) without parameters.` });
    } catch (error) {
      setSpec({ ok: false, text: error instanceof KeybridgeCallError ? error.message : 'The specification could not be read.' });
    }
  };
  const preset = PRESETS[value];
  const fromStaFields = (form: HTMLElement | null): void => {
    const zone = (form?.querySelector(`#${CSS.escape(`${id}-zone`)}`) as HTMLInputElement | null)?.value ?? '';
    const tenant = (form?.querySelector(`#${CSS.escape(`${id}-tenant`)}`) as HTMLInputElement | null)?.value ?? '';
    const built = staAddress(zone, tenant);
    if (built.ok) onStaAddress(built.address);
  };
  return (
    <>
      <div className="field product">
        <label htmlFor={`${id}-product`}>Key manager product</label>
        <select id={`${id}-product`} value={value} autoFocus={autoFocus} onChange={(event) => onChange(event.target.value as PresetId)}>
          {PRESET_IDS.map((p) => (
            <option key={p} value={p}>
              {PRESETS[p].product}
            </option>
          ))}
        </select>
      </div>
      {children}
      <div className="product-guide">
        <details className="disclosure product-steps" open={showSteps}>
          <summary>How to get the {preset.secretLabel.replace(/ \(.*\)$/, '')} from {preset.id === 'generic' ? 'your key manager' : preset.product}</summary>
          <ol>
            {preset.setup.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <p className="field-help">Keybridge imports {preset.keyFrom}.</p>
        </details>
        {preset.notPublic ? <p className="field-help">{preset.notPublic}</p> : null}
        {preset.offersSpecification ? (
          <div>
            <button type="button" className="button button-small" onClick={() => void importSpec()}>
              Import OpenAPI specification…
            </button>
            <label className="spec-url-label" htmlFor={`${id}-spec-url`}>or download it from</label>
            <div className="input-with-button">
              <input id={`${id}-spec-url`} value={specUrl} onChange={(event) => setSpecUrl(event.target.value)} placeholder="https://…/openapi.json" autoComplete="off" spellCheck={false} />
              <button type="button" className="button button-small" disabled={specUrl.trim() === ''} onClick={() => void importSpec(specUrl.trim())}>
                Download
              </button>
            </div>
            {spec ? <p className={spec.ok ? 'field-help' : 'field-error'} role="status">{spec.text}</p> : null}
          </div>
        ) : null}
        {preset.zoneAndTenant ? (
          <div className="field-row" onChange={(event) => fromStaFields(event.currentTarget)}>
            <div className="field">
              <label htmlFor={`${id}-zone`}>Zone</label>
              <input id={`${id}-zone`} placeholder="e.g. eu or us" autoComplete="off" spellCheck={false} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-tenant`}>Tenant code</label>
              <input id={`${id}-tenant`} placeholder="As shown in the STA console" autoComplete="off" spellCheck={false} />
            </div>
          </div>
        ) : null}
      </div>
    </>
  );
}
