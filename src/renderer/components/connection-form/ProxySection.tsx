// Proxy: from the environment (HTTPS_PROXY, NO_PROXY), none, or one of the admin's.
import { useFormContext, useWatch } from 'react-hook-form';
import { Field } from './Field';
import { useFormExtras } from './form-context';
import type { FormValues } from './form-values';

export function ProxySection() {
  const { register, control } = useFormContext<FormValues>();
  const { mark } = useFormExtras();
  const proxyMode = useWatch({ control, name: 'proxyMode' });
  return (
    <div className="field-row">
      <Field
        name="proxyMode"
        label="Proxy"
        className={mark?.field === 'proxy' ? 'is-marked' : undefined}
        note={mark?.field === 'proxy' ? <p>The last test failed at the proxy. Check its address, or choose No proxy if the key manager is reached directly.</p> : null}
      >
        {(c) => (
          <select {...c} {...register('proxyMode')}>
            <option value="environment">From the environment (HTTPS_PROXY, NO_PROXY)</option>
            <option value="none">No proxy</option>
            <option value="custom">This proxy…</option>
          </select>
        )}
      </Field>
      {proxyMode === 'custom' ? (
        <Field name="proxyUrl" label="Proxy address">
          {(c) => <input {...c} {...register('proxyUrl')} placeholder="http://proxy:3128" autoComplete="off" spellCheck={false} />}
        </Field>
      ) : null}
    </div>
  );
}
